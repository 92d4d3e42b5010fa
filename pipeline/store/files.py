"""The store on disk: immutable Parquet part files, a manifest naming the live ones, and a lock for writers.

A writer never changes a file a reader may read: it writes new part files, then replaces
``manifest.json`` in one rename. Readers read the manifest, then only the files it names, so they see
the store before or after a commit, never between. Files a commit stops naming are kept for
``RETIRED_GRACE_SECONDS`` for readers still busy with the older manifest; files no manifest ever
named (left by a writer killed mid-commit) are removed when the next writer opens the store.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

import pyarrow as pa
import pyarrow.parquet as pq
from filelock import lock_descriptor, unlock_descriptor

from pipeline.store.schema import SCHEMA_VERSION, TABLES
from pipeline.store.sources import SourceStamp

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
LOCK_FILE = ".lock"
# Files of the placeholder store that came before the manifest (schema version 0).
LEGACY_FILES = ("events.parquet", "articles.parquet")
# How long a file a commit dropped stays on disk for readers that read the older manifest. The slowest
# dashboard query on a million events (a text search returning 100,000 rows) takes about 2 s on a loaded machine;
# a minute leaves room for slower disks and bigger stores.
RETIRED_GRACE_SECONDS = 60.0
# How often a writer waiting for the lock tries again.
LOCK_POLL_SECONDS = 0.2
# Whether a folder is flushed after a rename in it: POSIX opens a folder to fsync it; Windows cannot open a folder (os.open
# fails there), and its file system records a rename in its own journal.
FOLDERS_FLUSHED = os.name == "posix"
# Rows per Parquet row group: a date filter on the date-sorted events skips whole groups. On the million-event
# bench store, 16,384-row groups made the actor-and-year filter and the daily count slower (277 and 209 ms
# against 191 and 115 ms with 65,536), as did snappy or lz4 instead of zstd.
ROW_GROUP_ROWS = 65_536


class StoreError(RuntimeError):
    """A store that cannot be used as asked; the message says what to do."""


class StoreLockedError(StoreError):
    """Another writer holds the store."""


class StoreVersionError(StoreError):
    """The store was written with another schema version."""


@dataclass(frozen=True)
class Manifest:
    """What the store holds: the part files of each table, and files recently dropped with when."""

    schema_version: int = SCHEMA_VERSION
    generation: int = 0
    tables: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: {name: () for name in TABLES})
    retired: tuple[tuple[str, float], ...] = ()
    sources: tuple[SourceStamp, ...] = ()  # input files ingests read whole (pipeline/store/sources.py)

    def files(self, table: str) -> tuple[str, ...]:
        """Return the live part files of a table, relative to the store."""
        return tuple(self.tables.get(table, ()))


def manifest_json(manifest: Manifest) -> str:
    """Return the manifest as JSON text."""
    record = {
        "schema_version": manifest.schema_version,
        "generation": manifest.generation,
        "tables": {k: list(v) for k, v in manifest.tables.items()},
        "retired": [list(r) for r in manifest.retired],
        "sources": [[x.path, x.size, x.digest, x.reader] for x in manifest.sources],
    }
    return json.dumps(record, indent=1, sort_keys=True)


def read_manifest(store: Path) -> Manifest | None:
    """Return the store's manifest, or None when the folder holds none; raise StoreError, saying what to do, for one that
    cannot be read or is not a manifest."""
    path = store / MANIFEST
    try:
        return manifest_of(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, AttributeError, KeyError) as err:
        detail = err.strerror if isinstance(err, OSError) else str(err)
        raise StoreError(
            f"{path} is not a store manifest ({detail}); the store cannot be read and nothing was changed. Restore the file, "
            f"or move {store} away and ingest the articles again."
        ) from err


def manifest_of(record: object) -> Manifest:
    """Return the manifest a parsed ``manifest.json`` holds; raise TypeError or ValueError when it holds none."""
    if not isinstance(record, dict):
        raise TypeError(f"expected an object, found {type(record).__name__}")
    tables = {str(k): tuple(str(f) for f in v) for k, v in record.get("tables", {}).items()}
    retired = tuple((str(p), float(t)) for p, t in record.get("retired", []))
    sources = tuple(SourceStamp(str(p), int(n), str(d), str(r)) for p, n, d, r in record.get("sources", []))
    return Manifest(int(record.get("schema_version", 0)), int(record.get("generation", 0)), tables, retired, sources)


def store_version(store: Path) -> int | None:
    """Return the schema version of the store in a folder: 0 for the placeholder store, None when there is no store."""
    manifest = read_manifest(store)
    if manifest is not None:
        return manifest.schema_version
    return 0 if any((store / name).exists() for name in LEGACY_FILES) else None


def checked_manifest(store: Path) -> Manifest | None:
    """Return the manifest of a store of the current version (None when there is no store), else raise with what to do."""
    version = store_version(store)
    if version is None or version == SCHEMA_VERSION:
        return read_manifest(store)
    if version < SCHEMA_VERSION:
        raise StoreVersionError(
            f"the store at {store} has schema version {version}; this Eventline reads version {SCHEMA_VERSION}. "
            f"Run `python -m pipeline migrate --store {store}` (or delete the folder and ingest again)."
        )
    raise StoreVersionError(
        f"the store at {store} has schema version {version}, newer than this Eventline ({SCHEMA_VERSION}): upgrade Eventline."
    )


def fsync_path(path: Path) -> None:
    """Flush a file or folder to disk, so that a rename after it never names a half-written file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(path: Path) -> None:
    """Flush a folder's entries to disk (a rename in it), where folders can be flushed (``FOLDERS_FLUSHED``)."""
    if FOLDERS_FLUSHED:
        fsync_path(path)


