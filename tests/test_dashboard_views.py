"""What each view of the dashboard shows, under AppTest, checked against the store: the charts' titles, axes and the
actors they list, the timeline's period and rows controls and its drawing above 3,000 points, the profile of a chosen
actor, the map's counts, the events table's sorting, pasted text and URLs (and while an ingest writes the store), the page
of a store too old to read or damaged."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from store_helpers import article, directed, fixed_extraction
from test_dashboard_app import open_view, plain, ran, set_widget
from test_dashboard_helpers import TONE_EVENTS, app_for, built_store, dyad_store, store_copy, tone_store

from dashboard.figures import country_shapes
from dashboard.filters import ordered_types
from dashboard.uploads import LOCK_WAIT_SECONDS
from pipeline.store import ingest_articles, open_store
from pipeline.store.reader import PERIOD_PRECISIONS

PAGE = b"""<html><head><title>Scholz visits Paris</title><meta name="date" content="2023-05-10"></head><body><article>
<h1>Scholz visits Paris</h1><p>German Chancellor Olaf Scholz met French President Emmanuel Macron in Paris on Wednesday.</p>
<p>The two leaders discussed support for Ukraine and the European defence industry at the Elysee Palace.</p></article></body></html>"""


CHART_KEYS = (
    "timeline_chart",
    "sources_chart",
    "targets_chart",
    "heatmap_chart",
    "network_chart",
    "profile_timeline",
    "counterparts_chart",
    "types_chart",
    "roles_chart",
    "dyad_chart",
    "dyad_tone_chart",  # before tone_chart, which it ends with
    "tone_chart",
    "publishers_chart",
    "map_chart",
)


def store_rows(sql: str, store: Path | None = None) -> pd.DataFrame:
    return open_store(store or built_store()).query(sql)


def figures(at: Any) -> dict[str, dict]:
    """Return the plotly figures a run drew, by chart key."""
    return {chart_key(chart.proto.id): json.loads(chart.proto.spec) for chart in at.get("plotly_chart")}


def chart_key(element_id: str) -> str:
    """Return the key a chart was given, from its element id (which ends with it)."""
    return next(key for key in CHART_KEYS if element_id.endswith(key))


def values(array: Any) -> list:
    """Return a figure's array as a list, whether plotly sent it as a list or as typed binary data."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def title(figure: dict) -> str:
    return figure["layout"].get("title", {}).get("text", "")


def top(role_column: str, limit: int) -> list[str]:
    """Return the store's most frequent actors in one column of the events, ties by name."""
    where = f"WHERE {role_column} <> ''"
    sql = f"SELECT {role_column} AS actor, count(*) AS n FROM events {where} GROUP BY 1 ORDER BY n DESC, actor LIMIT {limit}"
    return store_rows(sql)["actor"].tolist()


def top_any_role(limit: int, store: Path | None = None) -> list[str]:
    return open_store(store or built_store()).top_actors(limit=limit)["actor"].tolist()


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> Any:
    return ran(app_for(built_store(), monkeypatch))


# ---- actor activity ------------------------------------------------------------------------------------


def test_views_actor_activity_lists_the_stores_most_active_actors(app: Any) -> None:
    shown = figures(open_view(app, "Actor activity"))
    assert title(shown["sources_chart"]) == "Most active as source"
    assert shown["sources_chart"]["data"][0]["y"] == top("source_actor", 15)
    assert title(shown["targets_chart"]) == "Most active as target"
    assert shown["targets_chart"]["data"][0]["y"] == top("target_actor", 15)
    heatmap = shown["heatmap_chart"]
    assert title(heatmap) == "Events per actor and month"
    dated = set(store_rows("SELECT unnest(actors) AS actor FROM events WHERE date_start IS NOT NULL")["actor"])
    assert heatmap["data"][0]["y"] == [a for a in top_any_role(20) if a in dated]


