"""Coreference inside one article: he/she/they, a title alone, a name renamed by an apposition.

Each resolver looks back over the mentions already resolved (``Resolved``, in text order) and picks the most
recent compatible one, preferring grammatical subjects for subject pronouns.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from pipeline.actors.records import ActorMention, Clue
from pipeline.actors.tokens import token_span

# Pronouns resolved, by the gender they ask for ("" asks for a plural: a country, organisation or group).
PRONOUN_GENDERS = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
    "they": "",
    "them": "",
    "their": "",
    "theirs": "",
    "themselves": "",
}
# How many sentences back a pronoun looks for its antecedent (0 is its own sentence).
PRONOUN_WINDOW = 2
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
OBJECT_DEPS = frozenset({"dobj", "pobj", "dative", "iobj"})
PLURAL_KINDS = frozenset({"state", "organisation", "group"})


@dataclass(frozen=True)
class Resolved:
    """A mention with where it stands in the syntax: its sentence, whether it is a subject, and its verb."""

    mention: ActorMention
    sentence: int
    subject: bool
    verb: int  # token index of the verb it depends on, -1 when none


def sentence_starts(doc: Doc) -> list[int]:
    """Return the character offset where each sentence starts."""
    return [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]


def sentence_of(starts: Sequence[int], char: int) -> int:
    """Return the index of the sentence holding a character offset."""
    return max(bisect_right(starts, char) - 1, 0)


def verb_of(token: Token) -> int:
    """Return the index of the verb a subject or object depends on (through a preposition for ``pobj``)."""
    head = token.head.head if token.dep_ == "pobj" else token.head
    return head.i if head.pos_ in ("VERB", "AUX") else -1


def resolved(doc: Doc, starts: Sequence[int], mention: ActorMention) -> Resolved:
    """Return a mention with its syntax."""
    root = token_span(doc, mention.start_char, mention.end_char).root
    return Resolved(mention, sentence_of(starts, mention.start_char), root.dep_ in SUBJECT_DEPS, verb_of(root))


def pronoun_clues(doc: Doc) -> list[Clue]:
    """Return a clue for each personal pronoun of a parsed Doc."""
    return [
        Clue(t.idx, t.idx + len(t.text), "pronoun", gender=PRONOUN_GENDERS[t.lower_], person=bool(PRONOUN_GENDERS[t.lower_]))
        for t in doc
        if t.lower_ in PRONOUN_GENDERS and t.pos_ == "PRON"
    ]


def fits_pronoun(mention: ActorMention, clue: Clue, gender_of: dict[str, str]) -> bool:
    """Return True when a mention can be what a pronoun stands for: gender and number agree."""
    if not clue.person:
        return mention.kind in PLURAL_KINDS or mention.how == "agent"
    return mention.kind == "person" and gender_of.get(mention.actor_id, "") in ("", clue.gender)


def antecedent(doc: Doc, clue: Clue, history: Sequence[Resolved], starts: Sequence[int], gender_of: dict[str, str]) -> Resolved | None:
    """Return the mention a pronoun stands for: the latest compatible one in the window, a subject if the pronoun is not an object."""
    token = token_span(doc, clue.start_char, clue.end_char)[0]
    here = sentence_of(starts, clue.start_char)
    own_verb = verb_of(token) if token.dep_ in OBJECT_DEPS else -2
    subjects_of_verb = {r.mention.actor_id for r in history if r.subject and r.verb == own_verb}  # "he told him": not him
    found = [
        r
        for r in history
        if here - r.sentence <= PRONOUN_WINDOW
        and r.mention.end_char <= clue.start_char
        and fits_pronoun(r.mention, clue, gender_of)
        and r.mention.actor_id not in subjects_of_verb
    ]
    subjects = [r for r in found if r.subject] if token.dep_ not in OBJECT_DEPS else []
    preferred = subjects or found
    return preferred[-1] if preferred else None


def pronoun_mention(
    doc: Doc, clue: Clue, history: Sequence[Resolved], starts: Sequence[int], gender_of: dict[str, str]
) -> ActorMention | None:
    """Return the mention a pronoun makes, resolved to its antecedent's actor, or None."""
    found = antecedent(doc, clue, history, starts, gender_of)
    if found is None:
        return None
    text = token_span(doc, clue.start_char, clue.end_char).text
    return replace(found.mention, start_char=clue.start_char, end_char=clue.end_char, text=text, how="coref")


def latest_holder(history: Sequence[Resolved], roles: Sequence[str], role_of: str = "") -> ActorMention | None:
    """Return the latest person mentioned holding one of ``roles`` (in ``role_of`` when given)."""
    for r in reversed(history):
        m = r.mention
        if m.kind == "person" and m.role in roles and (not role_of or m.role_of == role_of):
            return m
    return None


def renamed(history: Sequence[Resolved], clue: Clue) -> int:
    """Return the position in history of the person an apposition renames, or -1."""
    for position in range(len(history) - 1, -1, -1):
        if history[position].mention.end_char == clue.target:
            return position
    return -1
