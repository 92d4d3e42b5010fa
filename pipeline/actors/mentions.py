"""Find the actors of a parsed article: every mention resolved to one canonical actor, with its role on the date.

The clues of the article (pipeline.actors.clues) are resolved in text order, each against the mentions resolved
before it: aliases to dictionary actors, entities to actors of their own, phrases and pronouns by coreference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc

from pipeline import locations  # a module, not its names: pipeline.locations imports pipeline.actors
from pipeline.actors.clues import NER_KINDS, article_clues
from pipeline.actors.coref import Resolved, latest_holder, pronoun_mention, renamed, resolved, sentence_starts
from pipeline.actors.dictionary import ActorDictionary
from pipeline.actors.fold import alias_key, slug
from pipeline.actors.records import Actor, ActorMention, Clue, Role

# The distance of a person without any dated office: never the nearest.
NO_OFFICE = 1 << 30


@dataclass(frozen=True)
class Context:
    """What resolving one article needs: the Doc, the dictionary, the date, and the mentions resolved so far."""

    doc: Doc
    text: str  # doc.text, which spaCy rebuilds at every access
    dictionary: ActorDictionary
    on: date
    starts: list[int]
    history: list[Resolved]


def mentioned(actor_id: str, ctx: Context) -> bool:
    """Return True when the actor was mentioned before in the article."""
    return any(r.mention.actor_id == actor_id for r in ctx.history)


def chosen_actor(candidates: Sequence[str], ctx: Context) -> str:
    """Return the actor an alias names: the only one, else the latest mentioned, else the only one in office, else the
    person whose office is nearest the date when all candidates are people of one country ("President Bush"); else ""."""
    if len(candidates) == 1:
        return candidates[0]
    for r in reversed(ctx.history):
        if r.mention.actor_id in candidates:
            return r.mention.actor_id
    in_office = [c for c in candidates if ctx.dictionary.roles_on(c, ctx.on)]
    if in_office:
        return in_office[0] if len(in_office) == 1 else ""
    return nearest_in_office(candidates, ctx)


def nearest_in_office(candidates: Sequence[str], ctx: Context) -> str:
    """Return, of people of one country none of whom is in office on the date, the one whose offices come nearest it."""
    actors = [ctx.dictionary.get(c) for c in candidates]
    if any(a is None or a.kind != "person" for a in actors) or len({a.country for a in actors if a}) != 1:
        return ""
    distances = {c: office_distance(ctx.dictionary.roles.get(c, ()), ctx.on) for c in candidates}
    best = min(distances.values())
    nearest = [c for c, d in distances.items() if d == best]
    return nearest[0] if len(nearest) == 1 and best < NO_OFFICE else ""


def office_distance(roles: Sequence[Role], on: date) -> int:
    """Return how many days separate a date from the nearest dated office of a list (NO_OFFICE when there is none)."""
    gaps = [(r.start - on).days for r in roles if r.start and r.start > on] + [(on - r.end).days for r in roles if r.end and r.end < on]
    return min(gaps, default=NO_OFFICE)


def person_role(ctx: Context, actor_id: str, wanted: Sequence[str], anchor_id: str) -> Role | None:
    """Return the person's role on the date: the first one a title names (in the anchor when given), else the most senior."""
    roles = ctx.dictionary.roles_on(actor_id, ctx.on)
    for parent_ok in (lambda r: r.parent == anchor_id, lambda r: True) if anchor_id else (lambda r: True,):
        for role in (r for w in wanted for r in roles if r.role == w and parent_ok(r)):
            return role
    return roles[0] if roles else None


def anchor_id(clue: Clue) -> str:
    """Return the first actor the clue's anchor may name, or ""."""
    return clue.anchor.candidates[0] if clue.anchor is not None and clue.anchor.candidates else ""


def actor_mention(ctx: Context, clue: Clue, actor: Actor, how: str) -> ActorMention:
    """Return the mention of a dictionary actor at a clue, with the person's role on the date."""
    text = ctx.text[clue.start_char : clue.end_char]
    country = actor.id if actor.kind == "state" else actor.country
    base = ActorMention(clue.start_char, clue.end_char, text, actor.id, actor.name, actor.kind, country, how=how)
    if actor.kind != "person":
        named = clue.roles[0] if clue.roles else ""
        return replace(base, sector=clue.sector or actor.sector, role=named, role_of=actor.id if named else "")
    held = person_role(ctx, actor.id, clue.roles, anchor_id(clue))
    if held is not None:
        return replace(base, sector=held.sector, role=held.role, role_of=held.parent)
    untracked = not ctx.dictionary.roles.get(actor.id)  # no roles in the dictionary: trust the title
    return replace(base, sector=clue.sector, role=clue.roles[0] if clue.roles and untracked else "")


