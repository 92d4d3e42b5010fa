"""Progress (issue 18, item 13): a bar on a terminal, a plain line at a steady interval otherwise, -q and -v; the articles a
run's inputs hold, estimated before reading them."""

from __future__ import annotations

import io
import json
import logging
import time
from pathlib import Path

import pytest
from store_helpers import fixed_extraction

from pipeline.cli import main
from pipeline.ingest import InputFile
from pipeline.ingest.estimate import estimated_articles
from pipeline.progress import NORMAL, QUIET, VERBOSE, time_text, watched


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(stream: io.StringIO, level: int = NORMAL, interval: float = 0.1) -> None:
    """Count 3 articles done and 1 failed (after the first) over about 0.45 s."""
    with watched("ingest", 0, level, stream, interval) as progress:
        progress.expect(6)
        for index in range(3):
            progress.done(f"a{index}", index)
            if index == 0:
                progress.failed()
            time.sleep(0.15)


def test_progress_plain_lines_at_a_steady_interval(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="pipeline.progress"):
        run(io.StringIO())
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0] == "ingest: about 6 articles to read; a progress line every 10 s"
    ticks = [line for line in lines if " of about 6 articles (" in line]
    assert len(ticks) >= 3 and "articles/s, about" in ticks[-1] and ticks[-1].endswith("1 failed")
    assert lines[-1].startswith("ingest: 3 articles done in 0 s (") and lines[-1].endswith("articles/s), 1 failed")


def test_progress_bar_on_a_terminal(caplog: pytest.LogCaptureFixture) -> None:
    terminal = Terminal()
    with caplog.at_level(logging.INFO, logger="pipeline.progress"):
        run(terminal)
    bar = terminal.getvalue().split("\r")[-1]
    assert bar.startswith("ingest:  50%|") and "3/6 [" in bar and "articles/s, 1 failed]" in bar
    assert not caplog.records  # the bar says it all


@pytest.mark.parametrize("stream", [io.StringIO(), Terminal()])
def test_progress_quiet_says_nothing(stream: io.StringIO, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="pipeline.progress"):
        run(stream, QUIET)
    assert not stream.getvalue() and not caplog.records


def test_progress_verbose_says_each_article(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="pipeline.progress"):
        run(io.StringIO(), VERBOSE, interval=10)
    assert [r.getMessage() for r in caplog.records][1:4] == ["ingest: a0, 0 events", "ingest: a1, 1 events", "ingest: a2, 2 events"]


@pytest.mark.parametrize(("seconds", "text"), [(4.4, "4 s"), (75, "1 min 15 s"), (7300, "2 h 1 min")])
def test_progress_time_text(seconds: float, text: str) -> None:
    assert time_text(seconds) == text


def test_progress_estimate_counts_records(tmp_path: Path) -> None:
    files = {
        "a.txt": "Talks\n\nText.",
        "b.jsonl": '{"text": "x"}\n{"text": "y"}\n\n{"text": "z"}\n',
        "c.csv": 'title,text\nA,x\nB,"y\n\nover three lines"\n',
        "d.json": json.dumps({"articles": [{"title": "A", "body": "x"}, {"title": "B", "body": "y"}]}),
        "e.rss": "<rss><channel><item><title>A</title></item><item><title>B</title></item></channel></rss>",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    inputs = [InputFile(tmp_path / name, tmp_path) for name in files]
    assert estimated_articles([*inputs, "https://example.org/page"]) == 1 + 3 + 2 + 2 + 2 + 1


def test_progress_ingest_command_says_how_far_it_got(tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch) -> None:
    monkeypatch.setattr("pipeline.parallel.extracted", lambda articles, workers=1, scheduler="": fixed_extraction({})(articles))
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(3):
        (folder / f"a{index}.txt").write_text(f"Talks {index}\n\nRussia warned Finland, warning {index}.\n", encoding="utf-8")
    store = str(tmp_path / "store")
    with caplog.at_level(logging.INFO):
        assert main(["ingest", str(folder), "--store", store, "--workers", "1"]) == 0
    assert "ingest: about 3 articles to read" in caplog.text and "ingest: 3 articles done in" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert main(["-q", "ingest", str(folder), "--store", store]) == 0
    assert not [r for r in caplog.records if r.name == "pipeline.progress"]
