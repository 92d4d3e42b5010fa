"""The ``python -m pipeline`` command line: a thin shell over the library."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterable, Sequence
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
        "article_id": article.article_id, "title": article.title, "published": article.published.isoformat() if article.published else None,
        "published_source": article.published_source, "author": article.author, "publisher": article.publisher, "url": article.url,
        "language": article.language, "captions": list(article.captions), "origin": article.origin, "locator": article.locator,
        "content_hash": article.content_hash, "text": article.text,
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

    articles = collect_articles(args)
    events = extract_events(articles)
    write_events(events, args.output)
    log.info("%d events written to %s", len(events), args.output)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Read articles, extract events from those the store lacks, add both to the store."""
    from pipeline.extract import extract_events
    from pipeline.store import add_to_store, new_articles

    articles = new_articles(collect_articles(args), args.store)
    events = extract_events(articles)
    add_to_store(articles, events, args.store)
    log.info("stored %d new articles and %d events in %s", len(articles), len(events), args.store)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the stored events to a file."""
    from pipeline.events_table import COLUMNS, spreadsheet_safe
    from pipeline.store import read_table

    events = read_table(args.store, "events", COLUMNS)
    if args.format == "csv":
        events.map(spreadsheet_safe).to_csv(args.output, index=False)
    elif args.format == "json":
        events.to_json(args.output, orient="records", force_ascii=False, indent=1)
    else:
        events.to_parquet(args.output, index=False)
    log.info("%d events written to %s", len(events), args.output)
    return 0


def cmd_timex(args: argparse.Namespace) -> int:
    """Resolve date expressions read as JSON lines on standard input."""
    from pipeline.dates import timex_main

    timex_main(sys.stdin, sys.stdout)
    return 0


def open_output(path: str):  # noqa: ANN201 - a text file or stdout
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
    extract.add_argument("-o", "--output", required=True, help="events table to write (.csv)")
    extract.set_defaults(run=cmd_extract)

    ingest = commands.add_parser("ingest", help="read articles, extract their events and add both to the store")
    add_read_options(ingest)
    ingest.add_argument("--store", type=Path, default=DEFAULT_STORE, help="store folder (default: data/store)")
    ingest.set_defaults(run=cmd_ingest)

    export = commands.add_parser("export", help="write the stored events to a file")
    export.add_argument("-o", "--output", required=True, help="file to write")
    export.add_argument("--format", choices=("csv", "json", "parquet"), default="csv", help="file format (default: %(default)s)")
    export.add_argument("--store", type=Path, default=DEFAULT_STORE, help="store folder (default: data/store)")
    export.set_defaults(run=cmd_export)

    timex = commands.add_parser("timex", help="resolve date expressions: JSON lines {id, expression, sentence, published} in, {id, value} out")
    timex.set_defaults(run=cmd_timex)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s: %(message)s")
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)


