"""Event types and the words that trigger them, loaded once from ``data/events/``."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span, Token

EVENTS_DIR = Path(__file__).resolve().parent.parent / "data" / "events"
# The trigger files, merged in order: the hand-written lexicon, then entries drawn from the CAMEO codebook.
TRIGGER_FILES = ("triggers.yaml", "triggers_codebook.yaml")
# libyaml's loader where PyYAML has it (same data): the pure-Python one read these files in 0.5 s of each run's start, libyaml in 0.08 s.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
GAP = "..."
# "..." in a phrase stands for at most this many words (hyphenated words count as three:
# "fired a new solid-fuel intercontinental ballistic missile" needs seven), never across a clause break.
MAX_GAP_WORDS = 7
# Types whose verbs report what was said or agreed, so that a "that" clause is their content ("warned that ...").
CLAUSE_TAKING_TYPES = frozenset({"statement", "appeal", "proposal", "warning", "threat", "accusation", "rejection"})
# Entity labels of names whose words are no acts ("the Paris Agreement", "the Peace Corps"); EVENT is left out:
# "the G20 Summit" is a summit.
# The subject of a reported clause and the clauses inside it: a word of judgement there says nothing of the subject.
OTHER_CLAUSE_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "ccomp", "advcl", "relcl", "acl", "mark"})
# Months whose names are also trigger words.
MONTH_WORDS = frozenset({"march", "may"})
NAME_LABELS = frozenset({"ORG", "LAW", "FAC", "PRODUCT", "WORK_OF_ART"})
CLAUSE_BREAKS = [",", ";", ":", ".", "(", ")", "—", "–", '"', "“", "”"]
HEAD_MARK = "^"
VERB_TAGS = frozenset({"VERB", "AUX"})
NOUN_TAGS = frozenset({"NOUN", "PROPN"})
# What an intransitive-only trigger must not have: "demonstrated that ..." or "demonstrated its resolve" is no protest.
OBJECT_OR_CLAUSE_DEPS = frozenset({"dobj", "ccomp", "xcomp", "nsubjpass", "auxpass", "attr", "oprd"})


@dataclass(frozen=True)
class EventType:
    """One event type with its codes."""

    name: str
    family: str
    cameo_root: str
    plover: str
    goldstein: float
    target_preps: tuple[str, ...]
    needs_target: bool
    symmetric: bool
    noun_target_preps: tuple[str, ...] = ()  # what a noun trigger also takes a target from: "the invasion of Ukraine"
    asks_clause: bool = False  # who is asked to act may be the subject of the clause: "demanded that Syria withdraw"
    replies: bool = False  # with no target named, it answers an act reported just before: "Athens denied the incident"
    nearby_target: bool = False  # with none in the parse, the nearest actor after the verb: "reopened the case against Assange"

    def plover_for(self, status: str, conditional: bool = False) -> str:
        """Return the PLOVER category of an event of this type with this status (planned acts are intents)."""
        if status != "planned" or not self.plover:
            return self.plover
        return "AGREE" if self.goldstein >= 0 and not conditional else "THREATEN"


@dataclass(frozen=True)
class TriggerHit:
    """A trigger found in a sentence: its type, its head token (doc index) and the words matched."""

    event_type: str
    head: int
    start: int
    end: int
    text: str
    kind: str  # "verb" | "noun" | "phrase" | "consequence" (a statement that foresees consequences) | "evaluation" (one that blames)
    # | "undergone" (an act its subject undergoes: "is serving a life sentence")
    status: str = ""  # a status the phrase fixes by itself ("agree to meet": planned)


def event_type(spec: dict) -> EventType:
    """Return the event type of one entry of ``types.yaml``."""
    return EventType(
        spec["type"],
        spec["family"],
        spec["cameo_root"],
        spec["plover"] or "",
        float(spec["goldstein"]),
        tuple(spec["target_preps"]),
        bool(spec["needs_target"]),
        bool(spec["symmetric"]),
        tuple(spec.get("noun_target_preps", ())),
        bool(spec.get("asks_clause", False)),
        bool(spec.get("replies", False)),
        bool(spec.get("nearby_target", False)),
    )


def inflections(lemma: str, irregular: Iterable[str] = ()) -> set[str]:
    """Return the surface forms of a lemma: "warn" gives warn, warns, warned, warning."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing", *irregular}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def lemma_set(word: str) -> list[str]:
    """Return the lemmas a written phrase word may have: "talks" may be "talks" or "talk"."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return [word, word[:-1]]
    return [word]


@dataclass(frozen=True)
class Pattern:
    """The words of one trigger entry as lemma sets, with gaps ("impose ... sanctions") and part-of-speech limits.

    Patterns are indexed by their first word's lemmas, so a sentence costs one lookup per word. (spaCy's
    Matcher tries every pattern at every token; with ~500 patterns, some with "{0,7}" wildcards, it took
    more time than parsing: measured with bench/bench_events.py speed.)
    """

    key: str
    words: tuple[frozenset[str], ...]
    gaps: tuple[bool, ...]  # gaps[i]: up to MAX_GAP_WORDS other words may come before words[i]
    tags: tuple[frozenset[str], ...]  # allowed parts of speech per word; empty allows any


def phrase_words(phrase: str) -> tuple[tuple[frozenset[str], ...], tuple[bool, ...], int]:
    """Return a written phrase's lemma sets, its gaps and the index of its head word ("^" marks it; default the first)."""
    words: list[frozenset[str]] = []
    gaps: list[bool] = []
    gap = False
    head = 0
    for word in phrase.split():
        if word == GAP:
            gap = True
            continue
        if word.startswith(HEAD_MARK):
            head = len(words)
        words.append(frozenset(lemma_set(word.lstrip(HEAD_MARK).lower())))
        gaps.append(gap)
        gap = False
    return tuple(words), tuple(gaps), head


