"""Bounded work per article (issue 18, item 5): an overlong text, paragraph or sentence is cut or split with a message naming
the article, and a slow article does not hold back the others' results. The cost itself is measured in
bench/bench_bounded.py, not timed here."""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from store_helpers import article

from pipeline.ingest import read_articles
from pipeline.ingest.bounds import MAX_ARTICLE_CHARS, MAX_PARAGRAPH_CHARS, MAX_SENTENCE_CHARS, bounded_text
from pipeline.parallel import as_finished
from pipeline.records import Article, Problem

SENTENCE = "Xi Jinping met Vladimir Putin in Moscow on Tuesday. "


def test_bounds_short_text_is_unchanged() -> None:
    text = "First paragraph. Second sentence.\n\nSecond paragraph."
    bounded = bounded_text(text)
    assert (bounded.text, bounded.note) == (text, "")


def test_bounds_one_line_article_is_cut_and_split_at_sentence_ends() -> None:
    bounded = bounded_text(SENTENCE * 100_000)  # 5.2 MB on one line
    lines = bounded.text.split("\n")
    assert len(bounded.text) <= MAX_ARTICLE_CHARS and len(lines) > 1
    assert all(len(line) <= MAX_PARAGRAPH_CHARS and line.endswith("Tuesday.") for line in lines)
    assert "the text has 5,200,000 characters: only the first 200,000 are read for events" in bounded.note
    assert "1 paragraph longer than 10,000 characters split at sentence ends" in bounded.note


def test_bounds_sentence_without_end_is_cut_at_a_space() -> None:
    bounded = bounded_text("word " * 5_000 + "\n\nA short paragraph.")
    first, *_ = bounded.text.split("\n")
    assert len(first) <= MAX_SENTENCE_CHARS and first.endswith("word")
    assert bounded.text.endswith("A short paragraph.") and "1 sentence longer than 10,000 characters cut" in bounded.note


def test_bounds_reading_a_huge_one_line_file_warns_naming_the_article(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("Title: Talks\nDate: 2023-03-21\n\n" + SENTENCE * 100_000 + "\n", encoding="utf-8")
    warning, read = read_articles([path])
    assert isinstance(read, Article) and len(read.text.replace("\n\n", "\n")) <= MAX_ARTICLE_CHARS  # cleaning adds blank lines
    assert isinstance(warning, Problem) and warning.kind == "warning" and warning.origin == str(path)
    assert warning.message.startswith(f"article {read.article_id}: the text has 5,200,0")


def slow_first(chunk: Sequence[Article]) -> list[tuple]:
    """Return no events for a chunk, after a second when it holds the article ``slow``."""
    if any(a.article_id == "slow" for a in chunk):
        time.sleep(1.0)
    return [() for _ in chunk]


def test_bounds_slow_article_does_not_hold_back_the_others() -> None:
    articles = [article("slow"), *(article(f"a{i:02d}") for i in range(23))]  # three chunks of 8, the slow one in the first
    with ThreadPoolExecutor(max_workers=2) as pool:
        order = [item.article.article_id for item in as_finished(lambda chunk: pool.submit(slow_first, chunk), articles, window=4)]
    assert sorted(order) == sorted(a.article_id for a in articles)
    assert order.index("a07") < order.index("slow") and order[-8:] == [a.article_id for a in articles[:8]]
