"""Gather the clues of an article: dictionary aliases the parse does not contradict, spaCy entities the dictionary
lacks (with the country the text gives them), agent phrases and pronouns, in text order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from pipeline.actors.agents import with_agent_phrases
from pipeline.actors.coref import group_clues, pronoun_clues, title_clues
from pipeline.actors.dictionary import ActorDictionary
from pipeline.actors.fold import alias_key, base_letter, fold_text
from pipeline.actors.lexicon import TermMatch, find_terms
from pipeline.actors.matcher import match_aliases
from pipeline.actors.records import AliasMatch, Clue
from pipeline.actors.tokens import token_span

# spaCy entity labels kept as actors when the dictionary lacks them, and the kind they get.
NER_KINDS = {"PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "place"}
# Entity labels a document's name may be given ("the Financial Services Act" is an ORG or a LAW).
DOCUMENT_LABELS = frozenset({*NER_KINDS, "LAW"})
# Entity labels under which an alias is not a name: "May" the month is not Theresa May.
NOT_ACTOR_LABELS = frozenset({"DATE", "TIME", "MONEY", "QUANTITY", "PERCENT", "CARDINAL", "ORDINAL"})
# Lowercase words allowed between a country and the entity it gives a country to ("Hungarian newspaper Magyar Nemzet").
CONTEXT_WORDS = 3
CONTEXT_POS = frozenset({"NOUN", "ADJ"})
LEADING_WORDS = frozenset({"the", "a", "an"})
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


@dataclass(frozen=True)
class Entity:
    """A spaCy entity without its leading "the" and trailing possessive."""

    start_char: int
    end_char: int
    label: str
    text: str


def overlaps(a: Entity | AliasMatch | Clue | TermMatch | Span, b: Entity | AliasMatch | Clue | TermMatch | Span) -> bool:
    """Return True when two character spans overlap."""
    return a.start_char < b.end_char and b.start_char < a.end_char


def entity_of(text: str, span: Span) -> Entity | None:
    """Return an entity trimmed of a leading determiner and a trailing possessive or punctuation."""
    tokens = list(span)
    while tokens and tokens[0].lower_ in LEADING_WORDS:
        tokens.pop(0)
    while tokens and (tokens[-1].tag_ == "POS" or tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    if not tokens or all(t.lower_.rstrip(".") in NAME_SUFFIXES for t in tokens):
        return None  # "Jr." of "Joseph R. Biden, Jr.", which the parser may take apart from the name
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return Entity(start, end, span.label_, text[start:end])


def actor_entities(doc: Doc, text: str, document_words: frozenset[str] = frozenset()) -> list[Entity]:
    """Return the PERSON, ORG, NORP and GPE entities of a Doc, but for names of documents ("the Financial Services Act":
    an entity whose last word is one of ``document_words``)."""
    found = (entity_of(text, e) for e in doc.ents if e.label_ in NER_KINDS and not names_a_document(e, document_words))
    return [e for e in found if e is not None]


def names_a_document(entity: Span, document_words: frozenset[str]) -> bool:
    """Return True for a name entity that names a law, a treaty or an order: its last word is a document word."""
    return entity.label_ in DOCUMENT_LABELS and entity[-1].lower_ in document_words


def plausible_matches(doc: Doc, matches: Sequence[AliasMatch], document_words: frozenset[str] = frozenset()) -> list[AliasMatch]:
    """Return the matches the parse does not contradict.

    Dropped: a match inside a date, time or number entity ("May" in "May 2017", but not "Bucharest Nine") or inside
    the name of a document ("Hong Kong" in "the Hong Kong Human Rights and Democracy Act"), and a family name or
    ambiguous name (demonyms aside) that spaCy neither tags as a proper noun nor sees as a name entity ("Ban on
    imports"; but "Guterres urged", tagged a noun, is an entity).
    """
    blocked = [e for e in doc.ents if e.label_ in NOT_ACTOR_LABELS or names_a_document(e, document_words)]
    names = [e for e in doc.ents if e.label_ in NER_KINDS]
    tagged = doc.has_annotation("POS")
    return [
        m
        for m in matches
        if not any(e.start_char <= m.start_char and m.end_char <= e.end_char for e in blocked)
        and not (tagged and needs_proper_noun(m) and not is_proper_noun(doc, m) and not any(overlaps(m, e) for e in names))
    ]


def confirmed_acronyms(matches: Sequence[AliasMatch], dictionary: ActorDictionary) -> list[AliasMatch]:
    """Return the matches without an ambiguous acronym of a national actor whose country the article does not name, nor
    the actor otherwise: "PA" is the Palestinian Authority in a story that names Palestine, the Press Association in a
    British one. An international body's acronym ("ICC") stands."""
    sure = [m for m in matches if not m.ambiguous]
    named = {a for m in sure for a in m.actor_ids}
    places = {country_of(a, dictionary) for a in named} | {""}
    return [
        m
        for m in matches
        if not (m.ambiguous and m.text.isupper()) or any(a in named or country_of(a, dictionary) in places for a in m.actor_ids)
    ]


def country_of(actor_id: str, dictionary: ActorDictionary) -> str:
    """Return an actor's country (a state's is its own code), or ""."""
    actor = dictionary.get(actor_id)
    return actor.country if actor is not None else ""


def needs_proper_noun(match: AliasMatch) -> bool:
    """Return True for a match that must be tagged a proper noun: a family name, an ambiguous name (not a demonym)."""
    return match.source == "surname" or (match.ambiguous and match.source != "demonym")


def is_proper_noun(doc: Doc, match: AliasMatch) -> bool:
    """Return True when every word of the match is tagged a proper noun."""
    span = token_span(doc, match.start_char, match.end_char)
    return all(t.pos_ == "PROPN" or not t.is_alpha for t in span)


def is_full_person_name(match: AliasMatch, dictionary: ActorDictionary) -> bool:
    """Return True for a person's name or alias (not a family name alone)."""
    return match.source in ("name", "alias") and all(is_person(a, dictionary) for a in match.actor_ids)


def is_person(actor_id: str, dictionary: ActorDictionary) -> bool:
    """Return True when the dictionary actor is a person."""
    actor = dictionary.get(actor_id)
    return actor is not None and actor.kind == "person"


def has_name_word_outside(doc: Doc, entity: Entity, match: AliasMatch, dictionary: ActorDictionary) -> bool:
    """Return True when the entity has a capitalised name word outside the alias ("Hunter" in "Hunter Biden")."""
    span = token_span(doc, entity.start_char, entity.end_char)
    name_words = dictionary.lexicon.name_words
    return any(
        t.is_alpha and t.text[0].isupper() and t.lower_ not in name_words and t.lower_ not in STOP_WORDS
        for t in span
        if not (match.start_char <= t.idx < match.end_char)
    )


def entity_wins(doc: Doc, entity: Entity, inside: Sequence[AliasMatch], terms: Sequence[TermMatch], dictionary: ActorDictionary) -> bool:
    """Return True when an entity is a longer name around one alias: "Hunter Biden", "U.S. Congress", "Bank of China"."""
    if len(inside) != 1 or any(overlaps(entity, t) for t in terms):
        return False
    match = inside[0]
    strictly = entity.start_char <= match.start_char and match.end_char <= entity.end_char and entity.text != match.text
    return strictly and not is_full_person_name(match, dictionary) and has_name_word_outside(doc, entity, match, dictionary)


def state_of(actor_ids: Sequence[str], dictionary: ActorDictionary) -> str:
    """Return the id of the state the first actor is, or ""."""
    actor = dictionary.get(actor_ids[0]) if actor_ids else None
    return actor.id if actor is not None and actor.kind == "state" else ""


def inner_country(entity: Entity, match: AliasMatch, dictionary: ActorDictionary) -> str:
    """Return the country an entity gets from the alias inside it: any state in an ORG, a demonym in a place."""
    return state_of(match.actor_ids, dictionary) if entity.label != "GPE" or match.source == "demonym" else ""


def display_name(text: str) -> str:
    """Return an entity's name as shown: ASCII letters, single spaces, e.g. ``"Dénes  Albert"`` gives ``"Denes Albert"``."""
    return " ".join("".join(base_letter(c) for c in text).split())


def alias_clue(match: AliasMatch, dictionary: ActorDictionary) -> Clue:
    """Return the clue of an alias match."""
    person = all(is_person(a, dictionary) for a in match.actor_ids)
    return Clue(match.start_char, match.end_char, "alias", candidates=match.actor_ids, source=match.source, person=person)


def entity_clue(entity: Entity, country: str = "") -> Clue:
    """Return the clue of an entity the dictionary lacks."""
    return Clue(
        entity.start_char,
        entity.end_char,
        "ner",
        source=entity.label,
        name=display_name(entity.text),
        country=country,
        person=entity.label == "PERSON",
    )


def is_term_alone(entity: Entity, terms: Sequence[TermMatch]) -> bool:
    """Return True when an entity other than a person is only an agent noun or title ("Foreign Ministry")."""
    inside = any(t.start_char <= entity.start_char and entity.end_char <= t.end_char for t in terms)
    return inside and entity.label != "PERSON"


def base_clues(doc: Doc, text: str, matches: Sequence[AliasMatch], terms: Sequence[TermMatch], dictionary: ActorDictionary) -> list[Clue]:
    """Return the alias and entity clues: an entity wins over the alias inside it when it is a longer name, else loses."""
    dropped: set[int] = set()
    entity_clues = []
    for entity in actor_entities(doc, text, dictionary.lexicon.document_words):
        inside = [m for m in matches if overlaps(entity, m)]
        if entity_wins(doc, entity, inside, terms, dictionary):
            dropped.add(id(inside[0]))
            entity_clues.append(entity_clue(entity, inner_country(entity, inside[0], dictionary)))
        elif not inside and not is_term_alone(entity, terms):
            entity_clues.append(entity_clue(entity))
    clues = [alias_clue(m, dictionary) for m in matches if id(m) not in dropped] + entity_clues
    return sorted(clues + family_name_clues(doc, clues, dictionary.lexicon.suffixes), key=lambda c: c.start_char)


def family_name(name: str, suffixes: frozenset[str]) -> str:
    """Return the family name of a person's full name: its last word before a suffix ("Carlineo" of "Patrick Carlineo
    Jr."); ``suffixes`` are the agents file's ``name_suffixes``."""
    words = name.split()
    while len(words) > 2 and words[-1].rstrip(".") in suffixes:
        words.pop()
    return words[-1]


def family_name_clues(doc: Doc, clues: Sequence[Clue], suffixes: frozenset[str] = frozenset()) -> list[Clue]:
    """Return a PERSON clue for each later word that is the family name of an unknown person ("King" after "Tom King")."""
    first_seen: dict[str, int] = {}
    for clue in clues:
        if clue.kind == "ner" and clue.person and " " in clue.name:
            first_seen.setdefault(family_name(clue.name, suffixes), clue.end_char)
    if not first_seen:
        return []
    taken = [(c.start_char, c.end_char) for c in clues]
    return [
        Clue(t.idx, t.idx + len(t.text), "ner", source="PERSON", name=display_name(t.text), person=True)
        for t in doc
        if t.pos_ == "PROPN" and t.text in first_seen and t.idx >= first_seen[t.text] and not any(s <= t.idx < e for s, e in taken)
    ]


def country_before(doc: Doc, clue: Clue, by_end: dict[int, Clue], dictionary: ActorDictionary) -> str:
    """Return the country named just before an entity across a few lowercase words ("Hungarian newspaper")."""
    i = token_span(doc, clue.start_char, clue.end_char)[0].i - 1
    steps = 0
    while i >= 0 and steps < CONTEXT_WORDS and ((doc[i].is_lower and doc[i].pos_ in CONTEXT_POS) or doc[i].tag_ == "POS"):
        i, steps = i - 1, steps + 1
    found = by_end.get(doc[i].idx + len(doc[i].text)) if i >= 0 else None
    return state_of(found.candidates, dictionary) if found is not None and found.kind == "alias" else ""


def country_after(doc: Doc, clue: Clue, by_start: dict[int, Clue], dictionary: ActorDictionary) -> str:
    """Return the country named just after an entity: "King Hassan of Morocco", "Baku, Azerbaijan"."""
    i = token_span(doc, clue.start_char, clue.end_char)[-1].i + 1
    joiners = {","} if clue.source == "GPE" else {"of", "in"}
    if i + 1 >= len(doc) or doc[i].lower_ not in joiners:
        return ""
    found = by_start.get(doc[i + 1].idx)
    return state_of(found.candidates, dictionary) if found is not None and found.kind == "alias" else ""


def gazetteer_country(name: str) -> str:
    """Return the country of a place the project's gazetteer (data/places.csv) knows ("Samarra": IRQ), else ""."""
    from pipeline.locations import gazetteer  # imported here: pipeline.locations imports this package

    place = gazetteer().get(alias_key(name))
    return place.country if place is not None else ""


def with_entity_countries(doc: Doc, clues: Sequence[Clue], dictionary: ActorDictionary) -> list[Clue]:
    """Return the clues with a country given to each entity the text places in one."""
    by_start = {c.start_char: c for c in clues}
    by_end = {c.end_char: c for c in clues}

    def placed(clue: Clue) -> Clue:
        """Return the clue, an entity with the country its context gives."""
        if clue.kind != "ner" or clue.country or clue.anchor is not None:
            return clue
        country = country_before(doc, clue, by_end, dictionary) or country_after(doc, clue, by_start, dictionary)
        return replace(clue, country=country or (gazetteer_country(clue.name) if clue.source == "GPE" else ""))

    return [placed(c) for c in clues]


def article_clues(doc: Doc, text: str, dictionary: ActorDictionary) -> list[Clue]:
    """Return every clue of an article (``text`` is ``doc.text``) in text order: aliases, entities, agent phrases, pronouns."""
    matches = plausible_matches(doc, match_aliases(text, dictionary), dictionary.lexicon.document_words)
    matches = confirmed_acronyms(matches, dictionary)
    terms = [t for t in find_terms(fold_text(text), dictionary.lexicon) if not any(overlaps(t, m) for m in matches)]
    clues = base_clues(doc, text, matches, terms, dictionary)
    terms = [t for t in terms if not any(overlaps(t, c) for c in clues)]
    clues = with_entity_countries(doc, with_agent_phrases(doc, clues, terms, dictionary.lexicon.home_agents), dictionary)
    # "The leaders agreed" after "Biden met Johnson" are those two, not the home state's government.
    groups = group_clues(doc) + title_clues(doc, dictionary.lexicon.title_heads)
    clues = [c for c in clues if not (c.kind == "agent" and c.anchor is None and any(overlaps(c, g) for g in groups))]
    taken = [(c.start_char, c.end_char) for c in clues]
    pronouns = [p for p in pronoun_clues(doc) + groups if not any(s < p.end_char and p.start_char < e for s, e in taken)]
    return sorted(clues + pronouns, key=lambda c: c.start_char)
