"""Agent phrases: "Russian troops", "the Foreign Ministry in Beijing", "Turkish President Recep Tayyip Erdogan".

A phrase joins an anchor (a country or organisation clue) to an agent noun or a title found by the lexicon.
With a name after a title, the phrase is that name's clue, now carrying the title's roles; without one, it is
an agent clue to resolve to the anchor plus a sector; a title with no anchor ("the secretary general") is a
title clue for coreference; a phrase right after "Name," renames that name (apposition).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from pipeline.actors.lexicon import TermMatch
from pipeline.actors.records import Clue
from pipeline.actors.tokens import token_span

# Words allowed between an anchor and its agent noun: "Lebanon's new President", "the Party's most senior foreign policy official".
MAX_MODIFIERS = 4
MODIFIER_POS = frozenset({"ADJ", "NOUN", "ADV", "NUM"})
# Words joining an agent noun to an anchor after it: "the Foreign Ministry in Beijing", "the president of Armenia".
CONNECTORS = frozenset({"in", "of", "from"})
DETERMINERS = frozenset({"the", "a", "an"})


@dataclass(frozen=True)
class Phrase:
    """A term with what stands around it: the anchor before or after, the name after."""

    term: TermMatch
    anchor: Clue | None = None
    name: Clue | None = None


def is_modifier(token: Token) -> bool:
    """Return True for a lowercase word that may stand between an anchor and its agent noun ("senior", "top")."""
    return token.pos_ in MODIFIER_POS and token.is_lower and token.is_alpha


def clue_ending_at(clues: dict[int, Clue], token: Token) -> Clue | None:
    """Return the clue whose span ends with ``token``."""
    return clues.get(token.idx + len(token.text))


def is_anchor(clue: Clue | None, person_ok: bool) -> bool:
    """Return True for a clue that can own agents: a country or organisation (a person only for agent nouns)."""
    return clue is not None and clue.kind in ("alias", "ner") and (person_ok or not clue.person)


def anchor_before(doc: Doc, first: Token, by_end: dict[int, Clue], person_ok: bool) -> Clue | None:
    """Return the anchor ending right before a term, across a possessive and a few modifiers ("NATO's top")."""
    i = first.i - 1
    while i >= 0 and first.i - 1 - i < MAX_MODIFIERS and is_modifier(doc[i]):
        i -= 1
    if i >= 0 and doc[i].tag_ == "POS":
        i -= 1
    found = clue_ending_at(by_end, doc[i]) if i >= 0 else None
    return found if is_anchor(found, person_ok) else None


def anchor_after(doc: Doc, last: Token, by_start: dict[int, Clue]) -> Clue | None:
    """Return the anchor after a term and a connector: "the Foreign Ministry in Beijing"."""
    i = last.i + 1
    if i >= len(doc) or doc[i].lower_ not in CONNECTORS:
        return None
    i += 1 + (i + 1 < len(doc) and doc[i + 1].lower_ in DETERMINERS)
    found = by_start.get(doc[i].idx) if i < len(doc) else None
    return found if is_anchor(found, person_ok=False) else None


def name_after(doc: Doc, last: Token, by_start: dict[int, Clue]) -> Clue | None:
    """Return the person named right after a title: "President Xi Jinping"."""
    if last.i + 1 >= len(doc):
        return None
    found = by_start.get(doc[last.i + 1].idx)
    return found if found is not None and is_person_clue(found) else None


def is_person_clue(clue: Clue) -> bool:
    """Return True for a clue that names a person: a person's alias or a PERSON entity."""
    return clue.kind in ("alias", "ner") and clue.person


def phrase_at(doc: Doc, term: TermMatch, by_start: dict[int, Clue], by_end: dict[int, Clue]) -> Phrase:
    """Return the phrase built around one term."""
    tokens = token_span(doc, term.start_char, term.end_char)
    anchor = anchor_before(doc, tokens[0], by_end, person_ok=not term.term.title)
    name = name_after(doc, tokens[-1], by_start) if term.term.title else None
    if anchor is None and name is None:
        anchor = anchor_after(doc, tokens[-1], by_start)
    return Phrase(term, anchor, name)


