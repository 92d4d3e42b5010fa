"""An event's date: the one tied to its trigger, else the nearest in its sentence, else the act's just told, else the publication date."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from spacy.tokens import Span, Token

from pipeline.dates.find import ANTECEDENT_REACH, QUOTED, StoryTime, Timex, find_timexes
from pipeline.dates.tense import MAX_STEPS, governing_verb, verb_tense
from pipeline.dates.values import DateValue, day_value, first_day, is_near
from pipeline.dates.vocabulary import load_vocabulary

SUBJECTS = ("nsubj", "nsubjpass")
# A past act's verb: "arrested", "was arrested" (its participle, with a past auxiliary).
PAST_FORMS = ("VBD", "VBN")
NOUNS = ("NOUN", "PROPN")
# Words that may stand between a possessive and the noun it qualifies ("yesterday's two deadly attacks").
NOUN_PHRASE_WORDS = ("DET", "ADJ", "NUM", "ADV", "NOUN", "PROPN", "PUNCT")
# An expression ending in one of these dates the clause it introduces, not the
# rest of the sentence: in "warned, days after Zelensky stated ...", "days
# after" dates the statement, not the warning.
RELATION_WORDS = ("after", "before")
# Dependencies that link a verb to another clause: a stretch of time there is that clause's, not this one's.
CLAUSE_LINKS = ("ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "csubj")
# A year alone, as written before a noun it names ("the 1967 lines", "its 2010 census").
YEAR_ONLY = re.compile(r"(?:1[89]|20)\d\d")


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
    """Return the verb heading the clause of ``token`` (the sentence root for a verbless fragment).

    A participle used as a preposition is passed over: "Starting on July 11, thousands took to the streets" is "took".
    """
    verb = governing_verb(token)
    for _ in range(MAX_STEPS):
        if verb is None or not is_prepositional_participle(verb):
            break
        verb = governing_verb(verb.head)
    return verb or token.sent.root


def is_prepositional_participle(verb: Token) -> bool:
    """True for a participle that works as a preposition before a date ("starting", "following"), or a present participle
    describing a noun, whose time is its clause's ("abducted by gunmen wearing uniforms in August 2016")."""
    if verb.head == verb:
        return False
    if verb.lower_ in load_vocabulary().anchor["prepositional_participles"]:
        return verb.dep_ != "acl"  # "a timeline starting in March" dates the timeline, not the clause
    return verb.dep_ == "acl" and verb.tag_ == "VBG"


def premodified_nouns(span: Span) -> list[Token]:
    """Return the nouns a date written before them qualifies, innermost first ("attacks" in "yesterday's attacks"), or []."""
    possessed = possessed_noun(span)
    if possessed is not None:
        return [possessed]
    premodifiers, nouns, token = load_vocabulary().anchor["noun_premodifiers"], [], span.root
    for _ in range(MAX_STEPS):
        if token.dep_ not in premodifiers or token.head == token or token.head.i < token.i or token.head.pos_ not in NOUNS:
            break
        token = token.head
        nouns.append(token)
    return nouns


def possessed_noun(span: Span) -> Token | None:
    """Return the head noun after a possessive date ("attacks" in "yesterday's attacks on the hospital"), whatever the parse."""
    doc, premodifiers = span.doc, load_vocabulary().anchor["noun_premodifiers"]
    if span.end >= span.sent.end or doc[span.end].tag_ != "POS":
        return None
    for token in doc[span.end + 1 : span.sent.end]:
        if token.pos_ in NOUNS and not (token.dep_ in premodifiers and token.head.i > token.i):
            return token
        if token.pos_ not in NOUN_PHRASE_WORDS:
            return None  # an elliptical possessive: "today's that struck" names no noun after it
    return None


def is_vehicle(noun: Token, trigger: Token) -> bool:
    """True when ``noun`` is what the act is done through: the trigger's subject or the noun of its phrase ("in a statement")."""
    if noun.lemma_.lower() not in load_vocabulary().anchor["vehicle_nouns"]:
        return False
    return (noun.dep_ in SUBJECTS and noun.head == trigger) or (noun.dep_ == "pobj" and noun.head.head == trigger)


def dates_vehicle(span: Span, trigger: Token) -> bool:
    """True when the expression dates the statement the act is made in ("In a statement published Oct. 25", "Thursday's report")."""
    nouns = premodified_nouns(span)
    if nouns:
        return is_vehicle(nouns[-1], trigger)
    verb = governing_verb(span.root)
    return verb is not None and verb.dep_ == "acl" and is_vehicle(verb.head, trigger)


def qualifies_other_noun(span: Span, trigger: Token) -> bool:
    """True for a date written before another act the trigger takes as argument: "condemn yesterday's attacks" dates the attacks,
    or a year written before another noun: "a two-state solution on the 1967 lines" names the lines by their year.

    A day or month before a noun further off is the setting, not the object: "his account of the July 10 meeting ...
    discussed" keeps the date.
    """
    nouns = premodified_nouns(span)
    if not nouns or trigger in nouns:
        return False
    return is_argument(nouns[-1], trigger) or YEAR_ONLY.fullmatch(span.text) is not None


