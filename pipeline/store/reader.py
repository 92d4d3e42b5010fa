"""Read the store: events by filter, and the aggregates a dashboard draws, as DuckDB SQL over the Parquet files.

``open_store("data/store").events(EventFilter(actors=("Russia",), since=date(2023, 3, 1)))`` returns a
DataFrame. Each call reads the manifest afresh, so it sees the store as the last finished commit left it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from pipeline.records import one_line
from pipeline.store.corrections import BASE_COLUMNS, Correction, corrected_events, corrections_size, overlay_sql, stored_corrections
from pipeline.store.files import Manifest, checked_manifest
from pipeline.store.schema import ARTICLE_COLUMNS, BACKGROUND_SQL, EXPORT_COLUMNS, MENTION_COLUMNS
from pipeline.store.sql import connection, table_relation, with_tables

PERIODS = ("day", "week", "month", "year")
# An event counts in a per-period count only when its date is at least that precise: a month-dated event has no day.
PERIOD_PRECISIONS = {"day": ("day",), "week": ("day", "week"), "month": ("day", "week", "month"), "year": ("day", "week", "month", "year")}
ROLES = ("any", "source", "target")
# The columns of a list of events: the export's, without the evidence JSON (the widest column, read per event with ``evidence``).
TABLE_COLUMNS = tuple(c for c in EXPORT_COLUMNS if c != "evidence")


@dataclass(frozen=True)
class Affiliate:
    """An actor whose acts count as another's while the affiliation lasts (both days inclusive; None is open): NATO's
    secretary general ``Affiliate("Jens Stoltenberg", date(2014, 10, 1), date(2024, 10, 1))``, a body of the EU."""

    name: str
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class EventFilter:
    """Which events a query keeps; every field left at its default keeps all.

    ``actors``: events any of these take part in (only as source with ``as_source_only``); ``countries``:
    ISO alpha-3 codes of the source, target or place; ``since``/``until``: events whose date may fall in the
    range (a month-dated event overlaps any day of its month); ``publishers``: reported by any of these;
    ``text``: words found (case-insensitively) in the sentence, the title or any evidence; ``affiliates``: also the
    events these take part in (only as source with ``as_source_only``) whose dates overlap their affiliation;
    ``background``: False leaves out the background events (dated well before their first report, ``BACKGROUND_DAYS``).
    """

    actors: tuple[str, ...] = ()
    as_source_only: bool = False
    countries: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    publishers: tuple[str, ...] = ()
    min_articles: int = 0
    min_confidence: float = 0.0
    text: str = ""
    affiliates: tuple[Affiliate, ...] = ()
    background: bool = True


def actors_clause(f: EventFilter) -> tuple[str, list[object]]:
    """Return the condition on ``events`` that keeps the events of the filter's actors (only as source with
    ``as_source_only``), and of its affiliates on the days of their affiliation, with its parameters. Affiliates are
    joined by name to a table of their dates (a list of a hundred names tested on every event takes ten times longer)."""
    if not f.affiliates:
        return ("list_contains(?, source_actor)" if f.as_source_only else "list_has_any(actors, ?)"), [list(f.actors)]
    names = [*f.actors, *(a.name for a in f.affiliates)]
    since = [None] * len(f.actors) + [a.since for a in f.affiliates]
    until = [None] * len(f.actors) + [a.until for a in f.affiliates]
    named = "source_actor" if f.as_source_only else "unnest(actors)"
    sql = (
        f"event_id IN (SELECT r.event_id FROM (SELECT event_id, {named} AS name, date_start, date_end FROM events) r "
        "JOIN (SELECT unnest(?::VARCHAR[]) AS name, unnest(?::DATE[]) AS since, unnest(?::DATE[]) AS until) a ON r.name = a.name "
        "WHERE (a.since IS NULL OR r.date_end >= a.since) AND (a.until IS NULL OR r.date_start <= a.until))"
    )
    return sql, [names, since, until]


def filter_clauses(f: EventFilter) -> tuple[list[str], list[object]]:
    """Return the WHERE conditions of a filter and their parameters."""
    parts: list[tuple[str, list[object]]] = []
    if f.actors or f.affiliates:
        parts.append(actors_clause(f))
    if f.countries:
        parts.append(
            (
                "(list_contains(?, source_country) OR list_contains(?, target_country) OR list_contains(?, location_country))",
                [list(f.countries)] * 3,
            )
        )
    if f.types:
        parts.append(("list_contains(?, event_type)", [list(f.types)]))
    if f.statuses:
        parts.append(("list_contains(?, status)", [list(f.statuses)]))
    if f.since:
        parts.append(("date_end >= ?", [f.since]))
    if f.until:
        parts.append(("date_start <= ?", [f.until]))
    if f.publishers:
        parts.append(("list_has_any(publishers, ?)", [list(f.publishers)]))
    if f.min_articles:
        parts.append(("n_articles >= ?", [f.min_articles]))
    if f.min_confidence:
        parts.append(("confidence >= ?", [f.min_confidence]))
    if f.text.strip():
        needle = f.text.strip().lower()
        parts.append(("(contains(lower(sentence), ?) OR contains(lower(article_title), ?) OR contains(lower(evidence), ?))", [needle] * 3))
    if not f.background:
        parts.append(("NOT background", []))
    return [p[0] for p in parts], [v for p in parts for v in p[1]]


def where(f: EventFilter, extra: str = "") -> tuple[str, list[object]]:
    """Return a WHERE clause (empty when nothing is filtered) with its parameters."""
    clauses, params = filter_clauses(f)
    clauses += [extra] if extra else []
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def columns_sql(columns: tuple[str, ...]) -> str:
    """Return a SELECT list of column names."""
    return ", ".join(columns)


@dataclass(frozen=True)
class StoreSummary:
    """The store in figures."""

    articles: int
    mentions: int
    events: int
    first_date: date | None
    last_date: date | None
    top_actors: tuple[tuple[str, int], ...]
    generation: int


class Store:
    """A read-only view of a store folder. Safe to share between threads; each query is one consistent snapshot."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        checked_manifest(self.path)
        self._con = connection()
        self._lock = threading.Lock()
        self._corrected: dict[tuple[int, int], list[dict[str, object]]] = {}

    def manifest(self) -> Manifest | None:
        """Return the store's manifest as it is now (None when nothing was stored yet)."""
        return checked_manifest(self.path)

    def tables_sql(self, sql: str, manifest: Manifest | None) -> str:
        """Return SQL over the tables ``articles``, ``mentions`` and ``events`` of a snapshot, the events as read: with
        ``background`` (``BACKGROUND_SQL``)."""
        return with_tables(self.path, manifest, sql, self.events_relation(manifest))

    def events_relation(self, manifest: Manifest | None) -> str:
        """Return the SELECT of the events as read: the stored rows with the analysts' corrections in place (those flagged
        wrong left out, see ``corrections``) and ``background``."""
        stored = table_relation(self.path, manifest, "events")
        corrected = overlay_sql(stored, self.corrected_events(manifest, stored))
        return f"SELECT *, {BACKGROUND_SQL} AS background FROM ({corrected})"

    def corrected_events(self, manifest: Manifest | None, stored: str) -> list[dict[str, object]]:
        """Return the stored events the store's corrections apply to, corrected: worked out once per commit and
        corrections file (``corrections_targets``), none without corrections."""
        key = (manifest.generation if manifest else 0, corrections_size(self.path))
        if not key[1]:
            return []
        with self._lock:
            if key in self._corrected:
                return self._corrected[key]
            cursor = self._con.cursor()
        items = stored_corrections(self.path)
        try:
            rows = corrections_targets(cursor, stored, items)
        finally:
            cursor.close()
        fixed = corrected_events(rows, items)
        with self._lock:
            self._corrected = {key: fixed}
        return fixed

    def query(self, sql: str, params: Sequence[object] | None = None) -> pd.DataFrame:
        """Return the result of SQL over the tables ``articles``, ``mentions`` and ``events``, e.g.
        ``store.query("SELECT count(*) AS n FROM events WHERE n_articles > ?", [1])``."""
        with self._lock:
            cursor = self._con.cursor()
        try:
            return cursor.sql(self.tables_sql(sql, self.manifest()), params=list(params) if params else None).df()
        finally:
            cursor.close()

    def events(
        self, filters: EventFilter | None = None, columns: tuple[str, ...] = EXPORT_COLUMNS, limit: int | None = None
    ) -> pd.DataFrame:
        """Return the events a filter keeps, by date, with the export's columns (or those asked for)."""
        clause, params = where(filters or EventFilter())
        tail = f" LIMIT {int(limit)}" if limit is not None else ""
        return self.query(f"SELECT {columns_sql(columns)} FROM events {clause} ORDER BY date_start NULLS LAST, event_id{tail}", params)

    def evidence(self, event_id: str) -> list[dict[str, object]]:
        """Return every sentence that reports an event, with its article, trigger and actor spans (empty for an unknown id)."""
        found = self.query("SELECT evidence FROM events WHERE event_id = ?", [event_id])
        return json.loads(found["evidence"].iloc[0]) if len(found) else []

    def articles(self) -> pd.DataFrame:
        """Return every stored article's metadata, by publication date."""
        return self.query(f"SELECT {columns_sql(ARTICLE_COLUMNS)} FROM articles ORDER BY published, article_id")

    def mentions(self, event_ids: tuple[str, ...] = ()) -> pd.DataFrame:
        """Return the mentions (of the given events, or all), each with the ``event_id`` of the event it was merged into."""
        clause, params = ("WHERE list_contains(?, event_id)", [list(event_ids)]) if event_ids else ("", [])
        members = f"SELECT event_id, unnest(mention_ids) AS mention_id FROM events {clause}"
        sql = (
            f"SELECT e.event_id, {columns_sql(tuple('m.' + c for c in MENTION_COLUMNS))} FROM mentions m "
            f"JOIN ({members}) e USING (mention_id) ORDER BY m.published, m.article_id, m.mention_id"
        )
        return self.query(sql, params)

    def event_counts(self, filters: EventFilter | None = None, period: str = "day") -> pd.DataFrame:
        """Return the number of events per period (``day``, ``week``, ``month``, ``year``) and type: columns period, event_type, events.
        Only events dated at least that precisely count."""
        if period not in PERIODS:
            raise ValueError(f"period must be one of {PERIODS}, not {period!r}")
        precisions = ", ".join(f"'{p}'" for p in PERIOD_PRECISIONS[period])
        clause, params = where(filters or EventFilter(), f"date_precision IN ({precisions})")
        sql = (
            f"SELECT CAST(date_trunc('{period}', date_start) AS DATE) AS period, event_type, count(*) AS events FROM events {clause} "
            "GROUP BY ALL ORDER BY period, event_type"
        )
        return self.query(sql, params)

    def top_actors(self, filters: EventFilter | None = None, role: str = "any", limit: int = 20) -> pd.DataFrame:
        """Return the actors in most events: as source, as target, or in any role (``role``); columns actor, events."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        clause, params = where(filters or EventFilter())
        column = {"any": "unnest(actors)", "source": "source_actor", "target": "target_actor"}[role]
        sql = (
            f"SELECT actor, count(*) AS events FROM (SELECT {column} AS actor FROM events {clause}) WHERE actor <> '' "
            f"GROUP BY actor ORDER BY events DESC, actor LIMIT {int(limit)}"
        )
        return self.query(sql, params)

    def actor_months(self, filters: EventFilter | None = None, actors: tuple[str, ...] = (), limit: int = 10) -> pd.DataFrame:
        """Return events per actor and month for the given actors (default: the ``limit`` most frequent); columns actor, month, events."""
        chosen = list(actors) or self.top_actors(filters, "any", limit)["actor"].tolist()
        clause, params = where(filters or EventFilter())
        sql = (
            "SELECT actor, month, count(*) AS events FROM (SELECT unnest(actors) AS actor, "
            f"CAST(date_trunc('month', date_start) AS DATE) AS month FROM events {clause}) "
            "WHERE list_contains(?, actor) AND month IS NOT NULL GROUP BY ALL ORDER BY actor, month"
        )
        return self.query(sql, [*params, chosen])

    def actor_edges(self, filters: EventFilter | None = None, min_events: int = 1, limit: int = 500) -> pd.DataFrame:
        """Return who acts on whom: columns source, target, events, mean_goldstein. Directed acts give source -> target;
        acts among equals (meetings, calls, agreements) give each pair of their actors once, the names in order."""
        clause, params = where(filters or EventFilter())
        sql = f"""
            WITH chosen AS (SELECT source_actor, target_actor, goldstein, actors FROM events {clause}),
            members AS (SELECT unnest(actors) AS source, actors, goldstein FROM chosen WHERE target_actor = '' AND len(actors) > 1),
            pairs AS (
                SELECT source_actor AS source, target_actor AS target, goldstein FROM chosen WHERE target_actor <> ''
                UNION ALL
                SELECT * FROM (SELECT source, unnest(actors) AS target, goldstein FROM members) WHERE source < target)
            SELECT source, target, count(*) AS events, avg(goldstein) AS mean_goldstein FROM pairs
            GROUP BY source, target HAVING count(*) >= ? ORDER BY events DESC, source, target LIMIT {int(limit)}"""
        return self.query(sql, [*params, min_events])

    def summary(self, top: int = 10) -> StoreSummary:
        """Return the counts of articles, mentions and events, the events' date range and the top actors."""
        row = self.query(
            "SELECT (SELECT count(*) FROM articles) AS a, (SELECT count(*) FROM mentions) AS m, (SELECT count(*) FROM events) AS e, "
            "(SELECT min(date_start) FROM events) AS first, (SELECT max(date_end) FROM events) AS last"
        ).iloc[0]
        actors = self.top_actors(limit=top)
        manifest = self.manifest()
        return StoreSummary(
            int(row["a"]),
            int(row["m"]),
            int(row["e"]),
            as_date(row["first"]),
            as_date(row["last"]),
            tuple(zip(actors["actor"], (int(n) for n in actors["events"]), strict=True)),
            manifest.generation if manifest else 0,
        )


