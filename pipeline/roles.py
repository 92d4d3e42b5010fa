"""Who acts and who is acted upon: source, target and other parties of a trigger, from the dependency parse."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Token

from pipeline.triggers import EventType, shared_passive_subjects

SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "dative", "obj", "iobj", "oprd"}  # "oprd": the parser's object of "called Wilson's record troubling"
# A verb without a subject of its own takes the subject of the verb it hangs from through these.
CONTROL_DEPS = {
    "compound",
    "xcomp",
    "conj",
    "advcl",
    "pcomp",
    "prep",
    "acl",
    "pobj",
    "dobj",
    "attr",
    "nsubjpass",
    "appos",
    # "ccomp" is not climbed: the speaker of "X said Y was killed" did not kill Y
    "advmod",
    "npadvmod",
    "relcl",
    "acomp",  # "the United States is committed to ...": the copula's subject
    "dative",  # "sent a letter to Egypt's ambassador urging ...": the sender
}
MAX_CLIMB = 6
# Prepositions that name the parties of a symmetric act ("talks between X and Y", "met with X").
# A noun trigger in one of these roles shares its verb's prepositions ("sanctions were imposed on X").
LIGHT_VERB_DEPS = {"dobj", "nsubjpass", "attr", "obj"}
PARTY_PREPS = {"with", "between", "among", "alongside"}
SOURCE_PREPS = {"by", "from"}
PLACE_PREPS = {"in"}
# Prepositions that place something in the time of an act ("remarks before their meeting").
TIME_PREPS = frozenset({"before", "after", "during", "following", "ahead", "at"})
# Parts of a noun phrase that still name who it is ("the Beijing leadership", "representatives of Finland").
# "representatives of Finland", "activists from the Fatah party", "opposition parties in Nepal"
PHRASE_PREPS = frozenset({"of", "from", "in", "throughout", "across"})
# A target phrase also reaches whom its act is aimed at: "dropped its investigation into allegations against Assange".
TARGET_PHRASE_PREPS = PHRASE_PREPS | {"against", "into", "on", "by", "including"}
PHRASE_DEPS = {
    "compound",
    "amod",
    "poss",
    "nmod",
    "appos",
    "det",
    "prep",
    "pobj",
    "conj",
    "cc",
    "nummod",
    "case",
    "punct",
    "quantmod",
    "flat",
}


@dataclass(frozen=True)
class Arguments:
    """Token indices of the heads of the source, target and other-party phrases of one trigger."""

    sources: tuple[int, ...] = ()
    targets: tuple[int, ...] = ()
    parties: tuple[int, ...] = ()
    # who speaks for an unresolved pronoun subject ("X said it regarded ..."), who holds an act in a time phrase
    fallback_sources: tuple[int, ...] = ()


def with_conjuncts(token: Token) -> list[Token]:
    """Return a phrase head and the heads coordinated with it ("Xi and Putin")."""
    return [token, *token.conjuncts]


def children(token: Token, deps: set[str]) -> list[Token]:
    """Return the children of ``token`` whose dependency is in ``deps``, with their conjuncts."""
    return [c for child in token.children if child.dep_ in deps for c in with_conjuncts(child)]


def prep_objects(token: Token, preps: set[str] | tuple[str, ...]) -> list[Token]:
    """Return the objects of the prepositions ``preps`` attached to a token ("sanctions on Russia")."""
    found = []
    for prep in token.children:
        if prep.dep_ in {"prep", "agent", "dative"} and prep.lower_ in preps:
            found += children(prep, {"pobj", "pcomp"})
    return found


def is_passive(verb: Token) -> bool:
    """Return True for a verb in the passive voice, or a past participle after the noun it tells of ("activists
    arrested last week")."""
    return is_noun_participle(verb) or any(c.dep_ in PASSIVE_SUBJECT_DEPS | {"auxpass"} for c in verb.children)


def is_noun_participle(verb: Token) -> bool:
    """Return True for a past participle that modifies a noun, which names who was acted upon ("activists arrested").

    With an object of its own it is no participle but a verb the parser misread ("Germany, long a critic, condemned
    the decision").
    """
    return verb.dep_ == "acl" and verb.tag_ == "VBN" and not any(c.dep_ == "dobj" for c in verb.children)


def own_subjects(verb: Token) -> list[Token]:
    """Return who performs a verb: its subject, or the agent of a passive ("by X")."""
    if is_passive(verb):
        return prep_objects(verb, {"by"})
    return children(verb, SUBJECT_DEPS)


def climbed_subjects(token: Token, past_pronouns: bool = False) -> list[Token]:
    """Return the subject of the nearest governing verb that has one ("agreed to meet", "after meeting X").

    With ``past_pronouns``, a pronoun subject is passed over for the next one up ("NATO said it would ...").
    A passive verb climbs to nothing: the subject it shares is who was acted upon ("pleaded not guilty and were released").
    """
    if token.pos_ in {"VERB", "AUX"} and is_passive(token):
        return []
    current = token
    for _ in range(MAX_CLIMB):
        if current.dep_ not in CONTROL_DEPS or current.head is current:
            return []
        if current.dep_ == "relcl":
            return with_conjuncts(current.head)
        current = current.head
        found = own_subjects(current) if current.pos_ in {"VERB", "AUX"} else []
        if found and not (past_pronouns and all(t.pos_ == "PRON" for t in found)):
            return found
    return []


def act_noun_sources(verb: Token) -> list[Token]:
    """Return who performs an infinitive that completes a noun for an act or intent: the noun's doer ("the Swedish move
    to drop the case", "Washington's decision to withdraw troops", "China's plan to impose tariffs")."""
    if verb.dep_ == "acl" and verb.tag_ == "VB" and verb.head.pos_ == "NOUN":
        return noun_sources(verb.head)
    return []


def noun_sources(noun: Token) -> list[Token]:
    """Return who performs a noun trigger: its possessor, a proper-noun or national modifier, "by/from X", or the
    subject of a clause that tells who did it ("the tariffs he imposed", "the sanctions imposed by the EU")."""
    owners = [c for c in children(noun, {"poss"}) if c.pos_ != "PRON"]
    modifiers = [c for c in noun.children if c.dep_ in {"compound", "amod", "nmod"} and names_a_doer(c)]
    return owners + modifiers + prep_objects(noun, SOURCE_PREPS) + doer_clause_subjects(noun)


def names_a_doer(modifier: Token) -> bool:
    """Return True for a modifier that can name who acts: a proper noun, a name the parser tags, or a capitalised
    adjective inside a sentence, the way a demonym is written ("the Swedish move")."""
    if modifier.pos_ == "PROPN" or modifier.ent_type_ in {"NORP", "GPE", "ORG"}:
        return True
    return modifier.tag_ == "JJ" and modifier.text[:1].isupper() and modifier.i > modifier.sent.start


def doer_clause_subjects(noun: Token) -> list[Token]:
    """Return who a clause on a noun says did it: the subject of a relative clause with no object of its own ("the
    tariffs he imposed"), or the agent of a participle ("the sanctions imposed by the EU")."""
    found: list[Token] = []
    for clause in noun.children:
        if clause.dep_ == "relcl" and all(o.tag_ in {"WDT", "WP"} for o in children(clause, OBJECT_DEPS)):
            found += own_subjects(clause)
        elif clause.dep_ == "acl" and clause.tag_ == "VBN":
            found += prep_objects(clause, {"by"})
    return found


def doer_clause_targets(noun: Token, event_type: EventType) -> list[Token]:
    """Return the targets a clause on an act noun names ("the tariffs he imposed on Japanese goods", "a tariff
    imposed on China")."""
    clauses = [c for c in noun.children if c.dep_ == "relcl" or (c.dep_ == "acl" and c.tag_ == "VBN")]
    return [t for clause in clauses for t in prep_objects(clause, event_type.target_preps)]


def clause_targets(verb: Token, event_type: EventType) -> list[Token]:
    """Return the objects and target prepositions of the verb an "xcomp" clause adds ("threatened to deliver blows to X")."""
    found: list[Token] = []
    for clause in (c for c in verb.children if c.dep_ == "xcomp"):
        found += prep_objects(clause, (*event_type.target_preps, "to", "against", "on")) + children(clause, OBJECT_DEPS)
    return found


def asked_subjects(verb: Token) -> list[Token]:
    """Return who a verb asks to act: the subject of its "that" clause ("demanded that Syrian forces withdraw") or of
    its "for ... to" clause ("called for Israel to pause")."""
    found: list[Token] = []
    for clause in verb.children:
        marks = {c.lower_ for c in clause.children if c.dep_ == "mark"}
        if (clause.dep_ == "ccomp" and marks <= {"that"}) or (clause.dep_ == "advcl" and "for" in marks):
            found += children(clause, SUBJECT_DEPS)
    return found


def has_content(verb: Token) -> bool:
    """Return True when a verb reports content of its own ("warned that ...", "threatened to ...")."""
    return any(c.dep_ in {"ccomp", "xcomp"} for c in verb.children)


def verb_arguments(verb: Token, event_type: EventType, stative: frozenset[str] = frozenset()) -> Arguments:
    """Return the parties of a verb trigger, in the active or the passive voice.

    A passive that states the subject's own stance ("the United States is committed to", "Japan is opposed to") has
    its subject as the source: ``stative`` lists those verbs.
    """
    if is_passive(verb) and verb.lemma_.lower() in stative and not prep_objects(verb, {"by"}):
        sources, passive_targets = children(verb, PASSIVE_SUBJECT_DEPS), []
    elif is_noun_participle(verb):
        sources, passive_targets = own_subjects(verb), with_conjuncts(verb.head)
    elif (shared := shared_passive_subjects(verb)) and not children(verb, PASSIVE_SUBJECT_DEPS):
        # "pleaded not guilty and were released": the subject they share is who was acted upon, not who acted.
        sources, passive_targets = own_subjects(verb), [c for t in shared for c in with_conjuncts(t)]
    else:
        sources = own_subjects(verb) or act_noun_sources(verb) or climbed_subjects(verb)
        passive_targets = children(verb, PASSIVE_SUBJECT_DEPS) if is_passive(verb) else []
    objects = children(verb, OBJECT_DEPS)
    # "in X" names where it happened: the target only when nothing else does ("shelled positions in Donetsk").
    pointed = tuple(p for p in event_type.target_preps if p not in PLACE_PREPS)
    preps = prep_objects(verb, pointed) + [t for o in objects for t in prep_objects(o, pointed)]
    places = prep_objects(verb, set(event_type.target_preps) & PLACE_PREPS)
    parties = prep_objects(verb, PARTY_PREPS)
    if not passive_targets + objects + preps:  # "threatened to shell Iraqi towns": the clause below names the target
        preps = clause_targets(verb, event_type)
    # "delivered tanks to Ukraine": a target preposition names the target before the object does.
    targets = passive_targets + preps + objects + places + (asked_subjects(verb) if event_type.asks_clause else [])
    return Arguments(tuple(t.i for t in sources), tuple(t.i for t in targets), tuple(t.i for t in parties))


def noun_arguments(noun: Token, event_type: EventType) -> Arguments:
    """Return the parties of a noun trigger ("Xi's visit to Moscow", "talks between X and Y")."""
    sources = noun_sources(noun) or climbed_subjects(noun)
    holder = noun.head if noun.dep_ == "compound" else noun  # "mediation mission between X and Y"
    targets = prep_objects(holder, (*event_type.target_preps, *event_type.noun_target_preps)) + doer_clause_targets(noun, event_type)
    if not targets:  # "security, humanitarian and economic assistance to Ukraine": the coordination shares its target
        holder = coordination_head(holder)
        targets = prep_objects(holder, event_type.target_preps)
    if holder.dep_ in LIGHT_VERB_DEPS:  # "sanctions were imposed on Russia": the verb carries the target
        targets += prep_objects(holder.head, event_type.target_preps)
    parties = prep_objects(holder, PARTY_PREPS)
    return Arguments(
        tuple(t.i for t in sources), tuple(t.i for t in targets if t.i not in {s.i for s in sources}), tuple(t.i for t in parties)
    )


def framed_doers(noun: Token) -> list[Token]:
    """Return who holds an act named in a time phrase on a name or a noun with doers: "Blinken and Le Drian Before Their
    Meeting" (the names), "Remarks by Biden and Modi Before Bilateral Meeting" (the noun's doers)."""
    if noun.dep_ != "pobj" or noun.head.lower_ not in TIME_PREPS or noun.head.dep_ != "prep":
        return []
    framed = noun.head.head
    if framed.pos_ == "PROPN":
        return with_conjuncts(framed)
    return noun_sources(framed) if framed.pos_ == "NOUN" else []


def coordination_head(token: Token) -> Token:
    """Return the first of the words coordinated with ``token`` ("security" in "security and economic assistance")."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token


def clause_subjects(verb: Token, passive: bool = True) -> list[Token]:
    """Return the first subject inside what a verb reports, and its possessor ("stated that China ... would result in
    war": China); with ``passive`` False, only a subject that acts ("said Iran must stop", not "said refugees must not
    be forced")."""
    deps = SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS if passive else SUBJECT_DEPS
    for clause in (c for c in verb.children if c.dep_ == "ccomp"):
        for token in clause.subtree:
            if token.dep_ in deps and token.pos_ in {"PROPN", "NOUN", "PRON"}:
                return with_conjuncts(token) + children(token, {"poss"})  # "said Kyiv's claims were baseless"
    return []


def trigger_arguments(head: Token, event_type: EventType, kind: str = "", stative: frozenset[str] = frozenset()) -> Arguments:
    """Return the parties of a trigger, read from its head word (``stative``: see ``verb_arguments``)."""
    if kind in {"consequence", "evaluation"}:
        sources = own_subjects(head) or climbed_subjects(head)
        asked = clause_subjects(head, passive=event_type.name != "appeal")  # an appeal is to whom should act
        return Arguments(tuple(t.i for t in sources), tuple(t.i for t in children(head, OBJECT_DEPS) + asked))
    if kind == "undergone":  # "Morsi is serving a life sentence": who serves it is acted upon
        undergoers = children(head, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS) or climbed_subjects(head)
        # "faces scrutiny from the SEC": who does it is named on the verb or on what is undergone
        doers = prep_objects(head, SOURCE_PREPS) + [t for o in children(head, OBJECT_DEPS) for t in prep_objects(o, SOURCE_PREPS)]
        return Arguments(tuple(t.i for t in doers), tuple(t.i for t in undergoers))
    nominal = head.pos_ in {"NOUN", "PROPN"}
    arguments = noun_arguments(head, event_type) if nominal else verb_arguments(head, event_type, stative)
    fallback = climbed_subjects(head, past_pronouns=True) or (framed_doers(head) if nominal else [])
    return replace(arguments, fallback_sources=tuple(t.i for t in fallback))


def phrase_tokens(head: Token, top: bool = True, preps: frozenset[str] = PHRASE_PREPS) -> Iterator[Token]:
    """Yield the words of the noun phrase headed by ``head``: its modifiers and "of X" (``preps``), not clauses or
    other prepositions."""
    yield head
    for child in head.children:
        if child.dep_ not in PHRASE_DEPS or (top and child.dep_ == "conj") or (child.dep_ == "prep" and child.lower_ not in preps):
            continue
        yield from phrase_tokens(child, top=False, preps=preps)