def is_argument(noun: Token, trigger: Token) -> bool:
    """True when ``noun`` depends on the trigger or on a verb coordinated with it, directly or through a preposition."""
    verb = noun.head.head if noun.dep_ == "pobj" else noun.head
    return verb == trigger or (trigger.dep_ == "conj" and trigger.head == verb) or (verb.dep_ == "conj" and verb.head == trigger)


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
    if dates_vehicle(span, trigger) or describes_trigger(span, trigger):
        return True
    if qualifies_other_noun(span, trigger):
        return False
    return on_path_up(span.root, trigger) or clause_head(span.root) == clause_head(trigger)


def describes_trigger(span: Span, trigger: Token) -> bool:
    """True when the expression lies in a clause describing the trigger noun: "the ECOWAS Summit, held on July 3",
    "a pledge made at the February conference", "the talks that ended yesterday"."""
    clause = clause_head(span.root)
    return clause.dep_ in ("acl", "relcl") and clause.head == trigger


def in_clause_below(span: Span, trigger: Token) -> bool:
    """True when the expression sits in a clause embedded under the trigger's ("said it would meet on Friday" for "said")."""
    own, other = clause_head(trigger), clause_head(span.root)
    return other != own and within(other, own)


def distance(timex: Timex, trigger: Token) -> int:
    """Return how many tokens separate the trigger from the expression (0 inside it)."""
    if timex.start <= trigger.i < timex.end:
        return 0
    return min(abs(trigger.i - timex.start), abs(trigger.i - (timex.end - 1)))


def event_date(
    timexes: list[Timex],
    trigger: Token,
    published: date,
    frame: tuple[DateValue, str] | None = None,
    story: StoryTime | None = None,
) -> tuple[DateValue, str]:
    """Return (value, date_text) for the event whose trigger is ``trigger``.

    The expression tied to the trigger wins, else the nearest one in its sentence
    (relational ones like "days after ...", those of a clause embedded under
    the trigger's and those written before another act it names only date their
    own), else the date of the act told in the sentence before when the
    trigger's clause goes on with it, else, for an act told in the past, the
    story's ``frame`` (the last date named in the article's sentences just before,
    ``narrative_frames``), else, for an act told in the past or the perfect, the
    ``story`` day (``story_day``: the day before publication a story is about),
    else the publication date at day precision with date_text "". Dates more
    than five years ahead are passed over.
    """
    sent = trigger.sent
    spans = [(t, trigger.doc[t.start : t.end]) for t in timexes if sent.start <= t.start < sent.end and is_near(t.value, published)]
    candidates = [t for t, span in spans if tied(span, trigger)] or [
        t for t, span in spans if not is_relational(span) and not in_clause_below(span, trigger) and not qualifies_other_noun(span, trigger)
    ]
    if not candidates:
        # A day or month told elsewhere in the sentence sets it at another time than the story's day ("They flew to Chile
        # and bought a camper in January"); a year is background, and a date before a noun names that noun's time.
        if story is not None and any(t.value.precision != "year" and not premodified_nouns(span) for t, span in spans):
            story = replace(story, day=None)
        return carried_date(trigger, published, None if spans else frame, story)
    best = min(candidates, key=lambda t: distance(t, trigger))
    return best.value, best.text


def continues_narration(verb: Token) -> bool:
    """True when a clause goes on with the act before it: a subject that refers back ("They", "Both sides") or "also", "then"."""
    words = load_vocabulary().anchor
    subjects = [c for c in verb.children if c.dep_ in SUBJECTS]
    return any(refers_back(s) for s in subjects) or any(
        c.dep_ == "advmod" and c.lower_ in words["continuing_adverbs"] for c in verb.children
    )


def refers_back(subject: Token) -> bool:
    """True for a subject that names parties already told of: a pronoun ("they") or "both ..." / "the two ..."."""
    words = load_vocabulary().anchor
    if subject.lower_ in words["continuing_subjects"]:
        return True
    lowered = [c.lower_ for c in subject.children if c.i < subject.i]
    return "both" in lowered or ("the" in lowered and bool(set(lowered) & set(load_vocabulary().numbers)))


def main_verb_tense(sent: Span) -> tuple[Token, str]:
    """Return the main verb of a sentence and its tense ("" for a verbless one)."""
    root = sent.root
    return root, verb_tense(root) if root.pos_ in ("VERB", "AUX") else ""


def told_date(sent: Span, tense: str, published: date, depth: int = 0) -> Timex | None:
    """Return the date of the act told in the sentence before ``sent`` when it has the same tense.

    That act's own date, else (when it goes on with the act before it) the date it carries, up to ``ANTECEDENT_REACH`` back.
    """
    if sent.start == 0 or depth >= ANTECEDENT_REACH:
        return None
    previous = sent.doc[sent.start - 1].sent
    root, previous_tense = main_verb_tense(previous)
    if previous_tense != tense:
        return None
    timexes = [t for t in find_timexes(previous, published, look_back=False) if not is_quoted(t, previous)]
    own = next((t for t in timexes if tied(sent.doc[t.start : t.end], root)), None)
    if own is not None or not continues_narration(root):
        return own
    return told_date(previous, tense, published, depth + 1)


