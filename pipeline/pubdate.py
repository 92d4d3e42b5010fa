"""Publication dates: parse them from metadata, or infer them from the text when metadata has none."""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

import dateparser

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# "Feb. 22, 2023", "February 22 2023", "22 February 2023", "2023-02-22": the full dates a text may hold.
FULL_DATE = re.compile(
    rf"\b(?:(?P<month>{_MONTH_NAMES})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month2>{_MONTH_NAMES})\.?\s+(?P<year2>(?:19|20)\d\d)"
    r"|(?P<iso>(?:19|20)\d\d-\d\d-\d\d))\b",
    re.IGNORECASE,
)
# A weekday named as the day something happened: "on Thursday", "Thursday evening".
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
WEEKDAY_MENTION = re.compile(
    rf"\bon\s+{_WEEKDAY}\b|\b{_WEEKDAY.replace('weekday', 'weekday2')}\s+(?:morning|afternoon|evening|night)\b", re.IGNORECASE
)
# A weekday right after one of these words points forward from publication, not back.
FUTURE_CUE = re.compile(r"\b(will|next|to be|scheduled|plans? to|upcoming|due|expected|set to)\b[^.]{0,70}$", re.IGNORECASE)
# News appears within this many days of the latest dated photo or dateline: a named weekday further
# on is read as a day of the week before (checked on the seed and the undated demo articles).
PUBLICATION_LAG = timedelta(days=2)
# The years a publication date may have: a metadata date outside them is a placeholder or a typo ("0001-01-01"), and
# ``--published`` refuses one.
PLAUSIBLE_YEARS = range(1900, 2101)


def parse_date_value(value: object, zone: tzinfo | None = None) -> date | None:
    """Return the date of a metadata value (ISO, RFC 822, or a phrase), e.g. ``"Thu, 23 Feb 2023 10:00 GMT"``.

    A time with an offset is first moved to ``zone``, the publisher's own time zone, when it is known: the White House's
    "2022-03-06T00:56:59+00:00" is the evening of 5 March in Washington.
    """
    if isinstance(value, date):
        day = local_date(value, zone) if isinstance(value, datetime) else value
        return day if day.year in PLAUSIBLE_YEARS else None
    text = str(value or "").strip()
    if not text:
        return None
    for parse in (_iso_time, _rfc822_time):
        if (moment := parse(text)) is not None and moment.year in PLAUSIBLE_YEARS:
            return local_date(moment, zone)
    if (found := _phrase_date(text)) is not None and found.year in PLAUSIBLE_YEARS:
        return found
    return None


def local_date(moment: datetime, zone: tzinfo | None) -> date:
    """Return the calendar date of a moment in ``zone`` (when the moment has an offset and a zone is known)."""
    return moment.astimezone(zone).date() if zone is not None and moment.tzinfo is not None else moment.date()


def _iso_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _rfc822_time(text: str) -> datetime | None:
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _iso_date(text: str) -> date | None:
    moment = _iso_time(text)
    return moment.date() if moment is not None else None


def _phrase_date(text: str) -> date | None:
    if len(text) > 60 or not re.search(r"\d", text):
        return None
    parsed = dateparser.parse(text, settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


def full_dates(text: str) -> list[date]:
    """Return every complete calendar date written in a text, in order."""
    found = []
    for match in FULL_DATE.finditer(text):
        if match.group("iso"):
            value = _iso_date(match.group("iso"))
        else:
            month = MONTHS[(match.group("month") or match.group("month2")).lower().rstrip(".")]
            day = int(match.group("day") or match.group("day2"))
            year = int(match.group("year") or match.group("year2"))
            value = _safe_date(year, month, day)
        if value:
            found.append(value)
    return found


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def past_weekdays(text: str) -> set[int]:
    """Return the weekdays (0 = Monday) a text names as already past, leaving out "will ... on Friday"."""
    days = set()
    for match in WEEKDAY_MENTION.finditer(text):
        if not FUTURE_CUE.search(text[max(0, match.start() - 90) : match.start()]):
            days.add(WEEKDAYS.index((match.group("weekday") or match.group("weekday2")).lower()))
    return days


# A line that states when the page was published: "Published Saturday, March 11, 2023, 09:42 GMT".
PUBLISHED_LINE = re.compile(r"^\s*(?:published|posted|first published)\b[^\n]{0,80}", re.IGNORECASE | re.MULTILINE)


def stated_published(raw_text: str) -> date | None:
    """Return the date a "Published ..." line of the raw text states, or None."""
    for match in PUBLISHED_LINE.finditer(raw_text):
        if found := full_dates(match.group(0)):
            return found[0]
    return None


def infer_published(body: str, captions: Iterable[str] = ()) -> date | None:
    """Infer a publication date: the latest full date, or a weekday the body names up to two days after it.

    Captions are read first: photos show what already happened. For example a caption dated
    "Wednesday, Feb. 22, 2023" and a body saying "told Reuters on Thursday" give 2023-02-23.
    """
    captions = list(captions)
    anchors = full_dates(" ".join(captions)) or full_dates(body)
    if not anchors:
        return None
    latest = max(anchors)
    weekdays = past_weekdays(body)
    later = [
        latest + timedelta(days=offset)
        for offset in range(PUBLICATION_LAG.days + 1)
        if (latest + timedelta(days=offset)).weekday() in weekdays
    ]
    return max(later) if later else latest
