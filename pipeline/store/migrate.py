"""Bring an older store to the current schema version, one step per version (``python -m pipeline migrate``)."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import MISSING, fields, replace
from pathlib import Path

import pandas as pd

from pipeline.events_table import Event
from pipeline.store.files import LEGACY_FILES, Manifest, StoreError, checked_manifest, read_manifest, store_version, write_lock
from pipeline.store.merge import block_key
from pipeline.store.rows import mention_row, table_of
from pipeline.store.schema import ARTICLE_COLUMNS, SCHEMA_VERSION
from pipeline.store.writer import DEFAULT_LOCK_TIMEOUT, StoreWriter

log = logging.getLogger(__name__)


def cell(value: object, default: object) -> object:
    """Return a stored cell, or the field's default where the old table had no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return default
    return value


def event_of(record: dict[str, object]) -> Event:
    """Return an Event from a row of the placeholder store's events table; columns it lacked take their defaults."""
    defaults = {f.name: (None if f.default is MISSING else f.default) for f in fields(Event)}
    blanks = {name: ("" if default is None else default) for name, default in defaults.items()}
    blanks.update({"latitude": None, "longitude": None, "goldstein": 0.0, "confidence": 0.0})
    values = {name: cell(record.get(name), blanks[name]) for name in defaults}
    return Event(**values)  # type: ignore[arg-type]


def from_placeholder(store: Path) -> None:
    """Version 0 -> 1: the placeholder's ``events.parquet`` rows are one article's events, i.e. mentions: store them
    as mentions, merge them across articles, and drop the old files."""
    articles = (
        pd.read_parquet(store / "articles.parquet")
        if (store / "articles.parquet").exists()
        else pd.DataFrame(columns=list(ARTICLE_COLUMNS))
    )
    events = pd.read_parquet(store / "events.parquet") if (store / "events.parquet").exists() else pd.DataFrame()
    hashes = dict(zip(articles["article_id"], articles["content_hash"], strict=True))
    article_rows = [{c: cell(r.get(c), "") for c in ARTICLE_COLUMNS} for r in articles.to_dict("records")]
    for row in article_rows:
        row["published"] = str(row["published"])[:10]
    mentions = [mention_row(event_of(r), str(r["event_id"]), str(hashes.get(r["article_id"], ""))) for r in events.to_dict("records")]
    writer = StoreWriter(store, Manifest(schema_version=1))
    writer.commit(table_of(article_rows, "articles"), table_of(mentions, "mentions"))
    log.info("migrated %d articles and %d mentions of %s to schema version 1", len(article_rows), len(mentions), store)


def reblocked(store: Path) -> None:
    """Version 1 -> 2: mentions are blocked by their group of related type families and year (they were blocked by family
    and actors): give every mention its new block and merge every block again, committing all rows as replacements."""
    manifest = read_manifest(store)
    assert manifest is not None
    writer = StoreWriter(store, replace(manifest, schema_version=2))
    articles = writer.query("SELECT * FROM articles").to_arrow_table()
    mentions = writer.query("SELECT * FROM mentions").to_arrow_table().to_pylist()
    for row in mentions:
        row["block"] = block_key(str(row["event_type"]), str(row["date"]))
    writer.commit(articles, table_of(mentions, "mentions"))
    log.info("migrated %d mentions of %s to schema version 2 (blocks by related families and year)", len(mentions), store)


# MIGRATIONS[v] turns a store of version v into version v + 1.
MIGRATIONS: dict[int, Callable[[Path], None]] = {0: from_placeholder, 1: reblocked}


def drop_legacy_files(store: Path) -> None:
    """Remove the placeholder store's files once a manifest exists."""
    for name in LEGACY_FILES:
        (store / name).unlink(missing_ok=True)


def migrate(store: Path, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> tuple[int, int]:
    """Migrate the store at ``store`` to the current schema version; return (version before, version after)."""
    with write_lock(store, lock_timeout):
        before = store_version(store)
        if before is None:
            raise StoreError(f"there is no store at {store}")
        if before > SCHEMA_VERSION:
            checked_manifest(store)  # raises, saying to upgrade Eventline
        for version in range(before, SCHEMA_VERSION):
            MIGRATIONS[version](store)
        drop_legacy_files(store)
    return before, SCHEMA_VERSION
