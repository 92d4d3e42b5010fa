"""Actors as the sidebar finds them: by canonical name or by the actor dictionary's aliases, any case; no Streamlit here.

``actor_names(stored, aliases)`` gives each stored actor the names it may be typed under; ``resolved_actor("kremlin",
names)`` is ``"Russia"``; ``actor_matches("USA", names)`` ranks exact matches first, then prefixes, then near spellings;
``affiliates_of(("NATO",), dictionary_affiliates(dictionary), stored)`` gives the people and bodies whose acts count as
NATO's (its secretary general while in office, its committees).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from difflib import SequenceMatcher

from pipeline.actors import ActorDictionary
from pipeline.store import Affiliate

# The least similarity (difflib's ratio, 0 to 1) of a near spelling: "Rusia" is 0.91 from "russia", "Kremlim" 0.86 from
# "kremlin"; "USA" is 0.67 from "russia" and 0.5 from "australia", which are not offered for it.
FUZZY_CUTOFF = 0.8
# The most actors a search offers.
MOST_MATCHES = 20
# Roles whose holders do not act for the actor they are held in: a state's opposition leader is not its official.
NOT_OFFICIAL_SECTORS = frozenset({"opposition", "civil society"})


def dictionary_aliases(dictionary: ActorDictionary) -> dict[str, tuple[str, ...]]:
    """Return each dictionary actor's canonical name with its aliases: ``{"Russia": ("Russian Federation", "Kremlin", ...)}``."""
    found: dict[str, list[str]] = {}
    for alias in dictionary.aliases:
        actor = dictionary.get(alias.actor_id)
        if actor and alias.text not in found.setdefault(actor.name, []):
            found[actor.name].append(alias.text)
    return {name: tuple(aliases) for name, aliases in found.items()}


def actor_names(stored: Iterable[str], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Return each stored actor (in the order given) with every name it may be typed under, its own first."""
    return {actor: (actor, *(a for a in aliases.get(actor, ()) if a != actor)) for actor in stored}


def resolved_actor(value: str, names: Mapping[str, tuple[str, ...]]) -> str | None:
    """Return the stored actor a value names, in any case: a canonical name before an alias, the first listed of several."""
    wanted = value.strip().casefold()
    by_name = (actor for actor in names if actor.casefold() == wanted)
    by_alias = (actor for actor, typed in names.items() if wanted in (t.casefold() for t in typed))
    return next(by_name, None) or next(by_alias, None)


def match_rank(query: str, typed: Sequence[str]) -> tuple[int, float] | None:
    """Return how well a lower-cased query matches an actor's names, its own first (lower is better): 0 its name, 1 an
    alias, 2 a prefix of a name or of one of its words, 3 a near spelling (then by similarity); None when it does not match."""
    texts = [t.casefold() for t in typed]
    if query in texts:
        return (0 if texts[0] == query else 1), 0.0
    words = [w for t in texts for w in t.split()]
    if any(t.startswith(query) for t in (*texts, *words)):
        return 2, 0.0
    similarity = max(SequenceMatcher(None, query, t).ratio() for t in (*texts, *words))
    return (3, -similarity) if similarity >= FUZZY_CUTOFF else None


def actor_matches(query: str, names: Mapping[str, tuple[str, ...]], limit: int = MOST_MATCHES) -> list[str]:
    """Return the stored actors a search finds through their names and aliases: exact matches, then prefixes, then near
    spellings, each in the order given (most active first)."""
    wanted = query.strip().casefold()
    if not wanted:
        return []
    ranks = {actor: rank for actor, typed in names.items() if (rank := match_rank(wanted, typed)) is not None}
    return sorted(ranks, key=ranks.__getitem__)[:limit]


def search_menu(names: Mapping[str, tuple[str, ...]], query: str, chosen: Sequence[str]) -> list[str]:
    """Return what the actor menu offers during a search: the chosen actors, then the matches."""
    return list(dict.fromkeys([*chosen, *actor_matches(query, names)]))


def dictionary_affiliates(dictionary: ActorDictionary) -> dict[str, tuple[Affiliate, ...]]:
    """Return, by canonical name, the actors whose acts count as an organisation's, a state's or a group's: the bodies
    under it (``parent``, at any depth), undated, and the people holding a role in it or in one of its bodies, while
    they hold it (``{"NATO": (Affiliate("NATO Military Committee"), Affiliate("Jens Stoltenberg", 2014-10-01, ...))}``).
    Member states are not affiliates: an act of France is not NATO's."""
    officials: dict[str, list[Affiliate]] = {}
    for roles in dictionary.roles.values():
        for role in roles:
            person = dictionary.get(role.actor_id)
            if person and role.parent and role.sector not in NOT_OFFICIAL_SECTORS:
                officials.setdefault(role.parent, []).append(Affiliate(person.name, role.start, role.end))
    found = {}
    for actor in dictionary:
        bodies = body_ids(dictionary, actor.id)
        affiliates = [Affiliate(name) for name in (dictionary.actors[b].name for b in bodies) if name != actor.name]
        affiliates += [a for owner in (actor.id, *bodies) for a in officials.get(owner, ()) if a.name != actor.name]
        if affiliates:
            found[actor.name] = tuple(dict.fromkeys(affiliates))
    return found


def body_ids(dictionary: ActorDictionary, actor_id: str) -> list[str]:
    """Return the ids of the bodies under an actor, at any depth, each once (the EU's commission, the EEAS...)."""
    found: list[str] = []
    waiting = [c.id for c in dictionary.children.get(actor_id, ())]
    while waiting:
        body = waiting.pop(0)
        if body not in found and body != actor_id:
            found.append(body)
            waiting += [c.id for c in dictionary.children.get(body, ())]
    return found


def affiliates_of(chosen: Sequence[str], affiliates: Mapping[str, tuple[Affiliate, ...]], stored: Collection[str]) -> tuple[Affiliate, ...]:
    """Return the affiliates of the chosen actors that the store holds and that are not chosen themselves, in order."""
    found = (a for actor in chosen for a in affiliates.get(actor, ()) if a.name in stored and a.name not in chosen)
    return tuple(dict.fromkeys(found))
