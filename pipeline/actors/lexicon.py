"""The agent nouns, titles and naming rules of data/actors/agents.yaml, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.actors.fold import alias_key
from pipeline.actors.matcher import PhraseIndex, leftmost_longest, phrase_index, phrase_spans

AGENTS_FILE = Path(__file__).resolve().parents[2] / "data" / "actors" / "agents.yaml"
# The value of a title's roles that stands for every head role ("the NATO chief").
HEAD = "head"


@dataclass(frozen=True)
class Term:
    """An agent noun ("troops": military) or a title ("president": the roles it names)."""

    text: str
    sector: str
    roles: tuple[str, ...] = ()
    title: bool = False


@dataclass(frozen=True)
class TermMatch:
    """A term found in a text."""

    start_char: int
    end_char: int
    term: Term


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Agent nouns, titles and naming rules, with an automaton finding the terms."""

    sectors: tuple[str, ...]
    roles: tuple[str, ...]
    head_roles: tuple[str, ...]
    terms: tuple[Term, ...]
    index: PhraseIndex
    surname_first: frozenset[str]
    no_family_name: frozenset[str]
    particles: frozenset[str]
    suffixes: frozenset[str]
    name_words: frozenset[str]  # lowercase titles and honorifics: a capital on them does not start a name
    home_agents: frozenset[str] = frozenset()  # agent nouns that stand for the home state when no country is named
    private_people: frozenset[str] = frozenset()  # common nouns for private people ("suspect", "gunmen")
    title_heads: frozenset[str] = frozenset()  # last words of titles: "The Secretary" alone stands for a person
    document_words: frozenset[str] = frozenset()  # last words of a document's name: "the Financial Services Act"

    def role_rank(self, role: str) -> int:
        """Return the seniority of a role, 0 the most senior; unknown roles come last."""
        return self.roles.index(role) if role in self.roles else len(self.roles)


def title_roles(roles: list[str], head_roles: tuple[str, ...]) -> tuple[str, ...]:
    """Return a title's roles with ``head`` expanded to the head roles."""
    return tuple(r for role in roles for r in (head_roles if role == HEAD else (role,)))


def read_terms(data: dict) -> tuple[Term, ...]:
    """Return the agent nouns and titles of the lexicon file."""
    head_roles = tuple(data.get("head_roles") or ())
    agents = [Term(text, sector) for text, sector in (data.get("agents") or {}).items()]
    titles = [
        Term(text, spec.get("sector", ""), title_roles(spec.get("roles") or [], head_roles), title=True)
        for text, spec in (data.get("titles") or {}).items()
    ]
    return tuple(agents + titles)


def name_words(data: dict, terms: tuple[Term, ...]) -> frozenset[str]:
    """Return the lowercase words that may precede a name without being part of it: titles, honorifics."""
    words = {w for t in terms if t.title for w in alias_key(t.text).split()}
    return frozenset(words | {w.lower() for w in data.get("honorifics") or ()})


def lexicon_from_data(data: dict) -> Lexicon:
    """Return the lexicon described by the parsed agents file."""
    terms = read_terms(data)
    return Lexicon(
        sectors=tuple(data.get("sectors") or ()),
        roles=tuple(data.get("roles") or ()),
        head_roles=tuple(data.get("head_roles") or ()),
        terms=terms,
        index=phrase_index([alias_key(t.text) for t in terms]),
        surname_first=frozenset(data.get("surname_first") or ()),
        no_family_name=frozenset(data.get("no_family_name") or ()),
        particles=frozenset(data.get("name_particles") or ()),
        suffixes=frozenset(data.get("name_suffixes") or ()),
        name_words=name_words(data, terms),
        home_agents=frozenset(data.get("home_agents") or ()),
        private_people=frozenset(data.get("private_people") or ()),
        title_heads=frozenset(alias_key(t.text).split()[-1] for t in terms if t.title),
        document_words=frozenset(data.get("document_words") or ()),
    )


def load_lexicon(path: Path = AGENTS_FILE) -> Lexicon:
    """Return the lexicon of an agents file, e.g. ``load_lexicon().terms[0]``."""
    with path.open(encoding="utf-8") as f:
        return lexicon_from_data(yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {})


def find_terms(folded: str, lexicon: Lexicon) -> list[TermMatch]:
    """Return the agent nouns and titles in a folded text, longest first where they overlap."""
    spans = leftmost_longest(phrase_spans(folded, lexicon.index))
    return [TermMatch(start, end, lexicon.terms[n]) for start, end, n in spans]
