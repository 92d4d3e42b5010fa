"""Retake the README's screenshots of the dashboard (docs/screenshots/*.png), one per view, in headless Chromium.

Serve the demo store, then run this from the checkout:

    python -m pipeline ingest data/demo --store /tmp/demo-store
    python -m pipeline app --store /tmp/demo-store --port 8765 &
    python tools/screenshots.py --store /tmp/demo-store --url http://127.0.0.1:8765/

Needs Debian's chromium at /usr/bin/chromium and the playwright package (requirements-dev.txt), as
tests/test_dashboard_browser.py does. Each view is opened by its link (``?view=Map``), so the shots show what a link shows.
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.store import EventFilter, open_store

CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WIDTH = 1400
TIMEOUT_MS = 90_000
# An event with several reports, for the evidence, article and corrections shots.
EVIDENCE_ACTOR = "Russia"


@dataclass(frozen=True)
class Shot:
    """One screenshot: its file, the link's query, how many plotly charts to wait for, and what to do before taking it."""

    name: str
    query: str
    charts: int = 0
    height: int = 900
    dark: bool = False
    step: str = ""  # "evidence", "article", "correct": scroll to (or open) that part of the Events view


def shots(event_id: str) -> list[Shot]:
    """Return every shot, the event's evidence opened by ``event_id``."""
    event = f"view=Events&actor={EVIDENCE_ACTOR}&event={event_id}"
    return [
        Shot("timeline.png", "actor=Russia&actor=Ukraine&actor=China&actor=United+States", charts=1, height=1150),
        Shot("timeline-dark.png", "", charts=1, height=1150, dark=True),
        Shot("actor-activity.png", "view=Actor+activity", charts=4, height=1400),
        Shot("actor-profile.png", "view=Actor+profile&profile=Russia", charts=4, height=1400),
        Shot("dyad.png", "view=Dyad&dyad_a=Russia&dyad_b=Ukraine", charts=1, height=1350),
        Shot("tone.png", "view=Tone&dyad_a=Russia&dyad_b=Ukraine", charts=2, height=960),
        Shot("publishers.png", "view=Publishers", charts=1, height=1100),
        Shot("map.png", "view=Map", charts=1, height=1000),
        Shot("events.png", "view=Events"),
        Shot("events-evidence.png", event, height=1100, step="evidence"),
        Shot("article.png", event, height=1100, step="article"),
        Shot("corrections.png", event, height=1100, step="correct"),
        Shot("add-articles.png", "view=Add+articles"),
    ]


def busiest_event(store: Path) -> str:
    """Return the id of the actor's event reported by most articles (then the most confident)."""
    events = open_store(store).events(EventFilter(actors=(EVIDENCE_ACTOR,)))
    return str(events.sort_values(["n_articles", "confidence", "event_id"], ascending=[False, False, True]).iloc[0]["event_id"])


def settle(page: Any, shot: Shot) -> None:
    """Wait until the page is drawn: the charts (with plotly's drawing) or the view's main element, and no run under way."""
    from playwright.sync_api import expect

    panel = page.locator("[data-testid='stTabPanel']:visible")
    if shot.charts:
        expect(panel.locator(".js-plotly-plot .main-svg").first).to_be_visible()
        expect(panel.locator(".js-plotly-plot")).to_have_count(shot.charts)
    elif "Add+articles" in shot.query:
        expect(panel.locator("[data-testid='stFileUploader']")).to_be_visible()
    else:
        expect(panel.locator("[data-testid='stDataFrame']").first).to_be_visible()
    if shot.step:
        expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
    if shot.step == "article":
        page.get_by_role("button", name="Open article").first.click()
        expect(page.get_by_role("button", name="Close article")).to_be_visible()
    if shot.step == "correct":
        page.get_by_text("Correct this event", exact=True).click()
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0)
    page.wait_for_timeout(1500)  # plotly's transitions and the last fonts
    scroll_to = {"evidence": "Evidence", "correct": "Evidence", "article": "Close article"}.get(shot.step)
    if scroll_to:
        target = page.get_by_role("heading" if scroll_to == "Evidence" else "button", name=scroll_to)
        target.evaluate("element => element.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)


def small_png(shot: bytes) -> bytes:
    """Return a screenshot as a 256-colour PNG (a third of the size; the dashboard's flat colours survive)."""
    image = Image.open(io.BytesIO(shot)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def take(url: str, store: Path, out: Path, only: set[str]) -> list[Path]:
    """Take every shot (or those named in ``only``) of the app at ``url`` serving ``store``; return the files written."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"])
        for shot in shots(busiest_event(store)):
            if only and shot.name not in only:
                continue
            context = browser.new_context(viewport={"width": WIDTH, "height": shot.height}, color_scheme="dark" if shot.dark else "light")
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(url + ("?" + quote(shot.query, safe="=&+") if shot.query else ""))
            settle(page, shot)
            path = out / shot.name
            path.write_bytes(small_png(page.screenshot()))
            logging.info("%s: %s (%.0f KB)", path, shot.query or "(no query)", path.stat().st_size / 1024)
            written.append(path)
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501/", help="the app's address (default: %(default)s)")
    parser.add_argument("--store", type=Path, required=True, help="the store the app serves (to choose the event shown)")
    parser.add_argument("--out", type=Path, default=OUT, help="folder of the PNGs (default: docs/screenshots)")
    parser.add_argument("only", nargs="*", help="file names to retake (default: every one)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    take(args.url if args.url.endswith("/") else args.url + "/", args.store, args.out, set(args.only))
    return 0


if __name__ == "__main__":
    sys.exit(main())
