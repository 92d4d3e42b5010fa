"""The analyst's tools under AppTest: background events kept apart behind a switch."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from store_helpers import article, directed, fixed_extraction
from test_dashboard_app import ran, set_widget
from test_dashboard_helpers import app_for

from pipeline.store import ingest_articles

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
