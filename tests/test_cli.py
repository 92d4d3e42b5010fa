"""The commands end to end, each in its own process as a user runs it: ``articles`` writes the cleaned articles,
``timex`` answers each expression, ``extract`` and ``ingest`` end with a line whose counts are those of what they wrote."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline.store import open_store

ARTICLES = {
    "talks.txt": "Id: wire-1\nTitle: Russia warns Finland\nDate: 2023-03-22\nSource: Meridian Wire\n\n"
    "Russia warned Finland on Tuesday against joining NATO.\n",
    "visit.txt": "Title: Biden meets Duda\nDate: 2023-02-21\n\n"
    "U.S. President Joe Biden met Polish President Andrzej Duda in Warsaw on Tuesday.\n",
}
INGEST_LINE = re.compile(
    r"(?P<unchanged>\d+) files unchanged since an earlier ingest; (?P<read>\d+) articles read: (?P<stored>\d+) already stored, "
    r"(?P<added>\d+) added, (?P<replaced>\d+) replaced; (?P<mentions>\d+) mentions in (?P<commits>\d+) commits with 1 worker; "
    r"the store holds (?P<events>\d+) events \(\d+\.\d s\)$"
)


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pipeline", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, input=stdin, timeout=300, check=False)


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stderr.strip().splitlines()[-1].removeprefix("INFO: ")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, text in ARTICLES.items():
        (inputs / name).write_text(text, encoding="utf-8")
    return inputs


def test_cli_articles_writes_each_cleaned_article(folder: Path) -> None:
    result = run_cli("articles", str(folder), "-o", "-")
    assert result.returncode == 0, result.stderr
    records = sorted((json.loads(line) for line in result.stdout.splitlines()), key=lambda r: r["title"])
    assert [(r["title"], r["published"]) for r in records] == [("Biden meets Duda", "2023-02-21"), ("Russia warns Finland", "2023-03-22")]
    assert records[1]["article_id"] == "wire-1" and records[1]["publisher"] == "Meridian Wire"
    assert records[0]["text"] == ARTICLES["visit.txt"].split("\n\n", 1)[1].strip()
    assert "2 articles from 2 inputs read" in result.stderr


def test_cli_articles_to_a_file(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "articles.jsonl"
    assert run_cli("-q", "articles", str(folder), "-o", str(out)).returncode == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(ARTICLES)


def test_cli_timex_answers_each_line() -> None:
    lines = [
        {"id": "a", "expression": "yesterday", "sentence": "He spoke yesterday.", "published": "2023-03-22"},
        {"id": "b", "expression": "Thursday", "sentence": "He spoke on Thursday.", "published": "2023-03-22"},
        {"id": "c", "expression": "March 2021", "sentence": "They met in March 2021.", "published": "2023-03-22"},
    ]
    result = run_cli("timex", stdin="".join(json.dumps(line) + "\n" for line in lines))
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert answers == [{"id": "a", "value": "2023-03-21"}, {"id": "b", "value": "2023-03-16"}, {"id": "c", "value": "2021-03"}]


@pytest.mark.slow
def test_cli_extract_says_how_many_events_it_wrote(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    line = last_line(run_cli("extract", str(folder), "-o", str(out)))
    with out.open(encoding="utf-8") as table:
        rows = list(csv.DictReader(table))
    assert line == f"{len(rows)} events written to {out}"


@pytest.mark.slow
def test_cli_ingest_ends_with_the_stores_counts(folder: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = INGEST_LINE.fullmatch(last_line(run_cli("ingest", str(folder), "--store", str(store), "--workers", "1")))
    assert first, "no summary line"
    counts = open_store(store).summary()
    assert {k: int(v) for k, v in first.groupdict().items()} == {
        **{"unchanged": 0, "read": 2, "stored": 0, "added": 2, "replaced": 0, "commits": 1},
        **{"mentions": counts.mentions, "events": counts.events},
    }
    again = INGEST_LINE.fullmatch(last_line(run_cli("ingest", str(folder), "--store", str(store), "--workers", "1")))
    assert again and (again["unchanged"], again["read"], again["added"], again["events"]) == ("2", "0", "0", str(counts.events))
