"""Benchmark the event store: ingest throughput with 1 and N workers, re-ingest, queries on a big store, crash safety.

    python bench/bench_store.py snapshot                     # copy pipeline/ and data/ to bench/out/code (runs use that copy)
    python bench/bench_store.py subset --every 12            # every 12th article of each ../shared corpus -> bench/out/subset-12.jsonl
    python bench/bench_store.py ingest --workers 1 [--input FILE...]   # time an ingest into an empty store, then a re-run
    python bench/bench_store.py query --store bench/out/big_store      # after bench/make_big_store.py
    python bench/bench_store.py crash --input bench/out/subset-120.jsonl --kills 40

Each figure is printed as one ``FIGURE {json}`` line and appended to bench/out/bench_store.jsonl.
Figures and how they were taken: bench/README_store.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.store import TABLE_COLUMNS, EventFilter, open_store  # noqa: E402
from pipeline.store.files import read_manifest  # noqa: E402

OUT = ROOT / "bench" / "out"
CODE = OUT / "code"
CORPORA = ROOT.parent / "shared" / "corpora"
CORPUS_FILES = ("reuters21578.jsonl", "statedept_2021_2022.jsonl", "whitehouse_2021_2022.jsonl")
# Exit statuses of a run that read its inputs: 0, or 1 when some records failed (Reuters items with no text).
INGEST_OK = (0, 1)
# Query timings: the median of this many runs after one warm-up run.
QUERY_RUNS = 7
# What a list of events in the dashboard shows (dashboard/queries.py picks about these).
LIST_COLUMNS = (
    "event_id",
    "date",
    "date_precision",
    "event_type",
    "status",
    "source_actor",
    "target_actor",
    "participants",
    "location",
    "sentence",
    "n_articles",
    "confidence",
    "goldstein",
)

log = logging.getLogger("bench_store")


def figure(name: str, **values: object) -> None:
    """Print a figure and append it to bench/out/bench_store.jsonl."""
    record = {"figure": name, "when": time.strftime("%Y-%m-%d %H:%M"), "load": round(os.getloadavg()[0], 2), **values}
    print("FIGURE " + json.dumps(record), flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "bench_store.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


def corpus_paths() -> list[Path]:
    """Return the ../shared corpora, or stop with a message when they are absent."""
    paths = [CORPORA / name for name in CORPUS_FILES]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise SystemExit(f"needs {missing[0]} (the ../shared corpora are not in a fresh clone)")
    return paths


def cmd_snapshot(args: argparse.Namespace) -> None:
    """Copy the code and data the runs use, so that edits made while a long run goes on do not change it midway."""
    shutil.rmtree(CODE, ignore_errors=True)
    CODE.mkdir(parents=True)
    shutil.copytree(ROOT / "pipeline", CODE / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", CODE / "data", ignore=shutil.ignore_patterns("store", "demo"))
    log.info("code and data copied to %s", CODE)


def cmd_subset(args: argparse.Namespace) -> None:
    """Write every k-th record of each corpus (the same records every time) to one JSON Lines file."""
    target = OUT / f"subset-{args.every}.jsonl"
    count = 0
    with open(target, "w", encoding="utf-8") as out:
        for path in corpus_paths():
            with open(path, encoding="utf-8") as lines:
                for index, line in enumerate(lines):
                    if index % args.every == 0:
                        out.write(line)
                        count += 1
    figure("subset", file=str(target.relative_to(ROOT)), every=args.every, records=count)


def pipeline_command(*arguments: str) -> list[str]:
    """Return the command line of ``python -m pipeline``, run from the code snapshot when there is one."""
    return [sys.executable, "-m", "pipeline", "-q", *arguments]


def pipeline_home() -> Path:
    """Return the folder pipeline runs start in (so that its ``pipeline`` is imported): the snapshot when there is one."""
    return CODE if (CODE / "pipeline").exists() else ROOT


def timed_run(command: list[str]) -> tuple[float, float]:
    """Run a command; return its wall-clock seconds and the CPU seconds it and its children used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    status = subprocess.run(command, cwd=pipeline_home()).returncode
    if status not in INGEST_OK:
        raise subprocess.CalledProcessError(status, command)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def store_bytes(store: Path) -> int:
    """Return the bytes on disk of the store's live files and manifest."""
    manifest = read_manifest(store)
    names = [f for table in ("articles", "mentions", "events") for f in (manifest.files(table) if manifest else ())]
    return sum((store / f).stat().st_size for f in names) + ((store / "manifest.json").stat().st_size if manifest else 0)


def store_contents(store: Path) -> dict[str, str]:
    """Return a digest of each table's rows in a fixed order: equal digests, equal stores."""
    orders = {"articles": "article_id", "mentions": "mention_id", "events": "event_id"}
    view = open_store(store)
    return {
        table: view.query(f"SELECT md5(string_agg(md5(CAST(t AS VARCHAR)), '' ORDER BY {key})) AS d FROM {table} t")["d"].iloc[0] or ""
        for table, key in orders.items()
    }


def cmd_ingest(args: argparse.Namespace) -> None:
    """Ingest into an empty store with N workers, then again; report articles/s, the store's size, the re-run's time."""
    inputs = [str(p.resolve()) for p in (args.input or corpus_paths())]
    store = (args.store or OUT / f"store-w{args.workers}").resolve()
    shutil.rmtree(store, ignore_errors=True)
    command = pipeline_command("ingest", *inputs, "--store", str(store), "--workers", str(args.workers))
    wall, cpu = timed_run(command)
    summary = open_store(store).summary()
    figure(
        "ingest",
        workers=args.workers,
        inputs=inputs,
        articles=summary.articles,
        mentions=summary.mentions,
        events=summary.events,
        seconds=round(wall, 1),
        cpu_seconds=round(cpu, 1),
        articles_per_s=round(summary.articles / wall, 2),
        store_bytes=store_bytes(store),
    )
    before, generation = store_contents(store), summary.generation
    again, _ = timed_run(command)
    unchanged = store_contents(store) == before and open_store(store).summary().generation == generation
    figure("reingest", workers=args.workers, seconds=round(again, 1), share_of_first=round(again / wall, 4), unchanged=unchanged)


