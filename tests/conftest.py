"""Shared fixtures and the run's setup: paths to the test inputs and to ../shared when it is there, one temporary folder
per run (the actor cache and the dashboard's store live there, not in ~/.cache or /tmp), the hypothesis profiles, and
what the summary says about the tests that could not run here.

Under CI (``EVENTLINE_CI=1``, set by ``.ci/run``) a test that lacks what it needs (Chromium, playwright, ../shared)
fails instead of skipping, and hypothesis runs with a fixed seed and no deadline.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path
from typing import NoReturn

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
CI = os.environ.get("EVENTLINE_CI") == "1"
# The run's temporary folder (made in pytest_configure, removed in pytest_unconfigure).
RUN_FOLDER = Path(tempfile.gettempdir())
# Words in a skip's reason that name a missing resource, and what the summary tells the user to do about it.
MISSING = {
    "chromium": "the dashboard's browser tests did not run: install Debian's chromium (apt-get install chromium) and run make test again",
    "playwright": "the dashboard's browser tests did not run: install the test tools (make setup-dev)",
    "../shared": "tests that read the ../shared corpora did not run: put the shared folder beside this clone as ../shared",
}

settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if CI else "dev"))


def pytest_configure(config: pytest.Config) -> None:
    """Make the run's temporary folder and point the actor cache (of this process and of the commands it starts) there."""
    global RUN_FOLDER
    RUN_FOLDER = Path(tempfile.mkdtemp(prefix="eventline-tests-"))
    os.environ["EVENTLINE_CACHE"] = str(RUN_FOLDER / "cache")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(RUN_FOLDER, ignore_errors=True)


def run_folder(prefix: str) -> Path:
    """Return a new folder inside the run's temporary folder (removed when the run ends)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=RUN_FOLDER))


def needs(what: str, how: str) -> NoReturn:
    """Skip a test that lacks ``what``, saying ``how`` to get it; under CI, where every test must run, fail it."""
    message = f"needs {what} ({how})"
    if CI:
        pytest.fail(f"{message}: under CI (EVENTLINE_CI=1) every test must run", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def closed_port() -> int:
    """Return a local port nothing listens on: bound to find a free one, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared, skipping the test with a clear message when it is absent (failing under CI)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        needs(str(path), "the ../shared corpora are not in a user's fresh clone")
    return path


def named_copy(path: Path, folder: Path) -> Path:
    """Return a copy of an article file in ``folder`` whose ``Id:`` header gives its file's stem as its id: evaluation gold
    (``../shared/eval/score_events.py``) names an article by its file's stem, while a file without an id or a URL is
    identified by its place and content (``pipeline/ingest/identity.py``)."""
    copy = folder / path.name
    copy.write_text(f"Id: {path.stem}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return copy


def skip_reason(report: pytest.TestReport) -> str:
    """Return the reason a skipped test gave."""
    longrepr = report.longrepr
    return str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Say in plain words which tests did not run for want of something, and how to enable them."""
    reasons = [skip_reason(r) for r in terminalreporter.stats.get("skipped", [])]
    lines = []
    for word, advice in MISSING.items():
        count = sum(word in reason for reason in reasons)
        if count:
            lines.append(f"{count} skipped: {advice}")
    if lines:
        terminalreporter.write_sep("=", "not run here", yellow=True)
        for line in lines:
            terminalreporter.write_line(line, yellow=True)
