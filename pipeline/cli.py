"""The ``python -m pipeline`` command line (``eventline`` once installed): a thin shell over the library."""

from __future__ import annotations

import argparse
import difflib
import errno
import functools
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__
from pipeline.ingest import ReadOptions, read_articles, summarise
from pipeline.ingest.decode import DEFAULT_MAX_BYTES
from pipeline.records import Article, Problem, ReadSummary, one_line, valid_text

if TYPE_CHECKING:
    from pipeline.events_table import Event
    from pipeline.progress import Progress
    from pipeline.store import Store

log = logging.getLogger("pipeline")
ROOT = Path(__file__).resolve().parent.parent
# In a checkout (beside pyproject.toml) the store is the checkout's data/store; installed, data/store in the current folder.
DEFAULT_STORE = ROOT / "data" / "store" if (ROOT / "pyproject.toml").is_file() else Path("data", "store")
EVENT_TYPES_FILE = ROOT / "data" / "events" / "types.yaml"
DASHBOARD_APP = ROOT / "dashboard" / "app.py"

# Exit statuses (README, "Bad input"; the epilog of --help).
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_NOTHING_READ, EXIT_STORE, EXIT_BUG = 0, 1, 2, 3, 4, 5
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command Ctrl-C stopped
EXIT_CODES = {
    EXIT_OK: "all read: every input (file, URL, record, line) was read",
    EXIT_SOME_FAILED: "some inputs failed: one line each says why; the rest were read",
    EXIT_USAGE: "usage error: a bad option or value (an unknown type or actor gets the nearest one suggested)",
    EXIT_NOTHING_READ: "nothing read: no input could be read, or the paths do not exist",
    EXIT_STORE: "store error: the store or an output cannot be used; one line says what state it is in and what to do",
    EXIT_BUG: "internal error: a bug, named in one line; --debug shows the traceback",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C): a commit under way is finished first; one line says what the store holds",
}
EXIT_EPILOG = "exit status:\n" + "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items())
# What a command that stops on a store or system error leaves behind, said after the error.
STATE_AFTER_ERROR = {
    "ingest": "The store keeps the batches committed before it (a commit is whole or absent): run the same ingest again to add the rest.",
    "migrate": "The store is as it was before the step that stopped: run migrate again.",
    "export": "An output file it began is incomplete: fix the cause and export again.",
    "extract": "An output file it began is incomplete: fix the cause and run again.",
    "articles": "An output file it began is incomplete: fix the cause and run again.",
}
# System errors that say the disk is full: nothing can be written until space is freed.
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


class UsageError(ValueError):
    """An option value the command cannot use, found after parsing (an actor the store does not know)."""


def iso_date(text: str) -> date:
    """Parse a ``YYYY-MM-DD`` option value."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def publication_date(text: str) -> date:
    """Parse ``--published``: a date in the years a publication date may have (``pipeline.pubdate.PLAUSIBLE_YEARS``)."""
    from pipeline.pubdate import PLAUSIBLE_YEARS

    day = iso_date(text)
    if day.year not in PLAUSIBLE_YEARS:
        first, last = PLAUSIBLE_YEARS[0], PLAUSIBLE_YEARS[-1]
        raise argparse.ArgumentTypeError(f"expected a publication date from {first}-01-01 to {last}-12-31, got {text}")
    return day


def whole_number(minimum: int) -> Callable[[str], int]:
    """Return an option type for a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a whole number of at least {minimum}, got {value}")
        return value

    return parse


