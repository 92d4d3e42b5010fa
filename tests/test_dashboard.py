"""Dashboard library tests: filters, queries (in memory and on the files alike), evidence Markdown, downloads, uploads, figures.

The app itself is tested with AppTest in test_dashboard_app.py and in a browser in test_dashboard_browser.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st
from store_helpers import article, directed, event, fixed_extraction
from test_dashboard_helpers import built_store, dyad_store, members_store, outlier_store, tone_store

from dashboard import queries
from dashboard.actors import actor_matches, affiliates_of, dictionary_affiliates, resolved_actor, search_menu
from dashboard.downloads import csv_bytes, json_bytes, xlsx_bytes
from dashboard.evidence import Span, escaped, evidence_items, evidence_markdown, highlighted, reported_by, safe_url, source_markdown
from dashboard.figures import (
    actor_bars,
    country_shapes,
    country_traces,
    dyad_figure,
    heatmap_figure,
    map_figure,
    network_figure,
    publishers_figure,
    spring_layout,
    timeline_figure,
    tone_figure,
)
from dashboard.filters import filter_description, filter_from_values, is_default, type_families, type_label
from dashboard.source import EventIndex, StoreSource
from dashboard.uploads import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, NOT_A_URL, safe_name, saved_uploads, url_sources
from pipeline.actors import ActorDictionary
from pipeline.cli import app_command, build_parser, streamlit_options
from pipeline.store import Affiliate, EventFilter, ingest_articles, open_store

US_OFFICIALS = (
    Affiliate("Joe Biden", date(2021, 1, 20), date(2025, 1, 20)),
    Affiliate("Antony Blinken", date(2021, 1, 26)),
    Affiliate("Barack Obama", date(2009, 1, 20), date(2017, 1, 20)),
    Affiliate("Nobody"),
)
FILTERS = [
    EventFilter(),
    EventFilter(actors=("Russia",)),
    EventFilter(actors=("Joe Biden",), as_source_only=True),
    EventFilter(actors=("Russia", "China")),
    EventFilter(countries=("RUS",)),
    EventFilter(types=("sanction", "warning")),
    EventFilter(statuses=("planned",)),
    EventFilter(since=date(2023, 3, 1)),
    EventFilter(since=date(2023, 2, 1), until=date(2023, 2, 28)),
    EventFilter(publishers=("Meridian Wire",)),
    EventFilter(min_articles=2),
    EventFilter(min_confidence=0.8),
    EventFilter(text="sanctions"),
    EventFilter(text="ISRAEL"),
    EventFilter(text="atlas daily"),
    EventFilter(text="mention_id"),  # in every event's evidence: the text filters nothing
    EventFilter(actors=("Russia",), types=("sanction",), publishers=("Atlas Daily",)),
    # values the store lacks beside ones it holds (the copy keeps names, countries, types and statuses as ENUMs)
    EventFilter(actors=("Nobody", "Antony Blinken"), as_source_only=True, countries=("XXX", "CHN", "POL"), types=("none", "visit")),
    # the chosen actors' members and officials on the days of their office (one held before the stored events, one unknown)
    EventFilter(actors=("United States",), affiliates=US_OFFICIALS),
    EventFilter(actors=("United States",), affiliates=US_OFFICIALS, as_source_only=True, since=date(2023, 2, 1)),
    EventFilter(background=False),
    EventFilter(actors=("Russia",), background=False, text="sanctions"),
]


@pytest.fixture(scope="module")
def store():
    return open_store(built_store())


@pytest.fixture(scope="module")
def index(store) -> EventIndex:
    built = EventIndex(store, background=False)
    assert built.ready.is_set() and built.searchable.is_set()
    return built


def stored_ids(store, f: EventFilter) -> list[str]:
    return store.events(f, columns=("event_id",))["event_id"].tolist()


# filters


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, EventFilter()),
        ({"actor": ["Russia"], "source_only": True}, EventFilter(actors=("Russia",), as_source_only=True)),
        ({"type": ["warning"], "status": ["planned"]}, EventFilter(types=("warning",), statuses=("planned",))),
        ({"family": ["threaten"], "type": ["attack", "warning"]}, EventFilter(types=("warning", "threat", "attack"))),
        ({"country": ["RUS"], "publisher": ["Atlas Daily"]}, EventFilter(countries=("RUS",), publishers=("Atlas Daily",))),
        ({"min_articles": 2, "min_confidence": 0.849}, EventFilter(min_articles=2, min_confidence=0.85)),
        ({"min_confidence": 7}, EventFilter(min_confidence=1.0)),
        ({"q": "  sanctions "}, EventFilter(text="sanctions")),
        ({"dates": (date(2023, 1, 1), date(2023, 2, 1))}, EventFilter(since=date(2023, 1, 1), until=date(2023, 2, 1))),
        ({"dates": (date(2023, 2, 1), date(2023, 1, 1))}, EventFilter(since=date(2023, 1, 1), until=date(2023, 2, 1))),
        ({"dates": (date(2023, 1, 1),)}, EventFilter()),  # the second day not picked yet
        ({"dates": (date(2020, 1, 1), date(2023, 2, 1))}, EventFilter(until=date(2023, 2, 1))),  # the store's first day
        ({"background": True, "q": "x"}, EventFilter(text="x")),
    ],
)
def test_filters_from_widget_values(values, expected):
    # the sidebar leaves the background events out unless its switch is on
    expected = replace(expected, background=bool(values.get("background")))
    assert filter_from_values(values, (date(2020, 1, 1), date(2024, 1, 1))) == expected


def test_filters_description_names_every_field():
    f = EventFilter(
        ("Russia",), True, ("RUS",), ("warning",), ("planned",), date(2023, 1, 1), date(2023, 2, 1), ("Atlas Daily",), 2, 0.5, "x"
    )
    text = filter_description(f)
    for words in ("Russia (as source)", "RUS", "warning", "planned", "since 2023-01-01", "until 2023-02-01", "Atlas Daily", "2 articles"):
        assert words in text
    assert filter_description(EventFilter()) == "none (every stored event)"
    assert is_default(EventFilter()) and not is_default(f)


def test_filters_types_grouped_by_family():
    assert type_families()["consult"] == ("meeting", "visit", "call", "summit")
    assert type_label("visit") == "consult · visit"
    assert type_label("statement") == "statement"


# queries: the in-memory copy and the files give the store's own answer


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: filter_description(f)[:40])
def test_queries_memory_and_files_agree_with_store(store, index, f):
    files = StoreSource(store)
    expected = stored_ids(store, f)
    for source in (index, files):
        assert sorted(queries.events_page(source, f, limit=1000)["event_id"]) == sorted(expected)
        assert queries.overview(source, f).events == len(expected)
    for query, args in [
        ("period_counts", ("day",)),
        ("top_actors", ("any", 10)),
        ("top_actors", ("target", 10)),
        ("timeline_cells", (["Russia", "Joe Biden"], "month")),
        ("timeline_points", (["Russia", "Joe Biden"], 100)),
        ("actor_months", (["Russia", "China"],)),
        ("actor_edges", (50,)),
        ("map_places", ()),
        ("country_counts", ()),
        ("profile_counterparts", ("Russia",)),
        ("profile_types", ("Russia",)),
        ("profile_roles", ("Russia", "month")),
        ("tone_periods", ("week",)),
        ("dyad_tone", ("Russia", "United States", "week")),
        ("publisher_summary", ()),
        ("publisher_types", ()),
        ("single_publisher_events", (100,)),
    ]:
        in_memory, on_files = (getattr(queries, query)(source, f, *args) for source in (index, files))
        pd.testing.assert_frame_equal(in_memory, on_files, check_dtype=False, obj=query)


def test_queries_edges_match_store_actor_edges(store, index):
    ours = queries.actor_edges(index, EventFilter(), 500)
    theirs = store.actor_edges(EventFilter(), limit=500)
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)


def test_queries_country_counts_are_what_the_countries_filter_keeps(store, index):
    counts = queries.country_counts(index, EventFilter())
    assert not counts.empty and counts["country"].is_unique and "" not in set(counts["country"])
    for country, events in zip(counts["country"], counts["events"], strict=True):
        assert events == len(stored_ids(store, EventFilter(countries=(country,)))), country


def test_queries_index_answers_from_files_until_built(store):
    waiting = EventIndex(store, background=False)
    waiting.ready.clear()
    assert not waiting.in_memory(EventFilter())
    assert queries.overview(waiting, EventFilter()).events == len(stored_ids(store, EventFilter()))
    waiting.searchable.clear()
    waiting.ready.set()
    assert waiting.in_memory(EventFilter(actors=("Russia",))) and not waiting.in_memory(EventFilter(text="x"))


@pytest.mark.parametrize(
    ("first", "last", "requested", "expected"),
    [
        (date(2023, 1, 1), date(2023, 2, 1), "auto", "day"),
        (date(2023, 1, 1), date(2024, 1, 1), "auto", "week"),
        (date(2015, 1, 1), date(2024, 12, 31), "auto", "month"),
        (date(1990, 1, 1), date(2024, 12, 31), "auto", "year"),
        (date(2015, 1, 1), date(2024, 12, 31), "day", "month"),  # ten years by day or week are too many bars
        (date(2023, 1, 1), date(2023, 2, 1), "month", "month"),
        (None, None, "auto", "day"),
    ],
)
def test_queries_auto_period(first, last, requested, expected):
    assert queries.auto_period(first, last, requested) == expected


def test_queries_facets_list_the_store(store):
    facets = queries.facets(store)
    assert {"Russia", "Joe Biden", "China"} <= set(facets.actors)
    assert facets.publishers == ("Atlas Daily", "Meridian Wire", "Pacific Courier")
    assert facets.events == len(stored_ids(store, EventFilter())) and facets.articles == 5


def test_queries_aliases_are_the_words_found(store):
    aliases = queries.aliases(store, "Russia")
    assert "Russia" in set(aliases["alias"])


# evidence: article text never becomes markup

PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def unescaped_punctuation(markdown: str) -> list[str]:
    """Return the ASCII punctuation characters of a Markdown text that no backslash escapes."""
    found, at = [], 0
    while at < len(markdown):
        if markdown[at] == "\\":
            at += 2
            continue
        if markdown[at] in PUNCTUATION:
            found.append(markdown[at])
        at += 1
    return found


@given(st.text())
def test_evidence_escaped_text_has_no_live_markup(text):
    assert unescaped_punctuation(escaped(text)) == []


# One of our highlights: a colour directive around escaped words, bold for the trigger.
HIGHLIGHT = re.compile(r":(?:red|blue|orange|violet)-background\[(?:\*\*)?((?:\\.|[^\\\]*])*)(?:\*\*)?\]")


@given(st.text(min_size=1), st.integers(-5, 50), st.integers(-5, 50))
def test_evidence_highlight_markup_is_only_ours(sentence, start, end):
    markdown = highlighted(sentence, (start, end), [Span(0, 3, "source"), Span(2, 9, "target")])
    assert unescaped_punctuation(HIGHLIGHT.sub(lambda m: m.group(1), markdown)) == []


def test_evidence_highlights_trigger_and_actors():
    markdown = highlighted("Russia warned Finland [1].", (7, 13), [Span(0, 6, "source", "Russia"), Span(14, 21, "target", "Finland")])
    assert markdown == ":blue-background[Russia] :red-background[**warned**] :orange-background[Finland] \\[1\\]\\."


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a(b) c", "https://example.org/a%28b%29%20c"),
        ("javascript:alert(1)", ""),
        ("data:text/html,<b>x</b>", ""),
        ("", ""),
    ],
)
def test_evidence_safe_url(url, expected):
    assert safe_url(url) == expected


@pytest.mark.parametrize(
    ("n_articles", "n_publishers", "expected"),
    [
        (7, 6, "reported by 6 outlets in 7 articles"),
        (1, 1, "reported by 1 outlet in 1 article"),
        (2, 0, "reported in 2 articles"),
    ],
)
def test_evidence_reported_by_counts_outlets_and_articles(n_articles, n_publishers, expected):
    assert reported_by(n_articles, n_publishers) == expected


def test_evidence_of_injected_article_is_inert(store):
    event_id = store.events(EventFilter(publishers=("Pacific Courier",)), columns=("event_id",))["event_id"].iloc[0]
    mention = store.mentions((event_id,)).iloc[0]
    item = evidence_items(mention)[0]
    for markdown in (evidence_markdown(item), source_markdown(item)):
        assert "<script>" not in markdown and "](javascript" not in markdown and "[sabotage](" not in markdown
    assert source_markdown(item).startswith("\\=1\\+2 \\[Click here\\]")  # no link: the URL is not http(s)


# downloads hold exactly the filtered events


@pytest.mark.parametrize("f", FILTERS[:8], ids=lambda f: filter_description(f)[:40])
def test_downloads_csv_holds_exactly_the_filtered_events(store, f):
    lines = csv_bytes(store, f).decode("utf-8")
    header, body = lines.split("\n", 1)
    assert header.startswith('"# Eventline export') or header.startswith("# Eventline export")
    assert filter_description(f) in next(csv.reader([header]))[0]
    table = pd.read_csv(io.StringIO(body), keep_default_na=False)
    assert table["event_id"].tolist() == stored_ids(store, f)
    assert tuple(table.columns) == tuple(store.events(f).columns)


def test_downloads_are_spreadsheet_safe(store):
    f = EventFilter(publishers=("Pacific Courier",))
    table = pd.read_csv(io.StringIO(csv_bytes(store, f).decode("utf-8").split("\n", 1)[1]), keep_default_na=False)
    assert table["article_title"].str.startswith("'=1+2").all()
    sheet = pd.read_excel(io.BytesIO(xlsx_bytes(store, f)), sheet_name=None)
    assert sheet["events"]["article_title"].str.startswith("'=1+2").all()
    assert "Pacific Courier" in sheet["filters"].iloc[0, 0]


def test_downloads_json_names_filters_and_holds_events(store):
    f = EventFilter(actors=("Russia",))
    record = json.loads(json_bytes(store, f))
    assert record["export"]["filters"]["actors"] == ["Russia"]
    assert [e["event_id"] for e in record["events"]] == stored_ids(store, f)
    assert record["export"]["events"] == len(record["events"])


def test_downloads_empty_filter_gives_header_only(store):
    f = EventFilter(text="no such words anywhere")
    assert json.loads(json_bytes(store, f))["events"] == []
    assert len(csv_bytes(store, f).decode().strip().split("\n")) == 2  # filters line and header row


# uploads


@pytest.mark.parametrize(
    ("name", "expected"),
    [("report.html", "report.html"), ("../../etc/passwd", "passwd"), ("C:\\x\\a b.txt", "a_b.txt"), ("...", "upload")],
)
def test_uploads_safe_name(name, expected):
    assert safe_name(name) == expected


def test_uploads_refuse_oversized_files(tmp_path: Path):
    kept, refused = saved_uploads([("big.txt", b"x" * (MAX_UPLOAD_BYTES + 1)), ("ok.txt", b"Title\n\nText.")], tmp_path)
    assert [name for name, _ in kept] == ["ok.txt"] and refused[0].source == "big.txt" and not refused[0].ok


def test_uploads_limit_is_streamlits_in_the_checkout_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB


def test_uploads_limit_reaches_streamlit_wherever_the_app_starts(tmp_path: Path):
    """``python -m pipeline app`` passes the limit on Streamlit's command line: Streamlit reads .streamlit/config.toml only
    in the folder it starts in, and an installed Eventline or its Docker image has none."""
    args = build_parser().parse_args(["app", "--store", str(tmp_path)])
    options = streamlit_options(args)
    command = app_command(args)
    assert command[command.index("run") + 2 : command.index("--")] == options
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show", *options], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert f"maxUploadSize = {MAX_UPLOAD_MB}" in shown.splitlines()


def test_usage_statistics_off_in_the_checkout_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False


def test_usage_statistics_off_wherever_the_app_starts(tmp_path: Path):
    """``python -m pipeline app`` turns Streamlit's usage statistics off on its command line, as the checkout's config does."""
    options = streamlit_options(build_parser().parse_args(["app", "--store", str(tmp_path)]))
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show", *options], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert "gatherUsageStats = false" in shown.splitlines()


def test_uploads_url_sources_name_every_line_that_is_not_a_url():
    urls, refused = url_sources("https://a.example/x\n\n  HTTPS://b.example \nnot a url\nftp://c\nhttps://a.example/x\nhttps://d https://e")
    assert urls == ["https://a.example/x", "HTTPS://b.example"]
    assert [(r.source, r.problems) for r in refused] == [(line, (NOT_A_URL,)) for line in ("not a url", "ftp://c", "https://d https://e")]


# figures: built from small frames, article text escaped


def test_figures_escape_article_text():
    edges = pd.DataFrame({"source": ["<b>A</b>", "B"], "target": ["B", "C"], "events": [3, 1], "mean_goldstein": [-8.0, 4.0]})
    figure = network_figure(edges)
    assert "&lt;b&gt;A&lt;/b&gt;" in figure.data[-1].text and "<b>A</b>" not in figure.data[-1].text
    assert all("<b>" not in text for text in figure.data[-2].hovertext)
    top = pd.DataFrame({"actor": ["<a href='x'>A</a>"], "events": [2]})
    assert list(actor_bars(top, "source").data[0].y) == ["&lt;a href='x'&gt;A&lt;/a&gt;"]


def test_figures_handle_empty_frames():
    empty_counts = pd.DataFrame(columns=["period", "event_type", "events"])
    assert timeline_figure(empty_counts, [], "day").layout.annotations
    assert heatmap_figure(pd.DataFrame(columns=["actor", "month", "events"]), []).layout.annotations
    assert network_figure(pd.DataFrame(columns=["source", "target", "events", "mean_goldstein"])).layout.annotations
    empty_places = pd.DataFrame(columns=["location", "location_country", "latitude", "longitude", "events", "top_type"])
    assert len(map_figure(empty_places).data) == 1  # the land only


def test_figures_country_choropleth_counts_known_countries_only():
    countries = pd.DataFrame({"country": ["RUS", "USA", "XXX", "", "FRA"], "events": [9, 4, 7, 3, 0]})
    traces = country_traces(countries)
    shapes = [t for t in traces if t.meta == "country"]
    assert [t.name for t in shapes] == ["Russia (RUS): 9 events", "United States of America (USA): 4 events"]
    assert all(t.fill == "toself" and t.hoveron == "fills" for t in shapes)
    assert shapes[0].fillcolor != shapes[1].fillcolor  # darker for more events
    scale = next(t for t in traces if t.meta == "country scale")
    assert list(scale.marker.colorbar.ticktext) == ["1", "9"]
    assert country_traces(countries[countries["country"] == "XXX"]) == []
    empty_places = pd.DataFrame(columns=["location", "location_country", "latitude", "longitude", "events", "top_type"])
    figure = map_figure(empty_places, countries)
    assert len(figure.data) == 1 + len(traces) and figure.layout.xaxis.range == (-180, 180)


def test_figures_country_shapes_are_small_and_keyed_by_iso3():
    shapes = country_shapes()
    assert len(shapes) > 170 and all(re.fullmatch(r"[A-Z]{3}", code) for code in shapes)
    assert shapes["FRA"][0] == "France" and shapes["NOR"][0] == "Norway"
    path = ROOT / "dashboard" / "world_countries.json"
    assert path.stat().st_size < 1_000_000 and "Natural Earth" in json.loads(path.read_text(encoding="utf-8"))["source"]


def test_figures_spring_layout_places_every_node():
    edges = pd.DataFrame({"source": ["A", "A", "B"], "target": ["B", "C", "C"], "events": [5, 1, 2]})
    pos = spring_layout(["A", "B", "C", "D"], edges)
    assert set(pos) == {"A", "B", "C", "D"} and len(set(pos.values())) == 4


# actors: names and aliases as typed

NAMES = {
    "Russia": ("Russia", "Russian Federation", "Moscow", "Kremlin", "the Kremlin"),
    "Australia": ("Australia", "Commonwealth of Australia"),
    "Justin Trudeau": ("Justin Trudeau", "Trudeau"),
    "United States": ("United States", "US", "USA", "America"),
    "Moscow": ("Moscow",),
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("russia", "Russia"),
        (" RUSSIA ", "Russia"),
        ("the kremlin", "Russia"),
        ("usa", "United States"),
        ("Moscow", "Moscow"),  # a canonical name before another actor's alias
        ("Nowhere", None),
    ],
)
def test_actors_resolved_actor(value, expected):
    assert resolved_actor(value, NAMES) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kremlin", ["Russia"]),
        ("USA", ["United States"]),  # not Russia, Australia or Justin Trudeau
        ("moscow", ["Moscow", "Russia"]),  # a canonical name before another actor's alias
        ("trud", ["Justin Trudeau"]),  # a prefix of a word of the name
        ("Rusia", ["Russia"]),  # a near spelling
        ("a", ["Australia", "United States"]),  # prefixes of names and aliases, in the order given
        ("Ru", ["Russia"]),
        ("  ", []),
        ("zzz", []),
    ],
)
def test_actors_matches_rank_exact_prefix_then_fuzzy(query, expected):
    assert actor_matches(query, NAMES) == expected


def test_actors_matches_exact_before_prefix_before_fuzzy():
    names = {"Bellarus": ("Bellarus",), "Belarusian Army": ("Belarusian Army",), "Belarus": ("Belarus", "Minsk")}
    assert actor_matches("belarus", names) == ["Belarus", "Belarusian Army", "Bellarus"]


def test_actors_search_menu_keeps_the_chosen_actors():
    assert search_menu(NAMES, "kremlin", ["Moscow"]) == ["Moscow", "Russia"]


def test_downloads_first_line_says_where_the_events_come_from(store):
    f = EventFilter(text='=HYPERLINK("x")')
    first = next(csv.reader([csv_bytes(store, f).decode("utf-8").split("\n", 1)[0]]))
    assert len(first) == 1 and first[0].startswith("#")
    generation = store.manifest().generation
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
    pattern = rf"# Eventline export: 0 events; filters: text contains .*; store commit {generation}; exported {stamp}"
    assert re.fullmatch(pattern, first[0]), first[0]


def test_queries_facets_bulk_of_dates_leaves_outliers_out(tmp_path: Path):
    found = queries.facets(open_store(outlier_store(tmp_path / "store")))
    assert (found.first_day, found.last_day) == (date(1990, 1, 1), date(2031, 1, 1))
    assert date(2023, 1, 1) <= found.bulk_first <= date(2023, 1, 5)
    assert date(2023, 7, 15) <= found.bulk_last <= date(2023, 7, 19)


@pytest.mark.parametrize(
    ("first", "last", "low", "high", "expected"),
    [
        (date(2022, 1, 1), date(2022, 12, 31), date(2022, 1, 5), date(2022, 12, 27), (date(2022, 1, 1), date(2022, 12, 31))),
        (date(1990, 1, 1), date(2023, 12, 31), date(2023, 1, 5), date(2023, 12, 27), (date(2023, 1, 5), date(2023, 12, 31))),
        (date(2023, 1, 1), date(2031, 1, 1), date(2023, 1, 5), date(2023, 12, 27), (date(2023, 1, 1), date(2023, 12, 27))),
        (date(2023, 1, 1), date(2023, 1, 1), date(2023, 1, 1), date(2023, 1, 1), (date(2023, 1, 1), date(2023, 1, 1))),
        (None, None, None, None, (None, None)),
    ],
)
def test_queries_bulk_range_trims_only_stray_ends(first, last, low, high, expected):
    assert queries.bulk_range(first, last, low, high) == expected


def non_actor_store(folder: Path) -> Path:
    """Return a store in which the United States acts on Russia, and so do a news agency (kind organisation, but a publisher
    of the stored articles, named in their datelines) and Texas (a place); Ukraine and Russia meet as equals."""
    arts = [article("n1"), article("n2", publisher="Reuters"), article("n3"), article("n4")]
    kinds = {"source_kind": "state", "target_kind": "state"}
    events = {
        "n1": [directed(arts[0], "United States", "Russia", **kinds)],
        "n2": [directed(arts[1], "Reuters", "Russia", event_type="accusation", **{**kinds, "source_kind": "organisation"})],
        "n3": [directed(arts[2], "Texas", "Russia", event_type="threat", **{**kinds, "source_kind": "place"})],
        "n4": [event(arts[3], source_actor="Ukraine", source_kind="state", participants="Ukraine;Russia")],
    }
    ingest_articles(arts, folder, fixed_extraction(events))
    return folder


def test_queries_edges_join_only_actors(tmp_path: Path):
    store = open_store(non_actor_store(tmp_path / "store"))
    for source in (StoreSource(store), EventIndex(store, background=False)):
        edges = queries.actor_edges(source, EventFilter())
        assert sorted(zip(edges["source"], edges["target"], strict=True)) == [("Russia", "Ukraine"), ("United States", "Russia")]


# members and officials (issue 15, item 10)

NATO_AFFILIATES = (Affiliate("Jens Stoltenberg", date(2014, 10, 1), date(2024, 10, 1)), Affiliate("NATO Military Committee"))


@pytest.fixture(scope="module")
def nato_store(tmp_path_factory) -> Path:
    return members_store(tmp_path_factory.mktemp("members") / "store")


def kept_articles(store: Path, f: EventFilter) -> set[str]:
    return set(open_store(store).events(f, columns=("article_id",))["article_id"])


@pytest.fixture(scope="module")
def dictionary_affiliations() -> dict[str, tuple[Affiliate, ...]]:
    return dictionary_affiliates(ActorDictionary.load())


def test_actors_affiliates_are_bodies_and_officials_in_office(dictionary_affiliations):
    nato = dictionary_affiliations["NATO"]
    assert Affiliate("NATO Military Committee") in nato
    assert Affiliate("Jens Stoltenberg", date(2014, 10, 1), date(2024, 10, 1)) in nato
    assert not {a.name for a in nato} & {"France", "United States", "NATO"}  # member states are not affiliates
    assert Affiliate("Sergey Lavrov", date(2004, 3, 9)) in dictionary_affiliations["Russia"]
    assert any(a.name == "European Commission" for a in dictionary_affiliations["European Union"])


def test_actors_affiliates_of_keeps_the_stored_and_unchosen(dictionary_affiliations):
    stored = {"NATO", "Jens Stoltenberg", "NATO Military Committee", "Sergey Lavrov"}
    found = affiliates_of(("NATO",), dictionary_affiliations, stored)
    assert {a.name for a in found} == {"Jens Stoltenberg", "NATO Military Committee"}
    assert affiliates_of(("NATO", "Jens Stoltenberg"), dictionary_affiliations, stored) == (Affiliate("NATO Military Committee"),)
    assert affiliates_of(("Jens Stoltenberg",), dictionary_affiliations, stored) == ()


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (EventFilter(actors=("NATO",)), {"nato", "lavrov"}),
        (EventFilter(actors=("NATO",), affiliates=NATO_AFFILIATES), {"nato", "lavrov", "sg_in_office", "committee"}),
        (EventFilter(actors=("NATO",), affiliates=NATO_AFFILIATES, as_source_only=True), {"nato", "sg_in_office", "committee"}),
        (EventFilter(actors=("NATO",), affiliates=NATO_AFFILIATES, since=date(2020, 5, 10)), {"lavrov", "sg_in_office", "committee"}),
    ],
)
def test_store_filter_keeps_affiliates_acts_while_affiliated(nato_store, f, expected):
    assert kept_articles(nato_store, f) == expected
    store = open_store(nato_store)
    for source in (EventIndex(store, background=False), StoreSource(store)):
        assert {str(i) for i in queries.events_page(source, f, limit=100)["event_id"]} == set(stored_ids(store, f))


def test_filters_members_on_unless_switched_off():
    given = {"actor": ["NATO"]}
    assert filter_from_values(given, affiliates=lambda chosen: NATO_AFFILIATES).affiliates == NATO_AFFILIATES
    assert filter_from_values({**given, "members": False}, affiliates=lambda chosen: NATO_AFFILIATES).affiliates == ()
    assert filter_from_values({}, affiliates=lambda chosen: NATO_AFFILIATES) == EventFilter(background=False)
    text = filter_description(EventFilter(actors=("NATO",), affiliates=NATO_AFFILIATES))
    assert "with their members and officials in office: Jens Stoltenberg, NATO Military Committee" in text


# the dyad view


@pytest.fixture(scope="module")
def russia_ukraine(tmp_path_factory) -> Path:
    return dyad_store(tmp_path_factory.mktemp("dyad") / "store")


def test_queries_dyad_months_counts_both_directions_and_acts_among_equals(russia_ukraine):
    store = open_store(russia_ukraine)
    results = [
        queries.dyad_months(source, EventFilter(), "Russia", "Ukraine")
        for source in (EventIndex(store, background=False), StoreSource(store))
    ]
    pd.testing.assert_frame_equal(*results, check_dtype=False)
    months = results[0]
    rows = {
        (str(m)[:7] if pd.notna(m) else None, d, t): (e, g)
        for m, d, t, e, g in months[["month", "direction", "event_type", "events", "goldstein_sum"]].itertuples(index=False)
    }
    assert rows == {
        ("2023-01", "first", "attack"): (1, -10.0),
        ("2023-01", "first", "warning"): (1, -4.0),
        ("2023-01", "second", "accusation"): (1, -2.0),
        ("2023-03", "second", "demand"): (1, -3.0),  # dated to March 2023
        ("2023-03", "mutual", "meeting"): (1, 4.0),
        (None, "first", "sanction"): (1, -5.0),  # dated only to 2022
    }
    swapped = queries.dyad_months(StoreSource(store), EventFilter(), "Ukraine", "Russia")
    assert swapped.groupby("direction")["events"].sum().to_dict() == {"first": 2, "second": 3, "mutual": 1}


def test_queries_dyad_months_under_a_filter(russia_ukraine):
    store = open_store(russia_ukraine)
    for f in (EventFilter(types=("attack", "meeting")), EventFilter(actors=("Ukraine",), since=date(2023, 2, 1))):
        found = [
            queries.dyad_months(source, f, "Russia", "Ukraine") for source in (EventIndex(store, background=False), StoreSource(store))
        ]
        pd.testing.assert_frame_equal(*found, check_dtype=False)
    assert set(found[0]["event_type"]) == {"demand", "meeting"}


def test_figures_dyad_rows_and_goldstein_by_month(russia_ukraine):
    months = queries.dyad_months(StoreSource(open_store(russia_ukraine)), EventFilter(), "Russia", "Ukraine")
    figure = dyad_figure(months, "Russia", "Ukraine<b>")
    titles = [a.text for a in figure.layout.annotations]
    assert titles[:3] == ["Russia → Ukraine&lt;b&gt;", "Ukraine&lt;b&gt; → Russia", "Between them (acts among equals)"]
    counts = [t for t in figure.data if t.type == "bar" and t.name != "mean Goldstein"]
    assert {(t.name, t.yaxis) for t in counts} == {
        ("attack", "y"),
        ("warning", "y"),
        ("accusation", "y2"),
        ("demand", "y2"),
        ("meeting", "y3"),
    }
    assert sorted(t.name for t in counts if t.showlegend) == ["accusation", "attack", "demand", "meeting", "warning"]
    (mean,) = [t for t in figure.data if t.name == "mean Goldstein"]
    assert mean.yaxis == "y4" and list(mean.y) == [pytest.approx(-16 / 3), pytest.approx(0.5)]  # January; March: (-3 + 4) / 2
    assert list(mean.marker.color) == ["#b2182b", "#2166ac"]  # conflict red, cooperation blue
    assert all(t.name != "sanction" for t in figure.data)  # the year-dated act has no month


def test_figures_dyad_without_dated_interactions():
    figure = dyad_figure(pd.DataFrame(columns=["month", "direction", "event_type", "events", "scored", "goldstein_sum"]), "A", "B")
    assert "No interactions" in figure.layout.annotations[0].text


# the tone and publishers views


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    return tone_store(tmp_path_factory.mktemp("tone") / "store")


def both_sources(store_path: Path, query: str, f: EventFilter, *args: object) -> pd.DataFrame:
    """Return a query's result, checking that the in-memory copy and the files give the same."""
    store = open_store(store_path)
    found = [getattr(queries, query)(source, f, *args) for source in (EventIndex(store, background=False), StoreSource(store))]
    pd.testing.assert_frame_equal(*found, check_dtype=False, obj=query)
    return found[0]


