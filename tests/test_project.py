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


GLOBAL = "(before the command)"


def table_rows(header: str) -> list[list[str]]:
    """Return the cells of every row of the README's tables whose header line is ``header``."""
    rows: list[list[str]] = []
    for table in readme().split(header + "\n")[1:]:
        for line in table.splitlines()[1:]:
            if not line.startswith("|"):
                break
            rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def option_names(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", text))


def parser_options() -> dict[str, set[str]]:
    """Return the option strings of each command, and of the command line itself under GLOBAL (help left out)."""
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    found = {name: {o for a in sub._actions for o in a.option_strings} for name, sub in commands.items()}
    found[GLOBAL] = {o for a in parser._actions for o in a.option_strings}
    return {name: options - {"-h", "--help"} for name, options in found.items()}


def readme_options() -> dict[str, set[str]]:
    """Return the options the README's option table gives each command (GLOBAL: before the command)."""
    found: dict[str, set[str]] = {}
    for commands, options, *_ in table_rows("| command | option | default | what it sets |"):
        for command in re.findall(r"`(\w+)`", commands) or [commands]:
            found.setdefault(command, set()).update(option_names(options))
    return found


def test_project_readme_command_tables_name_every_command_and_no_other() -> None:
    rows = table_rows("| command | what it does |")
    documented = {re.match(r"`(\w+)", row[0]).group(1) for row in rows}  # type: ignore[union-attr]
    assert documented == set(subcommands())


def test_project_readme_command_synopses_use_real_options() -> None:
    options = parser_options()
    for row in table_rows("| command | what it does |"):
        command = re.match(r"`(\w+)", row[0]).group(1)  # type: ignore[union-attr]
        assert option_names(row[0]) <= options[command], f"README: `{row[0]}` names an option {command} does not take"


def test_project_readme_option_table_matches_the_parser_both_ways() -> None:
    options, documented = parser_options(), readme_options()
    for command in sorted(set(options) | set(documented)):
        missing, unknown = (
            options.get(command, set()) - documented.get(command, set()),
            documented.get(command, set()) - options.get(command, set()),
        )
        assert not missing, f"{command}: options not in the README's option table: {sorted(missing)}"
        assert not unknown, f"{command}: the README's option table names options it does not take: {sorted(unknown)}"


@pytest.mark.parametrize("command", subcommands())
def test_project_help_gives_every_default(command: str) -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    for action in sub._actions:
        if action.option_strings and action.default not in (None, False, [], "==SUPPRESS==") and not action.required:
            assert "default" in (action.help or ""), f"{command} {action.option_strings[0]}: --help does not give its default"


def test_project_version_is_the_package_version() -> None:
    from pipeline import __version__

    result = subprocess.run([sys.executable, "-m", "pipeline", "--version"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.stdout.strip() == f"eventline {__version__}"


def test_project_readme_store_example_runs(tmp_path) -> None:
    from store_helpers import article, directed, fixed_extraction

    from pipeline.store.ingest import ingest_articles

    first, second = article("r1", publisher="Atlas Daily"), article("r2", publisher="Harbor Post")
    events = {a.article_id: [directed(a, "Russia", "Ukraine", date="2023-03-10")] for a in (first, second)}
    ingest_articles([first, second], tmp_path, fixed_extraction(events))
    example = readme().split("### Reading the store from Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    assert 'open_store("data/store")' in example
    namespace: dict[str, object] = {}
    exec(example.replace('open_store("data/store")', f"open_store({str(tmp_path)!r})"), namespace)
    store, f = namespace["store"], namespace["f"]
    assert len(store.events(f)) == 1 and len(store.mentions(tuple(store.events(f)["event_id"]))) == 2  # type: ignore[attr-defined]


def test_project_readme_actor_validator_runs() -> None:
    assert "python -m pipeline.actors.validate" in readme()
    result = subprocess.run([sys.executable, "-m", "pipeline.actors.validate"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def recipe(target: str) -> list[str]:
    """Return the commands of a Makefile target, with the venv's python as plain python and the demo store's folder named."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    body = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert body, f"no {target} in the Makefile"
    lines = [line.strip().removeprefix("@") for line in body.group(1).splitlines()]
    return [line.replace("$(BIN)/python", "python").replace("$(STORE)", "data/store").replace("$(PORT)", "8501") for line in lines]


def test_project_dockerfile_takes_the_makefile_steps() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    runs = re.findall(r"^RUN (.*)$", dockerfile, re.MULTILINE)
    assert runs[0] == recipe("$(VENV)/.runtime")[0]
    assert recipe("demo-store")[0].endswith("|| " + runs[1])
    command = " ".join(re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE).group(1)[1:-1].replace('"', "").split(", "))  # type: ignore[union-attr]
    assert command == recipe("run")[0]


# The Python of the project, as `make lint` checks it (ruff would also reformat the README's code blocks).
LINTED = ("pipeline", "dashboard", "tests", "bench", "tools")


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", *LINTED],
        ["ruff", "format", "--check", *LINTED],
        ["mypy", "pipeline", "dashboard"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_project_lint_is_clean(command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
