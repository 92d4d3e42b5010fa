"""Errors that stop a command (issue 18, item 8): a full disk, a store whose part file is missing or damaged, Ctrl-C. Each
gives one line saying what happened, what state the store is in and what to do, the exit status says which it was, and the
store keeps every commit made before it (an ingest run again adds the rest and ends with the store an uninterrupted run makes).

The ingests run through ``main`` with an extraction that needs no spaCy (each article reports a meeting and an attack,
``store_helpers.crash_events``); the full disk is a writer that fails with ENOSPC (or the system's ``/dev/full``), Ctrl-C a
KeyboardInterrupt raised in the extraction, a SIGINT sent in the middle of a commit, and a SIGINT sent to a running ingest
and its workers as a terminal sends it."""

from __future__ import annotations

import errno
import logging
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, needs
from store_helpers import contents, crash_events, ctrl_c_ignored_chunk, no_warm_up, unnamed_files

import pipeline.store.files as files
from pipeline.cli import EXIT_INTERRUPTED, EXIT_OK, EXIT_STORE, main
from pipeline.parallel import on_local_workers
from pipeline.records import Article
from pipeline.store import IngestInterrupted, ingest_articles, open_store
from pipeline.store.rows import Extracted

TESTS = Path(__file__).resolve().parent
# How pyarrow says that a write met a full disk (its OSError carries errno 28 and this text, and no file name).
ARROW_DISK_FULL = "Error writing bytes to file. Detail: [errno 28] No space left on device"


