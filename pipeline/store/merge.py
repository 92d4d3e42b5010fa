"""Merge mentions across articles: one event per real-world act.

Two mentions are the same act when their dates agree (the days they may fall on overlap: see ``spans``) and either
their types are of one family and their actors agree (the same source and target, or the same set of participants
when either is an act among equals), or their types are related (``data/events/merge.yaml``) and their actors agree
loosely (the same states, a target left out by one) and their evidence is alike (TF-IDF over the block's sentences).
Mentions are only ever compared inside a block (a group of related families and a year), so a block can be merged
again alone and give what merging everything would give. Inside a block the mentions are taken most precise date
first, and each joins the cluster whose every member it agrees with (or starts one), so the result depends only on
the set of mentions, not their order; a mention is compared only with the clusters that share a state and a week.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from pipeline.store.kinds import Who, parsed_info
from pipeline.store.merge_data import family_group
from pipeline.store.similarity import Vector, cosine, evidence_text, headline_vectors, tfidf_vectors
from pipeline.store.spans import DaySpan, mention_span

TYPES_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "events" / "types.yaml"
# Order in which mentions are taken: the most precise date first, so that coarse dates join clusters that already have their day.
PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3, "none": 4}
# When reports of one act disagree on its status, the most frequent wins; ties go to the first of these.
STATUS_ORDER = ("occurred", "planned", "hypothetical", "denied")
# The merged confidence is capped like a single mention's (pipeline.events.MAX_CONFIDENCE): never certain.
MAX_CONFIDENCE = 0.99
# Mentions whose actors agree only loosely, or whose types are related but of two families, are one act only when their
# evidence (sentence, trigger, article title) is this alike on average with the members they agree with loosely: cosine
# of TF-IDF vectors over the block. On tests/fixtures/merge no such pair of two different gold acts reaches 0.3. On the
# real clusters (bench/data/merge_clusters) 0.2 / 0.25 / 0.3 / 0.35 give recall 0.92 / 0.83 / 0.77 / 0.71 at precision
# about 0.95; but read by hand on every 6th article of ../shared/corpora, the events only 0.2 joins beyond 0.3 are wrong
# in 8 of 9 (generic "we support Ukraine", "we coordinate with allies" of two briefings), so 0.3 (bench/README_merge.md).
SIMILAR_EVIDENCE = 0.3
# Loose agreement holds only between mentions dated this narrowly (days covered), and two acts among equals must share
# this many states: a month, or an act of one state alone ("the United States held a meeting"), says too little.
LOOSE_MAX_SPAN_DAYS = 3
LOOSE_SHARED_STATES = 2
# Two acts among equals that name the same people, at least this many, agree whatever states they name beside them (one
# outlet adds "the Soviet Union" to Shultz and Shevardnadze): one person alone ("Blinken met Japan", "Blinken met Korea")
# says too little to tell two acts apart.
MEETING_PEOPLE = 2
# Clusters are found by the states they name and the weeks (day ordinal // 7) their days fall in.
WEEK_DAYS = 7

Row = Mapping[str, object]


@dataclass(frozen=True)
class TypeInfo:
    """What merging needs to know of an event type."""

    family: str
    symmetric: bool


@functools.lru_cache(maxsize=1)
def event_types(path: Path = TYPES_FILE) -> dict[str, TypeInfo]:
    """Return each event type's family and symmetry from ``data/events/types.yaml``."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {e["type"]: TypeInfo(e["family"], bool(e["symmetric"])) for e in entries}


def type_info(event_type: str) -> TypeInfo:
    """Return a type's family and symmetry; an unknown type is its own family."""
    return event_types().get(event_type, TypeInfo(event_type, False))


def acts_jointly(event_type: str, target: str, participants: str) -> bool:
    """Return True when a mention reports an act among equals: a symmetric type, or several actors with no target
    ("Saudi Arabia and Iran agreed to restore ties" worded as support)."""
    return type_info(event_type).symmetric or (not target and len([n for n in participants.split(";") if n]) > 1)


