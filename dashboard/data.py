"""Load the store's tables and aggregates for the dashboard: thin calls to ``pipeline.store``, no Streamlit here.

Filtering and aggregating happen in DuckDB over the store's Parquet files (``Store.events``,
``Store.event_counts``, ``Store.top_actors``, ``Store.actor_months``, ``Store.actor_edges``); pass an
``EventFilter`` built from the widgets. ``store_generation`` changes with every commit: use it in cache keys.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.store import TABLE_COLUMNS, EventFilter, Store, open_store


def store_generation(store: Path) -> int:
    """Return the number of the store's last commit (0 when nothing was stored): it changes whenever the store does."""
    manifest = open_store(store).manifest()
    return manifest.generation if manifest else 0


def with_day(events: pd.DataFrame) -> pd.DataFrame:
    """Return events with ``day``: the first day their date covers, as a timestamp (NaT without a date)."""
    events = events.copy()
    events["day"] = pd.to_datetime(events["date_start"], errors="coerce")
    return events.drop(columns=["date_start"])


def load_events(store: Path, filters: EventFilter | None = None) -> pd.DataFrame:
    """Return the stored events a filter keeps (all by default), by date, with ``day`` parsed; without the evidence JSON,
    which ``load_evidence`` reads for one event."""
    return with_day(open_store(store).events(filters, columns=(*TABLE_COLUMNS, "date_start")))


def load_evidence(store: Path, event_id: str) -> list[dict[str, object]]:
    """Return every sentence that reports an event, each with its article, publisher, trigger and actor spans."""
    return open_store(store).evidence(event_id)


def load_articles(store: Path) -> pd.DataFrame:
    """Return the stored articles with ``published`` parsed."""
    articles = open_store(store).articles()
    articles["published"] = pd.to_datetime(articles["published"], errors="coerce")
    return articles


def load_store(store: Path) -> Store:
    """Return the store for the aggregate queries (``event_counts``, ``top_actors``, ``actor_months``, ``actor_edges``, ``mentions``)."""
    return open_store(store)
