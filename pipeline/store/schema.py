"""The store's three tables: their columns and Parquet types, derived from the ``Event`` record, and the schema version."""

from __future__ import annotations

import pyarrow as pa

from pipeline.events_table import COLUMNS

# Bump when a table's columns or meaning change, and add the step to pipeline/store/migrate.py.
SCHEMA_VERSION = 2  # 2: mentions blocked by related type families and year (issue 13)

ARTICLE_COLUMNS = (
    "article_id",
    "content_hash",
    "title",
    "published",
    "published_source",
    "author",
    "publisher",
    "url",
    "language",
    "origin",
    "locator",
)
# Columns of the events table that describe the merge, after the Event columns; the export writes these too.
MERGE_COLUMNS = ("n_mentions", "n_articles", "n_publishers", "first_seen", "last_seen")
EXPORT_COLUMNS = (*COLUMNS, *MERGE_COLUMNS)
# Columns kept for queries, not exported: the merge block, the members, lists for filters, the date as a span of days.
EVENT_QUERY_COLUMNS = ("block", "mention_ids", "publishers", "actors", "date_start", "date_end")
MENTION_EXTRA_COLUMNS = ("content_hash", "actor_info", "block", "date_start", "date_end")

# An event is background when the days its date covers end more than this many days before the publication of its first
# report (``first_seen``): "since 2018", "in 2016", "last year" in a 2023 article tell the story's past, not its news.
# News reports acts of the last days or weeks (an act "in March" reported in early April ends within it); an act that
# was over a month before anyone reported it is context. Computed when the store is read (``BACKGROUND_SQL``), so a
# store written before it opens unchanged; an undated event, or one of an article without a date, is never background.
BACKGROUND_DAYS = 30
BACKGROUND_SQL = f"coalesce(date_end < TRY_CAST(first_seen AS DATE) - {BACKGROUND_DAYS}, false)"
# Columns of the events as read, computed from the stored ones (not stored, not exported).
DERIVED_EVENT_COLUMNS = ("background",)

FLOAT_COLUMNS = frozenset({"goldstein", "latitude", "longitude", "confidence"})
INT_COLUMNS = frozenset({"n_mentions", "n_articles", "n_publishers"})
LIST_COLUMNS = frozenset({"mention_ids", "publishers", "actors"})
DATE_COLUMNS = frozenset({"date_start", "date_end"})


def column_type(name: str) -> pa.DataType:
    """Return the Parquet type of a column: floats, counts, lists of names, days; text for everything else."""
    if name in FLOAT_COLUMNS:
        return pa.float64()
    if name in INT_COLUMNS:
        return pa.int32()
    if name in LIST_COLUMNS:
        return pa.list_(pa.string())
    if name in DATE_COLUMNS:
        return pa.date32()
    return pa.string()


def table_schema(columns: tuple[str, ...]) -> pa.Schema:
    """Return the Arrow schema of a table with the given columns."""
    return pa.schema([pa.field(name, column_type(name)) for name in columns])


# A mention is one extracted Event row: its event_id becomes mention_id; the merged event's id lives in the events table.
MENTION_COLUMNS = ("mention_id", *COLUMNS[1:], *MENTION_EXTRA_COLUMNS)
EVENT_COLUMNS = (*EXPORT_COLUMNS, *EVENT_QUERY_COLUMNS)
SCHEMAS = {
    "articles": table_schema(ARTICLE_COLUMNS),
    "mentions": table_schema(MENTION_COLUMNS),
    "events": table_schema(EVENT_COLUMNS),
}
TABLES = tuple(SCHEMAS)
