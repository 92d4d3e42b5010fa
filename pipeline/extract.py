"""Put the steps together: articles in, events out.

Per article: split into sentences cheaply; keep those that may hold an event (a trigger word and
an actor); parse only those with the full spaCy pipeline; find actors, triggers, their parties,
dates, status and place; merge the sentences that report the same act; build the table's rows.
"""

from __future__ import annotations

import functools
import gc
import itertools
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import cast

from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span, Token

from pipeline.actors import Actor, ActorDictionary, ActorMention, find_actors, match_aliases
from pipeline.actors.fold import alias_key, fold_text
from pipeline.actors.lexicon import find_terms
from pipeline.actors.mentions import home_state
from pipeline.dates import DateValue, StoryTime, event_date, find_timexes, narrative_frames, story_time, without_week
from pipeline.events import (
    Mention,
    actor_spans,
    argument_actors,
    event_id,
    evidence_json,
    fallback_date,
    group_mentions,
    mention_confidence,
    mentions_by_token,
    merged_mention,
)
from pipeline.events_table import Event
from pipeline.locations import event_location
from pipeline.nlp import load_nlp
from pipeline.publishers import voice_of
from pipeline.records import Article
from pipeline.roles import PARTY_PREPS, TIME_PREPS, children, has_content, is_passive, prep_objects, trigger_arguments
from pipeline.status import event_status, is_conditional
from pipeline.triggers import Lexicon, TriggerHit

# Extra actor files (--actors) reach worker processes through this variable.
ACTORS_ENV = "EVENTLINE_ACTORS"
# Words that may stand for an actor named in an earlier sentence. ("it", "we" and "I" are left out: in
# press releases they are everywhere and rarely name an actor the sentence does not also name.)
STAND_IN_WORDS = frozenset({"he", "she", "they", "his", "her", "their", "him", "them", "it", "its", "we", "our"})
# Sectors of a state's agents who speak for it ("the French government protested").
OFFICIAL_SECTORS = frozenset({"government", "diplomacy"})
# Determiners of an object that points back to acts just reported ("condemns these actions").
POINTING_BACK = frozenset({"these", "this", "those", "such"})
# Contacts, and what one says in them: "spoke with Yoon to congratulate him" is a call and a congratulation.
CONTACT_TYPES = frozenset({"call", "meeting", "visit", "summit"})
SAID_IN_CONTACT = frozenset({"support", "appeal", "accusation", "warning", "proposal", "statement"})
# Types that report what someone said: an event inside what they said is its content, not an act of its own.
SPEECH_TYPES = frozenset({"statement", "warning", "threat", "accusation", "rejection", "appeal", "proposal"})
# Of those, the types whose content is no act of its own: what one pledges to do ("committed to imposing sanctions")
# is that act, planned.
CONTENT_TYPES = SPEECH_TYPES - {"proposal"}
CONTENT_DEPS = frozenset({"ccomp", "csubj", "xcomp", "pcomp", "pobj", "prep", "dobj", "conj", "acl"})
# A "to" clause in one of these roles gives the aim of the act it hangs from, not an act of its own.
PURPOSE_DEPS = frozenset({"advcl", "xcomp"})
# Inside a quotation, talk of what might or did not happen is the speaker's view, not an event.
QUOTED_STATUSES = frozenset({"hypothetical", "denied"})
FIRST_PERSON = frozenset({"i", "we"})
OPENING_QUOTES = '“‘"'
CLOSING_QUOTES = '”’"'
WORD = re.compile(r"[a-z][a-z'-]*")
CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[-'][A-Za-z]+)?\b")
# A body's words, as written, for casing an all-capitals headline; a word after these marks may start a sentence.
BODY_WORD = re.compile(r"(?<![\w.'’-])[A-Za-z][A-Za-z.'’-]*[A-Za-z]")
SENTENCE_START_MARKS = frozenset(".!?\"“‘':-—")
ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.)+$|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Prof|Rev)\.$")
TITLE_WORD = re.compile(r"[A-Za-z][a-z'’]+")
# The title of an official release that names its speaker: "Statement by President Joe Biden on ...".
SPEAKER_TITLE = re.compile(r"^(?:Statement|Remarks|Message)\s+(?:of|by|from)\s+(.+?)(?:\s+(?:on|at|to|before|after|in|during|for)\s|$)")
REPLIED_WINDOW = 3  # how many of the acts reported just before a reply may be what it answers
HEADLINE_PUNCT = ",:;'\"()"
# A dateline before a story's first sentence: a place in capitals, maybe its region and the agency, then a dash or a
# colon ("RAMALLAH, West Bank (AP) — ", "NEW DELHI: "). It says where the story was filed; its names are no actors.
DATELINE = re.compile(r"^[A-Z][A-Z'.\- ]{2,}(?:, +[A-Z][\w.'\- ]{1,30}?)?(?: +\([^()]{2,30}\))? *(?:[-–—]+|:) +(?=[A-Z\"“‘'])")
# Capitalised words that are titles or function words, not names: they alone do not call for NER.
COMMON_CAPITALISED = frozenset(
    {
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "For",
        "And",
        "But",
        "He",
        "She",
        "They",
        "It",
        "We",
        "I",
        "This",
        "That",
        "President",
        "Prime",
        "Minister",
        "Secretary",
        "State",
        "Foreign",
        "Defence",
        "Defense",
        "General",
        "Ministry",
        "Department",
        "Office",
        "Spokesperson",
        "Spokesman",
        "Spokeswoman",
        "Ambassador",
        "Mr",
        "Ms",
        "Mrs",
        "Dr",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    }
)
# Words with a full stop that do not end a sentence: titles, months, initials, "U.S.".
ABBREVIATIONS = (
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "St",
    "Gen",
    "Sen",
    "Rep",
    "Gov",
    "Lt",
    "Col",
    "Maj",
    "Capt",
    "Sgt",
    "Adm",
    "Cmdr",
    "Prof",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "No",
    "Nos",
    "vs",
    "etc",
    "Inc",
    "Ltd",
    "Co",
    "Corp",
    "Jr",
    "Sr",
    "Mt",
    "Ft",
    "approx",
    "Vol",
)
_NOT_AFTER = "".join(f"(?<!\\b{a}\\.)" for a in ABBREVIATIONS)
# A sentence ends at . ! or ? (or one of them and a closing quote or bracket) followed by space and a capital, a
# digit or an opening quote; a full stop does not end one after an abbreviation, an initial ("George W. Bush")
# or a dotted acronym ("U.S.").
# What every branch of SENTENCE_BREAK looks back at, checked first: where it fails, no sentence ends, and the
# abbreviations' look-behinds are not tried (run at every character, they made splitting 1,000 releases take 7.3 s, now 0.3 s).
_AFTER_END_MARK = r"(?<=[.!?\"”’)\]])"
SENTENCE_BREAK = re.compile(
    rf"{_AFTER_END_MARK}(?:(?<=[!?])|(?<=[.!?][\"”’)\]])|{_NOT_AFTER}(?<!\b[A-Z]\.)(?<!\.[A-Z]\.)(?<=\.))\s+(?=[\"“‘(\[]?[A-Z0-9])"
)
# Dependencies that start a clause of their own: the nearest-actor fallback looks no further than the trigger's clause.
CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "advcl", "relcl", "parataxis", "csubj"})
# What a verb acts upon, where the fallback looks for a target: its objects and prepositional phrases.
OBJECT_REGION_DEPS = frozenset({"dobj", "dative", "prep", "oprd", "attr", "npadvmod"})
# Sentences longer than this (in characters) are not parsed: they are tables or lists, not prose.
MAX_SENTENCE_CHARS = 1500


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article as split before parsing."""

    index: int
    text: str
    is_caption: bool


@dataclass(frozen=True)
class Extractor:
    """What extraction needs, loaded once: the spaCy pipeline, the trigger lexicon and the actor dictionary."""

    nlp: Language
    lexicon: Lexicon
    dictionary: ActorDictionary
    state_names: dict[str, str]


def user_actor_files() -> tuple[str, ...]:
    """Return the user's actor files named in ``EVENTLINE_ACTORS`` (paths joined by the OS path separator)."""
    return tuple(p for p in os.environ.get(ACTORS_ENV, "").split(os.pathsep) if p)


