"""The views' queries: aggregates in DuckDB over ``sel``, the events a filter keeps (see ``source``); no Streamlit here.

Each function returns a small DataFrame: what a figure draws, never the events it summarises, e.g.
``period_counts(source, EventFilter(actors=("Russia",)), "month")``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pandas as pd

from dashboard.filters import ordered_types
from dashboard.source import EventSource
from pipeline.actors.records import KINDS
from pipeline.store import ARTICLE_COLUMNS, EventFilter, Store
from pipeline.store.reader import PERIOD_PRECISIONS, as_date

# The number of bars a count chart may have before its period is made coarser (ten years by day would be 3,650).
MAX_BINS = 400
# The share of occurred events' start days left out at each end of the default date range, so that a few stray dates
# (a 1990 event in a 2023 corpus) do not stretch it: 1st to 99th percentile.
BULK_OUTSIDE = 0.01
# An end of the default date range goes out to the store's first (last) day unless that would stretch the range by more
# than this share of its span: the 1% of a corpus spread evenly over a year stays in; a 1990 date in a 2023 corpus does not.
STRAY_STRETCH = 0.25
# Spans up to which ``auto`` counts by day, week or month (beyond: by year).
AUTO_PERIOD_DAYS = (("day", 92), ("week", 730), ("month", 365 * 12))
PERIOD_DAYS = {"day": 1, "week": 7, "month": 30.4, "year": 365.25}
# Events sorted in the events table by these columns only (a menu, never free text, so no SQL is injected).
SORTABLE = {
    "date": "date_start",
    "confidence": "confidence",
    "articles": "n_articles",
    "type": "event_type",
    "source": "source_actor",
    "target": "target_actor",
}
TABLE_COLUMNS = (
    "date",
    "event_type",
    "status",
    "source_actor",
    "target_actor",
    "location",
    "sentence",
    "publisher",
    "n_articles",
    "confidence",
    "date_precision",
    "event_id",
)


@dataclass(frozen=True)
class Facets:
    """What the filter menus offer (every actor, most frequent first; countries; publishers; the stored dates and the days
    their bulk covers) and the store's counts."""

    actors: tuple[str, ...]
    actor_events: tuple[int, ...]
    countries: tuple[str, ...]
    publishers: tuple[str, ...]
    first_day: date | None
    last_day: date | None
    articles: int
    mentions: int
    events: int
    bulk_first: date | None
    bulk_last: date | None


def facets(store: Store) -> Facets:
    """Return the values the filter menus offer and the store's counts, from the whole store."""
    actors = store.query(
        "SELECT actor, count(*) AS n FROM (SELECT unnest(actors) AS actor FROM events) WHERE actor <> '' GROUP BY 1 ORDER BY 2 DESC, 1"
    )
    countries = store.query(
        "SELECT DISTINCT c FROM (SELECT unnest([source_country, target_country, location_country]) AS c FROM events) "
        "WHERE c <> '' ORDER BY c"
    )
    publishers = store.query("SELECT DISTINCT p FROM (SELECT unnest(publishers) AS p FROM events) WHERE p <> '' ORDER BY p")
    row = store.query(
        "SELECT min(date_start) AS first, max(date_end) AS last, count(*) AS events, (SELECT count(*) FROM articles) AS articles, "
        "(SELECT count(*) FROM mentions) AS mentions, "
        f"quantile_disc(date_start, {BULK_OUTSIDE}) FILTER (WHERE status = 'occurred') AS bulk_first, "
        f"quantile_disc(date_start, {1 - BULK_OUTSIDE}) FILTER (WHERE status = 'occurred') AS bulk_last FROM events"
    ).iloc[0]
    return Facets(
        tuple(actors["actor"]),
        tuple(int(n) for n in actors["n"]),
        tuple(countries["c"]),
        tuple(publishers["p"]),
        as_date(row["first"]),
        as_date(row["last"]),
        int(row["articles"]),
        int(row["mentions"]),
        int(row["events"]),
        *bulk_range(as_date(row["first"]), as_date(row["last"]), as_date(row["bulk_first"]), as_date(row["bulk_last"])),
    )


