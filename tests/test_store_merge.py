"""Merging across articles, measured: the corpus of tests/fixtures/merge/ (31 articles by six outlets about 19 real
acts of 2023, several of them sharing actors and dates) is ingested, and every pair of mentions is scored: the same
act in the gold file, and the same event in the store?

Two figures: with the real extractor (its mentions mapped to the gold acts they report), and with mentions built
from the gold annotations themselves (the merge rule alone). Both must reach 0.9 pairwise precision and recall.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import combinations
from pathlib import Path

import pytest
import yaml

from pipeline.events_table import Event
from pipeline.ingest import read_articles
from pipeline.parallel import extracted
from pipeline.records import Article
from pipeline.store import ingest_articles, open_store
from pipeline.store.kinds import Who, actor_info, parsed_info
from pipeline.store.merge import most_specific, type_info
from pipeline.store.rows import Extracted
from pipeline.store.spans import mention_span

MERGE = Path(__file__).resolve().parent / "fixtures" / "merge"
# The floor the issue sets for pairwise precision and recall of merging.
FLOOR = 0.9

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Report:
    """How one article reports an act: the date as it states it ("" for none), and its wording where it differs from the act's."""

    date: str
    event_type: str = ""
    actors: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Act:
    """One real-world act of the gold file."""

    act_id: str
    event_type: str
    source: str
    target: str
    actors: tuple[str, ...]
    date: str
    reports: dict[str, Report]  # by article id

    @property
    def symmetric(self) -> bool:
        return type_info(self.event_type).symmetric


@dataclass(frozen=True)
class Scores:
    """Pairwise precision and recall of merging, with the pair counts."""

    precision: float
    recall: float
    true_pairs: int
    merged_pairs: int
    gold_pairs: int
    mentions: int
    unmapped: int


def report(entry: str | dict) -> Report:
    """Return a report of the gold file: a date, or a mapping with the date and the article's wording."""
    if isinstance(entry, str):
        return Report(entry)
    return Report(str(entry["date"]), entry.get("type", ""), tuple(entry.get("actors", ())), entry.get("source", ""))


def gold_acts() -> list[Act]:
    """Return the acts of the gold file."""
    entries = yaml.safe_load((MERGE / "gold.yaml").read_text(encoding="utf-8"))["acts"]
    return [
        Act(
            e["id"],
            e["type"],
            e.get("source", ""),
            e.get("target", ""),
            tuple(e.get("actors") or [e["source"], e.get("target", "")]),
            e["date"],
            {str(k): report(v) for k, v in e["reports"].items()},
        )
        for e in entries
    ]


def corpus() -> list[Article]:
    """Return the corpus's articles, each with its file's stem as id, as gold.yaml names them (read, their ids come from
    their URLs: ``pipeline.ingest.identity``)."""
    return [replace(a, article_id=Path(a.origin).stem) for a in read_articles([MERGE / "articles"]) if isinstance(a, Article)]


def date_fits(row: dict, true_date: str) -> bool:
    """Return True when the days a mention's date may fall on hold the act's true day."""
    span, day = mention_span(str(row["date"]), str(row["date_precision"]), str(row["date_text"])), date.fromisoformat(true_date)
    return span is not None and span.start <= day <= span.end


def reports_act(row: dict, act: Act) -> bool:
    """Return True when a mention may report an act, as the scorer matches: same family, the act's source (and target) among its actors."""
    if type_info(str(row["event_type"])).family != type_info(act.event_type).family:
        return False
    named = set(str(row["participants"]).split(";")) | {row["source_actor"], row["target_actor"]}
    wanted = set(act.actors) if act.symmetric else {act.source, act.target} - {""}
    return len(named & wanted) >= min(2, len(wanted))


def gold_who(name: str) -> Who:
    """Return an actor with its kind and country from the dictionary (no name: nobody)."""
    return parsed_info(actor_info([name])).get(name, Who(""))


def extracts_act(row: dict, act: Act) -> bool:
    """Return True when a mention reports an act correctly: same family, the same actors (a state standing for its person
    allowed), a date that holds the true day."""
    if type_info(str(row["event_type"])).family != type_info(act.event_type).family or not date_fits(row, act.date):
        return False
    if act.symmetric:
        info = parsed_info(str(row["actor_info"]))
        named = {w.name for w in most_specific(info[n] for n in str(row["participants"]).split(";") if n in info)}
        return named == set(act.actors)
    source, target = str(row["source_actor"]), str(row["target_actor"])
    return gold_who(source).agrees(gold_who(act.source)) and (target == act.target or gold_who(target).agrees(gold_who(act.target)))


