"""The tense of the clause that governs a date expression, read from spaCy's parse: past, present or future."""

from __future__ import annotations

from spacy.tokens import Span, Token

from pipeline.dates.vocabulary import load_vocabulary

VERBAL = ("VERB", "AUX")
# Dependency labels through which a verb without its own auxiliaries takes the tense of its head.
INHERITING = ("conj", "xcomp", "pcomp", "advcl", "acl", "relcl", "ccomp", "dep")
# A verb in one of these forms is in the present under a past verb ("said Levy of Flexport, which coordinates shipments"),
# and looks forward under a future one ("we will decide when we meet in June").
FINITE_PRESENT = ("VBZ", "VBP")
# How far up the parse the walks go (a guard against odd trees).
MAX_STEPS = 12


def governing_verb(token: Token) -> Token | None:
    """Return the nearest verb at or above ``token`` in the parse, or None for a verbless fragment."""
    for _ in range(MAX_STEPS):
        if token.pos_ in VERBAL:
            return token
        if token.head == token:
            return None
        token = token.head
    return None


def clause_tense(span: Span) -> str:
    """Return "past", "present" or "future" for the clause holding ``span``, e.g. "future" for "on Friday" in "will meet on Friday"."""
    verb = governing_verb(span.root)
    if verb is None:
        return "present"
    tense = verb_tense(verb)
    if tense in ("present", "perfect") and looks_forward_from(span):
        return "future"
    if tense == "present" and schedules_a_weekday(span, verb):
        return "future"
    return "past" if tense == "perfect" else tense


def schedules_a_weekday(span: Span, verb: Token) -> bool:
    """True for a weekday said of a finite present verb that is no verb of saying: the present of a timetable
    ("The minister leaves for Japan on Saturday", "Talks resume Monday"), not "the toll since the quake on Friday"."""
    if verb.tag_ not in FINITE_PRESENT or verb.lemma_.lower() in load_vocabulary().tense["saying_verbs"]:
        return False
    if not any(word.lower_.rstrip(".") in load_vocabulary().weekdays for word in span):
        return False
    head = span.root.head
    return head == verb or (head.dep_ == "prep" and head.lower_ == "on" and head.head == verb)


def looks_forward_from(span: Span) -> bool:
    """True when a preposition like "until" or "by" introduces the expression ("closed until Friday")."""
    forward = load_vocabulary().tense["forward_prepositions"]
    head = span.root.head
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    two_before = span.doc[span.start - 2 : span.start].text.lower() if span.start > 1 else ""
    return (head.dep_ == "prep" and head.lower_ in forward) or before in forward or two_before in forward


def verb_tense(verb: Token, depth: int = 0) -> str:
    """Return "past", "perfect", "present" or "future" for a verb and its auxiliaries; a verb with neither a tense of its
    own nor auxiliaries (a participle, an infinitive without "to") takes its head's, a present one its head's future."""
    words = load_vocabulary().tense
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes} | {a.lemma_.lower() for a in auxes}
    has_have = "have" in lowers
    if lowers & words["future_aux"] or any(a.tag_ == "MD" and a.lower_ in words["forward_modals"] and not has_have for a in auxes):
        return "future"
    if any(a.tag_ == "TO" for a in auxes):
        return infinitive_tense(verb, depth)
    if verb.lemma_.lower() in words["forward_verbs"] and verb.tag_ in ("VBN", "JJ", "VBZ", "VBP", "VBG") and not has_have:
        return "future"  # "scheduled for Friday", "expects an invasion on Wednesday"
    if any(c.lower_ in words["forward_particles"] and c.dep_ in ("advmod", "prt") for c in verb.children):
        return "future"  # "looked forward to the summit in early June"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" and a.lemma_ != "have" for a in auxes):
        return "past"
    if has_have:
        return "perfect"
    if verb.tag_ == "VBN" and not auxes:
        return "perfect"  # a bare participle reports what is done: "as outlined in the July 21 statement"
    if not auxes and verb.dep_ in INHERITING and verb.head != verb and depth < MAX_STEPS:
        head = governing_verb(verb.head)
        inherited = verb_tense(head, depth + 1) if head is not None else "present"
        return "present" if verb.tag_ in FINITE_PRESENT and inherited != "future" else inherited
    return "present"


def infinitive_tense(verb: Token, depth: int) -> str:
    """Return the tense of an infinitive: forward ("agreed to meet in March") unless its verb or adjective reports an
    outcome ("tried to", "was able to")."""
    head = governing_verb(verb.head) if verb.head != verb else None
    if head is None:
        return "future"  # a headline: "Markets to remain closed until Friday"
    if head.lemma_ == "go" and head.tag_ == "VBG":
        return "future"  # "is going to meet"
    if head.lemma_.lower() in load_vocabulary().tense["performative_infinitive_heads"]:
        return "present"  # "I want to condemn the attack on Friday"
    backward = load_vocabulary().tense["backward_infinitive_heads"]
    if (head.lemma_.lower() in backward or verb.head.lemma_.lower() in backward) and depth < MAX_STEPS:
        return verb_tense(head, depth + 1)  # "tried to land", "were able to arrest": the outcome, at its verb's time
    return "future"