def corrections_targets(cursor: duckdb.DuckDBPyConnection, stored: str, items: Sequence[Correction]) -> list[dict[str, object]]:
    """Return the stored events (``BASE_COLUMNS``) corrections name by id, and for those whose id no event has any more,
    the events holding one of their mentions: two hash joins, not a test of every event's list of mentions."""
    columns = ", ".join(BASE_COLUMNS)
    by_id = f"SELECT {columns} FROM ({stored}) WHERE event_id IN (SELECT unnest(?::VARCHAR[]))"
    rows = records(cursor.sql(by_id, params=[[i.event_id for i in items]]))
    found = {r["event_id"] for r in rows}
    lost = [m for i in items if i.event_id not in found for m in i.mention_ids]
    if not lost:
        return rows
    pairs = f"SELECT event_id, unnest(mention_ids) AS mention_id FROM ({stored})"
    members = f"SELECT event_id FROM ({pairs}) WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))"
    return rows + records(cursor.sql(f"SELECT {columns} FROM ({stored}) WHERE event_id IN ({members})", params=[lost]))


def records(relation: duckdb.DuckDBPyRelation) -> list[dict[str, object]]:
    """Return a query's rows as dicts (lists as lists)."""
    return [dict(zip(relation.columns, values, strict=True)) for values in relation.fetchall()]


def as_date(value: object) -> date | None:
    """Return a query's date value as a date, None when missing."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def is_damaged(err: BaseException) -> bool:
    """Return True for an error DuckDB or Arrow raise on reading a part file that is missing or damaged (truncated, garbled)."""
    return isinstance(err, duckdb.Error | pa.ArrowException)


def damaged_text(store: Path, err: BaseException) -> str:
    """Return the one line for a store that ``is_damaged`` says cannot be read: what DuckDB or Arrow said (naming the file),
    what state the store is in and what to do."""
    return (
        f"the store at {store} cannot be read ({one_line(str(err))}): a file its manifest names is missing or damaged. "
        f"The store is as its last finished commit left it; move {store} away and ingest the articles again."
    )


def open_store(path: str | Path) -> Store:
    """Return a read-only view of the store at ``path`` (empty tables when nothing was stored there yet);
    raise StoreVersionError, saying what to do, when the store needs ``python -m pipeline migrate``."""
    return Store(Path(path))