def named_clue(phrase: Phrase) -> Clue:
    """Return the name's clue carrying the title: "Turkish President Recep Tayyip Erdogan"."""
    name, anchor, term = phrase.name, phrase.anchor, phrase.term
    assert name is not None
    start = anchor.start_char if anchor is not None else term.start_char
    return replace(name, start_char=start, roles=term.term.roles, sector=term.term.sector, titled=True, anchor=anchor)


def agent_clue(phrase: Phrase) -> Clue:
    """Return the clue of an anchored agent or title with no name: "Russian troops", "NATO's top general"."""
    term, anchor = phrase.term, phrase.anchor
    assert anchor is not None
    start, end = min(anchor.start_char, term.start_char), max(anchor.end_char, term.end_char)
    kind = "title" if term.term.title else "agent"
    return Clue(start, end, kind, sector=term.term.sector, roles=term.term.roles, anchor=anchor)


def bare_title_clue(doc: Doc, phrase: Phrase) -> Clue | None:
    """Return the clue of a title after "the" with no anchor or name ("the secretary general"), else None."""
    term = phrase.term
    first = token_span(doc, term.start_char, term.end_char)[0]
    if not term.term.title or not term.term.roles or first.i == 0 or doc[first.i - 1].lower_ != "the":
        return None
    return Clue(term.start_char, term.end_char, "title", sector=term.term.sector, roles=term.term.roles)


def renamed_person(doc: Doc, clue: Clue, by_end: dict[int, Clue]) -> Clue | None:
    """Return the person clue a phrase stands in apposition to ("Jens Stoltenberg, NATO's secretary general")."""
    i = token_span(doc, clue.start_char, clue.end_char)[0].i - 1
    if i >= 0 and doc[i].lower_ in DETERMINERS:
        i -= 1
    if i < 1 or doc[i].text != ",":
        return None
    found = clue_ending_at(by_end, doc[i - 1])
    return found if found is not None and is_person_clue(found) else None


def as_apposition(doc: Doc, clue: Clue, by_end: dict[int, Clue]) -> Clue:
    """Return the clue as an apposition to the person before it, when there is one."""
    person = renamed_person(doc, clue, by_end)
    return clue if person is None else replace(clue, kind="apposition", target=person.end_char)


def phrase_clues(doc: Doc, phrase: Phrase, by_end: dict[int, Clue], home_agents: frozenset[str]) -> tuple[list[Clue], list[Clue]]:
    """Return the clues a phrase adds and the clues it replaces."""
    if phrase.name is not None:
        used = [phrase.name] + ([phrase.anchor] if phrase.anchor is not None else [])
        return [named_clue(phrase)], used
    if phrase.anchor is not None:
        return [as_apposition(doc, agent_clue(phrase), by_end)], [phrase.anchor]
    title = bare_title_clue(doc, phrase) or bare_agent_clue(phrase, home_agents)
    return ([as_apposition(doc, title, by_end)] if title is not None else []), []


def bare_agent_clue(phrase: Phrase, home_agents: frozenset[str]) -> Clue | None:
    """Return the clue of a state's agent with no country named ("police", "prosecutors"), else None.

    It stands for the article's home state (pipeline.actors.mentions.home_state), as event coders code "Police (United States)".
    """
    term = phrase.term
    if term.term.title or term.term.text not in home_agents:
        return None
    return Clue(term.start_char, term.end_char, "agent", sector=term.term.sector, roles=term.term.roles)


def with_agent_phrases(
    doc: Doc, clues: Sequence[Clue], terms: Sequence[TermMatch], home_agents: frozenset[str] = frozenset()
) -> list[Clue]:
    """Return the clues with agent phrases built: anchors and names joined to the terms next to them."""
    by_start = {c.start_char: c for c in clues}
    by_end = {c.end_char: c for c in clues}
    added: list[Clue] = []
    used: set[int] = set()
    for term in terms:
        phrase = phrase_at(doc, term, by_start, by_end)
        if any(id(c) in used for c in (phrase.anchor, phrase.name) if c is not None):
            continue
        new, replaced = phrase_clues(doc, phrase, by_end, home_agents)
        added += new
        used |= {id(c) for c in replaced}
    return sorted([c for c in clues if id(c) not in used] + added, key=lambda c: c.start_char)
