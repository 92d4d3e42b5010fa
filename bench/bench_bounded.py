"""Bounded cost per article (issue 18, item 5): a 5 MB article on one line, first of an ingest of 161, is done (or refused
with a clear message) within 60 s and 1 GB, and the articles after it are committed meanwhile.

    python bench/bench_bounded.py [--workers 2] [--articles 160]

Runs ``python -m pipeline ingest`` on a folder it writes (the big article first by name, then short made-up wire stories),
polls the store and the memory of the ingest and its workers every half second, and prints the figures.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.store import open_store, store_version  # noqa: E402

BIG_BYTES = 5_000_000
SENTENCES = (
    "Russian President Vladimir Putin warned Finland on Tuesday that joining NATO would be a mistake.",
    "Chinese President Xi Jinping met French President Emmanuel Macron in Beijing on Thursday.",
    "The talks lasted three hours and covered trade, climate and the war in Ukraine.",
    "Officials said the two sides agreed to keep in touch.",
    "Ukraine accused Russia of shelling Kherson overnight, killing two civilians.",
)
LIMIT_SECONDS, LIMIT_MB = 60.0, 1024
POLL_SECONDS = 0.5


def write_inputs(folder: Path, articles: int) -> None:
    """Write the big one-line article (first by name) and ``articles`` short ones."""
    rng = random.Random(5)
    line = " ".join(rng.choice(SENTENCES) for _ in range(BIG_BYTES // 80))
    (folder / "000-big.txt").write_text(f"Title: A very long article\nDate: 2023-03-21\n\n{line}\n", encoding="utf-8")
    for index in range(articles):
        body = " ".join(rng.choice(SENTENCES) for _ in range(6))
        text = f"Title: Wire story {index}\nDate: 2023-03-{1 + index % 28:02d}\n\n{body}\nThis is story number {index}.\n"
        (folder / f"{index + 1:03d}-story.txt").write_text(text, encoding="utf-8")


def tree_rss_mb(pid: int) -> tuple[float, float]:
    """Return the resident memory of a process and its descendants, in MB, and of the largest of them (from /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    tree, frontier = {pid}, [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier and child not in tree]
        tree.update(frontier)
    sizes = [rss_kb(p) / 1024 for p in tree]
    return sum(sizes), max(sizes)


def rss_kb(pid: int) -> int:
    """Return a process's resident memory in kB, 0 when it is gone."""
    try:
        line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0
    return int(line.split()[1])


def stored_ids(store: Path) -> list[str]:
    """Return the ids of the stored articles (none before the first commit)."""
    if store_version(store) is None:
        return []
    try:
        return list(open_store(store).articles()["article_id"])
    except Exception:  # noqa: BLE001 - a poll racing a commit's first write: try again at the next poll
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--articles", type=int, default=160)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder, store = Path(tmp) / "in", Path(tmp) / "store"
        folder.mkdir()
        write_inputs(folder, args.articles)
        command = [sys.executable, "-m", "pipeline", "ingest", str(folder), "--store", str(store), "--workers", str(args.workers)]
        started = time.monotonic()
        process = subprocess.Popen([*command, "--batch-size", "20"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        peak_mb, largest_mb, big_done, others_before_big = 0.0, 0.0, None, 0
        while process.poll() is None:
            tree_mb, one_mb = tree_rss_mb(process.pid)
            peak_mb, largest_mb = max(peak_mb, tree_mb), max(largest_mb, one_mb)
            ids = stored_ids(store)
            if big_done is None and any(i.startswith("000-big-") for i in ids):
                big_done, others_before_big = time.monotonic() - started, len(ids) - 1
            time.sleep(POLL_SECONDS)
        total = time.monotonic() - started
        log = process.stderr.read() if process.stderr else ""
    warning = next((line for line in log.splitlines() if "000-big" in line and "warning" in line), "(no warning)")
    ids = [] if big_done is None else ["big"]
    print(f"  the big article's message: {warning}")
    print(f"  {args.articles + 1} articles, {args.workers} workers: all done in {total:.1f} s, exit status {process.returncode}")
    print(
        f"FIGURE bounded: 5 MB one-line article committed after {big_done if big_done is not None else float('nan'):.1f} s "
        f"(limit {LIMIT_SECONDS:.0f} s); {others_before_big} of the {args.articles} later articles committed before it; "
        f"peak memory of the largest process {largest_mb:.0f} MB (limit {LIMIT_MB} MB), of the ingest and its workers together "
        f"{peak_mb:.0f} MB" + ("" if ids else "; the big article was not stored")
    )


if __name__ == "__main__":
    main()
