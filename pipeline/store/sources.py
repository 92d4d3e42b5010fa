"""Input files an earlier ingest read whole: not read again while their bytes, Eventline's code and the read options stay.

Reading and hashing every article is most of a re-run's time (30 s for the 57 MB of the bench corpora); a
file whose bytes are unchanged gives the same articles, which the store holds already. Any change of the
file, of the code under ``pipeline/``, of ``data/*.yaml`` or of the read options reads it again, and so does the next
ingest when the file could not be read or an article of it could not be extracted (it was not read whole).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.records import Problem

if TYPE_CHECKING:
    from pipeline.ingest import InputFile

PIPELINE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PIPELINE_DIR.parent / "data"
# Bytes hashed at a time.
HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class SourceStamp:
    """A file as an ingest read it whole: where, its size and the hash of its bytes, and how it was read."""

    path: str  # resolved
    size: int
    digest: str
    reader: str  # hash of the code, data and options it was read with


@dataclass(frozen=True)
class ReadingPlan:
    """What an ingest reads: the inputs to read, the stamps of the files among them, the files it skips."""

    to_read: tuple[str | InputFile | Problem, ...]  # a problem of the expansion is passed on, to be reported
    stamps: tuple[SourceStamp, ...]
    skipped: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """Return a hash of Eventline's code and top-level data files (what reading and hashing an article depend on)."""
    digest = hashlib.sha256()
    for path in sorted([*PIPELINE_DIR.rglob("*.py"), *DATA_DIR.glob("*.yaml")]):
        digest.update(str(path.relative_to(PIPELINE_DIR.parent)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def reader_stamp(options: object) -> str:
    """Return the stamp of a way of reading: the code's hash and the read options."""
    return hashlib.sha256(f"{code_digest()}|{options!r}".encode()).hexdigest()[:20]


def file_digest(path: Path) -> str:
    """Return the sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stamp_of(path: Path, reader: str) -> SourceStamp:
    """Return a file's stamp."""
    resolved = path.resolve()
    return SourceStamp(str(resolved), resolved.stat().st_size, file_digest(resolved), reader)


def reading_plan(expanded: Iterable[str | InputFile | Problem], read_whole: Iterable[SourceStamp], options: object) -> ReadingPlan:
    """Return what to read of expanded inputs (``pipeline.ingest.expand_sources``): every URL and file, except files that
    ``read_whole`` says were read whole with the same bytes, code and options. A problem's input, and a file that cannot be
    hashed, stay, for the reader to report."""
    known = {(s.path, s.size, s.digest, s.reader) for s in read_whole}
    reader = reader_stamp(options)
    to_read: list[str | InputFile | Problem] = []
    stamps: list[SourceStamp] = []
    skipped: list[str] = []
    for item in expanded:
        if isinstance(item, Problem | str):
            to_read.append(item)
            continue
        try:
            stamp = stamp_of(item.path, reader)
        except OSError:  # unreadable: the reader reports it, and with no stamp the next ingest tries it again
            to_read.append(item)
            continue
        if (stamp.path, stamp.size, stamp.digest, stamp.reader) in known:
            skipped.append(str(item.path))
        else:
            to_read.append(item)
            stamps.append(stamp)
    return ReadingPlan(tuple(to_read), tuple(stamps), tuple(skipped))


def merged_stamps(old: Iterable[SourceStamp], new: Iterable[SourceStamp]) -> tuple[SourceStamp, ...]:
    """Return the stamps of a store after an ingest: the new one of each path, the old ones of other paths, by path."""
    by_path = {s.path: s for s in old} | {s.path: s for s in new}
    return tuple(by_path[p] for p in sorted(by_path))
