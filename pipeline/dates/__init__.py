"""Find date expressions in sentences and resolve them against the publication date.

``find_timexes`` finds and resolves the expressions of a parsed sentence,
``resolve_expression`` resolves one expression, ``event_date`` picks an event's
date, ``narrative_frames`` gives the date a story is set at before each of its
sentences, ``story_time`` the day before publication it is about (``story_day``)
and the dates of the occasions it names, ``timex_main`` is the ``python -m pipeline timex`` command, ``without_week``
turns a week into its month for tables that hold days, months and years only.
"""

from pipeline.dates.anchor import event_date
from pipeline.dates.find import StoryTime, Timex, find_timexes, narrative_frames, story_day, story_time
from pipeline.dates.resolve import resolve_expression
from pipeline.dates.timex_cli import timex_main
from pipeline.dates.values import DateValue, without_week

__all__ = [
    "DateValue",
    "StoryTime",
    "Timex",
    "event_date",
    "find_timexes",
    "narrative_frames",
    "resolve_expression",
    "story_day",
    "story_time",
    "timex_main",
    "without_week",
]