def tone_rows(tone: pd.DataFrame) -> dict[str | None, tuple]:
    """Return a tone table by week (None: no week), as (events, mean, cooperative, conflictual, neutral)."""
    columns = ["period", "events", "mean_goldstein", "cooperative", "conflictual", "neutral"]
    return {
        (str(p)[:10] if pd.notna(p) else None): (n, pytest.approx(m), co, cf, ne)
        for p, n, m, co, cf, ne in tone[columns].itertuples(index=False)
    }


def test_queries_tone_periods_count_cooperation_and_conflict_per_week(reports):
    assert tone_rows(both_sources(reports, "tone_periods", EventFilter(), "week")) == {
        "2023-03-06": (3, -5 / 3, 1, 2, 0),  # the attack (two publishers, one event), the accusation, the aid
        "2023-03-13": (3, 0.0, 1, 1, 1),  # the meeting, the statement (0: neither), the warning
        None: (1, -5.0, 0, 1, 0),  # the sanction, dated only to March
    }
    assert tone_rows(both_sources(reports, "tone_periods", EventFilter(), "month")) == {"2023-03-01": (7, -10 / 7, 2, 4, 1)}


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (EventFilter(types=("aid", "warning")), {"2023-03-06": (1, 7.0, 1, 0, 0), "2023-03-13": (1, -4.0, 0, 1, 0)}),
        (EventFilter(publishers=("Harbor Post",)), {"2023-03-06": (2, -1.5, 1, 1, 0), "2023-03-13": (1, -4.0, 0, 1, 0)}),
        (EventFilter(actors=("France",)), {"2023-03-13": (1, 0.0, 0, 0, 1)}),
        (EventFilter(since=date(2023, 3, 13)), {"2023-03-13": (3, 0.0, 1, 1, 1), None: (1, -5.0, 0, 1, 0)}),
        (EventFilter(text="of a2"), {"2023-03-06": (1, -2.0, 0, 1, 0)}),
    ],
)
def test_queries_tone_periods_under_a_filter(reports, f, expected):
    assert tone_rows(both_sources(reports, "tone_periods", f, "week")) == expected


