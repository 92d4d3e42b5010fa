"""Read RSS and Atom feeds with feedparser: one article per entry, full content where the feed has it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date

import feedparser

from pipeline.ingest.build import RawArticle
from pipeline.ingest.decode import InputError
from pipeline.ingest.html import fragment_text
from pipeline.records import Problem

# An entry whose text is shorter than this is a teaser: fetch the linked page when fetching is allowed.
TEASER_CHARS = 600
FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf", b"<rdf")


def looks_like_feed(data: bytes) -> bool:
    """Return True when the first bytes hold an RSS, Atom or RDF root element."""
    head = data[:2048].lower()
    return any(marker in head for marker in FEED_MARKERS)


def entry_date(entry: feedparser.FeedParserDict) -> date | None:
    """Return the entry's publication (or update) date."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        if value := entry.get(key):
            return date(value.tm_year, value.tm_mon, value.tm_mday)
    return None


def entry_text(entry: feedparser.FeedParserDict) -> str:
    """Return the longest text the entry carries: full content, else the summary."""
    candidates = [c.get("value", "") for c in entry.get("content", [])] + [entry.get("summary", "")]
    return max((fragment_text(c) for c in candidates), key=len, default="")


def is_teaser(entry: feedparser.FeedParserDict, text: str) -> bool:
    """Return True when the entry carries no full content, only a short summary."""
    return not entry.get("content") and len(text) < TEASER_CHARS


Fetcher = Callable[[str], RawArticle]


def raw_from_entry(entry: feedparser.FeedParserDict, feed: feedparser.FeedParserDict, stem: str, origin: str, index: int) -> RawArticle:
    """Return the article of one feed entry."""
    link = entry.get("link", "")
    return RawArticle(
        label=f"{stem}-{index}",
        source_id=entry.get("id", ""),
        title=entry.get("title", ""),
        body=entry_text(entry),
        origin=origin,
        locator=f"entry {index}",
        published=entry_date(entry),
        author=entry.get("author", ""),
        publisher=feed.feed.get("title", ""),
        url=link,
        language=entry.get("language") or feed.feed.get("language", ""),
    )


def read_feed(data: bytes, stem: str, origin: str, fetch: Fetcher | None = None) -> Iterator[RawArticle | Problem]:
    """Yield one article per entry; with ``fetch``, teaser entries are replaced by their linked page."""
    feed = feedparser.parse(data)
    if not feed.entries:
        reason = feed.get("bozo_exception") or "no entries"
        raise InputError(f"not a readable RSS/Atom feed ({reason})")
    for index, entry in enumerate(feed.entries, start=1):
        raw = raw_from_entry(entry, feed, stem, origin, index)
        if fetch and raw.url and is_teaser(entry, raw.body):
            try:
                page = fetch(raw.url)
                raw = replace(
                    page,
                    label=raw.label,
                    source_id=raw.source_id,
                    url=raw.url or page.url,
                    origin=origin,
                    locator=raw.locator,
                    published=page.published or raw.published,
                    publisher=raw.publisher or page.publisher,
                    title=page.title or raw.title,
                )
            except InputError as err:
                yield Problem("warning", origin, f"kept the feed's teaser: cannot fetch {raw.url} ({err})", raw.locator)
        if raw.body.strip():
            yield raw
        else:
            yield Problem("failed", origin, "entry has no text", raw.locator)