def default_extractor(actor_files: tuple[str, ...] = ()) -> Extractor:
    """Return the extractor for the built-in data and the user's actor files (given, else from ``EVENTLINE_ACTORS``)."""
    return extractor_for(actor_files or user_actor_files())


@functools.lru_cache(maxsize=2)
def extractor_for(actor_files: tuple[str, ...]) -> Extractor:
    """Return the extractor for the built-in data and these actor files, built once per process."""
    nlp = load_nlp()
    dictionary = ActorDictionary.load(tuple(Path(f) for f in actor_files))
    states = {alias_key(a.name): a.id for a in dictionary if a.kind == "state"}
    extractor = Extractor(nlp, Lexicon.load(), dictionary, states)
    # What was just loaded lives as long as the process: frozen, its objects are left out of the collector's full passes.
    gc.freeze()
    return extractor


def paragraph_sentences(paragraphs: Iterable[str]) -> list[str]:
    """Return the sentences of paragraphs, split by rule; a sentence never runs across paragraphs.

    A regular expression, not spaCy's sentencizer: this runs on every sentence of every article before
    anything is parsed, and tokenising whole articles only to split them cost a tenth of extraction.
    """
    return [s.strip() for p in paragraphs for s in SENTENCE_BREAK.split(p.strip()) if s.strip()]


def article_sentences(article: Article, dictionary: ActorDictionary | None = None) -> list[Sentence]:
    """Return the body's sentences (its dateline left out), then the captions' (marked as captions), then the headline.

    The headline states the story's main act ("Shultz warns ASEAN of looming trade problem"); it comes last so
    that an act it shares with the body is shown with the body's fuller sentence.
    """
    sentences = paragraph_sentences(DATELINE.sub("", article.text.lstrip(), count=1).split("\n"))
    captions = paragraph_sentences(article.captions)
    found = [Sentence(i, text, i >= len(sentences)) for i, text in enumerate(sentences + captions)]
    title = headline_text(article.title.strip(), dictionary, article.text)
    return [*found, Sentence(len(found), title, False)] if title else found


def is_acronym(word: str) -> bool:
    """Return True for a headline word kept in capitals: two letters or fewer ("UK"), or dotted ("U.S.")."""
    core = word.strip(",:;'\"")
    return len(core.strip(".")) <= 2 or "." in core.rstrip(".")


def body_casings(text: str) -> dict[str, str]:
    """Return how the body writes each word inside its sentences, by the word lower-cased ("imf" -> "IMF",
    "congress" -> "Congress", "may" -> "may"): the most frequent form not at a sentence's start."""
    forms: dict[str, Counter[str]] = {}
    for match in BODY_WORD.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()].rstrip()
        if before and (before[-1] not in SENTENCE_START_MARKS or ABBREVIATION_END.search(before)):
            word = match.group()
            forms.setdefault(word.lower(), Counter())[word] += 1
    return {lower: counts.most_common(1)[0][0] for lower, counts in forms.items()}


def headline_text(title: str, dictionary: ActorDictionary | None, body: str = "") -> str:
    """Return a headline in the case a parser reads: an all-capitals one written as its ``body`` writes each word
    (``body_casings``), else lowered except acronyms and the names the dictionary knows.

    "UK, FRANCE TO URGE DEBT RELIEF" gives "UK, France to urge debt relief"; "IMF URGES BELGIUM", over a body that
    writes "the IMF", gives "IMF urges Belgium"; other headlines are returned as they are.
    """
    if is_title_case(title):
        return title_case_lowered(title, body_casings(body), dictionary)
    if not title.isupper():
        return title
    casings = body_casings(body)
    words = [headline_word(w, casings) for w in title.split()]
    cased = " ".join(word for word, _ in words)
    kept, at = [], 0
    for word, from_body in words:
        if from_body:
            kept.append((at, at + len(word)))
        at += len(word) + 1
    if dictionary is not None:
        kept += [(m.start_char, m.end_char) for m in match_aliases(cased, dictionary)]
    lowered = "".join(c if any(a <= i < b for a, b in kept) else c.lower() for i, c in enumerate(cased))
    return lowered[:1].upper() + lowered[1:]


