"""Events from one parsed article: a mention per trigger, then mentions of the same act merged."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from pipeline.actors import ActorMention
from pipeline.dates import DateValue
from pipeline.locations import Location
from pipeline.roles import PHRASE_PREPS, TARGET_PHRASE_PREPS, Arguments, phrase_tokens
from pipeline.triggers import EventType, TriggerHit

PRECISION_RANK = {"none": 0, "year": 1, "week": 2, "month": 2, "day": 3}
# Confidence of one mention: a base by how the trigger was found, plus what is known of the act.
# Calibrated by hand on the seed article and the demo corpus: a phrase or verb with a dictionary
# actor on both sides scores about 0.85; a bare noun with an actor found by NER about 0.5.
TRIGGER_BASE = {"phrase": 0.55, "verb": 0.5, "noun": 0.35, "consequence": 0.4, "evaluation": 0.4, "undergone": 0.5}
ACTOR_BONUS = {"alias": 0.2, "title": 0.2, "agent": 0.15, "coref": 0.12, "place": 0.1, "ner": 0.08}
TARGET_BONUS = 0.1
DATE_BONUS = 0.05
MAX_CONFIDENCE = 0.99


@dataclass(frozen=True)
class Mention:
    """One sentence's report of an act: its type, parties, date, status, place and evidence."""

    article_id: str
    sentence_index: int
    sentence: str
    is_caption: bool
    trigger: str
    event_type: EventType
    sources: tuple[ActorMention, ...]
    targets: tuple[ActorMention, ...]
    parties: tuple[ActorMention, ...]
    date: DateValue
    date_text: str
    status: str
    location: Location | None
    confidence: float
    trigger_span: tuple[int, int] = (0, 0)  # character offsets in the sentence
    actor_spans: tuple[tuple[int, int, str, str], ...] = ()  # (start, end, role, canonical name) in the sentence

    @property
    def participants(self) -> tuple[ActorMention, ...]:
        """Every actor involved, sources first, each once."""
        return tuple({m.actor_id: m for m in self.sources + self.parties + self.targets}.values())


def mentions_by_token(mentions: Sequence[ActorMention], doc: Doc) -> dict[int, ActorMention]:
    """Return, for each token of a Doc that an actor mention covers, the first such mention."""
    covered: dict[int, ActorMention] = {}
    for mention in mentions:
        span = doc.char_span(mention.start_char, mention.end_char, alignment_mode="expand")
        for i in range(span.start, span.end) if span is not None else ():
            covered.setdefault(i, mention)
    return covered


def actors_of(head: Token, covered: dict[int, ActorMention], preps: frozenset[str] = PHRASE_PREPS) -> list[ActorMention]:
    """Return the actors a phrase names: the one on its head word, else every one inside it (through ``preps``)."""
    if head.i in covered:
        return [covered[head.i]]
    inside = [covered[t.i] for t in phrase_tokens(head, preps=preps) if t.i in covered]
    return list({m.actor_id: m for m in inside}.values())


def resolved(
    indices: Iterable[int], sent: Span, covered: dict[int, ActorMention], preps: frozenset[str] = PHRASE_PREPS
) -> tuple[ActorMention, ...]:
    """Return the actors of the phrases headed at ``indices``, each once, in order."""
    found = [m for i in indices for m in actors_of(sent.doc[i], covered, preps)]
    return tuple({m.actor_id: m for m in found}.values())


def mention_confidence(hit: TriggerHit, sources: Sequence[ActorMention], targets: Sequence[ActorMention], date_text: str) -> float:
    """Return how sure one mention is, from the trigger kind, how its actors were found, a target and a date."""
    score = TRIGGER_BASE[hit.kind] + max((ACTOR_BONUS.get(m.how, 0.0) for m in sources), default=0.0)
    score += TARGET_BONUS if targets else 0.0
    score += DATE_BONUS if date_text else 0.0
    return round(min(score, MAX_CONFIDENCE), 3)


def argument_actors(arguments: Arguments, sent: Span, covered: dict[int, ActorMention]) -> tuple[tuple[ActorMention, ...], ...]:
    """Return the source, target and party actors of a trigger, no actor in two roles."""
    sources = resolved(arguments.sources, sent, covered) or resolved(arguments.fallback_sources, sent, covered)
    sources = tuple(m for m in sources if m.kind != "place")  # a town does not act; its state is named so
    taken = {m.actor_id for m in sources}
    targets = tuple(m for m in resolved(arguments.targets, sent, covered, TARGET_PHRASE_PREPS) if m.actor_id not in taken)
    taken |= {m.actor_id for m in targets}
    parties = tuple(m for m in resolved(arguments.parties, sent, covered) if m.actor_id not in taken)
    return sources, targets, parties


