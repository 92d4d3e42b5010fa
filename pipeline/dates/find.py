"""Find the date expressions of a parsed sentence: spaCy's DATE and TIME entities plus patterns for what it misses."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from spacy.tokens import Span

from pipeline.dates.absolute import spelled_year_pattern
from pipeline.dates.context import FORWARD_REACH, Context
from pipeline.dates.resolve import resolve_expression, resolve_in_context, words_after_offset, words_before_offset
from pipeline.dates.tense import clause_tense
from pipeline.dates.values import NO_DATE, DateValue, day_value, first_day
from pipeline.dates.vocabulary import Vocabulary, alternation, load_vocabulary

ENTITY_LABELS = ("DATE", "TIME")
# An expression that needs a date named before it ("The next morning", "Two days later") and finds none in its
# sentence takes the last date of the sentences before, this many back at most: news names the anchor act
# in the sentence before or the one before that ("Last Thursday, police found a man ... A man was arrested ...
# The next morning police searched two houses"). Chosen by reading, not tuned.
ANTECEDENT_REACH = 3
# An undated act told in the past is set at the last date named this many sentences back at most ("Police arrested six
# people Monday. Officers stopped a car on Main Street. Officers arrested its driver"). Chosen on the train articles:
# one sentence back missed such acts two back; three back added two acts, both set in another scene.
FRAME_REACH = 2
# How far before publication the day a story is about may lie: "on Tuesday" in a Thursday paper. Chosen by reading.
STORY_REACH = timedelta(days=3)
# How many words before a date an occasion noun may stand for the date to be the occasion's: a noun and its complement
# ("talks on re-establishing International Coffee Organization quotas last week"). Chosen by reading.
OCCASION_REACH = 12
# What a stamp line holds besides its date: a time, a time zone, "Updated", "Published".
STAMP_WORDS = re.compile(
    r"\b(?:\d{1,2}:\d\d(?::\d\d)?|[ap]\.?m\.?|(?:GMT|UTC)(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?|(?-i:[A-Z]{1,2}[SD]?T)|updated|published|posted|"
    r"last|modified|on|at)\b",
    re.IGNORECASE,
)
# "since" up to six words before a date, with no break between: the date is where a state started.
SINCE_CLAUSE = re.compile(r"\bsince(?:\s+[^\s,;:.]+){0,5}\s*$", re.IGNORECASE)
# Words naming the publication day or one near it by itself.
DEICTIC_DAY = re.compile(r"\b(?:yesterday|today|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b")
# A speaker's name before what they said in a transcript ("QUESTION: ...", "MR PRICE: ..."); this many make one.
SPEAKER_LABEL = re.compile(r"^[A-Z][A-Z.'’ -]{1,40}:")
TRANSCRIPT_SPEAKERS = 2
# Double-quoted words in a sentence: from an opening quote to its closing one, or to the end of the sentence.
QUOTED = re.compile(r'“[^”]*(?:”|$)|"[^"]*(?:"|$)')
# A sentence going on with a quotation begun before it: its words up to the first quote mark, a closing one (no space
# before it, none or punctuation after it).
QUOTE_GOING_ON = re.compile(r'^[^“”"]*\S[”"](?=[\s,.;:!?)]|$)')
# A year written in digits: a frame read without a parse is kept further back than half a year only with one.
YEAR_DIGITS = re.compile(r"\b\d{4}\b")
# Preference between overlapping candidates of equal length: our patterns, then spaCy's entities.
PATTERN_RANK, ENTITY_RANK = 1, 0


@dataclass(frozen=True)
class Timex:
    """A date expression in a Doc with its resolved value."""

    text: str
    start_char: int
    end_char: int
    start: int
    end: int
    value: DateValue


@dataclass(frozen=True)
class Candidate:
    """A span that may be a date expression, and where it came from."""

    span: Span
    rank: int


def capitalised(words: list[str]) -> str:
    """Return a case-sensitive alternation of capitalised words; abbreviations may end with a period."""
    names = sorted({w.capitalize() for w in words}, key=len, reverse=True)
    return "|".join(rf"{re.escape(n)}\.?" if len(n) <= 5 else re.escape(n) for n in names)


@dataclass(frozen=True)
class FinderPattern:
    """A finder regular expression, tried only on sentences that hold one of its key strings."""

    keys: tuple[str, ...]
    lower: bool  # keys are looked up in the lower-cased sentence
    regex: re.Pattern[str]
    key_regex: re.Pattern[str]  # any of the keys: one search instead of a test per key

    def matches(self, text: str, lowered: str) -> list[re.Match[str]]:
        """Return the pattern's matches in a sentence (none without a key: the regex is not run)."""
        hay = lowered if self.lower else text
        return list(self.regex.finditer(text)) if self.key_regex.search(hay) else []


