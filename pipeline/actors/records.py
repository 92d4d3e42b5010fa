"""Records of the actor step: actors, their dated roles, aliases, and the mentions found in a text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

KINDS = ("state", "organisation", "group", "person")
# How a mention was resolved, in the order find_actors tries them.
HOWS = ("alias", "title", "agent", "ner", "coref")
# What an alias is of its actor; the lower the rank, the stronger the claim when two actors share an alias.
ALIAS_SOURCES = ("name", "alias", "demonym", "metonym", "surname")


@dataclass(frozen=True)
class Actor:
    """One canonical actor: a state, organisation, group or person."""

    id: str
    name: str
    kind: str
    country: str = ""
    wikidata: str = ""
    gender: str = ""
    parent: str = ""
    sector: str = ""
    capital: str = ""
    members: tuple[str, ...] = ()
    origin: str = ""  # the file it was read from


@dataclass(frozen=True)
class Role:
    """An office or affiliation of an actor, valid from ``start`` to ``end`` (both inclusive; None is open)."""

    actor_id: str
    parent: str
    sector: str
    role: str
    title: str = ""
    start: date | None = None
    end: date | None = None
    approx: bool = False

    def valid_on(self, on: date) -> bool:
        """Return True when the role was held on ``on``."""
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Membership:
    """A member of an organisation, from ``since`` to ``until`` (None is open)."""

    organisation: str
    member: str
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Alias:
    """One way of writing an actor's name, as the matcher uses it."""

    text: str
    actor_id: str
    source: str  # one of ALIAS_SOURCES
    case_sensitive: bool = False
    ambiguous: bool = False


@dataclass(frozen=True)
class AliasMatch:
    """An alias found in raw text: its span, and every actor it may name (best claim first)."""

    start_char: int
    end_char: int
    text: str
    actor_ids: tuple[str, ...]
    source: str
    ambiguous: bool = False


@dataclass(frozen=True)
class ActorMention:
    """A mention of an actor in a Doc, resolved to one canonical actor, with how it was resolved."""

    start_char: int
    end_char: int
    text: str
    actor_id: str
    name: str
    kind: str
    country: str
    sector: str = ""
    role: str = ""
    how: str = "alias"
    role_of: str = ""  # the actor the role is held in: "nato" for NATO's secretary general


@dataclass(frozen=True)
class Clue:
    """What the text shows at a span before it is resolved to an actor: an alias, an entity, a phrase, a pronoun."""

    start_char: int
    end_char: int
    kind: str  # alias | ner | agent | title | apposition | pronoun
    candidates: tuple[str, ...] = ()  # alias: the dictionary actors it may name
    source: str = ""  # alias: its source ("surname"...); ner: the entity label
    name: str = ""  # ner: the entity's name as it should be shown
    sector: str = ""
    roles: tuple[str, ...] = ()  # the roles a title names, tried in order
    country: str = ""  # the country the text gives the entity ("Hungarian newspaper Magyar Nemzet")
    gender: str = ""  # pronouns: m, f, or "" for they
    person: bool = False  # names a person (every candidate is one, or a PERSON entity)
    titled: bool = False  # a title stands next to the name ("Turkish President Recep Tayyip Erdogan")
    anchor: Clue | None = None  # agent, title, apposition: the country or organisation they belong to
    target: int = -1  # apposition: where the name it renames ends
