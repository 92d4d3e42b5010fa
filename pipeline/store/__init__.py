"""The event store (default ``data/store/``): articles, mentions and merged events as Parquet, queried with DuckDB.

Read with ``open_store(path)`` (see ``reader``); write with ``ingest_articles`` (see ``ingest``); the layout
on disk and why it survives ``kill -9`` is in ``files``; the cross-article merge rule in ``merge``.
"""

from pipeline.store.files import StoreError, StoreLockedError, StoreVersionError, store_version
from pipeline.store.ingest import IngestInterrupted, IngestReport, ingest_articles
from pipeline.store.migrate import migrate
from pipeline.store.reader import TABLE_COLUMNS, Affiliate, EventFilter, Store, StoreSummary, open_store
from pipeline.store.schema import ARTICLE_COLUMNS, EXPORT_COLUMNS, SCHEMA_VERSION
from pipeline.store.writer import DEFAULT_LOCK_TIMEOUT

__all__ = [
    "ARTICLE_COLUMNS",
    "DEFAULT_LOCK_TIMEOUT",
    "EXPORT_COLUMNS",
    "SCHEMA_VERSION",
    "TABLE_COLUMNS",
    "Affiliate",
    "EventFilter",
    "IngestInterrupted",
    "IngestReport",
    "Store",
    "StoreError",
    "StoreLockedError",
    "StoreSummary",
    "StoreVersionError",
    "ingest_articles",
    "migrate",
    "open_store",
    "store_version",
]
