"""An event's status: occurred, planned, hypothetical or denied, from the words around its trigger."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from spacy.tokens import Token

from pipeline.dates.values import DateValue, first_day

STATUS_FILE = Path(__file__).resolve().parent.parent / "data" / "events" / "status.yaml"
# How many governing verbs above the trigger are read for modals and negation.
MAX_CLIMB = 3
# Dependencies through which a governing verb passes its mood to the trigger.
GOVERNING_DEPS = {"xcomp", "ccomp", "pcomp", "dobj", "pobj", "prep", "advcl", "acomp", "attr", "nsubj", "nsubjpass", "relcl"}


@dataclass(frozen=True)
class StatusWords:
    """The cue words of ``data/events/status.yaml``."""

    denied: frozenset[str]
    denying_verbs: frozenset[str]
    hypothetical_aux: frozenset[str]
    normative_aux: frozenset[str]
    hypothetical_verbs: frozenset[str]
    hypothetical_marks: frozenset[str]
    planned_aux: frozenset[str]
    planned_verbs: frozenset[str]
    threat_cues: frozenset[str]
    reporting_verbs: frozenset[str]


@functools.lru_cache(maxsize=1)
def status_words(path: Path = STATUS_FILE) -> StatusWords:
    """Return the status cue words."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    return StatusWords(**{key: frozenset(values) for key, values in spec.items()})


def governing_chain(token: Token) -> Iterator[Token]:
    """Yield the trigger and the words that govern it, nearest first, stopping at the clause that reports it."""
    yield token
    current = token
    for _ in range(MAX_CLIMB):
        if current.dep_ not in GOVERNING_DEPS or current.head is current:
            return
        if current.dep_ == "prep" and current.i < current.head.i:
            return  # "In talks with Suharto, Conable urged reforms": the scene before a verb takes none of its mood
        current = current.head
        yield current


def cue_status(token: Token, words: StatusWords) -> str:
    """Return the status one word's own children or lemma signal, or ""."""
    children = list(token.children)
    if any(c.dep_ == "aux" and c.lower_ in words.normative_aux for c in children):
        return "hypothetical"
    if any(c.dep_ == "neg" or (c.lower_ in words.denied and c.dep_ in {"neg", "det", "advmod", "preconj"}) for c in children):
        return "denied"
    if any(c.dep_ == "mark" and c.lower_ in words.hypothetical_marks for c in children):
        return "hypothetical"
    if any(c.dep_ == "aux" and c.lower_ == "would" for c in children) and is_reported(token, words):
        return "planned"
    if any(c.dep_ == "aux" and c.lower_ in words.hypothetical_aux for c in children):
        return "hypothetical"
    if any(c.dep_ == "aux" and c.lower_ in words.planned_aux for c in children):
        return "planned"
    return ""


def is_reported(token: Token, words: StatusWords) -> bool:
    """Return True when a verb is what a verb of saying reports ("said they would boycott")."""
    return (
        token.dep_ == "ccomp"
        and token.head.lemma_.lower() in words.reporting_verbs
        and not any(c.dep_ == "mark" and c.lower_ in words.hypothetical_marks for c in token.children)
    )


def governor_status(governor: Token, words: StatusWords) -> str:
    """Return the status a governing verb gives the event below it ("considering supplying": hypothetical)."""
    lemma = governor.lemma_.lower()
    if lemma in words.denying_verbs:
        return "denied"
    if lemma in words.hypothetical_verbs:
        return "hypothetical"
    if lemma in words.planned_verbs:
        return "planned"
    return ""


def event_status(trigger: Token, event_date: DateValue | None = None, published: date | None = None, fixed: str = "") -> str:
    """Return the status of the event whose trigger head is ``trigger``.

    A status the trigger phrase fixes wins ("agree to meet"); then the nearest cue on the trigger
    or its governing verbs; then the date: an event dated after publication is planned.
    """
    if fixed:
        return fixed
    words = status_words()
    for depth, token in enumerate(governing_chain(trigger)):
        found = cue_status(token, words) or (governor_status(token, words) if depth else "")
        if found:
            return found
    start = first_day(event_date) if event_date else None
    if published and start and start > published:
        return "planned"
    return "occurred"


def is_conditional(sentence: str) -> bool:
    """Return True when a sentence makes an act depend on a condition ("will withdraw unless ...")."""
    padded = f" {sentence.lower()} "
    return any(f" {cue} " in padded for cue in status_words().threat_cues)