def seconds(text: str) -> float:
    """Parse a duration in seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds of 0 or more, got {text}")
    return value


def output_path(text: str) -> str:
    """Parse an output file: ``-`` (standard output) or a file in a folder that exists; checked before any work is done."""
    path = Path(text)
    if text == "-":
        return text
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"cannot write {text}: it is a folder; name a file in it")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"cannot write {text}: the folder {path.parent} does not exist; make it first")
    return text


@functools.lru_cache(maxsize=1)
def event_type_names() -> tuple[str, ...]:
    """Return the event types of ``data/events/types.yaml``, in its order."""
    import yaml

    return tuple(entry["type"] for entry in yaml.safe_load(EVENT_TYPES_FILE.read_text(encoding="utf-8")))


def nearest(word: str, known: Iterable[str]) -> str:
    """Return "; did you mean 'x'?" for the known word nearest ``word`` (difflib, ignoring case), or "" when none is near."""
    by_folded = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(word.casefold(), list(by_folded), n=1, cutoff=0.6)
    return f"; did you mean {by_folded[close[0]]!r}?" if close else ""


def event_type(text: str) -> str:
    """Parse ``--type``: one of the event types, the nearest suggested for another word."""
    if text in event_type_names():
        return text
    names = event_type_names()
    raise argparse.ArgumentTypeError(f"unknown event type {text!r}{nearest(text, names)} (one of: {', '.join(names)})")


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """Add the options every command that reads articles takes."""
    parser.add_argument("paths", nargs="+", help="files, folders (read recursively) and http(s) URLs")
    parser.add_argument(
        "--published",
        type=publication_date,
        help="publication date for every article, overriding metadata and text (YYYY-MM-DD, years 1900-2100)",
    )
    parser.add_argument("--fetch-links", action="store_true", help="fetch the linked page of feed entries that carry only a teaser")
    parser.add_argument(
        "--max-bytes", type=whole_number(1), default=DEFAULT_MAX_BYTES, help="size cap per file or URL, every format (default: %(default)s)"
    )


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


def collect_articles(args: argparse.Namespace) -> tuple[list[Article], ReadSummary]:
    """Read the command's inputs, report each problem on one line and the summary; return the articles and the summary."""
    items = list(read_articles(args.paths, read_options(args)))
    for problem in (i for i in items if isinstance(i, Problem)):
        log.warning("%s", problem)
    summary = summarise(items)
    log.info("%s", summary)
    return [i for i in items if isinstance(i, Article)], summary


def read_status(summary: ReadSummary | None, failed: int = 0, unchanged: int = 0) -> int:
    """Return the exit status of a read: nothing read (no article and no file unchanged since an earlier ingest), some inputs,
    records or extractions (``failed``) failed, or all read."""
    if summary is None or (not summary.articles and not unchanged):
        log.warning("nothing read: no article in the inputs given")
        return EXIT_NOTHING_READ
    return EXIT_SOME_FAILED if summary.inputs_failed + summary.records_failed + failed else EXIT_OK


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
    articles, summary = collect_articles(args)
    with open_output(args.output) as out:
        for article in articles:
            out.write(article_json(article) + "\n")
    return read_status(summary)


def extracted_events(articles: Sequence[Article], progress: Progress) -> tuple[list[Event], int]:
    """Return the events of the articles and how many articles could not be extracted (each logged on one line), counting
    each article in ``progress``."""
    from pipeline.parallel import extracted_outcome

    events: list[Event] = []
    failed = 0
    for article in articles:
        outcome = extracted_outcome(article)
        if isinstance(outcome, str):
            log.warning("failed: %s: extracting the events of article %s failed: %s", article.origin, article.article_id, outcome)
            failed += 1
            progress.failed()
        else:
            events += outcome
            progress.done(article.article_id, len(outcome))
    return events, failed


def progress_level(args: argparse.Namespace) -> int:
    """Return how much progress a command shows: none with -q, a bar or lines, and a line per article with -v."""
    from pipeline.progress import NORMAL, QUIET, VERBOSE

    return QUIET if args.quiet else VERBOSE if args.verbose else NORMAL


def cmd_extract(args: argparse.Namespace) -> int:
    """Read articles, extract events, write the events table."""
    from pipeline.events_table import write_events
    from pipeline.progress import watched

    if not use_actor_files(args):
        return EXIT_USAGE
    articles, summary = collect_articles(args)
    with watched("extract", 0, progress_level(args)) as progress:
        progress.expect(len(articles))
        events, failed = extracted_events(articles, progress)
    write_events(events, args.output)
    log.info("%d events written to %s", len(events), args.output)
    return read_status(summary, failed)


def cmd_ingest(args: argparse.Namespace) -> int:
    """Read articles, extract events from those the store lacks (in parallel), commit both to the store in batches."""
    from functools import partial

    from pipeline.parallel import default_workers, extracted
    from pipeline.progress import watched
    from pipeline.store.ingest import ingest_files

    if not use_actor_files(args):
        return EXIT_USAGE
    workers = args.workers or default_workers()
    extraction = partial(extracted, workers=workers, scheduler=args.dask_scheduler or "")
    with watched("ingest", 0, progress_level(args)) as progress:
        report = ingest_files(
            args.paths,
            args.store,
            extraction,
            read_options(args),
            batch_articles=args.batch_size,
            lock_timeout=args.lock_timeout,
            progress=progress,
        )
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
    return read_status(report.read, report.unextracted, report.files_skipped)


