"""Where the dashboard's queries run: an in-memory DuckDB copy of the events' query columns, else the store's Parquet files.

Every view query is SQL over ``sel``, the events a filter keeps (``EventSource.selected(f, "SELECT count(*) FROM sel")``),
``sel_actors`` (one row per kept event and actor taking part: ``actor``, ``rid`` and the columns of ``ACTOR_COLUMNS``;
join ``sel`` on ``rid`` for the others) and ``sel_pairs``
(who acts on whom in the kept events: ``source``, ``target``, ``goldstein``). ``EventIndex`` answers from the
Parquet files through ``Store.query`` and the store's own WHERE clause until its in-memory copy is built (in a
background thread, a few seconds for a million events), then from memory: the copy keeps the actors, the actor
pairs, the publishers and a lowered search text as tables keyed by row, so that a filter on a million events joins
row numbers instead of scanning lists and text. The actor and pair tables also carry the columns the other
conditions read, so that those apply to them directly, without joining row numbers, and hold actor names as an ENUM,
which groups and sorts several times faster than text. Both paths keep the same events (tests check it).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import replace
from typing import Protocol

import duckdb
import pandas as pd

from pipeline.store import EventFilter, Store
from pipeline.store.reader import filter_clauses, where
from pipeline.store.sql import connection

log = logging.getLogger(__name__)

# The events' columns the views read (no evidence, titles or URLs: those are read from the store for one event).
SELECTED_COLUMNS = (
    "event_id",
    "date",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "status",
    "goldstein",
    "source_actor",
    "source_kind",
    "target_actor",
    "target_kind",
    "actors",
    "participants",
    "source_country",
    "target_country",
    "location_country",
    "location",
    "latitude",
    "longitude",
    "publishers",
    "publisher",
    "n_articles",
    "confidence",
    "sentence",
    "background",
)
# The event columns each row of ``sel_actors`` carries.
ACTOR_COLUMNS = ("date_start", "date_end", "date_precision", "event_type", "goldstein")
# The columns the store's conditions read, less those the copy looks up (``plain_clauses``): the actor and pair tables
# carry them, so that a filter applies to those tables as to the events, without joining row numbers.
FILTER_COLUMNS = (
    "event_type",
    "status",
    "date_start",
    "date_end",
    "source_actor",
    "source_country",
    "target_country",
    "location_country",
    "n_articles",
    "confidence",
    "background",
)
# Joins the three searched fields in the search text; a needle holding it is searched in the files instead.
FIELD_SEPARATOR = "\x1f"
# DuckDB's memory cap for the in-memory copy and its queries: a million events take ~0.9 GB.
MEMORY_LIMIT = "1500MB"
# Filters and text searches whose rows are kept (each a table of row numbers: 8 MB for a million events).
ROWS_KEPT = 48
# The ENUM types of the actor and pair tables' text columns, each with the values it takes in the copied events:
# grouping, sorting and comparing ENUM values is several times faster than text, and they take 1 or 2 bytes, not 16.
ENUM_VALUES = {
    "actor_name": (
        "SELECT unnest(actors) FROM ev UNION ALL SELECT source_actor FROM ev UNION ALL SELECT target_actor FROM ev "
        "UNION ALL SELECT unnest(string_split(participants, ';')) FROM ev"
    ),
    "country_code": "SELECT source_country FROM ev UNION ALL SELECT target_country FROM ev UNION ALL SELECT location_country FROM ev",
    "event_kind": "SELECT event_type FROM ev",
    "event_status": "SELECT status FROM ev",
}
# The ENUM type of each column of the actor and pair tables stored as one.
ENUM_COLUMNS = {
    "actor": "actor_name",
    "source": "actor_name",
    "target": "actor_name",
    "source_actor": "actor_name",
    "source_country": "country_code",
    "target_country": "country_code",
    "location_country": "country_code",
    "event_type": "event_kind",
    "status": "event_status",
}


class EventSource(Protocol):
    """Runs SQL over ``sel``, the events a filter keeps."""

    def selected(self, f: EventFilter, body: str, params: list[object] | None = None) -> pd.DataFrame: ...


def pairs_sql(rows: str, columns: tuple[str, ...] = ()) -> str:
    """Return who acts on whom, as ``Store.actor_edges`` counts it (columns rid, source, target, goldstein and the
    ``columns`` given): source -> target for directed acts, each pair of participants once (names in order) for acts
    among equals. ``rows`` is a relation with the events' columns and ``rid``."""
    extra = "".join(f", {c}" for c in columns)
    return f"""
    SELECT rid, source_actor AS source, target_actor AS target, goldstein{extra} FROM {rows} WHERE target_actor <> ''
    UNION ALL
    SELECT rid, pair.source, pair.target, goldstein{extra} FROM (
        SELECT *, unnest(flatten(list_transform(names, lambda a: list_transform(
            list_filter(names, lambda b: a < b AND a <> '' AND b <> ''), lambda b: {{'source': a, 'target': b}})))) AS pair
        FROM (SELECT *, string_split(participants, ';') AS names FROM {rows} WHERE target_actor = ''))"""


