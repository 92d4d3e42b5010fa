"""The event store: Parquet tables on disk, written whole and renamed into place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from pipeline.events_table import COLUMNS, Event
from pipeline.records import Article

ARTICLE_COLUMNS = ("article_id", "content_hash", "title", "published", "published_source", "author", "publisher", "url", "language", "origin", "locator")


def articles_frame(articles: Iterable[Article]) -> pd.DataFrame:
    """Return one row per article with its metadata and content hash."""
    rows = [{c: getattr(a, c) for c in ARTICLE_COLUMNS} for a in articles]
    frame = pd.DataFrame(rows, columns=list(ARTICLE_COLUMNS))
    frame["published"] = frame["published"].astype("string")
    return frame


def events_frame(events: Iterable[Event]) -> pd.DataFrame:
    """Return one row per event, with the events table's columns."""
    return pd.DataFrame([asdict(e) for e in events], columns=list(COLUMNS))


def read_table(store: Path, name: str, columns: Iterable[str]) -> pd.DataFrame:
    """Return a stored table, or an empty one with the given columns when the store has none."""
    path = store / f"{name}.parquet"
    return pd.read_parquet(path) if path.exists() else pd.DataFrame(columns=list(columns))


def write_table(frame: pd.DataFrame, store: Path, name: str) -> None:
    """Write a table to a temporary file beside its place, then rename it over the old one."""
    store.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=store, prefix=f".{name}.", suffix=".parquet")
    os.close(handle)
    try:
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, store / f"{name}.parquet")
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def new_articles(articles: Iterable[Article], store: Path) -> list[Article]:
    """Return the articles whose content the store does not hold yet."""
    known = set(read_table(store, "articles", ARTICLE_COLUMNS)["content_hash"])
    return [a for a in articles if a.content_hash not in known]


def add_to_store(articles: list[Article], events: list[Event], store: Path) -> None:
    """Append articles and their events to the store."""
    old_articles = read_table(store, "articles", ARTICLE_COLUMNS)
    old_events = read_table(store, "events", COLUMNS)
    write_table(pd.concat([old_events, events_frame(events)], ignore_index=True) if len(old_events) else events_frame(events), store, "events")
    write_table(pd.concat([old_articles, articles_frame(articles)], ignore_index=True) if len(old_articles) else articles_frame(articles), store, "articles")
