"""Give an event the date of the expression tied to its trigger, else the nearest in its sentence, else the publication date."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Span, Token

from pipeline.dates.find import Timex
from pipeline.dates.tense import MAX_STEPS, governing_verb
from pipeline.dates.values import DateValue, day_value

# An expression ending in one of these dates the clause it introduces, not the
# rest of the sentence: in "warned, days after Zelensky stated ...", "days
# after" dates the statement, not the warning.
RELATION_WORDS = ("after", "before")


def on_path_up(token: Token, target: Token) -> bool:
    """True when ``target`` is ``token`` or one of its heads up to and including its verb."""
    for _ in range(MAX_STEPS):
        if token == target:
            return True
        if token.pos_ in ("VERB", "AUX") or token.head == token:
            return False
        token = token.head
    return False


def clause_head(token: Token) -> Token:
    """Return the verb heading the clause of ``token`` (the sentence root for a verbless fragment)."""
    return governing_verb(token) or token.sent.root


def relation_anchor(span: Span) -> Token | None:
    """Return the head of the clause or phrase a relational expression introduces ("stated" in "days after Zelensky stated")."""
    last = span[-1]
    if last.lower_ not in RELATION_WORDS:
        return None
    if last.dep_ == "mark":
        return last.head
    objects = [c for c in last.children if c.dep_ in ("pobj", "pcomp")]
    return objects[0] if objects else None


def is_relational(span: Span) -> bool:
    """True for an expression that dates the clause after it ("two days after ...")."""
    return span[-1].lower_ in RELATION_WORDS


def within(token: Token, head: Token) -> bool:
    """True when ``token`` lies in the subtree of ``head``."""
    return head.left_edge.i <= token.i <= head.right_edge.i


def tied(span: Span, trigger: Token) -> bool:
    """True when the expression belongs to the trigger: attached to it, or in the same clause."""
    if is_relational(span):
        anchor = relation_anchor(span)
        return anchor is not None and within(trigger, anchor)
    return on_path_up(span.root, trigger) or clause_head(span.root) == clause_head(trigger)


def in_clause_below(span: Span, trigger: Token) -> bool:
    """True when the expression sits in a clause embedded under the trigger's ("said it would meet on Friday" for "said")."""
    own, other = clause_head(trigger), clause_head(span.root)
    return other != own and within(other, own)


def distance(timex: Timex, trigger: Token) -> int:
    """Return how many tokens separate the trigger from the expression (0 inside it)."""
    if timex.start <= trigger.i < timex.end:
        return 0
    return min(abs(trigger.i - timex.start), abs(trigger.i - (timex.end - 1)))


def event_date(timexes: list[Timex], trigger: Token, published: date) -> tuple[DateValue, str]:
    """Return (value, date_text) for the event whose trigger is ``trigger``.

    The expression tied to the trigger wins, else the nearest one in its sentence
    (relational ones like "days after ..." and those of a clause embedded under
    the trigger's only date their own clause), else the publication date at day
    precision with date_text "".
    """
    sent = trigger.sent
    spans = [(t, trigger.doc[t.start : t.end]) for t in timexes if sent.start <= t.start < sent.end]
    candidates = [t for t, span in spans if tied(span, trigger)] or [
        t for t, span in spans if not is_relational(span) and not in_clause_below(span, trigger)
    ]
    if not candidates:
        return day_value(published), ""
    best = min(candidates, key=lambda t: distance(t, trigger))
    return best.value, best.text
