"""Benchmark merging across articles on real news clusters (issue 13): acts each reported by several real articles.

    python bench/bench_merge.py [-v] [--store DIR]
    python bench/bench_merge.py --speed STORE   # time merging all of a store's mentions again (a quarter, half, all)

The articles of ``bench/data/merge_clusters/`` (copied from ../shared/corpora; the acts they report in ``gold.yaml``)
are ingested through the real pipeline into an empty store. Every mention that reports an annotated act is scored:
pairwise precision and recall over (mention, mention) pairs (same act? same stored event?), and per act the share
of its articles gathered in its largest event and the number of events it is split into. Acts the extractor finds
in no article are reported as "not extracted", apart from the merge's figures. Prints one ``FIGURE`` line; skips with
a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"
CLUSTERS = ROOT / "bench" / "data" / "merge_clusters"
sys.path.insert(0, str(ROOT))

from pipeline.ingest import read_articles  # noqa: E402
from pipeline.parallel import extracted  # noqa: E402
from pipeline.records import Article  # noqa: E402
from pipeline.store import ingest_articles, open_store  # noqa: E402
from pipeline.store.kinds import parsed_info  # noqa: E402
from pipeline.store.merge import block_key, merged_events, type_info  # noqa: E402

log = logging.getLogger("bench_merge")


@dataclass(frozen=True)
class Act:
    """One real-world act of the gold file and what a mention must name to report it."""

    act_id: str
    families: frozenset[str]
    source: str
    with_: frozenset[str]
    articles: tuple[str, ...]


@dataclass(frozen=True)
class ActFigures:
    """How the store gathered one act's mentions."""

    act_id: str
    articles: int
    extracted_articles: int
    mentions: int
    events: int
    largest_articles: int

    @property
    def status(self) -> str:
        """Return "not extracted" (no article gives a mention of the act), "one article" or "merged"/"split"."""
        if not self.mentions:
            return "not extracted"
        if self.extracted_articles == 1:
            return "one article"
        return "merged" if self.events == 1 else "split"


def gold_acts(path: Path = CLUSTERS / "gold.yaml") -> list[Act]:
    """Return the acts of the gold file."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["acts"]
    return [
        Act(e["id"], frozenset(e["families"]), e.get("source", ""), frozenset(e.get("with") or ()), tuple(e["articles"])) for e in entries
    ]


def mention_keys(row: Mapping[str, object]) -> tuple[set[str], set[str]]:
    """Return what a mention's source stands for, and what all its actors stand for: names and states (ISO codes)."""
    info = parsed_info(str(row["actor_info"]))

    def keys(name: str) -> set[str]:
        who = info.get(name)
        return {name, who.state_key} if who else {name}

    names = {str(row["source_actor"]), str(row["target_actor"]), *str(row["participants"]).split(";")} - {""}
    everyone = set().union(*(keys(n) for n in names)) if names else set()
    return keys(str(row["source_actor"])), everyone


def reports(row: Mapping[str, object], act: Act) -> bool:
    """Return True when a mention reports an act: from one of its articles, of one of its families, naming its actors."""
    if row["article_id"] not in act.articles or type_info(str(row["event_type"])).family not in act.families:
        return False
    source, everyone = mention_keys(row)
    return (not act.source or act.source in source) and act.with_ <= everyone


def act_of(row: Mapping[str, object], acts: Sequence[Act]) -> str | None:
    """Return the act a mention reports; None when it reports none (or, ambiguously, several)."""
    found = [a.act_id for a in acts if reports(row, a)]
    return found[0] if len(found) == 1 else None


def pairwise(labels: Sequence[tuple[str, str]]) -> tuple[float, float, int, int, int]:
    """Return precision, recall and the true, merged and gold pair counts of (act, event) labels."""
    gold = merged = both = 0
    for (act_a, event_a), (act_b, event_b) in combinations(labels, 2):
        gold += act_a == act_b
        merged += event_a == event_b
        both += act_a == act_b and event_a == event_b
    return (both / merged if merged else 1.0, both / gold if gold else 1.0, both, merged, gold)


def act_figures(act: Act, mentions: Iterable[Mapping[str, object]]) -> ActFigures:
    """Return how one act's mentions (those labelled with it) were gathered into events."""
    rows = list(mentions)
    articles_by_event: dict[str, set[str]] = {}
    for row in rows:
        articles_by_event.setdefault(str(row["event_id"]), set()).add(str(row["article_id"]))
    largest = max((len(a) for a in articles_by_event.values()), default=0)
    return ActFigures(act.act_id, len(act.articles), len({r["article_id"] for r in rows}), len(rows), len(articles_by_event), largest)


