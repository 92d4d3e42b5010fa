"""How far a long command has got: a progress bar on a terminal (tqdm), a plain line at a steady interval otherwise.

``extract`` and ``ingest`` say articles done, articles per second, the time left and the failures so far. On a terminal
the bar redraws itself; in a log (stderr not a terminal: CI, ``nohup``, a pipe) one line comes every
``LINE_SECONDS``: ``ingest: 120 of about 200 articles (60%), 4.1 articles/s, about 20 s left, 1 failed``. ``-q`` shows no
progress; ``-v`` adds a line per article.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Iterator
from typing import TextIO

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

log = logging.getLogger("pipeline.progress")

# Seconds between two plain progress lines (and between two redraws of a bar that nothing moved): often enough to see a
# run is alive, rare enough that a long ingest's log stays readable (360 lines an hour).
LINE_SECONDS = 10.0
QUIET, NORMAL, VERBOSE = 0, 1, 2
# tqdm's bar with the rate always in articles per second (tqdm's own turns it into seconds per article below one).
BAR_FORMAT = "{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_noinv_fmt}{postfix}]"


class Progress:
    """The counts of a running command, shown as a bar or as lines (``watched``); ``done`` and ``failed`` move them."""

    def __init__(self, what: str, total: int, level: int = NORMAL, bar: tqdm | None = None) -> None:
        self.what, self.total, self.level, self.bar = what, total, level, bar
        self.done_count = self.failed_count = 0
        self.started = time.monotonic()

    def expect(self, total: int) -> None:
        """Set how many articles the run expects (about: ``pipeline.ingest.estimate``)."""
        self.total = max(total, self.done_count)
        if self.bar is not None:
            self.bar.total = self.total
            self.bar.refresh()
        elif self.level >= NORMAL:
            log.info("%s: about %s articles to read; a progress line every %s", self.what, f"{self.total:,}", time_text(LINE_SECONDS))

    def done(self, article: str = "", events: int = 0) -> None:
        """Count one article done (extracted, or skipped as stored); with ``-v`` say which."""
        self.done_count += 1
        self.total = max(self.total, self.done_count)
        if article and self.level >= VERBOSE:
            log.info("%s: %s, %d events", self.what, article, events)
        if self.bar is not None:
            self.bar.total = self.total
            self.bar.set_postfix_str(f"{self.failed_count} failed", refresh=False)
            self.bar.update(1)

    def failed(self) -> None:
        """Count one input, record or article that failed (its own line says why)."""
        self.failed_count += 1
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.failed_count} failed")

    def line(self) -> str:
        """Return the plain progress line, e.g. ``"ingest: 120 of about 200 articles (60%), 4.1 articles/s, about 20 s left,
        1 failed"``."""
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done_count / elapsed
        share = self.done_count / self.total if self.total else 0.0
        left = f", about {time_text((self.total - self.done_count) / rate)} left" if rate and self.total else ""
        return (
            f"{self.what}: {self.done_count:,} of about {self.total:,} articles ({share:.0%}), {rate:.1f} articles/s{left}, "
            f"{self.failed_count} failed"
        )

    def summary(self) -> str:
        """Return the line said when the run ends, e.g. ``"ingest: 200 articles done in 48 s (4.2 articles/s), 1 failed"``."""
        elapsed = max(time.monotonic() - self.started, 1e-9)
        return (
            f"{self.what}: {self.done_count:,} articles done in {time_text(elapsed)} ({self.done_count / elapsed:.1f} articles/s), "
            f"{self.failed_count} failed"
        )

    def tick(self) -> None:
        """Show the progress now: redraw the bar, or log the plain line."""
        if self.bar is not None:
            self.bar.refresh()
        elif self.level >= NORMAL:
            log.info("%s", self.line())


def time_text(seconds: float) -> str:
    """Return a duration in words a log reader takes in at once, e.g. ``time_text(75)`` gives ``"1 min 15 s"``."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def ticking(progress: Progress, stop: threading.Event, interval: float) -> None:
    """Show the progress every ``interval`` seconds until ``stop`` is set."""
    while not stop.wait(interval):
        progress.tick()


def is_terminal(stream: TextIO) -> bool:
    """Return True when the stream is a terminal (a progress bar can redraw itself there)."""
    return bool(getattr(stream, "isatty", lambda: False)())


@contextlib.contextmanager
def watched(what: str, total: int, level: int = NORMAL, stream: TextIO | None = None, interval: float = LINE_SECONDS) -> Iterator[Progress]:
    """Show a command's progress while it runs: a bar when ``stream`` (stderr) is a terminal, else a line every ``interval``
    seconds; nothing at ``QUIET``. E.g. ``with watched("ingest", 200) as progress: ... progress.done()``."""
    stream = stream or sys.stderr
    bar = None
    if level >= NORMAL and is_terminal(stream):
        bar = tqdm(total=total, desc=what, unit=" articles", file=stream, dynamic_ncols=True, postfix="0 failed", bar_format=BAR_FORMAT)
    progress = Progress(what, total, level, bar)
    stop = threading.Event()
    thread = threading.Thread(target=ticking, args=(progress, stop, interval), name="progress", daemon=True)
    with logging_redirect_tqdm() if bar is not None else contextlib.nullcontext():
        thread.start()
        try:
            yield progress
        finally:
            stop.set()
            thread.join()
            if bar is not None:
                bar.close()
            elif level >= NORMAL and progress.done_count:
                log.info("%s", progress.summary())
