"""Turn any failure to read one input (a file, a URL) or one record of it into a one-line problem, so that the run goes on."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from pipeline.ingest.decode import InputError
from pipeline.records import Problem, one_line

log = logging.getLogger(__name__)

T = TypeVar("T")

# What an error means to a user, tried in order (the first type the error is an instance of answers).
EXPLANATIONS: tuple[tuple[type[BaseException], str], ...] = (
    (RecursionError, "nested too deeply to read (more levels than Python's recursion limit)"),
    (PermissionError, "permission denied: cannot read it (check its permissions)"),
    (IsADirectoryError, "a folder, not a file"),
    (FileNotFoundError, "no such file (it went away while the run read others)"),
    (MemoryError, "too large to hold in memory"),
)


def problem_text(err: BaseException) -> str:
    """Return what went wrong in words a user understands, on one line, e.g. ``"permission denied: cannot read it (...)"``."""
    if isinstance(err, InputError):
        return one_line(str(err))
    for kind, meaning in EXPLANATIONS:
        if isinstance(err, kind):
            return meaning
    if isinstance(err, OSError):
        return f"cannot read it ({one_line(err.strerror or str(err))})"
    return f"cannot read it ({type(err).__name__}: {one_line(str(err))})"


def guarded(read: Callable[[], Iterable[T]], origin: str, locator: str = "") -> Iterator[T | Problem]:
    """Yield what ``read()`` yields; any exception ends it with one failed problem naming the input (and record), e.g.
    ``guarded(lambda: raw_of_file(path, options), str(path))``. This is the one place a failure to read becomes a message."""
    try:
        yield from read()
    except Exception as err:  # any at all: whatever one input or record does, the run reads the others
        log.debug("reading %s %s failed", origin, locator, exc_info=True)
        yield Problem("failed", origin, problem_text(err), locator)
