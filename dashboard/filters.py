"""The sidebar's filters as the store's ``EventFilter``, event types by family, a filter in words; no Streamlit here.

The widgets are bound to the URL's query parameters under the keys of ``WIDGET_KEYS`` (``?actor=Russia&type=warning``),
so a link shares the view; ``filter_from_values(st.session_state)`` turns their values into the filter.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from pipeline.store import Affiliate, EventFilter
from pipeline.store.schema import BACKGROUND_DAYS

TYPES_FILE = Path(__file__).resolve().parent.parent / "data" / "events" / "types.yaml"
# The views, as their tabs are labelled (and named in the URL: ?view=Map).
VIEWS = ("Timeline", "Actor activity", "Actor profile", "Dyad", "Tone", "Publishers", "Map", "Events", "Add articles")
PERIODS = ("auto", "day", "week", "month", "year")
STATUSES = ("occurred", "planned", "hypothetical", "denied")
# The widget keys (and URL query parameters) of the filter's list fields, in the singular as a link reads: ?actor=Russia&actor=China.
LIST_KEYS = {"actors": "actor", "countries": "country", "types": "type", "statuses": "status", "publishers": "publisher"}
# Every filter widget's key, which is also its URL query parameter.
WIDGET_KEYS = (*LIST_KEYS.values(), "members", "family", "source_only", "dates", "min_articles", "min_confidence", "q", "background")
# The affiliates a filter's description names; the others are counted.
NAMED_AFFILIATES = 8
# Longest text search kept; longer text is cut.
MAX_TEXT = 200


@functools.lru_cache(maxsize=1)
def type_families(path: Path = TYPES_FILE) -> dict[str, tuple[str, ...]]:
    """Return the event types of each family, in the order of ``data/events/types.yaml``, e.g. ``{"consult": ("meeting", ...)}``."""
    families: dict[str, list[str]] = {}
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        families.setdefault(str(entry["family"]), []).append(str(entry["type"]))
    return {family: tuple(types) for family, types in families.items()}


def family_of(event_type: str) -> str:
    """Return the family of an event type (an unknown type is its own family)."""
    return next((family for family, types in type_families().items() if event_type in types), event_type)


def type_label(event_type: str) -> str:
    """Return a type as the type menu shows it, grouped under its family: ``consult · meeting``."""
    family = family_of(event_type)
    return event_type if family == event_type else f"{family} · {event_type}"


def family_types(families: Iterable[object], types: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Return the types of the chosen families and the types chosen one by one, each once, family by family."""
    chosen = {t for family in families if isinstance(family, str) for t in type_families().get(family, ())} | set(types)
    return tuple(t for t in ordered_types() if t in chosen) + tuple(sorted(chosen - set(ordered_types())))


def ordered_types() -> tuple[str, ...]:
    """Return every event type, family by family."""
    return tuple(t for types in type_families().values() for t in types)


def selected_dates(value: Any, bounds: tuple[date | None, date | None]) -> tuple[date | None, date | None]:
    """Return the since/until of a date-range widget's value; the store's whole range (or an unfinished pick) filters nothing."""
    picked = tuple(value) if isinstance(value, (tuple, list)) else ()
    if len(picked) != 2 or not all(isinstance(d, date) for d in picked):
        return None, None
    since, until = sorted(picked)
    return (None if since == bounds[0] else since), (None if until == bounds[1] else until)


def filter_from_values(
    values: Mapping[str, Any],
    bounds: tuple[date | None, date | None] = (None, None),
    affiliates: Callable[[tuple[str, ...]], tuple[Affiliate, ...]] | None = None,
) -> EventFilter:
    """Return the filter the sidebar's widget values describe (keys as in ``WIDGET_KEYS``; missing ones filter nothing);
    ``affiliates`` gives the chosen actors' members and officials, kept unless ``members`` is off; background events are
    left out unless ``background`` is on."""
    since, until = selected_dates(values.get("dates"), bounds)
    lists = {name: tuple(str(v) for v in values.get(key) or ()) for name, key in LIST_KEYS.items()}
    lists["types"] = family_types(values.get("family") or (), lists["types"])
    with_members = affiliates is not None and bool(lists["actors"]) and values.get("members") is not False
    return EventFilter(
        **lists,
        as_source_only=bool(values.get("source_only")),
        since=since,
        until=until,
        min_articles=max(0, int(values.get("min_articles") or 0)),
        min_confidence=round(min(max(float(values.get("min_confidence") or 0.0), 0.0), 1.0), 2),
        text=str(values.get("q") or "").strip()[:MAX_TEXT],
        affiliates=affiliates(lists["actors"]) if affiliates is not None and with_members else (),
        background=bool(values.get("background")),
    )


def filter_description(f: EventFilter) -> str:
    """Return a filter in words for a download's header line, e.g. ``actors: Russia (any role); since 2023-03-01``."""
    parts = []
    if f.actors:
        parts.append(f"actors: {', '.join(f.actors)} ({'as source' if f.as_source_only else 'any role'})")
    if f.affiliates:
        parts.append(f"with their members and officials in office: {affiliates_text(f.affiliates)}")
    labels = {"countries": "countries", "types": "types", "statuses": "status", "publishers": "publishers"}
    parts += [f"{label}: {', '.join(getattr(f, name))}" for name, label in labels.items() if getattr(f, name)]
    parts += [f"since {f.since.isoformat()}"] if f.since else []
    parts += [f"until {f.until.isoformat()}"] if f.until else []
    parts += [f"at least {f.min_articles} articles"] if f.min_articles else []
    parts += [f"confidence at least {f.min_confidence:g}"] if f.min_confidence else []
    parts += [f"text contains {f.text.strip()!r}"] if f.text.strip() else []
    parts += [f"without background events (dated over {BACKGROUND_DAYS} days before their first report)"] if not f.background else []
    return "; ".join(parts) or "none (every stored event)"


def affiliates_text(affiliates: tuple[Affiliate, ...]) -> str:
    """Return affiliates in words, each name once, the first ``NAMED_AFFILIATES`` named: ``Jens Stoltenberg, KFOR and 3 more``."""
    names = list(dict.fromkeys(a.name for a in affiliates))
    more = len(names) - NAMED_AFFILIATES
    return ", ".join(names[:NAMED_AFFILIATES]) + (f" and {more} more" if more > 0 else "")


def is_default(f: EventFilter) -> bool:
    """Return True when a filter keeps every event."""
    return all(getattr(f, x.name) == x.default for x in fields(EventFilter))
