"""Rules for expressions resolved against the publication date or an earlier date in the sentence.

"on Thursday", "yesterday", "last week", "two years ago", "this spring", "the
first quarter of 2022", "the last week of March", "the same period last year".
Each rule takes a normalised expression and its context and returns a DateValue,
or None when the expression is not of its form.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.dates.context import Context, last_day, weekday_in_direction
from pipeline.dates.values import (
    NO_DATE,
    DateValue,
    at_precision,
    coarser,
    day_value,
    first_day,
    month_value,
    shift,
    week_value,
    year_value,
)
from pipeline.dates.vocabulary import Vocabulary, alternation, load_vocabulary

# "a few days" and other vague counts are assumed to mean this many units when a date is built on them.
DEFAULT_VAGUE_COUNT = 3


@dataclass(frozen=True)
class Forms:
    """Compiled patterns of the relative forms."""

    weekday: re.Pattern[str]
    unit: re.Pattern[str]
    week_of_month: re.Pattern[str]
    ordinal_period: re.Pattern[str]
    offset: re.Pattern[str]
    comparative: re.Pattern[str]
    offset_ahead: re.Pattern[str]
    offset_from_now: re.Pattern[str]
    season: re.Pattern[str]
    quarter: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def forms() -> Forms:
    """Return the relative patterns built from the vocabulary."""
    v = load_vocabulary()
    deictic = alternation(v.deictic)
    count, unit, ordinal = rf"(?P<count>{v.count})", rf"(?P<unit>{v.unit})", rf"(?P<ord>{v.ordinal})"
    parts = "|".join(v.day_parts)
    year_words = r"(?:,?\s+(?:of\s+)?(?:the\s+)?(?P<year>\d{4}|(?:this|last|next|the|the\s+current|the\s+previous)\s+year|year))"
    return Forms(
        weekday=re.compile(
            rf"(?:(?P<rel>last|next|this|this\s+past|this\s+coming|coming|past)\s+)?(?P<weekday>{v.weekday})"
            rf"(?:\s+(?:{parts}))?(?:\s+(?P<week>last|next|this)\s+week)?"
        ),
        unit=re.compile(
            rf"(?:(?:the\s+)?(?P<rel>{deictic})\s+)?(?:fiscal\s+)?(?P<unit>day|week|weekend|month|year|quarter|{parts})(?:\s+(?P<post>ahead|before|previous|earlier))?"
        ),
        week_of_month=re.compile(rf"(?:the\s+)?{ordinal}\s+week\s+(?:of|in)\s+(?P<rest>.+)"),
        ordinal_period=re.compile(
            rf"(?:for\s+)?(?:a\s+|the\s+)?{ordinal}\s+(?P<mod>consecutive\s+|straight\s+|successive\s+|running\s+)?"
            rf"(?P<unit>day|week|month|year)(?P<row>\s+in\s+a\s+row|\s+running)?"
        ),
        offset=re.compile(
            rf"(?:(?:about|almost|nearly|some|more\s+than|over|just|only)\s+)?{count}\s+{unit}\s+(?P<dir>ago|earlier|before|later|after|into|back)"
        ),
        comparative=re.compile(rf"{count}\s+{unit}\s+(?:later|earlier|sooner)\s+than\b.*"),
        offset_ahead=re.compile(rf"(?:in|within\s+the\s+next)\s+{count}\s+{unit}"),
        offset_from_now=re.compile(rf"{count}\s+{unit}\s+(?:from\s+now|hence|ahead)"),
        season=re.compile(rf"(?:(?P<rel>{deictic}|this\s+past|this\s+coming)\s+)?(?P<season>{v.season})(?:\s+season)?{year_words}?"),
        quarter=re.compile(rf"(?:the\s+)?(?:(?P<rel>{deictic})\s+|{ordinal}\s+|q(?P<q>[1-4])\s*)(?P<kind>quarter|half)?{year_words}?"),
    )


def number_of(word: str, v: Vocabulary) -> tuple[int, bool]:
    """Return (count, vague) for a count word: ``number_of("three")`` is (3, False), ``number_of("several")`` (4, True)."""
    word = " ".join(word.split())
    if word.isdigit():
        return int(word), False
    if word in v.vague_numbers:
        return v.vague_numbers[word], True
    return v.numbers[word], False


def moved(day: date, unit: str, count: int) -> date:
    """Return ``day`` moved by ``count`` units (negative moves back)."""
    spec = load_vocabulary().units[unit]
    return shift(day, days=spec.get("days", 0) * count, months=spec.get("months", 0) * count)


def unit_name(word: str) -> str:
    """Return a unit's singular name: ``unit_name("weeks")`` is "week"."""
    return word[:-1] if word.endswith("s") else word