def actor_names(event_type: str, source: str, target: str, participants: str) -> list[str]:
    """Return the actors that must agree: all participants of an act among equals, else its source and target."""
    names = participants.split(";") if acts_jointly(event_type, target, participants) else [source, target]
    return [n for n in dict.fromkeys(names) if n]


def most_specific(actors: Iterable[Who]) -> frozenset[Who]:
    """Return a set of actors without the states one of their people already stands for ({Russia, Putin} is {Putin})."""
    actors = frozenset(actors)
    people = {a.country for a in actors if a.kind == "person" and a.country}
    return frozenset(a for a in actors if not (a.kind == "state" and a.country in people))


def block_key(event_type: str, date_value: str) -> str:
    """Return the block of a mention: its group of related type families and the year of its date, e.g. ``consult|2023``
    (``|none`` without a date). Mentions that may be one act share a block, but for an act whose reports straddle New Year."""
    return family_group(type_info(event_type).family) + "|" + (date_value[:4] or "none")


def who(name: str, info: Mapping[str, Who]) -> Who | None:
    """Return the actor of a name (None for no name), with its kind and country when known."""
    return (info.get(name) or Who(name)) if name else None


@dataclass(frozen=True)
class Parties:
    """Who takes part in a mention's act, as the merge compares them."""

    source: Who | None  # of a directed act; None for an act among equals
    target: Who | None
    actors: frozenset[Who]  # the most specific actors that must agree
    people: frozenset[str] = field(default=frozenset(), compare=False)  # see ``meeting_people``

    def agrees(self, other: Parties) -> bool:
        """Return True when two mentions' actors agree: the same source and target for two directed acts, the same parties for
        two acts among equals (a state agreeing with its people in both), the same names when one is directed and one not
        (a visit's target is where one goes, not whom one meets)."""
        if self.source and other.source:
            return self.source.agrees(other.source) and targets_agree(self.target, other.target)
        if bool(self.source) != bool(other.source):
            return {a.name for a in self.actors} == {a.name for a in other.actors}
        return (covers(self.actors, other.actors) and covers(other.actors, self.actors)) or bool(
            self.people and self.people == other.people
        )


def targets_agree(a: Who | None, b: Who | None) -> bool:
    """Return True when two directed acts' targets agree: both absent, or both there and agreeing."""
    return (a is None and b is None) or bool(a and b and a.agrees(b))


def meeting_people(actors: frozenset[Who]) -> frozenset[str]:
    """Return the names of the people of an act among equals that names two or more people and beside them only states
    (empty otherwise). Two such acts with the same people agree whatever states they name: the states are one outlet's way
    of naming the delegations ("Shultz and Shevardnadze met" and "Shultz met Shevardnadze and the Soviet delegation"); a
    third person, or an organisation, makes another act."""
    people = frozenset(a.name for a in actors if a.kind == "person")
    only_states_beside = all(a.kind in ("person", "state") for a in actors)
    return people if len(people) >= MEETING_PEOPLE and only_states_beside else frozenset()


def covers(these: frozenset[Who], those: frozenset[Who]) -> bool:
    """Return True when every actor of ``these`` agrees with one of ``those``."""
    return all(any(a.agrees(b) for b in those) for a in these)


@dataclass(frozen=True)
class Member:
    """What the merge compares of one mention."""

    index: int  # position in the block's rows
    mention_id: str
    article_id: str
    event_type: str
    family: str
    parties: Parties
    states: frozenset[str]  # what its known actors stand for at the level of states (every name when none is known)
    keys: frozenset[str]  # what all its actors stand for: where it is looked up
    span: DaySpan | None
    order: tuple[int, bool, str, str]
    vector: Vector = field(compare=False)
    title: Vector = field(compare=False)