def test_queries_dyad_tone_counts_the_events_between_two_actors(reports):
    expected = {"2023-03-06": (2, -6.0, 0, 2, 0), "2023-03-13": (2, 0.0, 1, 1, 0), None: (1, -5.0, 0, 1, 0)}
    assert tone_rows(both_sources(reports, "dyad_tone", EventFilter(), "Russia", "Ukraine", "week")) == expected
    assert tone_rows(both_sources(reports, "dyad_tone", EventFilter(), "Ukraine", "Russia", "week")) == expected
    under = both_sources(reports, "dyad_tone", EventFilter(actors=("China",)), "Russia", "Ukraine", "week")
    assert under.empty  # China takes part in none of their events
    assert both_sources(reports, "dyad_tone", EventFilter(), "China", "Ukraine", "week").empty


def test_queries_publishers_count_what_each_reported(reports):
    summary = both_sources(reports, "publisher_summary", EventFilter())
    assert summary.values.tolist() == [["Atlas Daily", 4, 3], ["Harbor Post", 3, 2], ["Meridian Wire", 1, 1]]
    types = both_sources(reports, "publisher_types", EventFilter())
    assert {(p, t): n for p, t, n in types.itertuples(index=False)} == {
        ("Atlas Daily", "attack"): 1,
        ("Atlas Daily", "accusation"): 1,
        ("Atlas Daily", "meeting"): 1,
        ("Atlas Daily", "sanction"): 1,
        ("Harbor Post", "attack"): 1,
        ("Harbor Post", "aid"): 1,
        ("Harbor Post", "warning"): 1,
        ("Meridian Wire", "statement"): 1,
    }