def existing_store(path: Path) -> Store:
    """Return the store at ``path``; raise StoreError, saying what to do, when there is none."""
    from pipeline.store import StoreError, open_store, store_version

    if store_version(path) is None:
        raise StoreError(f"no store at {path} (no manifest.json there). Make one: python -m pipeline ingest PATH... --store {path}")
    return open_store(path)


def known_actors(store: Store, actors: Sequence[str]) -> tuple[str, ...]:
    """Return the actors asked for; raise UsageError, with the nearest stored one, for an actor no stored event names."""
    if not actors:
        return ()
    stored = set(store.query("SELECT DISTINCT unnest(actors) AS actor FROM events")["actor"])
    for actor in actors:
        if actor not in stored:
            raise UsageError(f"--actor: no stored event names {actor!r}{nearest(actor, stored)}")
    return tuple(actors)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the stored events a filter keeps to a file."""
    from pipeline.store import EventFilter
    from pipeline.store.export import format_of, write_export

    store = existing_store(args.store)
    filters = EventFilter(
        actors=known_actors(store, args.actor), types=tuple(args.type), since=args.since, until=args.until, min_articles=args.min_articles
    )
    events = store.events(filters)
    write_export(events, args.output, format_of(args.output, args.format))
    log.info("%d events written to %s", len(events), args.output)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the store's figures: articles, mentions, events, date range, top actors."""
    from pipeline.store.export import summary_text

    summary = existing_store(args.store).summary(top=args.top)
    sys.stdout.write(summary_text(summary, args.store))
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    """Bring a store written by an older Eventline to the current schema version."""
    from pipeline.store import migrate

    before, after = migrate(args.store, args.lock_timeout)
    log.info("the store at %s is at schema version %d%s", args.store, after, f" (was {before})" if before != after else "")
    return EXIT_OK


def cmd_corrections(args: argparse.Namespace) -> int:
    """Add a file of corrections to the store (``apply FILE``: those it holds already are skipped), or write the store's
    corrections to a file to share (``export FILE``)."""
    from pipeline.store.corrections import add_corrections, corrections_in, corrections_text, stored_corrections

    store = existing_store(args.store)
    if args.action == "export":
        items = stored_corrections(store.path)
        args.file.write_text(corrections_text(items), encoding="utf-8")
        log.info("%d corrections written to %s", len(items), args.file)
        return EXIT_OK
    items, problems = corrections_in(args.file.read_text(encoding="utf-8"))
    if problems:
        raise UsageError(f"{args.file}: {'; '.join(problems)}; nothing applied")
    added = add_corrections(store.path, items, args.lock_timeout)
    log.info("%d of %d corrections added to %s (the others it held already)", added, len(items), args.store)
    return EXIT_OK


def cmd_timex(args: argparse.Namespace) -> int:
    """Resolve date expressions read as JSON lines on standard input."""
    from pipeline.dates import timex_main

    answered, skipped = timex_main(sys.stdin, sys.stdout)
    if skipped and not answered:
        return EXIT_NOTHING_READ
    return EXIT_SOME_FAILED if skipped else EXIT_OK


def streamlit_options(args: argparse.Namespace) -> list[str]:
    """Return Streamlit's options for serving the dashboard: the port, no browser or usage statistics, and the app's own
    upload limit as the server's (``.streamlit/config.toml`` says the same, for ``streamlit run`` in the checkout)."""
    from dashboard.uploads import MAX_UPLOAD_MB

    return [
        *("--server.port", str(args.port), "--server.headless", "true", "--browser.gatherUsageStats", "false"),
        *("--server.maxUploadSize", str(MAX_UPLOAD_MB)),
    ]


def app_command(args: argparse.Namespace) -> list[str]:
    """Return the command that serves the dashboard on ``args.store``: ``streamlit run dashboard/app.py``, wherever installed."""
    return [sys.executable, "-m", "streamlit", "run", str(DASHBOARD_APP), *streamlit_options(args), "--", "--store", str(args.store)]


def cmd_app(args: argparse.Namespace) -> int:
    """Serve the dashboard on the store: this process becomes Streamlit's (so that it gets the signals, in Docker too)."""
    command = app_command(args)
    log.info("serving the dashboard of %s on http://localhost:%d", args.store, args.port)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)


