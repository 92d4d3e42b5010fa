"""Analysts' corrections of stored events, kept beside the store in ``corrections.jsonl`` (append-only) and applied
whenever the store is read, so that re-ingesting articles or merging the events again (``migrate``) keeps them.

A correction names its event by the event's id and by the ids of the mentions merged into it. An event's id is a hash of
its first report's mention id (``merge.merged_event_id``): it changes when an earlier report of the act joins it, and the
correction then follows the event holding any of its mentions. A mention's id is a hash of its article's id, its type,
actors, date and sentence number (``events.event_id``): it stays while the same text is read by the same extraction; a
correction of an event whose mentions all changed (the extractor now finds another act) applies to nothing.
``Correction("evt-1a2b…", ("ev-3c4d…",), "status", "denied", "2026-12-08T02:00:00Z")`` makes that event denied.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from pipeline.store.files import StoreError, committed, read_manifest, write_lock
from pipeline.store.merge import STATUS_ORDER
from pipeline.store.spans import stated_span

log = logging.getLogger(__name__)

CORRECTIONS_FILE = "corrections.jsonl"
# What a correction may set: ``wrong`` ("true": not a real act, left out of every view and export; "false" restores it)
# and the event's type, status, actors and date.
FIELDS = ("wrong", "event_type", "status", "source_actor", "target_actor", "date")
# A corrected date: a day, a month or a year.
DATE_PRECISIONS = (("day", re.compile(r"\d{4}-\d{2}-\d{2}")), ("month", re.compile(r"\d{4}-\d{2}")), ("year", re.compile(r"\d{4}")))
# The columns of a corrected event the store's reading replaces (``overlay_sql``), with their DuckDB types.
OVERLAY_COLUMNS = (
    ("event_type", "VARCHAR"),
    ("status", "VARCHAR"),
    ("source_actor", "VARCHAR"),
    ("target_actor", "VARCHAR"),
    ("participants", "VARCHAR"),
    ("actors", "VARCHAR[]"),
    ("date", "VARCHAR"),
    ("date_precision", "VARCHAR"),
    ("date_start", "DATE"),
    ("date_end", "DATE"),
)
# The stored columns a correction is worked out from.
BASE_COLUMNS = ("event_id", "mention_ids", "event_type", "status", "source_actor", "target_actor", "participants", "date", "date_precision")


@dataclass(frozen=True)
class Correction:
    """One field of one event set by an analyst (``field`` one of ``FIELDS``), when (``made``, ISO 8601 UTC) and why."""

    event_id: str
    mention_ids: tuple[str, ...]
    field: str
    value: str
    made: str
    note: str = ""


def changed_fields(event: Mapping[str, object], given: Mapping[str, str], made: str, note: str = "") -> list[Correction]:
    """Return a correction for each of the event's fields (``FIELDS`` but ``wrong``) whose value ``given`` changes, e.g.
    ``changed_fields(event, {"status": "denied"}, made)`` when the event occurred."""
    return [
        Correction(str(event["event_id"]), tuple(mention_ids(event)), name, given[name].strip(), made, note)
        for name in FIELDS[1:]
        if name in given and given[name].strip() != str(event[name] or "")
    ]


def date_precision_of(value: str) -> str:
    """Return the precision of a corrected date (``2023-03`` is ``month``), "" when it is not a valid day, month or year."""
    precision = next((p for p, pattern in DATE_PRECISIONS if pattern.fullmatch(value)), "")
    return precision if precision and stated_span(value, precision) else ""


def correction_problem(item: Correction) -> str:
    """Return what is wrong with a correction ("" when nothing): an unknown field, status, flag or date."""
    if item.field not in FIELDS:
        return f"cannot correct {item.field!r}: one of {', '.join(FIELDS)}"
    if item.field == "wrong" and item.value not in ("true", "false"):
        return f"wrong is 'true' or 'false', not {item.value!r}"
    if item.field == "status" and item.value not in STATUS_ORDER:
        return f"status is one of {', '.join(STATUS_ORDER)}, not {item.value!r}"
    if item.field == "date" and not date_precision_of(item.value):
        return f"a date is YYYY-MM-DD, YYYY-MM or YYYY, not {item.value!r}"
    if item.field == "event_type" and not item.value.strip():
        return "an event type cannot be empty"
    return "" if item.event_id or item.mention_ids else "a correction names its event or its mentions"


def correction_line(item: Correction) -> str:
    """Return a correction as one line of JSON."""
    return json.dumps({**asdict(item), "mention_ids": list(item.mention_ids)}, ensure_ascii=False, sort_keys=True)


def corrections_text(items: Iterable[Correction]) -> str:
    """Return corrections as JSON lines, as the store keeps them and ``python -m pipeline corrections apply`` reads them."""
    return "".join(correction_line(item) + "\n" for item in items)


def correction_of(record: object) -> Correction:
    """Return the correction a parsed JSON line holds; raise ValueError when it holds none or an invalid one."""
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    try:
        mentions = record.get("mention_ids") or []
        item = Correction(
            str(record["event_id"]),
            tuple(str(m) for m in mentions) if isinstance(mentions, list) else (),
            str(record["field"]),
            str(record["value"]),
            str(record.get("made") or ""),
            str(record.get("note") or ""),
        )
    except KeyError as err:
        raise ValueError(f"no {err.args[0]!r}") from err
    problem = correction_problem(item)
    if problem:
        raise ValueError(problem)
    return item


def corrections_in(text: str) -> tuple[list[Correction], list[str]]:
    """Return the corrections of JSON lines, and a problem per line that is none (``line 3: status is one of …``)."""
    found, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            found.append(correction_of(json.loads(line)))
        except ValueError as err:
            problems.append(f"line {number}: {err}")
    return found, problems


def stored_corrections(store: Path) -> list[Correction]:
    """Return the corrections kept beside a store, in the order made (none when it has no file); bad lines are logged."""
    path = store / CORRECTIONS_FILE
    if not path.exists():
        return []
    found, problems = corrections_in(path.read_text(encoding="utf-8"))
    for problem in problems:
        log.warning("%s %s: skipped", path, problem)
    return found


def corrections_size(store: Path) -> int:
    """Return the size of the store's corrections file (0 when there is none): it grows with every correction added."""
    path = store / CORRECTIONS_FILE
    return path.stat().st_size if path.exists() else 0