def test_queries_publishers_under_a_filter(reports):
    chosen = EventFilter(publishers=("Harbor Post",))
    assert both_sources(reports, "publisher_summary", chosen).values.tolist() == [["Harbor Post", 3, 2]]
    assert set(both_sources(reports, "publisher_types", chosen)["publisher"]) == {"Harbor Post"}
    attack = EventFilter(types=("attack",))
    assert both_sources(reports, "publisher_summary", attack).values.tolist() == [["Atlas Daily", 1, 0], ["Harbor Post", 1, 0]]
    assert both_sources(reports, "single_publisher_events", attack, 10).empty


def test_queries_single_publisher_events_by_publisher_then_date(reports):
    single = both_sources(reports, "single_publisher_events", EventFilter(), 10)
    assert single.columns[0] == "publisher" and "event_id" in single.columns
    assert [(p, t) for p, t in single[["publisher", "event_type"]].itertuples(index=False)] == [
        ("Atlas Daily", "sanction"),  # March 2023 starts on the 1st
        ("Atlas Daily", "accusation"),
        ("Atlas Daily", "meeting"),
        ("Harbor Post", "aid"),
        ("Harbor Post", "warning"),
        ("Meridian Wire", "statement"),
    ]
    assert len(both_sources(reports, "single_publisher_events", EventFilter(), 2)) == 2
    chosen = both_sources(reports, "single_publisher_events", EventFilter(publishers=("Meridian Wire",), types=("statement",)), 10)
    assert chosen["event_type"].tolist() == ["statement"]


