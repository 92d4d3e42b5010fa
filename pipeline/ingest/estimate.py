"""How many articles the inputs of a run hold, about: the total a progress bar counts towards, found without reading them.

A text, Markdown or HTML file (and a gzip file) holds one article, a URL one page; a JSON Lines file one per line, a CSV
file one per row (its header aside); a JSON file one per text field; a feed one per item or entry. Counting reads only
the files of the record formats, about as fast as hashing them (CSV rows are parsed: cells run over several lines).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterable

from pipeline.ingest import InputFile, file_format
from pipeline.ingest.tabular import TEXT_KEYS, header_delimiter
from pipeline.records import Problem

TEXT_FIELD = re.compile(rb'"(?:' + b"|".join(re.escape(k.encode()) for k in TEXT_KEYS) + rb')"\s*:')
FEED_ENTRY = re.compile(rb"<(?:item|entry)[\s>]")


def estimated_articles(sources: Iterable[str | InputFile | Problem]) -> int:
    """Return about how many articles expanded inputs hold (``pipeline.ingest.expand_sources``; problems hold none)."""
    return sum(articles_in(s) for s in sources if not isinstance(s, Problem))


def articles_in(source: str | InputFile) -> int:
    """Return about how many articles one URL or file holds (at least one; one for a file that cannot be read)."""
    fmt = "" if isinstance(source, str) or source.path.suffix.lower() == ".gz" else file_format(source.path)
    if fmt not in {"jsonl", "csv", "json", "feed"}:
        return 1
    try:
        data = source.path.read_bytes()  # type: ignore[union-attr]
    except OSError:
        return 1
    return max(1, records_in(data, fmt))


def records_in(data: bytes, fmt: str) -> int:
    """Return the number of records the bytes of a record format seem to hold."""
    if fmt == "jsonl":
        return sum(1 for line in data.split(b"\n") if line.strip())
    if fmt == "csv":
        text = data.decode("utf-8", errors="replace")
        with contextlib.suppress(csv.Error):
            return sum(1 for row in csv.reader(io.StringIO(text, newline=""), delimiter=header_delimiter(text)) if row) - 1
        return sum(1 for line in data.split(b"\n") if line.strip()) - 1
    if fmt == "json":
        return len(TEXT_FIELD.findall(data))
    return len(FEED_ENTRY.findall(data))
