"""The project's promises about itself: CI runs the README's test command; every command is documented."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT

from pipeline.cli import build_parser


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_project_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test\b", ci, re.MULTILINE), ".ci/run must call `make test`, the README's test command"
    assert "make test" in readme() and "make run" in readme()


def test_project_readme_starts_with_the_two_commands() -> None:
    quick_start = readme().split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^make \w+", quick_start, re.MULTILINE)
    assert commands[:2] == ["make run", "make test"]


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


@pytest.mark.parametrize("command", subcommands())
def test_project_every_command_is_documented_and_has_help(command: str) -> None:
    assert f"`{command}" in readme(), f"python -m pipeline {command} is not documented in README.md"
    result = subprocess.run([sys.executable, "-m", "pipeline", command, "--help"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0 and "usage:" in result.stdout
