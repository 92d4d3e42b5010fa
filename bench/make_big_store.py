"""Make a large synthetic store for the query benchmark: ``python bench/make_big_store.py --events 1000000 --store bench/out/big_store``.

The events are random but shaped like real ones: actors drawn from the dictionary with a long tail (a few states
and leaders in most events), the 22 types in proportions like the Reuters and State Department corpora, dates
over ten years at day precision mostly, one to a few mentions each. The tables, files and manifest are those an
ingest writes (pipeline.store), so every query of the store runs on it unchanged.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.store.files import Manifest, committed, write_part  # noqa: E402
from pipeline.store.kinds import dictionary_kinds  # noqa: E402
from pipeline.store.merge import event_types  # noqa: E402
from pipeline.store.schema import SCHEMAS  # noqa: E402

log = logging.getLogger("make_big_store")

FIRST_DAY = date(2015, 1, 1)
DAYS = 3653  # ten years
# Share of each type among the events of the bench corpora (rounded); the rest spread evenly.
TYPE_WEIGHTS = {
    "statement": 0.22,
    "meeting": 0.12,
    "appeal": 0.06,
    "accusation": 0.06,
    "support": 0.06,
    "agreement": 0.05,
    "aid": 0.05,
    "visit": 0.04,
    "call": 0.04,
    "sanction": 0.04,
    "attack": 0.04,
    "proposal": 0.04,
    "warning": 0.03,
}
PRECISIONS = np.array(["day", "month", "week", "year"])
PRECISION_WEIGHTS = np.array([0.85, 0.08, 0.04, 0.03])
PUBLISHERS = np.array(
    [
        "Atlas Daily",
        "Pacific Courier",
        "Harbor Post",
        "Meridian Wire",
        "North Telegraph",
        "Bluestone Ledger",
        "Reuters",
        "State Department",
        "White House",
    ]
)
CHUNK = 200_000


# The actors in most events of the bench corpora, most frequent first; the rest of the dictionary follows in a random order.
LEADING_ACTORS = (
    "United States",
    "Russia",
    "China",
    "Ukraine",
    "European Union",
    "Joe Biden",
    "Vladimir Putin",
    "Antony Blinken",
    "NATO",
    "Xi Jinping",
    "United Nations",
    "Iran",
    "Israel",
    "Japan",
    "India",
    "United Kingdom",
    "France",
    "Germany",
    "Turkey",
    "North Korea",
)


def long_tail_choice(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """Return ``size`` indices below ``n``, index k drawn with weight 1 / (k + 5): a few actors in many events, most in few."""
    weights = 1.0 / (np.arange(n) + 5.0)
    return rng.choice(n, size, p=weights / weights.sum())


def actor_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the dictionary's actor names, kinds and countries, the leading actors first."""
    kinds = dictionary_kinds()
    leading = [n for n in LEADING_ACTORS if n in kinds]
    rest = sorted(set(kinds) - set(leading))
    order = leading + list(np.random.default_rng(7).permutation(rest))
    return np.array(order), np.array([kinds[n][0] for n in order]), np.array([kinds[n][1] for n in order])


