"""The events table: one row per event, columns derived from the ``Event`` record."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

# Cells that a spreadsheet would run as a formula start with one of these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Event:
    """One event as the events table shows it."""

    event_id: str
    date: str
    date_precision: str
    date_text: str
    event_type: str
    cameo_root: str
    plover: str
    goldstein: float
    status: str
    source_actor: str
    source_kind: str
    source_country: str
    target_actor: str
    target_kind: str
    target_country: str
    participants: str
    location: str
    location_country: str
    latitude: float | None
    longitude: float | None
    sentence: str
    trigger: str
    article_id: str
    article_title: str
    article_url: str
    publisher: str
    published: str
    confidence: float
    source_text: str = ""
    target_text: str = ""
    evidence: str = "[]"  # JSON list: every sentence that reports the act, with trigger and actor spans


COLUMNS = tuple(f.name for f in fields(Event))


def spreadsheet_safe(value: object) -> object:
    """Return a cell value that no spreadsheet runs as a formula: ``"=1+1"`` becomes ``"'=1+1"``."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_events(events: Iterable[Event], path: str | Path) -> int:
    """Write events as a spreadsheet-safe CSV with a header row; return the number of rows."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for event in events:
            writer.writerow({k: spreadsheet_safe(v) for k, v in asdict(event).items()})
            count += 1
    return count