def is_title_case(title: str) -> bool:
    """Return True for a headline in title case: nearly every word of four letters or more capitalised ("Doctors
    Threaten To Down Tools Due To Govt Unpreparedness"), not all in capitals."""
    words = [w for w in TITLE_WORD.findall(title) if len(w) >= 4]
    return not title.isupper() and len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def title_case_lowered(title: str, casings: dict[str, str], dictionary: ActorDictionary | None) -> str:
    """Return a title-case headline with the words its body writes in lower case lowered ("Secretary Blinken's Call
    with ..." gives "Secretary Blinken's call with ..."), names the dictionary knows kept."""
    names = [(m.start_char, m.end_char) for m in match_aliases(title, dictionary)] if dictionary is not None else []

    def lowered(match: re.Match[str]) -> str:
        word = match.group()
        inside = any(a <= match.start() < b for a, b in names)
        return word.lower() if match.start() > 0 and not inside and casings.get(word.lower(), word) == word.lower() else word

    return TITLE_WORD.sub(lowered, title)


def headline_word(word: str, casings: dict[str, str]) -> tuple[str, bool]:
    """Return an all-capitals headline word as the body writes it (and True), else capitalised unless an acronym."""
    core = word.strip(HEADLINE_PUNCT)
    if core and core.lower() in casings:
        return word.replace(core, casings[core.lower()], 1), True
    return (word if is_acronym(word) else word.capitalize()), False


def parse_need(sentence: Sentence, extractor: Extractor, names: frozenset[str] = frozenset()) -> str:
    """Return what parsing a sentence needs: "" (not worth it), "parse" (the dictionary names an actor), or "ner" too.

    A sentence is worth parsing when it has a trigger word and something that may be an actor. Named-entity
    recognition is most of spaCy's cost; it runs only where the dictionary finds no actor, since it is there to
    find actors the dictionary lacks. ``names`` are the article's capitalised words seen inside a sentence (``inner_names``).
    """
    if len(sentence.text) > MAX_SENTENCE_CHARS:
        return ""
    words = set(WORD.findall(sentence.text.lower()))
    if not extractor.lexicon.might_hold_trigger(words):
        return ""
    found = match_aliases(sentence.text, extractor.dictionary)
    # A family name alone is taken for a person only where NER agrees; other names NER may know are not in the dictionary.
    if any(m.source == "surname" for m in found) or has_unknown_name(sentence.text, [(m.start_char, m.end_char) for m in found], names):
        return "ner"
    return "parse" if found or words & STAND_IN_WORDS or names_home_agent(sentence.text, extractor.dictionary) else ""


def names_home_agent(text: str, dictionary: ActorDictionary) -> bool:
    """Return True when a text names an agent that stands for the article's home state ("police", "prosecutors")."""
    return any(t.term.text in dictionary.lexicon.home_agents for t in find_terms(fold_text(text), dictionary.lexicon))


def has_unknown_name(text: str, known: Sequence[tuple[int, int]], names: frozenset[str] = frozenset()) -> bool:
    """Return True when a capitalised word lies outside the dictionary's matches (a name NER may know).

    The first word counts only when the article also capitalises it inside a sentence ("Carlineo was arrested" after
    "Patrick Carlineo called"): every first word is capitalised, and recognising entities in every sentence for it
    halved extraction's speed.
    """
    for match in CAPITALISED.finditer(text):
        word = match.group()
        if (match.start() > 0 or word in names) and word not in COMMON_CAPITALISED and not any(a <= match.start() < b for a, b in known):
            return True
    return False


def inner_names(sentences: Sequence[Sentence]) -> frozenset[str]:
    """Return the capitalised words the sentences hold after their first word: names, in most English text."""
    return frozenset(m.group() for s in sentences for m in CAPITALISED.finditer(s.text) if m.start() > 0)


def parsed_article(sentences: Sequence[Sentence], extractor: Extractor) -> tuple[Doc, list[Sentence]]:
    """Parse the sentences worth it (recognising entities only where needed) and join them into one Doc."""
    names = inner_names(sentences)
    needs = [(s, need) for s in sentences if (need := parse_need(s, extractor, names))]
    chosen = [s for s, _ in needs]
    docs = list(extractor.nlp.pipe((s.text for s in chosen), disable=["ner"]))
    if not docs:
        return extractor.nlp.make_doc(""), []
    wanted = [doc for doc, (_, need) in zip(docs, needs, strict=True) if need == "ner"]
    recogniser = cast("EntityRecognizer", extractor.nlp.get_pipe("ner"))
    for _ in recogniser.pipe(wanted):
        pass
    return Doc.from_docs(docs, exclude=["tensor"]), chosen  # type: ignore[call-arg]  # spaCy's stub lacks exclude


def doc_sentences(doc: Doc, chosen: Sequence[Sentence]) -> Iterator[tuple[Span, Sentence]]:
    """Yield each parsed sentence's span in the joined Doc with the sentence it came from."""
    offset = 0
    text = doc.text
    for sentence in chosen:
        start = text.find(sentence.text, offset)
        span = doc.char_span(start, start + len(sentence.text), alignment_mode="expand")
        offset = start + len(sentence.text)
        if span is not None:
            yield span, sentence


def is_purpose(hit: TriggerHit, hits: Sequence[TriggerHit], sent: Span) -> bool:
    """Return True when a trigger states the aim of another act ("staged rallies to demand reforms")."""
    token = sent.doc[hit.head]
    if token.dep_ not in PURPOSE_DEPS or not any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        return False
    verb = token.head
    if token.dep_ == "xcomp" and not any(c.dep_ == "dobj" for c in verb.children):
        return False  # "agreed to meet" completes the verb; "staged rallies to demand" gives an aim
    governing = [other for other in hits if other is not hit and (other.head == verb.i or sent.doc[other.head].head == verb)]
    # "called Yoon to congratulate him": what one says in a call or a meeting is said, not only aimed at
    said_in_contact = hit.event_type in SAID_IN_CONTACT and all(o.event_type in CONTACT_TYPES for o in governing)
    return bool(governing) and not said_in_contact


