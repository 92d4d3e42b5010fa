"""Load the store's tables for the dashboard."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.events_table import COLUMNS
from pipeline.store import ARTICLE_COLUMNS, read_table


def load_events(store: Path) -> pd.DataFrame:
    """Return the stored events with ``date`` parsed (events without a usable date get NaT)."""
    events = read_table(store, "events", COLUMNS)
    events["day"] = pd.to_datetime(events["date"].astype("string").str.slice(0, 10), errors="coerce", format="mixed")
    return events


def load_articles(store: Path) -> pd.DataFrame:
    """Return the stored articles with ``published`` parsed."""
    articles = read_table(store, "articles", ARTICLE_COLUMNS)
    articles["published"] = pd.to_datetime(articles["published"], errors="coerce")
    return articles
