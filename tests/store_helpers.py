"""Build inputs for the store tests by hand: articles, event rows, and an extraction that returns given events."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from pipeline.events_table import Event
from pipeline.records import Article
from pipeline.store import open_store
from pipeline.store.rows import Extracted

PUBLISHED = date(2023, 3, 22)  # a Wednesday


def article(article_id: str, published: date = PUBLISHED, publisher: str = "Atlas Daily", text: str = "") -> Article:
    """Return an article; its text (hence its content hash) defaults to one made from its id."""
    return Article(
        article_id,
        f"Title of {article_id}",
        text or f"Text of {article_id}.",
        published,
        "metadata",
        publisher=publisher,
        url=f"https://example.org/{publisher.replace(' ', '-').lower()}/{article_id}",
    )


def event(source: Article | None = None, index: int = 0, **fields: object) -> Event:
    """Return an event row of an article: by default Putin and Xi meet on the publication day (no date words)."""
    source = source or article("a1")
    published = source.published.isoformat() if source.published else ""
    base: dict[str, object] = {
        "event_id": f"ev-{source.article_id}-{index}",
        "date": published,
        "date_precision": "day",
        "date_text": "",
        "event_type": "meeting",
        "cameo_root": "04",
        "plover": "CONSULT",
        "goldstein": 2.5,
        "status": "occurred",
        "source_actor": "Vladimir Putin",
        "source_kind": "person",
        "source_country": "RUS",
        "target_actor": "",
        "target_kind": "",
        "target_country": "",
        "participants": "Vladimir Putin;Xi Jinping",
        "location": "",
        "location_country": "",
        "latitude": None,
        "longitude": None,
        "sentence": f"Sentence {index} of {source.article_id}.",
        "trigger": "met",
        "article_id": source.article_id,
        "article_title": source.title,
        "article_url": source.url,
        "publisher": source.publisher,
        "published": published,
        "confidence": 0.7,
        "source_text": "Putin",
        "target_text": "",
        "evidence": f'[{{"sentence_index": {index}, "sentence": "Sentence {index} of {source.article_id}."}}]',
    }
    base.update(fields)
    return Event(**base)  # type: ignore[arg-type]


def directed(source: Article, actor: str, target: str, event_type: str = "warning", index: int = 0, **fields: object) -> Event:
    """Return a directed event row (a warning by default) from ``actor`` to ``target``."""
    return event(source, index, event_type=event_type, source_actor=actor, target_actor=target, participants=f"{actor};{target}", **fields)


def fixed_extraction(events: Mapping[str, Sequence[Event]]):
    """Return an extraction that gives each article the events listed for its id (none for others)."""

    def extraction(articles: Iterable[Article]) -> Iterator[Extracted]:
        for item in articles:
            yield Extracted(item, tuple(replace(e, article_id=item.article_id) for e in events.get(item.article_id, ())))

    return extraction


def contents(store: Path) -> dict[str, list[dict]]:
    """Return every row of the store's tables in a fixed order (to compare two stores)."""
    view = open_store(store)
    keys = {"articles": "article_id", "mentions": "mention_id", "events": "event_id"}
    return {table: view.query(f"SELECT * FROM {table} ORDER BY {key}").astype(str).to_dict("records") for table, key in keys.items()}


def unnamed_files(store: Path) -> set[str]:
    """Return the store's part files and temporary manifests that its manifest does not name (left by an unfinished commit)."""
    manifest = open_store(store).manifest()
    named = ({f for table in manifest.tables.values() for f in table} | {f for f, _ in manifest.retired}) if manifest else set()
    found = {str(p.relative_to(store)) for p in store.rglob("*.parquet")} | {p.name for p in store.glob(".manifest.json.*.tmp")}
    return found - named


def crash_corpus() -> tuple[list[Article], dict[str, list[Event]]]:
    """Return 60 made-up articles over five days by four outlets, each reporting a meeting and an attack (acts they share)."""
    arts = [article(f"k{i:02d}", PUBLISHED + timedelta(days=i % 5), publisher=f"Outlet {i % 4}") for i in range(60)]
    return arts, {a.article_id: list(crash_events(a)) for a in arts}


def crash_events(item: Article) -> tuple[Event, ...]:
    """Return the events ``crash_corpus`` gives an article: a meeting and an attack."""
    return (event(item), directed(item, "Russia", "Ukraine", "attack", 1))


def crash_chunk(articles: Sequence[Article]) -> list[tuple[Event, ...]]:
    """Return the crash corpus's events of a chunk of articles, slowly (a worker's task in the crash test: no spaCy)."""
    time.sleep(0.4 * len(articles))
    return [crash_events(a) for a in articles]


def ctrl_c_ignored_chunk(articles: Sequence[Article]) -> list[tuple[Event, ...] | str]:
    """Return the crash corpus's events of a chunk when the worker leaves Ctrl-C to its ingest (it ignores SIGINT), else say
    that it does not, as a failed extraction."""
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        return ["this worker stops at Ctrl-C"] * len(articles)
    return [crash_events(a) for a in articles]


def no_warm_up() -> None:
    """Load nothing: the crash test's workers need no model."""
