"""Issue 14: the locks install with plain pip in a new venv, and ``pip install .`` gives the ``eventline`` command.

The venv tests download from the package registry through pip's cache (``make test`` fills it first, so in CI they take
about two minutes) and skip, saying so, when pip cannot reach the registry.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = [pytest.mark.install, pytest.mark.slow]
LOCK_LINE = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(\S+)", re.MULTILINE)
ARTICLE = ROOT / "data" / "demo" / "txt" / "2023-02-22-wang-yi-meets-putin.txt"


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(lines: list[str]) -> set[str]:
    return {normalised(re.match(r"[A-Za-z0-9._-]+", line.strip()).group(0)) for line in lines}  # type: ignore[union-attr]


def locked(path: Path) -> dict[str, str]:
    """Return the lock's pins: name -> version."""
    return {normalised(name): version for name, version in LOCK_LINE.findall(path.read_text(encoding="utf-8"))}


def run(command: list[str | Path], **options: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **options)  # type: ignore[call-overload]
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.mark.parametrize("name", ["requirements.in"])
def test_install_pyproject_depends_on_what_the_lock_pins(name: str) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [line for line in (ROOT / name).read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    assert requirement_names(project["dependencies"]) == requirement_names(lines)
    assert project["scripts"]["eventline"] == "pipeline.cli:console"


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a new venv of this Python, its own pip (as ``python -m venv`` makes it), once the registry answers."""
    folder = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", folder])
    probe = [folder / "bin" / "python", "-m", "pip", "download", "--no-deps", "--retries", "0", "--timeout", "15", "-d", folder / "probe"]
    if subprocess.run([*probe, "pip-tools"], capture_output=True, check=False).returncode != 0:
        pytest.skip("pip cannot reach the package registry here: the install tests need it")
    return folder


def not_copied(folder: str, names: list[str]) -> set[str]:
    """Leave the checkout's venv, git, caches, store, tests and benchmarks out of the copy that ``pip install`` builds."""
    skipped = {".venv", ".git", "__pycache__", "tests", "bench"} | {n for n in names if n.endswith("_cache")}
    return skipped | ({"store"} if Path(folder) == ROOT / "data" else set())


@pytest.fixture(scope="module")
def installed(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the venv with requirements.txt installed by plain pip, then this project by ``pip install .`` (from a copy)."""
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
    run([*pip, "--require-hashes", "-r", ROOT / "requirements.txt"])
    source = tmp_path_factory.mktemp("source") / "eventline"
    shutil.copytree(ROOT, source, ignore=not_copied)
    run([*pip, source])
    return venv


def test_install_lock_in_a_new_venv_installs_exactly_the_lock(installed: Path) -> None:
    freeze = run([installed / "bin" / "python", "-m", "pip", "freeze", "--all", "--exclude", "pip"]).stdout
    versions = {normalised(n): v for n, v in re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", freeze, re.MULTILINE)}
    assert re.search(r"^eventline @ file:", freeze, re.MULTILINE), "pip install . did not install eventline"
    assert versions == locked(ROOT / "requirements.txt"), "pip install . changed a locked version: widen pyproject.toml's range"


def test_install_dev_lock_resolves_with_plain_pip(venv: Path) -> None:
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed"]
    run([*pip, "--require-hashes", "-r", ROOT / "requirements-dev.txt"])


def test_install_eventline_command_reads_and_extracts_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    eventline = installed / "bin" / "eventline"
    assert run([eventline, "--version"]).stdout.strip() == f"eventline {__import__('pipeline').__version__}"
    for command in ("articles", "extract", "ingest", "export", "stats", "migrate", "timex", "app"):
        assert f"usage: eventline {command}" in run([eventline, command, "--help"]).stdout
    shutil.copy(ARTICLE, tmp_path)
    run([eventline, "-q", "extract", ARTICLE.name, "-o", "events.csv"], cwd=tmp_path)
    assert len((tmp_path / "events.csv").read_text(encoding="utf-8").splitlines()) > 1


def test_install_dashboard_is_found_in_the_installed_package(installed: Path) -> None:
    code = "from pipeline.cli import DASHBOARD_APP, DEFAULT_STORE; print(DASHBOARD_APP, DASHBOARD_APP.is_file(), DEFAULT_STORE)"
    app, found, store = run([installed / "bin" / "python", "-c", code], cwd="/").stdout.split()
    assert Path(app).is_relative_to(installed) and found == "True"
    assert store == "data/store"
