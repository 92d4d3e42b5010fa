"""Rules for expressions that name the calendar: "Feb. 22, 2023", "22/02/2023", "June 18", "November 2006", "2009", "Christmas".

Each rule takes a normalised expression and its context and returns a DateValue,
or None when the expression is not of its form.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from pipeline.dates.context import Context, day_in_direction, month_in_direction, year_after
from pipeline.dates.values import DateValue, day_value, month_value, safe_date, year_value
from pipeline.dates.vocabulary import load_vocabulary

# Slashed dates are read month first (US news style) unless the first number cannot be a month.
MONTH_FIRST = True
# A two-digit year this many years past the publication year is read as last century ("'82" in 2008 is 1982).
TWO_DIGIT_YEAR_AHEAD = 5


@dataclass(frozen=True)
class Forms:
    """Compiled patterns of the calendar forms."""

    iso: re.Pattern[str]
    numeric: re.Pattern[str]
    month_day_year: re.Pattern[str]
    day_month_year: re.Pattern[str]
    month_day: re.Pattern[str]
    day_month: re.Pattern[str]
    month_year: re.Pattern[str]
    relative_month: re.Pattern[str]
    year: re.Pattern[str]
    spelled_year: re.Pattern[str]
    holiday: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def forms() -> Forms:
    """Return the calendar patterns built from the vocabulary."""
    v = load_vocabulary()
    weekday = rf"(?:(?:{v.weekday})(?:\s+(?:{'|'.join(v.day_parts)}))?,?\s+)?(?:the\s+)?"
    month, year = rf"(?P<month>{v.month})", r"(?P<year>\d{4})"
    # A range of days ("July 21-23") is read as its first day.
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:\s*(?:-|to|through|and)\s*[0-3]?\d(?:st|nd|rd|th)?(?!\d))?"
    return Forms(
        iso=re.compile(r"(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)(?:t[\d:.]+z?)?"),
        numeric=re.compile(r"(?P<a>\d{1,4})[/.](?P<b>\d{1,2})[/.](?P<c>\d{2,4})"),
        month_day_year=re.compile(rf"{weekday}{month}\s+{day},?\s+(?:of\s+)?{year}"),
        day_month_year=re.compile(rf"{weekday}{day}\s+(?:of\s+)?{month},?\s+{year}"),
        month_day=re.compile(rf"{weekday}{month}\s+{day}"),
        day_month=re.compile(rf"{weekday}{day}\s+(?:of\s+)?{month}"),
        month_year=re.compile(rf"(?:the\s+month\s+of\s+)?{month},?\s+(?:of\s+)?(?:(?P<year>\d{{4}})|(?P<rel>this|last|next)\s+year)"),
        relative_month=re.compile(rf"(?:(?P<rel>this|last|next|this\s+past|this\s+coming|the|coming|past)\s+)?(?:month\s+of\s+)?{month}"),
        year=re.compile(r"(?:(?:the\s+)?(?:calendar\s+|fiscal\s+)?year\s+|fiscal\s+|calendar\s+|fy\s?)?(?P<year>\d{4})|'(?P<short>\d\d)"),
        spelled_year=spelled_year_pattern(v.numbers),
        holiday=re.compile(
            rf"(?:(?P<rel>this|last|next|this\s+past)\s+)?(?P<name>{'|'.join(re.escape(h) for h in v.holidays)})(?:,?\s+(?P<year>\d{{4}}))?"
        ),
    )


def spelled_year_pattern(numbers: dict[str, int]) -> re.Pattern[str]:
    """Return the pattern of a year in words: "nineteen ninety-six", "twenty twenty", "two thousand and eight"."""
    units = "|".join(w for w, n in numbers.items() if 1 <= n <= 9 and w not in ("a", "an"))
    tens = "|".join(w for w, n in numbers.items() if 10 <= n <= 19 or (20 <= n <= 90 and n % 10 == 0))
    return re.compile(
        rf"(?:the\s+year\s+)?(?:(?P<century>nineteen|twenty)[\s-]+(?P<tens>{tens})(?:[\s-]+(?P<unit>{units}))?"
        rf"|two\s+thousand(?:\s+and)?(?:\s+(?P<rest>{tens}|{units}))?)"
    )


def month_number(word: str) -> int:
    """Return the month a month word names."""
    return load_vocabulary().months[word]


def iso_date(text: str, ctx: Context) -> DateValue | None:
    """``2023-02-22`` (with or without a time) is that day."""
    m = forms().iso.fullmatch(text)
    day = m and safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
    return day_value(day) if day else None


def full_year(text: str, published: date) -> int:
    """Return a four-digit year for a two- or four-digit one."""
    year = int(text)
    if len(text) > 2:
        return year
    cutoff = (published.year + TWO_DIGIT_YEAR_AHEAD) % 100
    return (published.year // 100) * 100 + year - (100 if year > cutoff else 0)


def numeric_date(text: str, ctx: Context) -> DateValue | None:
    """``7/8/07``, ``22/02/2023``, ``22.02.2023``, ``2023/02/22``: month first unless it cannot be."""
    m = forms().numeric.fullmatch(text)
    if not m:
        return None
    a, b, c = m["a"], int(m["b"]), m["c"]
    if len(a) == 4:
        day = safe_date(int(a), b, int(c))
    else:
        first, year = int(a), full_year(c, ctx.published)
        month_first = (MONTH_FIRST and "/" in text and first <= 12) or b > 12
        day = safe_date(year, first, b) if month_first else safe_date(year, b, first)
    return day_value(day) if day else None


def month_day_year(text: str, ctx: Context) -> DateValue | None:
    """``Feb. 22, 2023``, ``Wednesday, Feb. 22, 2023``, ``22 February 2023``, ``the 22nd of February, 2023``."""
    m = forms().month_day_year.fullmatch(text) or forms().day_month_year.fullmatch(text)
    day = m and safe_date(int(m["year"]), month_number(m["month"]), int(m["day"]))
    return day_value(day) if day else None


def month_day(text: str, ctx: Context) -> DateValue | None:
    """``June 18``, ``11 December``, ``Feb. 22``: the year that fits the tense, or the one named right after."""
    m = forms().month_day.fullmatch(text) or forms().day_month.fullmatch(text)
    if not m:
        return None
    month, day_number = month_number(m["month"]), int(m["day"])
    year = year_after(ctx.after, ctx.published)
    day = safe_date(year, month, day_number) if year else day_in_direction(ctx.published, month, day_number, ctx.forward)
    return day_value(day) if day else None


def month_year(text: str, ctx: Context) -> DateValue | None:
    """``November 2006``, ``Nov. of 2006``, ``October of next year``."""
    m = forms().month_year.fullmatch(text)
    if not m:
        return None
    year = int(m["year"]) if m["year"] else ctx.published.year + {"this": 0, "last": -1, "next": 1}[m["rel"]]
    return month_value(year, month_number(m["month"]))


def relative_month(text: str, ctx: Context) -> DateValue | None:
    """``in March``, ``last September``, ``next July``: the month that fits the tense or the word before it."""
    m = forms().relative_month.fullmatch(text)
    if not m:
        return None
    month, rel = month_number(m["month"]), " ".join((m["rel"] or "").split())
    year = year_after(ctx.after, ctx.published)
    if year:
        return month_value(year, month)
    if rel in ("last", "past", "this past"):
        return month_value(*month_in_direction(ctx.published, month, forward=False, strict=True))
    if rel in ("next", "coming", "this coming"):
        return month_value(*month_in_direction(ctx.published, month, forward=True, strict=True))
    if rel == "this":
        return month_value(ctx.published.year, month)
    return month_value(*month_in_direction(ctx.published, month, ctx.forward))


def year_only(text: str, ctx: Context) -> DateValue | None:
    """``2009``, ``the year 2009``, ``fiscal 2022``, ``calendar 2023``, ``'82``."""
    m = forms().year.fullmatch(text)
    if not m:
        return None
    return year_value(int(m["year"]) if m["year"] else full_year(m["short"], ctx.published))