# --- days -------------------------------------------------------------------


def deictic_day(text: str, ctx: Context) -> DateValue | None:
    """``today``, ``now``, ``this morning``, ``yesterday``, ``tomorrow``, ``the day before yesterday``."""
    v = load_vocabulary()
    offsets = {"the day before yesterday": -2, "the day after tomorrow": 2}
    if text in offsets:
        return day_value(ctx.published + timedelta(days=offsets[text]))
    for words, days in ((v.today, 0), (v.yesterday, -1), (v.tomorrow, 1)):
        if text in words or any(text == f"{w} {p}" for w in words for p in v.day_parts):
            return day_value(ctx.published + timedelta(days=days))
    return None


def weekday(text: str, ctx: Context) -> DateValue | None:
    """``on Thursday``, ``last Friday``, ``Monday night``, ``Friday next week``: the day the tense points at.

    ``this Monday`` is the Monday of the publication week.
    """
    m = forms().weekday.fullmatch(text)
    if not m:
        return None
    target = load_vocabulary().weekdays[m["weekday"]]
    rel = " ".join((m["rel"] or "").split())
    if m["week"] or rel == "this":
        monday = ctx.published - timedelta(days=ctx.published.weekday())
        return day_value(monday + timedelta(days=target + 7 * {"last": -1, "this": 0, "next": 1}[m["week"] or "this"]))
    forward = rel in ("next", "coming", "this coming") or (rel == "" and ctx.forward)
    strict = rel != ""
    return day_value(weekday_in_direction(ctx.published, target, forward, strict))


# --- weeks, months, years, quarters, seasons ---------------------------------


def deictic_unit(text: str, ctx: Context) -> DateValue | None:
    """``this week``, ``last month``, ``next year``, ``the past year``, ``the year`` (the publication year), ``this weekend``.

    A fiscal year is given as the calendar year it is named from: ``this fiscal year``, ``the current fiscal year``.
    """
    m = forms().unit.fullmatch(text)
    if not m or (m["post"] and m["rel"] not in (None, "the")):
        return None
    v = load_vocabulary()
    if m["rel"] in ("past", "last") and text.startswith("the ") and last_word(ctx.before) in v.duration_prepositions:
        return NO_DATE  # "over the past year": a stretch up to now
    rel = m["rel"] or "the"
    step = (1 if m["post"] == "ahead" else -1) if m["post"] else v.deictic[rel]
    anchor = first_day(ctx.antecedent) if rel in ("previous", "preceding", "following") or m["post"] not in (None, "ahead") else None
    if m["unit"] in ("day", *v.day_parts):  # "the next morning" is the day after the date named before
        anchor = first_day(ctx.antecedent) if rel in ("previous", "preceding", "following", "next") else None
        return day_value(anchor + timedelta(days=step)) if anchor else NO_DATE
    if rel in v.needs_antecedent and anchor is None:
        return NO_DATE
    return unit_step(anchor or ctx.published, m["unit"], step, ctx)


def last_word(text: str) -> str:
    """Return the last word of a text ("" for none)."""
    words = text.split()
    return words[-1] if words else ""


def unit_step(anchor: date, unit: str, step: int, ctx: Context) -> DateValue:
    """Return the week, weekend, month, quarter or year ``step`` units from ``anchor``."""
    if unit == "weekend":
        return weekend(anchor, step, ctx)
    if unit == "week":
        return week_value(anchor + timedelta(weeks=step))
    if unit == "month":
        day = shift(anchor, months=step)
        return month_value(day.year, day.month)
    if unit == "quarter":
        return year_value(shift(anchor, months=3 * step).year)
    return year_value(anchor.year + step)


def weekend(anchor: date, step: int, ctx: Context) -> DateValue:
    """Return the week of the weekend meant: "this weekend" read on a Monday in a past clause is the one just gone."""
    saturday = weekday_in_direction(anchor, 5, forward=step > 0 or (step == 0 and ctx.forward))
    if step == 0 and not ctx.forward and anchor.weekday() < 5:
        saturday = weekday_in_direction(anchor, 5, forward=False)
    elif step < 0:
        saturday = weekday_in_direction(anchor, 5, forward=False, strict=True)
    return week_value(saturday)