def bulk_range(first: date | None, last: date | None, low: date | None, high: date | None) -> tuple[date | None, date | None]:
    """Return the default date range: from the bulk's ``low`` to ``high`` day, each end out to the store's ``first`` or
    ``last`` day when that stretches the range by at most ``STRAY_STRETCH`` of its span."""
    if not (first and last and low and high):
        return first, last
    slack = timedelta(days=STRAY_STRETCH * (high - low).days)
    return (first if low - first <= slack else low), (last if last - high <= slack else high)


@dataclass(frozen=True)
class Overview:
    """The kept events in brief: how many, and the days their bulk covers (2nd to 98th percentile of start days)."""

    events: int
    low: date | None
    high: date | None


def overview(source: EventSource, f: EventFilter) -> Overview:
    """Return how many events the filter keeps and the days the time axis should span: the filter's dates, or where they
    are open the days most of the events are drawn on."""
    day = drawn_day(f)
    body = f"SELECT count(*) AS n, quantile_disc({day}, 0.02) AS low, quantile_disc({day}, 0.98) AS high FROM sel"
    row = source.selected(f, body).iloc[0]
    return Overview(int(row["n"]), f.since or as_date(row["low"]), f.until or as_date(row["high"]))


def drawn_day(f: EventFilter, prefix: str = "") -> str:
    """Return the SQL of the day an event is drawn on: the middle of the part of its span (a month or a year for an event
    dated only so) that the filter's dates keep, e.g. 2023-03-16 for an event dated '2023' under March 2023."""
    start, end = f"{prefix}date_start", f"{prefix}date_end"
    low = f"greatest({start}, DATE '{f.since.isoformat()}')" if f.since else start
    high = f"least({end}, DATE '{f.until.isoformat()}')" if f.until else end
    return f"CAST({low} + CAST(datediff('day', {low}, {high}) // 2 AS INTEGER) AS DATE)"


def auto_period(first: date | None, last: date | None, requested: str = "auto") -> str:
    """Return the period to count by: the one requested, made coarser until the span has at most ``MAX_BINS`` of them;
    for ``auto``, by day up to three months, by week up to two years, by month up to twelve years, else by year."""
    span = ((last - first).days + 1) if first and last else 1
    if requested == "auto":
        requested = next((p for p, days in AUTO_PERIOD_DAYS if span <= days), "year")
    order = list(PERIOD_DAYS)
    index = order.index(requested) if requested in order else order.index("month")
    while index < len(order) - 1 and span / PERIOD_DAYS[order[index]] > MAX_BINS:
        index += 1
    return order[index]


def period_counts(source: EventSource, f: EventFilter, period: str) -> pd.DataFrame:
    """Return the number of events per period and type (columns period, event_type, events); only events dated at least
    as precisely as the period count, as in ``Store.event_counts``."""
    precisions = ", ".join(f"'{p}'" for p in PERIOD_PRECISIONS[period])
    body = (
        f"SELECT CAST(date_trunc('{period}', date_start) AS DATE) AS period, event_type, count(*) AS events FROM sel "
        f"WHERE date_precision IN ({precisions}) GROUP BY ALL ORDER BY period, event_type"
    )
    return source.selected(f, body)


def top_actors(source: EventSource, f: EventFilter, role: str = "any", limit: int = 15) -> pd.DataFrame:
    """Return the actors in most kept events as source, as target or in any role (columns actor, events)."""
    rows = {
        "any": "SELECT actor FROM sel_actors",
        "source": "SELECT source_actor AS actor FROM sel",
        "target": "SELECT target_actor AS actor FROM sel",
    }
    body = f"SELECT actor, count(*) AS events FROM ({rows[role]}) WHERE actor <> '' GROUP BY actor ORDER BY events DESC, actor LIMIT ?"
    return source.selected(f, body, [limit])


