"""Analysts' corrections: kept beside the store, applied when it is read (the files and the dashboard's copy alike),
idempotent, kept through re-ingest and a new event id, shared as a file and applied to another store with
``python -m pipeline corrections``. No spaCy here."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from store_helpers import article, directed, fixed_extraction

from dashboard import queries
from dashboard.source import EventIndex, StoreSource
from pipeline.cli import main
from pipeline.store import EventFilter, ingest_articles, open_store
from pipeline.store.corrections import CORRECTIONS_FILE, Correction, add_corrections, correction_of, corrections_in, stored_corrections

MADE = "2026-12-08T02:00:00Z"


def warning_store(folder: Path) -> Path:
    """Return a store of two articles: Russia warned Poland on 2023-03-20, China met Brazil on 2023-03-21."""
    first, second = article("a1", published=date(2023, 3, 20)), article("a2", published=date(2023, 3, 21))
    rows = {"a1": [directed(first, "Russia", "Poland")], "a2": [directed(second, "China", "Brazil", "meeting")]}
    ingest_articles([first, second], folder, fixed_extraction(rows))
    return folder


def warning(store: Path) -> dict:
    """Return the stored warning as the store reads it (the first event of type ``warning``, corrected or not)."""
    return open_store(store).query("SELECT * FROM events WHERE source_actor <> 'China'").iloc[0].to_dict()


def fix(store: Path, field: str, value: str) -> Correction:
    """Return a correction of the warning's field."""
    event = warning(store)
    return Correction(event["event_id"], tuple(event["mention_ids"]), field, value, MADE)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("status", "denied", {"status": "denied"}),
        ("event_type", "threat", {"event_type": "threat"}),
        ("source_actor", "Belarus", {"source_actor": "Belarus", "participants": "Belarus;Poland", "actors": ["Belarus", "Poland"]}),
        ("target_actor", "Lithuania", {"target_actor": "Lithuania", "actors": ["Lithuania", "Russia"]}),
        ("date", "2023-02", {"date": "2023-02", "date_precision": "month", "date_start": date(2023, 2, 1), "date_end": date(2023, 2, 28)}),
    ],
)
def test_corrections_apply_to_what_the_store_reads(tmp_path: Path, field: str, value: str, expected: dict) -> None:
    store = warning_store(tmp_path)
    assert add_corrections(store, [fix(store, field, value)], 1.0) == 1
    found = warning(store)
    days = ("date_start", "date_end")
    shown = {k: (list(v) if k == "actors" else v.date() if k in days else v) for k, v in found.items() if k in expected}
    assert shown == expected
    assert open_store(store).query("SELECT count(*) AS n FROM events")["n"].iloc[0] == 2


def test_corrections_new_actor_is_found_by_the_filters(tmp_path: Path) -> None:
    store = warning_store(tmp_path)
    add_corrections(store, [fix(store, "source_actor", "Belarus")], 1.0)
    assert open_store(store).events(EventFilter(actors=("Belarus",)))["target_actor"].tolist() == ["Poland"]
    assert open_store(store).events(EventFilter(actors=("Russia",))).empty


def test_corrections_wrong_event_leaves_views_and_exports_until_restored(tmp_path: Path) -> None:
    store = warning_store(tmp_path)
    flagged = fix(store, "wrong", "true")
    add_corrections(store, [flagged], 1.0)
    assert open_store(store).events()["source_actor"].tolist() == ["China"]
    assert main(["export", "-o", str(tmp_path / "out.json"), "--store", str(store)]) == 0
    assert [e["source_actor"] for e in json.loads((tmp_path / "out.json").read_text())] == ["China"]
    add_corrections(store, [Correction(flagged.event_id, flagged.mention_ids, "wrong", "false", "2026-12-08T03:00:00Z")], 1.0)
    assert sorted(open_store(store).events()["source_actor"]) == ["China", "Russia"]


def test_corrections_applied_again_change_nothing(tmp_path: Path) -> None:
    store = warning_store(tmp_path)
    items = [fix(store, "status", "denied"), fix(store, "event_type", "threat")]
    assert add_corrections(store, items, 1.0) == 2
    generation = open_store(store).manifest().generation
    text = (store / CORRECTIONS_FILE).read_text()
    assert add_corrections(store, items, 1.0) == 0
    assert (store / CORRECTIONS_FILE).read_text() == text and open_store(store).manifest().generation == generation
    assert stored_corrections(store) == items