def is_reported_content(hit: TriggerHit, hits: Sequence[TriggerHit], sent: Span) -> bool:
    """Return True when a trigger sits inside what another trigger reports ("warned that Russia would attack").

    A verb coordinated with the verb of saying is the speaker's next act, not its content ("reiterated their
    commitment and called upon Pyongyang to return"); so is a participle that tells what happened to someone
    ("condemned the detention of activists arrested last week"), and an act with a subject of its own after "with"
    ("criticised the move, with Jordan warning of consequences").
    """
    if is_purpose(hit, hits, sent):
        return True
    token = sent.doc[hit.head]
    if is_reported_fact(token):
        return False
    speakers = [
        o for o in hits if o is not hit and o.event_type in CONTENT_TYPES and o.head != hit.head and o.kind not in {"noun", "evaluation"}
    ]
    return any(is_content_of(token, other.head) for other in speakers)


def is_content_of(token: Token, head: int) -> bool:
    """Return True when a word lies inside what the word at index ``head`` reports or pledges, climbing through
    clauses, objects and prepositions; a verb coordinated with it is its next act, and a prepositional phrase before
    it its scene, not its content."""
    ancestor = token
    while ancestor.head.i != ancestor.i and ancestor.dep_ in CONTENT_DEPS:
        if ancestor.dep_ == "conj" and ancestor.head.i == head and token.pos_ in ("VERB", "AUX"):
            return False
        if ancestor.dep_ == "prep" and ancestor.head.i == head and ancestor.i < head:
            return False  # "In talks with Suharto, Conable urged reforms": a phrase before the verb sets its scene
        ancestor = ancestor.head
        if ancestor.i == head:
            return True
    return False


def reports_an_act(hit: TriggerHit, hits: Sequence[TriggerHit], sent: Span) -> bool:
    """Return True when what a trigger reports holds another trigger."""
    return any(is_content_of(sent.doc[other.head], hit.head) for other in hits if other is not hit)


def pledges_an_act(hit: TriggerHit, hits: Sequence[TriggerHit], sent: Span) -> bool:
    """Return True for a pledge whose content is an act of another type, which stands for it as a planned act
    ("we commit to imposing restrictive measures" is a planned sanction)."""
    if hit.event_type != "proposal" or hit.kind == "noun":
        return False
    return any(is_content_of(sent.doc[other.head], hit.head) for other in hits if other is not hit and other.event_type not in SPEECH_TYPES)


def is_asked_subject(verb: Token, lexicon: Lexicon) -> bool:
    """Return True when a verb of asking has no object but "to ...": its subject was asked, in a headline's passive
    ("Indonesia urged to deregulate its economy")."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in lexicon.addressee_verbs or is_passive(verb):
        return False
    if any(c.dep_ in {"dobj", "dative", "iobj", "ccomp"} for c in verb.children):
        return False
    return any(
        c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) and not any(a.dep_ == "nsubj" for a in c.children)
        for c in verb.children
    )


def is_backdrop(hit: TriggerHit, sent: Span) -> bool:
    """Return True for an act named as the time of another, one word with "the" and no party of its own: "France backed
    the Ivory Coast during the talks" reports France's backing, not a meeting of France."""
    head = sent.doc[hit.head]
    if hit.kind != "noun" or hit.end - hit.start > 1 or head.dep_ != "pobj" or head.head.lower_ not in TIME_PREPS:
        return False
    if head.head.head.pos_ not in {"VERB", "AUX"}:
        return False
    words = list(head.children)
    named = any(c.dep_ in {"poss", "compound", "amod", "nmod"} or c.lower_ in PARTY_PREPS for c in words)
    return any(c.dep_ == "det" and c.lower_ == "the" for c in words) and not named


def is_reported_fact(token: Token) -> bool:
    """Return True for a trigger a statement mentions as a fact, not as what it says: a past participle after a noun
    ("activists arrested last week"), or an act with its own subject after "with" ("with Jordan warning of ...")."""
    if token.dep_ == "acl" and token.tag_ == "VBN":
        return True
    # The parser often takes "with Safadi warning" for a noun phrase: "Safadi" is then a compound of "warning".
    absolute = token.dep_ in {"pobj", "pcomp"} and token.head.lower_ == "with" and token.lower_.endswith("ing")
    return absolute and any(c.dep_ == "nsubj" or (c.dep_ == "compound" and c.pos_ == "PROPN") for c in token.children)


