"""Ingest: skip articles the store holds, extract the rest, commit them in batches."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.records import Article, Problem, ReadSummary, valid_text
from pipeline.store.files import checked_manifest
from pipeline.store.rows import Extracted, batch_tables
from pipeline.store.sources import SourceStamp, reading_plan
from pipeline.store.writer import DEFAULT_LOCK_TIMEOUT, CommitReport, StoreWriter, interrupts_deferred, open_writer

if TYPE_CHECKING:
    from pipeline.ingest import ReadOptions
    from pipeline.progress import Progress

log = logging.getLogger(__name__)

# A batch is committed after this many articles or this many seconds, whichever comes first; a killed
# ingest loses at most one batch of work. A commit merges again every block its mentions touch: 1-4 s for
# 1,000 articles of the bench corpora into a small store, 8 s for 2,000 mentions into the full bench store
# (25,530 mentions), on the loaded 2-core machine. Cutting every 60 s made 36 commits of a 27-minute ingest;
# 2,000 articles or 5 minutes make about 20, under 5% of the run.
BATCH_ARTICLES = 2000
BATCH_SECONDS = 300.0

Extraction = Callable[[Iterable[Article]], Iterator[Extracted]]


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did."""

    articles: int  # read
    already_stored: int  # skipped: same content hash in the store
    added: int
    replaced: int  # an article with the same id and new content
    mentions: int
    commits: int
    events: int  # in the store afterwards
    seconds: float
    files_skipped: int = 0  # read whole by an earlier ingest, unchanged since
    read: ReadSummary | None = None  # what reading the inputs gave (ingest_files)
    unextracted: int = 0  # articles whose extraction failed: not stored, tried again by the next ingest
    replaced_ids: tuple[str, ...] = ()  # each stored article that new text of the same article replaced


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped an ingest: ``report`` says what it had committed (the articles extracted before it included)."""

    def __init__(self, report: IngestReport) -> None:
        super().__init__(f"interrupted after {report.commits} commits")
        self.report = report


def logged_articles(
    items: Iterable[Article | Problem], seen: list[Article | Problem], progress: Progress | None = None
) -> Iterator[Article]:
    """Yield the articles of a read as they come, logging each problem on one line (and counting each failure in
    ``progress``); add every item to ``seen`` (an article without its text: the read's summary needs where it came from),
    for ``pipeline.ingest.summarise``."""
    for item in items:
        if isinstance(item, Problem):
            seen.append(item)
            log.warning("%s", item)
            if progress is not None and item.kind == "failed":
                progress.failed()
        else:
            seen.append(replace(item, text="", captions=()))
            yield item


def batches(items: Iterable[Extracted], size: int, seconds: float) -> Iterator[list[Extracted]]:
    """Yield items in lists of at most ``size``, cut early when ``seconds`` have passed since the list began. Ctrl-C while
    the items come ends the list there: it is yielded (to be committed, so that no extraction done is lost), then the
    interrupt goes on."""
    batch: list[Extracted] = []
    started = time.monotonic()
    try:
        for item in items:
            batch.append(item)
            if len(batch) >= size or time.monotonic() - started >= seconds:
                yield batch
                batch, started = [], time.monotonic()
    except KeyboardInterrupt:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


def last_per_id(batch: list[Extracted]) -> list[Extracted]:
    """Return a batch with each article id once, the last read winning (as it would in a later batch), logging each
    article it drops (``read_articles`` gives an id once; a caller that passes articles may not)."""
    kept: dict[str, Extracted] = {}
    for item in batch:
        if (earlier := kept.get(item.article.article_id)) and earlier.article.content_hash != item.article.content_hash:
            log.warning(
                "replaced article %s (%s): read again in this batch with another text (%s); the later one kept",
                item.article.article_id,
                where(earlier.article),
                where(item.article),
            )
        kept[item.article.article_id] = item
    return list(kept.values())


def counted(items: Iterable[Extracted], progress: Progress | None) -> Iterator[Extracted]:
    """Yield the articles extracted, counting each in ``progress`` as done or failed; leave out those that failed."""
    for item in items:
        if item.error:
            if progress is not None:
                progress.failed()
            continue
        if progress is not None:
            progress.done(item.article.article_id, len(item.events))
        yield item


def where(article: Article) -> str:
    """Return where an article was read: its origin, and its locator when it has one."""
    return f"{article.origin}:{article.locator}" if article.locator else article.origin or "given"


def ingest_articles(
    articles: Iterable[Article],
    store: Path,
    extraction: Extraction,
    batch_articles: int = BATCH_ARTICLES,
    batch_seconds: float = BATCH_SECONDS,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    progress: Progress | None = None,
) -> IngestReport:
    """Add the articles the store lacks and their events; an article already stored (same content hash) is skipped,
    one stored under the same id with other content is replaced; ``progress`` counts each article done or failed. E.g.
    ``ingest_articles(arts, Path("data/store"), extracted)``."""
    started = time.monotonic()
    counts = {"read": 0, "skipped": 0}
    with open_writer(store, lock_timeout) as writer:
        known = set(writer.stored_hashes().values())

        def new(articles: Iterable[Article]) -> Iterator[Article]:
            for article in articles:
                counts["read"] += 1
                if article.content_hash in known:
                    counts["skipped"] += 1
                    if progress is not None:
                        progress.done()
                else:
                    yield article

        extracted = counted(extraction(new(articles)), progress)
        reports: list[CommitReport] = []
        try:
            for batch in batches(extracted, batch_articles, batch_seconds):
                with interrupts_deferred():  # Ctrl-C during a commit stops the ingest once it is done and counted
                    reports.append(commit_batch(writer, last_per_id(batch), started))
        except KeyboardInterrupt as interrupt:
            raise IngestInterrupted(ingest_report(counts, reports, writer.count("events"), started)) from interrupt
        return ingest_report(counts, reports, writer.count("events"), started)


def ingest_report(counts: dict[str, int], reports: Sequence[CommitReport], events: int, started: float) -> IngestReport:
    """Return what an ingest did: the articles read and skipped (``counts``), what its commits changed, the events stored."""
    return IngestReport(
        counts["read"],
        counts["skipped"],
        sum(r.articles for r in reports),
        sum(r.replaced for r in reports),
        sum(r.mentions for r in reports),
        len(reports),
        events,
        time.monotonic() - started,
        replaced_ids=tuple(i for r in reports for i in r.replaced_ids),
    )


def ingest_files(
    paths: Sequence[str | Path],
    store: Path,
    extraction: Extraction,
    options: ReadOptions,
    batch_articles: int = BATCH_ARTICLES,
    batch_seconds: float = BATCH_SECONDS,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    progress: Progress | None = None,
) -> IngestReport:
    """Read files, folders and URLs and ingest their articles, skipping the files an earlier ingest read whole and that
    have not changed since (pipeline/store/sources.py); note the files this one read whole; ``progress`` expects the
    articles the inputs hold (about) and counts them. What ``ingest`` runs. A run that reads no article leaves a folder
    without a store as it was."""
    from pipeline.ingest import expand_sources, read_articles, summarise
    from pipeline.ingest.estimate import estimated_articles

    manifest = checked_manifest(store)
    plan = reading_plan(expand_sources(paths), manifest.sources if manifest else (), options)
    if plan.skipped:
        log.info("%d files read whole by an earlier ingest and unchanged since: not read again", len(plan.skipped))
    if progress is not None:
        progress.expect(estimated_articles(plan.to_read))
    seen: list[Article | Problem] = []
    unextracted: dict[str, str] = {}
    articles = logged_articles(read_articles(plan.to_read, options), seen, progress)
    first = next(articles, None)
    if first is None and manifest is None:
        report = IngestReport(0, 0, 0, 0, 0, 0, 0, 0.0)
    else:
        chained = itertools.chain([first] if first else [], articles)
        extraction_noted = noting_unextracted(extraction, unextracted)
        report = ingest_articles(chained, store, extraction_noted, batch_articles, batch_seconds, lock_timeout, progress)
        with open_writer(store, lock_timeout) as writer:
            writer.record_sources(read_whole(plan.stamps, failed_inputs(seen) | set(unextracted.values())))
    summary = summarise(seen)
    log.info("%s", summary)
    return replace(report, files_skipped=len(plan.skipped), read=summary, unextracted=len(unextracted))


def failed_inputs(seen: Iterable[Article | Problem]) -> set[str]:
    """Return the inputs a read could not read at all."""
    return {p.origin for p in seen if isinstance(p, Problem) and p.kind == "failed" and not p.locator}


def read_whole(stamps: Iterable[SourceStamp], failed: set[str]) -> list[SourceStamp]:
    """Return the stamps of the files read whole: all but those that could not be read or had an article not extracted."""
    unreadable = {valid_text(str(Path(origin).resolve())) for origin in failed}
    return [s for s in stamps if valid_text(s.path) not in unreadable]


def noting_unextracted(extraction: Extraction, unextracted: dict[str, str]) -> Extraction:
    """Return the extraction, adding to ``unextracted`` the id and file of each article it gave back no result for (its
    extraction failed): such a file is not read whole, so that the next ingest reads it again and retries them."""

    def run(articles: Iterable[Article]) -> Iterator[Extracted]:
        pending: dict[str, str] = {}

        def fed() -> Iterator[Article]:
            for article in articles:
                pending[article.article_id] = article.origin
                yield article

        for item in extraction(fed()):
            if not item.error:
                pending.pop(item.article.article_id, None)
            yield item
        unextracted.update(pending)

    return run


def commit_batch(writer: StoreWriter, batch: list[Extracted], started: float) -> CommitReport:
    """Commit one batch and log what it added and how long the commit took."""
    began = time.monotonic()
    articles, mentions = batch_tables(batch)
    report = writer.commit(articles, mentions)
    origins = {item.article.article_id: where(item.article) for item in batch}
    for article_id in report.replaced_ids:
        log.warning("replaced article %s: new text of the same article (%s); its old mentions removed", article_id, origins[article_id])
    log.info(
        "commit %d: %d articles (%d replaced), %d mentions, %d blocks merged in %.1f s; %d events stored; %.0f s since the start",
        report.generation,
        report.articles + report.replaced,
        report.replaced,
        report.mentions,
        report.blocks,
        time.monotonic() - began,
        report.events,
        time.monotonic() - started,
    )
    return report