def open_output(path: str):
    """Return a writable text stream: the file at ``path``, or stdout for ``-``."""
    return open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False) if path == "-" else open(path, "w", encoding="utf-8")


def build_parser(prog: str = "python -m pipeline") -> argparse.ArgumentParser:
    """Return the parser with one subcommand per task; ``prog`` is how the help names the command."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Eventline: news articles in, dated geopolitical events out.",
        epilog=EXIT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="report only problems: no progress, no summary")
    loudness.add_argument("-v", "--verbose", action="store_true", help="also say each article's outcome as it is done")
    parser.add_argument("--debug", action="store_true", help="log everything, and show the traceback of an internal error")
    parser.add_argument("--version", action="version", version=f"eventline {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    command = functools.partial(commands.add_parser, epilog=EXIT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)

    articles = command("articles", help="read and clean articles; write them as JSON lines")
    add_read_options(articles)
    articles.add_argument("-o", "--output", type=output_path, default="-", help="output file (default: standard output)")
    articles.set_defaults(run=cmd_articles)

    extract = command("extract", help="read articles and write the table of events they report")
    add_read_options(extract)
    add_actor_option(extract)
    extract.add_argument("-o", "--output", type=output_path, required=True, help="events table to write (.csv)")
    extract.set_defaults(run=cmd_extract)

    ingest = command("ingest", help="read articles, extract their events and add both to the store")
    add_read_options(ingest)
    add_actor_option(ingest)
    ingest.add_argument("--store", type=Path, default=DEFAULT_STORE, metavar="DIR", help="store folder (default: data/store)")
    ingest.add_argument(
        "--workers", type=whole_number(1), metavar="N", help="extract in N local processes, 1 or more (default: the number of cores)"
    )
    ingest.add_argument("--dask-scheduler", metavar="tcp://HOST:PORT", help="extract on this Dask distributed cluster instead of locally")
    ingest.add_argument(
        "--lock-timeout",
        type=seconds,
        default=30.0,
        metavar="SECONDS",
        help="how long to wait while another ingest writes to the store (default: %(default)s)",
    )
    ingest.add_argument(
        "--batch-size",
        type=whole_number(1),
        default=2000,
        metavar="N",
        help="commit every N articles, or every 5 minutes if sooner; a killed ingest loses at most one batch (default: %(default)s)",
    )
    ingest.set_defaults(run=cmd_ingest)

    export = command("export", help="write the stored events (those the filters keep) to a file")
    export.add_argument("-o", "--output", type=output_path, required=True, help="file to write")
    export.add_argument(
        "--format", choices=("csv", "json", "parquet", "xlsx"), help="file format (default: from the file's suffix, else csv)"
    )
    export.add_argument(
        "--actor", action="append", default=[], metavar="A", help="events this actor takes part in (repeat for any of several)"
    )
    export.add_argument(
        "--type",
        action="append",
        default=[],
        type=event_type,
        metavar="T",
        help=f"events of this type (repeat for any of several); one of: {', '.join(event_type_names())}",
    )
    export.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="events that may have happened on or after this day")
    export.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="events that may have happened on or before this day")
    export.add_argument(
        "--min-articles", type=whole_number(0), default=0, metavar="N", help="events reported by at least N articles (default: %(default)s)"
    )
    export.add_argument("--store", type=Path, default=DEFAULT_STORE, metavar="DIR", help="store folder (default: data/store)")
    export.set_defaults(run=cmd_export)

    stats = command("stats", help="print the store's articles, mentions, events, date range and top actors")
    stats.add_argument("--store", type=Path, default=DEFAULT_STORE, metavar="DIR", help="store folder (default: data/store)")
    stats.add_argument("--top", type=whole_number(0), default=10, metavar="N", help="how many top actors to list (default: %(default)s)")
    stats.set_defaults(run=cmd_stats)

    migrate = command("migrate", help="bring a store written by an older Eventline to the current schema version")
    migrate.add_argument("--store", type=Path, default=DEFAULT_STORE, metavar="DIR", help="store folder (default: data/store)")
    migrate.add_argument(
        "--lock-timeout", type=seconds, default=30.0, metavar="SECONDS", help="how long to wait for a running ingest (default: %(default)s)"
    )
    migrate.set_defaults(run=cmd_migrate)

    corrections = command("corrections", help="apply a file of analysts' corrections to the store, or export the store's")
    corrections.add_argument("action", choices=("apply", "export"), help="apply FILE to the store, or export the store's to FILE")
    corrections.add_argument("file", type=Path, metavar="FILE", help="the corrections, as JSON lines")
    corrections.add_argument("--store", type=Path, default=DEFAULT_STORE, metavar="DIR", help="store folder (default: data/store)")
    corrections.add_argument(
        "--lock-timeout", type=seconds, default=30.0, metavar="SECONDS", help="how long to wait for a running ingest (default: %(default)s)"
    )
    corrections.set_defaults(run=cmd_corrections)

    timex = command("timex", help="resolve date expressions: JSON lines {id, expression, sentence, published} in, {id, value} out")
    timex.set_defaults(run=cmd_timex)

    app = command("app", help="serve the dashboard on a store (streamlit run dashboard/app.py)")
    app.add_argument("--store", type=Path, default=DEFAULT_STORE, metavar="DIR", help="store folder (default: data/store)")
    app.add_argument("--port", type=whole_number(1), default=8501, metavar="N", help="port to serve on (default: %(default)s)")
    app.set_defaults(run=cmd_app)
    return parser


def main(argv: Sequence[str] | None = None, prog: str = "python -m pipeline") -> int:
    """Run the command line; return the exit status (``EXIT_CODES``). This is the one place where an error that stops a command
    (the store, an output, the system) becomes one line saying what state it left and what to do."""
    args = build_parser(prog).parse_args(argv)
    level = logging.DEBUG if args.debug else logging.WARNING if args.quiet else logging.INFO
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s")
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except UsageError as err:
        log.error("%s", err)
        return EXIT_USAGE
    except KeyboardInterrupt as interrupt:
        if args.debug:
            raise
        log.error("%s", interrupted_message(interrupt, args))
        return EXIT_INTERRUPTED
    except Exception as err:  # any at all: the user gets one line; --debug shows the traceback
        if args.debug:
            raise
        log.error("%s", stop_message(err, args))
        return EXIT_STORE if is_store_error(err) else EXIT_BUG


def console() -> int:
    """The ``eventline`` command that ``pip install`` makes: ``python -m pipeline`` by another name."""
    return main(prog="eventline")


def is_store_error(err: Exception) -> bool:
    """Return True for an error of the store (also a part file missing or damaged), an output or the system (a full disk, a
    lost connection), not of Eventline."""
    from pipeline.store import StoreError
    from pipeline.store.reader import is_damaged

    return isinstance(err, StoreError | OSError) or is_damaged(err)


def written_target(args: argparse.Namespace) -> str:
    """Return what a command writes, as a message names it: its output file, else its store."""
    output = getattr(args, "output", None)
    if output:
        return "standard output" if output == "-" else output
    return f"the store at {args.store}"


def stop_message(err: Exception, args: argparse.Namespace) -> str:
    """Return the one line of an error that stopped a command: what happened, what state it left, what to do."""
    from pipeline.store.reader import damaged_text, is_damaged

    state = STATE_AFTER_ERROR.get(args.command, "")
    if isinstance(err, OSError) and err.errno in DISK_FULL:
        full = f"the disk is full ({os.strerror(err.errno)})"
        return f"{args.command} stopped: {written_target(args)} cannot be written, {full}. Free space on it first. {state}"
    if isinstance(err, OSError):
        where = f": {valid_text(os.fsdecode(err.filename))}" if err.filename else ""
        return f"{args.command} stopped: {err.strerror or err}{where}. {state}".strip()
    if is_damaged(err):
        return damaged_text(args.store, err)
    if is_store_error(err):
        return str(err)
    return f"{args.command} stopped by an internal error ({type(err).__name__}: {one_line(str(err))}); please report it. {state}".strip()


def interrupted_message(interrupt: KeyboardInterrupt, args: argparse.Namespace) -> str:
    """Return the one line said when Ctrl-C stops a command: for an ingest, what it committed and what the store holds."""
    from pipeline.store import IngestInterrupted

    if isinstance(interrupt, IngestInterrupted):
        done = interrupt.report
        return (
            f"ingest interrupted (Ctrl-C): {done.added + done.replaced:,} articles committed in {done.commits:,} commits "
            f"({done.added:,} added, {done.replaced:,} replaced); the store at {args.store} is whole and holds {done.events:,} events. "
            "Run the same ingest again to add the rest: the articles stored are skipped."
        )
    return f"{args.command} interrupted (Ctrl-C). {STATE_AFTER_ERROR.get(args.command, 'Nothing was changed.')}"
