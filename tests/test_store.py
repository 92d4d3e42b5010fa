"""The event store: incremental ingest, the merge rule across articles, merged fields, schema versions, the lock, crash
safety of a commit, filters and aggregates, and the ingest/export/stats/migrate commands. Event rows are built by hand
(tests/store_helpers.py); no spaCy here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from store_helpers import PUBLISHED, article, contents, directed, event, fixed_extraction

import pipeline.store.files as files
from dashboard.data import load_articles, load_events, load_evidence, store_generation
from pipeline.cli import main
from pipeline.events_table import COLUMNS
from pipeline.ingest import ReadOptions
from pipeline.store import (
    EXPORT_COLUMNS,
    TABLE_COLUMNS,
    EventFilter,
    StoreLockedError,
    StoreVersionError,
    ingest_articles,
    migrate,
    open_store,
)
from pipeline.store.ingest import ingest_files
from pipeline.store.merge import merged_events
from pipeline.store.rows import Extracted, mention_rows
from pipeline.store.writer import open_writer

A, B, C = article("a"), article("b", publisher="Harbor Post"), article("c", publisher="Meridian Wire")


def ingest(store: Path, articles: list, events: dict, **options: object):
    return ingest_articles(articles, store, fixed_extraction(events), **options)  # type: ignore[arg-type]


def events_of(store: Path) -> pd.DataFrame:
    return open_store(store).events()


# ---- incremental ingest ----------------------------------------------------------------------------


def test_store_ingest_twice_changes_nothing(tmp_path: Path) -> None:
    first = ingest(tmp_path, [A, B], {"a": [event(A)], "b": [event(B)]})
    before, generation = contents(tmp_path), open_store(tmp_path).summary().generation
    again = ingest(tmp_path, [A, B], {"a": [event(A)], "b": [event(B)]})
    assert (first.added, again.added, again.already_stored, again.commits) == (2, 0, 2, 0)
    assert contents(tmp_path) == before
    assert open_store(tmp_path).summary().generation == generation


def test_store_changed_article_replaces_its_mentions(tmp_path: Path) -> None:
    ingest(tmp_path, [A, B], {"a": [event(A)], "b": [event(B)]})
    changed = article("a", text="A corrected text.")
    report = ingest(tmp_path, [changed], {"a": [directed(changed, "Russia", "Finland")]})
    assert report.replaced == 1
    store = open_store(tmp_path)
    assert store.articles()["content_hash"].tolist().count(changed.content_hash) == 1
    assert len(store.articles()) == 2
    assert sorted(store.mentions()["event_type"]) == ["meeting", "warning"]
    assert events_of(tmp_path)["n_articles"].tolist() == [1, 1]


def test_store_same_text_under_another_id_is_skipped(tmp_path: Path) -> None:
    ingest(tmp_path, [A], {"a": [event(A)]})
    twin = replace(A, article_id="a-copy", origin="elsewhere.txt")
    assert ingest(tmp_path, [twin], {"a-copy": [event(twin)]}).already_stored == 1
    assert len(open_store(tmp_path).articles()) == 1


def test_store_article_without_events_is_stored_and_skipped_next_time(tmp_path: Path) -> None:
    ingest(tmp_path, [A], {})
    assert ingest(tmp_path, [A], {}).already_stored == 1
    assert open_store(tmp_path).summary().articles == 1


@pytest.mark.parametrize("batch", [1, 2, 100])
def test_store_batches_and_order_give_the_same_store(tmp_path: Path, batch: int) -> None:
    arts = [article(f"x{i}", PUBLISHED + timedelta(days=i % 3), publisher=f"P{i % 4}") for i in range(9)]
    events = {a.article_id: [event(a), directed(a, "Russia", "Ukraine", "attack", 1)] for a in arts}
    ingest(tmp_path / "one", arts, events)
    ingest(tmp_path / "batched", arts[::-1], events, batch_articles=batch)
    assert contents(tmp_path / "one") == contents(tmp_path / "batched")


def write_jsonl(path: Path, texts: dict[str, str]) -> None:
    path.write_text(
        "".join(json.dumps({"id": k, "title": k, "date": "2023-03-22", "text": v}) + "\n" for k, v in texts.items()), encoding="utf-8"
    )


def test_store_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    source, store = tmp_path / "inputs" / "in.jsonl", tmp_path / "store"
    source.parent.mkdir()
    write_jsonl(source, {"a": "Russia warned Finland.", "b": "Xi met Putin."})
    options = ReadOptions()
    first = ingest_files([source], store, fixed_extraction({}), options)
    again = ingest_files([source], store, fixed_extraction({}), options)
    assert (first.added, first.files_skipped, again.articles, again.files_skipped) == (2, 0, 0, 1)
    generation = open_store(store).summary().generation
    assert ingest_files([source.parent], store, fixed_extraction({}), options).files_skipped == 1  # the same file, through its folder
    assert open_store(store).summary().generation == generation
    write_jsonl(source, {"a": "Russia warned Finland again.", "b": "Xi met Putin."})
    changed = ingest_files([source], store, fixed_extraction({}), options)
    assert (changed.files_skipped, changed.articles, changed.already_stored, changed.replaced) == (0, 2, 1, 1)
    assert ingest_files([source], store, fixed_extraction({}), ReadOptions(published=date(2023, 3, 1))).files_skipped == 0


def test_store_file_with_an_article_not_extracted_is_read_again(tmp_path: Path) -> None:
    source, store = tmp_path / "in.jsonl", tmp_path / "store"
    write_jsonl(source, {"a": "Russia warned Finland.", "b": "Xi met Putin."})
    working = fixed_extraction({})

    def failing_on_b(articles):  # what pipeline.parallel does with an article whose extraction raised: logs it, leaves it out
        return working(a for a in articles if a.article_id != "b")

    first = ingest_files([source], store, failing_on_b, ReadOptions())
    again = ingest_files([source], store, working, ReadOptions())
    assert (first.added, again.files_skipped, again.already_stored, again.added) == (1, 0, 1, 1)
    assert ingest_files([source], store, working, ReadOptions()).files_skipped == 1


def test_store_file_that_failed_is_read_again(tmp_path: Path) -> None:
    source, store = tmp_path / "in.jsonl", tmp_path / "store"
    source.write_bytes(b"\x00\x01 not json at all")
    ingest_files([source], store, fixed_extraction({}), ReadOptions())
    assert ingest_files([source], store, fixed_extraction({}), ReadOptions()).files_skipped == 0


# ---- the merge rule --------------------------------------------------------------------------------

D = PUBLISHED


def day(offset: int) -> str:
    return (D + timedelta(days=offset)).isoformat()


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        pytest.param({"date": day(-1), "date_text": "Tuesday"}, {"date": day(-1), "date_text": "March 21"}, True, id="same day"),
        pytest.param(
            {"date": day(-1), "date_text": "Tuesday"},
            {"date": "2023-03", "date_precision": "month", "date_text": "March"},
            True,
            id="day within month",
        ),
        pytest.param(
            {"date": day(-1), "date_text": "Tuesday"},
            {"date": "2023-02", "date_precision": "month", "date_text": "February"},
            False,
            id="day outside month",
        ),
        pytest.param(
            {"date": day(-1), "date_text": "Tuesday"},
            {"date": "2023-W12", "date_precision": "week", "date_text": "this week"},
            True,
            id="day within week",
        ),
        pytest.param({"date": day(-2), "date_text": "Monday"}, {"date": day(-1), "date_text": "Tuesday"}, False, id="two days"),
        pytest.param({"date": day(-1), "date_text": "Tuesday"}, {"date": day(0)}, True, id="stated day and next day's publication"),
        pytest.param({"date": day(0), "date_text": "Wednesday"}, {"date": day(0)}, True, id="stated day and same day's publication"),
        pytest.param({"date": day(-2), "date_text": "Monday"}, {"date": day(0)}, False, id="stated day and publication two days later"),
        pytest.param({"date": day(1), "date_text": "Thursday"}, {"date": day(0)}, False, id="publication before the stated day"),
        pytest.param({"date": day(0)}, {"date": day(1)}, True, id="publications a day apart"),
        pytest.param({"date": day(0)}, {"date": day(2)}, False, id="publications two days apart"),
        pytest.param({"date": "", "date_precision": "none"}, {"date": "", "date_precision": "none"}, False, id="no dates"),
        pytest.param(
            {}, {"participants": "Xi Jinping;Vladimir Putin", "source_actor": "Xi Jinping"}, True, id="participants in another order"
        ),
        pytest.param({}, {"event_type": "call"}, True, id="same family"),
        pytest.param({}, {"event_type": "agreement"}, False, id="other family"),
        pytest.param(
            {}, {"participants": "Vladimir Putin;Xi Jinping;Russia", "source_actor": "Russia"}, True, id="a state beside its leader"
        ),
        pytest.param({}, {"participants": "Russia;China"}, True, id="states for their leaders"),
        pytest.param({}, {"participants": "Vladimir Putin;Wang Yi"}, False, id="another person of the state"),
        pytest.param({}, {"participants": "Vladimir Putin;Xi Jinping;Alexander Lukashenko"}, False, id="another participant"),
    ],
)
def test_store_merge_rule(first: dict, second: dict, same: bool) -> None:
    a, b = article("a", D), article("b", D + timedelta(days=1) if second.get("date") == day(1) else D, publisher="Harbor Post")
    rows = [row for item in (Extracted(a, (event(a, **first),)), Extracted(b, (event(b, **second),))) for row in mention_rows(item)]
    assert (len(merged_events(rows)) == 1) is same


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        pytest.param(("Russia", "Finland"), ("Russia", "Finland"), True, id="same source and target"),
        pytest.param(("Russia", "Finland"), ("Finland", "Russia"), False, id="reversed"),
        pytest.param(("Russia", "Finland"), ("Vladimir Putin", "Finland"), True, id="a state and its leader"),
        pytest.param(("Vladimir Putin", "Finland"), ("Dmitry Peskov", "Finland"), False, id="two people of a state"),
        pytest.param(("Russia", "Finland"), ("Russia", "Sweden"), False, id="other target"),
    ],
)
def test_store_merge_rule_directed(first: tuple[str, str], second: tuple[str, str], same: bool) -> None:
    a, b = article("a"), article("b", publisher="Harbor Post")
    rows = [*mention_rows(Extracted(a, (directed(a, *first),))), *mention_rows(Extracted(b, (directed(b, *second),)))]
    assert (len(merged_events(rows)) == 1) is same


def test_store_merge_keeps_visit_apart_from_meeting_with_host() -> None:
    a, b = article("a"), article("b", publisher="Harbor Post")
    visit = directed(a, "Fumio Kishida", "Ukraine", "visit")
    meeting = event(b, participants="Fumio Kishida;Volodymyr Zelensky", source_actor="Fumio Kishida")
    assert len(merged_events([*mention_rows(Extracted(a, (visit,))), *mention_rows(Extracted(b, (meeting,)))])) == 2


def test_store_merge_coarse_date_joins_one_act_of_two() -> None:
    monday, tuesday, march = article("mon", D), article("tue", D, publisher="Harbor Post"), article("mar", D, publisher="Meridian Wire")
    extra = article("tue2", D, publisher="North Telegraph")
    rows = [
        *mention_rows(Extracted(monday, (event(monday, date=day(-2), date_text="Monday"),))),
        *mention_rows(Extracted(tuesday, (event(tuesday, date=day(-1), date_text="Tuesday"),))),
        *mention_rows(Extracted(extra, (event(extra, date=day(-1), date_text="March 21"),))),
        *mention_rows(Extracted(march, (event(march, date="2023-03", date_precision="month", date_text="in March"),))),
    ]
    merged = sorted(merged_events(rows), key=lambda e: str(e["date"]))
    assert [(e["date"], e["n_articles"]) for e in merged] == [(day(-2), 1), (day(-1), 3)]


@settings(max_examples=40, deadline=None)
@given(st.permutations(list(range(8))), st.lists(st.sampled_from([-3, -2, -1, 0, 30]), min_size=8, max_size=8))
def test_store_merge_ignores_mention_order(order: list[int], offsets: list[int]) -> None:
    arts = [article(f"m{i}", D, publisher=f"P{i % 3}") for i in range(8)]
    items = [
        Extracted(a, (event(a, date=day(o), date_text="said" if o % 2 else "", date_precision="day"),))
        for a, o in zip(arts, offsets, strict=True)
    ]
    rows = [row for item in items for row in mention_rows(item)]
    shuffled = [rows[i] for i in order]
    key = lambda events: sorted((e["event_id"], tuple(e["mention_ids"])) for e in events)  # noqa: E731
    assert key(merged_events(rows)) == key(merged_events(shuffled))


# ---- the merged event ------------------------------------------------------------------------------


def test_store_merged_event_keeps_the_best_of_each_report(tmp_path: Path) -> None:
    a, b, c = (
        article("a", D),
        article("b", D + timedelta(days=1), publisher="Harbor Post"),
        article("c", D, publisher="Atlas Daily", text="Other"),
    )
    events = {
        "a": [directed(a, "Russia", "Finland", date="2023-03", date_precision="month", date_text="in March", confidence=0.6)],
        "b": [
            directed(
                b,
                "Vladimir Putin",
                "Finland",
                date=day(-1),
                date_text="Tuesday",
                location="Helsinki",
                location_country="FIN",
                latitude=60.17,
                longitude=24.94,
                confidence=0.5,
            )
        ],
        "c": [directed(c, "Russia", "Finland", location="Finland", location_country="FIN", confidence=0.9)],
    }
    ingest(tmp_path, [a, b, c], events)
    merged = events_of(tmp_path).iloc[0]
    assert len(events_of(tmp_path)) == 1
    assert (merged["date"], merged["date_precision"], merged["date_text"]) == (day(-1), "day", "Tuesday")
    assert merged["source_actor"] == "Vladimir Putin"
    assert (merged["location"], merged["latitude"]) == ("Helsinki", 60.17)
    assert (merged["n_mentions"], merged["n_articles"], merged["n_publishers"]) == (3, 3, 2)
    assert (merged["first_seen"], merged["last_seen"]) == (D.isoformat(), day(1))
    assert merged["article_id"] == "a"  # the first report
    assert {item["article_id"] for item in json.loads(merged["evidence"])} == {"a", "b", "c"}
    # Atlas Daily twice counts once, with its best report: 1 - (1 - 0.9)(1 - 0.5)
    assert merged["confidence"] == pytest.approx(0.95)
    assert list(events_of(tmp_path).columns) == list(EXPORT_COLUMNS)


def test_store_confidence_grows_with_independent_sources(tmp_path: Path) -> None:
    arts = [article(f"s{i}", D, publisher=f"Outlet {i}") for i in range(4)]
    for count in range(1, 5):
        ingest(tmp_path / str(count), arts[:count], {a.article_id: [event(a, confidence=0.5)] for a in arts})
    confidences = [events_of(tmp_path / str(n))["confidence"].iloc[0] for n in range(1, 5)]
    assert confidences == sorted(confidences) and confidences[0] == 0.5 and confidences[-1] == pytest.approx(0.938)


def test_store_event_id_stays_when_a_later_report_joins(tmp_path: Path) -> None:
    late = article("late", D + timedelta(days=1), publisher="Harbor Post")
    ingest(tmp_path, [A], {"a": [event(A)]})
    first_id = events_of(tmp_path)["event_id"].iloc[0]
    ingest(tmp_path, [late], {"late": [event(late)]})
    assert events_of(tmp_path)[["event_id", "n_articles"]].values.tolist() == [[first_id, 2]]


def test_store_evidence_of_one_event(tmp_path: Path) -> None:
    ingest(tmp_path, [A, B], {"a": [event(A)], "b": [event(B)]})
    store = open_store(tmp_path)
    assert "evidence" not in store.events(columns=TABLE_COLUMNS).columns
    evidence = store.evidence(store.events()["event_id"].iloc[0])
    assert [(e["article_id"], e["publisher"]) for e in evidence] == [("a", "Atlas Daily"), ("b", "Harbor Post")]
    assert store.evidence("evt-unknown") == []


def test_store_dashboard_loaders(tmp_path: Path) -> None:
    ingest(tmp_path, [A, B], {"a": [event(A)], "b": [directed(B, "Russia", "Finland", date="2023-03", date_precision="month")]})
    events = load_events(tmp_path)
    assert str(events["day"].dtype).startswith("datetime64") and events["day"].notna().all()
    assert len(load_events(tmp_path, EventFilter(types=("warning",)))) == 1
    assert load_articles(tmp_path)["published"].notna().all()
    generation = store_generation(tmp_path)
    ingest(tmp_path, [C], {})
    assert store_generation(tmp_path) == generation + 1 and store_generation(tmp_path / "none") == 0
    assert len(load_evidence(tmp_path, events["event_id"].iloc[0])) == 1


def test_store_mentions_name_their_event(tmp_path: Path) -> None:
    ingest(tmp_path, [A, B], {"a": [event(A), directed(A, "Russia", "Finland", index=1)], "b": [event(B)]})
    store = open_store(tmp_path)
    mentions = store.mentions()
    assert len(mentions) == 3 and set(mentions["event_id"]) == set(store.events()["event_id"])
    meeting = store.events(EventFilter(types=("meeting",)))["event_id"].iloc[0]
    assert sorted(store.mentions((meeting,))["article_id"]) == ["a", "b"]
    assert set(store.mentions().columns) >= {"mention_id", "source_text", "target_text", "trigger", "sentence", "content_hash"}


# ---- versions, lock, crash safety ------------------------------------------------------------------


def placeholder_store(folder: Path) -> None:
    """Write a store as the placeholder before the manifest wrote it: events.parquet and articles.parquet."""
    folder.mkdir(parents=True, exist_ok=True)
    old = [event(A), event(B)]
    pd.DataFrame([{c: getattr(e, c) for c in COLUMNS[:28]} for e in old]).to_parquet(folder / "events.parquet")
    pd.DataFrame(
        [
            {
                "article_id": x.article_id,
                "content_hash": x.content_hash,
                "title": x.title,
                "published": x.published.isoformat(),
                "publisher": x.publisher,
            }
            for x in (A, B)
        ]
    ).to_parquet(folder / "articles.parquet")


def test_store_old_store_asks_for_migrate(tmp_path: Path) -> None:
    placeholder_store(tmp_path)
    with pytest.raises(StoreVersionError, match=r"schema version 0.*python -m pipeline migrate"):
        open_store(tmp_path)
    with pytest.raises(StoreVersionError, match="migrate"):
        ingest(tmp_path, [C], {})


def test_store_migrate_merges_the_old_events(tmp_path: Path) -> None:
    placeholder_store(tmp_path)
    assert migrate(tmp_path) == (0, 2)
    assert not (tmp_path / "events.parquet").exists()
    events = events_of(tmp_path)
    assert events[["n_mentions", "n_articles"]].values.tolist() == [[2, 2]]
    assert ingest(tmp_path, [A, C], {}).already_stored == 1
    assert migrate(tmp_path) == (2, 2)


def test_store_migrate_blocks_version_1_mentions_again(tmp_path: Path) -> None:
    ingest(tmp_path, [A, C], {"a": [event(A)], "c": [event(C)]})
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    (tmp_path / "manifest.json").write_text(json.dumps({**manifest, "schema_version": 1}))
    assert migrate(tmp_path) == (1, 2)
    view = open_store(tmp_path)
    assert view.query("SELECT DISTINCT block FROM mentions")["block"].tolist() == ["consult|2023"]
    assert events_of(tmp_path)[["n_mentions", "n_articles"]].values.tolist() == [[2, 2]]


def test_store_newer_store_says_to_upgrade(tmp_path: Path) -> None:
    ingest(tmp_path, [A], {})
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    (tmp_path / "manifest.json").write_text(json.dumps({**manifest, "schema_version": 99}))
    with pytest.raises(StoreVersionError, match="newer"):
        open_store(tmp_path)


def test_store_second_writer_stops_with_a_message(tmp_path: Path) -> None:
    with files.write_lock(tmp_path, 1), pytest.raises(StoreLockedError, match=r"another ingest is writing.*--lock-timeout"):
        ingest(tmp_path, [A], {}, lock_timeout=0.3)


def test_store_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    held, released = threading.Event(), threading.Event()
    released_at: list[float] = []

    def hold() -> None:
        with files.write_lock(tmp_path, 1):
            held.set()
            time.sleep(0.8)
            released_at.append(time.monotonic())
            released.set()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(5)
    assert ingest(tmp_path, [A], {}, lock_timeout=10).added == 1
    finished = time.monotonic()
    holder.join()
    assert released.is_set() and finished >= released_at[0], "the second writer did not wait for the lock to be released"


def test_store_imports_where_there_is_no_fcntl() -> None:
    """Windows has no ``fcntl``: the store (and the command line) import without it, the lock coming from filelock."""
    code = "import sys; sys.modules['fcntl'] = None; import pipeline.store, pipeline.cli; print(pipeline.store.files.write_lock.__name__)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0 and result.stdout.strip() == "write_lock", result.stderr


def test_store_commits_where_a_folder_cannot_be_flushed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows cannot open a folder (to fsync it after a rename): there the flush is skipped and commits go on."""
    real_open = os.open

    def no_folders(path: str | os.PathLike[str], flags: int, *args: object) -> int:
        if os.path.isdir(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(files, "FOLDERS_FLUSHED", False)
    monkeypatch.setattr(files.os, "open", no_folders)
    assert ingest(tmp_path, [A, B], {"a": [event(A)], "b": [event(B)]}).added == 2
    monkeypatch.undo()
    assert open_store(tmp_path).summary().articles == 2


def test_store_commit_that_dies_before_its_manifest_leaves_the_store_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arts = [A, B, C]
    events = {x.article_id: [event(x)] for x in arts}
    ingest(tmp_path / "whole", arts, events)
    store = tmp_path / "crashed"
    ingest(store, [A], events)
    before = contents(store)

    def dies(*args: object) -> None:
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(files, "write_manifest", dies)
    with pytest.raises(KeyboardInterrupt):
        ingest(store, arts, events)
    assert contents(store) == before  # readers see the store as it was
    monkeypatch.undo()
    assert ingest(store, arts, events).added == 2  # the next run picks up what was not stored, and removes the dead commit's files
    assert contents(store) == contents(tmp_path / "whole")
    manifest = json.loads((store / "manifest.json").read_text())
    named = {f for table in manifest["tables"].values() for f in table} | {f for f, _ in manifest["retired"]}
    assert {str(p.relative_to(store)) for p in store.rglob("*.parquet")} == named


def test_store_reader_sees_only_the_files_the_manifest_names(tmp_path: Path) -> None:
    ingest(tmp_path, [A], {"a": [event(A)]})
    stray = tmp_path / "events" / "g999999-deadbeef.parquet"
    stray.write_bytes((tmp_path / open_store(tmp_path).manifest().files("events")[0]).read_bytes())  # type: ignore[union-attr]
    assert len(events_of(tmp_path)) == 1
    with open_writer(tmp_path):
        pass
    assert not stray.exists()


def test_store_dropped_files_outlive_readers_then_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest(tmp_path, [A], {"a": [event(A)]})
    first = open_store(tmp_path).manifest().files("events")[0]  # type: ignore[union-attr]
    ingest(tmp_path, [B], {"b": [event(B)]})
    assert (tmp_path / first).exists()  # a reader that read the older manifest can still read it
    monkeypatch.setattr(files, "RETIRED_GRACE_SECONDS", 0.0)
    ingest(tmp_path, [C], {"c": [event(C)]})
    assert not (tmp_path / first).exists()


def test_store_missing_folder_reads_as_empty(tmp_path: Path) -> None:
    store = open_store(tmp_path / "none")
    assert store.events().empty and list(store.events().columns) == list(EXPORT_COLUMNS)
    assert store.summary().articles == 0
    assert not (tmp_path / "none").exists()


# ---- filters and aggregates ------------------------------------------------------------------------


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A store of five events: a Russia-Finland warning (two outlets), a Putin-Xi meeting, a US sanction on Russia in February,
    a month-dated aid to Ukraine and a planned EU statement."""
    a, b, c = article("a", D), article("b", D, publisher="Harbor Post"), article("c", D, publisher="Meridian Wire")
    events = {
        "a": [
            directed(a, "Russia", "Finland", confidence=0.6, source_country="RUS", target_country="FIN"),
            event(a, 1, sentence="Putin met Xi in the Kremlin =1+1", goldstein=2.5),
        ],
        "b": [
            directed(b, "Russia", "Finland", confidence=0.6, source_country="RUS", target_country="FIN"),
            directed(
                b, "United States", "Russia", "sanction", 1, date="2023-02-24", date_text="Feb 24", goldstein=-8.0, source_country="USA"
            ),
        ],
        "c": [
            directed(c, "United States", "Ukraine", "aid", date="2023-03", date_precision="month", date_text="in March", goldstein=7.0),
            directed(c, "European Union", "China", "statement", 1, status="planned", date=day(2), date_text="Friday"),
        ],
    }
    ingest(tmp_path, [a, b, c], events)
    return tmp_path


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (EventFilter(), ["aid", "meeting", "sanction", "statement", "warning"]),
        (EventFilter(actors=("Russia",)), ["sanction", "warning"]),
        (EventFilter(actors=("Russia",), as_source_only=True), ["warning"]),
        (EventFilter(actors=("Xi Jinping", "Ukraine")), ["aid", "meeting"]),
        (EventFilter(countries=("FIN",)), ["warning"]),
        (EventFilter(types=("aid", "sanction")), ["aid", "sanction"]),
        (EventFilter(statuses=("planned",)), ["statement"]),
        (EventFilter(since=date(2023, 3, 22)), ["aid", "meeting", "statement", "warning"]),
        (EventFilter(since=date(2023, 3, 23), until=date(2023, 3, 31)), ["aid", "statement"]),
        (EventFilter(until=date(2023, 2, 28)), ["sanction"]),
        (EventFilter(publishers=("Harbor Post",)), ["sanction", "warning"]),
        (EventFilter(min_articles=2), ["warning"]),
        (EventFilter(min_confidence=0.8), ["warning"]),
        (EventFilter(text="KREMLIN"), ["meeting"]),
        (EventFilter(text="%"), []),
    ],
)
def test_store_filters(filled: Path, filters: EventFilter, expected: list[str]) -> None:
    assert sorted(open_store(filled).events(filters)["event_type"]) == expected


def test_store_aggregates(filled: Path) -> None:
    store = open_store(filled)
    daily = store.event_counts(period="day")
    assert "aid" not in set(daily["event_type"])  # dated to the month only
    assert daily[daily["event_type"] == "warning"]["events"].tolist() == [1]
    monthly = store.event_counts(EventFilter(types=("aid", "sanction")), period="month")
    assert [(str(p)[:7], t, n) for p, t, n in monthly.itertuples(index=False)] == [("2023-02", "sanction", 1), ("2023-03", "aid", 1)]
    assert store.top_actors(role="source", limit=2).values.tolist() == [["United States", 2], ["European Union", 1]]
    assert store.top_actors(role="target").values.tolist() == [["China", 1], ["Finland", 1], ["Russia", 1], ["Ukraine", 1]]  # ties by name
    assert store.top_actors()["actor"].iloc[0] == "Russia"
    months = store.actor_months(actors=("Russia",))
    assert [(str(m)[:7], n) for m, n in zip(months["month"], months["events"], strict=True)] == [("2023-02", 1), ("2023-03", 1)]
    edges = store.actor_edges()
    assert {(s, t) for s, t in zip(edges["source"], edges["target"], strict=True)} >= {
        ("Russia", "Finland"),
        ("Vladimir Putin", "Xi Jinping"),
    }
    assert edges[edges["source"] == "United States"].set_index("target")["mean_goldstein"].to_dict() == {"Russia": -8.0, "Ukraine": 7.0}
    summary = store.summary()
    assert (summary.articles, summary.mentions, summary.events, summary.first_date) == (3, 6, 5, date(2023, 2, 24))


# ---- the commands ----------------------------------------------------------------------------------


def test_store_cli_export_formats_and_filters(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert main(["-q", "export", "--store", str(filled), "-o", str(out / "all.csv")]) == 0
    table = pd.read_csv(out / "all.csv", keep_default_na=False)
    assert list(table.columns) == list(EXPORT_COLUMNS) and len(table) == 5
    assert "Putin met Xi in the Kremlin =1+1" in table["sentence"].tolist()  # only cells that begin with a formula sign change
    assert main(["-q", "export", "--store", str(filled), "-o", str(out / "r.json"), "--actor", "Russia", "--since", "2023-03-01"]) == 0
    assert [e["event_type"] for e in json.loads((out / "r.json").read_text())] == ["warning"]
    assert main(["-q", "export", "--store", str(filled), "-o", str(out / "t.parquet"), "--type", "aid", "--type", "sanction"]) == 0
    assert sorted(pd.read_parquet(out / "t.parquet")["event_type"]) == ["aid", "sanction"]
    assert main(["-q", "export", "--store", str(filled), "-o", str(out / "m.xlsx"), "--min-articles", "2"]) == 0
    sheet = pd.read_excel(out / "m.xlsx")
    assert sheet["event_type"].tolist() == ["warning"] and list(sheet.columns) == list(EXPORT_COLUMNS)


def test_store_cli_export_csv_neutralises_formulas(tmp_path: Path) -> None:
    x = article("x")
    ingest(tmp_path, [x], {"x": [event(x, sentence='=HYPERLINK("http://evil")', trigger="+cmd", source_text="@SUM(1)")]})
    assert main(["-q", "export", "--store", str(tmp_path), "-o", str(tmp_path / "e.csv")]) == 0
    row = pd.read_csv(tmp_path / "e.csv", keep_default_na=False).iloc[0]
    assert (row["sentence"][:2], row["trigger"][:2], row["source_text"][:2]) == ("'=", "'+", "'@")


def test_store_cli_stats(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", "stats", "--store", str(filled), "--top", "3"]) == 0
    text = capsys.readouterr().out
    assert "articles    3" in text and "events      5" in text and "2023-02-24 .." in text and "Russia (2)" in text


def test_store_cli_migrate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    placeholder_store(tmp_path)
    assert main(["-q", "stats", "--store", str(tmp_path)]) == 4  # a store error: it says to migrate
    assert main(["-q", "migrate", "--store", str(tmp_path)]) == 0
    assert not (tmp_path / "events.parquet").exists() and not (tmp_path / "articles.parquet").exists()
    store = open_store(tmp_path)
    assert sorted(store.articles()["article_id"]) == [A.article_id, B.article_id]
    (merged,) = store.events().itertuples()
    assert (merged.n_mentions, merged.n_articles, merged.event_type) == (2, 2, event(A).event_type)
    assert sorted(store.mentions((merged.event_id,))["article_id"]) == [A.article_id, B.article_id]
    capsys.readouterr()
    assert main(["-q", "stats", "--store", str(tmp_path)]) == 0
    assert "articles    2" in capsys.readouterr().out


def test_store_cli_ingest_uses_the_workers_and_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, str]] = []

    def fake(articles, workers=1, scheduler=""):
        calls.append((workers, scheduler))
        return fixed_extraction({})(articles)

    monkeypatch.setattr("pipeline.parallel.extracted", fake)
    source = tmp_path / "in.txt"
    source.write_text("Title: A title\nDate: 2023-03-22\n\nRussia warned Finland on Tuesday.\n", encoding="utf-8")
    store = tmp_path / "store"
    assert main(["-q", "ingest", str(source), "--store", str(store), "--workers", "3"]) == 0
    assert calls == [(3, "")] and open_store(store).summary().articles == 1
    with files.write_lock(store, 1):
        assert main(["-q", "ingest", str(source), "--store", str(store), "--lock-timeout", "0.2"]) == 4


# Events of one article published 2023-03-22, by the date they are given: (date, precision, background?).
BACKGROUND_DATES = [
    ("2016", "year", True),  # "in 2016"
    ("2023-03-21", "day", False),  # the day before
    ("2023-02-19", "day", True),  # 31 days before
    ("2023-02-20", "day", False),  # 30 days before: still news
    ("2023-02", "month", False),  # "in February": ends 22 days before
    ("", "none", False),  # undated
]


@pytest.mark.parametrize(("day", "precision", "background"), BACKGROUND_DATES, ids=[d[0] or "undated" for d in BACKGROUND_DATES])
def test_store_background_is_dated_well_before_its_first_report(tmp_path: Path, day: str, precision: str, background: bool) -> None:
    source = article("a1", published=date(2023, 3, 22))
    ingest_articles([source], tmp_path, fixed_extraction({"a1": [event(source, date=day, date_precision=precision)]}))
    store = open_store(tmp_path)
    assert store.query("SELECT background FROM events")["background"].tolist() == [background]
    assert len(store.events(EventFilter(background=False))) == (0 if background else 1)
    assert len(store.events(EventFilter())) == 1


def test_store_background_counts_from_the_first_report(tmp_path: Path) -> None:
    early, late = article("early", published=date(2023, 3, 1)), article("late", published=date(2023, 9, 1))
    rows = {name: [event(item, date="2023-02-25")] for name, item in (("early", early), ("late", late))}
    ingest_articles([early, late], tmp_path, fixed_extraction(rows))
    found = open_store(tmp_path).query("SELECT n_articles, first_seen, background FROM events")
    assert found.to_dict("records") == [{"n_articles": 2, "first_seen": "2023-03-01", "background": False}]
