"""Bound one article's work: an overlong paragraph is split at its sentence ends, an overlong sentence cut, an overlong text
cut, so that no article holds an ingest for minutes (issue 18: a 5 MB article on one line took over 400 s and 1.36 GB).

Extraction's time grows a little faster than the text (on the loaded 2-core machine, 2026-12-07: 3.7 s for 80,000
characters of news prose, 2.1 to 2.3 times as long per doubling); cut at ``MAX_ARTICLE_CHARS`` an article takes about 10 s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The longest text read for events. The longest of the 25,905 articles of the bench corpora is a White House transcript of
# 163,143 characters (the 99th percentile of its 2,309 is 60,819; of 2,018 State Department releases 53,157).
MAX_ARTICLE_CHARS = 200_000
# A paragraph longer than this is split at its sentence ends (the bench corpora's longest are transcripts of 73,352
# characters, their 99th percentile 43,127 for the White House, 1,406 for the State Department).
MAX_PARAGRAPH_CHARS = 10_000
# A sentence longer than this is cut (at a space): it is a table or a list, not prose. Extraction parses none longer than
# 1,500 characters (``pipeline.extract.MAX_SENTENCE_CHARS``).
MAX_SENTENCE_CHARS = 10_000
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]?\s+(?=[\"“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Bounded:
    """A text within the bounds, and what was done to bring it there (empty when nothing was)."""

    text: str
    split: int = 0  # paragraphs split at sentence ends
    cut_sentences: int = 0
    cut_from: int = 0  # the length of a text cut to MAX_ARTICLE_CHARS

    @property
    def note(self) -> str:
        """Return what was done, in words, or "" when nothing was."""
        notes = []
        if self.cut_from:
            notes.append(f"the text has {self.cut_from:,} characters: only the first {MAX_ARTICLE_CHARS:,} are read for events")
        if self.split:
            notes.append(f"{plural(self.split, 'paragraph')} longer than {MAX_PARAGRAPH_CHARS:,} characters split at sentence ends")
        if self.cut_sentences:
            notes.append(f"{plural(self.cut_sentences, 'sentence')} longer than {MAX_SENTENCE_CHARS:,} characters cut")
        return "; ".join(notes)


def plural(count: int, noun: str) -> str:
    """Return a count with its noun, e.g. ``plural(1, "sentence")`` gives ``"1 sentence"``, ``plural(2, ...)`` ``"2 sentences"``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def cut_at_space(text: str, limit: int) -> str:
    """Return the text cut to at most ``limit`` characters, at the last space before it when there is one."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    return head[: head.rfind(" ")] if " " in head[limit // 2 :] else head


def cut_text(text: str) -> str:
    """Return the first ``MAX_ARTICLE_CHARS`` of a text, cut at the last paragraph end in their second half, else at the
    last sentence end there, else at a space."""
    head = text[:MAX_ARTICLE_CHARS]
    if (end := head.rfind("\n")) >= MAX_ARTICLE_CHARS // 2:
        return head[:end]
    ends = [match.start() for match in SENTENCE_END.finditer(head, MAX_ARTICLE_CHARS // 2)]
    return head[: ends[-1]] if ends else cut_at_space(head, MAX_ARTICLE_CHARS)


def sentence_pieces(paragraph: str) -> tuple[list[str], int]:
    """Return a paragraph's sentences (each cut to ``MAX_SENTENCE_CHARS``) and how many were cut."""
    sentences = SENTENCE_END.split(paragraph)
    cut = sum(len(s) > MAX_SENTENCE_CHARS for s in sentences)
    return [cut_at_space(s, MAX_SENTENCE_CHARS) for s in sentences], cut


def split_paragraph(paragraph: str) -> tuple[list[str], int]:
    """Return an overlong paragraph as paragraphs of whole sentences, each at most ``MAX_PARAGRAPH_CHARS`` long, and how many
    sentences were cut."""
    sentences, cut = sentence_pieces(paragraph)
    parts: list[str] = []
    for sentence in sentences:
        if parts and len(parts[-1]) + 1 + len(sentence) <= MAX_PARAGRAPH_CHARS:
            parts[-1] += " " + sentence
        else:
            parts.append(sentence)
    return parts, cut


def bounded_text(text: str) -> Bounded:
    """Return the text within the bounds: cut to ``MAX_ARTICLE_CHARS`` (``cut_text``), its longer paragraphs split at
    sentence ends, its longer sentences cut. E.g. a 5 MB text on one line gives 200,000 characters in paragraphs of at most
    10,000."""
    cut_from = len(text) if len(text) > MAX_ARTICLE_CHARS else 0
    if cut_from:
        text = cut_text(text)
    lines: list[str] = []
    split = cut = 0
    for line in text.split("\n"):  # a line is a paragraph to the cleaning (pipeline/clean.py)
        if len(line) > MAX_PARAGRAPH_CHARS:
            parts, cut_here = split_paragraph(line)
            lines += parts
            split, cut = split + 1, cut + cut_here
        else:
            lines.append(line)
    return Bounded("\n".join(lines), split, cut, cut_from)
