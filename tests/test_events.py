"""Event extraction: golden articles, parametrized sentences for types, voice, coordination,
reported speech and status, and the quality gate on the seed article."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, shared_path

from pipeline.events_table import Event, write_events
from pipeline.extract import extract_events
from pipeline.ingest import read_articles
from pipeline.records import Article

GOLDEN = Path(__file__).resolve().parent / "golden"
GOLDEN_FIELDS = ("event_type", "source_actor", "target_actor", "participants", "date", "date_precision", "status", "location", "trigger")


def events_of(text: str, published: date) -> list[Event]:
    return extract_events([Article("t", "", text, published, "user")])


def compact(event: Event) -> dict[str, object]:
    return {field: getattr(event, field) for field in GOLDEN_FIELDS}


def golden_articles() -> list[Path]:
    return sorted((GOLDEN / "articles").glob("*.txt"))


@pytest.mark.parametrize("path", golden_articles(), ids=lambda p: p.stem)
def test_events_golden_files(path: Path, update_golden: bool) -> None:
    articles = [a for a in read_articles([path]) if isinstance(a, Article)]
    found = [compact(e) for e in extract_events(articles)]
    expected_path = GOLDEN / "expected" / f"{path.stem}.jsonl"
    if update_golden:
        expected_path.parent.mkdir(exist_ok=True)
        expected_path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in found), encoding="utf-8")
    expected = [json.loads(line) for line in expected_path.read_text(encoding="utf-8").splitlines()]
    assert found == expected, f"events of {path.name} changed; review, then run pytest --update-golden"


def one_event(text: str, published: date, event_type: str) -> Event:
    events = events_of(text, published)
    matches = [e for e in events if e.event_type == event_type]
    found = [(e.event_type, e.source_actor, e.target_actor) for e in events]
    assert len(matches) == 1, f"expected one {event_type} in {text!r}, found {found}"
    return matches[0]


D = date(2023, 3, 22)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "event_type", "source", "target"),
    [
        ("Guterres urged Russia to extend the grain deal.", "appeal", "Antonio Guterres", "Russia"),
        ("China proposed a ceasefire to Ukraine.", "proposal", "China", "Ukraine"),
        ("Blinken visited Beijing on Sunday.", "visit", "Antony Blinken", "China"),
        ("Erdogan praised Sweden for its new terrorism law.", "support", "Recep Tayyip Erdogan", "Sweden"),
        ("Germany delivered tanks to Ukraine.", "aid", "Germany", "Ukraine"),
        ("Russia released an American basketball player.", "concession", "Russia", "United States"),
        ("Ukraine accused Russia of destroying the dam.", "accusation", "Ukraine", "Russia"),
        ("The Kremlin rejected the ICC warrant.", "rejection", "Russia", "International Criminal Court"),
        ("Blinken warned China against arming Russia.", "warning", "Antony Blinken", "China"),
        ("North Korea threatened South Korea with a nuclear response.", "threat", "North Korea", "South Korea"),
        ("China deployed warships near Taiwan.", "mobilization", "China", "Taiwan"),
        ("The European Union imposed sanctions on Iran.", "sanction", "European Union", "Iran"),
        ("Russia arrested an American reporter.", "coercion", "Russia", "United States"),
        ("Russian forces shelled Ukraine overnight.", "attack", "Russia", "Ukraine"),
    ],
)
def test_events_each_type_with_source_and_target(text: str, event_type: str, source: str, target: str) -> None:
    event = one_event(text, D, event_type)
    assert (event.source_actor, event.target_actor) == (source, target)


def test_events_passive_voice_finds_agent_and_target() -> None:
    event = one_event("New sanctions were imposed on Russia by the European Union.", D, "sanction")
    assert (event.source_actor, event.target_actor) == ("European Union", "Russia")


def test_events_coordination_makes_every_party_a_participant() -> None:
    event = one_event("Xi Jinping and Vladimir Putin held talks in Moscow on Tuesday.", D, "meeting")
    assert set(event.participants.split(";")) == {"Xi Jinping", "Vladimir Putin"}
    assert event.target_actor == ""
    assert (event.date, event.date_precision, event.location) == ("2023-03-21", "day", "Moscow")


def test_events_reported_speech_credits_the_speaker_inside() -> None:
    events = events_of("Stoltenberg said that Blinken warned China against sending weapons.", D)
    warnings = [e for e in events if e.event_type == "warning"]
    assert [(e.source_actor, e.target_actor) for e in warnings] == [("Antony Blinken", "China")]


@pytest.mark.parametrize(
    ("text", "event_type", "status"),
    [
        ("Blinken will visit Beijing next week.", "visit", "planned"),
        ("Erdogan agreed to meet Stoltenberg in March.", "meeting", "planned"),
        ("China is considering supplying arms to Russia.", "aid", "hypothetical"),
        ("China could send weapons to Russia.", "aid", "hypothetical"),
        ("We have not seen any arms shipments from China to Russia.", "aid", "denied"),
        ("Russia did not attack Ukraine's grain ports, the Kremlin said.", "attack", "denied"),
        ("Putin met Xi on Monday.", "meeting", "occurred"),
    ],
)
def test_events_status(text: str, event_type: str, status: str) -> None:
    assert one_event(text, D, event_type).status == status


def test_events_same_act_in_two_sentences_is_one_event() -> None:
    text = "Xi Jinping met Vladimir Putin in Moscow on Monday. The meeting between Xi Jinping and Vladimir Putin lasted four hours."
    assert len([e for e in events_of(text, D) if e.event_type == "meeting"]) == 1


def test_events_ids_are_stable_across_runs() -> None:
    text = "Xi Jinping met Vladimir Putin in Moscow on Monday."
    assert [e.event_id for e in events_of(text, D)] == [e.event_id for e in events_of(text, D)]


def test_events_sentence_without_trigger_gives_nothing() -> None:
    assert events_of("China is a member of the UN Security Council.", D) == []


def test_events_csv_has_every_column_and_is_spreadsheet_safe(tmp_path: Path) -> None:
    event = events_of("=Germany delivered tanks to Ukraine.", D)[0]
    path = tmp_path / "events.csv"
    write_events([event], path)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [f for f in Event.__dataclass_fields__]
    assert rows[0]["sentence"].startswith("'=")


@pytest.mark.shared
def test_events_seed_quality_gate(tmp_path: Path) -> None:
    seed = shared_path("eval", "seed")
    events = tmp_path / "events.csv"
    subprocess.run(
        [sys.executable, "-m", "pipeline", "-q", "extract", str(seed / "000_07e17540711d636a.txt"), "-o", str(events)], check=True, cwd=ROOT
    )
    result = subprocess.run(
        [sys.executable, str(seed.parent / "score_events.py"), "--gold", str(seed / "gold.jsonl"), "--events", str(events), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    scores = json.loads(result.stdout)
    assert scores["recall"] >= 0.9, scores
    assert scores["date_accuracy"] >= 0.8, scores
    assert scores["precision"] >= 0.75, scores


def test_events_user_actor_file_adds_actors(tmp_path: Path) -> None:
    actors = tmp_path / "mine.yaml"
    actors.write_text(
        "- id: harbour_watch\n  name: Harbour Watch Council\n  kind: organisation\n  aliases: [HWC]\n",
        encoding="utf-8",
    )
    article = tmp_path / "a.txt"
    article.write_text("Title: Warning\nDate: 2023-03-22\n\nThe HWC warned Russia against closing the port.\n", encoding="utf-8")
    events = tmp_path / "events.csv"
    command = [sys.executable, "-m", "pipeline", "-q", "extract", str(article), "-o", str(events), "--actors", str(actors)]
    subprocess.run(command, check=True, cwd=ROOT)
    with events.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["event_type"], r["source_actor"], r["target_actor"]) for r in rows] == [("warning", "Harbour Watch Council", "Russia")]


@pytest.mark.parametrize(("content", "message"), [(None, "No such file"), ("- id: x\n  name: [broken\n", "cannot read")])
@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_events_unreadable_actor_file_is_named(tmp_path: Path, content: str | None, message: str, command: str) -> None:
    actors = tmp_path / "mine.yaml"
    if content is not None:
        actors.write_text(content, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Title: Warning\nDate: 2023-03-22\n\nRussia warned Finland against joining the alliance.\n", encoding="utf-8")
    where = ["-o", str(tmp_path / "events.csv")] if command == "extract" else ["--store", str(tmp_path / "store")]
    line = [sys.executable, "-m", "pipeline", "-q", command, str(article), *where, "--actors", str(actors)]
    result = subprocess.run(line, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2  # a usage error (README, "Bad input")
    assert "--actors: " in result.stderr and str(actors) in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("North Korea fired a missile", True),  # every word of "fire ... missile"
        ("The fire spread to the hills", False),  # a word of phrases ("open fire"), but no whole phrase
        ("Blinken warned Beijing", True),  # a single trigger verb
        ("The weather was mild", False),
    ],
)
def test_events_pre_parse_check_wants_a_whole_trigger(sentence: str, expected: bool) -> None:
    from pipeline.triggers import Lexicon

    assert Lexicon.load().might_hold_trigger(set(sentence.lower().split())) is expected
