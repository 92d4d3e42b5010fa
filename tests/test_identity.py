"""An article's identity (issue 18, item 1): what identifies it, not its file's name or its position, so nothing is replaced that
should stay and every replacement is reported by id. The inputs are built here by hand; extraction is the store tests' fixed
one (no spaCy)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from store_helpers import fixed_extraction

from dashboard import uploads
from pipeline.ingest import InputFile, ReadOptions, read_articles
from pipeline.ingest.identity import article_identity, normalised_url, raw_content
from pipeline.records import Article, Problem
from pipeline.store import open_store
from pipeline.store.ingest import ingest_files

NO_EVENTS = fixed_extraction({})


def ingest(paths: list[Path | str], store: Path):
    return ingest_files(paths, store, NO_EVENTS, ReadOptions())


def stored(store: Path) -> dict[str, str]:
    """Return the stored articles' origin and locator by article id."""
    rows = open_store(store).articles()
    return {r.article_id: f"{r.origin}:{r.locator}" for r in rows.itertuples()}


def text_file(path: Path, title: str, body: str, header: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{header}Title: {title}\nDate: 2023-03-21\n\n{body}\n", encoding="utf-8")
    return path


def test_identity_same_file_name_in_two_folders_stores_both(tmp_path: Path) -> None:
    text_file(tmp_path / "in" / "a" / "report.txt", "Talks in Moscow", "Xi met Putin in Moscow.")
    text_file(tmp_path / "in" / "b" / "report.txt", "Talks in Kyiv", "Kishida met Zelensky in Kyiv.")
    report = ingest([tmp_path / "in"], tmp_path / "store")
    assert (report.added, report.replaced) == (2, 0)
    ids = stored(tmp_path / "store")
    assert len(ids) == 2 and all(i.startswith("report-") for i in ids)


def test_identity_csv_without_ids_on_two_days_keeps_day_one(tmp_path: Path) -> None:
    feed, store = tmp_path / "in" / "export.csv", tmp_path / "store"
    feed.parent.mkdir()
    feed.write_text("title,text\nDay one first,Xi met Putin.\nDay one second,Biden visited Kyiv.\n", encoding="utf-8")
    first = ingest([feed.parent], store)
    day_one = stored(store)
    feed.write_text("title,text\nDay two first,Macron met Xi.\n", encoding="utf-8")
    second = ingest([feed.parent], store)
    assert (first.added, second.added, second.replaced) == (2, 1, 0)
    assert set(day_one) < set(stored(store))  # day one's rows (and their events) stay
    assert all(i.startswith("export-") for i in stored(store))


def test_identity_two_pastes_and_two_uploads_of_one_name_both_stay(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(uploads, "in_process", NO_EVENTS)
    store, ignore = tmp_path / "store", lambda *_: None
    reports = []
    for day, text in enumerate(("Xi Jinping met Vladimir Putin in Moscow.", "Fumio Kishida visited Kyiv on Tuesday.")):
        folder = tmp_path / f"session{day}"
        folder.mkdir()
        pasted = uploads.pasted_file(f"Talks\n\n{text}", "", folder)
        kept, _ = uploads.saved_uploads([("report.txt", f"Report\n\n{text} Upload {day}.".encode())], folder)
        reports.append(uploads.add_articles([("pasted text", pasted), *kept], store, ignore))
    assert [(r.added, r.replaced_ids) for r in reports] == [(2, ()), (2, ())]
    assert len(stored(store)) == 4
    assert sum(i.startswith("pasted-") for i in stored(store)) == 2


def test_identity_same_paste_twice_is_already_stored(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(uploads, "in_process", NO_EVENTS)
    reports = []
    for day in range(2):
        folder = tmp_path / f"session{day}"
        folder.mkdir()
        pasted = uploads.pasted_file("Xi Jinping met Vladimir Putin in Moscow.", "Talks", folder)
        reports.append(uploads.add_articles([("pasted text", pasted)], tmp_path / "store", lambda *_: None))
    assert [(r.added, r.already_stored) for r in reports] == [(1, 0), (0, 1)]


@pytest.mark.parametrize(
    ("header", "expected_id"),
    [("Id: wire-42\n", "wire-42"), ("URL: https://example.org/news/talks.html?utm_source=x\n", "talks-")],
)
def test_identity_same_article_with_new_text_is_replaced_and_reported(tmp_path: Path, caplog, header: str, expected_id: str) -> None:
    store = tmp_path / "store"
    text_file(tmp_path / "day1" / "talks.txt", "Talks", "Xi met Putin.", header)
    text_file(tmp_path / "day2" / "talks-updated.txt", "Talks", "Xi met Putin in Moscow on Tuesday.", header)
    ingest([tmp_path / "day1"], store)
    with caplog.at_level(logging.INFO):
        report = ingest([tmp_path / "day2"], store)
    assert (report.added, report.replaced) == (0, 1)
    (article_id,) = report.replaced_ids
    assert article_id.startswith(expected_id)
    assert list(stored(store)) == [article_id]
    assert f"replaced article {article_id}" in caplog.text and "talks-updated.txt" in caplog.text


def test_identity_one_id_with_two_texts_in_one_read_is_reported(tmp_path: Path) -> None:
    feed = tmp_path / "wire.jsonl"
    lines = [{"id": "w1", "text": "Xi met Putin."}, {"id": "w1", "text": "Biden visited Kyiv."}]
    feed.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    items = list(read_articles([feed]))
    assert [i.article_id for i in items if isinstance(i, Article)] == ["w1"]
    (problem,) = [i for i in items if isinstance(i, Problem)]
    assert (problem.kind, problem.locator) == ("duplicate", "line 2") and "w1" in problem.message and "line 1" in problem.message


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.org/a/b/?utm_source=feed&id=3#top", "https://example.org/a/b?id=3"),
        ("https://example.org/a", "https://example.org/a"),
        ("ftp://example.org/a", ""),
        ("not a url", ""),
    ],
)
def test_identity_normalised_url(url: str, expected: str) -> None:
    assert normalised_url(url) == expected


def test_identity_bases_in_order() -> None:
    content = raw_content("T", "Text.")
    assert article_identity("x1", "https://a.org/p", "f.csv", "line 2", content, "f-1").basis == "source id"
    assert article_identity("", "https://a.org/p", "f.csv", "line 2", content, "f-1").basis == "url"
    place = article_identity("", "", "f.csv", "line 2", content, "f-1")
    assert place.basis == "place and content" and place.article_id.startswith("f-1-")
    assert article_identity("", "", "f.csv", "line 2", raw_content("T", "Other."), "f-1").article_id != place.article_id
    assert article_identity("a long id with spaces", "", "", "", content, "").article_id.startswith("a-long-id-with-spaces-")


def test_identity_folder_given_or_file_named_give_the_same_place(tmp_path: Path) -> None:
    path = text_file(tmp_path / "in" / "report.txt", "Talks", "Xi met Putin.")
    assert InputFile(path, tmp_path / "in").place == "report.txt"
    by_folder = [a.article_id for a in read_articles([tmp_path / "in"]) if isinstance(a, Article)]
    by_file = [a.article_id for a in read_articles([path]) if isinstance(a, Article)]
    assert by_folder == by_file


IDS_SCRIPT = """
import sys
from pipeline.ingest import read_articles
print("\\n".join(a.article_id for a in read_articles([sys.argv[1]]) if hasattr(a, "article_id")))
"""


def test_identity_ids_are_stable_across_processes(tmp_path: Path) -> None:
    text_file(tmp_path / "in" / "a" / "report.txt", "Talks", "Xi met Putin.")
    text_file(tmp_path / "in" / "b.txt", "Talks", "Biden visited Kyiv.", "URL: https://example.org/kyiv\n")
    (tmp_path / "in" / "rows.csv").write_text("title,text\nOne,Macron met Xi.\n", encoding="utf-8")

    def ids(seed: str) -> list[str]:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", IDS_SCRIPT, str(tmp_path / "in")], cwd=ROOT, env=env, capture_output=True, text=True)
        return out.stdout.split()

    first = ids("1")
    assert len(first) == 3 and first == ids("2")
