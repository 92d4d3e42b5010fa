"""Who an actor name stands for, as merging needs it: its kind and country, from the dictionary in data/actors/."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

ACTORS_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "actors"
# Files of data/actors/ that are not actor lists.
NOT_ACTOR_FILES = frozenset({"agents.yaml"})
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Who:
    """An actor as merging sees it: a state, or someone (a person) of a state, or anyone else (no country known)."""

    name: str
    kind: str = ""
    country: str = ""

    @property
    def state_key(self) -> str:
        """Return what the actor stands for at the level of states: a state or a person of it gives its ISO code; others their name."""
        return self.country if self.kind in ("state", "person") and self.country else self.name

    def agrees(self, other: Who) -> bool:
        """Return True when two actors may name the same party: the same name, or a state and one of its people."""
        if self.name == other.name:
            return True
        states = [w for w in (self, other) if w.kind == "state"]
        people = [w for w in (self, other) if w.kind == "person"]
        return len(states) == 1 and len(people) == 1 and bool(states[0].country) and states[0].country == people[0].country


@functools.lru_cache(maxsize=1)
def dictionary_kinds(folder: Path = ACTORS_DIR) -> dict[str, tuple[str, str]]:
    """Return the kind and country of every actor of the built-in dictionary, by canonical name."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name in NOT_ACTOR_FILES:
            continue
        for entry in yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or []:
            if isinstance(entry, dict) and entry.get("name"):
                found[str(entry["name"])] = (str(entry.get("kind") or ""), str(entry.get("country") or ""))
    return found


def actor_info(names: list[str]) -> str:
    """Return the kind and country of each named actor as JSON ``[[name, kind, country], ...]``, from the dictionary only
    (so that one name means the same in every mention); a name the dictionary lacks gets neither."""
    kinds = dictionary_kinds()
    return json.dumps([[name, *kinds.get(name, ("", ""))] for name in dict.fromkeys(n for n in names if n)], ensure_ascii=False)


def parsed_info(text: str) -> dict[str, Who]:
    """Return the actors of an ``actor_info`` JSON text by name."""
    return {name: Who(name, kind, country) for name, kind, country in json.loads(text or "[]")}
