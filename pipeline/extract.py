"""Put the steps together: articles in, events out."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.events_table import Event
from pipeline.records import Article


def extract_events(articles: Iterable[Article]) -> list[Event]:
    """Return the events the articles report (the extractor lands with the events issue)."""
    return [event for article in articles for event in ()]