def files_sql(clause: str, body: str) -> str:
    """Return ``body`` preceded by ``sel``, ``sel_actors`` and ``sel_pairs`` over the store's events table."""
    return (
        f"WITH sel AS NOT MATERIALIZED (SELECT {', '.join(SELECTED_COLUMNS)}, event_id AS rid FROM events {clause}),\n"
        f"sel_actors AS NOT MATERIALIZED (SELECT unnest(actors) AS actor, rid, {', '.join(ACTOR_COLUMNS)} FROM sel),\n"
        f"sel_pairs AS NOT MATERIALIZED ({pairs_sql('sel')})\n{body}"
    )


def memory_sql(events_clause: str, rows_clause: str, body: str) -> str:
    """Return ``body`` preceded by ``sel``, ``sel_actors`` and ``sel_pairs`` over the in-memory copy: the events under
    ``events_clause`` and the actor and pair tables under ``rows_clause``, the same conditions (on ``rid`` for ``rowid``)."""
    return (
        f"WITH sel AS NOT MATERIALIZED (SELECT *, rowid AS rid FROM ev {events_clause}),\n"
        f"sel_actors AS NOT MATERIALIZED (SELECT actor, rid, {', '.join(ACTOR_COLUMNS)} FROM actor_rows {rows_clause}),\n"
        f"sel_pairs AS NOT MATERIALIZED (SELECT rid, source, target, goldstein FROM pairs {rows_clause})\n{body}"
    )


def where_sql(clauses: list[str]) -> str:
    """Return a WHERE clause joining conditions ("" for none)."""
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""


def with_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a result with its ENUM columns (pandas categoricals) as text, as the files give them."""
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(frame[column].cat.categories.dtype)
    return frame


class StoreSource:
    """Answers from the store's Parquet files, with the store's own filter clauses."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def selected(self, f: EventFilter, body: str, params: list[object] | None = None) -> pd.DataFrame:
        """Return ``body`` run over the events the filter keeps."""
        clause, where_params = where(f)
        return self.store.query(files_sql(clause, body), [*where_params, *(params or [])])


def plain_clauses(f: EventFilter) -> tuple[list[str], list[object]]:
    """Return the store's own WHERE conditions of a filter, less those the copy looks up (actors in any role, or with
    affiliates, publishers, text)."""
    if f.affiliates or (f.actors and not f.as_source_only):
        f = replace(f, actors=(), affiliates=())
    return filter_clauses(replace(f, publishers=(), text=""))


def affiliation_rows_sql(f: EventFilter, rows: str, column: str) -> tuple[str, list[object]]:
    """Return a SELECT of the row numbers (``rid``) of ``rows`` whose actor ``column`` is one of the filter's actors, or
    one of its affiliates on a day of its affiliation: a hash join to a table of the names and their dates (a list of a
    hundred names tested on every row would take ten times longer)."""
    names = [*f.actors, *(a.name for a in f.affiliates)]
    since = [None] * len(f.actors) + [a.since for a in f.affiliates]
    until = [None] * len(f.actors) + [a.until for a in f.affiliates]
    sql = (
        f"SELECT r.rid FROM {rows} r "
        "JOIN (SELECT unnest(?::VARCHAR[]) AS name, unnest(?::DATE[]) AS since, unnest(?::DATE[]) AS until) a "
        f"ON CAST(r.{column} AS VARCHAR) = a.name "
        "WHERE (a.since IS NULL OR r.date_end >= a.since) AND (a.until IS NULL OR r.date_start <= a.until)"
    )
    return sql, [names, since, until]


def enum_sql(name: str, values: str) -> str:
    """Return the CREATE TYPE of an ENUM holding the values a SELECT returns, in order (as VARCHAR sorts, so that ORDER BY
    over it sorts as over the text)."""
    return f"CREATE TYPE {name} AS ENUM (SELECT DISTINCT value FROM ({values}) AS found(value) WHERE value IS NOT NULL ORDER BY value)"