def alias_mention(ctx: Context, clue: Clue) -> ActorMention | None:
    """Return the mention of an alias: a family name of someone named before is coreference; a family name that is also
    a place, of someone not named before, is the place's state ("Lagos" is Nigeria's city before Ricardo Lagos); a
    family name of a person the article named in full is that person, not a namesake in the dictionary."""
    actor = ctx.dictionary.get(chosen_actor(clue.candidates, ctx))
    if actor is None:
        return None
    surname = clue.source == "surname" and not clue.titled
    if surname and not mentioned(actor.id, ctx) and (state := place_state(ctx, clue)) is not None:
        return actor_mention(ctx, clue, state, "place")
    text = ctx.text[clue.start_char : clue.end_char]
    if surname and not mentioned(actor.id, ctx) and (earlier := same_person(text, ctx)) is not None:
        # "Kadir" after "Tebin Kadir" is that man, not a minister of that name the article never names.
        return replace(earlier, start_char=clue.start_char, end_char=clue.end_char, text=text, how="coref")
    how = "title" if clue.titled else "coref" if surname and mentioned(actor.id, ctx) else "alias"
    return actor_mention(ctx, clue, actor, how)


def place_state(ctx: Context, clue: Clue) -> Actor | None:
    """Return the state of the place a clue's text names in the gazetteer (a city or region, not a site), or None."""
    text = ctx.text[clue.start_char : clue.end_char]
    place = locations.gazetteer().get(alias_key(text.removeprefix("the ")))
    return ctx.dictionary.get(place.country) if place is not None and place.kind != "site" else None


def same_person(name: str, ctx: Context) -> ActorMention | None:
    """Return the latest person whose name holds this one-word name ("King" after "Tom King"), or None."""
    if " " in name:
        return None
    for r in reversed(ctx.history):
        if r.mention.kind == "person" and name in r.mention.name.split()[1:] + r.mention.name.split()[:1] and r.mention.name != name:
            return r.mention
    return None


def anchor_country(ctx: Context, anchor: Clue | None) -> str:
    """Return the country of a phrase's anchor."""
    found = mention_of(ctx, anchor) if anchor is not None else None
    return found.country if found is not None else ""


def entity_mention(ctx: Context, clue: Clue) -> ActorMention | None:
    """Return the mention of an entity the dictionary lacks, as an actor of its own ("ner:person:tom_king")."""
    if (state := place_state(ctx, clue)) is not None:
        return actor_mention(ctx, clue, state, "place")  # "shelled Kherson": Ukraine
    kind = NER_KINDS[clue.source]
    text = ctx.text[clue.start_char : clue.end_char]
    earlier = same_person(clue.name, ctx) if kind == "person" else None
    if earlier is not None:
        return replace(earlier, start_char=clue.start_char, end_char=clue.end_char, text=text, how="coref")
    role = clue.roles[0] if clue.titled and clue.roles else ""
    found = ActorMention(
        clue.start_char,
        clue.end_char,
        text,
        f"ner:{kind}:{slug(clue.name)}",
        clue.name,
        kind,
        clue.country or anchor_country(ctx, clue.anchor),
        sector=clue.sector if clue.titled else "",
        role=role,
        how="title" if clue.titled else "ner",
        role_of=anchor_id(clue) if role else "",
    )
    return with_earlier_facts(found, ctx)


def with_earlier_facts(mention: ActorMention, ctx: Context) -> ActorMention:
    """Return an entity's mention with the country, sector and role an earlier mention of it gave, where it has none."""
    earlier = next((r.mention for r in reversed(ctx.history) if r.mention.actor_id == mention.actor_id), None)
    if earlier is None:
        return mention
    return replace(
        mention,
        country=mention.country or earlier.country,
        sector=mention.sector or earlier.sector,
        role=mention.role or earlier.role,
        role_of=mention.role_of or earlier.role_of,
    )


def recent_anchors(ctx: Context) -> list[str]:
    """Return the states and organisations mentioned so far, latest first."""
    ids = [r.mention.actor_id for r in reversed(ctx.history) if r.mention.kind in ("state", "organisation", "group")]
    return list(dict.fromkeys(ids))


def office_holder(ctx: Context, roles: Sequence[str], parents: Sequence[str]) -> Actor | None:
    """Return who held one of the roles in one of the parents on the date (parents in order of preference)."""
    for parent in parents:
        for role in roles:
            if (found := ctx.dictionary.holder_within(parent, role, ctx.on)) is not None:
                return found
    return None


def title_mention(ctx: Context, clue: Clue, anchor: ActorMention | None) -> ActorMention | None:
    """Return the person a title stands for: the latest one mentioned in that office, else the office holder."""
    text = ctx.text[clue.start_char : clue.end_char]
    earlier = latest_holder(ctx.history, clue.roles, anchor.actor_id if anchor is not None else "")
    if earlier is not None:
        return replace(earlier, start_char=clue.start_char, end_char=clue.end_char, text=text, how="coref")
    if anchor is not None and anchor.kind == "state":
        return None  # "Turkish President" with nobody named: the state with a sector (GUIDELINES)
    parents = [anchor.actor_id] if anchor is not None else recent_anchors(ctx)
    person = office_holder(ctx, clue.roles, parents)
    return actor_mention(ctx, clue, person, "title") if person is not None else None


