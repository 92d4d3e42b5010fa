"""The ``timex`` command: resolve date expressions given with their sentence and publication date."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterator
from datetime import date
from typing import TextIO

from spacy.tokens import Doc, Span

from pipeline.dates.find import find_timexes, resolve_span
from pipeline.dates.resolve import resolve_expression
from pipeline.dates.values import NO_DATE, DateValue

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=256)
def parsed(sentence: str) -> Doc:
    """Return the parse of a sentence (cached: several expressions share one)."""
    from pipeline.nlp import load_nlp

    return load_nlp()(sentence)


def expression_span(doc: Doc, expression: str) -> Span | None:
    """Return the span of the expression's first occurrence in the sentence, or None."""
    at = doc.text.find(expression)
    if at < 0 or not expression:
        return None
    return doc.char_span(at, at + len(expression), alignment_mode="expand")


def antecedent_before(doc: Doc, span: Span, published: date) -> DateValue:
    """Return the value of the last date expression that ends before ``span`` in its sentence."""
    earlier = [t for t in find_timexes(doc[:], published) if t.end <= span.start]
    return earlier[-1].value if earlier else NO_DATE


def value_in_sentence(expression: str, sentence: str, published: date) -> DateValue:
    """Return the value of an expression read in its sentence: the clause's tense and the date named before it."""
    doc = parsed(sentence)
    span = expression_span(doc, expression)
    if span is None or not len(span):
        return resolve_expression(expression, published, "past", sentence)
    return resolve_span(span, doc[:], doc.text, published, antecedent_before(doc, span, published), expression=expression)


def records(lines: TextIO) -> Iterator[dict]:
    """Yield the JSON objects of the non-empty input lines, logging and skipping broken ones."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as error:
            log.warning("line %d: not JSON: %s", number, error)


def timex_main(lines: TextIO, out: TextIO) -> None:
    """Read JSON lines {id, expression, sentence, published}; write {id, value} per line ("" when unresolvable)."""
    for record in records(lines):
        try:
            published = date.fromisoformat(str(record.get("published", ""))[:10])
        except ValueError:
            out.write(json.dumps({"id": record.get("id"), "value": ""}) + "\n")
            continue
        expression, sentence = str(record.get("expression", "")), str(record.get("sentence") or record.get("expression", ""))
        value = value_in_sentence(expression, sentence, published)
        out.write(json.dumps({"id": record.get("id"), "value": value.value}) + "\n")
