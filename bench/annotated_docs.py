"""Build our own annotated set (bench/data/annotated) as docs.jsonl and gold.jsonl beside each other, from ../shared.

    python bench/annotated_docs.py [OUT] [--batch N]   # default bench/out/annotated, every batch
    python ../shared/eval/score_events.py --gold bench/out/annotated/gold.jsonl --events E --per-kind
    python bench/event_misses.py bench/out/annotated -v

Real articles of ../shared/corpora that are in neither eval/train nor eval/dev, annotated by reading, by
../shared/eval/GUIDELINES.md, without running the extractor (issue 11), in batches of journalism, press releases
and Reuters wires: batch 1, 24 articles (10, 7, 7); batch 2, 23 (6, 9, 8); batch 3, 28 (4, 12, 12); batch 4, 24
(4, 10, 10); batch 5, 20 (6, 7, 7); batch 6, 18 (5, 6, 7); batch 7, 20 (0, 8, 12); batch 8, 18 (0, 9, 9). Only the gold and each
article's id, corpus, title and date are kept here: the texts are read again from ../shared (press releases and
wires by id, news pages' bodies from html_extraction's reference text, html_dated's pages through our own HTML
reading). Each batch was first scored before any rule was tuned on it. Reuters wires 5857, 5786 and 9713 repeat
5773, 5895 and 9780 (batch 7) under other ids: leave them out of any later batch.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
HERE = ROOT / "bench" / "data" / "annotated"
sys.path.insert(0, str(ROOT))

from pipeline.ingest import read_articles  # noqa: E402
from pipeline.records import Article  # noqa: E402


def corpus_records(name: str, wanted: set[str]) -> dict[str, dict]:
    """Return the records of a JSON Lines corpus whose ids are wanted."""
    found = {}
    with open(SHARED / "corpora" / f"{name}.jsonl", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["id"] in wanted:
                found[record["id"]] = record
    return found


@functools.cache
def reference_bodies() -> dict[str, dict]:
    """Return html_extraction's reference article bodies by page digest (read once)."""
    return json.loads((SHARED / "corpora" / "html_extraction" / "ground-truth.json").read_text(encoding="utf-8"))


def page_text(entry: dict) -> str:
    """Return a news page's body: html_extraction's reference text, or our reading of an html_dated page."""
    if entry["corpus"] == "html_extraction":
        return str(reference_bodies()[entry["file"].removesuffix(".html.gz")]["articleBody"])
    read = [a for a in read_articles([str(SHARED / "corpora" / entry["corpus"] / entry["file"])]) if isinstance(a, Article)]
    return read[0].text


def documents(entries: list[dict]) -> Iterator[dict]:
    """Yield each article in the scorer's docs.jsonl format."""
    wanted = {e["id"] for e in entries}
    records: dict[str, dict] = {}
    for name in {e["corpus"] for e in entries if not e["corpus"].startswith("html")}:
        records |= corpus_records(name, wanted)
    for entry in entries:
        if entry["id"] in records:
            yield records[entry["id"]]
        else:
            text = page_text(entry)
            yield {"id": entry["id"], "title": entry["title"], "date": entry["date"], "source": "", "url": entry["url"], "text": text}


def unquoted(gold: list[dict], docs: list[dict]) -> list[dict]:
    """Return the gold events whose evidence is not in their article's title or text."""
    texts = {d["id"]: f"{d['title']}\n{d['text']}" for d in docs}
    return [g for g in gold if g["evidence"] not in texts.get(g["doc"], "")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "bench" / "out" / "annotated")
    parser.add_argument("--batch", type=int, help="only the articles of this batch")
    args = parser.parse_args()
    if not (SHARED / "corpora").exists():
        print(f"skipped: {SHARED / 'corpora'} is absent (the ../shared corpora are not in a user's clone)")
        return
    entries = [json.loads(line) for line in (HERE / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    entries = [e for e in entries if args.batch in (None, e["batch"])]
    docs = list(documents(entries))
    wanted = {e["id"] for e in entries}
    gold = [json.loads(line) for line in (HERE / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = [g for g in gold if g["doc"] in wanted]
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "docs.jsonl", "w", encoding="utf-8") as out:
        out.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    with open(args.out / "gold.jsonl", "w", encoding="utf-8") as out:
        out.writelines(json.dumps(g, ensure_ascii=False) + "\n" for g in gold)
    missing = unquoted(gold, docs)
    for g in missing:
        print(f"evidence not in {g['doc']}: {g['evidence'][:80]!r}", file=sys.stderr)
    print(f"{len(docs)} articles, {len(gold)} gold events ({sum(g['required'] for g in gold)} required) in {args.out}")


if __name__ == "__main__":
    main()
