"""End to end in headless Chromium: open the app, set a filter, select an event, see its evidence, download the CSV.

Needs Debian's chromium at /usr/bin/chromium (``.ci/run`` installs it) and the ``playwright`` package, which drives
that binary (no browser is downloaded); skips with a message without them.
"""

from __future__ import annotations

import csv
import io
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_dashboard_helpers import APP, built_store, stored_events

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


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it)")
    pytest.importorskip("playwright.sync_api", reason="needs the playwright package (requirements-dev.txt)")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--",
        "--store",
        str(built_store()),
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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


def test_browser_filter_select_evidence_download(app_url: str, tmp_path: Path):
    from playwright.sync_api import expect, sync_playwright

    expected = open_store(built_store()).events(EventFilter(actors=("Russia",)), columns=("event_id",))["event_id"].tolist()
    total = stored_events(built_store())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.set_default_timeout(STEP_TIMEOUT_MS)
        page.goto(app_url)
        expect(page.get_by_text(f"{total:,} of {total:,} events")).to_be_visible()

        actors = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
        actors.locator("input").fill("Russia")
        actors.locator("input").press("Enter")
        actors.locator("input").press("Escape")  # close the menu, which hides the page from the accessibility tree
        expect(page.get_by_text(f"{len(expected):,} of {total:,} events")).to_be_visible()
        assert "actor=Russia" in page.url

        page.locator("[data-testid='stTab']", has_text="Events").click()
        grid = page.locator("[data-testid='stDataFrame']").first
        expect(grid).to_be_visible()
        box = grid.bounding_box()
        assert box
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box, under the header
        expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
        expect(page.get_by_text("Highlights:")).to_be_visible()
        assert "event=" in page.url

        with page.expect_download() as download:
            page.locator("[data-testid='stSidebar']").get_by_role("button", name="CSV").click()
        saved = tmp_path / "events.csv"
        download.value.save_as(saved)
        browser.close()
    first, body = saved.read_text(encoding="utf-8").split("\n", 1)
    assert "actors: Russia (any role)" in first
    assert [row["event_id"] for row in csv.DictReader(io.StringIO(body))] == expected