def article_folder(tmp_path: Path, count: int) -> Path:
    """Return a folder of ``count`` small articles, each with its own id."""
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(count):
        text = f"Id: k{index:02d}\nTitle: Talks {index}\nDate: 2023-03-22\n\nRussia warned Finland, in warning number {index}.\n"
        (folder / f"k{index:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def crash_extraction(articles: Iterable[Article]) -> Iterator[Extracted]:
    """Extract the crash corpus's events of any article (a meeting and an attack), in this process."""
    for item in articles:
        yield Extracted(item, crash_events(item))


@pytest.fixture
def fake_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``ingest`` extract with ``crash_extraction`` (no model loaded)."""
    monkeypatch.setattr("pipeline.parallel.extracted", lambda articles, workers=1, scheduler="": crash_extraction(articles))


def ingest_main(store: Path, folder: Path, *options: str) -> int:
    return main(["ingest", str(folder), "--store", str(store), "--workers", "1", "--batch-size", "3", *options])


def error_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the errors logged, after checking that no traceback was."""
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def reference_store(tmp_path: Path, folder: Path) -> Path:
    """Return the store an uninterrupted ingest of ``folder`` makes (with ``fake_extraction`` in place)."""
    store = tmp_path / "reference"
    assert ingest_main(store, folder) == EXIT_OK
    return store


# ---- a full disk ------------------------------------------------------------------------------------------


def disk_full_at(call: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the ``call``-th part file written fail as pyarrow fails on a full disk, after writing half of it."""
    real = pq.write_table
    calls = iter(range(1, 1_000))

    def write_table(table: object, where: str | Path, **options: object) -> None:
        if next(calls) != call:
            return real(table, where, **options)
        real(table, where, **options)
        data = Path(where).read_bytes()
        Path(where).write_bytes(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, ARROW_DISK_FULL)

    monkeypatch.setattr(files.pq, "write_table", write_table)


def test_stops_full_disk_in_ingest_keeps_the_commits_before_it(
    tmp_path: Path, fake_extraction: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = article_folder(tmp_path, 9)
    store = tmp_path / "store"
    disk_full_at(5, monkeypatch)  # each commit writes articles, mentions, events: the second commit's mentions
    assert ingest_main(store, folder) == EXIT_STORE
    (line,) = error_lines(caplog)
    assert line.startswith(f"ingest stopped: the store at {store} cannot be written, the disk is full (No space left on device). ")
    assert "Free space on it first" in line and "run the same ingest again" in line
    assert open_store(store).summary().articles == 3, "the first commit is kept"
    assert not unnamed_files(store), "the unfinished commit's files are removed at once"
    monkeypatch.setattr(files.pq, "write_table", pq.write_table)
    assert ingest_main(store, folder) == EXIT_OK
    assert contents(store) == contents(reference_store(tmp_path, folder))


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])  # not parquet: pyarrow removes a file it failed to write, a device too
def test_stops_full_disk_in_export_says_so_in_one_line(tmp_path: Path, fake_extraction: None, fmt: str) -> None:
    full = Path("/dev/full")  # every write to it fails with ENOSPC
    if not full.exists() or not stat.S_ISCHR(full.stat().st_mode):
        needs("/dev/full", "a Linux system's device whose writes fail as on a full disk")
    store = reference_store(tmp_path, article_folder(tmp_path, 2))
    command = [sys.executable, "-m", "pipeline", "export", "-o", str(full), "--format", fmt, "--store", str(store)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == EXIT_STORE
    assert result.stderr.strip().splitlines() == [
        "ERROR: export stopped: /dev/full cannot be written, the disk is full (No space left on device). Free space on it first. "
        "An output file it began is incomplete: fix the cause and export again."
    ]
    assert stat.S_ISCHR(full.stat().st_mode)


# ---- a store whose part file is damaged ---------------------------------------------------------------------


def test_stops_truncated_part_in_ingest_changes_nothing(tmp_path: Path, fake_extraction: None, caplog: pytest.LogCaptureFixture) -> None:
    folder = article_folder(tmp_path, 4)
    store = reference_store(tmp_path, folder)
    part = open_store(store).manifest().files("articles")[0]  # type: ignore[union-attr]
    data = (store / part).read_bytes()
    (store / part).write_bytes(data[: len(data) // 2])
    manifest = (store / "manifest.json").read_text(encoding="utf-8")
    (folder / "k09.txt").write_text("Id: k09\nTitle: Later\nDate: 2023-03-23\n\nRussia warned Finland again.\n", encoding="utf-8")
    assert ingest_main(store, folder) == EXIT_STORE
    (line,) = error_lines(caplog)
    assert f"the store at {store} cannot be read (" in line and part in line and "missing or damaged" in line
    assert f"move {store} away and ingest the articles again" in line
    assert (store / "manifest.json").read_text(encoding="utf-8") == manifest and not unnamed_files(store)


# ---- Ctrl-C -------------------------------------------------------------------------------------------------


def test_stops_ctrl_c_in_ingest_commits_what_was_extracted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = article_folder(tmp_path, 12)

    def interrupted(articles: Iterable[Article], workers: int = 1, scheduler: str = "") -> Iterator[Extracted]:
        for done, item in enumerate(crash_extraction(articles)):
            if done == 5:
                raise KeyboardInterrupt
            yield item

    monkeypatch.setattr("pipeline.parallel.extracted", interrupted)
    store = tmp_path / "store"
    assert ingest_main(store, folder) == EXIT_INTERRUPTED
    (line,) = error_lines(caplog)
    assert line.startswith(f"ingest interrupted (Ctrl-C): 5 articles committed in 2 commits (5 added, 0 replaced); the store at {store} ")
    assert "is whole and holds 2 events" in line and "Run the same ingest again to add the rest" in line
    assert open_store(store).summary().articles == 5, "the 2 articles extracted after the last full batch are committed too"
    assert not unnamed_files(store)
    monkeypatch.setattr("pipeline.parallel.extracted", lambda articles, workers=1, scheduler="": crash_extraction(articles))
    assert ingest_main(store, folder) == EXIT_OK
    assert contents(store) == contents(reference_store(tmp_path, folder))


def test_stops_ctrl_c_during_a_commit_waits_for_its_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = files.write_manifest

    def signalled(store: Path, manifest: files.Manifest) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C after the part files are written, before the manifest names them
        time.sleep(0.05)  # Python runs the handler at once, in this thread
        real(store, manifest)

    monkeypatch.setattr(files, "write_manifest", signalled)
    arts = [Article(f"a{i}", f"Title {i}", f"Text {i}.") for i in range(4)]
    with pytest.raises(KeyboardInterrupt) as caught:
        ingest_articles(arts, tmp_path, crash_extraction, batch_articles=3)
    assert isinstance(caught.value, IngestInterrupted)
    assert caught.value.report.commits == 1 and caught.value.report.added == 3
    assert open_store(tmp_path).summary().articles == 3 and not unnamed_files(tmp_path)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_stops_workers_leave_ctrl_c_to_the_ingest() -> None:
    arts = [Article(f"a{i}", f"Title {i}", f"Text {i}.") for i in range(3)]
    extracted = list(on_local_workers(arts, 1, ctrl_c_ignored_chunk, no_warm_up))
    assert [item.error for item in extracted] == ["", "", ""]


# An ingest through the command line with 2 local worker processes (tasks of 8 articles take 3.2 s, no spaCy), committing
# every 3 articles; the test sends SIGINT to its process group, as a terminal does on Ctrl-C.
SIGINT_SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path[:0] = [{root!r}, {tests!r}]
    import pipeline.parallel as parallel
    from store_helpers import crash_chunk, no_warm_up
    from pipeline.cli import main

    parallel.extracted = lambda articles, workers=1, scheduler="": parallel.on_local_workers(articles, workers, crash_chunk, no_warm_up)
    raise SystemExit(main(sys.argv[1:]))
    """
).format(root=str(ROOT), tests=str(TESTS))


def group_gone(group: int, grace: float) -> bool:
    """Return True once no process of a process group is left (waiting up to ``grace`` seconds)."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_stops_sigint_to_an_ingest_and_its_workers(tmp_path: Path, fake_extraction: None) -> None:
    folder = article_folder(tmp_path, 48)
    store = tmp_path / "store"
    command = [sys.executable, "-c", SIGINT_SCRIPT, "ingest", str(folder), "--store", str(store), "--workers", "2", "--batch-size", "3"]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    lines = []
    try:
        while not any(line.startswith("INFO: commit 2:") for line in lines):
            lines.append(process.stderr.readline())
            assert lines[-1], "the ingest ended before its second commit:\n" + "".join(lines)
        os.killpg(process.pid, signal.SIGINT)
        lines += process.stderr.readlines()
        assert process.wait(timeout=60) == EXIT_INTERRUPTED, "".join(lines)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert group_gone(process.pid, grace=5.0), "a worker outlived the interrupted ingest"
    assert "Traceback" not in "".join(lines), "".join(lines)
    stored = open_store(store).summary().articles
    assert 6 <= stored < 48
    assert lines[-1].startswith(f"ERROR: ingest interrupted (Ctrl-C): {stored} articles committed in "), lines[-1]
    assert not unnamed_files(store)
    assert main(["-q", "ingest", str(folder), "--store", str(store), "--workers", "1"]) == EXIT_OK
    assert contents(store) == contents(reference_store(tmp_path, folder))
