"""Sort extraction's misses and false positives into error classes, with counts (issue 11).

    python bench/event_misses.py train        # ../shared/eval/train: the set to learn from
    python bench/event_misses.py dev [-v]     # ../shared/eval/dev: for measuring only, never for tuning
    python bench/event_misses.py FOLDER [-v]  # docs.jsonl and gold.jsonl of our own annotations

For each required gold event, the sentence that holds its evidence is found, and the miss is put in the
first class that explains it:
  found          the scorer matches it (type family and actors)
  no_sentence    the evidence lies in no sentence of ours (splitting or cleaning lost it)
  not_parsed     the sentence was not parsed (no trigger word or no possible actor in the cheap check)
  no_trigger     parsed, but no trigger of any type
  dropped        triggers found, but no event came of them (no source, reported content, quoted...)
  wrong_type     events on the sentence, none in the gold type's family
  wrong_actor    an event of the family on the sentence, with the wrong source or target
  elsewhere      nothing fits on the sentence, but the scorer found a match elsewhere (counted as found)
Each false positive (a system event matching no gold event) is classed by its type and whether its
sentence holds any gold event (``fp_gold_sentence``: typing or actors wrong) or none (``fp_no_gold``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from pipeline.events_table import write_events  # noqa: E402
from pipeline.extract import article_sentences, default_extractor, extract_events, parse_need  # noqa: E402
from pipeline.ingest import read_articles  # noqa: E402
from pipeline.records import Article  # noqa: E402

SPLITS = ("train", "dev")
CLASSES = ("found", "elsewhere", "no_sentence", "not_parsed", "no_trigger", "dropped", "wrong_type", "wrong_actor")


def scorer() -> object:
    """Return the scorer module of ../shared/eval."""
    spec = importlib.util.spec_from_file_location("score_events", SHARED / "eval" / "score_events.py")
    if spec is None or spec.loader is None:
        raise SystemExit("skipped: ../shared/eval/score_events.py is absent")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def squeezed(text: str) -> str:
    """Return text lower-cased with only letters and digits, for finding a quote in a sentence."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def evidence_sentence(evidence: str, sentences: list[str]) -> int:
    """Return the index of the sentence that holds most of the evidence's start, or -1."""
    wanted = squeezed(evidence)
    for size in (len(wanted), 60, 30, 15):
        piece = wanted[:size]
        for i, sentence in enumerate(sentences):
            if piece and piece in squeezed(sentence):
                return i
    return -1


def event_sentences(row: dict) -> set[int]:
    """Return the sentence indices an event's evidence comes from."""
    return {item["sentence_index"] for item in json.loads(row["evidence"] or "[]")}


def miss_class(gold: dict, index: int, rows: list[dict], article: Article, extractor: object, score: object) -> str:
    """Return the class of one required gold event (see the module's docstring)."""
    on_sentence = [r for r in rows if index in event_sentences(r)]
    if any(score.event_matches(gold, r, False) for r in on_sentence):  # type: ignore[attr-defined]
        return "found"
    if gold.get("_hit"):
        return "elsewhere"
    if index < 0:
        return "no_sentence"
    family = score.family(gold["type"])  # type: ignore[attr-defined]
    if any(score.family(r["event_type"]) == family for r in on_sentence):  # type: ignore[attr-defined]
        return "wrong_actor"
    if on_sentence:
        return "wrong_type"
    sentence = article_sentences(article, extractor.dictionary)[index]
    if not parse_need(sentence, extractor):  # type: ignore[arg-type]
        return "not_parsed"
    doc = extractor.nlp(sentence.text)  # type: ignore[attr-defined]
    hits = extractor.lexicon.find(doc[:])  # type: ignore[attr-defined]
    return "dropped" if hits else "no_trigger"


def run(split: str, verbose: bool) -> None:
    """Extract the split's articles, score them and print the classes' counts per source kind."""
    folder = SHARED / "eval" / split if split in SPLITS else Path(split)
    if not folder.exists():
        print(f"skipped: {folder} is absent (the ../shared corpora are not in a user's clone)")
        return
    score = scorer()
    extractor = default_extractor()
    articles = [a for a in read_articles([folder / "docs.jsonl"]) if isinstance(a, Article)]
    events = extract_events(articles, extractor)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.csv"
        write_events(events, path)
        gold = score.load_gold(str(folder / "gold.jsonl"))  # type: ignore[attr-defined]
        system = score.load_events(str(path))  # type: ignore[attr-defined]
        summary = score.score(gold, system, False)  # type: ignore[attr-defined]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    fps: Counter[str] = Counter()
    for article in articles:
        sentences = [s.text for s in article_sentences(article, extractor.dictionary)]
        golds = gold.get(article.article_id, [])
        rows = system.get(article.article_id, [])
        kind = score.kind_of(article.article_id)  # type: ignore[attr-defined]
        gold_sentences = {evidence_sentence(g["evidence"], sentences) for g in golds}
        for g in golds:
            if not g["required"]:
                continue
            index = evidence_sentence(g["evidence"], sentences)
            found = miss_class(g, index, rows, article, extractor, score)
            counts[kind][found] += 1
            if verbose and found not in {"found", "elsewhere"}:
                actors = "/".join(g["source"]) + " -> " + "/".join(g["target"])
                print(f"{found:12} {g['type']:13} {actors[:50]:50} | {g['evidence'][:110]}")
        for r in rows:
            if r["event_type"] == "statement" or any(score.event_matches(g, r, False) for g in golds):  # type: ignore[attr-defined]
                continue
            where = "fp_gold_sentence" if event_sentences(r) & gold_sentences else "fp_no_gold"
            fps[where] += 1
            fps[f"fp_type:{r['event_type']}"] += 1
            if verbose:
                print(f"{where:16} {r['event_type']:13} {r['source_actor'][:24]:24} -> {r['target_actor'][:20]:20} | {r['sentence'][:100]}")
    total: Counter[str] = sum(counts.values(), Counter())
    for kind, counter in [*sorted(counts.items()), ("all", total)]:
        print(f"{kind:14} " + " ".join(f"{c}={counter[c]}" for c in CLASSES) + f" (required={sum(counter.values())})")
    print("false positives: " + " ".join(f"{k}={v}" for k, v in fps.most_common()))
    print(
        f"{split}: recall={summary['recall']:.3f} precision={summary['precision']:.3f} f1={summary['f1']:.3f} "
        f"date_accuracy={summary['date_accuracy']:.3f} (system events={summary['system_events']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", help="train, dev, or a folder holding docs.jsonl and gold.jsonl of the same format")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss and false positive with its class")
    args = parser.parse_args()
    run(args.split, args.verbose)


if __name__ == "__main__":
    main()