def gold_act_of(row: dict, acts: Sequence[Act], strict: bool) -> str | None:
    """Return the gold act a mention of its article reports (strictly: correctly), the date choosing between two; None if none."""
    fits = extracts_act if strict else reports_act
    candidates = [a for a in acts if row["article_id"] in a.reports and fits(row, a)]
    if len(candidates) > 1:
        candidates = [a for a in candidates if date_fits(row, a.date)]
    return candidates[0].act_id if len(candidates) == 1 else None


def pairwise(labels: Sequence[tuple[str, str]], unmapped: int) -> Scores:
    """Return pairwise precision and recall from (gold act, merged event) labels of the mapped mentions."""
    gold = merged = both = 0
    for (act_a, event_a), (act_b, event_b) in combinations(labels, 2):
        gold += act_a == act_b
        merged += event_a == event_b
        both += act_a == act_b and event_a == event_b
    return Scores(both / merged if merged else 1.0, both / gold if gold else 1.0, both, merged, gold, len(labels), unmapped)


def scored_store(store: Path, acts: Sequence[Act], strict: bool) -> Scores:
    """Return the merge scores of a store's mentions against the gold acts (strictly: only correctly extracted mentions count)."""
    mentions = open_store(store).mentions().to_dict("records")
    labels = [(act, m["event_id"]) for m in mentions if (act := gold_act_of(m, acts, strict))]
    return pairwise(labels, len(mentions) - len(labels))


def date_precision(value: str) -> str:
    """Return the precision of a gold date: ``2023-06-19`` day, ``2023-W12`` week, ``2023-03`` month."""
    return "week" if "W" in value else {10: "day", 7: "month", 4: "year"}[len(value)]


def gold_event(act: Act, article: Article, stated: Report, index: int) -> Event:
    """Return the mention a perfect extractor would give for one report of an act, worded as the article words it."""
    published = article.published.isoformat() if article.published else ""
    event_type = stated.event_type or act.event_type
    symmetric = type_info(event_type).symmetric
    actors = stated.actors or act.actors
    source = stated.source or act.source or actors[0]
    target = "" if symmetric else act.target
    return Event(
        event_id=f"gold-{article.article_id}-{index}",
        date=stated.date or published,
        date_precision=date_precision(stated.date or published),
        date_text=stated.date and "stated",
        event_type=event_type,
        cameo_root="",
        plover="",
        goldstein=0.0,
        status="occurred",
        source_actor=source,
        source_kind="",
        source_country="",
        target_actor=target,
        target_kind="",
        target_country="",
        participants=";".join(dict.fromkeys(a for a in (source, *actors, target) if a)),
        location="",
        location_country="",
        latitude=None,
        longitude=None,
        sentence=act.act_id,
        trigger="",
        article_id=article.article_id,
        article_title=article.title,
        article_url=article.url,
        publisher=article.publisher,
        published=published,
        confidence=0.8,
    )


def gold_extraction(acts: Sequence[Act]):
    """Return an extraction that gives each article the mentions of the gold file."""

    def extraction(articles):
        for article in articles:
            reported = [(a, a.reports[article.article_id]) for a in acts if article.article_id in a.reports]
            yield Extracted(article, tuple(gold_event(a, article, stated, i) for i, (a, stated) in enumerate(reported)))

    return extraction


def test_store_merge_gold_file_names_corpus_articles() -> None:
    ids = {a.article_id for a in corpus()}
    reported = {article for act in gold_acts() for article in act.reports}
    assert reported <= ids
    assert len(ids) >= 30 and len(gold_acts()) >= 15


def test_store_merge_rule_on_gold_mentions(tmp_path: Path) -> None:
    acts = gold_acts()
    ingest_articles(corpus(), tmp_path, gold_extraction(acts))
    mentions = open_store(tmp_path).mentions().to_dict("records")
    scores = pairwise([(m["sentence"], m["event_id"]) for m in mentions], 0)
    log.warning("merge rule on gold mentions: %s", scores)
    assert scores.precision >= FLOOR and scores.recall >= FLOOR, scores


@pytest.mark.slow
def test_store_merge_with_extractor_precision_recall(tmp_path: Path) -> None:
    """Merging the extractor's mentions: scored over the mentions that report a gold act correctly (a mention with a wrong
    date or actor is an extraction error, counted by the extraction scorer, that no merge rule should paper over), and, for
    the record, over every mention that reports a gold act at all."""
    ingest_articles(corpus(), tmp_path, extracted)
    strict, lenient = scored_store(tmp_path, gold_acts(), strict=True), scored_store(tmp_path, gold_acts(), strict=False)
    log.warning("merge with the extractor, correctly extracted mentions: %s", strict)
    log.warning("merge with the extractor, every mention of a gold act: %s", lenient)
    assert strict.mentions >= 30, f"too few mentions extracted correctly to measure merging: {strict}"
    assert strict.precision >= FLOOR and strict.recall >= FLOOR, strict