def member(index: int, row: Row, vector: Vector, title: Vector) -> Member:
    """Return the merge's view of one mention row, with its evidence vector and its article title's."""
    event_type, precision, date_text = str(row["event_type"]), str(row["date_precision"]), str(row["date_text"])
    info = parsed_info(str(row["actor_info"]))
    source, target, participants = str(row["source_actor"]), str(row["target_actor"]), str(row["participants"])
    actors = most_specific(filter(None, (who(n, info) for n in actor_names(event_type, source, target, participants))))
    directed = not acts_jointly(event_type, target, participants)
    parties = Parties(who(source, info) if directed else None, who(target, info) if directed else None, actors, meeting_people(actors))
    span = mention_span(str(row["date"]), precision, date_text)
    order = (PRECISION_ORDER.get(precision, 4), not date_text, str(row["published"]) or "9999", str(row["mention_id"]))
    ids = (str(row["mention_id"]), str(row["article_id"]))
    return Member(
        index, *ids, event_type, type_info(event_type).family, parties, state_keys(actors), all_keys(actors), span, order, vector, title
    )


def state_keys(actors: frozenset[Who]) -> frozenset[str]:
    """Return what the actors the dictionary knows stand for at the level of states; every actor's name when it knows none
    (a name it lacks, "Jr." or "Defense", is often a misread one)."""
    known = frozenset(a.state_key for a in actors if a.kind)
    return known or all_keys(actors)


def all_keys(actors: frozenset[Who]) -> frozenset[str]:
    """Return what every actor stands for at the level of states ({""} for no actor, so that it can still be looked up)."""
    return frozenset(a.state_key for a in actors) or frozenset({""})


def named(parties: Parties) -> frozenset[Who]:
    """Return every actor of a mention: its source, its target and the actors that must agree."""
    return frozenset(a for a in (parties.source, parties.target, *parties.actors) if a)


def people_covered(these: Parties, those: Parties) -> bool:
    """Return True when every person of one mention is named by the other, as that person or as the person's state (the
    two mentions of Biden's meeting with Shmyhal and Blinken's do not cover each other; a third leader is another act)."""
    others = named(those)
    return all(any(p.agrees(o) for o in others) for p in named(these) if p.kind == "person")


def loosely_agree(a: Member, b: Member) -> bool:
    """Return True when two mentions, each dated to a day or two, may name the same parties at the level of states: two
    directed acts of two articles with the same source state and the same target state or a target left out by one; two
    acts among equals (of one type when of one article) with at least two states in common; each person of one named by
    the other (as that person or the person's state); never a directed act and an act among equals (Kishida's visit to
    Ukraine is not his meeting with Zelensky)."""
    if not (narrow(a.span) and narrow(b.span)) or bool(a.parties.source) != bool(b.parties.source):
        return False
    if a.article_id == b.article_id and (a.event_type != b.event_type or a.parties.source):
        return False
    if not (people_covered(a.parties, b.parties) and people_covered(b.parties, a.parties)):
        return False
    source_a, source_b, target_a, target_b = a.parties.source, b.parties.source, a.parties.target, b.parties.target
    if source_a and source_b:
        return source_a.state_key == source_b.state_key and (not target_a or not target_b or target_a.state_key == target_b.state_key)
    return len(a.states & b.states) >= LOOSE_SHARED_STATES


def narrow(span: DaySpan | None) -> bool:
    """Return True when a span is a day or two (a stated day, with its edge; a publication day and the day before)."""
    return span is not None and (span.end - span.start).days < LOOSE_MAX_SPAN_DAYS


def strictly_agree(a: Member, b: Member) -> bool:
    """Return True when two mentions whose dates agree report one act by the fields alone: one family, agreeing actors."""
    return a.family == b.family and a.parties.agrees(b.parties)


