"""Write events to a file a person opens: CSV and Excel made safe for spreadsheets, JSON, Parquet."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from pipeline.events_table import spreadsheet_safe
from pipeline.store.reader import StoreSummary

FORMATS = ("csv", "json", "parquet", "xlsx")
# Excel refuses longer cells; merged evidence of a much-reported act can exceed it.
EXCEL_MAX_CELL = 32_767
# Control characters Excel's XML cannot hold (openpyxl refuses them).
EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def format_of(path: str, given: str | None) -> str:
    """Return the export format: the one given, else the output's suffix when it names one, else csv."""
    if given:
        return given
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "csv"


def excel_cell(value: object) -> object:
    """Return a cell Excel takes as text: safe from formulas, without control characters, within its length."""
    value = spreadsheet_safe(value)
    if isinstance(value, str):
        value = EXCEL_ILLEGAL.sub(" ", value)
        return value if len(value) <= EXCEL_MAX_CELL else value[: EXCEL_MAX_CELL - 1] + "…"
    return value


def xlsx_bytes(events: pd.DataFrame) -> bytes:
    """Return events as an Excel workbook (spreadsheet-safe), built in memory to be written in one go: on a full disk, a
    workbook written straight to its file failed twice, the second time with a traceback when its zip archive was collected."""
    buffer = io.BytesIO()
    events.map(excel_cell).to_excel(buffer, index=False, sheet_name="events", engine="openpyxl")
    return buffer.getvalue()


def write_export(events: pd.DataFrame, path: str, fmt: str) -> None:
    """Write events as ``csv`` (spreadsheet-safe), ``json`` (a list of records), ``parquet`` or ``xlsx`` (spreadsheet-safe)."""
    if fmt == "csv":
        events.map(spreadsheet_safe).to_csv(path, index=False)
    elif fmt == "json":
        events.to_json(path, orient="records", force_ascii=False, indent=1)
    elif fmt == "parquet":
        events.to_parquet(path, index=False)
    elif fmt == "xlsx":
        Path(path).write_bytes(xlsx_bytes(events))
    else:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def summary_text(summary: StoreSummary, store: Path) -> str:
    """Return the store's figures as lines of text for ``python -m pipeline stats``."""
    dates = f"{summary.first_date} .. {summary.last_date}" if summary.first_date else "none"
    lines = [
        f"store       {store} (commit {summary.generation})",
        f"articles    {summary.articles:,}",
        f"mentions    {summary.mentions:,}",
        f"events      {summary.events:,}",
        f"dates       {dates}",
        "top actors  " + ("; ".join(f"{name} ({count:,})" for name, count in summary.top_actors) or "none"),
    ]
    return "\n".join(lines) + "\n"