def timed_ms(query: Callable[[], object]) -> tuple[float, float, float]:
    """Return the median and worst wall-clock milliseconds of a query over QUERY_RUNS runs after a warm-up run, and the
    median CPU milliseconds (all of DuckDB's threads): on a shared machine the CPU time shows the work, the wall time the wait."""
    query()
    walls, cpus = [], []
    for _ in range(QUERY_RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        query()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return round(statistics.median(walls), 1), round(max(walls), 1), round(statistics.median(cpus), 1)


def cmd_query(args: argparse.Namespace) -> None:
    """Time the dashboard's queries on a store (bench/make_big_store.py makes a big one)."""
    store = open_store(args.store)
    events = store.summary().events
    one_actor = EventFilter(actors=(args.actor,), since=date(2019, 1, 1), until=date(2019, 12, 31))
    one_event = str(store.events(one_actor, columns=("event_id",), limit=1)["event_id"].iloc[0])
    queries: dict[str, Callable[[], object]] = {
        "actor_and_date_range": lambda: store.events(one_actor, columns=TABLE_COLUMNS),
        "actor_and_date_range_list_columns": lambda: store.events(one_actor, columns=LIST_COLUMNS),
        "actor_and_date_range_with_evidence": lambda: store.events(one_actor),
        "daily_count_per_type": lambda: store.event_counts(period="day"),
        "monthly_count_per_type": lambda: store.event_counts(period="month"),
        "top_actors": lambda: store.top_actors(),
        "actor_months": lambda: store.actor_months(),
        "actor_edges": lambda: store.actor_edges(),
        "text_search_year": lambda: store.events(EventFilter(text="respond", since=date(2019, 1, 1), until=date(2019, 12, 31))),
        "mentions_of_one_event": lambda: store.mentions((one_event,)),
        "evidence_of_one_event": lambda: store.evidence(one_event),
    }
    rows = {name: len(query()) for name, query in queries.items()}  # type: ignore[arg-type]
    for name, query in queries.items():
        median, worst, cpu = timed_ms(query)
        figure("query", query=name, store_events=events, rows=rows[name], median_ms=median, worst_ms=worst, cpu_ms=cpu)


def alive(store: Path) -> bool:
    """Return True when a store reads whole: every table answers and every event's mentions are there."""
    view = open_store(store)
    missing = view.query(
        "SELECT count(*) AS n FROM (SELECT unnest(mention_ids) AS mention_id FROM events) ANTI JOIN mentions USING (mention_id)"
    )
    return int(missing["n"].iloc[0]) == 0


def killed_run(command: list[str], after: float) -> bool:
    """Start a run and kill -9 it (and its workers) after ``after`` seconds; return True when it ended before."""
    process = subprocess.Popen(command, cwd=pipeline_home(), start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=after)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return False


def cmd_crash(args: argparse.Namespace) -> None:
    """Kill ingests at random moments many times, resume, and compare the store with one from an uninterrupted run."""
    reference, crashed = (OUT / "crash-reference").resolve(), (OUT / "crash-store").resolve()
    inputs = [str(p.resolve()) for p in args.input]
    for store in (reference, crashed):
        shutil.rmtree(store, ignore_errors=True)
    options = ["--workers", str(args.workers), "--batch-size", str(args.batch_size)]
    uninterrupted, _ = timed_run(pipeline_command("ingest", *inputs, "--store", str(reference), *options))
    command = pipeline_command("ingest", *inputs, "--store", str(crashed), *options)
    rng, kills, finished, readable = random.Random(args.seed), 0, 0, True
    while kills < args.kills:
        if killed_run(command, rng.uniform(0.5, uninterrupted)):
            finished += 1
            shutil.rmtree(crashed)  # it got to the end: start over so that the next kills land mid-run
            continue
        kills += 1
        readable = readable and alive(crashed)
    subprocess.run(command, check=True, cwd=pipeline_home())
    same = store_contents(crashed) == store_contents(reference)
    figure(
        "crash",
        kills=kills,
        runs_that_finished=finished,
        readable_after_every_kill=readable,
        same_as_uninterrupted=same,
        articles=open_store(crashed).summary().articles,
        batch_size=args.batch_size,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the event store.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("snapshot").set_defaults(run=cmd_snapshot)
    subset = commands.add_parser("subset")
    subset.add_argument("--every", type=int, default=12)
    subset.set_defaults(run=cmd_subset)
    ingest = commands.add_parser("ingest")
    ingest.add_argument("--workers", type=int, default=1)
    ingest.add_argument("--input", type=Path, nargs="+")
    ingest.add_argument("--store", type=Path)
    ingest.set_defaults(run=cmd_ingest)
    query = commands.add_parser("query")
    query.add_argument("--store", type=Path, default=OUT / "big_store")
    query.add_argument("--actor", default="Russia")
    query.set_defaults(run=cmd_query)
    crash = commands.add_parser("crash")
    crash.add_argument("--input", type=Path, nargs="+", required=True)
    crash.add_argument("--kills", type=int, default=40)
    crash.add_argument("--batch-size", type=int, default=10)
    crash.add_argument("--workers", type=int, default=1)
    crash.add_argument("--seed", type=int, default=7)
    crash.set_defaults(run=cmd_crash)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.run(args)


if __name__ == "__main__":
    main()