def finder_sources(v: Vocabulary) -> list[tuple[tuple[str, ...], bool, str]]:
    """Return the finder's (keys, lower, regular expression); a group named ``t`` marks the expression inside a wider match."""
    month = rf"(?:{capitalised(list(v.months))})"  # capitalised only: "may" and "march" are also common words
    weekday = rf"(?:{capitalised([w for w in v.weekdays if len(w) > 4])}|Tues\.|Thurs\.)"
    day, year, parts = r"[0-3]?\d(?:st|nd|rd|th)?\b", r"(?:1[89]|20)\d\d\b", "|".join(v.day_parts)
    count, unit = v.count, v.unit
    i = "(?i:{})".format
    rel_year = i(r"of\s+(?:this|last|next)\s+year")
    rel_unit = i(r"(?:last|this|next)\s+(?:week|month|year)")
    the_year = i(r"(?:this|last|next|the)\s+year")
    months = tuple(m.capitalize() for m in v.months if len(m) == 3)
    holidays = tuple(h.title().replace("'S ", "'s ") for h in v.holidays if h != "may day")
    return [
        (months, False, rf"\b(?:{weekday},?\s+)?{month}\s+{day}(?:,?\s+{year})?"),
        (months, False, rf"\b(?:{weekday},?\s+)?(?:the\s+)?{day}\s+(?:of\s+)?{month}(?:,?\s+{year})?"),
        (months, False, rf"\b{month},?\s+(?:of\s+)?{year}"),
        (months, False, rf"\b{month}\s+{rel_year}"),
        (
            ("early", "mid", "late", "beginning", "start", "end of", "middle"),
            True,
            i(r"\b(?:early|mid|late|the\s+(?:beginning|start|end|middle)\s+of)[-\s]+") + rf"(?:{month}|{year}|{rel_unit})",
        ),
        (months, False, i(r"\b(?:last|next|this|this\s+past|early|late|mid)[-\s]+") + rf"{month}(?!\s+\d)"),
        (
            months,
            False,
            i(r"\b(?:in|since|by|until|from|during|through|before|after|of|to|between|and|as\s+of)\s+")
            + rf"(?P<t>{month})(?![\w-])(?!\s+\d)",
        ),
        (months, False, rf"\b{month}(?=[’']s\b)"),
        (
            ("day", "Tues", "Thurs"),
            False,
            i(r"\b(?:(?:last|next|this|early|late)\s+)?") + weekday + i(f"(?:\\s+(?:{parts}))?") + r"(?![\w-])",
        ),
        (
            ("today", "tonight", "yesterday", "tomorrow", "morning", "afternoon", "evening", "night", "earlier", "later", "late in"),
            True,
            i(
                r"\b(?:today|tonight|overnight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night|"
                r"(?:earlier|later)\s+(?:today|in\s+the\s+day|this\s+(?:week|month|year))|late\s+in\s+the\s+day)\b"
            ),
        ),
        (
            ("week", "month", "year", "quarter"),
            True,
            i(
                r"\b(?:this|last|next|the\s+past|the\s+previous|the\s+coming|(?:the|this)\s+current)\s+(?:week|weekend|month|(?:fiscal\s+)?year|quarter)\b"
            ),
        ),
        (
            ("same", "that", "year", "time", "date"),
            True,
            i(rf"\b(?:{alternation(v.anaphors_same | v.anaphors_year_back | v.whole_year)})\b"),
        ),
        (
            ("next", "following", "previous", "preceding"),
            True,
            i(rf"\b(?:the\s+)?(?:next|following|previous|preceding)\s+(?:day|{parts})\b"),
        ),
        (("recent", "lately"), True, i(r"\b(?:recently|lately|in\s+recent\s+(?:days|weeks))\b")),
        (
            ("ago", "earlier", "later", "into", "after"),
            True,
            i(rf"\b(?:(?:{count})\s+{unit}|(?:day|week|month|year)s)\s+(?:ago|earlier|later|into|after)\b"),
        ),
        (
            ("spring", "summer", "autumn", "fall", "winter"),
            True,
            i(r"\b(?:this|last|next|this\s+past)\s+(?:spring|summer|autumn|fall|winter)\b")
            + "|"
            + i(r"\b(?:spring|summer|autumn|winter)\s+(?:of\s+)?")
            + year,
        ),
        (
            ("quarter", "half"),
            True,
            i(r"\b(?:the\s+)?(?:first|second|third|fourth|last|final)\s+(?:quarter|half)\s+of\s+") + rf"(?:{year}|{the_year})",
        ),
        (("Q1", "Q2", "Q3", "Q4"), False, r"\bQ[1-4]\s+" + year),
        (("-", "/"), False, r"\b\d{4}-\d\d-\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
        (
            ("19", "20"),
            False,
            i(r"\b(?:in|since|by|until|from|during|of|before|after)\s+") + rf"(?P<t>(?i:(?:fiscal|calendar)\s+)?{year})(?![-/.,]?\d)",
        ),
        (("'", "’"), False, r"(?<!\w)['’]\d\d\b(?!\w)"),
        (("nineteen", "twenty", "two thousand"), True, i(rf"\b(?:{spelled_year_pattern(v.numbers).pattern})\b")),
        (holidays, False, "|".join(rf"\b{re.escape(h)}\b" for h in holidays)),
    ]


@functools.lru_cache(maxsize=1)
def finder_patterns() -> tuple[FinderPattern, ...]:
    """Return the compiled finder patterns."""
    return tuple(
        FinderPattern(keys, lower, re.compile(source), re.compile("|".join(re.escape(k) for k in keys)))
        for keys, lower, source in finder_sources(load_vocabulary())
    )


def expression_span(pattern: FinderPattern, match: re.Match[str]) -> tuple[int, int]:
    """Return where a finder match's expression lies: its group ``t`` when it has one, else the whole match."""
    return match.span("t") if "t" in pattern.regex.groupindex and match.group("t") else match.span()


def pattern_candidates(sent: Span, text: str) -> list[Candidate]:
    """Return the spans the finder patterns match in a sentence whose text is ``text``."""
    found, lowered = [], text.lower()
    for pattern in finder_patterns():
        for match in pattern.matches(text, lowered):
            start, end = expression_span(pattern, match)
            span = sent.doc.char_span(sent.start_char + start, sent.start_char + end, alignment_mode="expand")
            if span is not None and len(span):
                found.append(Candidate(span, PATTERN_RANK))
    return found


def entity_candidates(sent: Span) -> list[Candidate]:
    """Return spaCy's DATE and TIME entities inside a sentence (read from the tokens: ``Span.ents`` walks the whole Doc)."""
    spans, start = [], None
    for token in sent:
        inside = token.ent_type_ in ENTITY_LABELS
        if start is not None and (not inside or token.ent_iob_ == "B"):
            spans.append(sent.doc[start : token.i])
            start = None
        if inside and start is None:
            start = token.i
    if start is not None:
        spans.append(sent.doc[start : sent.end])
    return [Candidate(span, ENTITY_RANK) for span in spans]


def part_of_name(span: Span, sent: Span) -> bool:
    """True for a capitalised unit word inside a name: "Month" in "Women's History Month"."""
    return len(span) == 1 and span.start != sent.start and span.text.istitle() and span.text.lower() in ("day", "week", "month", "year")


def inside_compound(span: Span, sent: Span, text: str) -> bool:
    """True when the span is part of a hyphenated word ("month" in "month-long", "2021" in "2021-22")."""
    end = span.end_char - sent.start_char
    return text[end : end + 1] == "-" and text[end + 1 : end + 2].isalnum()


def resolve_span(span: Span, sent: Span, text: str, published: date, antecedent: DateValue = NO_DATE, expression: str = "") -> DateValue:
    """Return the value of a span of ``sent`` (whose text is ``text``), or of ``expression`` read at its place.

    The context is the tense of the span's clause, the words around it and the date named before it.
    """
    start, end = span.start_char - sent.start_char, span.end_char - sent.start_char
    context = Context(published, clause_tense(span), words_after_offset(text, end), antecedent, words_before_offset(text, start))
    return resolve_in_context(expression or span.text, context)


def overlaps(a: Span, b: Span) -> bool:
    """True when two spans share a token."""
    return a.start < b.end and b.start < a.end


def chosen_spans(candidates: list[Candidate], sent: Span, text: str, published: date) -> list[Span]:
    """Return non-overlapping spans that resolve, preferring longer ones, then our patterns; in text order."""
    kept = [c for c in candidates if not inside_compound(c.span, sent, text) and not part_of_name(c.span, sent)]
    stand_in = day_value(published)  # lets "that day" count as resolving here; its real antecedent comes later
    scored = [(bool(resolve_span(c.span, sent, text, published, stand_in)), len(c.span.text), c.rank, c) for c in kept]
    chosen: list[Span] = []
    for resolves, _, _, candidate in sorted(scored, key=lambda s: s[:3], reverse=True):
        if resolves and not any(overlaps(candidate.span, s) for s in chosen):
            chosen.append(candidate.span)
    return sorted(chosen, key=lambda s: s.start)


def timex_of(span: Span, value: DateValue) -> Timex:
    """Return the Timex of a span, its text without trailing punctuation (spaCy leaves "March." whole at a sentence end)."""
    words = span.text.rstrip(" .,;:!?")
    return Timex(words, span.start_char, span.start_char + len(words), span.start, span.end, value)


def find_timexes(sent: Span, published: date, look_back: bool = True, before: DateValue | None = None) -> list[Timex]:
    """Return the date expressions of one parsed sentence, resolved with the tense of their clause.

    e.g. ``find_timexes(nlp("They met on Wednesday.")[:], date(2023, 2, 23))`` holds "Wednesday" as 2023-02-22.
    Each expression may refer back to the one before it ("in February ... the same period last year"); the first,
    when it needs a date before it ("Two days later"), to ``before`` (the last date of the article's sentences before,
    when the caller read them) or else to the last date of the Doc's sentences before (``look_back``).
    """
    text = sent.text
    timexes: list[Timex] = []
    for span in chosen_spans(pattern_candidates(sent, text) + entity_candidates(sent), sent, text, published):
        antecedent = timexes[-1].value if timexes else NO_DATE
        if not timexes and look_back and reads_antecedent(span, sent, text, published):
            antecedent = date_before(sent, published) if before is None else before
        value = resolve_span(span, sent, text, published, antecedent)
        if value:
            timexes.append(timex_of(span, value))
    return timexes


def reads_antecedent(span: Span, sent: Span, text: str, published: date) -> bool:
    """True when a span counts in calendar units from the date named before it ("the next morning", "a year earlier").

    "The time", "the same time" name no unit: mostly not a date at all ("thank you for the time", "At the same time, ...").
    """
    if not names_calendar_unit(span.text):
        return False
    return resolve_span(span, sent, text, published) != resolve_span(span, sent, text, published, day_value(published))


def names_calendar_unit(text: str) -> bool:
    """True when a text holds a calendar unit or part of a day: "day", "weeks", "morning"."""
    v = load_vocabulary()
    units = set(v.units) | set(v.day_parts) | {"weekend", "quarter"}
    return any(word.rstrip("s") in units for word in re.findall(r"[a-z]+", text.lower()))


def date_before(sent: Span, published: date) -> DateValue:
    """Return the last date named in the ``ANTECEDENT_REACH`` sentences before ``sent`` in its Doc, or no date."""
    doc = sent.doc
    earlier = [s for s in doc.sents if s.end <= sent.start][-ANTECEDENT_REACH:] if sent.start > 0 else []
    for previous in reversed(earlier):
        timexes = find_timexes(previous, published, look_back=False)
        if timexes:
            return timexes[-1].value
    return NO_DATE


def text_dates(text: str, published: date) -> list[tuple[DateValue, str]]:
    """Return (value, words) of the date expressions our patterns find in an unparsed sentence, read as past narration.

    No parse: this reads the sentences extraction does not parse, for the dates they set the story at
    ("Last Thursday, police found a man ..." before "A man was arrested"). The story's frames, day and occasions
    all read each sentence: the answers are cached.
    """
    return list(cached_text_dates(text, published))


@functools.lru_cache(maxsize=8192)
def cached_text_dates(text: str, published: date) -> tuple[tuple[DateValue, str], ...]:
    """Return ``text_dates`` as a tuple, cached."""
    found: list[tuple[int, int]] = []
    lowered = text.lower()
    matches = [expression_span(p, m) for p in finder_patterns() for m in p.matches(text, lowered)]
    for start, end in sorted(matches, key=lambda s: s[0] - s[1]):
        if not any(start < b and a < end for a, b in found):
            found.append((start, end))
    values = [(resolve_expression(text[a:b], published, "past", text), text[a:b]) for a, b in sorted(found)]
    return tuple((value, words) for value, words in values if value and (is_recent(value, published) or YEAR_DIGITS.search(words)))


def is_recent(value: DateValue, published: date) -> bool:
    """True when a value starts less than half a year before the publication date (or after it).

    Read without a parse, "from May 31" in a March story is taken as last May's; news writes the year of a date
    further back ("May 31, 2022"), so a date more than half a year back is kept only when its year is written.
    """
    start = first_day(value)
    return start is not None and published - start < FORWARD_REACH


@dataclass(frozen=True)
class StoryTime:
    """What an article's narration tells of its time: the day before publication it is about (``story_day``), and the
    dates it names its occasions with (``occasion_dates``)."""

    day: tuple[DateValue, str] | None = None
    occasions: Mapping[str, tuple[DateValue, str]] = field(default_factory=dict)
    lede: str = ""  # the first sentence of the body
    headline: str = ""


def story_time(texts: list[str], published: date, headline: str = "") -> StoryTime:
    """Return the story's day, its occasions' dates, its first sentence and its headline, read from the sentences of an
    article body and its title."""
    lede = next((text for text in texts if not is_date_line(text, text_dates(unquoted(text), published))), "")
    return StoryTime(story_day(texts, published), occasion_dates(texts, published), lede, headline)


def story_day(texts: list[str], published: date) -> tuple[DateValue, str] | None:
    """Return the day a story is about when it is before the publication day, else None.

    News published the morning after tells what happened the day before ("Sweden has dropped its investigation ...",
    then "the prosecutor said on Tuesday" in a Wednesday paper): the story's day is the first day the narration names
    among those at most ``STORY_REACH`` before publication, unless it names the publication day itself anywhere: then
    the story is the day's own ("France today protested ..." and "Canada yesterday said"; "... who arrived last
    night" and "Papandreou's offer today"). A line that is only a date is the article's stamp; words quoted are the
    speaker's ("Today's hearing ...", printed the next day); an expression counted from another date ("later in the
    day") names no day of its own (``names_a_day``): none of these counts. A transcript (a briefing, an interview:
    speakers' names before a colon) is the day it was spoken, not a story told after it: None.
    """
    if sum(bool(SPEAKER_LABEL.match(text)) for text in texts) >= TRANSCRIPT_SPEAKERS:
        return None
    named = [
        (value, words)
        for text in texts
        if not is_date_line(text, dates := text_dates(unquoted(text), published))
        for value, words in dates
        if is_story_day(value, published) and names_a_day(words)
    ]
    if not named or any(value == day_value(published) for value, _ in named):
        return None
    return named[0]


def is_story_day(value: DateValue, published: date) -> bool:
    """True for a day at most ``STORY_REACH`` before the publication day, or that day."""
    start = first_day(value)
    return value.precision == "day" and start is not None and timedelta(0) <= published - start <= STORY_REACH


def occasion_dates(texts: list[str], published: date) -> dict[str, tuple[DateValue, str]]:
    """Return, for each occasion noun the narration names with a date, the first such date no later than publication.

    A date names an occasion when the noun comes at most ``OCCASION_REACH`` words before it ("Failure of talks on
    quotas last week") or right before the noun's phrase ("Wednesday's debate", "the June 8 trilateral meeting").
    """
    nouns, found = load_vocabulary().anchor["occasion_nouns"], dict[str, tuple[DateValue, str]]()
    for text in texts:
        plain = unquoted(text)
        for value, words in text_dates(plain, published):
            start, at = first_day(value), plain.find(words)
            if start is None or start > published or at < 0:
                continue
            before = re.findall(r"[\w'’-]+", plain[:at].lower())[-OCCASION_REACH:]
            after = re.findall(r"[\w'’-]+", plain[at + len(words) :].lower())[:3]
            for noun in [w for w in before if w in nouns] + [w for w in after if w in nouns][:1]:
                found.setdefault(noun, (value, words))
    return found


def is_date_line(text: str, dates: list[tuple[DateValue, str]]) -> bool:
    """True for a line that is only a date, maybe with a time: the article's stamp ("January 18, 2020", "Updated:
    13 Jan 2020, 22:11 GMT+10"), not its narration."""
    rest = text
    for _, words in dates:
        rest = rest.replace(words, "")
    return bool(dates) and not re.search(r"[A-Za-z]", STAMP_WORDS.sub("", rest))


def unquoted(text: str) -> str:
    """Return a sentence with its double-quoted words blanked: from an opening quote to its closing one or the end, and
    from the start to a closing quote that ends a quotation begun in a sentence before ('Nothing changed." he said')."""
    text = QUOTE_GOING_ON.sub(lambda m: " " * len(m.group()), text, count=1)
    return QUOTED.sub(lambda m: " " * len(m.group()), text)


def names_a_day(words: str) -> bool:
    """True for an expression naming a day of its own: a weekday, a month's day, "yesterday", "today", "last night";
    not one counted from another date ("later in the day", "the same day", "the next morning")."""
    v, lowered = load_vocabulary(), words.lower()
    named = set(re.findall(r"[a-z]+", lowered))
    return bool(DEICTIC_DAY.search(lowered)) or bool(named & (set(v.weekdays) | set(v.months)))


def scene_dates(text: str, published: date) -> list[tuple[DateValue, str]]:
    """Return the dates an unparsed sentence sets its scene at: ``text_dates`` outside quotes, but no possessive."""
    plain = unquoted(text)
    return [(value, words) for value, words in text_dates(plain, published) if not names_no_scene(words, plain)]


def names_no_scene(words: str, text: str) -> bool:
    """True for a date that names a thing's time ("Tuesday's vote") or where a state started ("since the debates began
    in August"), not a scene the narration goes on in."""
    at = text.find(words)
    before = text[:at] if at >= 0 else ""
    return bool(re.match(r"['’]s\b", text[at + len(words) :])) or SINCE_CLAUSE.search(before) is not None


def narrative_frames(texts: list[str], published: date) -> list[tuple[DateValue, str]]:
    """Return, for each sentence of an article body, the last date named in the ``FRAME_REACH`` sentences before it.

    e.g. for ["Last Thursday, police found a man.", "He was arrested."] published on 2020-10-29, the second
    sentence's frame is (2020-10-22, "Last Thursday"); a sentence with no date before it in reach gets (no date, "").
    Quoted words are the speaker's and set no frame: "Today's hearing is over," printed the next day, is not the
    publication day; nor does a possessive, which names a thing's time ("pointing to Tuesday's vote, he charged").
    """
    last = [dates[-1] if (dates := scene_dates(text, published)) else None for text in texts]
    frames = []
    for index in range(len(texts)):
        earlier = [d for d in last[max(0, index - FRAME_REACH) : index] if d is not None]
        frames.append(earlier[-1] if earlier else (NO_DATE, ""))
    return frames