def add_corrections(store: Path, items: Iterable[Correction], lock_timeout: float) -> int:
    """Append the corrections the store does not hold yet (an identical one is kept once, so applying a file again
    changes nothing) and make a commit, so that readers and caches see them; return how many were added. Raise
    ValueError for an invalid correction (nothing added), StoreError when there is no store."""
    items = list(items)
    for item in items:
        if problem := correction_problem(item):
            raise ValueError(problem)
    with write_lock(store, lock_timeout):
        manifest = read_manifest(store)
        if manifest is None:
            raise StoreError(f"there is no store at {store} to correct")
        held = set(stored_corrections(store))
        new = [item for item in dict.fromkeys(items) if item not in held]
        if new:
            with open(store / CORRECTIONS_FILE, "a", encoding="utf-8") as out:
                out.write(corrections_text(new))
            committed(store, manifest, manifest.tables)
    return len(new)


def targets(item: Correction, events: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """Return the events a correction applies to: the one of its id, else those holding any of its mentions."""
    same = [e for e in events if e["event_id"] == item.event_id]
    return same or [e for e in events if set(item.mention_ids) & set(mention_ids(e))]


def mention_ids(event: Mapping[str, object]) -> list[str]:
    """Return the ids of the mentions merged into an event row."""
    ids = event["mention_ids"]
    return [str(i) for i in ids] if isinstance(ids, list | tuple) else []


def corrected_events(events: Sequence[dict[str, object]], items: Sequence[Correction]) -> list[dict[str, object]]:
    """Return the events corrections apply to (rows of ``BASE_COLUMNS``) with their corrected ``OVERLAY_COLUMNS`` and
    ``wrong``; corrections apply in the order made, the last of a field winning."""
    fixed: dict[str, dict[str, object]] = {}
    for item in items:
        for event in targets(item, events):
            row = fixed.setdefault(str(event["event_id"]), {**event, "wrong": False})
            set_field(row, item)
    return [with_spans(row) for row in fixed.values()]


def set_field(row: dict[str, object], item: Correction) -> None:
    """Set one corrected field of an event row; a new actor takes the old one's place among the participants."""
    if item.field == "wrong":
        row["wrong"] = item.value == "true"
    elif item.field in ("source_actor", "target_actor"):
        old = str(row[item.field])
        names = [item.value if n == old and old else n for n in str(row["participants"]).split(";") if n]
        row["participants"] = ";".join(dict.fromkeys(names))
        row[item.field] = item.value
    elif item.field == "date":
        row["date"], row["date_precision"] = item.value, date_precision_of(item.value)
    else:
        row[item.field] = item.value


def with_spans(row: dict[str, object]) -> dict[str, object]:
    """Return a corrected event row with the days its date covers and its actors in any role worked out again."""
    span = stated_span(str(row["date"]), str(row["date_precision"]))
    names = {n for n in str(row["participants"]).split(";") if n} | {str(row["source_actor"]), str(row["target_actor"])}
    return {**row, "date_start": span.start if span else None, "date_end": span.end if span else None, "actors": sorted(names - {""})}


def sql_value(value: object, kind: str) -> str:
    """Return a value as a typed SQL literal."""
    if value is None:
        return f"CAST(NULL AS {kind})"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, list):
        return "[" + ", ".join(sql_value(v, "VARCHAR") for v in value) + "]::VARCHAR[]"
    return "'" + str(value).replace("'", "''") + "'"


def values_sql(row: dict[str, object]) -> str:
    """Return one corrected event as the values of a row of ``overlay_sql``'s table: its id, ``OVERLAY_COLUMNS``, ``wrong``."""
    columns = [sql_value(row["event_id"], "VARCHAR"), *(sql_value(row[c], kind) for c, kind in OVERLAY_COLUMNS)]
    return ", ".join([*columns, str(bool(row["wrong"]))])


def overlay_sql(events: str, rows: Sequence[dict[str, object]]) -> str:
    """Return a SELECT of the events of ``events`` (a relation) with the corrected rows' values in place, without the
    events flagged wrong: the uncorrected events as they are (so that a filter still reaches the Parquet scan), then the
    corrected ones."""
    if not rows:
        return events
    names = ", ".join(["corrected_id", *(c for c, _ in OVERLAY_COLUMNS), "wrong"])
    values = ", ".join(f"({values_sql(row)})" for row in rows)
    ids = sql_value([str(row["event_id"]) for row in rows], "VARCHAR[]")
    replaced = ", ".join(f"c.{c} AS {c}" for c, _ in OVERLAY_COLUMNS)
    return (
        f"SELECT * FROM ({events}) ANTI JOIN (SELECT unnest({ids}) AS event_id) USING (event_id) UNION ALL "
        f"SELECT e.* REPLACE ({replaced}) FROM ({events}) e JOIN (VALUES {values}) c({names}) ON e.event_id = c.corrected_id "
        "WHERE NOT c.wrong"
    )
