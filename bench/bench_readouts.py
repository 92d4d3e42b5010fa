"""Silver check of calls and meetings on official readouts whose title names the act (issue 11).

    python bench/bench_readouts.py [N] [-v]     # the first N readouts of each corpus (default: all)

The White House and State Department releases of ../shared/corpora title many readouts by their act and counterpart:
"Readout of President Biden's Call with Prime Minister Kishida of Japan", "Secretary Blinken's Meeting with Turkish
Foreign Minister Cavusoglu". Each such title is a silver event: a call (or a meeting) between the United States and
the counterpart the title names after "with". For each release this reports whether the extractor, run on the whole
release, gives an act of the consult family (meeting, call, visit, summit), whether one has the type the title names
(a "Virtual Meeting" may be either), and whether one has both parties: an actor of the United States, and the
counterpart, recognised by the family name the title ends with or by the state the title names (read with our own
actor dictionary). Only counterparts abroad count: a title naming a head of state or government, a minister, a
monarch or a secretary general. Nobody annotated these releases: the title is the only gold.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from pipeline.actors import match_aliases  # noqa: E402
from pipeline.events_table import Event  # noqa: E402
from pipeline.extract import default_extractor, extract_events  # noqa: E402
from pipeline.ingest import read_articles  # noqa: E402
from pipeline.records import Article  # noqa: E402

CORPORA = ("whitehouse_2021_2022", "statedept_2021_2022")
TITLE = re.compile(r"\b(Call|Meeting|Phone Call|Video Call|Virtual Meeting|Telephone Call)s? [Ww]ith (?P<counterpart>.+)$")
CONSULT = frozenset({"meeting", "call", "visit", "summit"})
# A counterpart abroad is named by a state or by one of these titles ("Prime Minister Kishida", "King Abdullah");
# readouts of meetings with members of Congress or business groups are left out.
FOREIGN_TITLES = re.compile(
    r"\b(Minister|President|Prime|Premier|Chancellor|King|Queen|Emir|Prince|Sultan|Secretary[- ]General|Taoiseach)\b"
)
HOME = "USA"


@dataclass(frozen=True)
class Readout:
    """A release whose title names a call or meeting, with the types it allows and the counterpart's marks."""

    article: Article
    types: frozenset[str]
    surname: str
    countries: frozenset[str]


def titled_act(title: str) -> tuple[frozenset[str], str] | None:
    """Return the types a readout title allows and its counterpart phrase, or None for another title."""
    found = TITLE.search(title)
    if found is None or title.startswith("Remarks") or not FOREIGN_TITLES.search(found.group("counterpart")):
        return None
    act = found.group(1).lower()
    types = frozenset({"call", "meeting"}) if act.startswith("virtual") else frozenset({"call" if "call" in act else "meeting"})
    return types, found.group("counterpart")


def counterpart_marks(phrase: str, extractor: object) -> tuple[str, frozenset[str]]:
    """Return the family name a counterpart phrase ends with (before any "of ...") and the actors it names: their ids
    and names, the United States left out ("President Zelenskyy of Ukraine": Zelenskyy; UKR, Ukraine, his id and name)."""
    name = re.split(r"\s+of\s+|,", phrase)[0].strip()
    words = re.findall(r"[A-Z][\w'-]+", name)
    surname = words[-1] if words else ""
    named = set()
    for match in match_aliases(phrase, extractor.dictionary):  # type: ignore[attr-defined]
        actor = extractor.dictionary.get(match.actor_ids[0])  # type: ignore[attr-defined]
        if actor is not None and HOME not in {actor.id, actor.country}:
            named |= {actor.id, actor.name, actor.country}
    return surname, frozenset(named - {""})


def readouts(limit: int | None, extractor: object) -> list[Readout]:
    """Return the readouts of the two corpora (the first ``limit`` of each)."""
    found = []
    for corpus in CORPORA:
        kept = 0
        for item in read_articles([SHARED / "corpora" / f"{corpus}.jsonl"]):
            if not isinstance(item, Article) or (act := titled_act(item.title)) is None:
                continue
            if limit is not None and kept >= limit:
                break
            surname, countries = counterpart_marks(act[1], extractor)
            found.append(Readout(item, act[0], surname, countries))
            kept += 1
    return found


def sides(event: Event) -> list[tuple[str, str]]:
    """Return the (name, country) of every party of an event."""
    pairs = [(event.source_actor, event.source_country), (event.target_actor, event.target_country)]
    return [p for p in pairs if p[0]] + [(name, "") for name in event.participants.split(";") if name]


def is_counterpart(name: str, country: str, readout: Readout) -> bool:
    """Return True for a party that is the title's counterpart: its family name, or a state the title names."""
    return bool(readout.surname and readout.surname.lower() in name.lower()) or country in readout.countries or name in readout.countries


def verdict(readout: Readout, events: list[Event]) -> tuple[bool, bool, bool]:
    """Return whether the release gives a consult act, one of the titled type, and one with both parties."""
    consult = [e for e in events if e.event_type in CONSULT]
    typed = [e for e in consult if e.event_type in readout.types]
    both = [
        e
        for e in typed
        if any(country == HOME or name == "United States" for name, country in sides(e))
        and any(is_counterpart(name, country, readout) for name, country in sides(e))
    ]
    return bool(consult), bool(typed), bool(both)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("limit", nargs="?", type=int, help="only the first N readouts of each corpus")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each release without both parties")
    args = parser.parse_args()
    if not (SHARED / "corpora").exists():
        print(f"skipped: {SHARED / 'corpora'} is absent (the ../shared corpora are not in a user's clone)")
        return
    extractor = default_extractor()
    counts: dict[str, Counter[str]] = {}
    for readout in readouts(args.limit, extractor):
        events = extract_events([readout.article], extractor)
        consult, typed, both = verdict(readout, events)
        corpus = readout.article.article_id.split("-")[0]
        tally = counts.setdefault(corpus, Counter())
        tally.update({"releases": 1, "consult act": consult, "titled type": typed, "both parties": both})
        if args.verbose and not both:
            found = [(e.event_type, e.source_actor, e.target_actor) for e in events if e.event_type in CONSULT]
            print(f"{readout.article.article_id}: {readout.article.title[:90]!r} -> {found[:3]}")
    for corpus, tally in sorted(counts.items()):
        n = tally["releases"]
        shares = ", ".join(f"{key} {tally[key] / n:.3f}" for key in ("consult act", "titled type", "both parties"))
        print(json.dumps(corpus) + f": {n} readouts; {shares}")


if __name__ == "__main__":
    main()
