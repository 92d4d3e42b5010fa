"""The days a date covers: a stated date spans its precision (a day near its edge, "late Sunday", also the next or the previous
day); a date taken from the publication day spans that day and the one before."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.store.merge_data import merge_data

# How long before its publication an undated report's act may have happened: news reports acts of the same
# or the previous day (a story filed in the evening runs the next morning). In tests/fixtures/merge/ each of the
# 9 undated reports is of an act of its publication day or the day before; two days would also join the
# act of two days before with the same actors (Xi and Putin talked on March 20 and again on March 21).
PUBLICATION_SLACK_DAYS = 1


@dataclass(frozen=True)
class DaySpan:
    """The first and last day (both inclusive) on which a dated act may have happened."""

    start: date
    end: date

    def overlaps(self, other: DaySpan) -> bool:
        """Return True when the two spans share a day."""
        return self.start <= other.end and other.start <= self.end

    def intersection(self, other: DaySpan) -> DaySpan:
        """Return the days both spans cover (call only when they overlap)."""
        return DaySpan(max(self.start, other.start), min(self.end, other.end))


def stated_span(value: str, precision: str) -> DaySpan | None:
    """Return the days a date value covers at its precision, e.g. ``2023-02`` is Feb 1 to Feb 28; None for no date."""
    try:
        if precision == "day":
            day = date.fromisoformat(value)
            return DaySpan(day, day)
        if precision == "week":
            monday = date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
            return DaySpan(monday, shifted(monday, 6))
        if precision == "month":
            year, month = int(value[:4]), int(value[5:7])
            return DaySpan(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
        if precision == "year":
            return DaySpan(date(int(value[:4]), 1, 1), date(int(value[:4]), 12, 31))
    except ValueError:
        return None
    return None


def mention_span(value: str, precision: str, date_text: str) -> DaySpan | None:
    """Return the days a mention's act may fall on: its stated date (a day near its edge with the neighbouring day another
    time zone gives it), or the publication day and the day before."""
    span = stated_span(value, precision)
    if span is None or precision != "day":
        return span
    if not date_text:
        return DaySpan(shifted(span.start, -PUBLICATION_SLACK_DAYS), span.end)
    return day_edge_span(span, date_text)


def day_edge_span(day: DaySpan, date_text: str) -> DaySpan:
    """Return a stated day's span widened to the next day when its words put the act late in the day ("late Sunday"), to
    the previous day when early ("early Wednesday local time"): an outlet in another time zone dates it so."""
    data = merge_data()
    start = shifted(day.start, -1) if data.previous_day.search(date_text) else day.start
    end = shifted(day.end, 1) if data.next_day.search(date_text) else day.end
    return DaySpan(start, end)


def shifted(day: date, days: int) -> date:
    """Return the day ``days`` later (earlier when negative), kept within the calendar (``date.min`` to ``date.max``)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min
