"""What merging knows beyond the event types, from ``data/events/merge.yaml``: related families, day-edge words, stopwords."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

MERGE_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "events" / "merge.yaml"


@dataclass(frozen=True)
class MergeData:
    """The contents of ``data/events/merge.yaml``."""

    groups: dict[str, str]  # family -> its group of related families, e.g. "mobilization" -> "attack+coercion+mobilization"
    next_day: re.Pattern[str]  # a stated day near its end ("late Sunday")
    previous_day: re.Pattern[str]  # a stated day near its start ("early Wednesday local time")
    stopwords: frozenset[str]


def words_pattern(words: list[str]) -> re.Pattern[str]:
    """Return a pattern that finds any of the words as a whole word, ignoring case; one that finds nothing for no words."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b" if words else r"(?!)", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def merge_data(path: Path = MERGE_FILE) -> MergeData:
    """Return what ``data/events/merge.yaml`` says."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    groups = {family: "+".join(sorted(group)) for group in entries.get("related_families", []) for family in group}
    shift = entries.get("day_shift", {})
    return MergeData(
        groups,
        words_pattern(shift.get("next", [])),
        words_pattern(shift.get("previous", [])),
        frozenset(entries.get("stopwords", [])),
    )


def family_group(family: str) -> str:
    """Return the group of related families a family belongs to (a family in no group is its own)."""
    return merge_data().groups.get(family, family)
