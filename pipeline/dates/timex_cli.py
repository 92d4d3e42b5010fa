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


def records(lines: TextIO) -> Iterator[tuple[int, dict | str]]:
    """Yield ``(line number, object)`` for each non-empty input line, or ``(line number, why it holds none)``."""
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield number, line_record(line)


def line_record(line: str) -> dict | str:
    """Return the JSON object of one line, or why it holds none."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        return f"not JSON: {error}"
    except RecursionError:
        return "nested too deeply to read"
    return value if isinstance(value, dict) else f"expected a JSON object, found {type(value).__name__}"


def record_value(record: dict) -> str:
    """Return the value of one record's expression, "" when its publication date is no date."""
    try:
        published = date.fromisoformat(str(record.get("published", ""))[:10])
    except ValueError:
        return ""
    expression, sentence = str(record.get("expression", "")), str(record.get("sentence") or record.get("expression", ""))
    return value_in_sentence(expression, sentence, published).value


def answer(record: dict | str) -> tuple[str | None, str]:
    """Return ``(value, "")`` for a record, or ``(None, why there is none)`` for a bad line or a failure to resolve it."""
    if isinstance(record, str):
        return None, record
    try:
        return record_value(record), ""
    except Exception as error:  # noqa: BLE001 - one line the resolver cannot handle must not stop the others
        return None, f"cannot resolve it ({type(error).__name__}: {error})"


def timex_main(lines: TextIO, out: TextIO) -> tuple[int, int]:
    """Read JSON lines {id, expression, sentence, published}; write {id, value} per line ("" when unresolvable). A line that
    holds no object, or whose expression cannot be resolved, is logged with its number and skipped. Return the numbers of
    lines answered and skipped."""
    answered = skipped = 0
    for number, record in records(lines):
        value, why = answer(record)
        if value is None or isinstance(record, str):
            log.warning("line %d: %s; skipped", number, why)
            skipped += 1
        else:
            out.write(json.dumps({"id": record.get("id"), "value": value}) + "\n")
            answered += 1
    return answered, skipped