def timeline_cells(source: EventSource, f: EventFilter, actors: list[str], period: str) -> pd.DataFrame:
    """Return the kept events of each given actor per period (columns actor, period, events, top_type: the most frequent
    type, top_events: its count)."""
    body = f"""
        SELECT actor, period, sum(n) AS events, arg_max(event_type, n * 100 - type_rank) AS top_type, max(n) AS top_events FROM (
            SELECT actor, CAST(date_trunc('{period}', {drawn_day(f)}) AS DATE) AS period, event_type, count(*) AS n,
                   list_position(?, event_type) AS type_rank
            FROM sel_actors WHERE list_contains(?, actor) AND date_start IS NOT NULL GROUP BY ALL)
        GROUP BY actor, period ORDER BY actor, period"""
    return source.selected(f, body, [list(ordered_types()), actors])


def timeline_points(source: EventSource, f: EventFilter, actors: list[str], limit: int) -> pd.DataFrame:
    """Return one row per kept event and each given actor it involves, by date: what the timeline draws as points."""
    body = (
        f"SELECT a.actor, {drawn_day(f, 's.')} AS day, s.date, s.date_precision, s.event_type, s.status, s.source_actor, s.target_actor, "
        "s.sentence, s.event_id FROM sel_actors a JOIN sel s USING (rid) WHERE list_contains(?, a.actor) AND s.date_start IS NOT NULL "
        "ORDER BY day, s.event_id, a.actor LIMIT ?"
    )
    return source.selected(f, body, [actors, limit])


def actor_months(source: EventSource, f: EventFilter, actors: list[str]) -> pd.DataFrame:
    """Return events per actor and month for the given actors (columns actor, month, events)."""
    body = (
        f"SELECT actor, CAST(date_trunc('month', {drawn_day(f)}) AS DATE) AS month, count(*) AS events "
        "FROM sel_actors WHERE list_contains(?, actor) AND date_start IS NOT NULL GROUP BY ALL ORDER BY actor, month"
    )
    return source.selected(f, body, [actors])


def actor_edges(source: EventSource, f: EventFilter, limit: int = 60) -> pd.DataFrame:
    """Return who acts on whom (columns source, target, events, mean_goldstein): source -> target for directed acts,
    each pair of participants once for acts among equals, as ``Store.actor_edges``, without the names ``non_actors_sql``
    gives."""
    body = (
        f", non_actors AS ({non_actors_sql()})\n"
        "SELECT source, target, count(*) AS events, avg(goldstein) AS mean_goldstein FROM sel_pairs "
        "WHERE source NOT IN (SELECT name FROM non_actors) AND target NOT IN (SELECT name FROM non_actors) "
        "GROUP BY source, target ORDER BY events DESC, source, target LIMIT ?"
    )
    return source.selected(f, body, [limit])


def non_actors_sql() -> str:
    """Return a SELECT of the names in the kept events that are no actors: those never of an actor kind (``KINDS``: a
    place such as Texas, a name of no known kind) and the publishers of the articles (a news agency named in a dateline)."""
    kinds = ", ".join(f"'{kind}'" for kind in KINDS)
    return (
        "SELECT name FROM (SELECT source_actor AS name, source_kind AS kind FROM sel "
        "UNION ALL SELECT target_actor, target_kind FROM sel) WHERE name <> '' "
        f"GROUP BY name HAVING NOT bool_or(kind IN ({kinds})) "
        "UNION SELECT publisher FROM (SELECT unnest(publishers) AS publisher FROM sel) WHERE publisher IS NOT NULL"
    )


def profile_filter(f: EventFilter, actor: str) -> tuple[EventFilter, str]:
    """Return the filter and the extra condition that keep the events of one actor among those the filter keeps."""
    if not f.actors:
        return replace(f, actors=(actor,), as_source_only=False), ""
    return f, "list_contains(actors, ?)"


def actor_selected(source: EventSource, f: EventFilter, actor: str, body: str, params: list[object]) -> pd.DataFrame:
    """Return ``body`` over ``mine``: the kept events the actor takes part in."""
    narrowed, extra = profile_filter(f, actor)
    mine = f", mine AS (SELECT * FROM sel {'WHERE ' + extra if extra else ''})\n"
    return source.selected(narrowed, mine + body, ([actor] if extra else []) + params)


