"""Records that flow through the pipeline: frozen dataclasses, built once, never mutated."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

PUBLISHED_SOURCES = ("metadata", "text", "user", "none")
# Lone surrogates: what Python makes of bytes that are not UTF-8 in a file name (U+DC80-U+DCFF, "surrogateescape"), and what
# a JSON string may hold ("\\ud800"). No UTF-8 writer takes them: not hashing, Parquet, CSV nor JSON out.
SURROGATE = re.compile("[\ud800-\udfff]")
# How much of an error's own message a one-line problem or error quotes.
MAX_DETAIL_CHARS = 200


@dataclass(frozen=True)
class Article:
    """One article as read and cleaned, with where it came from."""

    article_id: str
    title: str
    text: str
    published: date | None = None
    published_source: str = "none"
    author: str = ""
    publisher: str = ""
    url: str = ""
    language: str = ""
    captions: tuple[str, ...] = ()
    origin: str = ""
    locator: str = ""

    @property
    def content_hash(self) -> str:
        """Hash of the cleaned title, body and captions: the same article read twice hashes the same."""
        return content_hash(self.title, self.text, *self.captions)


@dataclass(frozen=True)
class Problem:
    """An input that was skipped (not ours to read) or failed (ours, but broken)."""

    kind: str  # "skipped" | "failed"
    origin: str
    message: str
    locator: str = ""

    def __str__(self) -> str:
        where = f"{self.origin}:{self.locator}" if self.locator else self.origin
        return f"{self.kind}: {where}: {self.message}"


@dataclass(frozen=True)
class ReadSummary:
    """Counts of one read: inputs read, skipped and failed, articles and duplicates."""

    inputs_read: int = 0
    inputs_skipped: int = 0
    inputs_failed: int = 0
    articles: int = 0
    duplicates: int = 0
    records_failed: int = 0
    problems: tuple[Problem, ...] = field(default=(), repr=False)

    def __str__(self) -> str:
        return (
            f"{self.articles} articles from {self.inputs_read} inputs read; "
            f"{self.inputs_skipped} skipped, {self.inputs_failed} failed, "
            f"{self.records_failed} bad records, {self.duplicates} duplicates dropped"
        )


def valid_text(text: str) -> str:
    """Return text any UTF-8 writer takes: a byte escaped from a file name as ``\\xNN``, another lone surrogate as U+FFFD,
    e.g. ``valid_text("caf\\udce9")`` gives ``"caf\\\\xe9"``. Every name and text read goes through it."""
    return SURROGATE.sub(escaped_surrogate, text) if SURROGATE.search(text) else text


def one_line(text: str, limit: int = MAX_DETAIL_CHARS) -> str:
    """Return text on one line, valid UTF-8, cut to ``limit`` characters: how a message quotes an error's own words."""
    flat = " ".join(valid_text(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def escaped_surrogate(match: re.Match[str]) -> str:
    """Return the stand-in for one lone surrogate."""
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def content_hash(*parts: str) -> str:
    """Return a short stable hash of text parts, e.g. ``content_hash("a", "b")``."""
    digest = hashlib.sha256("\x1f".join(" ".join(p.split()) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:20]