def typed(column: str) -> str:
    """Return a SELECT item of a column for the actor and pair tables: as its ENUM when ``ENUM_COLUMNS`` names one."""
    return f"{column}::{ENUM_COLUMNS[column]} AS {column}" if column in ENUM_COLUMNS else column


def lookup_sql(f: EventFilter, text_rows: str) -> tuple[str, list[object]]:
    """Return a SELECT of the row numbers of the events with one of the actors (any role; or with affiliates, also as
    source only), one of the publishers and the
    text (``text_rows``: the table of the rows that hold it), each once; "" when the filter names none of them."""
    parts: list[tuple[str, list[object]]] = []
    if f.affiliates:
        rows, column = ("(SELECT rowid AS rid, * FROM ev)", "source_actor") if f.as_source_only else ("actor_rows", "actor")
        parts.append(affiliation_rows_sql(f, rows, column))
    elif f.actors and not f.as_source_only:
        parts.append(("SELECT rid FROM actor_rows WHERE list_contains(?, actor)", [list(f.actors)]))
    if f.publishers:
        parts.append(("SELECT rid FROM publisher_rows WHERE list_contains(?, publisher)", [list(f.publishers)]))
    if text_rows:
        parts.append((f"SELECT rid FROM {text_rows}", []))
    if not parts:
        return "", []
    return " INTERSECT ".join(sql for sql, _ in parts), [v for _, params in parts for v in params]