def test_views_actor_network_joins_who_acts_on_whom(app: Any) -> None:
    network = figures(open_view(app, "Actor activity"))["network_chart"]
    hover = [text for trace in network["data"] for text in trace.get("hovertext") or []]
    directed_pairs = store_rows("SELECT DISTINCT source_actor, target_actor FROM events WHERE target_actor <> ''")
    for source, target in directed_pairs.itertuples(index=False):
        assert any(text.startswith(f"{source} → {target}: ") for text in hover), (source, target)


# ---- actor profile -------------------------------------------------------------------------------------


def counterparts_of(actor: str) -> list[str]:
    sql = (
        "SELECT other, count(*) AS n FROM (SELECT unnest(actors) AS other FROM events WHERE list_contains(actors, ?)) "
        "WHERE other <> ? AND other <> '' GROUP BY 1 ORDER BY n DESC, other LIMIT 15"
    )
    return open_store(built_store()).query(sql, [actor, actor])["other"].tolist()


def test_views_profile_without_a_choice_shows_the_most_active_actor(app: Any) -> None:
    open_view(app, "Actor profile")
    most_active = top_any_role(1)[0]
    assert any(f"Showing the most active actor under these filters, {most_active}" in c.value for c in app.caption)
    assert figures(app)["counterparts_chart"]["data"][0]["y"] == counterparts_of(most_active)


def test_views_profile_of_a_chosen_actor(app: Any) -> None:
    chosen = top_any_role(3)[-1]
    open_view(app, "Actor profile")
    app.selectbox(key="profile").set_value(chosen)
    shown = figures(ran(app))
    assert not any("Showing the most active actor" in c.value for c in app.caption)
    assert title(shown["counterparts_chart"]) == "Counterparts"
    assert shown["counterparts_chart"]["data"][0]["y"] == counterparts_of(chosen)
    types = store_rows(f"SELECT DISTINCT event_type FROM events WHERE list_contains(actors, '{chosen}')")["event_type"]
    assert set(shown["types_chart"]["layout"]["yaxis"]["categoryarray"]) == set(types)
    aliases = next(d.value for d in app.dataframe if "event_id" not in d.value.columns)
    assert len(aliases) > 0


# ---- dyad -----------------------------------------------------------------------------------------------


def dyad_app(monkeypatch: pytest.MonkeyPatch, folder: Path, **params: str) -> Any:
    at = app_for(dyad_store(folder / "store"), monkeypatch)
    # the store's acts are dated up to 14 months before their articles (2023-03-20): background events, shown here
    at.query_params = {"view": "Dyad", "background": "true", **params}
    return ran(at)


def test_views_dyad_of_two_chosen_actors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = dyad_app(monkeypatch, tmp_path, dyad_a="Ukraine", dyad_b="Russia")
    counts = "6 events between them under these filters: 2 Ukraine → Russia, 3 Russia → Ukraine, 1 among equals"
    assert any(plain(c.value).startswith(counts) for c in at.caption)
    assert any("1 dated only to a year" in plain(c.value) for c in at.caption)
    shown = figures(at)["dyad_chart"]
    titles = [a["text"] for a in shown["layout"]["annotations"]][:3]
    assert titles == ["Ukraine → Russia", "Russia → Ukraine", "Between them (acts among equals)"]
    bars = {(t["name"], t["yaxis"]) for t in shown["data"] if t["type"] == "bar" and t["name"] != "mean Goldstein"}
    assert bars == {("accusation", "y"), ("demand", "y"), ("attack", "y2"), ("warning", "y2"), ("meeting", "y3")}
    mean = next(t for t in shown["data"] if t["name"] == "mean Goldstein")
    assert values(mean["y"]) == [pytest.approx(-16 / 3), pytest.approx(0.5)]


