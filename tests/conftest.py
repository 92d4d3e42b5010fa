"""Shared fixtures: paths to the test inputs and to ../shared when it is there."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared, skipping the test with a clear message when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the ../shared corpora are not in a user's fresh clone)")
    return path


def named_copy(path: Path, folder: Path) -> Path:
    """Return a copy of an article file in ``folder`` whose ``Id:`` header gives its file's stem as its id: evaluation gold
    (``../shared/eval/score_events.py``) names an article by its file's stem, while a file without an id or a URL is
    identified by its place and content (``pipeline/ingest/identity.py``)."""
    copy = folder / path.name
    copy.write_text(f"Id: {path.stem}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return copy
