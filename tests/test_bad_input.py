"""Bad input never stops a run (issue 18): each bad input, record, store or option gives one line naming it and the problem,
the run reads everything else, and the exit status says how it went (README, "Bad input").

The inputs are built here by hand in ``tmp_path``. The read cases run twice: ``articles`` as a subprocess (stderr, exit status,
the articles written) and ``ingest`` through ``main`` with an extraction that needs no spaCy (exit status, log, the store).
Both meet a file's permissions as a user does, also where the tests run as root (CI): the subprocess without the capabilities
that let root read any file, ``main`` with its readers' ``open`` refusing what the file's mode refuses (issue 19)."""

from __future__ import annotations

import errno
import functools
import io
import json
import logging
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, needs
from store_helpers import article, directed, fixed_extraction

from pipeline.cli import EXIT_CODES, main
from pipeline.ingest import ReadOptions, read_articles
from pipeline.records import Article, Problem, valid_text
from pipeline.store import ingest_articles, open_store
from pipeline.store.spans import mention_span

OK, SOME_FAILED, USAGE, NOTHING_READ, STORE_ERROR = 0, 1, 2, 3, 4
NESTED = "[" * 100_000 + "]" * 100_000


def good_text(index: int) -> str:
    return f"Title: Talks {index}\nDate: 2023-03-2{index}\n\nRussia warned Finland on Tuesday, in warning number {index}.\n"


def good_line(index: int) -> str:
    text = f"Xi Jinping met Vladimir Putin in Moscow, meeting number {index}."
    return json.dumps({"id": f"line-{index}", "text": text, "date": "2023-03-20"})


def good_folder(tmp_path: Path, count: int = 2) -> Path:
    """Return a folder holding ``count`` good articles."""
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for index in range(count):
        (folder / f"good{index}.txt").write_text(good_text(index), encoding="utf-8")
    return folder


# Each case builds its inputs and returns (the paths to read, how many good articles they hold, words the one line about the
# bad input says); the table gives the exit status.
Case = Callable[[Path], tuple[list[str], int, tuple[str, ...]]]


def nested_json_file(tmp_path: Path) -> tuple[list[str], int, tuple[str, ...]]:
    folder = good_folder(tmp_path)
    (folder / "deep.json").write_text(NESTED, encoding="utf-8")
    return [str(folder)], 2, ("deep.json", "nested too deeply")


def nested_jsonl_line(tmp_path: Path) -> tuple[list[str], int, tuple[str, ...]]:
    folder = good_folder(tmp_path)
    (folder / "wire.jsonl").write_text("\n".join([good_line(1), NESTED, good_line(2)]) + "\n", encoding="utf-8")
    return [str(folder)], 4, ("wire.jsonl:line 2", "nested too deeply")


def unreadable_file(tmp_path: Path) -> tuple[list[str], int, tuple[str, ...]]:
    folder = good_folder(tmp_path)
    locked = folder / "locked.txt"
    locked.write_text(good_text(7), encoding="utf-8")
    locked.chmod(0)
    return [str(folder)], 2, ("locked.txt", "permission denied")


def non_utf8_name(tmp_path: Path) -> tuple[list[str], int, tuple[str, ...]]:
    folder = good_folder(tmp_path)
    try:
        with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as handle:
            handle.write(good_text(8).encode("utf-8"))
    except OSError:
        pytest.skip("the file system refuses a file name that is not UTF-8")
    return [str(folder)], 3, ()


def dangling_symlink(tmp_path: Path) -> tuple[list[str], int, tuple[str, ...]]:
    folder = good_folder(tmp_path)
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    return [str(folder)], 2, ("gone.txt", "symbolic link", "nowhere.txt", "does not exist")


def dangling_symlink_named(tmp_path: Path) -> tuple[list[str], int, tuple[str, ...]]:
    folder = good_folder(tmp_path)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    return [str(folder), str(tmp_path / "gone.txt")], 2, ("gone.txt", "symbolic link", "does not exist")


def fifo_in_folder(tmp_path: Path) -> tuple[list[str], int, tuple[str, ...]]:
    folder = good_folder(tmp_path)
    os.mkfifo(folder / "pipe.txt")
    return [str(folder)], 2, ("skipped", "pipe.txt", "named pipe")


def fifo_named(tmp_path: Path) -> tuple[list[str], int, tuple[str, ...]]:
    folder = good_folder(tmp_path)
    os.mkfifo(tmp_path / "pipe.txt")
    return [str(folder), str(tmp_path / "pipe.txt")], 2, ("failed", "pipe.txt", "named pipe")


def jsonl_over_the_cap(tmp_path: Path) -> tuple[list[str], int, tuple[str, ...]]:
    folder = good_folder(tmp_path)
    (folder / "big.jsonl").write_text("\n".join(good_line(i) for i in range(10, 60)) + "\n", encoding="utf-8")
    return [str(folder), "--max-bytes", "1000"], 2, ("big.jsonl", "size cap of 1,000 bytes")