def profile_counterparts(source: EventSource, f: EventFilter, actor: str, limit: int = 15) -> pd.DataFrame:
    """Return whom an actor deals with most (columns counterpart, events, mean_goldstein)."""
    body = (
        "SELECT other AS counterpart, count(*) AS events, avg(goldstein) AS mean_goldstein "
        "FROM (SELECT unnest(actors) AS other, goldstein FROM mine) WHERE other <> ? AND other <> '' "
        "GROUP BY 1 ORDER BY events DESC, counterpart LIMIT ?"
    )
    return actor_selected(source, f, actor, body, [actor, limit])


def profile_types(source: EventSource, f: EventFilter, actor: str) -> pd.DataFrame:
    """Return an actor's events per type and role (columns event_type, role, events)."""
    body = f"SELECT event_type, {role_case()} AS role, count(*) AS events FROM mine GROUP BY ALL ORDER BY events DESC, event_type, role"
    return actor_selected(source, f, actor, body, [actor, actor])


def role_case() -> str:
    """Return the SQL naming an actor's role in an event (parameters: the actor twice)."""
    return "CASE WHEN source_actor = ? THEN 'source' WHEN target_actor = ? THEN 'target' ELSE 'participant' END"


def profile_roles(source: EventSource, f: EventFilter, actor: str, period: str) -> pd.DataFrame:
    """Return an actor's events per period and role (columns period, role, events)."""
    body = (
        f"SELECT CAST(date_trunc('{period}', {drawn_day(f)}) AS DATE) AS period, {role_case()} AS role, count(*) AS events "
        "FROM mine WHERE date_start IS NOT NULL GROUP BY ALL ORDER BY period, role"
    )
    return actor_selected(source, f, actor, body, [actor, actor])


def profile_points(source: EventSource, f: EventFilter, actor: str, limit: int) -> pd.DataFrame:
    """Return an actor's events by date, at most ``limit`` (columns as ``timeline_points``, role as the row)."""
    body = (
        f"SELECT {role_case()} AS actor, {drawn_day(f)} AS day, date, date_precision, event_type, status, source_actor, target_actor, "
        "sentence, event_id FROM mine WHERE date_start IS NOT NULL ORDER BY day, event_id LIMIT ?"
    )
    return actor_selected(source, f, actor, body, [actor, actor, limit])


def dyad_case() -> str:
    """Return the SQL naming how an event of ``mine`` joins two actors (its parameters: the first actor, the second twice,
    then the first): ``first``, the first acts on the second; ``second``, the other way; ``mutual``, an act among equals
    both take part in; NULL when they are not its two sides (a joint act on a third party)."""
    return (
        "CASE WHEN source_actor = ? AND target_actor = ? THEN 'first' WHEN source_actor = ? AND target_actor = ? THEN 'second' "
        "WHEN target_actor = '' AND list_contains(string_split(participants, ';'), ?) "
        "AND list_contains(string_split(participants, ';'), ?) THEN 'mutual' END"
    )


def dyad_months(source: EventSource, f: EventFilter, first: str, second: str) -> pd.DataFrame:
    """Return the events between two actors per month, direction (``dyad_case``) and type (columns month, direction,
    event_type, events, scored, goldstein_sum: the events with a Goldstein score and their sum); ``month`` is NULL for
    an event dated only to a year (or not dated), which no month holds."""
    precisions = ", ".join(f"'{p}'" for p in PERIOD_PRECISIONS["month"])
    body = (
        f"SELECT CASE WHEN date_precision IN ({precisions}) THEN CAST(date_trunc('month', {drawn_day(f)}) AS DATE) END AS month, "
        "direction, event_type, count(*) AS events, count(goldstein) AS scored, coalesce(sum(goldstein), 0.0) AS goldstein_sum "
        f"FROM (SELECT *, {dyad_case()} AS direction FROM mine) WHERE direction IS NOT NULL "
        "GROUP BY ALL ORDER BY month NULLS LAST, direction, event_type"
    )
    return actor_selected(source, f, first, body, [first, second, second, first, first, second])