def test_figures_tone_bars_by_week(reports):
    tone = queries.tone_periods(StoreSource(open_store(reports)), EventFilter(), "week")
    figure = tone_figure(tone, "week")
    (mean,) = [t for t in figure.data if t.name == "mean Goldstein"]
    assert [str(x)[:10] for x in mean.x] == ["2023-03-06", "2023-03-13"]  # the month-dated sanction is not drawn
    assert list(mean.y) == [pytest.approx(-5 / 3), 0.0] and list(mean.marker.color) == ["#b2182b", "#2166ac"]
    bars = {t.name: list(t.y) for t in figure.data if t.name in ("cooperative", "conflictual")}
    assert bars == {"cooperative": [1, 1], "conflictual": [-2, -1]}  # conflict drawn below zero
    assert mean.yaxis == "y" and all(t.yaxis == "y2" for t in figure.data if t.name != "mean Goldstein")
    assert tone_figure(tone, "week", "<b>A</b> and B").layout.title.text == "&lt;b&gt;A&lt;/b&gt; and B"


def test_figures_tone_without_dated_events():
    undated = pd.DataFrame(
        {"period": [None], "events": [2], "scored": [2], "mean_goldstein": [1.0], "cooperative": [1], "conflictual": [1], "neutral": [0]}
    )
    assert "No events dated to a week" in tone_figure(undated, "week").layout.annotations[0].text


def test_figures_publishers_heatmap_counts_each_publisher_and_type():
    counts = pd.DataFrame(
        {
            "publisher": ["<i>Wire</i>", "<i>Wire</i>", "Post", "Other"],
            "event_type": ["attack", "zzz", "meeting", "aid"],
            "events": [2, 1, 3, 5],
        }
    )
    figure = publishers_figure(counts, ["Post", "<i>Wire</i>"])
    (heat,) = figure.data
    assert list(heat.y) == ["Post", "&lt;i&gt;Wire&lt;/i&gt;"]  # in the order given; Other is not shown
    assert list(heat.x) == ["meeting", "attack", "zzz"]  # family by family, an unknown type last
    assert heat.z.tolist() == [[3, 0, 0], [0, 2, 1]]
    assert heat.text.tolist() == [["3", "", ""], ["", "2", "1"]]
    assert publishers_figure(counts, ["Nobody"]).layout.annotations