def spelled_year(text: str, ctx: Context) -> DateValue | None:
    """``nineteen ninety-six``, ``twenty twenty``, ``two thousand and eight``: a year written in words."""
    m = forms().spelled_year.fullmatch(text)
    if not m:
        return None
    numbers = load_vocabulary().numbers
    if m["century"]:
        return year_value(numbers[m["century"]] * 100 + numbers[m["tens"]] + (numbers[m["unit"]] if m["unit"] else 0))
    return year_value(2000 + (numbers[m["rest"]] if m["rest"] else 0))


def named_day(text: str, ctx: Context) -> DateValue | None:
    """``9/11``, ``D-Day``: days known by a name, from the data file."""
    day = load_vocabulary().named_days.get(text)
    return day_value(day) if day else None


def holiday(text: str, ctx: Context) -> DateValue | None:
    """``Christmas``, ``New Year's Eve 2022``, ``last Christmas``: fixed-date holidays from the data file."""
    m = forms().holiday.fullmatch(text)
    if not m:
        return None
    month, day_number = load_vocabulary().holidays[m["name"]]
    if m["year"]:
        return day_value(date(int(m["year"]), month, day_number))
    rel = m["rel"] or ""
    forward = "next" in rel or (ctx.forward and "last" not in rel and "past" not in rel)
    day = day_in_direction(ctx.published, month, day_number, forward)
    return day_value(day) if day else None