def date_columns(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Return date, date_precision, date_start and date_end columns."""
    days = np.array([FIRST_DAY + timedelta(days=int(d)) for d in rng.integers(0, DAYS, size)])
    precision = PRECISIONS[rng.choice(len(PRECISIONS), size, p=PRECISION_WEIGHTS)]
    values, starts, ends = [], [], []
    for day, p in zip(days, precision, strict=True):
        if p == "day":
            values.append(day.isoformat())
            starts.append(day)
            ends.append(day)
        elif p == "week":
            year, week, weekday = day.isocalendar()
            values.append(f"{year}-W{week:02d}")
            starts.append(day - timedelta(days=weekday - 1))
            ends.append(day + timedelta(days=7 - weekday))
        elif p == "month":
            values.append(day.isoformat()[:7])
            starts.append(day.replace(day=1))
            ends.append((day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1))
        else:
            values.append(str(day.year))
            starts.append(date(day.year, 1, 1))
            ends.append(date(day.year, 12, 31))
    return {"date": np.array(values), "date_precision": precision, "date_start": np.array(starts), "date_end": np.array(ends), "day": days}


def events_chunk(rng: np.random.Generator, first: int, size: int, actors: tuple[np.ndarray, ...]) -> tuple[pa.Table, pa.Table]:
    """Return ``size`` events numbered from ``first`` and their mentions."""
    names, kinds, countries = actors
    types = event_types()
    type_names = np.array(sorted(types))
    weights = np.array([TYPE_WEIGHTS.get(t, 0.0) for t in type_names])
    weights = np.where(weights == 0, (1 - weights.sum()) / (weights == 0).sum(), weights)
    event_type = type_names[rng.choice(len(type_names), size, p=weights / weights.sum())]
    source, target = long_tail_choice(rng, len(names), size), long_tail_choice(rng, len(names), size)
    target = np.where(target == source, (target + 1) % len(names), target)
    symmetric = np.array([types[t].symmetric for t in event_type])
    no_target = symmetric | (rng.random(size) < 0.2)
    dates = date_columns(rng, size)
    n_mentions = np.minimum(rng.geometric(0.6, size), 12)
    publisher_index = rng.integers(0, len(PUBLISHERS), size)
    ids = [f"evt-{i:016x}" for i in range(first, first + size)]
    events: dict[str, Any] = {
        "event_id": ids,
        "date": dates["date"],
        "date_precision": dates["date_precision"],
        "date_text": np.where(rng.random(size) < 0.6, "on Tuesday", ""),
        "event_type": event_type,
        "cameo_root": np.array(["0" + str(1 + i % 9) for i in range(size)]),
        "plover": np.array(["" for _ in range(size)]),
        "goldstein": np.round(rng.uniform(-10, 10, size), 1),
        "status": np.array(["occurred", "planned", "hypothetical", "denied"])[rng.choice(4, size, p=[0.8, 0.12, 0.05, 0.03])],
        "source_actor": names[source],
        "source_kind": kinds[source],
        "source_country": countries[source],
        "target_actor": np.where(no_target, "", names[target]),
        "target_kind": np.where(no_target, "", kinds[target]),
        "target_country": np.where(no_target, "", countries[target]),
        "participants": np.char.add(np.char.add(names[source].astype(str), ";"), names[target].astype(str)),
        "location": np.where(rng.random(size) < 0.3, "Brussels", ""),
        "location_country": np.where(rng.random(size) < 0.3, "BEL", ""),
        "latitude": np.where(rng.random(size) < 0.3, 50.85, np.nan),
        "longitude": np.where(rng.random(size) < 0.3, 4.35, np.nan),
        "sentence": np.char.add(
            np.char.add(names[source].astype(str), " said on Tuesday it would respond to the latest move by "), names[target].astype(str)
        ),
        "trigger": np.array(["said"] * size),
        "article_id": [f"art-{i // 2:09d}" for i in range(first, first + size)],
        "article_title": np.array(["A title of a usual length for a news article"] * size),
        "article_url": np.array(["https://example.org/news/2023/05/17/a-usual-slug"] * size),
        "publisher": PUBLISHERS[publisher_index],
        "published": np.array([d.isoformat() for d in dates["day"]]),
        "confidence": np.round(1 - np.power(0.35, n_mentions), 3),
        "source_text": names[source],
        "target_text": np.where(no_target, "", names[target]),
        "n_mentions": n_mentions,
        "n_articles": n_mentions,
        "n_publishers": np.minimum(n_mentions, 3),
        "first_seen": np.array([d.isoformat() for d in dates["day"]]),
        "last_seen": np.array([d.isoformat() for d in dates["day"]]),
        "date_start": dates["date_start"],
        "date_end": dates["date_end"],
    }
    evidence = [
        json.dumps([{"mention_id": f"{e}-m0", "sentence": s, "trigger": [0, 4]}]) for e, s in zip(ids, events["sentence"], strict=True)
    ]
    events["evidence"] = evidence
    events["block"] = np.char.add(np.char.add(event_type.astype(str), "|"), countries[source].astype(str))
    events["mention_ids"] = [[f"{e}-m{k}" for k in range(n)] for e, n in zip(ids, n_mentions, strict=True)]
    events["publishers"] = [[p] for p in PUBLISHERS[publisher_index]]
    events["actors"] = [sorted({s, t} - {""}) for s, t in zip(events["source_actor"], events["target_actor"], strict=True)]
    schema = SCHEMAS["events"]
    table = pa.table({f.name: pa.array(events[f.name], f.type) for f in schema}, schema=schema)
    return table, mentions_of(table)


def mentions_of(events: pa.Table) -> pa.Table:
    """Return one mention row per mention id of the events (the event's fields, its id as mention_id)."""
    counts = pc.list_value_length(events["mention_ids"])
    repeated = events.take(pa.array(np.repeat(np.arange(events.num_rows), counts.to_numpy())))
    columns = {f.name: repeated[f.name] for f in SCHEMAS["mentions"] if f.name in repeated.column_names}
    columns["mention_id"] = pc.list_flatten(events["mention_ids"])
    columns["content_hash"] = pc.utf8_slice_codeunits(repeated["article_id"], 0, 20)
    columns["actor_info"] = pa.array(["[]"] * repeated.num_rows)
    return pa.table({f.name: columns[f.name].cast(f.type) for f in SCHEMAS["mentions"]}, schema=SCHEMAS["mentions"])


def articles_of(mentions: pa.Table) -> pa.Table:
    """Return one article row per article the mentions come from."""
    unique = pc.unique(mentions["article_id"])
    first = pc.index_in(unique, mentions["article_id"])
    rows = mentions.take(first)
    columns = {
        "article_id": rows["article_id"],
        "content_hash": rows["content_hash"],
        "title": rows["article_title"],
        "published": rows["published"],
        "published_source": pa.array(["metadata"] * rows.num_rows),
        "publisher": rows["publisher"],
        "url": rows["article_url"],
    }
    empty = pa.array([""] * rows.num_rows)
    return pa.table({f.name: columns.get(f.name, empty) for f in SCHEMAS["articles"]}, schema=SCHEMAS["articles"])


def make_store(store: Path, events: int, seed: int) -> None:
    """Write a store of ``events`` synthetic events with their mentions and articles."""
    shutil.rmtree(store, ignore_errors=True)
    store.mkdir(parents=True)
    rng, actors = np.random.default_rng(seed), actor_table()
    event_parts, mention_files, article_files = [], [], []
    for first in range(0, events, CHUNK):
        table, mentions = events_chunk(rng, first, min(CHUNK, events - first), actors)
        event_parts.append(table)
        mention_files.append(write_part(store, "mentions", 1, mentions))
        article_files.append(write_part(store, "articles", 1, articles_of(mentions)))
        log.info("%d events made", first + table.num_rows)
    everything = pa.concat_tables(event_parts)
    order = pc.sort_indices(everything, sort_keys=[("date_start", "ascending"), ("event_id", "ascending")])
    events_file = write_part(store, "events", 1, everything.take(order))
    committed(store, Manifest(), {"articles": tuple(article_files), "mentions": tuple(mention_files), "events": (events_file,)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, default=ROOT / "bench" / "out" / "big_store")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    started = time.monotonic()
    make_store(args.store, args.events, args.seed)
    size = sum(p.stat().st_size for p in args.store.rglob("*.parquet"))
    print(json.dumps({"events": args.events, "store": str(args.store), "bytes": size, "seconds": round(time.monotonic() - started, 1)}))


if __name__ == "__main__":
    main()
