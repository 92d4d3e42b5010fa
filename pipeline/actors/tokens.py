"""The tokens of a parsed Doc that cover a character span."""

from __future__ import annotations

from spacy.tokens import Doc, Span


def token_span(doc: Doc, start: int, end: int) -> Span:
    """Return the tokens covering characters ``start`` to ``end`` of the Doc, e.g. a whole word for part of one."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        raise ValueError(f"characters {start}:{end} are outside the Doc")
    return span