def warned_party(verb: Token, covered: dict[int, ActorMention], sources: Sequence[ActorMention]) -> tuple[ActorMention, ...]:
    """Return the first actor what a warning says that is not the warner's side ("warned that the Chinese government
    will not sit on its hands if the Hong Kong situation worsens": Hong Kong)."""
    own = {m.actor_id for m in sources} | {m.country for m in sources if m.country}
    for clause in (c for c in verb.children if c.dep_ in {"ccomp", "xcomp"}):
        for token in clause.subtree:
            found = covered.get(token.i)
            if found is not None and found.actor_id not in own and found.country not in own:
                return (found,)
    return ()


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Return the character spans of a sentence that lie inside quotation marks.

    A closing mark with no opening before it closes a quotation that began in an earlier sentence.
    """
    spans, start = [], None
    for i, char in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if char in OPENING_QUOTES and start is None and (before.isspace() or before in "([—-") and not after.isspace():
            start = i
        elif char in CLOSING_QUOTES and not after.isalnum() and not before.isspace():
            spans.append((0 if start is None else start, i))
            start = None
    return spans


def is_quoted(text: str, offset: int) -> bool:
    """Return True when the character at ``offset`` of a sentence is inside a quotation."""
    return any(start <= offset <= end for start, end in quoted_spans(text))


def phrase_end_objects(hit: TriggerHit, doc: Doc) -> list[int]:
    """Return the objects of the preposition a phrase trigger ends with ("pleaded with", "testified before")."""
    last = doc[hit.end - 1]
    if hit.kind != "phrase" or last.pos_ != "ADP":
        return []
    return [t.i for c in last.children if c.dep_ in {"pobj", "pcomp"} for t in (c, *c.conjuncts)]


def is_trigger_word(token: Token, hit: TriggerHit, lexicon: Lexicon) -> bool:
    """Return True for a word of the trigger itself ("talks" in "held talks"), which cannot be its target."""
    return hit.start <= token.i < hit.end and token.lemma_.lower() in lexicon.noun_lemmas


def quotes_content(sent: Span, verb: Token) -> bool:
    """Return True when what a verb of saying reports is a direct quotation ("'China should not ...,' he added")."""
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    return clause is not None and is_quoted(sent.text, clause.idx - sent.start_char)


def is_unattributed_state_act(head: Token, lexicon: Lexicon) -> bool:
    """Return True for a passive act only a state does, with no agent named ("Carlineo was arrested in April")."""
    return head.lemma_.lower() in lexicon.state_verbs and is_passive(head) and not any(c.dep_ == "agent" for c in head.children)


def patient_possessors(head: Token, hit: TriggerHit, covered: dict[int, ActorMention], lexicon: Lexicon) -> tuple[ActorMention, ...]:
    """Return the people whose act noun names what they undergo ("her detention", "Morsi's trial"); a state or
    organisation before such a noun is its doer ("Egypt's prosecutions")."""
    if hit.kind != "noun" or head.lemma_.lower() not in lexicon.patient_nouns:
        return ()
    owners = (covered.get(c.i) for c in head.children if c.dep_ == "poss")
    return tuple(dict.fromkeys(m for m in owners if m is not None and m.kind == "person"))


def holder_before(targets: Sequence[ActorMention], earlier: Sequence[Mention]) -> tuple[ActorMention, ...]:
    """Return who the article last told acting upon one of ``targets`` by force (an arrest, a detention): the holder of
    someone said to serve a sentence or face prison."""
    wanted = {m.actor_id for m in targets}
    for mention in reversed(earlier):
        if mention.event_type.name == "coercion" and wanted & {m.actor_id for m in mention.targets}:
            return mention.sources
    return ()


def implicit_mention(head: Token, state: Actor) -> ActorMention:
    """Return the article's home state (or the official who speaks in a release) as the unnamed agent of an act,
    placed on the act's verb."""
    country = state.id if state.kind == "state" else state.country
    return ActorMention(head.idx, head.idx + len(head), head.text, state.id, state.name, state.kind, country, how="implicit")


def release_speaker(title: str, voice: Actor | None, dictionary: ActorDictionary) -> Actor | None:
    """Return who speaks in an official release, as its title names them ("Statement by President Joe Biden on ...",
    "Remarks by Secretary Antony J. Blinken at ..."): a person of the publisher's state; else the state itself."""
    if voice is None or (found := SPEAKER_TITLE.search(title)) is None:
        return voice
    for match in match_aliases(found.group(1), dictionary):
        actor = dictionary.get(match.actor_ids[0])
        if actor is not None and actor.kind == "person" and actor.country == voice.id:
            return actor
    return voice


def private_mentions(
    indices: Sequence[int], sent: Span, covered: dict[int, ActorMention], nouns: frozenset[str]
) -> tuple[ActorMention, ...]:
    """Return the private people a trigger's own subject or object names by a common noun ("a 26-year-old man"),
    each an actor named by its phrase without the determiner; ``nouns`` are the agents file's ``private_people``."""
    found = []
    for i in indices:
        token = sent.doc[i]
        if i in covered or token.pos_ != "NOUN" or token.lower_ not in nouns:
            continue
        words = [t for t in token.lefts if t.dep_ in {"amod", "nummod", "compound"}]
        start = min((t.left_edge.idx for t in words), default=token.idx)
        text = sent.doc.text[start : token.idx + len(token)]
        found.append(ActorMention(start, token.idx + len(token), text, f"private:{text.lower()}", text, "person", "", how="private"))
    return tuple(found)


def is_official_protest(hit: TriggerHit, sources: Sequence[ActorMention]) -> bool:
    """Return True for "protest" whose subject is a state or one who speaks for it: a diplomatic complaint (CAMEO
    114), an accusation, not a demonstration ("France today protested over Canada's decision"). People a state's
    name only describes ("Egyptian demonstrators", "Spanish farmers"), people in a place ("restaurant owners in Milan")
    and other verbs (demonstrate, rally, riot) demonstrate."""
    official = any(
        (m.kind == "state" and m.how != "place" and (m.how != "agent" or m.sector in OFFICIAL_SECTORS)) or (m.kind == "person" and m.role)
        for m in sources
    )
    return hit.event_type == "protest" and hit.kind == "verb" and hit.text.lower().startswith("protest") and official


def is_troop_movement(hit: TriggerHit, sources: Sequence[ActorMention]) -> bool:
    """Return True for a protest verb whose doers are all armed forces: "Syrian troops marched into Beirut" moves
    forces (CAMEO 15), it is no demonstration."""
    return hit.event_type == "protest" and hit.kind == "verb" and bool(sources) and all(m.sector == "military" for m in sources)


def verbal_attack_type(head: Token, hit: TriggerHit, lexicon: Lexicon) -> str:
    """Return the type of an attack made with words (``verbal_attack`` in triggers.yaml), else "": an attack verb upon
    a policy or remarks ("attacked each other's policies") or upon a person over something ("attacked Haley over her
    support for Ukraine") is an accusation; fighting a decision, or vowing to ("vowed to fight the U.S. action"), is a
    rejection."""
    if hit.event_type not in {"attack", "threat"} or hit.kind == "noun":
        return ""
    verbs = [t for t in head.doc[hit.start : hit.end] if t.pos_ == "VERB" and t.lemma_.lower() in lexicon.verbal_attack_types]
    if not verbs:
        return ""
    verb = verbs[0]
    patients = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    reasons = [o for p in verb.children if p.dep_ == "prep" and p.lower_ in lexicon.reason_preps for o in p.children if o.dep_ == "pobj"]
    said = any(p.lemma_.lower() in lexicon.verbal_objects for p in patients)
    over_a_person = any(p.ent_type_ == "PERSON" for p in patients) and any(r.lemma_.lower() not in lexicon.time_words for r in reasons)
    return lexicon.verbal_attack_types[verb.lemma_.lower()] if said or over_a_person else ""


