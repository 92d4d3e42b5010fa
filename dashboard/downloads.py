"""The filtered events as files to download: CSV and Excel safe for spreadsheets, JSON; each names its filters. No Streamlit here.

The rows are exactly those of ``Store.events(f)`` (the store's own WHERE clause and order) with the columns
``python -m pipeline export`` writes, streamed by DuckDB rather than built in pandas, so that a million events
download without a copy per column. ``csv_bytes(store, f)`` starts with one line naming the filters.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.filters import filter_description
from pipeline.events_table import FORMULA_PREFIXES
from pipeline.store import EXPORT_COLUMNS, EventFilter, Store
from pipeline.store.export import excel_cell
from pipeline.store.reader import where
from pipeline.store.schema import SCHEMAS
from pipeline.store.sql import connection, quoted

FORMATS = {"csv": "text/csv", "json": "application/json", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# Excel holds at most 1,048,576 rows, and openpyxl writes ~20,000 a second: beyond this, offer CSV instead.
MAX_EXCEL_ROWS = 100_000


def header_line(store: Store, f: EventFilter, count: int) -> str:
    """Return what a download holds in one line: the number of events, the filters, the store commit and the time, e.g.
    ``# Eventline export: 12 events; filters: actors: Russia (any role); store commit 3; exported 2026-12-07T18:40:00Z``."""
    manifest = store.manifest()
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    commit = manifest.generation if manifest else 0
    return f"# Eventline export: {count:,} events; filters: {filter_description(f)}; store commit {commit}; exported {stamp}"


def export_column(name: str, spreadsheet: bool) -> str:
    """Return the SELECT expression of one export column: NaN as empty, and for spreadsheets a text starting like a formula quoted."""
    kind = SCHEMAS["events"].field(name).type
    if kind == pa.float64():
        return f"CASE WHEN isnan({name}) THEN NULL ELSE {name} END AS {name}"
    if kind == pa.string() and spreadsheet:
        prefixes = ", ".join(quoted(p) for p in FORMULA_PREFIXES)
        return f"CASE WHEN left({name}, 1) IN ({prefixes}) THEN '''' || {name} ELSE {name} END AS {name}"
    return name


def export_relation(con: duckdb.DuckDBPyConnection, store: Store, f: EventFilter, spreadsheet: bool) -> duckdb.DuckDBPyRelation:
    """Return the kept events with the export's columns, by date, as a DuckDB relation (nothing read yet)."""
    clause, params = where(f)
    columns = ", ".join(export_column(c, spreadsheet) for c in EXPORT_COLUMNS)
    sql = f"SELECT {columns} FROM events {clause} ORDER BY date_start NULLS LAST, event_id"
    return con.sql(store.tables_sql(sql, store.manifest()), params=params or None)


def event_count(store: Store, f: EventFilter) -> int:
    """Return how many events a download under this filter holds."""
    clause, params = where(f)
    return int(store.query(f"SELECT count(*) AS n FROM events {clause}", params)["n"].iloc[0])


def csv_bytes(store: Store, f: EventFilter) -> bytes:
    """Return the kept events as CSV: a first line naming the filters (one quoted cell), then the header row and the events."""
    con = connection()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        export_relation(con, store, f, spreadsheet=True).write_csv(str(path), header=True)
        body = path.read_bytes()
    first = io.StringIO()
    csv.writer(first, lineterminator="\n").writerow([header_line(store, f, event_count(store, f))])
    return first.getvalue().encode("utf-8") + body


def json_bytes(store: Store, f: EventFilter) -> bytes:
    """Return ``{"export": {what, filters...}, "events": [...]}`` with the kept events as records."""
    con = connection()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.json"
        events = export_relation(con, store, f, spreadsheet=False)  # noqa: F841 - named in the COPY below
        con.sql(f"COPY (FROM events) TO {quoted(str(path))} (FORMAT json, ARRAY true)")
        body = path.read_bytes()
    count = event_count(store, f)
    about = {"description": header_line(store, f, count)[2:], "filters": filter_fields(f), "events": count}
    return b'{"export": ' + json.dumps(about, ensure_ascii=False).encode("utf-8") + b', "events": ' + (body.strip() or b"[]") + b"}\n"


def filter_fields(f: EventFilter) -> dict[str, object]:
    """Return a filter's fields as JSON values (dates as ISO text)."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else list(v) if isinstance(v, tuple) else v) for k, v in vars(f).items()}


def xlsx_bytes(store: Store, f: EventFilter) -> bytes:
    """Return the kept events as an Excel workbook: sheet ``events`` (spreadsheet-safe) and sheet ``filters``; at most
    ``MAX_EXCEL_ROWS`` events (raise ValueError beyond: download CSV instead)."""
    count = event_count(store, f)
    if count > MAX_EXCEL_ROWS:
        raise ValueError(f"{count:,} events are too many for Excel here (at most {MAX_EXCEL_ROWS:,}); download CSV instead")
    events = export_relation(connection(), store, f, spreadsheet=False).df()
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        events.map(excel_cell).to_excel(writer, index=False, sheet_name="events")
        pd.DataFrame({"export": [excel_cell(header_line(store, f, count))]}).to_excel(writer, index=False, sheet_name="filters")
    return out.getvalue()


def download_bytes(store: Store, f: EventFilter, fmt: str) -> bytes:
    """Return the kept events as ``csv``, ``json`` or ``xlsx``."""
    return {"csv": csv_bytes, "json": json_bytes, "xlsx": xlsx_bytes}[fmt](store, f)
