"""Coreference inside one article: he/she/they, a title alone, a name renamed by an apposition.

Each resolver looks back over the mentions already resolved (``Resolved``, in text order) and picks the most
recent compatible one, preferring grammatical subjects for subject pronouns.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from pipeline.actors.records import ActorMention, Clue
from pipeline.actors.tokens import token_span

# Pronouns resolved, by the gender they ask for ("" asks for a plural: a country, organisation or group; "n" for a
# country or organisation named as the subject of a recent clause: "Russia said it would ...").
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
    "it": "n",
    "its": "n",
    "itself": "n",
}
# How many sentences back a pronoun looks for its antecedent (0 is its own sentence).
PRONOUN_WINDOW = 2
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
OBJECT_DEPS = frozenset({"dobj", "pobj", "dative", "iobj"})
PLURAL_KINDS = frozenset({"state", "organisation", "group"})
NEUTER_KINDS = frozenset({"state", "organisation"})
# Subjects that stand for the parties just named together ("The two leaders agreed", "Both sides", "The two"): a
# determiner, maybe a number, and one of these heads.
# How many capitalised words before a name may be its title ("Deputy Secretary Wendy Sherman").
TITLE_WORDS = 3
GROUP_HEADS = frozenset({"leaders", "ministers", "presidents", "sides", "counterparts", "delegations", "governments", "countries"})
GROUP_NUMBERS = frozenset({"two", "three", "four"})
GROUP_DETERMINERS = frozenset({"the", "both"})


@dataclass(frozen=True)
class Resolved:
    """A mention with where it stands in the syntax: its sentence, whether it is a subject, and its verb."""

    mention: ActorMention
    sentence: int
    subject: bool
    verb: int  # token index of the verb it depends on, -1 when none
    grouped: bool = False  # one of several who act together ("Biden and Johnson", "Biden met with Johnson")


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


def is_grouped(token: Token) -> bool:
    """Return True when a subject acts with others: coordinated ("Biden and Johnson") or joined by "with" ("Biden met
    with Johnson"), so that a later "they" can stand for the group."""
    if token.dep_ not in SUBJECT_DEPS:
        return False
    verb = token.head
    return bool(token.conjuncts) or any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children)


def resolved(doc: Doc, starts: Sequence[int], mention: ActorMention) -> Resolved:
    """Return a mention with its syntax."""
    root = token_span(doc, mention.start_char, mention.end_char).root
    subject = root.dep_ in SUBJECT_DEPS or (root.dep_ == "conj" and root.head.dep_ in SUBJECT_DEPS)
    return Resolved(mention, sentence_of(starts, mention.start_char), subject, verb_of(root), is_grouped(root))


def pronoun_clues(doc: Doc) -> list[Clue]:
    """Return a clue for each personal pronoun of a parsed Doc."""
    return [
        Clue(t.idx, t.idx + len(t.text), "pronoun", gender=PRONOUN_GENDERS[t.lower_], person=PRONOUN_GENDERS[t.lower_] in ("m", "f"))
        for t in doc
        if t.lower_ in PRONOUN_GENDERS and t.pos_ == "PRON"
    ]


def group_phrase(token: Token) -> Span | None:
    """Return the subject phrase a token heads when it stands for parties just named together ("the two leaders")."""
    head = token.lower_
    if token.dep_ not in SUBJECT_DEPS or not (head in GROUP_HEADS or head in GROUP_NUMBERS):
        return None
    words = list(token.lefts)
    if not words or words[0].lower_ not in GROUP_DETERMINERS or any(w.lower_ not in GROUP_NUMBERS for w in words[1:]):
        return None  # "the Chinese leaders" names its own party
    if head in GROUP_NUMBERS and words[0].lower_ != "the":
        return None
    return token.doc[words[0].i : token.i + 1]


def titled_as(doc: Doc, mention: ActorMention) -> str:
    """Return, lower-cased, how a person's mention is titled: its own words, its role and the capitalised words right
    before it ("Secretary" of "Secretary Blinken")."""
    first = token_span(doc, mention.start_char, mention.end_char)[0].i
    start = first
    while start > 0 and first - start < TITLE_WORDS and doc[start - 1].text[:1].isupper() and doc[start - 1].pos_ in {"PROPN", "NOUN"}:
        start -= 1
    return f"{doc[start:first].text} {mention.text} {mention.role}".lower()


def title_clues(doc: Doc, titles: frozenset[str]) -> list[Clue]:
    """Return a clue for "the" and capitalised words ending in a title's last word (``titles``) with no name after
    them ("The Secretary expressed ...", "The Deputy Secretary affirmed ..."): the person titled so before."""
    found = []
    for token in doc:
        if token.lower_ != "the":
            continue
        words = []
        for word in doc[token.i + 1 : token.i + 4]:
            if not word.text[:1].isupper() or word.pos_ not in {"PROPN", "NOUN"}:
                break
            words.append(word)
        if not words or (words[-1].i + 1 < len(doc) and doc[words[-1].i + 1].pos_ == "PROPN"):
            continue
        if words[-1].lower_ in titles:
            found.append(Clue(token.idx, words[-1].idx + len(words[-1]), "pronoun", source="title", name=words[-1].lower_))
    return found


def group_clues(doc: Doc) -> list[Clue]:
    """Return a clue for each subject phrase that stands for parties named together before it."""
    phrases = (group_phrase(t) for t in doc)
    return [Clue(p.start_char, p.end_char, "pronoun", source="group") for p in phrases if p is not None]


def fits_pronoun(found: Resolved, clue: Clue, gender_of: dict[str, str]) -> bool:
    """Return True when a mention can be what a pronoun stands for: gender and number agree.

    "They" stands for a state, an organisation or a group, or for people who acted together (the first of them);
    "the two leaders" only for parties who acted together.
    """
    mention = found.mention
    if clue.source == "group":
        return found.grouped
    if clue.source == "title":
        return mention.kind == "person"
    if clue.gender == "n":
        return mention.kind in NEUTER_KINDS and found.subject
    if not clue.person:
        return mention.kind in PLURAL_KINDS or mention.how == "agent" or (mention.kind == "person" and found.grouped)
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
        if (here - r.sentence <= PRONOUN_WINDOW or clue.source == "title")
        and r.mention.end_char <= clue.start_char
        and fits_pronoun(r, clue, gender_of)
        and r.mention.actor_id not in subjects_of_verb
        and (clue.source != "title" or clue.name in titled_as(doc, r.mention))
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
