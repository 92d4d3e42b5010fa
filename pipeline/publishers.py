"""Official publishers: the actor their releases speak for and the time zone they date them in (``data/publishers.yaml``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import yaml

PUBLISHERS_FILE = Path(__file__).resolve().parent.parent / "data" / "publishers.yaml"


@dataclass(frozen=True)
class Publisher:
    """An official publisher: its domain, the actor its "we" is, and its time zone."""

    domain: str
    actor: str
    timezone: str


@functools.lru_cache(maxsize=1)
def publishers(path: Path = PUBLISHERS_FILE) -> dict[str, Publisher]:
    """Return the official publishers by domain."""
    return {e["domain"]: Publisher(e["domain"], e["actor"], e["timezone"]) for e in yaml.safe_load(path.read_text(encoding="utf-8"))}


def publisher_of(url: str) -> Publisher | None:
    """Return the official publisher of a URL (its domain or a parent domain), e.g. state.gov for ``https://www.state.gov/x/``."""
    labels = (urlsplit(url).hostname or "").lower().split(".")
    suffixes = (".".join(labels[i:]) for i in range(len(labels)))
    return next((publishers()[s] for s in suffixes if s in publishers()), None)


def voice_of(url: str) -> str:
    """Return the id of the actor an article's URL speaks for, or "": ``voice_of("https://www.state.gov/x/")`` is "USA"."""
    found = publisher_of(url)
    return found.actor if found is not None else ""


def local_zone(url: str) -> ZoneInfo | None:
    """Return the time zone an official publisher dates its releases in, or None."""
    found = publisher_of(url)
    return ZoneInfo(found.timezone) if found is not None else None