def pattern_end(lemmas: Sequence[str], tags: Sequence[str], start: int, pattern: Pattern) -> int:
    """Return the end of the pattern's shortest match at ``start``, or 0 when it does not match there."""
    if pattern.tags[0] and tags[start] not in pattern.tags[0]:
        return 0
    position = start + 1
    for words, gap, allowed in zip(pattern.words[1:], pattern.gaps[1:], pattern.tags[1:], strict=True):
        last = min(position + (MAX_GAP_WORDS if gap else 0), len(lemmas) - 1)
        found = next((j for j in range(position, last + 1) if lemmas[j] in words and (not allowed or tags[j] in allowed)), -1)
        if found < 0:
            return 0
        position = found + 1
    return position


def shared_passive_subjects(verb: Token) -> list[Token]:
    """Return the subject a coordinated passive shares with the verb before it ("pleaded not guilty and were released")."""
    if verb.dep_ != "conj" or not any(c.dep_ == "auxpass" for c in verb.children):
        return []
    return [c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"}]


def crosses_break(span: Span) -> bool:
    """Return True when a gap phrase's match spans a clause break (a comma, a quote, a sentence end)."""
    return any(token.text in CLAUSE_BREAKS for token in span[1:-1])


def joins_coordinated(span: Span) -> bool:
    """Return True when a gap phrase's last word belongs to a verb coordinated with its first word, not to the first
    word's own phrase ("reiterated their commitment ... and called upon Pyongyang" is no "reiterate ... call")."""
    token = span[-1]
    while token.i != span[0].i and token.head.i != token.i and span.start <= token.head.i < span.end:
        if token.dep_ == "conj" and token.pos_ in ("VERB", "AUX"):
            return True
        token = token.head
    return False


def longest_per_head(hits: list[TriggerHit]) -> list[TriggerHit]:
    """Return, for each head word, only its longest matches ("hunger strike" is a protest, not a "strike")."""
    longest: dict[int, int] = {}
    for hit in hits:
        longest[hit.head] = max(longest.get(hit.head, 0), hit.end - hit.start)
    return [h for h in hits if h.end - h.start == longest[h.head] or h.status]


def inside(hit: TriggerHit, other: TriggerHit) -> bool:
    """Return True when ``hit`` is part of a longer match: "talks" in "held talks", "aid" in "halted economic aid"."""
    same_or_noun = hit.event_type == other.event_type or (hit.kind == "noun" and other.kind == "phrase")
    return (
        same_or_noun
        and hit.head != other.head
        and other.start <= hit.start
        and hit.end <= other.end
        and (other.end - other.start) > (hit.end - hit.start)
    )


def merged_spec(specs: Sequence[dict]) -> dict:
    """Return trigger specs merged key by key: lists joined, mappings merged one level deeper (later files add)."""
    merged: dict = {}
    for spec in specs:
        for key, value in spec.items():
            if isinstance(value, dict):
                merged[key] = merged_spec([merged.get(key, {}), value])
            elif isinstance(value, list):
                merged[key] = [*merged.get(key, []), *(v for v in value if v not in merged.get(key, []))]
            else:
                merged[key] = value
    return merged


def ends_in_a_month(span: Span) -> bool:
    """Return True when a phrase's last word is a month's name ("joined the alliance in March" joins no march)."""
    last = span[-1]
    return last.lower_ in MONTH_WORDS and last.text[:1].isupper()


def predicate_words(verb: Token) -> set[str]:
    """Return the words (and two-word phrases) of what a verb of naming calls its object: "called [the vote crazy]"."""
    parts = [c for c in verb.children if c.dep_ in {"oprd", "xcomp", "ccomp"}]
    objects = [o for o in verb.children if o.dep_ == "dobj"]
    parts += [c for o in objects for c in o.children if c.lower_ == "as" or c.dep_ == "appos"]  # "called the trial a farce"
    parts += [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"]
    words = [t.lower_ for part in parts for t in part.subtree]
    return set(words) | {" ".join(pair) for pair in itertools.pairwise(words)}


class Lexicon:
    """The event types and trigger matcher; built once per process with ``Lexicon.load()``."""

    def __init__(self, types: dict[str, EventType], spec: dict) -> None:
        self.types = types
        self.index: dict[str, list[Pattern]] = {}
        self.heads: dict[str, int] = {}
        self.statuses: dict[str, str] = {}
        self.words: set[str] = set()
        self.phrase_forms: dict[str, list[tuple[frozenset[str], ...]]] = {}
        self.objects: dict[str, frozenset[str]] = {}
        self.unlike_objects: dict[str, frozenset[str]] = {}
        self.intransitive: set[str] = set()
        self.noun_lemmas: set[str] = set()
        self.background_preps = frozenset(spec.get("background_preps", ()))
        self.stative_participles = frozenset(spec.get("stative_participles", ()))
        self.state_verbs = frozenset(spec.get("state_verbs", ()))
        self.clause_acts = frozenset(spec.get("clause_acts", ()))
        self.addressee_verbs = frozenset(spec.get("addressee_verbs", ()))
        self.act_words = frozenset(spec.get("act_words", ()))
        consequence = spec.get("consequence", {})
        self.consequence_verbs = frozenset(consequence.get("verbs", ()))
        self.consequence_cues = tuple(consequence.get("cues", ()))
        self.appeal_cues = tuple(consequence.get("appeal_cues", ()))
        naming = spec.get("characterization", {})
        self.naming_verbs = frozenset(naming.get("verbs", ()))
        self.blame_words = frozenset(naming.get("blame", ()))
        self.praise_words = frozenset(naming.get("praise", ()))
        self.judging_words = frozenset(naming.get("judging", ()))
        self.claim_words = frozenset(naming.get("claims", ()))
        self.patient_nouns = frozenset(spec.get("patient_nouns", ()))
        self.quote_verbs = frozenset(spec.get("quote_verbs", ()))
        verbal = spec.get("verbal_attack", {})
        self.verbal_attack_types: dict[str, str] = dict(verbal.get("verbs", {}))
        self.verbal_objects = frozenset(verbal.get("objects", ()))
        self.reason_preps = frozenset(verbal.get("reasons", ()))
        self.time_words = frozenset(verbal.get("time_words", ()))
        strike = spec.get("labour_strike", {})
        self.strike_nouns = frozenset(strike.get("nouns", ()))
        self.strike_words = frozenset(strike.get("modifiers", ())) | frozenset(strike.get("doers", ()))
        self.refused: dict[str, str] = {}  # acts of acceptance refused: lemma -> the key of its refusal
        self.refusing = frozenset(spec.get("refusing_verbs", ()))
        self.anonymity = frozenset(spec.get("anonymity_verbs", ()))
        self.no_comment = frozenset(spec.get("no_comment_verbs", ())) | self.anonymity
        venues = spec.get("speech_venues", {})
        self.venues = {part: frozenset(venues.get(part, ())) for part in ("nouns", "modifiers", "verbs")}
        self.words |= self.judging_words  # "said Wilson had made inappropriate comments" is worth a parse
        irregular = spec.get("irregular", {})
        for type_name, entry in spec.items():
            if type_name in types:
                self._add_type(type_name, entry, irregular)

    @classmethod
    @functools.lru_cache(maxsize=4)
    def load(cls, directory: Path = EVENTS_DIR) -> Lexicon:
        """Return the lexicon of ``data/events/``."""
        types = {t["type"]: event_type(t) for t in yaml.load((directory / "types.yaml").read_text(encoding="utf-8"), Loader=YAML_LOADER)}
        specs = [yaml.load((directory / name).read_text(encoding="utf-8"), Loader=YAML_LOADER) for name in TRIGGER_FILES]
        return cls(types, merged_spec(specs))

    def _add(
        self,
        key: str,
        words: tuple[frozenset[str], ...],
        gaps: tuple[bool, ...],
        tags: tuple[frozenset[str], ...],
        head: int,
        status: str = "",
    ) -> None:
        pattern = Pattern(key, words, gaps, tags)
        for first in words[0]:
            self.index.setdefault(first, []).append(pattern)
        self.heads[key] = head
        self.statuses[key] = status

    def _add_phrase(self, key: str, phrase: str, status: str = "") -> None:
        words, gaps, head = phrase_words(phrase)
        self._add(key, words, gaps, (frozenset(),) * len(words), len(words) - 1 if status else head, status)

    def _add_type(self, type_name: str, entry: dict, irregular: dict[str, list[str]]) -> None:
        object_verbs = entry.get("object_verbs", {})
        intransitive = entry.get("intransitive_verbs", [])
        for lemma in [*entry.get("verbs", []), *object_verbs, *intransitive]:
            key = f"{type_name}|verb|{lemma}"
            self._add(key, (frozenset([lemma]),), (False,), (VERB_TAGS,), 0)
            if lemma in object_verbs:
                self.objects[key] = frozenset(object_verbs[lemma])
            if lemma in intransitive:
                self.intransitive.add(key)
            if lemma in entry.get("unlike_objects", {}):
                self.unlike_objects[key] = frozenset(entry["unlike_objects"][lemma])
            self.words |= inflections(lemma, irregular.get(lemma, ()))
        for noun in entry.get("nouns", []):
            *first, last = noun.split()
            words = (*(frozenset([w]) for w in first), frozenset(lemma_set(last)))
            self._add(f"{type_name}|noun|{noun}", words, (False,) * len(words), (*(frozenset() for _ in first), NOUN_TAGS), len(first))
            self.noun_lemmas.update(lemma_set(last))
            if first:  # "artillery fire": the cheap check wants every word, as for a phrase
                self._add_phrase_forms([*first, last], irregular)
            else:
                self.words |= inflections(last)
        for phrase in entry.get("phrases", []):
            self._add_phrase(f"{type_name}|phrase|{phrase}", phrase)
            self._add_phrase_forms([w.lstrip(HEAD_MARK) for w in phrase.split() if w != GAP], irregular)
        for lemma in entry.get("refused_verbs", []):
            key = f"{type_name}|verb|{lemma}"
            self._add(key, (frozenset([lemma]),), (False,), (VERB_TAGS,), 0, "occurred")
            self.refused[lemma] = key
            self.words |= inflections(lemma, irregular.get(lemma, ()))
        for phrase in entry.get("undergone", []):
            self._add_phrase(f"{type_name}|undergone|{phrase}", phrase)
            self._add_phrase_forms([w.lstrip(HEAD_MARK) for w in phrase.split() if w != GAP], irregular)
        for status, phrases in entry.get("status", {}).items():
            for phrase in phrases:
                self._add_phrase(f"{type_name}|status|{phrase}", phrase, status)

    def _add_phrase_forms(self, literal: list[str], irregular: dict[str, list[str]]) -> None:
        """Note the forms of every word of a phrase for the cheap pre-parse check, looked up by its longest word."""
        needed = tuple(frozenset(inflections(w.lower(), irregular.get(w.lower(), ()))) for w in literal)
        for form in needed[literal.index(max(literal, key=len))]:
            self.phrase_forms.setdefault(form, []).append(needed)

    def might_hold_trigger(self, words: set[str]) -> bool:
        """Return True when the lower-cased words hold a form of a trigger word, or of every word of a phrase (the pre-parse check)."""
        if not self.words.isdisjoint(words):
            return True
        return any(all(not forms.isdisjoint(words) for forms in needed) for w in words for needed in self.phrase_forms.get(w, ()))

    def matches(self, doc: Doc | Span) -> list[tuple[int, int, int]]:
        """Return ``(key id, start, end)`` of every trigger pattern in a Doc or Span (offsets in the Doc)."""
        offset = doc.start if isinstance(doc, Span) else 0
        lemmas = [t.lemma_.lower() for t in doc]
        tags = [t.pos_ for t in doc]
        found = []
        for i, lemma in enumerate(lemmas):
            for pattern in self.index.get(lemma, ()):
                if end := pattern_end(lemmas, tags, i, pattern):
                    found.append((doc.vocab.strings.add(pattern.key), offset + i, offset + end))
        return found

    def find(self, sent: Span) -> list[TriggerHit]:
        """Return the triggers in one parsed sentence, one per head token and type (longest match wins)."""
        return self.sentence_hits(sent, self.matches(sent))

    def find_all(self, doc: Doc) -> dict[int, list[TriggerHit]]:
        """Return the triggers of every sentence of a parsed Doc, by the sentence's first token (one matcher pass)."""
        starts = {sent.start: sent for sent in doc.sents}
        sentence_of = [0] * len(doc)
        for sent in starts.values():
            sentence_of[sent.start : sent.end] = [sent.start] * len(sent)
        grouped: dict[int, list[tuple[int, int, int]]] = {start: [] for start in starts}
        for match_id, start, end in self.matches(doc):
            if sentence_of[start] == sentence_of[end - 1]:
                grouped[sentence_of[start]].append((match_id, start, end))
        return {start: self.sentence_hits(starts[start], matches) for start, matches in grouped.items()}

    def sentence_hits(self, sent: Span, matches: list[tuple[int, int, int]]) -> list[TriggerHit]:
        """Return the triggers of one sentence from its matches (token offsets in the Doc)."""
        doc = sent.doc
        best: dict[tuple[str, int], TriggerHit] = {}
        for match_id, start, end in matches:
            key = doc.vocab.strings[match_id]
            if GAP in key and (crosses_break(doc[start:end]) or joins_coordinated(doc[start:end]) or ends_in_a_month(doc[start:end])):
                continue
            type_name, kind, _ = key.split("|", 2)
            head = start + self._head_offset(key, doc[start:end])
            if not self._fits(key, doc[head]):
                continue
            hit = TriggerHit(type_name, head, start, end, doc[start:end].text, "phrase" if kind == "status" else kind, self.statuses[key])
            previous = best.get((type_name, head))
            if previous is None or (hit.status, hit.end - hit.start) > (previous.status, previous.end - previous.start):
                best[(type_name, head)] = hit
        typed = self.consequence_warnings(sent) + self.characterizations(sent)
        retyped = {h.head for h in typed}
        # A bare statement whose content types it (a warning, an appeal) is that type instead.
        hits = [h for h in best.values() if not (h.event_type == "statement" and h.head in retyped)]
        hits += [h for h in typed if not any(head == h.head and name != "statement" for name, head in best)]
        hits = [h for h in hits if not any(inside(h, o) for o in hits)]
        return sorted(longest_per_head(hits), key=lambda h: (h.head, h.event_type))

    def _fits(self, key: str, head: Token) -> bool:
        """Return False for a match the parse rules out: a background noun, or an object of the wrong kind."""
        if "|noun|" in key and head.dep_ == "pobj" and head.head.lower_ in self.background_preps:
            return False
        if "|noun|" in key and head.ent_type_ in NAME_LABELS and head.text[:1].isupper():
            return False  # a word of a name: the "Agreement" of the General Agreement on Tariffs and Trade
        if self.keeps_quiet(head):
            return False  # "an official who asked not to be named" asks no one; "declined to comment" rejects no one
        if "|noun|" in key and self.is_a_speech_venue(head):
            return False  # "told a campaign rally": where someone spoke, not a protest
        if "|verb|" in key and self.judges_instead(key, head):
            return False
        refusal = self.refused.get(head.lemma_.lower())
        if refusal is not None and (key == refusal) != self.is_refused(head):
            return False  # "did not accept the offer" is a rejection, and no acceptance denied
        if key in self.unlike_objects and any(c.dep_ == "dobj" and c.lemma_.lower() in self.unlike_objects[key] for c in head.children):
            return False  # "can meet its deficit target" meets no one
        if key in self.intransitive:
            return not any(c.dep_ in OBJECT_OR_CLAUSE_DEPS for c in head.children)
        if key in self.objects:
            objects = [c for c in head.children if c.dep_ in {"dobj", "nsubjpass"}] or shared_passive_subjects(head)
            return any(o.lemma_.lower() in self.objects[key] or o.ent_type_ in {"PERSON", "NORP"} for o in objects)
        return True

    def keeps_quiet(self, verb: Token) -> bool:
        """Return True for a source asking not to be named or declining to comment ("asked not to be identified",
        "declined to comment", "refused to be named"), formulas of news."""
        lemma = verb.lemma_.lower()
        words = self.anonymity if lemma in {"ask", "request"} else self.no_comment if lemma in {"decline", "refuse"} else frozenset()
        return any(c.dep_ == "xcomp" and c.lemma_.lower() in words for c in verb.children)

    def is_a_speech_venue(self, noun: Token) -> bool:
        """Return True for a gathering named as where someone spoke: a campaign's ("a campaign rally"), or one told or
        addressed ("told a rally in Ohio", "addressed the rally")."""
        if noun.lemma_.lower() not in self.venues["nouns"]:
            return False
        modifiers = {c.lower_ for c in noun.children if c.dep_ in {"compound", "amod"}}
        told = noun.dep_ in {"dobj", "dative"} and noun.head.lemma_.lower() in self.venues["verbs"]
        return bool(modifiers & self.venues["modifiers"]) or told

    def is_refused(self, verb: Token) -> bool:
        """Return True for a verb negated ("did not accept", "chose not to accept") or governed by a verb of refusing
        ("failed to answer", "declined to accept")."""
        if any(c.dep_ == "neg" for c in verb.children):
            return True
        governor = verb.head if verb.dep_ == "xcomp" else None
        return governor is not None and (governor.lemma_.lower() in self.refusing or any(c.dep_ == "neg" for c in governor.children))

    def judges_instead(self, key: str, verb: Token) -> bool:
        """Return True when an act verb takes a clause, not an object, and so states a judgment: "recognised that the
        vote was fair" recognises no one, "concluded that talks had failed" concludes no deal."""
        type_name = key.split("|", 1)[0]
        if type_name in CLAUSE_TAKING_TYPES or verb.lemma_.lower() in self.clause_acts:
            return False
        clause = any(c.dep_ == "ccomp" and any(m.dep_ == "mark" for m in c.children) for c in verb.children)
        return clause and not any(c.dep_ in {"dobj", "nsubjpass"} for c in verb.children)

    def content_type(self, content: str) -> str:
        """Return the type a statement takes from what it reports: warning, appeal, or "" for neither."""
        padded = f" {content.lower()} "
        if any(cue in padded for cue in self.consequence_cues):
            return "warning"
        if any(cue in padded for cue in self.appeal_cues):
            return "appeal"
        return ""

    def consequence_warnings(self, sent: Span) -> list[TriggerHit]:
        """Return statements typed by their reported content ("stated that X would result in war": a warning)."""
        hits = []
        for token in sent:
            if token.lemma_.lower() not in self.consequence_verbs:
                continue
            for clause in (c for c in token.children if c.dep_ == "ccomp"):
                if found := self.content_type(sent.doc[clause.left_edge.i : clause.right_edge.i + 1].text):
                    hits.append(TriggerHit(found, token.i, token.i, token.i + 1, token.text, "consequence"))
                elif self.blames(clause):
                    judged = "rejection" if self.judges_a_claim(clause) else "accusation"
                    hits.append(TriggerHit(judged, token.i, token.i, token.i + 1, token.text, "evaluation"))
        return hits

    def blames(self, clause: Token) -> bool:
        """Return True when what a clause says of its subject holds a word that judges ("said Wilson had made
        inappropriate comments"); words inside the subject or a clause of their own do not count."""
        said = [t for c in clause.children if c.dep_ not in OTHER_CLAUSE_DEPS for t in c.subtree]
        return bool(({t.lower_ for t in said} | {t.lemma_.lower() for t in said}) & self.judging_words)

    def judges_a_claim(self, clause: Token) -> bool:
        """Return True when a reported clause judges a claim ("said Kyiv's claims were baseless"): a rejection."""
        return any(c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() in self.claim_words for c in clause.children)

    def characterizations(self, sent: Span) -> list[TriggerHit]:
        """Return acts of naming someone or something with blame or praise ("called the vote crazy": an accusation)."""
        hits = []
        for token in sent:
            if token.lemma_.lower() not in self.naming_verbs or not any(c.dep_ in {"dobj", "oprd"} for c in token.children):
                continue
            if found := self.judgement_type(predicate_words(token)):
                hits.append(TriggerHit(found, token.i, token.i, token.i + 1, token.text, "verb"))
        return hits

    def judgement_type(self, words: set[str]) -> str:
        """Return "accusation" for words of blame, "support" for words of praise, else ""."""
        if words & self.blame_words:
            return "accusation"
        return "support" if words & self.praise_words else ""

    def _head_offset(self, key: str, span: Span) -> int:
        """Return the head's offset in a matched span, counting gap words the phrase skipped."""
        head = self.heads[key]
        if GAP not in key:
            return min(head, len(span) - 1)
        words = [w for w in key.split("|", 2)[2].split() if w != GAP]
        target = words[head].lstrip(HEAD_MARK).lower()
        for offset, token in enumerate(span):
            if token.lemma_.lower() in lemma_set(target) or token.lower_ == target:
                return offset
        return 0