def month_weeks(year: int, month: int) -> list[date]:
    """Return the Mondays of the ISO weeks that have at least four days in the month."""
    first = date(year, month, 1)
    monday = first - timedelta(days=first.weekday())
    end = last_day(year, month)
    weeks = []
    while monday <= end:
        inside = sum(1 for i in range(7) if (monday + timedelta(days=i)).month == month)
        if inside >= 4:
            weeks.append(monday)
        monday += timedelta(weeks=1)
    return weeks


def ordinal_period(text: str, ctx: Context) -> DateValue | None:
    """``a second consecutive day``, ``fourth week in a row``, ``a third straight year``: the current period."""
    m = forms().ordinal_period.fullmatch(text)
    if not m or (text.startswith("the ") and not (m["mod"] or m["row"])):
        return None
    return at_precision(ctx.published, m["unit"])


def season(text: str, ctx: Context) -> DateValue | None:
    """``this spring``, ``last summer``, ``the winter of 2022``: the year of the season's last month."""
    m = forms().season.fullmatch(text)
    if not m:
        return None
    first, last = load_vocabulary().seasons[m["season"]]
    if m["year"]:
        return year_of_words(m["year"], ctx)
    if not m["rel"]:
        return NO_DATE  # a bare season word is mostly a modifier: "winter wheat"
    rel = " ".join(m["rel"].split())
    spans = season_spans(first, last, ctx.published.year)
    return year_value(pick_span(spans, ctx.published, rel, ctx.forward)[1].year)


def season_spans(first: int, last: int, year: int) -> list[tuple[date, date]]:
    """Return (first day, last day) of a season in the years around ``year``."""
    return [(date(y - (first > last), first, 1), last_day(y, last)) for y in range(year - 2, year + 3)]


def pick_span(spans: list[tuple[date, date]], published: date, rel: str, forward: bool) -> tuple[date, date]:
    """Return the span a deictic word picks: "last" ended before, "next" starts after, "this" holds or is nearest in the tense."""
    step = load_vocabulary().deictic.get(rel, 0) if rel not in ("this past", "this coming") else (-1 if "past" in rel else 1)
    if step < 0:
        return [s for s in spans if s[1] < published][-1]
    if step > 0:
        return next(s for s in spans if s[0] > published)
    holding = [s for s in spans if s[0] <= published <= s[1]]
    if holding:
        return holding[0]
    return next(s for s in spans if s[0] > published) if forward else [s for s in spans if s[1] < published][-1]


def year_of_words(words: str, ctx: Context) -> DateValue:
    """Return the year a trailing year phrase names: "2022", "last year", "the year"."""
    words = " ".join(words.split())
    if words.isdigit():
        return year_value(int(words))
    step = {"last": -1, "next": 1, "the previous": -1}.get(words.rsplit(" ", 1)[0], 0)
    return year_value(ctx.published.year + step)


def quarter(text: str, ctx: Context) -> DateValue | None:
    """``the first quarter of 2022``, ``Q3``, ``last quarter``, ``the second half of the year``: the year it falls in.

    A quarter without a year is the nearest one: "third quarter earnings" in October are the quarter just ended.
    """
    m = forms().quarter.fullmatch(text)
    if not m or not (m["kind"] or m["q"]) or (m["rel"] and m["ord"]):
        return None
    if m["year"]:
        return year_of_words(m["year"], ctx)
    if m["rel"]:
        return unit_step(ctx.published, "quarter", load_vocabulary().deictic[m["rel"]], ctx) if m["kind"] == "quarter" else None
    index = int(m["q"]) if m["q"] else load_vocabulary().ordinals[m["ord"]]
    months = 6 if m["kind"] == "half" else 3
    count = 12 // months
    index = count if index < 0 else index
    if not 1 <= index <= count:
        return None
    first = (index - 1) * months + 1
    spans = [(date(y, first, 1), last_day(y, first + months - 1)) for y in range(ctx.published.year - 2, ctx.published.year + 3)]
    return year_value(nearest_span(spans, ctx.published)[1].year)