@pytest.mark.parametrize(("params", "shown"), [({}, "Russia and Ukraine"), ({"dyad_a": "Poland"}, "Poland and Russia")])
def test_views_dyad_without_a_choice_shows_the_busiest_pair(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, params: dict, shown: str
) -> None:
    at = dyad_app(monkeypatch, tmp_path, **params)
    assert any(f"Showing {shown}, the busiest pair under these filters" in plain(c.value) for c in at.caption)
    assert "dyad_chart" in figures(at)


def test_views_dyad_of_an_actor_without_counterparts_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = dyad_app(monkeypatch, tmp_path, dyad_a="Poland", type="attack")
    assert any("Poland acts with no other actor under these filters" in plain(i.value) for i in at.info)


def test_views_dyad_of_one_actor_twice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = dyad_app(monkeypatch, tmp_path, dyad_a="Russia", dyad_b="Russia")
    assert any("Choose two different actors" in i.value for i in at.info)


# ---- tone ----------------------------------------------------------------------------------------------


def tone_app(monkeypatch: pytest.MonkeyPatch, folder: Path, view: str = "Tone", **params: Any) -> Any:
    at = app_for(tone_store(folder / "store"), monkeypatch)
    at.query_params = {"view": view, "dates": ["2023-03-01", "2023-03-31"], **params}  # every stored day
    return ran(at)


def captions(at: Any) -> list[str]:
    return [plain(c.value) for c in at.caption]


def test_views_tone_per_week_of_the_kept_events(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = tone_app(monkeypatch, tmp_path)
    words = "7 events under these filters: 2 cooperative (Goldstein score above zero), 4 conflictual (below zero), 1 neither"
    assert f"{words}; not drawn: 1 dated less precisely than a week." in captions(at)
    shown = figures(at)
    assert set(shown) == {"tone_chart"}  # no pair chosen
    assert any(c.startswith("Choose two actors to see the tone") for c in captions(at))
    mean = next(t for t in shown["tone_chart"]["data"] if t["name"] == "mean Goldstein")
    assert values(mean["y"]) == [pytest.approx(-5 / 3), 0.0]
    bars = {t["name"]: values(t["y"]) for t in shown["tone_chart"]["data"] if t["name"] in ("cooperative", "conflictual")}
    assert bars == {"cooperative": [1, 1], "conflictual": [-2, -1]}


def test_views_tone_follows_the_filters(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = tone_app(monkeypatch, tmp_path, publisher=["Harbor Post"])
    words = "3 events under these filters: 1 cooperative (Goldstein score above zero), 2 conflictual (below zero), 0 neither."
    assert words in captions(at)


def test_views_tone_without_week_dated_events_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = tone_app(monkeypatch, tmp_path, type=["sanction"])
    tone = figures(at)["tone_chart"]
    assert "No events dated to a week" in tone["layout"]["annotations"][0]["text"]


def test_views_tone_of_two_chosen_actors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = tone_app(monkeypatch, tmp_path, dyad_a="Ukraine", dyad_b="Russia")
    pair = "5 events between Ukraine and Russia under these filters: 1 cooperative (Goldstein score above zero), 4 conflictual"
    assert any(c.startswith(pair) for c in captions(at))
    chart = figures(at)["dyad_tone_chart"]
    mean = next(t for t in chart["data"] if t["name"] == "mean Goldstein")
    assert values(mean["y"]) == [-6.0, 0.0]
    assert chart["layout"]["title"]["text"].startswith("Ukraine and Russia")


def test_views_tone_pair_is_the_dyad_views(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = app_for(tone_store(tmp_path / "store"), monkeypatch)
    open_view(ran(at), "Dyad")
    set_widget(at, "dyad_a", "China")
    set_widget(at, "dyad_b", "Russia")
    open_view(ran(at), "Map")
    open_view(at, "Tone")
    assert "dyad_tone_chart" in figures(at)
    assert any(c.startswith("1 events between China and Russia") for c in captions(at))


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"dyad_a": "China", "dyad_b": "Ukraine"}, "No events between China and Ukraine under these filters."),
        ({"dyad_a": "China", "dyad_b": "China"}, "Choose two different actors."),
    ],
)
def test_views_tone_of_a_pair_without_events(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, params: dict, said: str) -> None:
    at = tone_app(monkeypatch, tmp_path, **params)
    assert said in [plain(i.value) for i in at.info]
    assert set(figures(at)) == {"tone_chart"}


