"""The dashboard in headless Chromium, for what only a browser shows: every view renders without a console error and
without a request leaving the machine (the map's country shapes included), the URL carries the filters (and a link
restores them), a row chosen in the table opens its evidence, the download holds the events of the view.

Needs Debian's chromium at /usr/bin/chromium (``.ci/run`` installs it) and the ``playwright`` package, which drives
that binary (no browser is downloaded); skips with a message naming what is missing, and fails under CI
(``EVENTLINE_CI=1``), where it must run.
"""

from __future__ import annotations

import csv
import io
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import needs
from test_dashboard_helpers import APP, built_store, stored_events

from dashboard import queries
from dashboard.figures import country_shapes
from dashboard.filters import VIEWS
from dashboard.queries import events_page
from dashboard.source import StoreSource
from pipeline.store import EventFilter, open_store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 60.0
STEP_TIMEOUT_MS = 90_000  # generous: CI machines may be busy; a hang still fails
# What each view shows once drawn: its plotly charts, or the element that stands for it.
VIEW_CONTENT = {
    "Timeline": (1, ""),
    "Actor activity": (4, ""),
    "Actor profile": (4, ""),
    "Dyad": (1, ""),
    "Tone": (1, ""),
    "Publishers": (1, ""),
    "Map": (1, ""),
    "Events": (0, "[data-testid='stDataFrame']"),
    "Add articles": (0, "[data-testid='stFileUploader']"),
}
RUSSIA = EventFilter(actors=("Russia",))

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the app stopped: {server.stdout.read() if server.stdout else ''}")
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"the app did not start within {START_TIMEOUT:g} s")