def write_manifest(store: Path, manifest: Manifest) -> None:
    """Replace the manifest in one rename, after the temporary copy is on disk."""
    tmp = store / f".{MANIFEST}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.write_text(manifest_json(manifest), encoding="utf-8")
    fsync_path(tmp)
    os.replace(tmp, store / MANIFEST)
    fsync_folder(store)


def new_part_path(store: Path, table: str, generation: int) -> str:
    """Return a fresh part file name for a table, relative to the store: ``events/g000012-1a2b3c4d.parquet``."""
    (store / table).mkdir(parents=True, exist_ok=True)
    return f"{table}/g{generation:06d}-{uuid.uuid4().hex[:8]}.parquet"


def write_part(store: Path, table: str, generation: int, data: pa.Table) -> str:
    """Write a table as a new part file, flushed to disk; return its name relative to the store."""
    name = new_part_path(store, table, generation)
    pq.write_table(data, store / name, compression="zstd", row_group_size=ROW_GROUP_ROWS)
    fsync_path(store / name)
    return name


def lock_holder(handle: object) -> str:
    """Return what the lock file says of the process holding it."""
    with contextlib.suppress(OSError):
        text = Path(handle.name).read_text(encoding="utf-8").strip()  # type: ignore[attr-defined]
        return f" (process {text})" if text else ""
    return ""


@contextlib.contextmanager
def opened_lock(store: Path) -> Iterator[TextIO]:
    """Open the store's lock file (making the folder when there is none yet); raise StoreError, saying what to do, when it
    cannot be opened."""
    try:
        store.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"cannot make the store folder {store} ({err.strerror or err}); pass --store with a folder to write to") from err
    try:
        handle = open(store / LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as err:
        what = "is a folder, not a file" if isinstance(err, IsADirectoryError) else f"cannot be opened ({err.strerror or err})"
        raise StoreError(
            f"the store's lock file {store / LOCK_FILE} {what}; the store is unchanged. Remove it (no ingest may be running) and run again."
        ) from err
    with handle:
        yield handle


@contextlib.contextmanager
def write_lock(store: Path, timeout: float) -> Iterator[None]:
    """Hold the store's writer lock; wait up to ``timeout`` seconds for another writer, then raise StoreLockedError.

    The lock is the system's lock on ``.lock`` (``flock``, or ``LockFileEx`` on Windows, through filelock's
    ``lock_descriptor``): the system drops it when its holder dies, even by ``kill -9``.
    """
    with opened_lock(store) as handle:
        deadline = time.monotonic() + timeout
        while not lock_descriptor(handle.fileno(), blocking=False):
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"another ingest is writing to {store}{lock_holder(handle)}; waited {timeout:g} s. "
                    "Try again when it ends, or pass --lock-timeout SECONDS to wait longer."
                )
            time.sleep(LOCK_POLL_SECONDS)
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            unlock_descriptor(handle.fileno())


def stored_files(store: Path) -> set[str]:
    """Return every part file and temporary manifest in the store, relative to it."""
    parts = {f"{table}/{p.name}" for table in TABLES if (store / table).is_dir() for p in (store / table).iterdir()}
    return parts | {p.name for p in store.glob(f".{MANIFEST}.*.tmp")}


def remove_orphans(store: Path, manifest: Manifest) -> int:
    """Remove files no manifest named (a writer died before its commit); return how many. Call under the lock."""
    known = {f for table in TABLES for f in manifest.files(table)} | {p for p, _ in manifest.retired}
    orphans = stored_files(store) - known
    for name in orphans:
        (store / name).unlink(missing_ok=True)
    if orphans:
        log.info("removed %d files of an unfinished commit from %s", len(orphans), store)
    return len(orphans)


def with_retired(manifest: Manifest, dropped: set[str], now: float) -> tuple[tuple[tuple[str, float], ...], list[str]]:
    """Return the retired list after a commit drops files, and the files whose grace has run out (to delete after the commit)."""
    kept = [(p, t) for p, t in manifest.retired if now - t < RETIRED_GRACE_SECONDS]
    expired = [p for p, t in manifest.retired if now - t >= RETIRED_GRACE_SECONDS]
    return tuple(kept + [(p, now) for p in sorted(dropped)]), expired


def committed(
    store: Path, manifest: Manifest, tables: Mapping[str, tuple[str, ...]], sources: tuple[SourceStamp, ...] | None = None
) -> Manifest:
    """Write the next manifest naming ``tables`` (and ``sources`` when given); retire the files it drops; return it.
    Call under the lock."""
    dropped = {f for t in TABLES for f in manifest.files(t)} - {f for t in TABLES for f in tables.get(t, ())}
    retired, expired = with_retired(manifest, dropped, time.time())
    stamps = manifest.sources if sources is None else sources
    new = replace(manifest, generation=manifest.generation + 1, tables=dict(tables), retired=retired, sources=stamps)
    write_manifest(store, new)
    for name in expired:
        (store / name).unlink(missing_ok=True)
    return new