def name_too_long(tmp_path: Path) -> tuple[list[str], int, tuple[str, ...]]:
    folder = good_folder(tmp_path)
    return [str(folder), str(tmp_path / ("a" * 300 + ".txt"))], 2, ("aaaa.txt", "cannot read it", "too long")


def every_input_failed(tmp_path: Path) -> tuple[list[str], int, tuple[str, ...]]:
    (tmp_path / "deep.json").write_text(NESTED, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    return [str(tmp_path / "deep.json"), str(tmp_path / "empty.txt")], 0, ("deep.json", "nested too deeply")


def missing_path(tmp_path: Path) -> tuple[list[str], int, tuple[str, ...]]:
    return [str(tmp_path / "nope")], 0, ("nope", "no such file or folder")


READ_CASES: list[tuple[Case, int]] = [
    (nested_json_file, SOME_FAILED),
    (nested_jsonl_line, SOME_FAILED),
    (unreadable_file, SOME_FAILED),
    (non_utf8_name, OK),
    (dangling_symlink, SOME_FAILED),
    (dangling_symlink_named, SOME_FAILED),
    (fifo_in_folder, OK),
    (fifo_named, SOME_FAILED),
    (jsonl_over_the_cap, SOME_FAILED),
    (name_too_long, SOME_FAILED),
    (every_input_failed, NOTHING_READ),
    (missing_path, NOTHING_READ),
]
READ_IDS = [case.__name__ for case, _ in READ_CASES]


# Runs a command as root without the two capabilities that let root read and search whatever a mode forbids (setpriv is in
# util-linux): it then meets a file's permissions as a user does, and still reads the files root owns.
WITHOUT_READ_OVERRIDE = ("setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search", "--")


@functools.cache
def reads_any_file() -> bool:
    """Return True when this process reads a file whatever its mode says (root, as under CI: ``chmod 000`` does not stop it)."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder, "probe.txt")
        probe.write_text("x", encoding="utf-8")
        probe.chmod(0)
        try:
            probe.read_bytes()
        except PermissionError:
            return False
        return True


def as_a_user() -> tuple[str, ...]:
    """Return what to run a command under so that it meets a file's permissions as a user does: nothing, or as root
    ``WITHOUT_READ_OVERRIDE``."""
    if not reads_any_file():
        return ()
    if shutil.which("setpriv") is None:
        needs("setpriv", "util-linux's setpriv runs a command as root without the capability to read any file")
    return WITHOUT_READ_OVERRIDE


def run_cli(*args: str | bytes, stdin: str = "", runner: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    command = [*runner, sys.executable, "-m", "pipeline", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, input=stdin, timeout=300, check=False)


def assert_one_line(text: str, words: tuple[str, ...]) -> None:
    """No traceback, and one line names the input and the problem."""
    assert "Traceback" not in text, text
    if words:
        assert [line for line in text.splitlines() if all(w in line for w in words)], (words, text)


@pytest.mark.parametrize(("case", "status"), READ_CASES, ids=READ_IDS)
def test_bad_input_articles_command_reads_the_rest(tmp_path: Path, case: Case, status: int) -> None:
    paths, good, words = case(tmp_path)
    out = tmp_path / "articles.jsonl"
    result = run_cli("articles", *paths, "-o", str(out), runner=as_a_user())
    assert_one_line(result.stderr, words)
    assert result.returncode == status, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
    assert len(lines) == good
    assert f"{good} articles from" in result.stderr


@pytest.fixture
def no_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``ingest`` extract no events (and load no model)."""
    monkeypatch.setattr("pipeline.parallel.extracted", lambda articles, workers=1, scheduler="": fixed_extraction({})(articles))


def opened_as_a_user(real: Callable[..., object]) -> Callable[..., object]:
    """Return ``open`` refusing, as the system refuses a user, to read a file whose mode lets its owner not read it."""

    def opened(file: str | os.PathLike[str], mode: str = "r", *args: object, **options: object) -> object:
        if "r" in mode and not os.stat(file).st_mode & stat.S_IRUSR:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(file))
        return real(file, mode, *args, **options)

    return opened


@pytest.fixture
def user_permissions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the readers of input files (``pipeline.ingest``'s, and the file hashing of ``pipeline.store.sources``) meet a
    file's permissions as a user does, where this process would read any file (root)."""
    import pipeline.ingest
    import pipeline.store.sources

    if reads_any_file():
        for module in (pipeline.ingest, pipeline.store.sources):
            monkeypatch.setattr(module, "open", opened_as_a_user(open), raising=False)


def ingest_main(store: Path, *args: str) -> int:
    return main(["ingest", *args, "--store", str(store), "--workers", "1"])


def logged(caplog: pytest.LogCaptureFixture, level: int = logging.WARNING) -> str:
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= level)


