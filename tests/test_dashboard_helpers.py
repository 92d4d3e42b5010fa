"""Helpers shared by the dashboard tests (no tests here): a small store built once from tests/fixtures/dashboard/."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from conftest import run_folder
from store_helpers import article, directed, event, fixed_extraction
from streamlit.testing.v1 import AppTest

from dashboard.actors import affiliates_of, dictionary_affiliates
from pipeline.actors import ActorDictionary
from pipeline.ingest import read_articles
from pipeline.parallel import extracted
from pipeline.records import Article
from pipeline.store import EventFilter, ingest_articles, open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dashboard"
APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
# The first run imports plotly and loads the store; the upload test loads the spaCy model.
APP_TIMEOUT = 90


@cache
def built_store() -> Path:
    """Return a store made once per test run from the fixture articles (extracted in this process), in the run's folder."""
    folder = run_folder("dashboard-") / "store"
    articles = [a for a in read_articles([FIXTURES]) if isinstance(a, Article)]
    ingest_articles(articles, folder, lambda items: extracted(items, workers=1))
    return folder


def stored_events(store: Path) -> int:
    """Return the number of events in a store: the total the app's caption must show, whatever the extractor found."""
    return int(open_store(store).query("SELECT count(*) AS n FROM events")["n"].iloc[0])


def store_copy(folder: Path) -> Path:
    """Return a copy of the fixture store in ``folder`` (for a test that writes to it)."""
    target = folder / "store"
    shutil.copytree(built_store(), target)
    return target


def app_for(store: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """Return an AppTest of the dashboard on ``store`` (not yet run)."""
    monkeypatch.setenv("EVENTLINE_STORE", str(store))
    return AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)


def outlier_store(folder: Path) -> Path:
    """Return a store of 200 occurred events on the days from 2023-01-01, one in 1990 and a planned one in 2031."""
    days = [date(2023, 1, 1) + timedelta(days=i) for i in range(200)]
    items = [(f"a{i}", day, "occurred") for i, day in enumerate(days)]
    items += [("old", date(1990, 1, 1), "occurred"), ("plan", date(2031, 1, 1), "planned")]
    articles = {name: article(name, published=day) for name, day, _ in items}
    events = {name: [event(articles[name], date=day.isoformat(), status=status, participants=name)] for name, day, status in items}
    ingest_articles(list(articles.values()), folder, fixed_extraction(events))
    return folder


# Acts of NATO, of its officials and bodies and of others, by article: (article, source, target, day). Jens Stoltenberg was
# NATO's secretary general from 2014-10-01 to 2024-10-01, Norway's prime minister before and its finance minister after.
MEMBERS_EVENTS = [
    ("nato", "NATO", "Russia", "2020-05-04"),
    ("sg_in_office", "Jens Stoltenberg", "Russia", "2020-06-01"),
    ("sg_before", "Jens Stoltenberg", "Sweden", "2012-06-01"),
    ("sg_after", "Jens Stoltenberg", "Sweden", "2025-06-01"),
    ("committee", "NATO Military Committee", "Ukraine", "2021-01-05"),
    ("lavrov", "Sergey Lavrov", "NATO", "2022-02-01"),  # Russia's foreign minister: NATO's event only as its target
    ("france", "France", "Germany", "2022-03-01"),  # a member state's act is not NATO's
]


def members_store(folder: Path) -> Path:
    """Return a store of the warnings of ``MEMBERS_EVENTS``, one article each."""
    articles = {name: article(name, published=date.fromisoformat(day)) for name, _, _, day in MEMBERS_EVENTS}
    events = {name: [directed(articles[name], source, target, date=day)] for name, source, target, day in MEMBERS_EVENTS}
    ingest_articles(list(articles.values()), folder, fixed_extraction(events))
    return folder


