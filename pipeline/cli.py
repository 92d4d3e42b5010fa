"""The ``python -m pipeline`` command line: a thin shell over the library."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from pipeline.ingest import ReadOptions, read_articles, summarise
from pipeline.ingest.decode import DEFAULT_MAX_BYTES
from pipeline.records import Article, Problem

log = logging.getLogger("pipeline")
DEFAULT_STORE = Path(__file__).resolve().parent.parent / "data" / "store"


def iso_date(text: str) -> date:
    """Parse a ``YYYY-MM-DD`` option value."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """Add the options every command that reads articles takes."""
    parser.add_argument("paths", nargs="+", help="files, folders (read recursively) and http(s) URLs")
    parser.add_argument("--published", type=iso_date, help="publication date for every article, overriding metadata and text (YYYY-MM-DD)")
    parser.add_argument("--fetch-links", action="store_true", help="fetch the linked page of feed entries that carry only a teaser")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="size cap per file or URL (default: %(default)s)")


def add_actor_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--actors FILE`` (repeatable): the user's actor files, in the format of data/actors/README.md."""
    parser.add_argument(
        "--actors",
        action="append",
        default=[],
        metavar="FILE",
        help="extra actor dictionary file (YAML, see data/actors/README.md); repeatable",
    )


def use_actor_files(args: argparse.Namespace) -> bool:
    """Make the user's actor files the extractor's, in this process and the workers it starts; return False, saying why,
    when one cannot be read (checked here, before any worker starts: the dictionary it builds is cached for them)."""
    from pipeline.actors import ActorDictionary, DictionaryError
    from pipeline.extract import ACTORS_ENV

    if not args.actors:
        return True
    paths = [Path(f).resolve() for f in args.actors]
    try:
        ActorDictionary.load(tuple(paths))
    except (DictionaryError, OSError) as err:
        log.error("--actors: %s", err)
        return False
    os.environ[ACTORS_ENV] = os.pathsep.join(str(p) for p in paths)
    return True


def read_options(args: argparse.Namespace) -> ReadOptions:
    """Return the read options given on the command line."""
    return ReadOptions(published=args.published, fetch_links=args.fetch_links, max_bytes=args.max_bytes)


def collect_articles(args: argparse.Namespace) -> list[Article]:
    """Read the command's inputs, report each problem on one line and the summary, return the articles."""
    items = list(read_articles(args.paths, read_options(args)))
    for problem in (i for i in items if isinstance(i, Problem)):
        log.warning("%s", problem)
    log.info("%s", summarise(items))
    return [i for i in items if isinstance(i, Article)]


def article_json(article: Article) -> str:
    """Return one article as a JSON line."""
    record = {
        "article_id": article.article_id,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "published_source": article.published_source,
        "author": article.author,
        "publisher": article.publisher,
        "url": article.url,
        "language": article.language,
        "captions": list(article.captions),
        "origin": article.origin,
        "locator": article.locator,
        "content_hash": article.content_hash,
        "text": article.text,
    }
    return json.dumps(record, ensure_ascii=False)