def cluster_articles() -> list[Article]:
    """Return the articles of the clusters, read as the pipeline reads them."""
    return [a for a in read_articles([CLUSTERS / "articles.jsonl"]) if isinstance(a, Article)]


def ingested_mentions(store: Path) -> list[dict[str, object]]:
    """Return the mentions, each with its event id, after ingesting the cluster articles into the (empty) store."""
    ingest_articles(cluster_articles(), store, extracted)
    return open_store(store).mentions().to_dict("records")


def print_act(figures: ActFigures) -> None:
    """Print one act's line."""
    share = figures.largest_articles / figures.articles
    extracted_share = figures.largest_articles / figures.extracted_articles if figures.extracted_articles else 0.0
    print(
        f"{figures.act_id:44} articles {figures.articles}  extracted in {figures.extracted_articles}  "
        f"mentions {figures.mentions:2}  events {figures.events}  largest {figures.largest_articles} "
        f"({share:.0%} of all, {extracted_share:.0%} of extracted)  {figures.status}"
    )


def print_mentions(labelled: Sequence[tuple[str, dict[str, object]]]) -> None:
    """Print every labelled mention with its event, by act."""
    for act_id, row in sorted(labelled, key=lambda p: (p[0], str(p[1]["event_id"]))):
        fields = ("article_id", "event_type", "source_actor", "target_actor", "participants", "date", "date_text", "trigger")
        print("   ", act_id, str(row["event_id"])[-6:], *(str(row[f]) for f in fields), sep=" | ")


def report(mentions: Sequence[dict[str, object]], acts: Sequence[Act], verbose: bool) -> dict[str, object]:
    """Print the per-act lines and the summary; return the figures."""
    labelled = [(act, m) for m in mentions if (act := act_of(m, acts))]
    precision, recall, true_pairs, merged_pairs, gold_pairs = pairwise([(a, str(m["event_id"])) for a, m in labelled])
    per_act = [act_figures(a, (m for act, m in labelled if act == a.act_id)) for a in acts]
    for figures in per_act:
        print_act(figures)
    if verbose:
        print_mentions(labelled)
    multi = [f for f in per_act if f.extracted_articles > 1]
    statuses = Counter(f.status for f in per_act)
    return {
        "acts": len(acts),
        "articles": len({a for act in acts for a in act.articles}),
        "mentions_scored": len(labelled),
        "mentions_stored": len(mentions),
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "pairs": {"true": true_pairs, "merged": merged_pairs, "gold": gold_pairs},
        "statuses": dict(statuses),
        "mean_largest_share_of_articles": round(sum(f.largest_articles / f.articles for f in per_act) / len(per_act), 3),
        "mean_largest_share_of_extracted": round(sum(f.largest_articles / f.extracted_articles for f in multi) / len(multi), 3)
        if multi
        else None,
        "acts_largest_below_80pct_of_extracted": [f.act_id for f in multi if f.largest_articles < 0.8 * f.extracted_articles],
        "acts_split_in_more_than_2": [f.act_id for f in per_act if f.events > 2],
    }


def merge_speed(store: Path) -> dict[str, object]:
    """Return the CPU seconds of merging a quarter, half and all of a store's mentions (each given this code's block),
    the mentions and the events merging all gives."""
    rows = open_store(store).query("SELECT * FROM mentions ORDER BY mention_id").to_dict("records")
    for row in rows:
        row["block"] = block_key(str(row["event_type"]), str(row["date"]))
    seconds: dict[str, float] = {}
    events = 0
    for share in (4, 2, 1):
        started = time.process_time()
        events = len(merged_events(rows[: len(rows) // share]))
        seconds[f"1/{share}"] = round(time.process_time() - started, 2)
    return {"mentions": len(rows), "events": events, "blocks": len({r["block"] for r in rows}), "cpu_seconds": seconds}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print every scored mention with its event")
    parser.add_argument("--store", type=Path, help="store folder to ingest into (must be empty; default: a temporary one)")
    parser.add_argument("--speed", type=Path, metavar="STORE", help="time merging the mentions of this store instead")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.speed:
        print("FIGURE", json.dumps({"merge_speed": merge_speed(args.speed)}))
        return 0
    if not SHARED.is_dir():
        print(f"SKIP bench_merge: {SHARED} is absent (the real-cluster benchmark needs ../shared)")
        return 0
    acts = gold_acts()
    with tempfile.TemporaryDirectory() as tmp:
        mentions = ingested_mentions(args.store or Path(tmp) / "store")
    figures = report(mentions, acts, args.verbose)
    print("FIGURE", json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
