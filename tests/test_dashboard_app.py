"""The dashboard app under AppTest: every filter changes what the views show, downloads hold exactly the filtered
events, query parameters restore a view, the uploader ingests a file, empty states say what to do."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from test_dashboard_helpers import app_for, built_store, members_store, outlier_store, store_copy, stored_events, with_members

from dashboard import queries
from dashboard.filters import VIEWS
from pipeline.store import EventFilter, open_store

# One filter widget at a time: its key (also its URL parameter), the value set, the filter it means.
WIDGET_FILTERS = [
    ("actor", ["Russia"], EventFilter(actors=("Russia",))),
    ("country", ["ISR"], EventFilter(countries=("ISR",))),
    ("type", ["sanction", "warning"], EventFilter(types=("sanction", "warning"))),
    ("family", ["consult"], EventFilter(types=("meeting", "visit", "call", "summit"))),
    ("status", ["planned"], EventFilter(statuses=("planned",))),
    ("dates", "first week", None),  # the week from the store's first event date (see first_week)
    ("publisher", ["Meridian Wire"], EventFilter(publishers=("Meridian Wire",))),
    ("min_articles", 2, EventFilter(min_articles=2)),
    ("min_confidence", 0.85, EventFilter(min_confidence=0.85)),
    ("q", "sanctions", EventFilter(text="sanctions")),
]


def stored_ids(f: EventFilter) -> list[str]:
    """Return the events the app keeps under a filter: with the chosen actors' members and officials, as by default."""
    return open_store(built_store()).events(with_members(f, built_store()), columns=("event_id",))["event_id"].tolist()


def shown_count(kept: int) -> str:
    """Return how the caption counts ``kept`` events of all the events in the store the app loaded."""
    total = stored_events(built_store())
    assert total > 0, "the fixture store holds no events"
    return f"{kept:,} of {total:,} events"


