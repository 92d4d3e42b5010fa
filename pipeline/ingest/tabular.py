"""Read exports of news APIs: JSON (one object or a list), JSON Lines, CSV, and JSON Feed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pipeline.ingest.build import RawArticle
from pipeline.ingest.decode import InputError
from pipeline.ingest.guard import guarded, problem_text
from pipeline.ingest.html import fragment_text
from pipeline.records import Problem

# The names news APIs give each field, in order of preference.
FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "article_id": ("id", "article_id", "guid", "uri"),
    "title": ("title", "headline", "name"),
    "body": ("text", "body", "content", "content_text", "content_html", "article", "full_text", "description", "summary"),
    "published": ("date", "published", "published_at", "publishedAt", "pubDate", "date_published", "datetime", "dateTime", "time"),
    "url": ("url", "link", "canonical_url", "web_url"),
    "publisher": ("source", "publisher", "site", "site_name", "outlet", "domain"),
    "author": ("author", "authors", "byline", "creator"),
    "language": ("language", "lang"),
}
TEXT_KEYS = FIELD_KEYS["body"]
CSV_DELIMITERS = (",", ";", "\t", "|")
# CSV cells can hold whole articles: allow up to this many characters in a field.
csv.field_size_limit(50_000_000)


def field_value(record: Mapping[str, Any], name: str) -> str:
    """Return the first non-empty value among a field's key names, as text (nested names read too)."""
    for key in FIELD_KEYS[name]:
        value = record.get(key)
        if isinstance(value, Mapping):
            value = value.get("name") or value.get("title") or value.get("id")
        if isinstance(value, list):
            value = ", ".join(str(v.get("name", v) if isinstance(v, Mapping) else v) for v in value)
        if value not in (None, ""):
            return str(value)
    return ""


def raw_from_record(record: object, stem: str, origin: str, locator: str, index: int) -> RawArticle:
    """Return the article of one record, or raise ``InputError`` naming what is missing."""
    if not isinstance(record, Mapping):
        raise InputError(f"expected an object with a text field, found {type(record).__name__}")
    body = field_value(record, "body")
    if not body.strip():
        raise InputError(f"no text: none of the fields {', '.join(TEXT_KEYS)} has any")
    return RawArticle(
        label=f"{stem}-{index}",
        source_id=field_value(record, "article_id"),
        title=field_value(record, "title"),
        body=fragment_text(body),
        origin=origin,
        locator=locator,
        published=field_value(record, "published") or None,
        author=field_value(record, "author"),
        publisher=field_value(record, "publisher"),
        url=field_value(record, "url"),
        language=field_value(record, "language"),
    )


def records_of(records: Iterable[tuple[str, object]], stem: str, origin: str) -> Iterator[RawArticle | Problem]:
    """Yield an article per good record and a problem per bad one (``guard.guarded``), keeping the rest."""
    for index, (locator, record) in enumerate(records, start=1):
        if isinstance(record, InvalidLine):
            yield Problem("failed", origin, str(record), locator)
        else:
            yield from guarded(lambda: [raw_from_record(record, stem, origin, locator, index)], origin, locator)  # noqa: B023 - run at once


def read_json(text: str, stem: str, origin: str) -> Iterator[RawArticle | Problem]:
    """Yield the articles of a JSON file: one object, a list, or a JSON Feed / API envelope."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    if isinstance(data, Mapping):
        for envelope in ("items", "articles", "results", "data", "documents"):
            if isinstance(data.get(envelope), list):
                data = data[envelope]
                break
        else:
            data = [data]
    if not isinstance(data, list):
        raise InputError(f"expected an object or a list of objects, found {type(data).__name__}")
    yield from records_of(((f"record {i}", r) for i, r in enumerate(data, start=1)), stem, origin)


def jsonl_records(lines: Iterable[str]) -> Iterator[tuple[str, object]]:
    """Yield ``(locator, record)`` per non-empty line; a bad line yields its error instead of a record."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield f"line {number}", parsed_line(line)


def parsed_line(line: str) -> object:
    """Return the value of one JSON line, or an ``InvalidLine`` saying why it has none (invalid, nested too deeply...)."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as err:
        return InvalidLine(f"invalid JSON: {err.msg} at column {err.colno}")
    except (RecursionError, MemoryError) as err:
        return InvalidLine(problem_text(err))


class InvalidLine(str):
    """The error message standing in for a record that did not parse."""


def read_jsonl(lines: Iterable[str], stem: str, origin: str) -> Iterator[RawArticle | Problem]:
    """Yield the articles of a JSON Lines stream, skipping bad lines with their line number."""
    yield from records_of(jsonl_records(lines), stem, origin)


def header_delimiter(text: str) -> str:
    """Return the delimiter the header row uses most: comma, semicolon, tab or bar."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    return max(CSV_DELIMITERS, key=header.count)


def read_csv(text: str, stem: str, origin: str) -> Iterator[RawArticle | Problem]:
    """Yield the articles of a CSV file with a header row naming its columns."""
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=header_delimiter(text))
    try:
        columns = [c for c in reader.fieldnames or [] if c]
    except csv.Error as err:
        raise InputError(f"malformed CSV header: {err}") from None
    if not set(TEXT_KEYS) & set(columns):
        raise InputError(f"no text column: expected one of {', '.join(TEXT_KEYS)}; found {', '.join(columns) or 'no header'}")
    try:
        rows = [(f"line {reader.line_num}", row) for row in reader]
    except csv.Error as err:
        raise InputError(f"malformed CSV near line {reader.line_num}: {err}") from None
    yield from records_of(rows, stem, origin)