def is_labour_strike(head: Token, hit: TriggerHit, lexicon: Lexicon) -> bool:
    """Return True for a strike of working people ("a general strike", "the strike by 40,000 seamen", "the miners'
    strike"): a protest, not an attack (``labour_strike`` in triggers.yaml)."""
    if hit.kind != "noun" or head.lower_ not in lexicon.strike_nouns:
        return False
    words = [c for c in head.children if c.dep_ in {"amod", "compound", "nummod", "poss", "nmod"}]
    words += [o for p in head.children if p.dep_ in {"prep", "agent"} and p.lower_ == "by" for o in p.children]
    return any(w.lower_.removesuffix("'s").rstrip("'") in lexicon.strike_words for w in words)


def referred_target(
    head: Token,
    earlier: Sequence[Mention],
    sources: Sequence[ActorMention],
    act_nouns: dict[int, str],
    named: dict[int, ActorMention],
    act_words: frozenset[str] = frozenset(),
    claim_words: frozenset[str] = frozenset(),
) -> tuple[ActorMention, ...]:
    """Return the doer of an act reported before, when a trigger's object points back to it: the latest act for
    "condemns these actions", "rejected these accusations"; the latest act of its type for "condemned the meeting"
    (``act_nouns``: the sentence's trigger words by token, with their type); the latest accusation for "rejected the
    claims" (``claim_words``); for a word for an act that names no doer (``act_words``: "regrets the decision"), the
    doer the article last named with such a word ("Washington's move"; ``named``: the actor on each token). Else
    nothing."""
    own = {m.actor_id for m in sources}
    for obj in (c for c in head.children if c.dep_ in {"dobj", "nsubjpass"}):
        determiners = {d.lower_ for d in obj.children if d.dep_ == "det"}
        if determiners & POINTING_BACK:
            wanted = ""
        elif "the" in determiners and obj.i in act_nouns:
            wanted = act_nouns[obj.i]
        elif "the" in determiners and obj.lemma_.lower() in claim_words:
            wanted = "accusation"
        elif determiners and obj.lemma_.lower() in act_words:
            doer = named_doer(obj, named, own, act_words)
            return (doer,) if doer is not None else ()
        else:
            continue
        acts = (m for m in reversed(earlier) if not wanted or m.event_type.name == wanted)
        doers = (a for m in acts for a in (m.sources or m.parties) if a.actor_id not in own)
        first = next(doers, None)
        return (first,) if first is not None else ()
    return ()


def replied_party(earlier: Sequence[Mention], sources: Sequence[ActorMention]) -> tuple[ActorMention, ...]:
    """Return whom a reply with no target named answers (``replies`` in types.yaml: "Athens denied the incident",
    "the ministry condemned it"): the other side of one of the last acts the article reported, nearest first; the doer
    of an act by others, the target of the replier's own."""
    own = {m.actor_id for m in sources}
    for mention in reversed(earlier[-REPLIED_WINDOW:]):
        side = mention.targets if {a.actor_id for a in mention.sources} & own else (mention.sources or mention.parties)
        others = [a for a in side if a.actor_id not in own]
        if others:
            return (others[0],)
    return ()


def named_doer(word: Token, named: dict[int, ActorMention], own: set[str], act_words: frozenset[str]) -> ActorMention | None:
    """Return the actor the article last named, before ``word``'s sentence, as the doer of an act called by a word for
    an act: its possessor or "by X" ("Washington's move", "the decision by the court"), or None."""
    for token in reversed(word.doc[: word.sent.start]):
        if token.lemma_.lower() in act_words:
            for doer in [c for c in token.children if c.dep_ == "poss"] + prep_objects(token, {"by"}):
                found = named.get(doer.i)
                if found is not None and found.actor_id not in own:
                    return found
    return None


def clause_head(token: Token) -> Token:
    """Return the head of the clause a word belongs to: the sentence's root, or a reported, adverbial or relative clause."""
    while token.dep_ not in CLAUSE_DEPS and token.head is not token:
        token = token.head
    return token


def object_region(verb: Token) -> set[int]:
    """Return the words of a verb's objects and prepositional phrases (not "with ...", not its clauses)."""
    heads = [c for c in verb.children if c.dep_ in OBJECT_REGION_DEPS and c.lower_ != "with"]
    return {t.i for h in heads for t in h.subtree}


def nearest_actor(
    sent: Span, head: Token, covered: dict[int, ActorMention], taken: Sequence[ActorMention], before: bool
) -> tuple[ActorMention, ...]:
    """Return the actor nearest the trigger on one side, when the parse ties none to it: before it and in its clause,
    who acts ("Egypt and Jordan - also sharply criticised the US policy shift"); after it and in its objects or
    prepositional phrases, whom the act concerns.

    A speaker ("X said ...") is never taken: their clause is another one.
    """
    skip = {m.actor_id for m in taken}
    clause = {t.i for t in clause_head(head).subtree} if before else object_region(head)
    tokens = reversed(range(sent.start, head.i)) if before else range(head.i + 1, sent.end)
    found = (covered[i] for i in tokens if i in clause and i in covered and covered[i].actor_id not in skip)
    first = next(found, None)
    return (first,) if first is not None else ()


