"""Date values at a stated precision, and the calendar arithmetic the rules need."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

PRECISIONS = ("day", "week", "month", "year", "none")
# Values outside these years are refused: a year computed to lie before 1900 is
# a misreading (a year written in digits may go back to WRITTEN_FIRST_YEAR:
# "established diplomatic relations in 1861"), and a year computed further ahead than YEARS_AHEAD ("in ten
# years") is a misreading or a vague horizon. A year written in digits is taken
# as written up to WRITTEN_YEARS_AHEAD ("deliveries between 2014 and 2016" in
# 2007, "net zero by 2050"); events keep to YEARS_AHEAD (``anchor.py``): plans
# further ahead are not timeline events.
FIRST_YEAR = 1900
WRITTEN_FIRST_YEAR = 1800
YEARS_AHEAD = 5
WRITTEN_YEARS_AHEAD = 50


@dataclass(frozen=True)
class DateValue:
    """A resolved date: ``value`` at ``precision``, e.g. ``DateValue("2023-02", "month")``."""

    value: str  # "2023-02-23" | "2023-W08" | "2023-02" | "2023" | ""
    precision: str  # "day" | "week" | "month" | "year" | "none"

    def __bool__(self) -> bool:
        return self.precision != "none"


NO_DATE = DateValue("", "none")


def day_value(day: date) -> DateValue:
    """Return a day, e.g. ``day_value(date(2023, 2, 23))`` is ``2023-02-23``."""
    return DateValue(day.isoformat(), "day")


def week_value(day: date) -> DateValue:
    """Return the ISO week holding ``day``, e.g. ``2023-W08`` for 2023-02-23."""
    year, week, _ = day.isocalendar()
    return DateValue(f"{year}-W{week:02d}", "week")


def month_value(year: int, month: int) -> DateValue:
    """Return a month, e.g. ``month_value(2023, 3)`` is ``2023-03``."""
    return DateValue(f"{year:04d}-{month:02d}", "month")


def year_value(year: int) -> DateValue:
    """Return a year, e.g. ``year_value(2023)`` is ``2023``."""
    return DateValue(f"{year:04d}", "year")


def at_precision(day: date, precision: str) -> DateValue:
    """Return ``day`` cut to ``precision``, e.g. ``at_precision(date(2023, 2, 23), "month")`` is ``2023-02``."""
    builders = {"day": day_value, "week": week_value, "month": lambda d: month_value(d.year, d.month), "year": lambda d: year_value(d.year)}
    build = builders.get(precision)
    return build(day) if build else NO_DATE


def without_week(value: DateValue) -> DateValue:
    """Return a week as the month holding most of it (its Thursday's), other values as they are.

    For tables whose dates are days, months or years only: ``without_week(DateValue("2023-W09", "week"))`` is ``2023-03``.
    """
    if value.precision != "week":
        return value
    thursday = date.fromisocalendar(int(value.value[:4]), int(value.value[6:8]), 4)
    return month_value(thursday.year, thursday.month)


def first_day(value: DateValue) -> date | None:
    """Return the first day a value covers, or None for no date."""
    text = value.value
    if value.precision == "day":
        return date.fromisoformat(text)
    if value.precision == "week":
        return date.fromisocalendar(int(text[:4]), int(text[6:8]), 1)
    if value.precision == "month":
        return date(int(text[:4]), int(text[5:7]), 1)
    if value.precision == "year":
        return date(int(text[:4]), 1, 1)
    return None


def coarser(precision: str) -> str:
    """Return the next coarser precision: day -> month -> year -> none (a week is coarsened to a month)."""
    return {"day": "month", "week": "month", "month": "year"}.get(precision, "none")


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by whole months, the day clipped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1] if 1 <= year <= 9999 else 28
    return date(year, month + 1, min(day.day, last))


def shift(day: date, days: int = 0, months: int = 0) -> date:
    """Return ``day`` moved by days and months."""
    return add_months(day, months) + timedelta(days=days)


def safe_date(year: int, month: int, day: int) -> date | None:
    """Return the date, or None when it does not exist (Feb 30, month 13)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def within_range(value: DateValue, published: date, written: bool = False) -> DateValue:
    """Return the value if its year lies in 1900 .. publication year + 5 (1800 .. + 50 when ``written`` in digits), else
    no date."""
    if not value:
        return NO_DATE
    year, first = int(value.value[:4]), WRITTEN_FIRST_YEAR if written else FIRST_YEAR
    return value if first <= year <= published.year + (WRITTEN_YEARS_AHEAD if written else YEARS_AHEAD) else NO_DATE


def is_near(value: DateValue, published: date) -> bool:
    """True when a value lies no further than ``YEARS_AHEAD`` years after the publication year."""
    return int(value.value[:4]) <= published.year + YEARS_AHEAD if value else False