def agent_mention(ctx: Context, clue: Clue, anchor: ActorMention) -> ActorMention | None:
    """Return the anchor standing for its agents ("Russian troops": Russia, military); a person's stands for its country."""
    if anchor.kind == "person":
        state = ctx.dictionary.get(anchor.country)
        return actor_mention(ctx, clue, state, "agent") if state is not None and not clue.roles else None
    role = clue.roles[0] if clue.roles and (anchor.kind == "state" or len(clue.roles) == 1) else ""
    if clue.roles == ctx.dictionary.lexicon.head_roles:
        role = ""  # "Cairo's security chief", "the EU chief": which head is not said
    text = ctx.text[clue.start_char : clue.end_char]
    return replace(
        anchor,
        start_char=clue.start_char,
        end_char=clue.end_char,
        text=text,
        sector=clue.sector or anchor.sector,
        role=role,
        role_of=anchor.actor_id if role else "",
        how="agent",
    )


def phrase_mention(ctx: Context, clue: Clue) -> ActorMention | None:
    """Return the mention of an agent phrase or a title without a name."""
    anchor = mention_of(ctx, clue.anchor) if clue.anchor is not None else None
    if clue.kind == "title" and clue.roles:
        person = title_mention(ctx, clue, anchor)
        if person is not None or anchor is None:
            return person
    return agent_mention(ctx, clue, anchor) if anchor is not None else None


def apposition_mention(ctx: Context, clue: Clue) -> ActorMention | None:
    """Return the mention of a phrase renaming the person before it; an unknown person gets its country and role."""
    position = renamed(ctx.history, clue)
    if position < 0:
        return phrase_mention(ctx, replace(clue, kind="title" if clue.roles else "agent"))
    target = ctx.history[position].mention
    actor = ctx.dictionary.get(target.actor_id)
    if actor is not None:
        return actor_mention(ctx, clue, actor, "coref")
    if not target.country or not target.role:
        filled = replace(
            target,
            country=target.country or anchor_country(ctx, clue.anchor),
            role=target.role or (clue.roles[0] if clue.roles else ""),
            sector=target.sector or clue.sector,
        )
        ctx.history[position] = replace(ctx.history[position], mention=filled)
        target = filled
    text = ctx.text[clue.start_char : clue.end_char]
    return replace(target, start_char=clue.start_char, end_char=clue.end_char, text=text, how="coref")


def gender_map(ctx: Context) -> dict[str, str]:
    """Return the gender of each dictionary person mentioned so far."""
    actors = (ctx.dictionary.get(r.mention.actor_id) for r in ctx.history)
    return {a.id: a.gender for a in actors if a is not None}


def coref_mention(ctx: Context, clue: Clue) -> ActorMention | None:
    """Return the mention a pronoun makes."""
    return pronoun_mention(ctx.doc, clue, ctx.history, ctx.starts, gender_map(ctx))


RESOLVERS: dict[str, Callable[[Context, Clue], ActorMention | None]] = {
    "alias": alias_mention,
    "ner": entity_mention,
    "agent": phrase_mention,
    "title": phrase_mention,
    "apposition": apposition_mention,
    "pronoun": coref_mention,
}


def mention_of(ctx: Context, clue: Clue) -> ActorMention | None:
    """Return the mention a clue resolves to, or None."""
    return RESOLVERS[clue.kind](ctx, clue)


def find_actors(doc: Doc, published: date | None, dictionary: ActorDictionary, sentences: int = 0) -> list[ActorMention]:
    """Return every actor mention of a parsed Doc, coreference resolved, sorted by start; roles are those on ``published``.

    Without a publication date, roles are those held today. ``sentences`` is the article's length in sentences (the
    Doc's own when 0): agents with no country named stand for its home state only in an article of several.
    """
    text = doc.text
    ctx = Context(doc, text, dictionary, published or date.today(), sentence_starts(doc), [])
    unanchored = []
    for clue in article_clues(doc, text, dictionary):
        if clue.kind == "agent" and clue.anchor is None:
            unanchored.append(clue)
        elif (mention := mention_of(ctx, clue)) is not None:
            ctx.history.append(resolved(doc, ctx.starts, mention))
    home = dictionary.get(home_state([r.mention for r in ctx.history], sentences or len(ctx.starts)))
    homed = [actor_mention(ctx, clue, home, "agent") for clue in unanchored] if home is not None else []
    return sorted([r.mention for r in ctx.history] + homed, key=lambda m: m.start_char)


def home_state(mentions: Sequence[ActorMention], sentences: int) -> str:
    """Return the state an article of ``sentences`` sentences is about: the country its actors and places name most
    often (the first on a tie), or "" (also for one sentence alone: it names its act's parties, not its setting)."""
    countries = [m.country for m in mentions if m.country]
    return max(countries, key=countries.count) if countries and sentences > 1 else ""