def with_members(f: EventFilter, store: Path) -> EventFilter:
    """Return a filter with its actors' members and officials that the store holds, as the app adds them by default."""
    stored = set(open_store(store).query("SELECT DISTINCT unnest(actors) AS actor FROM events")["actor"])
    return replace(f, affiliates=affiliates_of(f.actors, dictionary_affiliates(ActorDictionary.load()), stored))


# Acts between Russia and Ukraine, by article: (article, source, target or "" for an act among the participants, day,
# precision, type, Goldstein score).
DYAD_EVENTS = [
    ("r1", "Russia", "Ukraine", "2023-01-10", "day", "attack", -10.0),
    ("r2", "Russia", "Ukraine", "2023-01-20", "day", "warning", -4.0),
    ("u1", "Ukraine", "Russia", "2023-01-15", "day", "accusation", -2.0),
    ("u2", "Ukraine", "Russia", "2023-03-01", "month", "demand", -3.0),
    ("m1", "Russia", "", "2023-03-05", "day", "meeting", 4.0),  # Russia and Ukraine meet (participants both)
    ("y1", "Russia", "Ukraine", "2022-01-01", "year", "sanction", -5.0),  # dated only to 2022: no month holds it
    ("third", "Russia", "Poland", "2023-01-12", "day", "warning", -4.0),  # Russia with someone else
    ("joint", "Ukraine", "Belarus", "2023-02-02", "day", "sanction", -5.0),  # Ukraine acts on a third party
]


def dyad_store(folder: Path) -> Path:
    """Return a store of ``DYAD_EVENTS``, one article each."""
    articles = {name: article(name, published=date(2023, 3, 20)) for name, *_ in DYAD_EVENTS}
    events = {}
    for name, source, target, day, precision, event_type, goldstein in DYAD_EVENTS:
        participants = f"{source};{target or 'Ukraine'}"
        fields = {"date": day[:4] if precision == "year" else day[:7] if precision == "month" else day, "date_precision": precision}
        row = event(
            articles[name],
            event_type=event_type,
            source_actor=source,
            target_actor=target,
            participants=participants,
            goldstein=goldstein,
            **fields,
        )
        events[name] = [row]
    ingest_articles(list(articles.values()), folder, fixed_extraction(events))
    return folder


# Reports of events by publisher, for the tone and publishers views: (article, publisher, source, target, day, precision,
# type, Goldstein score). Atlas Daily and Harbor Post both report the attack of 6 March (merged into one event); the
# weeks start on 6 and 13 March 2023.
TONE_EVENTS = [
    ("a1", "Atlas Daily", "Russia", "Ukraine", "2023-03-06", "day", "attack", -10.0),
    ("h1", "Harbor Post", "Russia", "Ukraine", "2023-03-06", "day", "attack", -10.0),
    ("a2", "Atlas Daily", "Ukraine", "Russia", "2023-03-08", "day", "accusation", -2.0),
    ("h2", "Harbor Post", "China", "Russia", "2023-03-09", "day", "aid", 7.0),
    ("a3", "Atlas Daily", "Russia", "Ukraine", "2023-03-14", "day", "meeting", 4.0),
    ("m1", "Meridian Wire", "France", "Germany", "2023-03-15", "day", "statement", 0.0),
    ("h3", "Harbor Post", "Ukraine", "Russia", "2023-03-16", "day", "warning", -4.0),
    ("a4", "Atlas Daily", "Russia", "Ukraine", "2023-03-01", "month", "sanction", -5.0),  # dated only to March: no week holds it
]


def tone_store(folder: Path) -> Path:
    """Return a store of ``TONE_EVENTS``, one article each."""
    articles = {name: article(name, published=date(2023, 3, 20), publisher=publisher) for name, publisher, *_ in TONE_EVENTS}
    events = {}
    for name, _, source, target, day, precision, event_type, goldstein in TONE_EVENTS:
        fields = {"date": day[:7] if precision == "month" else day, "date_precision": precision}
        events[name] = [directed(articles[name], source, target, event_type=event_type, goldstein=goldstein, **fields)]
    ingest_articles(list(articles.values()), folder, fixed_extraction(events))
    return folder