def is_quoted(timex: Timex, sent: Span) -> bool:
    """True when an expression lies inside double quotes in its sentence: the speaker's time, not the narration's."""
    start = timex.start_char - sent.start_char
    return any(m.start() <= start < m.end() for m in QUOTED.finditer(sent.text))


def carried_date(
    trigger: Token, published: date, frame: tuple[DateValue, str] | None = None, story: StoryTime | None = None
) -> tuple[DateValue, str]:
    """Return the date of the act just told for an undated act that goes on with it, else the story's frame for a past
    act, else the story's day for a past or perfect one, else the publication date with "".

    "On June 2, the two sides convened the working group. They committed to a framework ..." dates the commitment June 2;
    "Last Thursday, police found a man ... A man was arrested" dates the arrest last Thursday.
    """
    verb = clause_head(trigger)
    tense = verb_tense(verb) if verb.pos_ in ("VERB", "AUX") else ""
    before = told_date(trigger.sent, tense, published) if tense in ("past", "future") and continues_narration(verb) else None
    if before is not None:
        return before.value, before.text
    if frame is not None and tense == "past" and tells_a_scene(trigger, verb) and is_scene_date(frame[0], published):
        return frame
    occasion = occasion_of(verb, story.occasions) if story is not None and tense == "past" else None
    if occasion is not None:
        return occasion
    if story is not None and story.day is not None and sets_at_story_day(trigger, tense, story.lede):
        return story.day
    if story is not None and story.day is not None and is_headline(trigger.sent, story.headline) and tense in ("present", "past"):
        return story.day
    return day_value(published), ""


def occasion_of(verb: Token, occasions: Mapping[str, tuple[DateValue, str]]) -> tuple[DateValue, str] | None:
    """Return the date of the occasion a verb's act is set at ("backed Brazil at the London talks", "during the talks"),
    when the article named that occasion with a date, else None."""
    words = load_vocabulary().anchor
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in words["occasion_prepositions"]):
        for noun in (c for c in prep.children if c.dep_ == "pobj" and c.lower_ in occasions):
            if any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this", "that")) for c in noun.children):
                return occasions[noun.lower_]
    return None


def sets_at_story_day(trigger: Token, tense: str, lede: str) -> bool:
    """True for an act the story's day dates: told in the past, or in the perfect in the story's first sentence ("Sweden
    has dropped its investigation ..."; further on, the perfect gives background: "Germany has mobilized donors"); not
    an adjective ("the proposed tax"), what came before another act ("after additional investigations"), nor
    background ("was previously targeted", "spent weeks debating", "after months of negotiations")."""
    if trigger.dep_ == "amod" or follows_an_act(trigger) or is_background(clause_head(trigger)):
        return False
    return tense == "past" or (tense == "perfect" and bool(lede) and trigger.sent.text.strip() in lede)


def is_headline(sent: Span, headline: str) -> bool:
    """True for the story's headline, whose present tells the story's news ("Sweden Drops Its Investigation ...")."""
    return bool(headline) and sent.text.strip().lower() == headline.strip().lower()


def is_background(verb: Token) -> bool:
    """True for a clause told as background: an adverb like "previously", "in the past", or a stretch of weeks, months
    or years, in its clause or in the one it completes ("spent weeks debating")."""
    words = load_vocabulary().anchor
    clauses = [verb, verb.head] if verb.dep_ in ("xcomp", "advcl", "conj") and verb.head != verb else [verb]
    if any(c.dep_ == "advmod" and c.lower_ in words["background_adverbs"] for v in clauses for c in v.children):
        return True
    if any(c.dep_ == "prep" and any(o.lower_ == "past" for o in c.children) for v in clauses for c in v.children):
        return True  # "has in the past rejected"
    tokens = [t for v in clauses for child in v.children if child.dep_ not in CLAUSE_LINKS for t in child.subtree]
    return any(t.tag_ == "NNS" and t.lemma_.lower() in ("week", "month", "year", "decade") for t in tokens)


def follows_an_act(trigger: Token) -> bool:
    """True for an act named as what came before another ("after additional investigations", "since returning from
    leave") or as a goal ("moving towards talks"): not set at the story's day."""
    return trigger.dep_ in ("pobj", "pcomp") and trigger.head.lower_ in (*RELATION_WORDS, "since", "following", "toward", "towards")


def tells_a_scene(trigger: Token, verb: Token) -> bool:
    """True for an act told as a verb heading its own main or reported clause: "A man was arrested", not "the meeting"
    in another verb's clause, "who asked not to be named", nor an answer to the act told before ("rejected the claims")."""
    answering = load_vocabulary().anchor["answering_verbs"]
    return trigger == verb and verb.dep_ not in ("relcl", "acl") and verb.tag_ in PAST_FORMS and verb.lemma_.lower() not in answering


def is_scene_date(value: DateValue, published: date) -> bool:
    """True when a frame can date a past act: a day, week or month (a bare year is background) that starts no later
    than the publication day."""
    start = first_day(value)
    return value.precision in ("day", "week", "month") and start is not None and start <= published
