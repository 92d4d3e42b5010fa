"""The analyst's tools under AppTest: background events kept apart behind a switch, the article view, corrections."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from store_helpers import article, directed, fixed_extraction
from test_dashboard_app import plain, ran, set_widget, stored_ids
from test_dashboard_helpers import app_for, built_store

from pipeline.store import EventFilter, ingest_articles, open_store
from pipeline.store.corrections import stored_corrections

PUBLISHED = date(2023, 3, 22)


def background_store(folder: Path) -> Path:
    """Return a store of one article of 2023-03-22: Russia warned Poland that day, and sanctioned Ukraine in 2016."""
    source = article("a1", published=PUBLISHED)
    rows = [
        directed(source, "Russia", "Poland", date="2023-03-22"),
        directed(source, "Russia", "Ukraine", "sanction", index=1, date="2016", date_precision="year", date_text="in 2016"),
    ]
    ingest_articles([source], folder, fixed_extraction({"a1": rows}))
    return folder


def shown(at) -> str:
    return at.caption[0].value


def test_analyst_background_hidden_until_switched_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = ran(app_for(background_store(tmp_path), monkeypatch))
    assert shown(at) == "1 of 2 events"
    set_widget(at, "background", True)
    ran(at)
    assert shown(at) == "2 of 2 events"


def test_analyst_background_from_a_link(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = app_for(background_store(tmp_path), monkeypatch)
    at.query_params = {"background": "true", "type": ["sanction"]}
    ran(at)
    assert shown(at).startswith("1 of 2 events")
    assert "without background" not in shown(at)


def opened_article(at, event_id: str):
    """Open an event by link, then its (first) article from the evidence."""
    at.query_params = {"view": "Events", "event": event_id}
    ran(at)
    next(b for b in at.button if b.label == "Open article").click()
    return ran(at)


def test_analyst_article_shows_its_sentences_literally(monkeypatch: pytest.MonkeyPatch) -> None:
    event_id = stored_ids(EventFilter(publishers=("Pacific Courier",)))[0]
    at = opened_article(app_for(built_store(), monkeypatch), event_id)
    assert "Article" in [s.value for s in at.subheader]
    assert at.query_params["article"]
    heading = at.text[-1].value
    assert heading.startswith("=1+2 [Click here](javascript:alert(1)) <b>Iran</b> *story* — Pacific Courier · 2023-03-10")
    sentences = [m.value for m in at.markdown if "Iran" in m.value and "script" in m.value]
    assert sentences, "the injection sentence is shown"
    shown = sentences[-1]
    assert "<script>" not in shown and "[sabotage](" not in shown and ":red[" not in shown
    assert "\\<script\\>alert\\(1\\)\\<\\/script\\>" in shown and "\\$x\\$" in shown
    assert "<script>alert(1)</script>" in plain(shown) and "[sabotage](http://evil.example)" in plain(shown)
    assert any("not its whole text" in c.value for c in at.caption)


def test_analyst_article_lists_every_event_in_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source = article("a1", published=PUBLISHED)
    evidence = '[{{"sentence_index": {0}, "sentence": "{1}", "trigger": [{2}, {3}], '
    evidence += '"actors": [{{"start": 0, "end": 6, "role": "source"}}]}}]'
    rows = [
        directed(source, "Russia", "Poland", evidence=evidence.format(4, "Russia warned Poland.", 7, 13)),
        directed(source, "Russia", "Latvia", "threat", index=1, evidence=evidence.format(1, "Russia threatened Latvia.", 7, 17)),
    ]
    ingest_articles([source], tmp_path, fixed_extraction({"a1": rows}))
    at = ran(app_for(tmp_path, monkeypatch))
    event_id = stored_ids_in(tmp_path, "warning")
    opened_article(at, event_id)
    shown = [m.value for m in at.markdown if "Russia" in m.value and "background[" in m.value]
    assert shown[-2:] == [
        ":blue-background[Russia] :red-background[**threatened**] Latvia\\.",
        ":blue-background[Russia] :red-background[**warned**] Poland\\.",
    ]
    notes = plain(" ".join(c.value for c in at.caption))
    assert "sentence 2 · threat (evt-" in notes and "sentence 5 · warning (evt-" in notes
    next(b for b in at.button if b.label == "Close article").click()
    ran(at)
    assert "Article" not in [s.value for s in at.subheader] and "Evidence" in [s.value for s in at.subheader]


def stored_ids_in(store: Path, event_type: str) -> str:
    """Return the id of the stored event of a type."""
    return str(open_store(store).events(EventFilter(types=(event_type,)), columns=("event_id",))["event_id"].iloc[0])


def corrections_app(monkeypatch: pytest.MonkeyPatch, folder: Path):
    """Return the app on a store of ``background_store`` with the warning opened (background events shown)."""
    store = background_store(folder)
    at = app_for(store, monkeypatch)
    at.query_params = {"view": "Events", "background": "true", "event": stored_ids_in(store, "warning")}
    return ran(at), store


def test_analyst_flag_as_wrong_removes_the_event_everywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at, store = corrections_app(monkeypatch, tmp_path)
    assert shown(at) == "2 of 2 events"
    at.text_input(key=next(w.key for w in at.text_input if w.key.startswith("fix_note_"))).set_value("a quote, not an act")
    at.button(key="fix_wrong").click()
    ran(at)
    assert shown(at).startswith("1 of 1 events") and "event" not in at.query_params
    assert [plain(s.value) for s in at.success] == ["Saved: flagged wrong."]
    (made,) = stored_corrections(store)
    assert (made.field, made.value, made.note) == ("wrong", "true", "a quote, not an act")
    download = at.sidebar.get("download_button")
    assert any("Corrections (1)" in str(d.proto.label) for d in download)


def test_analyst_corrected_status_and_actor_show_in_the_views(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at, store = corrections_app(monkeypatch, tmp_path)
    key = stored_ids_in(store, "warning")
    at.selectbox(key=f"fix_status_{key}").set_value("denied")
    at.text_input(key=f"fix_source_{key}").set_value("Belarus")
    at.button(key="fix_save").click()
    ran(at)
    assert [plain(s.value) for s in at.success] == ["Saved: status denied, source_actor Belarus."]
    assert [(c.field, c.value) for c in stored_corrections(store)] == [("status", "denied"), ("source_actor", "Belarus")]
    set_widget(at, "status", ["denied"])
    ran(at)
    table = next(d.value for d in at.dataframe if "event_id" in d.value.columns)
    assert table[["status", "source_actor", "target_actor"]].values.tolist() == [["denied", "Belarus", "Poland"]]


def test_analyst_bad_date_is_not_saved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at, store = corrections_app(monkeypatch, tmp_path)
    at.text_input(key=f"fix_date_{stored_ids_in(store, 'warning')}").set_value("2023-13")
    at.button(key="fix_save").click()
    ran(at)
    assert any("Not saved: a date is YYYY-MM-DD, YYYY-MM or YYYY" in plain(e.value) for e in at.error)
    assert stored_corrections(store) == []