def sentence_mentions(
    sent: Span,
    sentence: Sentence,
    article: Article,
    covered: dict[int, ActorMention],
    extractor: Extractor,
    hits: list[TriggerHit],
    home: Actor | None = None,
    voice: Actor | None = None,
    earlier: Sequence[Mention] = (),
    frame: tuple[DateValue, str] | None = None,
    story: StoryTime | None = None,
) -> list[Mention]:
    """Return the event mentions of one parsed sentence, given its triggers and the actor on each token.

    An act with no source named gets the article's ``home`` state when only a state does such acts, and the actor an
    official publisher speaks for (``voice``) when its subject is "we". An act upon "these actions" is aimed at the
    doer of the acts the article reported just before (``earlier``). ``frame`` is the date the body's sentences
    just before set the story at (``narrative_frames``; None for the headline and captions); ``story`` the day before
    publication the story is about and the dates of the occasions it names (``story_time``).
    """
    # The sentence's dates, found once and only when an act gets as far as its date (under half the parsed sentences do).
    # (called only where the article has a publication date)
    published = cast("date", article.published)
    timexes = functools.cache(functools.partial(find_timexes, sent, published, before=frame[0] if frame else None))
    act_nouns = {h.head: h.event_type for h in hits}
    mentions = []
    for hit in hits:
        if is_reported_content(hit, hits, sent) or pledges_an_act(hit, hits, sent):
            continue
        if hit.kind == "evaluation" and reports_an_act(hit, hits, sent):
            continue  # "said the United States opposes ...": the act reported stands, not a judgement of it
        if is_backdrop(hit, sent):
            continue
        head = sent.doc[hit.head]
        event_type = extractor.lexicon.types[verbal_attack_type(head, hit, extractor.lexicon) or hit.event_type]
        arguments = trigger_arguments(head, event_type, hit.kind, extractor.lexicon.stative_participles)
        if is_asked_subject(head, extractor.lexicon):
            arguments = replace(arguments, sources=(), targets=arguments.sources, fallback_sources=())
        # The trigger's own words ("talks" in "held talks in Moscow") are not its target; the object of a preposition
        # that ends the phrase is ("testified before the committee", "lashed out at Beijing").
        own_words = [i for i in arguments.targets if not is_trigger_word(sent.doc[i], hit, extractor.lexicon)]
        arguments = replace(arguments, targets=tuple(dict.fromkeys([*phrase_end_objects(hit, sent.doc), *own_words])))
        sources, targets, parties = argument_actors(arguments, sent, covered)
        if patients := patient_possessors(head, hit, covered, extractor.lexicon):
            undergoers = {m.actor_id for m in patients}
            sources = tuple(m for m in sources if m.actor_id not in undergoers)
            targets = (*patients, *(m for m in targets if m.actor_id not in undergoers))
        if is_official_protest(hit, sources):
            event_type = extractor.lexicon.types["accusation"]
        elif is_troop_movement(hit, sources):
            event_type = extractor.lexicon.types["mobilization"]
        elif is_labour_strike(head, hit, extractor.lexicon):
            event_type = extractor.lexicon.types["protest"]
        people = extractor.dictionary.lexicon.private_people
        sources = sources or private_mentions(arguments.sources, sent, covered, people)
        targets = targets or private_mentions(arguments.targets, sent, covered, people)
        undergone = hit.kind == "undergone" or bool(patients)
        if undergone and not sources:
            sources = holder_before(targets, earlier)
        if not sources and home is not None and (undergone or is_unattributed_state_act(head, extractor.lexicon)):
            sources = (implicit_mention(head, home),)
        if not sources and voice is not None and any(sent.doc[i].lower_ == "we" for i in arguments.sources):
            sources = (implicit_mention(head, voice),)
        if not sources and any(sent.doc[i].lower_ in FIRST_PERSON for i in arguments.sources):
            sources = quote_speaker(sent, head, covered, extractor.lexicon)
        # A verb's parties the parse missed may stand next to it in its clause; a noun's must be in its own phrase.
        nearby = hit.kind != "noun"
        if not sources and not (event_type.symmetric and parties):
            # A passive's subject is who was acted upon: the actor before it is no guess at who acted.
            sources = nearest_actor(sent, head, covered, targets + parties, before=True) if nearby and not is_passive(head) else ()
            if not sources:
                continue
        if (
            hit.kind in {"evaluation", "consequence"}
            and event_type.name != "warning"
            and not {t.actor_id for t in targets} - {s.actor_id for s in sources}
        ):
            continue  # a judgement of no one, or of the speaker; "said X must ..." asks someone who must act
        if event_type.needs_target and not targets and not has_content(head) and len(sources) < 2:
            targets = nearest_actor(sent, head, covered, sources + parties, before=False) if nearby else ()
            lexicon = extractor.lexicon
            targets = targets or referred_target(head, earlier, sources, act_nouns, covered, lexicon.act_words, lexicon.claim_words)
            if not targets and event_type.replies:
                targets = replied_party(earlier, sources)
            if not targets:
                continue
        if event_type.family == "threaten" and not targets and has_content(head):
            targets = warned_party(head, covered, sources)
        if event_type.nearby_target and not targets and nearby:
            targets = nearest_actor(sent, head, covered, sources + parties, before=False)
        value, date_text = event_date(timexes(), head, article.published, frame, story) if article.published else (fallback_date(None), "")
        # The table dates acts to the day, month or year (GUIDELINES): "last week" becomes the month holding it.
        value = without_week(value) if date_text else fallback_date(article.published)
        status = event_status(head, value if date_text else None, article.published, hit.status)
        quoted = is_quoted(sentence.text, head.idx - sent.start_char) or (hit.kind == "consequence" and quotes_content(sent, head))
        if quoted and (status in QUOTED_STATUSES or hit.kind == "consequence"):
            continue
        trigger_span = (sent.doc[hit.start].idx - sent.start_char, sent.doc[hit.end - 1].idx + len(sent.doc[hit.end - 1]) - sent.start_char)
        sides = mutual_sides(sources) if not targets and not event_type.symmetric and is_mutual(head) else [(sources, targets)]
        for doers, done_to in sides:
            mentions.append(
                Mention(
                    article.article_id,
                    sentence.index,
                    sentence.text,
                    sentence.is_caption,
                    hit.text,
                    event_type,
                    doers,
                    done_to,
                    parties,
                    value,
                    date_text,
                    status,
                    event_location([head, *(t for t in sent.doc[hit.start : hit.end] if t is not head)], extractor.state_names),
                    mention_confidence(hit, doers, done_to, date_text),
                    trigger_span,
                    actor_spans((("source", doers), ("target", done_to), ("party", parties)), sent.start_char),
                )
            )
        if voice is not None and blames_the_act(head, hit, extractor.lexicon):
            mentions.append(voiced_accusation(mentions[-1], voice, head, extractor, article.published))
    return mentions


def quote_speaker(sent: Span, head: Token, covered: dict[int, ActorMention], lexicon: Lexicon) -> tuple[ActorMention, ...]:
    """Return who speaks a quotation holding ``head``, as the sentence attributes it ('"We condemn the attack," Scholz
    said', 'Macron said: "I will go"'): the actor subject of a verb of saying outside the quotation, else nothing."""
    spans = quoted_spans(sent.text)
    quoted = [any(start <= t.idx - sent.start_char <= end for start, end in spans) for t in sent]
    if not quoted[head.i - sent.start]:
        return ()
    for verb in sent:
        if verb.lemma_.lower() in lexicon.quote_verbs and not quoted[verb.i - sent.start]:
            speakers = [covered[t.i] for t in children(verb, {"nsubj"}) if t.i in covered]
            if speakers:
                return tuple(dict.fromkeys(speakers))
    return ()


