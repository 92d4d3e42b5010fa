"""Official publishers whose releases speak for an actor ("we" in a state.gov release is the United States)."""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlsplit

import yaml

PUBLISHERS_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "publishers.yaml"


@functools.lru_cache(maxsize=1)
def publisher_domains(path: Path = PUBLISHERS_FILE) -> dict[str, str]:
    """Return the actor id each official domain speaks for."""
    return {entry["domain"]: entry["actor"] for entry in yaml.safe_load(path.read_text(encoding="utf-8"))}


def voice_of(url: str) -> str:
    """Return the id of the actor an article's URL speaks for, or "": ``voice_of("https://www.state.gov/x/")`` is "USA"."""
    host = (urlsplit(url).hostname or "").lower()
    labels = host.split(".")
    suffixes = (".".join(labels[i:]) for i in range(len(labels)))
    return next((publisher_domains()[s] for s in suffixes if s in publisher_domains()), "")
