"""Extraction at scale: in this process, in N local worker processes, or on a Dask distributed cluster.

Whatever runs it, ``extracted`` yields each article with its events as its task finishes (in input order in one
process), reading the input only as fast as the workers take it, so the store can commit batches while extraction goes
on, and a slow article holds back only the chunk it is in.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipeline.events_table import Event
from pipeline.records import Article

if TYPE_CHECKING:
    from pipeline.store.rows import Extracted

log = logging.getLogger(__name__)

# Articles per task sent to a worker. A task of 8 short wire stories takes ~0.4 s and of 8 long press
# releases ~10 s: long enough that sending it costs little (also over a network to Dask), short enough
# that workers finish together at the end of a run.
CHUNK_ARTICLES = 8
# Tasks kept in flight per worker: while the client commits a batch (about a second), each worker still has
# three queued tasks, at least 1.2 s of work.
TASKS_PER_WORKER = 4
# How often a worker checks that the ingest that started it is alive, where the system cannot tell it at once (Linux can:
# PR_SET_PDEATHSIG, the prctl option that sends a signal when the parent ends). An orphaned worker holds ~270 MB.
PARENT_CHECK_SECONDS = 1.0
PR_SET_PDEATHSIG = 1
# How often the client looks for a finished task while every worker is busy: a task takes 0.4 to 10 s.
POLL_SECONDS = 0.05
# How long the client waits to reach a Dask scheduler before it gives up.
DASK_CONNECT_TIMEOUT = "10s"

Outcome = tuple[Event, ...] | str  # the events of one article, or why extracting them failed
ActorTexts = tuple[tuple[str, str], ...]  # the user's actor files as (file name, text), sent to remote workers


class Pending(Protocol):
    """A result still being computed: a local or a Dask future."""

    def result(self) -> list[Outcome]: ...

    def done(self) -> bool: ...


Task = tuple[list[Article], Pending]  # a chunk of articles and the result of extracting them


def default_workers() -> int:
    """Return the number of local worker processes to use by default: one per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def extracted_outcome(article: Article, actor_files: tuple[str, ...] = ()) -> Outcome:
    """Return the events of one article, or the error that stopped its extraction."""
    from pipeline.extract import article_events, default_extractor

    try:
        return tuple(article_events(article, default_extractor(actor_files)))
    except Exception as err:  # noqa: BLE001 - one article the extractor cannot handle must not stop an ingest of thousands
        return f"{type(err).__name__}: {err}"


def extract_chunk(articles: Sequence[Article]) -> list[Outcome]:
    """Return the events of each article of a chunk (the task a worker runs)."""
    return [extracted_outcome(a) for a in articles]


def user_actor_texts() -> ActorTexts:
    """Return the user's actor files (``--actors``) as names and texts: a remote worker does not see this machine's files."""
    from pipeline.extract import user_actor_files

    return tuple((Path(p).name, Path(p).read_text(encoding="utf-8")) for p in user_actor_files())


@functools.lru_cache(maxsize=4)
def written_actor_files(texts: ActorTexts) -> tuple[str, ...]:
    """Write actor files received from the client to a folder of this worker, once; return their paths in order."""
    folder = Path(tempfile.gettempdir()) / f"eventline-actors-{hashlib.sha256(repr(texts).encode()).hexdigest()[:16]}"
    folder.mkdir(exist_ok=True)
    paths = []
    for index, (name, text) in enumerate(texts):
        path = folder / f"{index:02d}-{name}"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return tuple(paths)


def extract_remote_chunk(articles: Sequence[Article], actor_texts: ActorTexts) -> list[Outcome]:
    """Return the events of each article of a chunk, with the client's actor files (the task a Dask worker runs)."""
    files = written_actor_files(actor_texts) if actor_texts else ()
    return [extracted_outcome(a, files) for a in articles]


def warm_up() -> None:
    """Load the extractor in a new worker process before its first task."""
    from pipeline.extract import default_extractor

    default_extractor()


def start_worker(parent: int, warm: Callable[[], object] = warm_up) -> None:
    """Start a local worker process: make it end with the process that started it (``parent``), leave Ctrl-C to that
    process (a terminal sends it to the workers too: they finish their task, and the ingest stops them), then ``warm`` it up."""
    exit_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm()