@dataclass
class Cluster:
    """Mentions found to report one act while a block is merged: the days all of them allow, their families, the distinct
    ways their parties are named, the states they name, the articles they come from."""

    core: DaySpan
    created: int
    members: list[Member] = field(default_factory=list)
    families: set[str] = field(default_factory=set)
    parties: set[Parties] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)

    def admits(self, candidate: Member) -> bool:
        """Return True when a mention reports the cluster's act: its dates overlap the shared days, and it agrees with every
        member by the fields alone, or loosely (related families, actors agreeing at the level of states) with evidence
        alike on average that of the members it agrees with loosely."""
        if candidate.span is None or not candidate.span.overlaps(self.core):
            return False
        if self.families == {candidate.family} and all(candidate.parties.agrees(p) for p in self.parties):
            return True
        strict = [strictly_agree(candidate, m) for m in self.members]
        loose = [m for s, m in zip(strict, self.members, strict=True) if not s]
        if not all(loosely_agree(candidate, m) for m in loose):
            return False
        return not loose or sum(evidence_alike(candidate, m) for m in loose) / len(loose) >= SIMILAR_EVIDENCE

    def add(self, candidate: Member) -> None:
        """Add a mention the cluster admits."""
        assert candidate.span is not None
        self.core = self.core.intersection(candidate.span)
        self.members.append(candidate)
        self.families.add(candidate.family)
        self.parties.add(candidate.parties)
        self.keys |= candidate.keys
        self.articles.add(candidate.article_id)

    def rank(self, candidate: Member) -> tuple[int, int, int]:
        """Return how good a home the cluster is for a mention: most articles, then nearest its last day, then oldest."""
        assert candidate.span is not None
        return (-len(self.articles), abs((self.core.end - candidate.span.end).days), self.created)


def evidence_alike(a: Member, b: Member) -> float:
    """Return how alike two mentions' evidence is: the cosine of their sentence, trigger and title; for two directed acts
    of two articles that both name a target, the cosine of the two titles alone when higher (two outlets headline one
    story alike and quote different sentences of it: "assured President Zelenskyy" and "security assistance to Ukraine")."""
    alike = cosine(a.vector, b.vector)
    if a.article_id == b.article_id or not (a.parties.target and b.parties.target):
        return alike
    return max(alike, cosine(a.title, b.title))