def tone_body(f: EventFilter, period: str, rows: str) -> str:
    """Return the SELECT of the tone per period of ``rows`` (a relation with the events' columns): see ``tone_periods``."""
    precisions = ", ".join(f"'{p}'" for p in PERIOD_PRECISIONS[period])
    return (
        f"SELECT CASE WHEN date_precision IN ({precisions}) THEN CAST(date_trunc('{period}', {drawn_day(f)}) AS DATE) END AS period, "
        "count(*) AS events, count(score) AS scored, avg(score) AS mean_goldstein, count(*) FILTER (WHERE score > 0) AS cooperative, "
        "count(*) FILTER (WHERE score < 0) AS conflictual, count(*) FILTER (WHERE score = 0) AS neutral "
        f"FROM (SELECT *, CASE WHEN NOT isnan(goldstein) THEN goldstein END AS score FROM {rows}) "
        "GROUP BY ALL ORDER BY period NULLS LAST"
    )


def tone_periods(source: EventSource, f: EventFilter, period: str) -> pd.DataFrame:
    """Return the tone of the kept events per period (columns period, events, scored: those with a Goldstein score,
    mean_goldstein, cooperative: scored above zero, conflictual: below, neutral: zero); ``period`` is NULL for the
    events dated less precisely than the period (or not at all), which no period holds."""
    return source.selected(f, tone_body(f, period, "sel"))


def dyad_tone(source: EventSource, f: EventFilter, first: str, second: str, period: str) -> pd.DataFrame:
    """Return the tone per period (as ``tone_periods``) of the kept events between two actors: either acting on the
    other, or both in an act among equals (``dyad_case``), as the dyad view counts them."""
    pair = f"(SELECT * FROM (SELECT *, {dyad_case()} AS direction FROM mine) WHERE direction IS NOT NULL)"
    return actor_selected(source, f, first, tone_body(f, period, pair), [first, second, second, first, first, second])


def aliases(store: Store, actor: str, limit: int = 30) -> pd.DataFrame:
    """Return the words an actor was found under in the articles, most frequent first (columns alias, mentions)."""
    sql = (
        "SELECT alias, count(*) AS mentions FROM (SELECT source_text AS alias FROM mentions WHERE source_actor = ? "
        "UNION ALL SELECT target_text FROM mentions WHERE target_actor = ?) WHERE alias <> '' "
        "GROUP BY alias ORDER BY mentions DESC, alias LIMIT ?"
    )
    return store.query(sql, [actor, actor, limit])


def map_places(source: EventSource, f: EventFilter) -> pd.DataFrame:
    """Return the located events per place (columns location, location_country, latitude, longitude, events, top_type)."""
    body = (
        "SELECT location, location_country, latitude, longitude, count(*) AS events, mode(event_type) AS top_type FROM sel "
        "WHERE latitude IS NOT NULL AND longitude IS NOT NULL AND NOT isnan(latitude) AND NOT isnan(longitude) "
        "GROUP BY ALL ORDER BY events DESC, location, location_country, latitude, longitude"
    )
    return source.selected(f, body)


def country_counts(source: EventSource, f: EventFilter) -> pd.DataFrame:
    """Return the kept events per country they involve as source, target or place (columns country, events): each event
    once per distinct country, so a country's count is what the Countries filter keeps for it."""
    body = (  # three grouped scans: 0.04 s v 0.2-0.8 s for unnesting a list per event, on a synthetic 1,000,000-row table
        "SELECT country, sum(n)::BIGINT AS events FROM ("
        "SELECT source_country AS country, count(*) AS n FROM sel WHERE source_country <> '' GROUP BY ALL UNION ALL "
        "SELECT target_country, count(*) FROM sel WHERE target_country <> '' AND target_country IS DISTINCT FROM source_country "
        "GROUP BY ALL UNION ALL "
        "SELECT location_country, count(*) FROM sel WHERE location_country <> '' "
        "AND location_country IS DISTINCT FROM source_country AND location_country IS DISTINCT FROM target_country GROUP BY ALL"
        ") GROUP BY country ORDER BY events DESC, country"
    )
    return source.selected(f, body)


def events_page(source: EventSource, f: EventFilter, sort: str = "date", descending: bool = False, limit: int = 1000) -> pd.DataFrame:
    """Return at most ``limit`` kept events for the events table, sorted by one of ``SORTABLE`` in DuckDB."""
    column = SORTABLE.get(sort, "date_start")
    direction = "DESC" if descending else "ASC"
    body = f"SELECT {', '.join(TABLE_COLUMNS)} FROM sel ORDER BY {column} {direction} NULLS LAST, event_id LIMIT ?"
    return source.selected(f, body, [limit])