# ---- publishers ----------------------------------------------------------------------------------------


def test_views_publishers_count_what_each_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = tone_app(monkeypatch, tmp_path, "Publishers")
    assert "3 publishers; 6 of the 7 events were reported by one publisher alone." in captions(at)
    heat = figures(at)["publishers_chart"]["data"][0]
    assert heat["y"] == ["Atlas Daily", "Harbor Post", "Meridian Wire"]
    assert heat["x"] == [t for t in ordered_types() if t in {e[6] for e in TONE_EVENTS}]  # family by family
    summary, single = (d.value for d in at.dataframe)
    assert summary.values.tolist() == [["Atlas Daily", 4, 3], ["Harbor Post", 3, 2], ["Meridian Wire", 1, 1]]
    assert single["publisher"].tolist() == ["Atlas Daily"] * 3 + ["Harbor Post"] * 2 + ["Meridian Wire"]


def test_views_publishers_single_report_opens_its_evidence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = tone_app(monkeypatch, tmp_path, "Publishers", publisher=["Meridian Wire"])
    table = next(d for d in at.dataframe if "event_id" in d.value.columns)
    assert table.value["event_type"].tolist() == ["statement"]
    at.session_state[table.key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    ran(at)
    assert "Evidence" in [s.value for s in at.subheader]
    assert at.query_params["event"] == table.value["event_id"].iloc[0]
    assert any("Sentence 0 of m1." in plain(m.value) for m in at.markdown)


def test_views_publishers_when_every_event_has_two(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = tone_app(monkeypatch, tmp_path, "Publishers", type=["attack"])
    assert "Every event these filters keep was reported by more than one publisher." in captions(at)
    assert [d.value.values.tolist() for d in at.dataframe] == [[["Atlas Daily", 1, 0], ["Harbor Post", 1, 0]]]


# ---- map -----------------------------------------------------------------------------------------------


def test_views_map_counts_the_located_events(app: Any) -> None:
    open_view(app, "Map")
    located = store_rows("SELECT location FROM events WHERE latitude IS NOT NULL AND NOT isnan(latitude)")
    total = len(store_rows("SELECT event_id FROM events"))
    places = located["location"].nunique()
    assert any(c.value == f"{len(located):,} of {total:,} events have a known place ({places:,} places)." for c in app.caption)
    shown = figures(app)["map_chart"]
    assert shown["layout"]["xaxis"]["range"] == [-180, 180] and shown["layout"]["yaxis"]["range"] == [-58, 84]
    markers = [trace for trace in shown["data"][1:] if not str(trace.get("meta", "")).startswith("country")]
    hover = [text.split(" (")[0].split(":")[0] for trace in markers for text in trace["hovertext"]]
    assert sorted(hover) == sorted(located["location"].unique())
    shaded = [trace["name"].split(")")[0].split("(")[-1] for trace in shown["data"] if trace.get("meta") == "country"]
    involved = store_rows("SELECT DISTINCT unnest([source_country, target_country, location_country]) AS c FROM events")
    assert sorted(shaded) == sorted(c for c in involved["c"].dropna() if c in country_shapes())


# ---- timeline ------------------------------------------------------------------------------------------


def test_views_timeline_axis_spans_the_dated_events(app: Any) -> None:
    timeline = figures(open_view(app, "Timeline"))["timeline_chart"]
    first, last = (pd.Timestamp(d).date() for d in store_rows("SELECT min(date_start), max(date_start) FROM events").iloc[0])
    low, high = (date.fromisoformat(str(x)[:10]) for x in timeline["layout"]["xaxis"]["range"])
    assert low <= first - timedelta(days=3) and high >= last + timedelta(days=3)


@pytest.mark.parametrize(("period", "first_day"), [("week", lambda d: d.weekday() == 0), ("month", lambda d: d.day == 1)])
def test_views_timeline_counts_per_the_period_chosen(app: Any, period: str, first_day: Any) -> None:
    open_view(app, "Timeline")
    set_widget(app, "period", period)
    timeline = figures(ran(app))["timeline_chart"]
    assert timeline["layout"]["yaxis"]["title"]["text"] == f"events per {period}"
    starts = [date.fromisoformat(str(x)[:10]) for trace in timeline["data"] if trace.get("type") == "bar" for x in trace["x"]]
    assert starts and all(first_day(d) for d in starts)
    precise = "', '".join(PERIOD_PRECISIONS[period])
    dated = store_rows(f"SELECT count(*) AS n FROM events WHERE date_precision IN ('{precise}')")["n"].iloc[0]
    assert sum(sum(values(trace["y"])) for trace in timeline["data"] if trace.get("type") == "bar") == dated


def test_views_timeline_rows_control_sets_the_actors_shown(app: Any) -> None:
    open_view(app, "Timeline")
    set_widget(app, "rows", 5)
    rows = figures(ran(app))["timeline_chart"]["layout"]["yaxis2"]["categoryarray"]
    assert rows == top_any_role(5)[::-1]


def busy_store(folder: Path) -> Path:
    """Return a store of 1,600 warnings on 160 days three days apart (nearer days would merge) among ten actors: 3,200
    (event, actor) points."""
    actors = [f"Actor {chr(65 + i)}" for i in range(10)]
    days = [date(2022, 1, 3) + timedelta(days=3 * n) for n in range(160)]
    arts = [article(f"day{n:03d}", day) for n, day in enumerate(days)]
    events = {a.article_id: [directed(a, actor, actors[(i + 1) % 10], index=i) for i, actor in enumerate(actors)] for a in arts}
    ingest_articles(arts, folder, fixed_extraction(events))
    return folder


def test_views_timeline_above_3000_points_draws_periods(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    store = busy_store(tmp_path / "store")
    at = ran(app_for(store, monkeypatch))
    assert any("Too many events to draw one by one" in c.value for c in at.caption)
    timeline = figures(at)["timeline_chart"]
    cells = [trace for trace in timeline["data"] if trace.get("yaxis") == "y2"]
    weeks = store_rows("SELECT count(DISTINCT date_trunc('week', date_start)) AS n FROM events", store)["n"].iloc[0]
    assert {name for trace in cells for name in trace["y"]} == set(top_any_role(10, store))
    assert sum(len(trace["x"]) for trace in cells) == 10 * weeks


def precision_store(folder: Path) -> Path:
    """Return a store of warnings on Actor B: by Actor A every third day of June 2022 and on 2023-03-10, by Actor C dated
    only '2023-03', by Actor D dated only '2023'."""
    dates = [(date(2022, 6, d), f"2022-06-{d:02d}", "day", "Actor A") for d in range(1, 30, 3)]
    dates += [(date(2023, 3, 10), "2023-03-10", "day", "Actor A"), (date(2023, 3, 10), "2023-03", "month", "Actor C")]
    dates += [(date(2023, 3, 10), "2023", "year", "Actor D")]
    arts = [article(f"p{i}", published) for i, (published, *_) in enumerate(dates)]
    events = {
        a.article_id: [directed(a, actor, "Actor B", date=value, date_precision=precision)]
        for a, (_, value, precision, actor) in zip(arts, dates, strict=True)
    }
    ingest_articles(arts, folder, fixed_extraction(events))
    return folder


def test_views_timeline_month_and_year_dates_stay_in_the_selected_range(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = ran(app_for(precision_store(tmp_path / "store"), monkeypatch))
    set_widget(at, "dates", (date(2023, 3, 1), date(2023, 3, 31)))
    ran(at)
    timeline = figures(open_view(at, "Timeline"))["timeline_chart"]
    points = [trace for trace in timeline["data"] if trace.get("yaxis") == "y2"]
    days = [date.fromisoformat(str(x)[:10]) for trace in points for x in trace["x"]]
    assert len(days) == 6 and all(date(2023, 3, 1) <= d <= date(2023, 3, 31) for d in days), days
    hover = [row[0] for trace in points for row in trace["customdata"]]
    assert {"2023 (year)", "2023-03 (month)", "2023-03-10 (day)"} <= set(hover)
    low, high = (date.fromisoformat(str(x)[:10]) for x in timeline["layout"]["xaxis"]["range"])
    assert date(2023, 2, 20) <= low <= date(2023, 3, 1) and date(2023, 3, 31) <= high <= date(2023, 4, 10), (low, high)


# ---- events table --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sort", "column"), [("confidence", "confidence"), ("source", "source_actor"), ("date", "date_start")])
def test_views_events_sorted_as_chosen(app: Any, sort: str, column: str) -> None:
    open_view(app, "Events")
    app.selectbox(key="sort").set_value(sort)
    app.toggle(key="descending").set_value(True)
    ran(app)
    table = next(d.value for d in app.dataframe if "event_id" in d.value.columns)
    expected = store_rows(f"SELECT event_id FROM events ORDER BY {column} DESC NULLS LAST, event_id")["event_id"].tolist()
    assert table["event_id"].tolist() == expected


# ---- adding articles -----------------------------------------------------------------------------------


def article_count(store: Path) -> int:
    return int(open_store(store).query("SELECT count(*) AS n FROM articles")["n"].iloc[0])


def added(at: Any) -> Any:
    at.button(key="add_articles").click()
    return ran(at)


def test_views_pasted_text_is_added(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    store = store_copy(tmp_path)
    before = article_count(store)
    at = open_view(ran(app_for(store, monkeypatch)), "Add articles")
    at.text_input(key="paste_title").input("Macron visits Berlin")
    at.text_area(key="paste_text").input("French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Tuesday.")
    added(at)
    assert any(plain(s.value) == "pasted text: 1 article(s) read" for s in at.success), [e.value for e in at.error]
    assert article_count(store) == before + 1
    assert "Macron visits Berlin" in open_store(store).articles()["title"].tolist()


# Holds the store's writer lock, as a command-line ingest does for its whole run, until its standard input is closed.
LOCK_HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pipeline.store.files import write_lock

    with write_lock(Path(sys.argv[1]), 1):
        print("held", flush=True)
        sys.stdin.read()
    """
)


def test_views_adding_while_an_ingest_writes_says_to_try_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    store = store_copy(tmp_path)
    before = article_count(store)
    command = [sys.executable, "-c", LOCK_HOLDER, str(store)]
    holder = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        at = ran(app_for(store, monkeypatch))
        assert at.get("plotly_chart"), "the views read the store while an ingest writes it"
        open_view(at, "Add articles")
        at.text_input(key="paste_title").input("Macron visits Berlin")
        at.text_area(key="paste_text").input("French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Tuesday.")
        started = time.monotonic()
        added(at)
        waited = time.monotonic() - started
    finally:
        holder.communicate("", timeout=30)
    errors = [plain(e.value) for e in at.error]
    assert len(errors) == 1, errors
    error = errors[0]
    assert error.startswith(f"Another ingest is writing to the store at {store} right now")
    assert "add the articles again in a moment" in error and "--lock-timeout" not in error
    assert waited < LOCK_WAIT_SECONDS + 10, "the page waited for the lock as the command line does (30 s)"
    assert article_count(store) == before


class OnePage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body = (200, PAGE) if self.path == "/scholz" else (404, b"not here")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def page_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), OnePage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_views_urls_are_fetched_and_added(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page_server: str) -> None:
    store = store_copy(tmp_path)
    before = article_count(store)
    at = open_view(ran(app_for(store, monkeypatch)), "Add articles")
    at.text_area(key="paste_urls").input(f"{page_server}/scholz\n{page_server}/missing\n")
    added(at)
    assert any(plain(s.value) == f"{page_server}/scholz: 1 article(s) read" for s in at.success), [e.value for e in at.error]
    assert any(plain(e.value).startswith(f"{page_server}/missing: 0 article(s) read; ") and "404" in e.value for e in at.error)
    assert article_count(store) == before + 1


def test_views_nothing_to_add_says_what_to_give(app: Any) -> None:
    added(open_view(app, "Add articles"))
    assert any("Nothing to add: upload a file, paste text or give a URL." in w.value for w in app.warning)


# ---- a store Eventline cannot read ---------------------------------------------------------------------


def test_views_old_store_page_says_to_migrate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    pd.DataFrame({"event_id": ["e1"]}).to_parquet(tmp_path / "old" / "events.parquet")
    at = ran(app_for(tmp_path / "old", monkeypatch))
    (error,) = at.error
    assert "schema version 0" in plain(error.value) and "python -m pipeline migrate" in plain(error.value)
    assert not at.tabs and not at.sidebar.multiselect


def test_views_damaged_store_page_says_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    a = article("a")
    store = tmp_path / "store"
    ingest_articles([a], store, fixed_extraction({"a": [directed(a, "Russia", "Finland")]}))
    part = open_store(store).manifest().files("events")[0]  # type: ignore[union-attr]
    (store / part).write_bytes((store / part).read_bytes()[:100])  # truncated
    at = ran(app_for(store, monkeypatch))
    (error,) = at.error
    text = plain(error.value)
    assert f"the store at {store} cannot be read" in text and part in text and "missing or damaged" in text
    assert f"move {store} away and ingest the articles again" in text
    assert not at.tabs


def test_views_every_bad_input_gets_one_clear_line_and_the_rest_is_added(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page_server: str, closed_port: int
) -> None:
    store = store_copy(tmp_path)
    before = article_count(store)
    at = open_view(ran(app_for(store, monkeypatch)), "Add articles")
    uploader = at.file_uploader(key="upload_files")
    assert not uploader.proto.type, "the uploader refuses some files itself, without saying why"
    uploader.upload("report.pdf", b"%PDF-1.4 not an article", "application/pdf")
    at.text_area(key="paste_urls").input(f"see the page below\n{page_server}/scholz\nhttp://127.0.0.1:{closed_port}/gone\n")
    added(at)
    errors = {plain(e.value).split(": ", 1)[0]: plain(e.value) for e in at.error}
    assert set(errors) == {"report.pdf", "see the page below", f"http://127.0.0.1:{closed_port}/gone"}, errors
    assert "not an article format (.pdf); expected one of " in errors["report.pdf"]
    assert errors["see the page below"].endswith("not a URL: give one http:// or https:// address per line")
    assert errors[f"http://127.0.0.1:{closed_port}/gone"].endswith("unreachable (Connection refused)")
    assert any(plain(s.value) == f"{page_server}/scholz: 1 article(s) read" for s in at.success)
    assert article_count(store) == before + 1


def test_views_heatmap_follows_the_selected_range(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = ran(app_for(precision_store(tmp_path / "store"), monkeypatch))
    set_widget(at, "dates", (date(2023, 3, 1), date(2023, 3, 31)))
    ran(at)
    heatmap = figures(open_view(at, "Actor activity"))["heatmap_chart"]
    months = {str(x)[:7] for x in heatmap["data"][0]["x"]}
    assert months == {"2023-03"}, months
    low, high = (date.fromisoformat(str(x)[:10]) for x in heatmap["layout"]["xaxis"]["range"])
    assert date(2023, 2, 1) <= low <= date(2023, 3, 1) and date(2023, 3, 31) <= high <= date(2023, 5, 1), (low, high)
