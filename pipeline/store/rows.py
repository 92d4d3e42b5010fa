"""Rows of the store's tables built from what extraction returns: an article and its events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

import pyarrow as pa

from pipeline.events_table import Event
from pipeline.records import Article
from pipeline.store.kinds import actor_info
from pipeline.store.merge import block_key
from pipeline.store.schema import ARTICLE_COLUMNS, MENTION_COLUMNS, SCHEMAS
from pipeline.store.spans import stated_span


@dataclass(frozen=True)
class Extracted:
    """One article and the events extraction found in it, or why extracting them failed (``error``: then it is not stored)."""

    article: Article
    events: tuple[Event, ...]
    error: str = ""


def article_row(article: Article) -> dict[str, object]:
    """Return the articles-table row of an article."""
    row: dict[str, object] = {c: getattr(article, c) for c in ARTICLE_COLUMNS}
    row["published"] = article.published.isoformat() if article.published else ""
    return row


def unique_ids(ids: Sequence[str]) -> list[str]:
    """Return the ids with a repeated one suffixed ``-2``, ``-3``... so that each row of an article has its own."""
    seen: dict[str, int] = {}
    out = []
    for mention_id in ids:
        seen[mention_id] = seen.get(mention_id, 0) + 1
        out.append(mention_id if seen[mention_id] == 1 else f"{mention_id}-{seen[mention_id]}")
    return out


def mention_rows(item: Extracted) -> list[dict[str, object]]:
    """Return the mentions-table rows of one article's events."""
    ids = unique_ids([e.event_id for e in item.events])
    return [mention_row(event, mention_id, item.article.content_hash) for event, mention_id in zip(item.events, ids, strict=True)]


def mention_row(event: Event, mention_id: str, content_hash: str) -> dict[str, object]:
    """Return one mention row: the event's fields, its id as mention_id, its article's hash, its actors' kinds, block and days."""
    row: dict[str, object] = asdict(event)
    row["mention_id"] = mention_id
    row["content_hash"] = content_hash
    row["actor_info"] = actor_info([event.source_actor, event.target_actor, *event.participants.split(";")])
    row["block"] = block_key(event.event_type, event.date)
    span = stated_span(event.date, event.date_precision)
    row["date_start"], row["date_end"] = (span.start, span.end) if span else (None, None)
    return row


def table_of(rows: Iterable[Mapping[str, object]], name: str) -> pa.Table:
    """Return rows as an Arrow table with the store's schema for ``name``."""
    schema = SCHEMAS[name]
    rows = list(rows)
    return pa.Table.from_pylist([{c: r.get(c) for c in schema.names} for r in rows], schema=schema)


def batch_tables(items: Sequence[Extracted]) -> tuple[pa.Table, pa.Table]:
    """Return the articles and mentions tables of a batch of extracted articles."""
    articles = table_of((article_row(i.article) for i in items), "articles")
    mentions = table_of((row for i in items for row in mention_rows(i)), "mentions")
    assert tuple(mentions.column_names) == MENTION_COLUMNS
    return articles, mentions
