"""The date words of ``data/dates.yaml``, loaded once, with the regular expression pieces built from them."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

DATES_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "dates.yaml"


@dataclass(frozen=True)
class Vocabulary:
    """Date words with their meaning, and regular expression alternations over them."""

    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    vague_numbers: dict[str, int]
    ordinals: dict[str, int]
    units: dict[str, dict[str, Any]]
    vague_precision: dict[str, str]
    deictic: dict[str, int]
    needs_antecedent: frozenset[str]
    today: frozenset[str]
    yesterday: frozenset[str]
    tomorrow: frozenset[str]
    day_parts: tuple[str, ...]
    period_parts: tuple[str, ...]
    period_starts: frozenset[str]
    boundary_prepositions: frozenset[str]
    duration_prepositions: frozenset[str]
    seasons: dict[str, tuple[int, int]]
    recent: frozenset[str]
    anaphors_same: frozenset[str]
    whole_year: frozenset[str]
    anaphors_year_back: frozenset[str]
    holidays: dict[str, tuple[int, int]]
    named_days: dict[str, date]
    non_dates: re.Pattern[str]
    tense: dict[str, frozenset[str]]
    anchor: dict[str, frozenset[str]]
    month: str  # alternations, longest word first, for use inside larger patterns
    weekday: str
    count: str
    ordinal: str
    unit: str
    season: str


def normalise(text: str) -> str:
    """Return an expression in the form the rules read, e.g. ``normalise("On Feb. 22 , 2023")`` is ``"on feb 22, 2023"``."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    text = re.sub(r"[–—−]", "-", text)
    text = re.sub(r"\s*'\s*s\b", "", text)  # possessive: "july's", "monday 's"
    text = re.sub(r"\b([a-z]{2,5})\.(?=\s|,|$)", r"\1", text)  # "feb." "sept."
    text = re.sub(r"\bmid-?(?=[a-z0-9])", "mid ", text)
    text = re.sub(r"\s*,\s*", ", ", text)
    text = re.sub(r"\s+", " ", text)
    text = text.strip(' .,;:!?"()[]{}-')
    return text if re.match(r"'\d", text) else text.strip("'")


def alternation(words: object) -> str:
    """Return a regex alternation of words, longest first, spaces matching any whitespace."""
    ordered = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def non_date_pattern(patterns: list[str], count: str, unit_plural: str) -> re.Pattern[str]:
    """Return one pattern for the non-date expressions, with ``{count}`` and ``{units}`` filled in."""
    filled = [p.replace("{count}", f"(?:{count})").replace("{units}", f"(?:{unit_plural})") for p in patterns]
    return re.compile("|".join(f"(?:{p})" for p in filled))


def words(spec: dict[str, Any], key: str) -> frozenset[str]:
    """Return a list of the file as a set of normalised words."""
    return frozenset(normalise(w) for w in spec.get(key, []))


@functools.lru_cache(maxsize=1)
def load_vocabulary(path: Path = DATES_FILE) -> Vocabulary:
    """Return the vocabulary of the dates file, e.g. ``load_vocabulary().months["feb"]`` is 2."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    numbers = {str(k): int(v) for k, v in spec["numbers"].items()}
    vague = {str(k): int(v) for k, v in spec["vague_numbers"].items()}
    count = rf"\d+|{alternation(list(numbers) + list(vague))}"
    units = spec["units"]
    unit_plural = "|".join(f"{u}s" for u in units) + "|hours|minutes|centuries"
    return Vocabulary(
        months=dict(spec["months"]),
        weekdays=dict(spec["weekdays"]),
        numbers=numbers,
        vague_numbers=vague,
        ordinals={str(k): int(v) for k, v in spec["ordinals"].items()},
        units=units,
        vague_precision=dict(spec["vague_precision"]),
        deictic=dict(spec["deictic"]),
        needs_antecedent=words(spec, "needs_antecedent"),
        today=words(spec, "today"),
        yesterday=words(spec, "yesterday"),
        tomorrow=words(spec, "tomorrow"),
        day_parts=tuple(spec["day_parts"]),
        period_parts=tuple(sorted(words(spec, "period_parts"), key=len, reverse=True)),
        period_starts=words(spec, "period_starts"),
        boundary_prepositions=words(spec, "boundary_prepositions"),
        duration_prepositions=words(spec, "duration_prepositions"),
        seasons={k: (v[0], v[1]) for k, v in spec["seasons"].items()},
        recent=words(spec, "recent"),
        anaphors_same=words(spec, "anaphors_same"),
        whole_year=words(spec, "whole_year"),
        anaphors_year_back=words(spec, "anaphors_year_back"),
        holidays={normalise(k): (v[0], v[1]) for k, v in spec["holidays"].items()},
        named_days={normalise(str(k)): date.fromisoformat(str(v)) for k, v in spec["named_days"].items()},
        non_dates=non_date_pattern(spec["non_dates"], count, unit_plural),
        tense={k: frozenset(str(w) for w in v) for k, v in spec["tense"].items()},
        anchor={k: frozenset(str(w) for w in v) for k, v in spec["anchor"].items()},
        month=alternation(spec["months"]),
        weekday=alternation(spec["weekdays"]),
        count=count,
        ordinal=alternation(spec["ordinals"]),
        unit=rf"(?:{'|'.join(units)})s?",
        season=alternation(spec["seasons"]),
    )
