"""Crash safety: ingests killed with SIGKILL at random moments, then resumed, end with the store an uninterrupted run makes,
and the store reads whole after every kill."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from store_helpers import contents, crash_corpus, fixed_extraction

from pipeline.store import ingest_articles, open_store

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
# How many times the crash test kills an ingest, each at a random moment of it (bench/bench_store.py crash kills more).
KILLS = 6

# An ingest of the crash corpus, slowed down so that a kill can land anywhere, committing every 3 articles. It says
# "ready" once its imports are done, so that kills land in the ingest, not in Python's start-up.
CRASH_SCRIPT = textwrap.dedent(
    """
    import sys, time
    sys.path[:0] = [{root!r}, {tests!r}]
    from pathlib import Path
    from store_helpers import crash_corpus, fixed_extraction
    from pipeline.store import ingest_articles

    articles, events = crash_corpus()
    extraction = fixed_extraction(events)

    def slow(articles):
        for item in extraction(articles):
            time.sleep(0.02)
            yield item

    print("ready", flush=True)
    ingest_articles(articles, Path(sys.argv[1]), slow, batch_articles=3)
    """
).format(root=str(ROOT), tests=str(TESTS))


def run_script(store: Path, kill_after: float | None = None) -> bool:
    """Run the crash script; kill it with SIGKILL ``kill_after`` seconds after it is ready; return True when it finished first."""
    process = subprocess.Popen([sys.executable, "-c", CRASH_SCRIPT, str(store)], start_new_session=True, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    try:
        process.wait(timeout=kill_after)
        assert process.returncode == 0
        return True
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return False


def readable(store: Path) -> bool:
    """Return True when every event of the store names mentions the store holds."""
    lost = open_store(store).query(
        "SELECT count(*) AS n FROM (SELECT unnest(mention_ids) AS mention_id FROM events) ANTI JOIN mentions USING (mention_id)"
    )
    return int(lost["n"].iloc[0]) == 0


@pytest.mark.slow
def test_store_survives_kill_9_at_random_moments(tmp_path: Path) -> None:
    reference, crashed = tmp_path / "reference", tmp_path / "crashed"
    articles, events = crash_corpus()
    started = time.monotonic()
    ingest_articles(articles, reference, fixed_extraction(events), batch_articles=3)
    duration = time.monotonic() - started + 0.02 * len(articles)
    rng = random.Random(6)
    kills = 0
    while kills < KILLS:
        if run_script(crashed, kill_after=rng.uniform(0, duration)):
            shutil.rmtree(crashed)  # it got to the end: start over, so that the next kills land mid-ingest
            continue
        kills += 1
        assert readable(crashed)
    assert run_script(crashed)
    assert contents(crashed) == contents(reference)


# The same ingest with extraction in 2 local worker processes (a task of 8 articles takes 3.2 s, no spaCy), killed with
# SIGKILL sent to the ingest process alone: its workers must end with it (issue 18, item 7), not finish the task they hold
# (without the fix they did, and went on with the tasks queued for them).
WORKERS_SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path[:0] = [{root!r}, {tests!r}]
    from pathlib import Path
    from store_helpers import crash_chunk, crash_corpus, no_warm_up
    from pipeline.parallel import on_local_workers
    from pipeline.store import ingest_articles

    articles, _ = crash_corpus()
    print("ready", flush=True)
    ingest_articles(articles, Path(sys.argv[1]), lambda a: on_local_workers(a, 2, crash_chunk, no_warm_up), batch_articles=3)
    """
).format(root=str(ROOT), tests=str(TESTS))
# How long the workers of a killed ingest may take to end (on Linux they end at once; elsewhere within a second): less
# than the 3.2 s a task takes.
ORPHAN_GRACE_SECONDS = 1.5


def children(pid: int) -> set[int]:
    """Return the processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    """Return True while a process exists and is not a zombie (dead, waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in {"Z", "X"}
    except OSError:
        return False


def kill_ingest_alone(store: Path, kill_after: float) -> tuple[bool, set[int]]:
    """Run the workers' ingest and SIGKILL its process alone ``kill_after`` seconds after it is ready; return whether it
    finished first and the processes it had started (its workers, multiprocessing's resource tracker) when killed."""
    command = [sys.executable, "-c", WORKERS_SCRIPT, str(store)]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    try:
        process.wait(timeout=kill_after)
        assert process.returncode == 0
        return True, set()
    except subprocess.TimeoutExpired:
        workers = children(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return False, workers


def killed(pids: set[int]) -> None:
    """SIGKILL the processes still running: whatever a test found, it leaves nothing behind."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            if running(pid):
                os.kill(pid, signal.SIGKILL)


def orphans_after(workers: set[int], grace: float) -> set[int]:
    """Return the workers still running ``grace`` seconds after their parent was killed (polling)."""
    deadline = time.monotonic() + grace
    while (alive := {p for p in workers if running(p)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker processes in /proc")
def test_store_crash_with_two_workers_leaves_no_orphan_and_resumes(tmp_path: Path) -> None:
    reference, crashed = tmp_path / "reference", tmp_path / "crashed"
    articles, events = crash_corpus()
    ingest_articles(articles, reference, fixed_extraction(events), batch_articles=3)
    rng = random.Random(7)
    kills = workers_seen = 0
    while kills < 3:
        finished, workers = kill_ingest_alone(crashed, kill_after=rng.uniform(1.5, 6.0))
        if finished:
            shutil.rmtree(crashed)
            continue
        kills += 1
        workers_seen += len(workers)
        orphans = orphans_after(workers, ORPHAN_GRACE_SECONDS)
        killed(orphans)
        assert not orphans, "a worker outlived the ingest that started it"
        assert readable(crashed)
    assert workers_seen >= 3, "the kills landed before the workers started"
    finished, _ = kill_ingest_alone(crashed, kill_after=120.0)
    assert finished and contents(crashed) == contents(reference)
