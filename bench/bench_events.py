"""Benchmarks of event extraction (issue 5): the seed article, PLOVER typing and direction, and speed.

    python bench/bench_events.py seed      # score the seed article with ../shared/eval/score_events.py
    python bench/bench_events.py plover    # PLOVER category and direction on ../shared/eval/plover/
    python bench/bench_events.py speed [N] # extract vs. the full spaCy pipeline on N State Department releases

Each check prints one figure line and skips with a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from pipeline.events_table import Event  # noqa: E402
from pipeline.extract import default_extractor, extract_events  # noqa: E402
from pipeline.ingest import ReadOptions, read_articles  # noqa: E402
from pipeline.records import Article  # noqa: E402

# The PLOVER sentences carry no date; any fixed date serves as their publication date.
PLOVER_DATE = date(2000, 1, 1)
# What counts as right for a gold category: our PLOVER column, or for the old names of the file's v0.8 coding.
PLOVER_SYNONYMS = {"RETREAT": {"RETREAT", "CONCEDE"}, "CONCEDE": {"CONCEDE", "RETREAT"}}


def need(path: Path) -> Path:
    """Return a path under ../shared or exit with a message saying it is absent."""
    if not path.exists():
        print(f"skipped: {path} is absent (the ../shared corpora are not in a user's clone)")
        raise SystemExit(0)
    return path


def run_seed() -> None:
    """Extract the seed article and print the scorer's summary line."""
    seed = need(SHARED / "eval" / "seed")
    with tempfile.TemporaryDirectory() as tmp:
        events = Path(tmp) / "events.csv"
        # The gold names the article by its file's stem: give it as the article's id (a plain file is identified by its
        # place and content, pipeline/ingest/identity.py).
        article = Path(tmp) / "000_07e17540711d636a.txt"
        article.write_text("Id: 000_07e17540711d636a\n" + (seed / article.name).read_text(encoding="utf-8"), encoding="utf-8")
        subprocess.run(
            [sys.executable, "-m", "pipeline", "-q", "extract", str(article), "-o", str(events)],
            check=True,
            cwd=ROOT,
        )
        scores = subprocess.run(
            [sys.executable, str(seed.parent / "score_events.py"), "--gold", str(seed / "gold.jsonl"), "--events", str(events), "-v"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    print(scores.strip())


def main_event(events: list[Event]) -> Event | None:
    """Return the sentence's main event: the most confident one that is not a bare statement."""
    candidates = [e for e in events if e.event_type != "statement"] or events
    return max(candidates, key=lambda e: e.confidence, default=None)


def codes(side: list[dict] | str | None) -> set[str]:
    """Return the country codes a gold actor list names."""
    if not isinstance(side, list):
        return set()
    return {a.get("code") for a in side if a.get("code")}


def direction_ok(event: Event, gold: dict) -> bool:
    """Return False when source and target are swapped against the gold's country codes."""
    sources, targets = codes(gold.get("actor")), codes(gold.get("recipient"))
    ours_source, ours_target = event.source_country, event.target_country
    swapped = bool(ours_source and ours_target) and ours_source in targets and ours_target in sources and ours_source not in sources
    return not swapped


def run_plover(verbose: bool) -> None:
    """Print PLOVER category accuracy over the categories our types map to, and the share not swapped."""
    path = need(SHARED / "eval" / "plover" / "plover_gsr_flat.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    extractor = default_extractor()
    ours = {t.plover.split()[0] for t in extractor.lexicon.types.values() if t.plover} | {"RETREAT"}
    in_scope = [r for r in records if r["event_v08"] in ours]
    right = direction_kept = 0
    misses: Counter[tuple[str, str]] = Counter()
    for record in in_scope:
        article = Article(record["id"], "", record["text"], PLOVER_DATE, "user")
        event = main_event(extract_events([article], extractor))
        found = event.plover.split()[0] if event and event.plover else "NONE"
        if found in PLOVER_SYNONYMS.get(record["event_v08"], {record["event_v08"]}):
            right += 1
            direction_kept += direction_ok(event, record) if event else 0
        else:
            misses[(record["event_v08"], found)] += 1
            if verbose:
                print(f"MISS {record['event_v08']:10} got {found:10} {record['text'][:120]}")
    print(
        f"plover: category right {right}/{len(in_scope)} = {right / len(in_scope):.3f} "
        f"(sentences in our categories; {len(records)} in all); "
        f"direction kept {direction_kept}/{right} = {direction_kept / max(right, 1):.3f}"
    )
    print("most common misses (gold, ours):", misses.most_common(8))


def run_speed(limit: int) -> None:
    """Time ``python -m pipeline extract`` against the full spaCy pipeline over the same texts; print the ratio and peak memory.

    The extract command runs first, as a child process: its time includes starting Python, loading the
    model and dictionaries, reading and writing, so the ratio is conservative, and its peak memory is the
    child's maximum resident set size. The baseline then runs here, the model loaded before timing.
    """
    corpus = need(SHARED / "corpora" / "statedept_2021_2022.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        subset = Path(tmp) / "subset.jsonl"
        lines = corpus.read_text(encoding="utf-8").splitlines()[:limit]
        subset.write_text("\n".join(lines) + "\n", encoding="utf-8")
        # The child runs first, while this process is small: a child forked later would report this process's size.
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pipeline", "-q", "extract", str(subset), "-o", str(Path(tmp) / "events.csv")], check=True, cwd=ROOT
        )
        ours = time.perf_counter() - start
        events = sum(1 for _ in (Path(tmp) / "events.csv").open(encoding="utf-8")) - 1
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        articles = [a for a in read_articles([subset], ReadOptions()) if isinstance(a, Article)]
        nlp = default_extractor().nlp
        list(nlp.pipe(a.text for a in articles[:3]))
        start = time.perf_counter()
        for _ in nlp.pipe(a.text for a in articles):
            pass
        full = time.perf_counter() - start
    words = sum(len(a.text.split()) for a in articles)
    print(
        f"speed: {len(articles)} articles, {words:,} words; full spaCy pipe {full:.1f} s; extract command {ours:.1f} s "
        f"({events} events); extract is {full / ours:.2f}x faster; extract peak memory {peak_mb:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("check", choices=("seed", "plover", "speed"))
    parser.add_argument("limit", nargs="?", type=int, default=2018, help="articles for the speed check (default: all 2,018)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.check == "seed":
        run_seed()
    elif args.check == "plover":
        run_plover(args.verbose)
    else:
        run_speed(args.limit)


if __name__ == "__main__":
    main()