def is_mutual(head: Token) -> bool:
    """Return True when a trigger's object is "each other" or "one another" ("Haley and DeSantis took aim at each other")."""
    words = [t.lower_ for t in head.subtree if t.i > head.i][:8]
    return any(a in {"each", "one"} and b in {"other", "another", "other's", "another's"} for a, b in itertools.pairwise(words))


def mutual_sides(sources: Sequence[ActorMention]) -> list[tuple[tuple[ActorMention, ...], tuple[ActorMention, ...]]]:
    """Return the acts of parties acting upon each other: each of the first two upon the other, else the act as it is."""
    if len(sources) < 2:
        return [(tuple(sources), ())]
    first, second = sources[0], sources[1]
    return [((first,), (second,)), ((second,), (first,))]


def blames_the_act(head: Token, hit: TriggerHit, lexicon: Lexicon) -> bool:
    """Return True for an attack named with words of blame ("Russia's unprovoked and unjustified invasion")."""
    if hit.kind != "noun" or lexicon.types[hit.event_type].family != "attack":
        return False
    modifiers = [m for c in head.children if c.dep_ == "amod" for m in (c, *c.conjuncts)]
    return any(m.lower_ in lexicon.blame_words for m in modifiers)


def voiced_accusation(attack: Mention, voice: Actor, head: Token, extractor: Extractor, published: date | None) -> Mention:
    """Return the accusation an official publisher makes by calling an attack unprovoked or unjustified: its state accuses
    the attacker, on the day it says so."""
    accuser = (implicit_mention(head, voice),)
    return replace(
        attack,
        event_type=extractor.lexicon.types["accusation"],
        sources=accuser,
        targets=attack.sources,
        parties=(),
        date=fallback_date(published),
        date_text="",
        status="occurred",
        location=None,
        actor_spans=tuple((start, end, "target", name) for start, end, role, name in attack.actor_spans if role == "source"),
    )


def article_mentions(article: Article, extractor: Extractor) -> list[Mention]:
    """Return every event mention of one article, sentence by sentence."""
    sentences = article_sentences(article, extractor.dictionary)
    doc, chosen = parsed_article(sentences, extractor)
    if not chosen:
        return []
    actors = find_actors(doc, article.published, extractor.dictionary, len(sentences))
    covered = mentions_by_token(actors, doc)
    hits = extractor.lexicon.find_all(doc)
    home = extractor.dictionary.get(home_state(actors, len(sentences)))
    voice = release_speaker(article.title, extractor.dictionary.get(voice_of(article.url)), extractor.dictionary)
    texts = paragraph_sentences(article.text.split("\n"))
    frames = narrative_frames(texts, article.published) if article.published else []
    story = story_time(texts, article.published, article.title) if article.published else None
    headline = len(sentences) - 1 if article.title.strip() else -1
    mentions: list[Mention] = []
    for span, sentence in doc_sentences(doc, chosen):
        frame = frames[sentence.index] if sentence.index < len(frames) else None
        earlier = lead_acts(mentions) if sentence.index == headline else mentions
        hits_here = hits.get(span.start, [])
        mentions += sentence_mentions(span, sentence, article, covered, extractor, hits_here, home, voice, earlier, frame, story)
    return mentions


def lead_acts(mentions: Sequence[Mention]) -> list[Mention]:
    """Return the acts a headline sums up, ordered as if told just before it: the body's first acts, the first last
    ("Kremlin denies role in dam collapse" answers the lead's accusation, not the body's last paragraph)."""
    return list(reversed(mentions[:REPLIED_WINDOW]))


def event_row(group: Sequence[Mention], article: Article) -> Event:
    """Return the events-table row of the mentions of one act."""
    mention = merged_mention(group)
    symmetric = mention.event_type.symmetric
    source = mention.participants[0] if symmetric else (mention.sources[0] if mention.sources else None)
    target = None if symmetric or not mention.targets else mention.targets[0]
    location = mention.location
    return Event(
        event_id=event_id(article.article_id, mention),
        date=mention.date.value,
        date_precision=mention.date.precision,
        date_text=mention.date_text,
        event_type=mention.event_type.name,
        cameo_root=mention.event_type.cameo_root,
        plover=mention.event_type.plover_for(mention.status, is_conditional(mention.sentence)),
        goldstein=mention.event_type.goldstein,
        status=mention.status,
        source_actor=source.name if source else "",
        source_kind=source.kind if source else "",
        source_country=source.country if source else "",
        target_actor=target.name if target else "",
        target_kind=target.kind if target else "",
        target_country=target.country if target else "",
        participants=";".join(m.name for m in mention.participants),
        location=location.text if location else "",
        location_country=location.country if location else "",
        latitude=location.latitude if location else None,
        longitude=location.longitude if location else None,
        sentence=mention.sentence,
        trigger=mention.trigger,
        article_id=article.article_id,
        article_title=article.title,
        article_url=article.url,
        publisher=article.publisher,
        published=article.published.isoformat() if article.published else "",
        confidence=mention.confidence,
        source_text=source.text if source else "",
        target_text=target.text if target else "",
        evidence=evidence_json(group),
    )


def article_events(article: Article, extractor: Extractor | None = None) -> list[Event]:
    """Return the events of one article, one per act."""
    extractor = extractor or default_extractor()
    groups = group_mentions(article_mentions(article, extractor))
    rows = [(event_row(group, article), group[0].sentence_index) for group in groups]
    return [row for row, _ in sorted(rows, key=lambda pair: (pair[0].date, pair[1]))]


def extract_events(articles: Iterable[Article], extractor: Extractor | None = None) -> list[Event]:
    """Return the events the articles report, e.g. ``extract_events(read_articles(["data/demo"]))``."""
    extractor = extractor or default_extractor()
    return [event for article in articles for event in article_events(article, extractor)]