def same_act(a: Mention, b: Mention) -> bool:
    """Return True when two mentions of one article report the same act."""
    if a.event_type.family != b.event_type.family or {a.status, b.status} == {"occurred", "planned"}:
        return False  # "met" and "will go on consulting" are two acts
    if a.event_type.symmetric or b.event_type.symmetric:
        actors_agree = sides_agree(a.participants, b.participants)
    else:
        actors_agree = sides_agree(a.sources, b.sources) and sides_agree(a.targets, b.targets)
    return actors_agree and dates_agree(a, b)


def sides_agree(a: Sequence[ActorMention], b: Sequence[ActorMention]) -> bool:
    """Return True when two sides of an act name the same actors, or one names only states and the other their people.

    "Washington warns Beijing" (a headline) and "Blinken warned China" report one act; "Biden" and "Blinken" do not.
    """
    if {m.actor_id for m in a} == {m.actor_id for m in b}:
        return True
    return any(
        all(m.kind == "state" for m in states) and {m.actor_id for m in states} == {m.country for m in others}
        for states, others in ((a, b), (b, a))
    )


def dates_agree(a: Mention, b: Mention) -> bool:
    """Return True when two dates can be the same day: equal at the coarser precision, or one is only the publication date."""
    if not a.date_text or not b.date_text:
        return True
    shorter = min(len(a.date.value), len(b.date.value))
    return a.date.value[:shorter] == b.date.value[:shorter] and "W" not in (a.date.value + b.date.value)[:shorter]


def merged_confidence(confidences: Iterable[float]) -> float:
    """Return the chance that at least one of several independent reports is right."""
    miss = 1.0
    for confidence in confidences:
        miss *= 1.0 - confidence
    return round(min(1.0 - miss, MAX_CONFIDENCE), 3)


def best_date(mentions: Sequence[Mention]) -> tuple[DateValue, str]:
    """Return the most precise date among mentions of one act, with its words."""
    best = max(mentions, key=lambda m: (bool(m.date_text), PRECISION_RANK.get(m.date.precision, 0)))
    return best.date, best.date_text


def group_mentions(mentions: Sequence[Mention]) -> list[list[Mention]]:
    """Return the mentions grouped by act, in order of first appearance."""
    groups: list[list[Mention]] = []
    for mention in mentions:
        for group in groups:
            if all(same_act(mention, other) for other in group):
                group.append(mention)
                break
        else:
            groups.append([mention])
    return groups


def merged_mention(group: Sequence[Mention]) -> Mention:
    """Return one mention standing for a group: the first, with the best date, place and the joint confidence."""
    first = group[0]
    value, text = best_date(group)
    location = next((m.location for m in group if m.location and m.location.latitude is not None), None) or next(
        (m.location for m in group if m.location), None
    )
    return replace(first, date=value, date_text=text, location=location, confidence=merged_confidence(m.confidence for m in group))


def evidence_json(group: Sequence[Mention]) -> str:
    """Return every sentence that reports one act, with its trigger and actor spans, as JSON."""
    items = [
        {
            "sentence_index": m.sentence_index,
            "sentence": m.sentence,
            "is_caption": m.is_caption,
            "trigger": list(m.trigger_span),
            "actors": [{"start": a, "end": b, "role": role, "name": name} for a, b, role, name in m.actor_spans],
            "date_text": m.date_text,
        }
        for m in group
    ]
    return json.dumps(items, ensure_ascii=False)


def actor_spans(roles: Iterable[tuple[str, Sequence[ActorMention]]], sentence_start: int) -> tuple[tuple[int, int, str, str], ...]:
    """Return the spans of a mention's actors, relative to its sentence."""
    return tuple((m.start_char - sentence_start, m.end_char - sentence_start, role, m.name) for role, group in roles for m in group)


def event_id(article_id: str, mention: Mention) -> str:
    """Return an id that stays the same across runs for the same act in the same article."""
    actors = ";".join(sorted(m.actor_id for m in mention.participants))
    key = "|".join((article_id, mention.event_type.name, actors, mention.date.value, str(mention.sentence_index)))
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def fallback_date(published: date | None) -> DateValue:
    """Return the publication date at day precision, or no date."""
    return DateValue(published.isoformat(), "day") if published else DateValue("", "none")