def weeks_of(span: DaySpan) -> range:
    """Return the weeks (day ordinal // 7) a span touches."""
    return range(span.start.toordinal() // WEEK_DAYS, span.end.toordinal() // WEEK_DAYS + 1)


@dataclass
class ClusterIndex:
    """The clusters of a block being merged, found by the states they name and the weeks they span."""

    clusters: list[Cluster] = field(default_factory=list)
    by_key: dict[tuple[str, int], list[Cluster]] = field(default_factory=dict)

    def candidates(self, member: Member) -> list[Cluster]:
        """Return the clusters that share a state and a week with a dated mention, oldest first."""
        assert member.span is not None
        found = {id(c): c for key in member.keys for week in weeks_of(member.span) for c in self.by_key.get((key, week), ())}
        return sorted(found.values(), key=lambda c: c.created)

    def place(self, candidate: Member) -> None:
        """Add a dated mention to the best cluster that admits it, or to a new one."""
        assert candidate.span is not None
        options = [c for c in self.candidates(candidate) if c.admits(candidate)]
        cluster = min(options, key=lambda c: c.rank(candidate)) if options else Cluster(candidate.span, len(self.clusters))
        if not options:
            self.clusters.append(cluster)
        new_keys = candidate.keys - cluster.keys
        cluster.add(candidate)
        for key in new_keys:
            for week in weeks_of(cluster.core):
                self.by_key.setdefault((key, week), []).append(cluster)


def clustered(members: Sequence[Member]) -> list[list[Member]]:
    """Return the mentions of one block grouped by act; mentions without a date stay alone."""
    index = ClusterIndex()
    alone: list[list[Member]] = []
    for candidate in sorted(members, key=lambda m: m.order):
        if candidate.span is None:
            alone.append([candidate])
        else:
            index.place(candidate)
    return [c.members for c in index.clusters] + alone


def block_groups(rows: Sequence[Row]) -> list[list[Row]]:
    """Return the mention rows of one block grouped by act."""
    vectors = tfidf_vectors([evidence_text(row) for row in rows])
    titles = headline_vectors([str(row["article_title"]) for row in rows], [str(row["published"]) for row in rows])
    members = [member(i, row, *vs) for i, (row, *vs) in enumerate(zip(rows, vectors, titles, strict=True))]
    return [[rows[m.index] for m in group] for group in clustered(members)]


def merged_events(rows: Iterable[Row]) -> list[dict[str, object]]:
    """Return one events-table row per act among mention rows of any blocks."""
    return rebuilt_events(rows, {})[0]


def rebuilt_events(rows: Iterable[Row], unchanged: Mapping[tuple[str, ...], str]) -> tuple[list[dict[str, object]], list[str]]:
    """Return the events of mention rows of any blocks: the rows of those not in ``unchanged`` (stored events built from
    these very mentions, by their sorted mention ids), and the ids of those that are (an event depends only on its mentions)."""
    blocks: dict[str, list[Row]] = {}
    for row in rows:
        blocks.setdefault(str(row["block"]), []).append(row)
    built: list[dict[str, object]] = []
    kept: list[str] = []
    for key in sorted(blocks):
        for group in block_groups(blocks[key]):
            stored = unchanged.get(tuple(sorted(str(r["mention_id"]) for r in group)))
            if stored:
                kept.append(stored)
            else:
                built.append(event_row(group))
    return built, kept


# ---- one event from the mentions of one act --------------------------------------------------------


def first_report(group: Sequence[Row]) -> Row:
    """Return the earliest published mention (the first report of the act)."""
    return min(group, key=lambda r: (str(r["published"]) or "9999", str(r["article_id"]), str(r["mention_id"])))


def best_dated(group: Sequence[Row]) -> Row:
    """Return the mention with the most precise date: a date read from the text before the publication date."""
    return min(group, key=lambda r: (not r["date_text"], PRECISION_ORDER.get(str(r["date_precision"]), 4), *report_order(r)))


def report_order(row: Row) -> tuple[str, str, str]:
    """Return the order in which reports are preferred on a tie: earliest published first."""
    return (str(row["published"]) or "9999", str(row["article_id"]), str(row["mention_id"]))


def most_specific_actors(group: Sequence[Row]) -> Row:
    """Return the mention whose actors say most: a directed act with a target, people before states, kinds and countries known."""

    def specificity(row: Row) -> tuple[int, ...]:
        directed = not acts_jointly(str(row["event_type"]), str(row["target_actor"]), str(row["participants"]))
        info = parsed_info(str(row["actor_info"]))
        named = [info.get(n) for n in str(row["participants"]).split(";") if n]
        people = sum(1 for w in named if w and w.kind not in ("state", ""))
        known = sum(bool(row[c]) for c in ("source_kind", "source_country", "target_kind", "target_country"))
        return (int(directed), int(bool(row["target_actor"])), people, known, len(named))

    return min(group, key=lambda r: (tuple(-v for v in specificity(r)), *report_order(r)))


def best_located(group: Sequence[Row]) -> Row | None:
    """Return the mention with the most specific place: one with coordinates, else one with a name; None when none has."""
    located = [r for r in group if r["location"]]
    return min(located, key=lambda r: (r["latitude"] is None or r["latitude"] != r["latitude"], *report_order(r)), default=None)


def majority(values: Sequence[str], order: Sequence[str] = ()) -> str:
    """Return the most frequent value; a tie goes to the value earliest in ``order``, then to the first seen."""
    counts = Counter(values)
    rank = {v: i for i, v in enumerate(order)}
    return min(counts, key=lambda v: (-counts[v], rank.get(v, len(rank)), values.index(v)))


def source_key(row: Row) -> str:
    """Return who independently reported a mention: its publisher, else its website, else the article alone."""
    publisher = " ".join(str(row["publisher"]).split()).casefold()
    host = urlsplit(str(row["article_url"])).hostname or ""
    return publisher or host.removeprefix("www.") or "article:" + str(row["article_id"])


def independent_confidence(group: Sequence[Row]) -> float:
    """Return 1 − Π(1 − cᵢ) over independent sources, each source counting once with its best mention."""
    best: dict[str, float] = {}
    for row in group:
        key = source_key(row)
        best[key] = max(best.get(key, 0.0), float(row["confidence"]))  # type: ignore[arg-type]
    miss = 1.0
    for confidence in best.values():
        miss *= 1.0 - confidence
    return round(min(1.0 - miss, MAX_CONFIDENCE), 3)


def merged_evidence(group: Sequence[Row]) -> str:
    """Return every mention's evidence as one JSON list, each item saying which article it came from."""
    items: list[dict[str, object]] = []
    for row in sorted(group, key=report_order):
        origin = {
            "mention_id": row["mention_id"],
            "article_id": row["article_id"],
            "publisher": row["publisher"],
            "published": row["published"],
        }
        items.extend({**origin, **item} for item in json.loads(str(row["evidence"]) or "[]"))
    return json.dumps(items, ensure_ascii=False)


def merged_participants(lead: Row, group: Sequence[Row]) -> list[str]:
    """Return every participant of the act, the chosen mention's first, each once."""
    names = [n for row in (lead, *group) for n in str(row["participants"]).split(";") if n]
    return list(dict.fromkeys(names))


def merged_event_id(group: Sequence[Row]) -> str:
    """Return the event's id: a hash of its first report's mention id, so it stays while later reports join."""
    return "evt-" + hashlib.sha1(str(first_report(group)["mention_id"]).encode("utf-8")).hexdigest()[:16]


def event_row(group: Sequence[Row]) -> dict[str, object]:
    """Return the events-table row of the mentions of one act."""
    first, dated, actors, place = first_report(group), best_dated(group), most_specific_actors(group), best_located(group)
    event_type = majority([str(r["event_type"]) for r in group], [str(actors["event_type"])])
    typed = next(r for r in group if r["event_type"] == event_type)
    published = sorted(str(r["published"]) for r in group if r["published"])
    participants = merged_participants(actors, group)
    return {
        **first,
        "event_id": merged_event_id(group),
        **{c: dated[c] for c in ("date", "date_precision", "date_text", "date_start", "date_end")},
        **{c: typed[c] for c in ("event_type", "cameo_root", "plover", "goldstein")},
        "status": majority([str(r["status"]) for r in group], STATUS_ORDER),
        **{
            c: actors[c]
            for c in (
                "source_actor",
                "source_kind",
                "source_country",
                "target_actor",
                "target_kind",
                "target_country",
                "source_text",
                "target_text",
            )
        },
        "participants": ";".join(participants),
        **{c: place[c] if place else first[c] for c in ("location", "location_country", "latitude", "longitude")},
        "confidence": independent_confidence(group),
        "evidence": merged_evidence(group),
        "n_mentions": len(group),
        "n_articles": len({r["article_id"] for r in group}),
        "n_publishers": len({str(r["publisher"]).strip() for r in group if str(r["publisher"]).strip()}),
        "first_seen": published[0] if published else "",
        "last_seen": published[-1] if published else "",
        "block": first["block"],
        "mention_ids": sorted(str(r["mention_id"]) for r in group),
        "publishers": sorted({str(r["publisher"]).strip() for r in group if str(r["publisher"]).strip()}),
        "actors": sorted(set(participants) | {str(actors["source_actor"]), str(actors["target_actor"])} - {""}),
    }