def exit_with_parent(parent: int) -> None:
    """Make this process end when ``parent`` (the process that started it) ends, even by SIGKILL: at once where Linux can
    say so (``PR_SET_PDEATHSIG``), else within ``PARENT_CHECK_SECONDS`` (a thread that watches the parent)."""
    kill_on_parent_death()
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)
    threading.Thread(target=watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


def kill_on_parent_death() -> bool:
    """Ask the system to send this process SIGKILL when its parent ends; return False where it cannot (not Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (OSError, AttributeError):
        return False


def watch_parent(parent: int) -> None:
    """End this process when its parent is no longer ``parent`` (it ended, and the process was handed to another)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Yield the articles in lists of ``size``, the last shorter."""
    iterator = iter(articles)
    while chunk := list(islice(iterator, size)):
        yield chunk


def finished(chunk: Sequence[Article], outcomes: Sequence[Outcome]) -> Iterator[Extracted]:
    """Yield each article of a chunk with its events, or with why its extraction failed (logged; the store leaves it out)."""
    from pipeline.store.rows import Extracted  # here, not above: the store's pandas and pyarrow cost extract 0.8 s to import

    for article, outcome in zip(chunk, outcomes, strict=True):
        if isinstance(outcome, str):
            log.warning(
                "extraction failed for %s (%s): %s; not stored, the next ingest tries it again", article.article_id, article.origin, outcome
            )
            yield Extracted(article, (), outcome)
        else:
            yield Extracted(article, outcome)


def as_finished(submit: Callable[[list[Article]], Pending], articles: Iterable[Article], window: int) -> Iterator[Extracted]:
    """Yield extraction results as their tasks finish, keeping at most ``window`` chunks in flight: a slow article holds
    back its own chunk only, and the store commits the others meanwhile."""
    pending: list[Task] = []
    for chunk in chunks(articles, CHUNK_ARTICLES):
        pending.append((chunk, submit(chunk)))
        for task in ready_tasks(pending):
            yield from finished(task[0], task[1].result())
        while len(pending) >= window:
            yield from finished(*taken(pending, first_done(pending)))
    while pending:
        yield from finished(*taken(pending, first_done(pending)))


def ready_tasks(pending: list[Task]) -> list[Task]:
    """Remove the finished tasks from ``pending`` and return them, in input order."""
    ready = [task for task in pending if task[1].done()]
    for task in ready:
        pending.remove(task)
    return ready


def first_done(pending: list[Task]) -> int:
    """Return the position of a finished task, waiting for one (polling every ``POLL_SECONDS``)."""
    while True:
        for index, (_, future) in enumerate(pending):
            if future.done():
                return index
        time.sleep(POLL_SECONDS)


def taken(pending: list[Task], index: int) -> tuple[list[Article], list[Outcome]]:
    """Remove a finished task from ``pending``; return its chunk and its outcomes."""
    chunk, future = pending.pop(index)
    return chunk, future.result()


def in_process(articles: Iterable[Article]) -> Iterator[Extracted]:
    """Yield each article with its events, extracted here."""
    for chunk in chunks(articles, CHUNK_ARTICLES):
        yield from finished(chunk, extract_chunk(chunk))


def on_local_workers(
    articles: Iterable[Article],
    workers: int,
    task: Callable[[Sequence[Article]], list[Outcome]] = extract_chunk,
    warm: Callable[[], object] = warm_up,
) -> Iterator[Extracted]:
    """Yield each article with its events, extracted by ``workers`` local processes (each loads the model once, with
    ``warm``, and runs ``task`` on each chunk); a worker ends when this process ends, even killed. Stopped early (Ctrl-C),
    the tasks not begun are dropped and those begun finished."""
    context = multiprocessing.get_context("spawn")  # not fork: this process may hold DuckDB's threads
    start = functools.partial(start_worker, os.getpid(), warm)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start)

    def submit(chunk: list[Article]) -> Future[list[Outcome]]:
        return pool.submit(task, chunk)

    try:
        yield from as_finished(submit, articles, workers * TASKS_PER_WORKER)
    finally:
        pool.shutdown(cancel_futures=True)


def on_dask(articles: Iterable[Article], address: str) -> Iterator[Extracted]:
    """Yield each article with its events, extracted on the Dask cluster whose scheduler is at ``address``."""
    from distributed import Client

    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as err:
        raise ConnectionError(f"cannot reach the Dask scheduler at {address}: {err}") from err
    with client:
        threads = max(1, sum(client.nthreads().values()))
        log.info("extracting on the Dask cluster at %s (%d worker threads)", address, threads)
        texts = user_actor_texts()  # a few kilobytes, sent with each task
        window = threads * TASKS_PER_WORKER
        yield from as_finished(lambda chunk: client.submit(extract_remote_chunk, chunk, texts, pure=False), articles, window)


def extracted(articles: Iterable[Article], workers: int = 1, scheduler: str = "") -> Iterator[Extracted]:
    """Yield each article with its events, as their tasks finish (in input order in this process): on a Dask cluster
    when ``scheduler`` is given, else in ``workers`` local processes (in this process for one), e.g.
    ``extracted(articles, workers=4)``."""
    if scheduler:
        return on_dask(articles, scheduler)
    if workers <= 1:
        return in_process(articles)
    return on_local_workers(articles, workers)