def cmd_articles(args: argparse.Namespace) -> int:
    """Write the cleaned articles as JSON lines."""
    articles = collect_articles(args)
    with open_output(args.output) as out:
        for article in articles:
            out.write(article_json(article) + "\n")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    """Read articles, extract events, write the events table."""
    from pipeline.events_table import write_events
    from pipeline.extract import extract_events

    if not use_actor_files(args):
        return 1
    articles = collect_articles(args)
    events = extract_events(articles)
    write_events(events, args.output)
    log.info("%d events written to %s", len(events), args.output)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Read articles, extract events from those the store lacks (in parallel), commit both to the store in batches."""
    from functools import partial

    from pipeline.parallel import default_workers, extracted
    from pipeline.store import StoreError
    from pipeline.store.ingest import ingest_files

    if not use_actor_files(args):
        return 1
    workers = args.workers or default_workers()
    extraction = partial(extracted, workers=workers, scheduler=args.dask_scheduler or "")
    try:
        report = ingest_files(
            args.paths, args.store, extraction, read_options(args), batch_articles=args.batch_size, lock_timeout=args.lock_timeout
        )
    except (StoreError, ConnectionError) as err:
        log.error("%s", err)
        return 1
    where = f"on {args.dask_scheduler}" if args.dask_scheduler else f"with {workers} worker{'s' if workers > 1 else ''}"
    log.info(
        "%d files unchanged since an earlier ingest; %d articles read: %d already stored, %d added, %d replaced; "
        "%d mentions in %d commits %s; the store holds %d events (%.1f s)",
        report.files_skipped,
        report.articles,
        report.already_stored,
        report.added,
        report.replaced,
        report.mentions,
        report.commits,
        where,
        report.events,
        report.seconds,
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the stored events a filter keeps to a file."""
    from pipeline.store import EventFilter, StoreError, open_store
    from pipeline.store.export import format_of, write_export

    filters = EventFilter(
        actors=tuple(args.actor), types=tuple(args.type), since=args.since, until=args.until, min_articles=args.min_articles
    )
    try:
        events = open_store(args.store).events(filters)
    except StoreError as err:
        log.error("%s", err)
        return 1
    write_export(events, args.output, format_of(args.output, args.format))
    log.info("%d events written to %s", len(events), args.output)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the store's figures: articles, mentions, events, date range, top actors."""
    from pipeline.store import StoreError, open_store
    from pipeline.store.export import summary_text

    try:
        summary = open_store(args.store).summary(top=args.top)
    except StoreError as err:
        log.error("%s", err)
        return 1
    sys.stdout.write(summary_text(summary, args.store))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Bring a store written by an older Eventline to the current schema version."""
    from pipeline.store import StoreError, migrate

    try:
        before, after = migrate(args.store, args.lock_timeout)
    except StoreError as err:
        log.error("%s", err)
        return 1
    log.info("the store at %s is at schema version %d%s", args.store, after, f" (was {before})" if before != after else "")
    return 0


def cmd_timex(args: argparse.Namespace) -> int:
    """Resolve date expressions read as JSON lines on standard input."""
    from pipeline.dates import timex_main

    timex_main(sys.stdin, sys.stdout)
    return 0


def open_output(path: str):
    """Return a writable text stream: the file at ``path``, or stdout for ``-``."""
    return open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False) if path == "-" else open(path, "w", encoding="utf-8")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with one subcommand per task."""
    parser = argparse.ArgumentParser(prog="python -m pipeline", description="Eventline: news articles in, dated geopolitical events out.")
    parser.add_argument("-q", "--quiet", action="store_true", help="report only problems")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    articles = commands.add_parser("articles", help="read and clean articles; write them as JSON lines")
    add_read_options(articles)
    articles.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    articles.set_defaults(run=cmd_articles)

    extract = commands.add_parser("extract", help="read articles and write the table of events they report")
    add_read_options(extract)
    add_actor_option(extract)
    extract.add_argument("-o", "--output", required=True, help="events table to write (.csv)")
    extract.set_defaults(run=cmd_extract)

    ingest = commands.add_parser("ingest", help="read articles, extract their events and add both to the store")
    add_read_options(ingest)
    add_actor_option(ingest)
    ingest.add_argument("--store", type=Path, default=DEFAULT_STORE, help="store folder (default: data/store)")
    ingest.add_argument("--workers", type=int, default=0, metavar="N", help="extract in N local processes (default: the number of cores)")
    ingest.add_argument("--dask-scheduler", metavar="tcp://HOST:PORT", help="extract on this Dask distributed cluster instead of locally")
    ingest.add_argument(
        "--lock-timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="how long to wait while another ingest writes to the store (default: %(default)s)",
    )
    ingest.add_argument(
        "--batch-size",
        type=int,
        default=2000,
        metavar="N",
        help="commit every N articles, or every 5 minutes if sooner; a killed ingest loses at most one batch (default: %(default)s)",
    )
    ingest.set_defaults(run=cmd_ingest)

    export = commands.add_parser("export", help="write the stored events (those the filters keep) to a file")
    export.add_argument("-o", "--output", required=True, help="file to write")
    export.add_argument(
        "--format", choices=("csv", "json", "parquet", "xlsx"), help="file format (default: from the file's suffix, else csv)"
    )
    export.add_argument(
        "--actor", action="append", default=[], metavar="A", help="events this actor takes part in (repeat for any of several)"
    )
    export.add_argument("--type", action="append", default=[], metavar="T", help="events of this type (repeat for any of several)")
    export.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="events that may have happened on or after this day")
    export.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="events that may have happened on or before this day")
    export.add_argument("--min-articles", type=int, default=0, metavar="N", help="events reported by at least N articles")
    export.add_argument("--store", type=Path, default=DEFAULT_STORE, help="store folder (default: data/store)")
    export.set_defaults(run=cmd_export)

    stats = commands.add_parser("stats", help="print the store's articles, mentions, events, date range and top actors")
    stats.add_argument("--store", type=Path, default=DEFAULT_STORE, help="store folder (default: data/store)")
    stats.add_argument("--top", type=int, default=10, metavar="N", help="how many top actors to list (default: %(default)s)")
    stats.set_defaults(run=cmd_stats)

    migrate = commands.add_parser("migrate", help="bring a store written by an older Eventline to the current schema version")
    migrate.add_argument("--store", type=Path, default=DEFAULT_STORE, help="store folder (default: data/store)")
    migrate.add_argument(
        "--lock-timeout", type=float, default=30.0, metavar="SECONDS", help="how long to wait for a running ingest (default: %(default)s)"
    )
    migrate.set_defaults(run=cmd_migrate)

    timex = commands.add_parser(
        "timex", help="resolve date expressions: JSON lines {id, expression, sentence, published} in, {id, value} out"
    )
    timex.set_defaults(run=cmd_timex)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s: %(message)s")
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)
