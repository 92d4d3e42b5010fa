"""Resolve one date expression: an ordered list of named rules, the first that answers wins, dateparser last."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from dateparser.date import DateDataParser

from pipeline.dates import absolute, relative
from pipeline.dates.context import TENSES, YEAR_PHRASE, Context
from pipeline.dates.values import NO_DATE, DateValue, at_precision, day_value, first_day, week_value, within_range
from pipeline.dates.vocabulary import load_vocabulary, normalise

log = logging.getLogger(__name__)

Rule = Callable[[str, Context], "DateValue | None"]

# Words that may open an expression without changing what it names ("in" is kept before a count: "in two weeks").
LEADING_WORDS = re.compile(
    r"^(?:(?:on|in(?!\s+(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several|a\s+couple\s+of)\s+[a-z]+s?$)"
    r"|at|since|from|by|until|till|til|through|throughout|during|as\s+of|as\s+early\s+as|as\s+late\s+as|around|"
    r"about|circa|c|ca|of|before|after|for|starting|beginning|sometime|some\s+time|as\s+recently\s+as|until\s+at\s+least|"
    r"no\s+later\s+than|not\s+until|up\s+to|effective|dated|again)\s+)+"
)
TIME_OF_DAY = re.compile(
    r",?\s*(?:at\s+)?(?:about\s+|around\s+)?\d{1,2}(?::\d\d)+\s*(?:[ap]\.?m\.?|utc|gmt|[a-z]{2,4}t)?\b"
    r"|,?\s*(?:at\s+)?\d{1,2}\s*[ap]\.?m\b\.?(?:\s*(?:utc|gmt|[a-z]{2,4}t)\b)?|,?\s*\(?local\s+time\)?|\s+(?:utc|gmt)\b"
)
# dateparser's period names mapped to ours.
DATEPARSER_PRECISION = {"time": "day", "day": "day", "week": "week", "month": "month", "year": "year"}


def cleaned(text: str) -> str:
    """Return a normalised expression without leading prepositions or a time of day: "on Feb. 22 at 10 a.m." -> "feb 22"."""
    text = TIME_OF_DAY.sub("", normalise(text)).strip(" ,")
    return LEADING_WORDS.sub("", text)


def not_a_date(text: str, ctx: Context) -> DateValue | None:
    """Ages, durations, frequencies, decades, counts and empty text answer "no date"."""
    if not text or load_vocabulary().non_dates.fullmatch(text):
        return NO_DATE
    return None


def part_of_period(text: str, ctx: Context) -> DateValue | None:
    """``mid-March``, ``late last year``, ``the end of the month``, ``earlier in the day``: the period's value and precision.

    After "since" or "from", the start of a period is its first day ("since the start of this year").
    """
    v = load_vocabulary()
    for part in v.period_parts:
        if text.startswith(part + " ") and (rest := text[len(part) + 1 :].strip()):
            value = resolve_text(LEADING_WORDS.sub("", rest), ctx)
            if value and part in v.period_starts and boundary_before(ctx.before):
                start = first_day(value)
                return day_value(start) if start else value
            return value if value else None
    return None


def boundary_before(before: str) -> bool:
    """True when the words before an expression end with "since" or "from"."""
    words = before.split()
    return bool(words) and words[-1] in load_vocabulary().boundary_prepositions


def week_of_month(text: str, ctx: Context) -> DateValue | None:
    """``the last week of March``, ``the first week of next month``: ISO weeks with four or more days in the month."""
    m = relative.forms().week_of_month.fullmatch(text)
    if not m:
        return None
    month = resolve_text(m["rest"], ctx)  # any month expression: "March", "next month"
    if month.precision != "month":
        return None
    start = first_day(month)
    assert start is not None
    weeks = relative.month_weeks(start.year, start.month)
    index = load_vocabulary().ordinals[m["ord"]]
    index = index - 1 if index > 0 else index
    return week_value(weeks[index]) if -len(weeks) <= index < len(weeks) else None


def with_dateparser(text: str, ctx: Context) -> DateValue | None:
    """Any other expression made only of date words and numbers, read by dateparser anchored on the publication date."""
    if not only_date_words(text):
        return None
    data = date_parser(ctx.published, "future" if ctx.forward else "past").get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    return at_precision(data.date_obj.date(), DATEPARSER_PRECISION.get(data.period or "", "none"))


@functools.lru_cache(maxsize=64)
def date_parser(published: date, prefer: str) -> DateDataParser:
    """Return an English dateparser anchored on a publication date."""
    settings = {
        "RELATIVE_BASE": datetime.combine(published, datetime.min.time()),
        "PREFER_DATES_FROM": prefer,
        "RETURN_TIME_AS_PERIOD": True,
        "STRICT_PARSING": False,
    }
    return DateDataParser(languages=["en"], settings=settings)


@functools.lru_cache(maxsize=1)
def date_words() -> frozenset[str]:
    """Return the words dateparser may be given: calendar words, counts, units and a few joiners."""
    v = load_vocabulary()
    joiners = {
        "of",
        "the",
        "ago",
        "st",
        "nd",
        "rd",
        "th",
        "and",
        "a",
        "an",
        "in",
        "on",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "t",
        "z",
        "am",
        "pm",
        "utc",
        "gmt",
    }
    return frozenset(v.months) | set(v.weekdays) | set(v.numbers) | set(v.ordinals) | set(v.deictic) | joiners


def only_date_words(text: str) -> bool:
    """True when every word is a date word and one names a month or weekday, or digits are joined like a date.

    So "Black Monday", "We" or "five" never reach dateparser.
    """
    v = load_vocabulary()
    tokens = re.findall(r"[a-z]+", text)
    if not all(t in date_words() for t in tokens):
        return False
    if re.search(r"\d\s*-\s*\d", text) and not re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return False  # a range ("July 21-23") no rule read: dateparser takes "23" for a year
    return any(t in v.months or t in v.weekdays for t in tokens) or bool(re.search(r"\d[/.]\d+[/.]\d", text))


# Tried in this order; the first rule that returns a value (a date or "no date") answers.
RULES: tuple[tuple[str, Rule], ...] = (
    ("recent", relative.recent),
    ("anaphor", relative.anaphor),
    ("named_day", absolute.named_day),
    ("not_a_date", not_a_date),
    ("iso_date", absolute.iso_date),
    ("numeric_date", absolute.numeric_date),
    ("month_day_year", absolute.month_day_year),
    ("month_year", absolute.month_year),
    ("month_day", absolute.month_day),
    ("relative_month", absolute.relative_month),
    ("year", absolute.year_only),
    ("spelled_year", absolute.spelled_year),
    ("holiday", absolute.holiday),
    ("deictic_day", relative.deictic_day),
    ("weekday", relative.weekday),
    ("week_of_month", week_of_month),
    ("deictic_unit", relative.deictic_unit),
    ("ordinal_period", relative.ordinal_period),
    ("season", relative.season),
    ("quarter", relative.quarter),
    ("offset", relative.offset),
    ("comparative", relative.comparative),
    ("offset_ahead", relative.offset_ahead),
    ("part_of_period", part_of_period),
    ("dateparser", with_dateparser),
)


def cleaned_with_before(expression: str, before: str) -> tuple[str, str]:
    """Return the cleaned expression and the words before it, counting the leading words cleaning removed."""
    text = cleaned(expression)
    removed = normalise(expression)[: max(0, len(normalise(expression)) - len(text))]
    return text, " ".join((before + " " + removed).split())


def resolve_text(text: str, ctx: Context) -> DateValue:
    """Return the value of a cleaned expression: the answer of the first rule that gives one, else no date."""
    return rule_answer(text, ctx)[1]


def rule_answer(text: str, ctx: Context) -> tuple[str, DateValue]:
    """Return (name of the rule that answered, value) for a cleaned expression; ("", no date) when none did."""
    for name, rule in RULES:
        try:
            value = rule(text, ctx)
        except (ValueError, OverflowError, KeyError, StopIteration, IndexError) as error:
            log.debug("rule %s failed on %r: %s", name, text, error)
            continue
        if value is not None:
            return name, within_range(value, ctx.published, written=bool(value) and value.value[:4] in text)
    return "", NO_DATE


@functools.lru_cache(maxsize=65536)
def resolve_in_context(expression: str, ctx: Context) -> DateValue:
    """Return the value of an expression in its context (cached: news repeats its date expressions)."""
    text, before = cleaned_with_before(expression, ctx.before)
    return resolve_text(text, replace(ctx, before=before) if before != ctx.before else ctx)


def resolve_expression(expression: str, published: date, tense: str = "past", sentence: str = "") -> DateValue:
    """Return the value of a date expression read on ``published``, e.g. ``resolve_expression("on Thursday", date(2023, 2, 23))``.

    ``tense`` ("past", "present" or "future") is that of the clause holding the
    expression; ``sentence``, when given, supplies the words right after it
    ("October" in "after October of next year").
    """
    tense = tense if tense in TENSES else "past"
    at = sentence.find(expression) if expression else -1
    after = words_after_offset(sentence, at + len(expression)) if at >= 0 else ""
    before = words_before_offset(sentence, at) if at >= 0 else ""
    return resolve_in_context(expression, Context(published, tense, after=after, before=before))


def words_after_offset(text: str, offset: int) -> str:
    """Return the year phrase that follows a character offset ("of next year", ", 2021"), or "" (the only words rules read there)."""
    match = YEAR_PHRASE.match(text, offset)
    return normalise(match.group()) if match else ""


def words_before_offset(text: str, offset: int) -> str:
    """Return the word before a character offset when rules read it ("since", "over"), else ""."""
    match = re.search(r"([A-Za-z]+)\W*$", text[max(0, offset - 30) : offset])
    word = match.group(1).lower() if match else ""
    v = load_vocabulary()
    return word if word in v.boundary_prepositions or word in v.duration_prepositions else ""
