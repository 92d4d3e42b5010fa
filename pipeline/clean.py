"""Remove the boilerplate that news sites leave in copied text; set aside captions and bylines."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

CLEANING_FILE = Path(__file__).resolve().parent.parent / "data" / "cleaning.yaml"
# A byline is a short line: longer ones that begin with "By" are sentences.
MAX_BYLINE_WORDS = 8
# Hard-wrapped text (wires, e-mail): nearly every line at most this long, and the lines typically this long or more.
WRAP_WIDTH = 90
WRAP_MIN_TYPICAL = 45
WRAP_SHARE = 0.9
WRAP_MIN_LINES = 4
# trafilatura writes table rows as "| cell | cell |": the outer bars go, so a row is matched like any line.
TABLE_EDGES = " |"


@dataclass(frozen=True)
class CleanText:
    """Body paragraphs, photo captions and the byline found in one text."""

    text: str
    captions: tuple[str, ...]
    author: str


@dataclass(frozen=True)
class Patterns:
    """Compiled cleaning patterns from ``data/cleaning.yaml``."""

    drop_line: re.Pattern[str]
    shortcode: re.Pattern[str]
    caption_lead: re.Pattern[str]
    photo_credit: re.Pattern[str]
    byline: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def load_patterns(path: Path = CLEANING_FILE) -> Patterns:
    """Return the compiled patterns of the cleaning file."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    flags = re.IGNORECASE

    def compile_(key: str) -> re.Pattern[str]:
        return re.compile(spec[key], flags)

    drop = "|".join(f"(?:{p})" for p in spec["drop_lines"])
    return Patterns(
        drop_line=re.compile(rf"^(?:{drop})\W*$", flags),
        shortcode=compile_("shortcode"),
        caption_lead=compile_("caption_lead"),
        photo_credit=compile_("photo_credit"),
        byline=compile_("byline"),
    )


def normalise(text: str) -> str:
    """Return NFC text with Windows and old Mac line ends, every kind of space made plain ("U.S.\u202fofficials" is
    two words) and zero-width marks dropped."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u200b", "").replace("\ufeff", "")
    return re.sub(r"[^\S\n]+", " ", text)


def is_hard_wrapped(lines: list[str]) -> bool:
    """Return True when a text's lines are cut at a fixed width (a wire story), not one paragraph a line."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < WRAP_MIN_LINES:
        return False
    short = sum(length <= WRAP_WIDTH for length in lengths)
    return short >= WRAP_SHARE * len(lengths) and lengths[len(lengths) // 2] >= WRAP_MIN_TYPICAL


def unwrapped(lines: list[str]) -> list[str]:
    """Return the paragraphs of hard-wrapped lines: a new one starts after a blank line or at an indented line."""
    joined: list[str] = []
    for previous, line in zip(["", *lines], lines, strict=False):
        if not line.strip():
            continue
        if joined and previous.strip() and not line[:1].isspace():
            joined[-1] += " " + line.strip()
        else:
            joined.append(line.strip())
    return joined


def paragraphs(text: str) -> list[str]:
    """Return the paragraphs of a text: a line each in copied news text; hard-wrapped lines joined back."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if is_hard_wrapped(lines):
        lines = unwrapped(lines)
    return [line.strip() for line in normalise("\n".join(lines)).split("\n") if line.strip()]


def byline_author(line: str, patterns: Patterns) -> str:
    """Return the author named by a byline line, or "" when the line is not one."""
    match = patterns.byline.match(line)
    if not match or len(line.split()) > MAX_BYLINE_WORDS:
        return ""
    author = match.group("author").strip(" ,;|")
    words = re.split(r"\s+|,", author)
    if not all(w[:1].isupper() or w in {"and", "&", "de", "van", "von", "al", "der", "da", ""} for w in words):
        return ""
    return author


def caption_text(paragraph: str, patterns: Patterns) -> str | None:
    """Return the caption without its lead-in and credit ("" for a credit alone), or None when the paragraph is not a caption."""
    lead = patterns.caption_lead.match(paragraph)
    credit = patterns.photo_credit.search(paragraph)
    if not lead and not credit:
        return None
    start = lead.end() if lead else 0
    end = credit.start() if credit and credit.start() >= start else len(paragraph)
    return paragraph[start:end].strip()


def clean_text(text: str, patterns: Patterns | None = None) -> CleanText:
    """Split raw article text into clean body, captions and author, e.g. ``clean_text("By Ann Lee\\nHi.")``."""
    patterns = patterns or load_patterns()
    body: list[str] = []
    captions: list[str] = []
    authors: list[str] = []
    for paragraph in paragraphs(text):
        paragraph = patterns.shortcode.sub("", paragraph).strip(TABLE_EDGES)
        if not paragraph or patterns.drop_line.match(paragraph):
            continue
        caption = caption_text(paragraph, patterns)
        if author := byline_author(paragraph, patterns):
            authors.append(author)
        elif caption is None:
            body.append(paragraph)
        elif caption:
            captions.append(caption)
    return CleanText("\n\n".join(body), tuple(captions), "; ".join(dict.fromkeys(authors)))