def ran(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(markdown: str) -> str:
    """Return escaped Markdown as the text it shows."""
    return markdown.replace("\\", "")


def set_widget(at, key: str, value) -> None:
    """Set a sidebar widget by key, whatever its kind."""
    for kind in ("multiselect", "date_input", "number_input", "slider", "text_input", "checkbox", "selectbox"):
        found = [w for w in getattr(at, kind) if w.key == key]
        if found:
            found[0].set_value(value)
            return
    raise KeyError(key)


def open_view(at, name: str):
    at.session_state["view"] = name
    return ran(at)


def table_ids(at) -> list[str]:
    tables = [d.value for d in at.dataframe if "event_id" in d.value.columns]
    return sorted(tables[0]["event_id"]) if tables else []


def table_articles(at, store: Path) -> set[str]:
    """Return the articles of the events the events table lists (one event per article in the store given)."""
    articles = open_store(store).events(EventFilter(), columns=("event_id", "article_id")).set_index("event_id")["article_id"]
    return {str(articles[i]) for i in table_ids(at)}


def chart_specs(at) -> list[str]:
    return [chart.proto.spec for chart in at.get("plotly_chart")]


def view_snapshot(at, view: str) -> tuple[list[str], list[str]]:
    open_view(at, view)
    return chart_specs(at), table_ids(at)


@pytest.fixture
def app(monkeypatch):
    return ran(app_for(built_store(), monkeypatch))


def test_app_draws_every_view(app):
    assert app.caption[0].value.startswith(shown_count(len(stored_ids(EventFilter()))))
    assert [t.label for t in app.tabs] == list(VIEWS)
    shown = [("Timeline", 1), ("Actor activity", 4), ("Actor profile", 4), ("Dyad", 1), ("Tone", 1), ("Publishers", 1), ("Map", 1)]
    for view, charts in [*shown, ("Events", 0)]:
        open_view(app, view)
        assert len(app.get("plotly_chart")) == charts, view
    assert table_ids(app) == sorted(stored_ids(EventFilter()))


def first_week() -> tuple[tuple[date, date], EventFilter]:
    """Return the widget value and the filter of the seven days from the fixture store's first event date."""
    first = date.fromisoformat(min(open_store(built_store()).events(EventFilter(), columns=("date",))["date"]))
    week = (first, first + timedelta(days=7))
    return week, EventFilter(since=week[0], until=week[1])


@pytest.mark.parametrize(("key", "value", "f"), WIDGET_FILTERS, ids=[w[0] for w in WIDGET_FILTERS])
def test_app_every_filter_changes_the_views(app, key, value, f):
    if value == "first week":
        value, f = first_week()
    before = {view: view_snapshot(app, view) for view in ("Timeline", "Events")}
    set_widget(app, key, value)
    ran(app)
    expected = stored_ids(f)
    assert expected != stored_ids(EventFilter())
    assert app.caption[0].value.startswith(shown_count(len(expected)))
    if not expected:
        assert any("No events match" in i.value for i in app.info)
        return
    after = {view: view_snapshot(app, view) for view in ("Timeline", "Events")}
    assert after["Events"][1] == sorted(expected)
    assert after["Timeline"][0] != before["Timeline"][0]


def test_app_source_only_switch(app):
    set_widget(app, "actor", ["Russia"])
    any_role = len(stored_ids(EventFilter(actors=("Russia",))))
    set_widget(app, "source_only", True)
    ran(app)
    as_source = stored_ids(EventFilter(actors=("Russia",), as_source_only=True))
    assert len(as_source) < any_role
    assert app.caption[0].value.startswith(shown_count(len(as_source)))


@pytest.fixture
def downloads(monkeypatch) -> dict[str, object]:
    """Capture the download buttons' deferred builders by file name."""
    found: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def recording(self, data, mimetype, coordinates, file_name=None, **kwargs):
        found[file_name] = data
        return original(self, data, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return found


def test_app_downloads_hold_exactly_the_filtered_events(monkeypatch, downloads):
    at = ran(app_for(built_store(), monkeypatch))
    set_widget(at, "type", ["sanction", "attack"])
    set_widget(at, "publisher", ["Atlas Daily"])
    ran(at)
    f = EventFilter(types=("sanction", "attack"), publishers=("Atlas Daily",))
    expected = stored_ids(f)
    text = downloads["eventline-events.csv"]().decode("utf-8")
    first, body = text.split("\n", 1)
    assert "types: sanction, attack" in first and "publishers: Atlas Daily" in first and f"{len(expected)} events" in first
    assert pd.read_csv(io.StringIO(body))["event_id"].tolist() == expected
    assert [e["event_id"] for e in json.loads(downloads["eventline-events.json"]())["events"]] == expected
    sheet = pd.read_excel(io.BytesIO(downloads["eventline-events.xlsx"]()), sheet_name="events")
    assert sheet["event_id"].tolist() == expected


def test_app_query_params_restore_a_view(monkeypatch):
    at = app_for(built_store(), monkeypatch)
    at.query_params = {"actor": ["Russia", "China"], "type": ["sanction", "accusation"], "view": "Events"}
    ran(at)
    assert at.multiselect(key="actor").value == ["Russia", "China"]
    assert at.multiselect(key="type").value == ["sanction", "accusation"]
    expected = stored_ids(EventFilter(actors=("Russia", "China"), types=("sanction", "accusation")))
    assert table_ids(at) == sorted(expected)


def test_app_event_in_url_opens_its_evidence(monkeypatch):
    event_id = stored_ids(EventFilter(types=("warning",)))[0]
    at = app_for(built_store(), monkeypatch)
    at.query_params = {"view": "Events", "event": event_id}
    ran(at)
    assert "Evidence" in [s.value for s in at.subheader]
    text = " ".join(m.value for m in at.markdown)
    assert ":red-background[**warned**]" in text and ":blue-background[Biden]" in text
    assert "Atlas Daily" in text and "https://example.org/atlas/2023/02/21/biden-duda-warsaw" in text
    assert any(plain(c.value).startswith("date 2023-02-21 (day) from “Tuesday” · status occurred") for c in at.caption)
    assert any("reported by 1 outlet in 1 article" in t.value for t in at.text)


def test_app_selecting_a_row_opens_its_evidence(monkeypatch):
    at = app_for(built_store(), monkeypatch)
    at.query_params = {"view": "Events", "publisher": ["Pacific Courier"]}
    ran(at)
    table = next(d for d in at.dataframe if "event_id" in d.value.columns)
    at.session_state[table.key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    ran(at)
    assert "Evidence" in [s.value for s in at.subheader]
    evidence = " ".join(m.value for m in at.markdown)
    assert "<script>" not in evidence and "[sabotage](" not in evidence and "\\[sabotage\\]" in evidence


def test_app_uploader_ingests_a_file(monkeypatch, tmp_path: Path):
    store = store_copy(tmp_path)
    at = ran(app_for(store, monkeypatch))
    open_view(at, "Add articles")
    article = (
        b"Title: Macron visits Berlin\nDate: 2023-05-09\nSource: Harbor Post\n\n"
        b"French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Tuesday.\n"
    )
    at.file_uploader(key="upload_files").upload("macron.txt", article, "text/plain")
    at.button(key="add_articles").click()
    ran(at)
    assert any("macron.txt: 1 article(s) read" in plain(s.value) for s in at.success), [e.value for e in at.error]
    assert open_store(store).query("SELECT count(*) AS n FROM articles")["n"].iloc[0] == 6
    ran(at)
    assert "Harbor Post" in at.multiselect(key="publisher").options


def test_app_uploader_reports_errors_per_file(monkeypatch, tmp_path: Path):
    at = ran(app_for(store_copy(tmp_path), monkeypatch))
    open_view(at, "Add articles")
    at.file_uploader(key="upload_files").upload("broken.json", b"{not json", "application/json")
    at.button(key="add_articles").click()
    ran(at)
    assert any(plain(e.value).startswith("broken.json: 0 article(s) read; failed: ") for e in at.error)


def test_app_empty_store_says_how_to_fill_it(monkeypatch, tmp_path: Path):
    at = ran(app_for(tmp_path / "nothing-here", monkeypatch))
    assert "No articles in the store" in at.info[0].value
    assert at.file_uploader(key="upload_files")


def test_app_no_events_under_filters(monkeypatch):
    at = app_for(built_store(), monkeypatch)
    at.query_params = {"q": "no such words anywhere"}
    ran(at)
    assert any("No events match" in i.value for i in at.info)
    at.button(key="clear_filters_empty").click()
    ran(at)
    assert at.caption[0].value.startswith(shown_count(len(stored_ids(EventFilter()))))


def test_app_never_renders_html():
    source = "".join(p.read_text(encoding="utf-8") for p in (Path(__file__).resolve().parent.parent / "dashboard").glob("*.py"))
    assert "unsafe_allow_html" not in source and "st.html" not in source and "components.html" not in source


@pytest.mark.parametrize("given", ["russia", "RUSSIA", "the kremlin", "Moscow"])
def test_app_link_actor_in_any_case_or_alias(monkeypatch, given):
    at = app_for(built_store(), monkeypatch)
    at.query_params = {"actor": [given], "view": "Events"}
    ran(at)
    assert at.multiselect(key="actor").value == ["Russia"]
    assert table_ids(at) == sorted(stored_ids(EventFilter(actors=("Russia",))))
    assert not at.warning


def test_app_link_unknown_actor_warns_and_keeps_the_rest(monkeypatch):
    at = app_for(built_store(), monkeypatch)
    at.query_params = {"actor": ["Nonexistent Land", "Russia"], "type": ["sanction"], "view": "Events"}
    ran(at)
    assert any("Nonexistent Land" in plain(w.value) for w in at.warning)
    assert at.multiselect(key="actor").value == ["Russia"]
    expected = stored_ids(EventFilter(actors=("Russia",), types=("sanction",)))
    assert expected and table_ids(at) == sorted(expected)
    ran(at)
    assert any("Nonexistent Land" in plain(w.value) for w in at.warning)


@pytest.mark.parametrize(("typed", "offered"), [("Kremlin", ["Russia"]), ("moscow", ["Russia"]), ("USA", ["United States"])])
def test_app_actor_search_finds_aliases(app, typed, offered):
    app.text_input(key="actor_search").set_value(typed)
    ran(app)
    assert app.multiselect(key="actor").options == offered
    set_widget(app, "actor", offered)
    ran(app)
    assert app.caption[0].value.startswith(shown_count(len(stored_ids(EventFilter(actors=tuple(offered))))))


def test_app_actor_search_says_when_nothing_is_found(app):
    app.text_input(key="actor_search").set_value("Zzyzx")
    ran(app)
    assert app.multiselect(key="actor").options == []
    assert any(c.value == "No actor found for Zzyzx." for c in app.sidebar.caption)


def test_app_new_filter_closes_the_evidence(monkeypatch):
    event_id = stored_ids(EventFilter(types=("warning",)))[0]
    at = app_for(built_store(), monkeypatch)
    at.query_params = {"view": "Events", "event": event_id}
    ran(at)
    assert "Evidence" in [s.value for s in at.subheader]
    set_widget(at, "type", ["sanction"])
    ran(at)
    assert "Evidence" not in [s.value for s in at.subheader] and "event" not in at.query_params


def test_app_clear_filters_closes_the_evidence(monkeypatch):
    event_id = stored_ids(EventFilter(types=("warning",)))[0]
    at = app_for(built_store(), monkeypatch)
    at.query_params = {"view": "Events", "type": ["warning"], "event": event_id}
    ran(at)
    assert "Evidence" in [s.value for s in at.subheader]
    next(b for b in at.sidebar.button if b.label == "Clear filters").click()
    ran(at)
    assert "Evidence" not in [s.value for s in at.subheader] and "event" not in at.query_params
    assert at.caption[0].value.startswith(shown_count(len(stored_ids(EventFilter()))))


def test_app_dates_default_to_the_bulk_with_all_dates_one_click_away(monkeypatch, tmp_path: Path):
    store = outlier_store(tmp_path / "store")
    at = ran(app_for(store, monkeypatch))
    facets = queries.facets(open_store(store))
    assert tuple(at.date_input(key="dates").value) == (facets.bulk_first, facets.bulk_last)
    kept = len(open_store(store).events(EventFilter(since=facets.bulk_first, until=facets.bulk_last), columns=("event_id",)))
    assert kept < 200 and at.caption[0].value.startswith(f"{kept:,} of 202 events")
    at.button(key="all_dates").click()
    ran(at)
    assert tuple(at.date_input(key="dates").value) == (date(1990, 1, 1), date(2031, 1, 1))
    assert at.caption[0].value == "202 of 202 events"


def test_app_adding_articles_refreshes_the_count_and_says_how_many_events(monkeypatch, tmp_path: Path):
    store = store_copy(tmp_path)
    at = ran(app_for(store, monkeypatch))
    open_view(at, "Add articles")
    article = (
        b"Title: Macron visits Berlin\nDate: 2023-05-09\n\nFrench President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin.\n"
    )
    at.file_uploader(key="upload_files").upload("macron.txt", article, "text/plain")
    at.button(key="add_articles").click()
    ran(at)
    total = stored_events(store)
    assert total > stored_events(built_store()) and at.caption[0].value == f"{total:,} of {total:,} events"
    sql = "SELECT count(*) AS n FROM mentions WHERE article_id IN (SELECT article_id FROM articles WHERE title = 'Macron visits Berlin')"
    given = int(open_store(store).query(sql)["n"].iloc[0])
    assert given > 0 and any(f"1 article(s) added, giving {given} event(s)" in plain(i.value) for i in at.info), [i.value for i in at.info]
    assert any("macron.txt: 1 article(s) read" in plain(s.value) for s in at.success)


def test_app_organisation_includes_its_officials_and_bodies_unless_switched_off(monkeypatch, tmp_path: Path):
    store = members_store(tmp_path / "store")
    at = app_for(store, monkeypatch)
    at.query_params = {"actor": ["NATO"], "view": "Events"}
    ran(at)
    assert at.checkbox(key="members").value is True
    assert "members and officials" in at.checkbox(key="members").help and "secretary general" in at.checkbox(key="members").help
    assert any("Jens Stoltenberg" in c.value and "NATO Military Committee" in c.value for c in at.sidebar.caption)
    assert table_articles(at, store) == {"nato", "lavrov", "sg_in_office", "committee"}
    set_widget(at, "members", False)
    ran(at)
    assert table_articles(at, store) == {"nato", "lavrov"}


def test_app_members_off_in_a_link(monkeypatch, tmp_path: Path):
    store = members_store(tmp_path / "store")
    at = app_for(store, monkeypatch)
    at.query_params = {"actor": ["NATO"], "members": ["false"], "view": "Events"}
    ran(at)
    assert at.checkbox(key="members").value is False
    assert table_articles(at, store) == {"nato", "lavrov"}
