"""Commit a batch of articles and their mentions to the store: new part files, the touched blocks merged again, one manifest rename."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.store.files import (
    Manifest,
    StoreError,
    checked_manifest,
    committed,
    read_manifest,
    remove_orphans,
    write_lock,
    write_part,
)
from pipeline.store.merge import rebuilt_events
from pipeline.store.rows import table_of
from pipeline.store.schema import SCHEMAS
from pipeline.store.sources import SourceStamp, merged_stamps
from pipeline.store.sql import connection, with_tables

log = logging.getLogger(__name__)

# A second writer waits this long for the lock by default before it stops with a message.
DEFAULT_LOCK_TIMEOUT = 30.0
# A table with this many part files is rewritten as one by the next commit: each commit adds a part, and every
# query opens every part, ~0.3 ms each (a count over 310 articles' mentions: 3.5 ms in one part, 12.6 ms in 31).
MAX_PARTS = 16
# The order rows are written in: events by date so that date filters skip row groups; the rest by article.
SORT_KEYS = {"events": "date_start NULLS LAST, event_id", "mentions": "article_id, mention_id", "articles": "article_id"}


@dataclass(frozen=True)
class CommitReport:
    """What one commit changed."""

    generation: int
    articles: int
    replaced: int
    mentions: int
    blocks: int
    events: int
    replaced_ids: tuple[str, ...] = ()  # the stored articles that new text of the same article replaced


class StoreWriter:
    """The store as its one writer sees it, under the lock: what it holds, and commits that add to it."""

    def __init__(self, path: Path, manifest: Manifest) -> None:
        self.path = path
        self.manifest = manifest
        self.con = connection()
        self._stored = dict(self.query("SELECT article_id, content_hash FROM articles").fetchall())

    def query(self, sql: str, params: list[object] | None = None) -> duckdb.DuckDBPyRelation:
        """Return SQL over the store's current snapshot (tables ``articles``, ``mentions``, ``events``), run when read."""
        return self.con.sql(with_tables(self.path, self.manifest, sql), params=params or None)

    def count(self, table: str) -> int:
        """Return the number of rows of a table."""
        return int(self.query(f"SELECT count(*) FROM {table}").fetchall()[0][0])

    def stored_hashes(self) -> dict[str, str]:
        """Return the content hash of every stored article by article id."""
        return dict(self._stored)

    def commit(self, articles: pa.Table, mentions: pa.Table) -> CommitReport:
        """Add articles and their mentions (replacing stored articles with the same id), merge the touched blocks, swap the manifest."""
        ids = articles.column("article_id").to_pylist()
        assert len(ids) == len(set(ids)), "a batch holds each article once"
        replaced = sorted(set(ids) & self._stored.keys())
        self.con.register("batch_mentions", mentions)
        self.con.register("replaced_ids", pa.table({"article_id": pa.array(replaced, pa.string())}))
        removed = {b for (b,) in self.query("SELECT DISTINCT block FROM mentions SEMI JOIN replaced_ids USING (article_id)").fetchall()}
        affected = sorted(set(mentions.column("block").to_pylist()) | removed)
        self.con.register("affected", pa.table({"block": pa.array(affected, pa.string())}))
        tables = {
            "articles": self.new_parts("articles", articles, bool(replaced)),
            "mentions": self.new_parts("mentions", mentions, bool(replaced)),
            "events": self.events_parts(bool(affected)),
        }
        self.manifest = committed(self.path, self.manifest, tables)
        self._stored.update(zip(ids, articles.column("content_hash").to_pylist(), strict=True))
        generation = self.manifest.generation
        return CommitReport(
            generation, len(ids) - len(replaced), len(replaced), mentions.num_rows, len(affected), self.count("events"), tuple(replaced)
        )

    def record_sources(self, stamps: Sequence[SourceStamp]) -> None:
        """Note input files read whole by this ingest (after its last commit), so that the next ingest skips them unchanged."""
        merged = merged_stamps(self.manifest.sources, stamps)
        if merged != self.manifest.sources:
            with interrupts_deferred():
                self.manifest = committed(self.path, self.manifest, self.manifest.tables, merged)

    def events_parts(self, touched: bool) -> tuple[str, ...]:
        """Return the events table's part file after a commit: the same when no block was touched, else the table written again."""
        if not touched:
            return self.manifest.files("events")
        return (write_part(self.path, "events", self.manifest.generation + 1, self.merged_blocks()),)

    def merged_blocks(self) -> pa.Table:
        """Return the whole events table: untouched blocks as stored, touched blocks merged again from their mentions (events
        the merge gives back unchanged are kept as stored rather than built again)."""
        rows = (
            self.query(
                "SELECT * FROM mentions SEMI JOIN affected USING (block) ANTI JOIN replaced_ids USING (article_id) "
                "UNION ALL SELECT * FROM batch_mentions"
            )
            .to_arrow_table()
            .to_pylist()
        )
        built, kept = rebuilt_events(rows, self.unchanged_events())
        self.con.register("built_events", table_of(built, "events"))
        self.con.register("kept_events", pa.table({"event_id": pa.array(kept, pa.string())}))
        sql = (
            "SELECT * FROM events ANTI JOIN affected USING (block) UNION ALL SELECT * FROM events SEMI JOIN kept_events USING (event_id) "
            f"UNION ALL SELECT * FROM built_events ORDER BY {SORT_KEYS['events']}"
        )
        return self.query(sql).to_arrow_table().cast(SCHEMAS["events"])

    def unchanged_events(self) -> dict[tuple[str, ...], str]:
        """Return the ids of the stored events of the touched blocks that no new or removed mention joins, by their mention ids:
        if merging their block again gives the same group, the stored row is that group's event."""
        sql = (
            "SELECT event_id, mention_ids FROM events SEMI JOIN affected USING (block) WHERE NOT list_has_any(mention_ids, "
            "(SELECT coalesce(list(mention_id), []) FROM (SELECT mention_id FROM batch_mentions UNION ALL "
            "SELECT mention_id FROM mentions SEMI JOIN replaced_ids USING (article_id))))"
        )
        return {tuple(ids): event_id for event_id, ids in self.query(sql).fetchall()}

    def new_parts(self, table: str, batch: pa.Table, rewrite: bool) -> tuple[str, ...]:
        """Return a table's part files after adding a batch: one more part, or all rows as one part when rows are
        replaced or the parts grow too many."""
        parts = self.manifest.files(table)
        generation = self.manifest.generation + 1
        if not rewrite and len(parts) + 1 < MAX_PARTS:
            return (*parts, write_part(self.path, table, generation, batch)) if batch.num_rows else parts
        self.con.register("batch_rows", batch)
        kept = f"SELECT * FROM {table} ANTI JOIN replaced_ids USING (article_id)"
        sql = f"{kept} UNION ALL SELECT * FROM batch_rows ORDER BY {SORT_KEYS[table]}"
        return (write_part(self.path, table, generation, self.query(sql).to_arrow_table().cast(SCHEMAS[table])),)


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold back Ctrl-C (SIGINT) until the block ends, then act on it: a commit begun is finished. Python handles signals in
    its main thread only, so elsewhere (the dashboard's script thread) this changes nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught and callable(previous):
        previous(signal.SIGINT, None)


@contextlib.contextmanager
def open_writer(path: Path, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[StoreWriter]:
    """Hold the store's lock and return its writer; a folder without a store gets one at the first commit. When the work
    stops with an error (a full disk, Ctrl-C), the files of its unfinished commit are removed before the lock is let go."""
    with write_lock(path, lock_timeout):
        manifest = checked_manifest(path) or Manifest()
        remove_orphans(path, manifest)
        try:
            yield StoreWriter(path, manifest)
        except BaseException:
            with contextlib.suppress(OSError, StoreError):  # the error that stopped the work is the one to report
                remove_orphans(path, read_manifest(path) or Manifest())
            raise