@pytest.mark.parametrize(("case", "status"), READ_CASES, ids=READ_IDS)
def test_bad_input_ingest_stores_the_rest(
    tmp_path: Path,
    case: Case,
    status: int,
    no_spacy: None,
    user_permissions: None,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths, good, words = case(tmp_path)
    store = tmp_path / "store"
    assert ingest_main(store, *paths) == status
    assert_one_line(logged(caplog), words)
    assert "Traceback" not in capsys.readouterr().err
    if good:
        assert open_store(store).summary().articles == good
    else:
        assert not store.exists(), "a run that read nothing leaves no store behind"


def test_bad_input_unreadable_file_in_ingest(tmp_path: Path, no_spacy: None, user_permissions: None, caplog) -> None:
    """A file that cannot be read is reported, and read by the next ingest once it can be."""
    paths, good, words = unreadable_file(tmp_path)
    store = tmp_path / "store"
    assert ingest_main(store, *paths) == SOME_FAILED
    assert_one_line(logged(caplog), words)
    assert open_store(store).summary().articles == good
    (Path(paths[0]) / "locked.txt").chmod(0o644)
    assert ingest_main(store, *paths) == OK  # readable now: read, the others skipped unchanged
    assert open_store(store).summary().articles == good + 1


def test_bad_input_non_utf8_name_is_ingested_once(tmp_path: Path, no_spacy: None) -> None:
    paths, good, _ = non_utf8_name(tmp_path)
    store = tmp_path / "store"
    assert ingest_main(store, *paths) == OK
    ids = set(open_store(store).articles()["article_id"])
    assert any(i.startswith("caf\\xe9-") for i in ids) and len(ids) == good
    assert ingest_main(store, *paths) == OK
    assert open_store(store).summary().generation == 2, "the second ingest skips every file: nothing retried"


def test_bad_input_non_utf8_name_through_extract(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    paths, good, _ = non_utf8_name(tmp_path)
    events = tmp_path / "events.csv"
    assert main(["extract", *paths, "-o", str(events)]) == OK
    assert_one_line(logged(caplog), ())
    text = events.read_text(encoding="utf-8")
    assert "caf\\xe9" in text and text.count("Russia") >= good


@pytest.mark.parametrize(
    ("text", "expected"),
    [("plain", "plain"), ("caf\udce9", "caf\\xe9"), ("lone \ud800 surrogate", "lone \ufffd surrogate")],
)
def test_bad_input_valid_text_has_no_surrogates(text: str, expected: str) -> None:
    assert valid_text(text) == expected
    expected.encode("utf-8")


def test_bad_input_record_with_lone_surrogates_is_read(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({"id": "x\udcff", "title": "T\ud800", "text": "Russia warned Finland \udc80."}) + "\n", encoding="utf-8")
    (item,) = read_articles([path])
    assert isinstance(item, Article) and item.article_id == "x\\xff" and item.content_hash


def test_bad_input_article_dated_year_one_is_stored(tmp_path: Path) -> None:
    old = article("old", date(1, 1, 1))
    last = article("last", date(9999, 12, 31))
    last_week = directed(last, "Russia", "Finland", date="9999-W52", date_precision="week")
    events = {"old": [directed(old, "Russia", "Finland")], "last": [last_week]}
    report = ingest_articles([old, last], tmp_path, fixed_extraction(events))
    assert report.added == 2 and open_store(tmp_path).summary().events == 2
    assert mention_span("0001-01-01", "day", "") is not None


# ---- the store, the options, timex --------------------------------------------------------------------


def one_article_store(tmp_path: Path) -> Path:
    """Return a store of one article, in which Russia warns Finland."""
    a = article("a")
    store = tmp_path / "store"
    ingest_articles([a], store, fixed_extraction({"a": [directed(a, "Russia", "Finland")]}))
    return store


@pytest.fixture
def store_with_russia(tmp_path: Path) -> Path:
    return one_article_store(tmp_path)


def broken_manifest(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    store.mkdir(parents=True)
    (store / "manifest.json").write_text("[]", encoding="utf-8")
    return store


def damaged_store(tmp_path: Path) -> Path:
    """Return a store whose events part file is gone."""
    store = one_article_store(tmp_path)
    for part in (store / "events").iterdir():
        part.unlink()
    return store


def truncated_store(tmp_path: Path) -> Path:
    """Return a store whose events part file lost its second half (its Parquet footer with it)."""
    store = one_article_store(tmp_path)
    for part in (store / "events").iterdir():
        part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    return store


def lock_folder(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    (store / ".lock").mkdir(parents=True)
    return store


@pytest.mark.parametrize(
    ("command", "status", "words"),
    [
        ("stats --store {broken}", STORE_ERROR, ("manifest.json", "not a store manifest")),
        ("export -o {tmp}/e.csv --store {broken}", STORE_ERROR, ("manifest.json", "not a store manifest")),
        ("ingest {good} --store {broken} --workers 1", STORE_ERROR, ("manifest.json", "not a store manifest")),
        ("ingest {good} --store {locked} --workers 1", STORE_ERROR, (".lock", "is a folder", "unchanged")),
        ("stats --store {tmp}/none", STORE_ERROR, ("no store at", "none", "ingest")),
        ("stats --store {damaged}", STORE_ERROR, ("cannot be read", "missing or damaged", "ingest the articles again")),
        ("export -o {tmp}/e.csv --store {damaged}", STORE_ERROR, ("cannot be read", "missing or damaged")),
        ("stats --store {truncated}", STORE_ERROR, ("cannot be read", "No magic bytes", "missing or damaged", "ingest the articles again")),
        ("export -o {tmp}/e.csv --store {truncated}", STORE_ERROR, ("cannot be read", "events/g", "missing or damaged")),
        ("export -o {tmp}/e.csv --store {tmp}/none", STORE_ERROR, ("no store at", "none")),
        ("ingest {good} --published 0001-01-01", USAGE, ("--published", "0001-01-01", "1900")),
        ("ingest {good} --workers -3", USAGE, ("--workers", "-3")),
        ("export -o {tmp}/missing/e.csv --store {store}", USAGE, ("missing", "does not exist")),
        ("export -o {tmp} --store {store}", USAGE, ("cannot write", "is a folder")),
        ("export -o {tmp}/e.csv --store {store} --type sanctions", USAGE, ("sanctions", "did you mean 'sanction'")),
        ("export -o {tmp}/e.csv --store {store} --actor Rusia", USAGE, ("Rusia", "did you mean 'Russia'")),
    ],
)
def test_bad_input_store_and_options_give_one_line(
    tmp_path: Path, store_with_russia: Path, command: str, status: int, words: tuple[str, ...]
) -> None:
    places = {
        "tmp": tmp_path,
        "good": good_folder(tmp_path),
        "store": store_with_russia,
        "broken": broken_manifest(tmp_path / "b"),
        "locked": lock_folder(tmp_path / "l"),
        "damaged": damaged_store(tmp_path / "d"),
        "truncated": truncated_store(tmp_path / "t"),
    }
    result = run_cli(*command.format(**places).split())
    assert_one_line(result.stderr, words)
    assert result.returncode == status, result.stderr
    assert not (tmp_path / "e.csv").exists()
    assert not list((tmp_path / "l" / "store").glob("manifest.json")), "the store is left as it was"


def test_bad_input_store_lock_folder_keeps_the_store(tmp_path: Path, store_with_russia: Path, no_spacy: None, caplog) -> None:
    (store_with_russia / ".lock").unlink()
    (store_with_russia / ".lock").mkdir()
    assert ingest_main(store_with_russia, str(good_folder(tmp_path))) == STORE_ERROR
    assert_one_line(logged(caplog), (".lock", "is a folder"))
    assert open_store(store_with_russia).summary().articles == 1


def test_bad_input_timex_skips_lines_that_are_not_objects(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    good = [{"id": i, "expression": "Thursday", "sentence": "He spoke on Thursday.", "published": "2023-03-22"} for i in ("a", "b")]
    lines = [json.dumps(good[0]), "42", "[]", json.dumps(good[1])]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["timex"]) == SOME_FAILED
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"] and all(o["value"] == "2023-03-16" for o in out)
    text = logged(caplog)
    assert_one_line(text, ("line 2", "expected a JSON object", "int"))
    assert_one_line(text, ("line 3", "expected a JSON object", "list"))


def test_bad_input_timex_with_no_good_line(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("42\n"))
    assert main(["timex"]) == NOTHING_READ


def test_bad_input_exit_codes_are_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8").split("**Bad input**", 1)[1]
    help_text = " ".join(run_cli("--help").stdout.split())
    for code, meaning in EXIT_CODES.items():
        assert f"| {code} | {meaning} |" in readme
        assert f"{code} {meaning}" in help_text
    assert "sanction" in run_cli("export", "--help").stdout


def test_bad_input_problem_names_input_and_record(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join([good_line(1), NESTED, "7", good_line(2)]), encoding="utf-8")
    items = list(read_articles([path], ReadOptions()))
    problems = [str(i) for i in items if isinstance(i, Problem)]
    assert problems[0].startswith(f"failed: {path}:line 2: ") and "nested too deeply" in problems[0]
    assert problems[1].startswith(f"failed: {path}:line 3: expected an object")
    assert sum(isinstance(i, Article) for i in items) == 2
