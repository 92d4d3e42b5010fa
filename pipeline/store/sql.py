"""DuckDB over the store's Parquet files: each query names the part files of one manifest, so it reads one snapshot."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.store.files import Manifest
from pipeline.store.schema import SCHEMAS, TABLES

DUCKDB_TYPES = {
    pa.string(): "VARCHAR",
    pa.float64(): "DOUBLE",
    pa.int32(): "INTEGER",
    pa.list_(pa.string()): "VARCHAR[]",
    pa.date32(): "DATE",
}


def quoted(text: str) -> str:
    """Return a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def empty_relation(table: str) -> str:
    """Return a SELECT with a table's columns and types and no rows (a table without part files yet)."""
    columns = ", ".join(f"CAST(NULL AS {DUCKDB_TYPES[f.type]}) AS {f.name}" for f in SCHEMAS[table])
    return f"SELECT {columns} WHERE false"


def table_relation(store: Path, manifest: Manifest | None, table: str) -> str:
    """Return a SELECT of every row of a table in the manifest's snapshot."""
    files = manifest.files(table) if manifest else ()
    if not files:
        return empty_relation(table)
    return "SELECT * FROM read_parquet([" + ", ".join(quoted(str(store / f)) for f in files) + "])"


def with_tables(store: Path, manifest: Manifest | None, sql: str, events: str = "") -> str:
    """Return a query (which may start with its own WITH) with the tables ``articles``, ``mentions``, ``events`` over the
    snapshot; ``events``, when given, is the SELECT the events table stands for (the events as read, see ``reader``)."""
    relations = {name: table_relation(store, manifest, name) for name in TABLES} | ({"events": events} if events else {})
    ctes = ",\n".join(f"{name} AS NOT MATERIALIZED ({relation})" for name, relation in relations.items())
    body = sql.strip()
    if body[:5].upper() == "WITH ":
        return f"WITH {ctes},\n{body[5:]}"
    return f"WITH {ctes}\n{body}"


def connection() -> duckdb.DuckDBPyConnection:
    """Return an in-memory DuckDB connection that caches Parquet metadata between queries."""
    con = duckdb.connect(":memory:")
    con.execute("SET enable_object_cache = true")
    return con