def test_corrections_make_a_commit_that_readers_see(tmp_path: Path) -> None:
    store = warning_store(tmp_path)
    reader = open_store(store)
    before = reader.manifest().generation
    assert reader.events(EventFilter(statuses=("denied",))).empty
    add_corrections(store, [fix(store, "status", "denied")], 1.0)
    assert reader.manifest().generation == before + 1
    assert len(reader.events(EventFilter(statuses=("denied",)))) == 1


def test_corrections_survive_reingest_and_a_new_event_id(tmp_path: Path) -> None:
    store = warning_store(tmp_path)
    add_corrections(store, [fix(store, "status", "denied")], 1.0)
    old_id = warning(store)["event_id"]
    # an earlier report of the same act joins it: the event's id is its first report's, so it changes
    earlier = article("a0", published=date(2023, 3, 20), publisher="Harbor Post")
    ingest_articles([earlier], store, fixed_extraction({"a0": [directed(earlier, "Russia", "Poland")]}))
    event = warning(store)
    assert event["event_id"] != old_id and event["n_articles"] == 2
    assert event["status"] == "denied"


def test_corrections_round_trip_to_a_rebuilt_store(tmp_path: Path) -> None:
    store = warning_store(tmp_path / "one")
    add_corrections(store, [fix(store, "status", "denied"), fix(store, "target_actor", "Lithuania")], 1.0)
    shared = tmp_path / "shared.jsonl"
    assert main(["corrections", "export", str(shared), "--store", str(store)]) == 0
    rebuilt = warning_store(tmp_path / "two")  # the same articles ingested again into a new store
    assert main(["corrections", "apply", str(shared), "--store", str(rebuilt)]) == 0
    assert main(["corrections", "apply", str(shared), "--store", str(rebuilt)]) == 0
    assert stored_corrections(rebuilt) == stored_corrections(store)
    pd.testing.assert_frame_equal(open_store(rebuilt).events(), open_store(store).events())
    assert open_store(rebuilt).events()[["status", "target_actor"]].values.tolist() == [["denied", "Lithuania"], ["occurred", "Brazil"]]


def test_corrections_file_with_a_bad_line_changes_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = warning_store(tmp_path)
    good = json.loads(json.dumps({"event_id": "evt-1", "mention_ids": [], "field": "status", "value": "denied", "made": MADE}))
    bad = {**good, "value": "maybe"}
    path = tmp_path / "fixes.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    assert main(["corrections", "apply", str(path), "--store", str(store)]) != 0
    assert "line 2: status is one of occurred, planned, hypothetical, denied, not 'maybe'" in caplog.text
    assert not (store / CORRECTIONS_FILE).exists()


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"event_id": "e", "field": "colour", "value": "red"}, "cannot correct 'colour'"),
        ({"event_id": "e", "field": "date", "value": "2023-02-30"}, "a date is YYYY-MM-DD, YYYY-MM or YYYY"),
        ({"event_id": "e", "field": "wrong", "value": "yes"}, "wrong is 'true' or 'false'"),
        ({"event_id": "", "field": "status", "value": "denied"}, "names its event"),
        ({"field": "status", "value": "denied"}, "no 'event_id'"),
        ([1, 2], "not a JSON object"),
    ],
)
def test_corrections_invalid_records_say_why(record: object, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        correction_of(record)
    assert corrections_in("not json\n")[1][0].startswith("line 1: ")


def test_corrections_reach_the_dashboards_copy_as_the_files(tmp_path: Path) -> None:
    store = warning_store(tmp_path)
    add_corrections(store, [fix(store, "source_actor", "Belarus"), fix(store, "date", "2023-02")], 1.0)
    index = EventIndex(open_store(store), background=False)
    assert index.in_memory(EventFilter())
    for f in (EventFilter(), EventFilter(actors=("Belarus",)), EventFilter(since=date(2023, 3, 1))):
        ours, theirs = queries.top_actors(index, f, "any", 10), queries.top_actors(StoreSource(open_store(store)), f, "any", 10)
        pd.testing.assert_frame_equal(ours, theirs)
    assert queries.top_actors(index, EventFilter(actors=("Belarus",)), "source", 10).to_dict("records") == [
        {"actor": "Belarus", "events": 1}
    ]