def publisher_rows(f: EventFilter, columns: str) -> tuple[str, list[object]]:
    """Return a SELECT of one row per kept event and publisher that reported it (``publisher``, ``reporters``: how many
    publishers reported the event, and the ``columns`` given), only the filter's publishers when it names some."""
    chosen = "AND list_contains(?, publisher) " if f.publishers else ""
    params: list[object] = [list(f.publishers)] if f.publishers else []
    sql = (
        f"SELECT * FROM (SELECT unnest(publishers) AS publisher, len(publishers) AS reporters, {columns} FROM sel) "
        f"WHERE publisher <> '' {chosen}"
    )
    return sql, params


def publisher_summary(source: EventSource, f: EventFilter) -> pd.DataFrame:
    """Return each publisher's kept events, most first (columns publisher, events, alone: the events no other publisher
    reported); only the filter's publishers when it names some."""
    rows, params = publisher_rows(f, "event_id")
    body = (
        "SELECT publisher, count(*) AS events, count(*) FILTER (WHERE reporters = 1) AS alone "
        f"FROM ({rows}) GROUP BY publisher ORDER BY events DESC, publisher"
    )
    return source.selected(f, body, params)


def publisher_types(source: EventSource, f: EventFilter) -> pd.DataFrame:
    """Return the kept events per publisher and type (columns publisher, event_type, events): an event reported by two
    publishers counts for each; only the filter's publishers when it names some."""
    rows, params = publisher_rows(f, "event_type")
    body = f"SELECT publisher, event_type, count(*) AS events FROM ({rows}) GROUP BY ALL ORDER BY publisher, event_type"
    return source.selected(f, body, params)


def single_publisher_events(source: EventSource, f: EventFilter, limit: int = 1000) -> pd.DataFrame:
    """Return at most ``limit`` kept events that one publisher alone reported, by publisher, then date (columns of
    ``TABLE_COLUMNS``, ``publisher`` first: the one that reported it, in as many articles as ``n_articles``)."""
    columns = ", ".join(c for c in TABLE_COLUMNS if c != "publisher")
    body = (
        f"SELECT publishers[1] AS publisher, {columns} FROM sel WHERE len(publishers) = 1 "
        "ORDER BY publisher, date_start NULLS LAST, event_id LIMIT ?"
    )
    return source.selected(f, body, [limit])


def evidence_mentions(store: Store, event_id: str) -> pd.DataFrame:
    """Return the mentions merged into one event, each with its article's title, publisher, date, link, evidence,
    date words and precision, status and confidence."""
    return store.mentions((event_id,))


def article_row(store: Store, article_id: str) -> pd.DataFrame:
    """Return one stored article's metadata (one row, or none when the id is unknown)."""
    return store.query(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE article_id = ?", [article_id])


def article_mentions(store: Store, article_id: str) -> pd.DataFrame:
    """Return the mentions read from one article, each with the ``event_id`` it was merged into (NULL for none)."""
    sql = (
        "SELECT e.event_id, m.* FROM mentions m LEFT JOIN (SELECT event_id, unnest(mention_ids) AS mention_id FROM events "
        "WHERE list_has_any(mention_ids, (SELECT coalesce(list(mention_id), []) FROM mentions WHERE article_id = ?))) e "
        "USING (mention_id) WHERE m.article_id = ? ORDER BY m.mention_id"
    )
    return store.query(sql, [article_id, article_id])


def event_row(store: Store, event_id: str) -> pd.DataFrame:
    """Return one stored event (one row, or none when the id is unknown)."""
    return store.query("SELECT * EXCLUDE (block) FROM events WHERE event_id = ?", [event_id])


def padded_range(first: date | None, last: date | None) -> tuple[date, date]:
    """Return a date range for an axis: the given one, or a week around today when there is none."""
    if first and last:
        return first, last
    today = date.today()
    return today - timedelta(days=7), today