class EventIndex:
    """The events of one store snapshot, queried from memory once the background copy is built, from the files before."""

    def __init__(self, store: Store, background: bool = True) -> None:
        self.store = store
        self.files = StoreSource(store)
        self.manifest = store.manifest()
        self.con = connection()
        self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        self.ready = threading.Event()
        self.searchable = threading.Event()
        self.build_seconds = 0.0
        self.kept: OrderedDict[str, str] = OrderedDict()
        self.names = itertools.count(1)
        self.lock = threading.Lock()
        self.started = time.monotonic()
        if background:
            threading.Thread(target=self.build, name="eventline-index", daemon=True).start()
        else:
            self.build()

    def source_sql(self, columns: str) -> str:
        """Return a SELECT of the snapshot's events over its Parquet files."""
        return self.store.tables_sql(f"SELECT {columns} FROM events", self.manifest)

    def build(self) -> None:
        """Copy the query columns to memory, index actors, publishers and actor pairs, then build the search text."""
        cursor = self.con.cursor()
        try:
            cursor.execute("SET threads = 1")  # leave a core to the page that is drawn meanwhile
            cursor.execute(f"CREATE TABLE ev AS {self.source_sql(', '.join(SELECTED_COLUMNS))}")
            for name, values in ENUM_VALUES.items():
                cursor.execute(enum_sql(name, values))
            cursor.execute(f"CREATE TABLE actor_rows AS {self.actor_rows_sql()}")
            cursor.execute("CREATE TABLE publisher_rows AS SELECT unnest(publishers) AS publisher, rowid AS rid FROM ev")
            cursor.execute(f"CREATE TABLE pairs AS {self.pairs_table_sql()}")
            self.ready.set()
            text = " || chr(31) || ".join(f"lower(coalesce({c}, ''))" for c in ("sentence", "article_title", "evidence"))
            found = f"SELECT event_id, {text} AS text FROM ({self.source_sql('*')})"
            cursor.execute(f"CREATE TABLE search AS SELECT e.rowid AS rid, f.text FROM ({found}) f JOIN ev e USING (event_id)")
            cursor.execute("RESET threads")
            self.build_seconds = time.monotonic() - self.started
            self.searchable.set()
        except duckdb.Error as err:
            log.warning("the in-memory copy of %s failed (%s); queries read the files", self.store.path, err)
        finally:
            cursor.close()
            self.build_seconds = self.build_seconds or time.monotonic() - self.started
            log.info("in-memory copy of %s built in %.1f s", self.store.path, self.build_seconds)

    @staticmethod
    def actor_rows_sql() -> str:
        """Return a SELECT of one row per copied event and actor taking part, with the columns of ``ACTOR_COLUMNS`` and
        ``FILTER_COLUMNS`` (not sorted by name: a lookup of a few names scans 1.6 million ENUM values in milliseconds,
        and the sort would delay the copy by half a second)."""
        columns = ", ".join(typed(c) for c in ("actor", "rid", *dict.fromkeys((*ACTOR_COLUMNS, *FILTER_COLUMNS))))
        return f"SELECT {columns} FROM (SELECT unnest(actors) AS actor, rowid AS rid, * EXCLUDE (actors) FROM ev)"

    @staticmethod
    def pairs_table_sql() -> str:
        """Return a SELECT of who acts on whom in the copied events (``pairs_sql``), with the columns of ``FILTER_COLUMNS``."""
        pairs = pairs_sql("(SELECT *, rowid AS rid FROM ev)", FILTER_COLUMNS)
        columns = ", ".join(typed(c) for c in ("rid", "source", "target", "goldstein", *FILTER_COLUMNS))
        return f"SELECT {columns} FROM ({pairs})"

    def in_memory(self, f: EventFilter) -> bool:
        """Return True when the copy can answer this filter."""
        if not self.ready.is_set():
            return False
        return not f.text.strip() or (self.searchable.is_set() and FIELD_SEPARATOR not in f.text)

    def kept_rows(self, key: str, sql: str, params: list[object], all_is_none: bool = False) -> str:
        """Return the name of a table of row numbers (column ``rid``) made by ``sql`` on first use and kept for the
        ``ROWS_KEPT`` keys asked last; with ``all_is_none``, "" when it holds every row (it then filters nothing)."""
        with self.lock:
            if key in self.kept:
                self.kept.move_to_end(key)
                return self.kept[key]
            name = f"rows_{next(self.names)}"
            cursor = self.con.cursor()
            try:
                cursor.execute(f"CREATE TABLE {name} AS {sql}", params)
                if all_is_none and self.covers_all(cursor, name):
                    cursor.execute(f"DROP TABLE {name}")
                    name = ""
                self.kept[key] = name
                while len(self.kept) > ROWS_KEPT:
                    dropped = self.kept.popitem(last=False)[1]
                    if dropped:
                        cursor.execute(f"DROP TABLE IF EXISTS {dropped}")
            finally:
                cursor.close()
            return name

    @staticmethod
    def covers_all(cursor: duckdb.DuckDBPyConnection, name: str) -> bool:
        """Return True when a table of row numbers names every event."""
        found, total = cursor.execute(f"SELECT (SELECT count(*) FROM {name}), (SELECT count(*) FROM ev)").fetchone() or (0, 0)
        return bool(found == total)

    def text_rows(self, text: str) -> str:
        """Return the table of the rows whose search text holds ``text`` (lowered); "" when every event holds it."""
        needle = text.strip().lower()
        return self.kept_rows(f"text:{needle}", "SELECT rid FROM search WHERE contains(text, ?)", [needle], all_is_none=True)

    def filter_clauses(self, f: EventFilter) -> tuple[str, str, list[object]]:
        """Return the WHERE clauses of a filter over the copied events and over the actor and pair tables, and the
        parameters of one: the plain conditions, and the rows of the looked-up ones (actors, publishers, text) from a
        table made once per filter."""
        clauses, params = plain_clauses(f)
        lookup, lookup_params = lookup_sql(f, self.text_rows(f.text) if f.text.strip() else "")
        rows = self.kept_rows(f"rows:{lookup}:{lookup_params!r}", lookup, lookup_params, all_is_none=True) if lookup else ""
        if not rows:
            return where_sql(clauses), where_sql(clauses), params
        kept = f"IN (SELECT rid FROM {rows})"
        return where_sql([f"rowid {kept}", *clauses]), where_sql([f"rid {kept}", *clauses]), params

    def selected(self, f: EventFilter, body: str, params: list[object] | None = None) -> pd.DataFrame:
        """Return ``body`` run over the events the filter keeps, from memory when the copy is ready."""
        if not self.in_memory(f):
            return self.files.selected(f, body, params)
        cursor = self.con.cursor()
        try:
            events_clause, rows_clause, where_params = self.filter_clauses(f)
            sql = memory_sql(events_clause, rows_clause, body)
            return with_text(cursor.execute(sql, [*where_params * 3, *(params or [])]).df())
        except duckdb.CatalogException:  # the filter's rows were dropped meanwhile for another session's filters
            return self.files.selected(f, body, params)
        finally:
            cursor.close()

    def wait(self, timeout: float = 120.0) -> bool:
        """Wait until the copy (search text included) is built; return True when it is."""
        return self.searchable.wait(timeout)
