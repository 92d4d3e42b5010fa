"""Dashboard speed and memory on a big store: ``python bench/bench_dashboard.py [--store bench/out/big_store] [--events 1000000]``.

Runs the app under Streamlit's AppTest in a fresh process (cold caches, the app's imports included) and times each
script run, which is the server's time for a page: the first full render, one filter change while the in-memory
copy of the events is still being built (answered from the Parquet files), then, once the copy is built, a series
of filter changes never seen before (no cache hit) and view switches. Reports the peak memory (RSS) of the process.
The store is made with bench/make_big_store.py when it is missing. Figures are in bench/README_dashboard.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
# Each step: a name and the widget values it sets (key: value; None clears), or a view to open.
CHANGES: list[tuple[str, dict[str, object]]] = [
    ("actor Russia", {"actor": ["Russia"]}),
    ("members and officials off", {"members": False}),
    ("as source only", {"source_only": True, "members": True}),
    ("two actors", {"actor": ["China", "Iran"], "source_only": False}),
    ("event types", {"type": ["sanction", "attack"]}),
    ("family", {"type": [], "family": ["consult"]}),
    ("status", {"status": ["planned"]}),
    ("dates", {"dates": (date(2019, 1, 1), date(2020, 6, 30))}),
    ("clear", {"actor": [], "family": [], "status": [], "dates": "all"}),
    ("publisher", {"publisher": ["Reuters"]}),
    ("min articles", {"publisher": [], "min_articles": 3}),
    ("min confidence", {"min_articles": 0, "min_confidence": 0.8}),
    ("country", {"min_confidence": 0.0, "country": ["RUS"]}),
    ("text in every event", {"country": [], "q": "respond"}),
    ("text + actor", {"actor": ["Ukraine"]}),
    ("text in 2% of events", {"q": "latest move by china", "actor": []}),
    ("text in 5% of events", {"q": "by united"}),
    ("view: actor activity", {"view": "Actor activity", "q": ""}),
    ("actor activity + filter", {"actor": ["Japan"]}),
    ("view: actor profile", {"view": "Actor profile"}),
    ("profile + filter", {"type": ["statement"]}),
    ("view: dyad", {"view": "Dyad", "type": []}),
    ("dyad pair", {"dyad_a": "China", "dyad_b": "Japan"}),
    ("dyad + filter", {"type": ["statement"]}),
    ("view: tone", {"view": "Tone", "type": []}),
    ("tone + filter", {"country": ["JPN"]}),
    ("view: publishers", {"view": "Publishers", "country": []}),
    ("publishers + filter", {"actor": ["Japan"]}),
    ("view: map", {"view": "Map", "actor": [], "type": ["statement"]}),
    ("view: events", {"view": "Events"}),
    ("events + filter", {"type": [], "actor": ["India"]}),
    ("view: timeline", {"view": "Timeline", "actor": []}),
]


def set_value(at: AppTest, key: str, value: object) -> None:
    """Set a widget (or the open view) by key."""
    if key == "view":
        at.session_state[key] = value
        return
    for kind in ("multiselect", "selectbox", "date_input", "number_input", "slider", "text_input", "checkbox"):
        found = [w for w in getattr(at, kind) if w.key == key]
        if found:
            found[0].set_value(value)
            return
    raise KeyError(key)


def cpu_seconds() -> float:
    """Return the CPU time this process used so far (all threads, user and system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_run(at: AppTest) -> tuple[float, float]:
    """Run the script once and return its wall time and CPU time; fail on an exception in the app. (The CPU time
    includes the background copy's while it builds, and varies less than the wall time on a busy machine.)"""
    started, cpu = time.perf_counter(), cpu_seconds()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return round(seconds, 3), round(cpu_seconds() - cpu, 3)


def peak_mb() -> float:
    """Return this process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(store: Path) -> dict[str, object]:
    """Return the timings of one cold app process on ``store`` (runs in the child)."""
    os.environ["EVENTLINE_STORE"] = str(store)
    sys.path.insert(0, str(ROOT))
    from streamlit.testing.v1 import AppTest

    from dashboard.queries import facets
    from pipeline.store import open_store

    bounds = facets(open_store(store))
    at = AppTest.from_file(str(APP), default_timeout=300)
    result: dict[str, object] = {"store": str(store), "load_before": os.getloadavg()[0]}
    result["first_render_s"], result["first_render_cpu_s"] = timed_run(at)
    set_value(at, "min_confidence", 0.5)
    result["filter_change_before_copy_s"], _ = timed_run(at)
    set_value(at, "min_confidence", 0.0)
    timed_run(at)

    from dashboard.views import cached_store, event_index, generation_of

    index = event_index(str(store), generation_of(cached_store(str(store))))
    index.wait(600)
    result["copy_build_s"] = round(index.build_seconds, 1)
    steps = []
    for name, values in CHANGES:
        for key, value in values.items():
            set_value(at, key, (bounds.first_day, bounds.last_day) if value == "all" else value)
        seconds, cpu = timed_run(at)
        steps.append({"step": name, "seconds": seconds, "cpu_seconds": cpu})
    result["steps"] = steps
    seconds = [s["seconds"] for s in steps]
    result["filter_change_max_s"] = max(seconds)
    result["filter_change_median_s"] = sorted(seconds)[len(seconds) // 2]
    result["filter_change_under_1s"] = sum(x < 1.0 for x in seconds)
    result["peak_rss_mb"] = round(peak_mb())
    result["load_after"] = os.getloadavg()[0]
    return result


def ensure_store(store: Path, events: int) -> None:
    """Make the synthetic store when it is missing."""
    if not (store / "manifest.json").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "make_big_store.py"), "--events", str(events), "--store", str(store)], check=True
        )


def report(result: dict[str, object]) -> str:
    """Return the figures as a Markdown table."""
    lines = [
        f"first full render: {result['first_render_s']} s ({result['first_render_cpu_s']} s CPU); "
        "a filter change while the in-memory copy builds: "
        f"{result['filter_change_before_copy_s']} s; copy built in {result['copy_build_s']} s",
        f"filter changes after: median {result['filter_change_median_s']} s, max {result['filter_change_max_s']} s, "
        f"{result['filter_change_under_1s']} of {len(result['steps'])} under 1 s; "
        f"peak memory {result['peak_rss_mb']} MB; load average {result['load_before']:.1f} before, {result['load_after']:.1f} after",
        "",
        "| step | server time (s) | CPU time (s) |",
        "|---|---|---|",
    ]
    lines += [f"| {s['step']} | {s['seconds']} | {s['cpu_seconds']} |" for s in result["steps"]]  # type: ignore[index, union-attr]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=ROOT / "bench" / "out" / "big_store")
    parser.add_argument("--events", type=int, default=1_000_000, help="events of the store made when it is missing")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.child:
        print(json.dumps(measure(args.store)))
        return
    ensure_store(args.store, args.events)
    child = subprocess.run([sys.executable, __file__, "--child", "--store", str(args.store)], capture_output=True, text=True, check=True)
    result = json.loads(child.stdout.strip().splitlines()[-1])
    out = ROOT / "bench" / "out" / "dashboard.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(report(result))


if __name__ == "__main__":
    main()
