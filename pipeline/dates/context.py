"""What an expression is resolved against: the publication date, the tense, and the sentence around it."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.dates.values import NO_DATE, DateValue, safe_date

TENSES = ("past", "present", "future")
# A day and month without a year looking back may still lie a little ahead:
# "the deadline was set for June 1" in a May article. Looking forward, a date
# a little behind is still this year's ("said it would meet on Feb 20" in a
# Feb 23 article). Calibrated on the MEANTIME dev rows, checked on the seed.
BACKWARD_SLACK = timedelta(days=60)
FORWARD_SLACK = timedelta(days=14)
# Plans more than half a year ahead are written with their year; a future
# clause naming a day further ahead is more likely a past date misread as
# future ("intervention since February 22" in April), so the nearest is taken.
FORWARD_REACH = timedelta(days=183)
# The year phrase right after an expression: "October of next year", "June 5, 2021".
YEAR_PHRASE = re.compile(r"\s*,?\s*(?:of\s+)?(?:(?P<rel>this|last|next)\s+year|(?P<year>(?:19|20)\d\d)\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Context:
    """An expression's anchor: publication date, clause tense, the words around it, the date named before it."""

    published: date
    tense: str = "past"
    after: str = ""
    antecedent: DateValue = NO_DATE
    before: str = ""

    @property
    def forward(self) -> bool:
        """True when the clause looks forward (future tense)."""
        return self.tense == "future"


def weekday_in_direction(published: date, weekday: int, forward: bool, strict: bool = False) -> date:
    """Return the nearest ``weekday`` on or before (after when ``forward``) the publication day; ``strict`` skips the day itself."""
    if forward:
        delta = (weekday - published.weekday()) % 7 or (7 if strict else 0)
        return published + timedelta(days=delta)
    delta = (published.weekday() - weekday) % 7 or (7 if strict else 0)
    return published - timedelta(days=delta)


def month_in_direction(published: date, month: int, forward: bool, strict: bool = False) -> tuple[int, int]:
    """Return (year, month) of the nearest ``month`` at or before (after when ``forward``) the publication month."""
    year = published.year
    if forward:
        ahead = month > published.month or (month == published.month and not strict)
        return (year if ahead else year + 1), month
    behind = month < published.month or (month == published.month and not strict)
    return (year if behind else year - 1), month


def day_in_direction(published: date, month: int, day: int, forward: bool) -> date | None:
    """Return the day and month in the year that fits the direction, e.g. Dec 11 read in January is last December's."""
    candidates = [d for y in (published.year - 1, published.year, published.year + 1) if (d := safe_date(y, month, day))]
    if forward:
        ahead = next((d for d in candidates if d >= published - FORWARD_SLACK), None)
        if ahead is None or ahead - published <= FORWARD_REACH:
            return ahead
        return min(candidates, key=lambda d: abs(d - published))
    behind = [d for d in candidates if d <= published + BACKWARD_SLACK]
    return behind[-1] if behind else None


def year_after(after: str, published: date) -> int | None:
    """Return the year named right after an expression ("October of next year", "June 5, 2021"), or None."""
    match = YEAR_PHRASE.match(after)
    if not match:
        return None
    if match["year"]:
        return int(match["year"])
    return published.year + {"this": 0, "last": -1, "next": 1}[match["rel"].lower()]


def last_day(year: int, month: int) -> date:
    """Return the last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])