def server_command(port: int) -> list[str]:
    """Return the command that serves the app on the fixture store at ``port``."""
    options = ["--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1"]
    options += ["--browser.gatherUsageStats", "false"]
    return [sys.executable, "-m", "streamlit", "run", str(APP), *options, "--", "--store", str(built_store())]


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    if not CHROMIUM.exists():
        needs(f"Debian's chromium at {CHROMIUM}", "apt-get install chromium; .ci/run installs it")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        needs("the playwright package", "make setup-dev installs requirements-dev.txt")
    port = free_port()
    server = subprocess.Popen(server_command(port), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_healthy(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def browser(app_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A new page whose console errors and uncaught exceptions are kept in ``page.errors``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(STEP_TIMEOUT_MS)
    from playwright.sync_api import expect

    expect.set_options(timeout=STEP_TIMEOUT_MS)  # expect() has its own timeout (5 s), too short on a busy machine
    opened.errors = []
    opened.on("console", lambda message: opened.errors.append(message.text) if message.type == "error" else None)
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.outside = []  # requests for anything not served by the app (the app must make no outside calls)
    opened.on("request", lambda request: None if is_local(request.url) else opened.outside.append(request.url))
    yield opened
    context.close()


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (the app, or data the page holds)."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in ("127.0.0.1", "localhost")


def opened(page: Any, url: str, shown: int) -> None:
    """Open ``url`` and wait until the caption counts ``shown`` events of the store's."""
    from playwright.sync_api import expect

    page.goto(url)
    total = stored_events(built_store())
    expect(page.get_by_text(f"{shown:,} of {total:,} events")).to_be_visible()


def actor_menu(page: Any) -> Any:
    """Return the sidebar's actor menu, by its label (the sidebar's first menu may not be drawn yet: "Event types" is)."""
    menus = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']")
    return menus.filter(has=page.locator("[data-testid='stWidgetLabel']").get_by_text("Actors", exact=True))


def choose_actor(page: Any, name: str) -> None:
    from playwright.sync_api import expect

    actors = actor_menu(page)
    actors.locator("input").fill(name)
    option = page.get_by_role("option", name=name, exact=True)
    expect(option).to_be_visible()  # the menu has filtered to the name (Enter before that chooses nothing)
    option.click()
    expect(actors).to_contain_text(name)  # chosen before the menu is closed, also on a busy machine
    actors.locator("input").press("Escape")  # close the menu, which hides the page from the accessibility tree
    expect(page.locator("[data-baseweb='popover']")).to_have_count(0)


def open_tab(page: Any, view: str) -> None:
    page.get_by_role("tab", name=view, exact=True).click()


def drawn(page: Any, view: str) -> None:
    """Wait until a view shows its charts (each with plotly's drawing) or its main element."""
    from playwright.sync_api import expect

    charts, element = VIEW_CONTENT[view]
    panel = page.locator("[data-testid='stTabPanel']:visible")
    if charts:
        expect(panel.locator(".js-plotly-plot .main-svg").first).to_be_visible()
        expect(panel.locator("[data-testid='stPlotlyChart']")).to_have_count(charts)
        expect(panel.locator(".js-plotly-plot")).to_have_count(charts)
    else:
        expect(panel.locator(element).first).to_be_visible()


def first_row_id(f: EventFilter) -> str:
    """Return the id of the events table's first row under a filter (the table sorts by date, then id)."""
    return str(events_page(StoreSource(open_store(built_store())), f, "date", False, 1)["event_id"].iloc[0])


def test_browser_every_view_renders_without_a_console_error(app_url: str, page: Any) -> None:
    total = stored_events(built_store())
    opened(page, app_url, total)
    for view in VIEWS:
        open_tab(page, view)
        drawn(page, view)
        assert f"view={view.replace(' ', '+')}" in page.url or view == VIEWS[0]
    page.wait_for_timeout(500)  # late messages of the last view
    assert page.errors == []
    assert page.outside == []


def test_browser_map_shades_countries_offline(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    countries = queries.country_counts(StoreSource(open_store(built_store())), EventFilter())
    shaded = int(countries["country"].isin(list(country_shapes())).sum())
    opened(page, app_url + "?view=Map", stored_events(built_store()))
    drawn(page, "Map")
    fills = page.locator("[data-testid='stTabPanel']:visible .js-plotly-plot .scatterlayer .js-fill")
    expect(fills).to_have_count(1 + shaded)  # the land, then one shape per country with events
    page.wait_for_timeout(1000)  # a base map plotly might fetch late
    assert page.outside == [] and not any("cdn.plot.ly" in e for e in page.errors)


def test_browser_url_carries_the_filters(app_url: str, page: Any, browser: Any) -> None:
    from playwright.sync_api import expect

    kept = len(open_store(built_store()).events(RUSSIA, columns=("event_id",)))
    opened(page, app_url, stored_events(built_store()))
    choose_actor(page, "Russia")
    open_tab(page, "Map")
    expect(page).to_have_url(re.compile(r"actor=Russia.*view=Map|view=Map.*actor=Russia"))
    again = page.context.new_page()
    opened(again, page.url, kept)
    expect(actor_menu(again)).to_contain_text("Russia")
    expect(again.get_by_role("tab", name="Map", exact=True)).to_have_attribute("aria-selected", "true")
    assert page.errors == []


def test_browser_row_opens_its_evidence_and_the_download_is_the_view(app_url: str, page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    expected = open_store(built_store()).events(RUSSIA, columns=("event_id",))["event_id"].tolist()
    opened(page, app_url + "?actor=Russia&view=Events", len(expected))
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.locator("[role='gridcell'][aria-colindex='1']").first.focus()  # the first row's first cell, by its element
    page.keyboard.press("Shift+Space")  # selects the focused cell's row
    event_id = first_row_id(RUSSIA)
    expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
    expect(page.get_by_text(event_id)).to_be_visible()
    expect(page).to_have_url(re.compile(f"event={event_id}"))

    with page.expect_download() as download:
        page.locator("[data-testid='stSidebar']").get_by_role("button", name="CSV").click()
    saved = tmp_path / "events.csv"
    download.value.save_as(saved)
    first, body = saved.read_text(encoding="utf-8").split("\n", 1)
    assert "actors: Russia (any role)" in first and f"{len(expected)} events" in first
    assert [row["event_id"] for row in csv.DictReader(io.StringIO(body))] == expected
    assert page.errors == []
