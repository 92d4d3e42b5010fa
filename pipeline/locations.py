"""Where an event happened: the place a sentence gives for it ("in Warsaw", "at NATO headquarters")."""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Token

from pipeline.actors.fold import alias_key

PLACES_FILE = Path(__file__).resolve().parent.parent / "data" / "places.csv"
LOCATION_PREPS = {"in", "at", "inside", "near", "outside"}
# How many phrase levels below a trigger word a place may hang ("meeting with X in Moscow": two).
MAX_PLACE_DEPTH = 2
# A place phrase is looked for below the trigger's words through these, never inside a clause of its own.
PLACE_PATH_DEPS = {"prep", "pobj", "dobj", "attr", "npadvmod", "appos", "compound", "conj"}
PLACE_ENTITIES = {"GPE", "LOC", "FAC"}
# A location is looked for on the trigger and on the verbs above it, this many steps up.
MAX_CLIMB = 2


@dataclass(frozen=True)
class Place:
    """A named place with its country and coordinates."""

    name: str
    country: str
    kind: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Location:
    """The place of an event as written, and what the gazetteer knows of it."""

    text: str
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None


@functools.lru_cache(maxsize=1)
def gazetteer(path: Path = PLACES_FILE) -> dict[str, Place]:
    """Return the places of ``data/places.csv`` by folded name and alias."""
    if not path.exists():
        return {}
    places: dict[str, Place] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            place = Place(row["name"], row["country"], row["kind"], float(row["latitude"]), float(row["longitude"]))
            for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
                places.setdefault(alias_key(name), place)
    return places


def place_span_text(token: Token) -> str:
    """Return the words of the place phrase headed by ``token`` ("NATO headquarters", "Warsaw")."""
    if token.ent_type_ in PLACE_ENTITIES:
        entity = next(e for e in token.doc.ents if e.start <= token.i < e.end)
        return entity.text
    words = [t for t in token.subtree if t.dep_ in {"compound", "amod", "poss"} or t is token]
    return " ".join(t.text for t in words if t.i <= token.i).replace(" 's", "'s")


def location_of(token: Token, state_country: dict[str, str]) -> Location | None:
    """Return the place named by the object of an "in/at" phrase, if the gazetteer or NER knows it as a place."""
    text = place_span_text(token)
    key = alias_key(text.removeprefix("the ").removeprefix("The "))
    if place := gazetteer().get(key):
        return Location(text, place.country, place.latitude, place.longitude)
    if key in state_country:
        return Location(text, state_country[key])
    if token.ent_type_ in PLACE_ENTITIES:
        return Location(text)
    return None


def place_holders(words: Sequence[Token]) -> list[Token]:
    """Return the words whose "in/at" phrases may give the place: the trigger's words, then the verbs above its head."""
    holders = list(words)
    current = words[0]
    for _ in range(MAX_CLIMB):
        if current.head is current:
            break
        current = current.head
        holders.append(current)
    return holders


def place_preps(holder: Token, depth: int = 0) -> Iterator[Token]:
    """Yield the "in/at" prepositions of a word and of the phrases just below it ("held talks in Moscow"), not of its clauses."""
    for child in holder.children:
        if child.dep_ == "prep" and child.lower_ in LOCATION_PREPS:
            yield child
        elif child.dep_ in PLACE_PATH_DEPS and depth < MAX_PLACE_DEPTH:
            yield from place_preps(child, depth + 1)


def event_location(words: Sequence[Token], state_country: dict[str, str]) -> Location | None:
    """Return the place of the event named by ``words`` (head first), from "in/at X" on them or on the verbs above."""
    for holder in place_holders(words):
        for prep in place_preps(holder):
            if prep.dep_ == "prep" and prep.lower_ in LOCATION_PREPS:
                for obj in prep.children:
                    if obj.dep_ == "pobj" and (found := location_of(obj, state_country)):
                        return found
    return None
