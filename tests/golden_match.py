"""Match extracted events to hand-written gold events by the rules of ../shared/eval/score_events.py (no tests here).

A system event matches a gold event when its type is the gold type (strict) or of the same family (lenient), and one
gold source actor is among its source, source country or participants (likewise the target when the gold has one).
Gold events take matches strictly first, then by family, each system event serving one gold event. A matched event
is then compared field by field: type, who acts, who is acted upon, no actor the gold does not name, date and status.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from pipeline.events_table import Event

FAMILIES = (
    {"meeting", "visit", "call", "summit"},
    {"warning", "threat"},
    {"accusation", "investigation"},
    {"agreement", "support", "proposal"},
)

# The gold's short names of countries and organisations, with the codes and other names a system may give.
ALIASES = {
    "united states": {"usa", "us", "united states of america", "america", "u s"},
    "russia": {"rus", "russian federation"},
    "china": {"chn", "people's republic of china", "prc"},
    "ukraine": {"ukr"},
    "iran": {"irn"},
    "taiwan": {"twn"},
    "france": {"fra"},
    "germany": {"deu"},
    "north korea": {"prk", "dprk"},
    "european union": {"eu"},
    "nato": {"north atlantic treaty organization"},
}

Gold = dict[str, Any]


def norm(text: str) -> str:
    """Return text without accents, case or punctuation."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9' ]+", " ", text).strip()


def names_of(gold_actor: str) -> set[str]:
    """Return the names that stand for a gold actor: its own, its aliases, a person's family name."""
    name = norm(gold_actor)
    words = name.split()
    family_name = {words[-1]} if len(words) >= 2 and name not in ALIASES else set()
    return {name} | ALIASES.get(name, set()) | family_name


def actor_in(gold_actors: Iterable[str], values: Iterable[str]) -> bool:
    """Return whether one of the gold actors is named by one of the system's values."""
    wanted = set().union(*(names_of(a) for a in gold_actors))
    for value in filter(None, map(norm, values)):
        tokens = set(value.split())
        if value in wanted or any(w in tokens or (" " in w and w in value) for w in wanted):
            return True
    return False


def family(event_type: str) -> str:
    return next((min(f) for f in FAMILIES if event_type in f), event_type)


def participants(event: Event) -> set[str]:
    return {p for p in event.participants.split(";") if p.strip()}


def matches(gold: Gold, event: Event, strict: bool) -> bool:
    """Return whether a system event matches a gold event, by the scorer's rules."""
    same_type = event.event_type == gold["type"] if strict else family(event.event_type) == family(gold["type"])
    source = {event.source_actor, event.source_country} | participants(event)
    target = {event.target_actor, event.target_country} | participants(event)
    if not same_type or not actor_in(gold["source"], source if gold["target"] else source | target):
        return False
    return not gold["target"] or actor_in(gold["target"], target)


def assign(golds: Sequence[Gold], events: Sequence[Event]) -> list[Event | None]:
    """Return the system event matched to each gold event (None for a miss): strict matches first, then by family."""
    found: list[Event | None] = [None] * len(golds)
    used: set[int] = set()
    for strict in (True, False):
        for gi, gold in enumerate(golds):
            free = (si for si, e in enumerate(events) if si not in used and matches(gold, e, strict))
            si = None if found[gi] else next(free, None)
            if si is not None:
                used.add(si)
                found[gi] = events[si]
    return found


def actor_errors(gold: Gold, event: Event) -> list[str]:
    """Return how the event's actors differ from the gold: who acts, who is acted upon, actors the gold does not name."""
    errors = []
    if not actor_in(gold["source"], {event.source_actor, event.source_country}):
        errors.append(f"source {event.source_actor!r} is not one of {gold['source']}")
    if gold["target"] and not actor_in(gold["target"], {event.target_actor, event.target_country}):
        errors.append(f"target {event.target_actor!r} is not one of {gold['target']}")
    if not gold["target"] and event.target_actor and not actor_in(gold["source"], {event.target_actor}):
        errors.append(f"target {event.target_actor!r} where the gold has none")
    named = [*gold["source"], *gold["target"]]
    extra = sorted(a for a in participants(event) | {event.source_actor, event.target_actor} if a and not actor_in(named, {a}))
    return errors + [f"actor {a!r} is not named by the gold" for a in extra]


def date_errors(gold: Gold, event: Event) -> list[str]:
    """Return how the event's date differs from the gold: outside it, or more precise than the text supports."""
    wanted = gold["date"]
    if not wanted:
        return []
    if not event.date.startswith(wanted):
        return [f"date {event.date!r} is not within {wanted!r}"]
    if len(event.date) > len(wanted):
        return [f"date {event.date!r} is more precise than the text supports ({wanted!r})"]
    return []


def field_errors(gold: Gold, event: Event) -> list[str]:
    """Return every field in which a matched system event differs from its gold event (empty when it is right)."""
    errors = [] if event.event_type == gold["type"] else [f"type {event.event_type!r}, gold {gold['type']!r}"]
    errors += actor_errors(gold, event) + date_errors(gold, event)
    return errors + ([] if event.status == gold["status"] else [f"status {event.status!r}, gold {gold['status']!r}"])


def describe(event: Event) -> str:
    return f"{event.event_type} {event.source_actor} -> {event.target_actor or '-'}"


def false_positives(golds: Sequence[Gold], events: Sequence[Event]) -> list[str]:
    """Return the system events, statements aside, that match no gold event (the scorer's precision misses)."""
    matched = {id(e) for e in assign(golds, events) if e is not None}
    kept = [e for e in events if e.event_type != "statement" and id(e) not in matched]
    return sorted(describe(e) for e in kept if not any(matches(g, e, strict=False) for g in golds))