def nearest_span(spans: list[tuple[date, date]], published: date) -> tuple[date, date]:
    """Return the span holding the publication date, else the one whose nearer edge is closest."""
    return min(spans, key=lambda s: 0 if s[0] <= published <= s[1] else min(abs(s[0] - published), abs(s[1] - published)).days)


# --- offsets, vague and anaphoric time --------------------------------------


def offset(text: str, ctx: Context) -> DateValue | None:
    """``two years ago``, ``a week ago``, ``three days earlier``, ``one year into`` (the war), ``days after`` (a clause)."""
    v = load_vocabulary()
    m = forms().offset.fullmatch(text) or re.fullmatch(r"(?P<count>)(?P<unit>(?:day|week|month|year)s)\s+(?P<dir>after|ago|into)", text)
    if not m:
        return None
    unit = unit_name(m["unit"])
    count, vague = number_of(m["count"], v) if m["count"] else (DEFAULT_VAGUE_COUNT, True)
    precision = v.units[unit]["precision"]
    precision = v.vague_precision[precision] if vague else precision
    if m["dir"] == "into":
        return at_precision(ctx.published, v.units[unit]["into"])
    if m["dir"] in ("after", "before"):
        return offset_relation(m["dir"], unit, count, v.units[unit]["precision"], ctx)
    if m["dir"] == "later":
        anchor = first_day(ctx.antecedent)
        return at_precision(moved(anchor, unit, count), precision) if anchor else NO_DATE
    return offset_back(m["dir"], unit, count, precision, ctx)


def comparative(text: str, ctx: Context) -> DateValue | None:
    """``three days later than planned`` stands beside the date it qualifies: that date (none without one)."""
    return (ctx.antecedent or NO_DATE) if forms().comparative.fullmatch(text) else None


def offset_back(direction: str, unit: str, count: int, precision: str, ctx: Context) -> DateValue:
    """Return the date ``count`` units before now ("ago") or before the date named earlier ("earlier")."""
    anchor = first_day(ctx.antecedent) if direction == "earlier" and ctx.antecedent else ctx.published
    assert anchor is not None
    if direction == "earlier" and ctx.antecedent:
        precision = coarsest(precision, ctx.antecedent.precision)
    return at_precision(moved(anchor, unit, -count), precision)


def offset_relation(direction: str, unit: str, count: int, precision: str, ctx: Context) -> DateValue:
    """Return the date of what "N days after" introduces: that long before now, one precision coarser (the clause may not be now)."""
    if direction == "before":
        return NO_DATE
    return at_precision(moved(ctx.published, unit, -count), coarser(precision) if precision != "year" else precision)


def offset_ahead(text: str, ctx: Context) -> DateValue | None:
    """``in two weeks``, ``three days from now``: forward from the publication date."""
    m = forms().offset_ahead.fullmatch(text) or forms().offset_from_now.fullmatch(text)
    if not m:
        return None
    v = load_vocabulary()
    unit = unit_name(m["unit"])
    count, vague = number_of(m["count"], v)
    precision = v.units[unit]["precision"]
    return at_precision(moved(ctx.published, unit, count), v.vague_precision[precision] if vague else precision)


def coarsest(a: str, b: str) -> str:
    """Return the coarser of two precisions."""
    order = ("day", "week", "month", "year", "none")
    return max(a, b, key=order.index)


def recent(text: str, ctx: Context) -> DateValue | None:
    """``recently``, ``in recent weeks``, ``the past few days``: the publication month."""
    return month_value(ctx.published.year, ctx.published.month) if text in load_vocabulary().recent else None


def anaphor(text: str, ctx: Context) -> DateValue | None:
    """``the same day``, ``that year`` (the date named before), ``the entire year`` (its year, else this year).

    Also ``the year previous`` and ``the same period last year``: the date named before, a year back.
    """
    v = load_vocabulary()
    if text in v.whole_year:
        return year_value(int(ctx.antecedent.value[:4]) if ctx.antecedent else ctx.published.year)
    if text in v.anaphors_same:
        return ctx.antecedent or NO_DATE
    if text in v.anaphors_year_back:
        return year_back(ctx.antecedent) if ctx.antecedent else year_value(ctx.published.year - 1)
    return None


def year_back(value: DateValue) -> DateValue:
    """Return the same period a year before ``value``."""
    start = first_day(value)
    assert start is not None
    if value.precision == "week":
        return week_value(start - timedelta(weeks=52))
    return at_precision(shift(start, months=-12), value.precision)
