"""Actors as the sidebar finds them: by canonical name or by the actor dictionary's aliases, any case; no Streamlit here.

``actor_names(stored, aliases)`` gives each stored actor the names it may be typed under; ``resolved_actor("kremlin",
names)`` is ``"Russia"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pipeline.actors import ActorDictionary


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
