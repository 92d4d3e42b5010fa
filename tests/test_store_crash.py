"""Crash safety: ingests killed with SIGKILL at random moments, then resumed, end with the store an uninterrupted run makes,
and the store reads whole after every kill."""

from __future__ import annotations

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
