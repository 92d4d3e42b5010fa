"""Event extraction: golden articles scored against hand-written gold events, parametrized sentences for types,
voice, coordination, reported speech and status, and the quality gate on the seed article."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import ROOT, named_copy, shared_path
from golden_match import Gold, assign, describe, false_positives, field_errors

from pipeline.events_table import Event, write_events
from pipeline.extract import DATELINE, extract_events
from pipeline.ingest import read_articles
from pipeline.records import Article

if TYPE_CHECKING:
    from _pytest.mark.structures import ParameterSet

GOLDEN = Path(__file__).resolve().parent / "golden"
GOLD_KEYS = {"type", "source", "target", "date", "status", "required", "evidence"}
# The 22 types of ../shared/eval/GUIDELINES.md.
TYPES = {
    *("statement", "appeal", "proposal", "meeting", "visit", "call", "summit", "agreement", "support", "cooperation", "aid"),
    *("concession", "investigation", "accusation", "rejection", "warning", "threat", "protest", "mobilization", "sanction"),
    *("coercion", "attack"),
}
STATUSES = {"occurred", "planned", "hypothetical", "denied"}
MISS_CLASSES = ("detection", "type", "actor", "date", "status")


def events_of(text: str, published: date) -> list[Event]:
    return extract_events([Article("t", "", text, published, "user")])


def golden_articles() -> list[Path]:
    return sorted((GOLDEN / "articles").glob("*.txt"))


@cache
def golden_events(stem: str) -> tuple[Event, ...]:
    """Return the events extracted from a golden article (once per test run)."""
    articles = [a for a in read_articles([GOLDEN / "articles" / f"{stem}.txt"]) if isinstance(a, Article)]
    return tuple(extract_events(articles))


@cache
def gold_of(stem: str) -> tuple[Gold, ...]:
    """Return the hand-written gold events of a golden article."""
    lines = (GOLDEN / "expected" / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(line) for line in lines if line.strip())


def gold_case(stem: str, index: int, gold: Gold) -> ParameterSet:
    """Return one gold event as a test case, a strict xfail when it is a known miss of today's extractor."""
    miss = gold.get("known_miss")
    marks = [pytest.mark.xfail(strict=True, raises=AssertionError, reason=miss)] if miss else []
    return pytest.param(stem, index, id=f"{stem}-{index}-{gold['type']}", marks=marks)


def gold_cases() -> list[ParameterSet]:
    return [gold_case(p.stem, i, g) for p in golden_articles() for i, g in enumerate(gold_of(p.stem))]


@pytest.mark.parametrize("path", golden_articles(), ids=lambda p: p.stem)
def test_events_golden_expectations_follow_the_guidelines(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for gold in gold_of(path.stem):
        assert GOLD_KEYS <= set(gold) <= GOLD_KEYS | {"known_miss"}, gold
        assert gold["type"] in TYPES and gold["status"] in STATUSES and isinstance(gold["required"], bool), gold
        assert gold["source"] and re.fullmatch(r"(\d{4}(-\d\d){0,2})?", gold["date"]), gold
        assert gold["evidence"] in text, gold
        if "known_miss" in gold:
            assert gold["known_miss"].split(": ", 1)[0] in MISS_CLASSES, gold


@pytest.mark.parametrize(("stem", "index"), gold_cases())
def test_events_golden_files(stem: str, index: int) -> None:
    gold = gold_of(stem)[index]
    event = assign(gold_of(stem), golden_events(stem))[index]
    assert event is not None, f"no event matches {gold}; found {[describe(e) for e in golden_events(stem)]}"
    assert field_errors(gold, event) == [], f"{describe(event)} on {event.date}, {event.status}; gold {gold}"


@pytest.mark.parametrize("path", golden_articles(), ids=lambda p: p.stem)
def test_events_golden_precision_does_not_worsen(path: Path) -> None:
    limit = json.loads((GOLDEN / "expected" / "limits.json").read_text(encoding="utf-8"))[path.stem]
    found = false_positives(gold_of(path.stem), golden_events(path.stem))
    assert limit["allowed"] == len(limit["named"]), limit
    assert len(found) <= limit["allowed"] and set(found) <= set(limit["named"]), f"events that match no gold event: {found}"


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
        ("Serbia and Kosovo failed to agree on a deal in Brussels on Monday.", "agreement", "denied"),
        ("Putin met Xi on Monday.", "meeting", "occurred"),
    ],
)
def test_events_status(text: str, event_type: str, status: str) -> None:
    assert one_event(text, D, event_type).status == status


def test_events_same_act_in_two_sentences_is_one_event() -> None:
    text = "Xi Jinping met Vladimir Putin in Moscow on Monday. The meeting between Xi Jinping and Vladimir Putin lasted four hours."
    assert len([e for e in events_of(text, D) if e.event_type == "meeting"]) == 1


EVENT_IDS_SCRIPT = """
import sys
from datetime import date
from pipeline.extract import extract_events
from pipeline.records import Article
print(" ".join(e.event_id for e in extract_events([Article("t", "", sys.argv[1], date.fromisoformat(sys.argv[2]), "user")])))
"""


def event_ids_in_a_process(text: str, published: date, hash_seed: str) -> list[str]:
    """Return the ids of the events of ``text`` extracted in a new Python process with the given ``PYTHONHASHSEED``."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    command = [sys.executable, "-c", EVENT_IDS_SCRIPT, text, published.isoformat()]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True)
    return out.stdout.split()


@pytest.mark.slow
def test_events_ids_are_stable_across_runs() -> None:
    text = "Xi Jinping met Vladimir Putin in Moscow on Monday. Russia warned Finland on Tuesday."
    first = event_ids_in_a_process(text, D, "1")
    assert first, "no event to compare"
    assert first == event_ids_in_a_process(text, D, "2")
    assert first == [e.event_id for e in events_of(text, D)]


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
    events, article = tmp_path / "events.csv", named_copy(seed / "000_07e17540711d636a.txt", tmp_path)
    subprocess.run([sys.executable, "-m", "pipeline", "-q", "extract", str(article), "-o", str(events)], check=True, cwd=ROOT)
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


# Floors of the development set's scores (../shared/eval/dev, never tuned on), pinned a little under the figures of
# the commit that set them (dev F1 0.494, precision 0.631, recall 0.405, date accuracy 0.738): a change that loses
# quality fails here.
DEV_FLOORS = {"f1": 0.48, "precision": 0.62, "recall": 0.39, "date_accuracy": 0.71}


def test_events_dev_quality_gate(tmp_path: Path) -> None:
    dev = shared_path("eval", "dev")
    events = tmp_path / "events.csv"
    subprocess.run([sys.executable, "-m", "pipeline", "-q", "extract", str(dev / "docs.jsonl"), "-o", str(events)], check=True, cwd=ROOT)
    result = subprocess.run(
        [sys.executable, str(dev.parent / "score_events.py"), "--gold", str(dev / "gold.jsonl"), "--events", str(events), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    scores = json.loads(result.stdout)
    assert all(scores[name] >= floor for name, floor in DEV_FLOORS.items()), scores


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


@pytest.mark.parametrize(
    ("text", "event_type", "parties"),
    [
        (
            "Secretary of State Antony Blinken spoke today with Turkish Foreign Minister Mevlut Cavusoglu.",
            "call",
            {"Antony Blinken", "Mevlut Cavusoglu"},
        ),
        ("President Biden spoke with Chancellor Scholz on Tuesday about Ukraine.", "call", {"Joe Biden", "Olaf Scholz"}),
    ],
)
def test_events_readout_spoke_with_is_a_call(text: str, event_type: str, parties: set[str]) -> None:
    assert set(one_event(text, D, event_type).participants.split(";")) == parties


@pytest.mark.parametrize(
    "text",
    [
        "Germany expressed deep concern over Iran's arrest of two journalists.",
        "Japan voiced concern about China's coast guard activity near the islands.",
    ],
)
def test_events_expressed_concern_about_an_actor_is_an_accusation(text: str) -> None:
    assert [e.event_type for e in events_of(text, D) if e.event_type in {"accusation", "statement"}][:1] == ["accusation"]


@pytest.mark.parametrize(
    "text",
    [
        "Three soldiers were killed near the border on Monday.",
        "Two journalists were abducted near the border on Tuesday.",
    ],
)
def test_events_act_without_a_known_actor_is_no_event(text: str) -> None:
    assert events_of(text, D) == []


@pytest.mark.parametrize(
    ("text", "protests"),
    [
        ("Thousands of Serbians demonstrated in Belgrade against the government on Monday.", 1),
        ("Russia has demonstrated that it is an unreliable supplier of gas to Europe.", 0),
        ("China demonstrated its resolve with drills near Taiwan.", 0),
    ],
)
def test_events_demonstrate_is_a_protest_only_without_an_object(text: str, protests: int) -> None:
    assert len([e for e in events_of(text, D) if e.event_type == "protest"]) == protests


@pytest.mark.parametrize(
    ("text", "event_type", "source"),
    [
        ("Protesters marched in Fort Worth, Texas, on Sunday. Police arrested Patrick Carlineo on Monday.", "coercion", "United States"),
        ("Protesters marched in Lagos on Monday. Officials said that police detained the activist Chidi Okafor.", "coercion", "Nigeria"),
    ],
)
def test_events_unanchored_state_agent_is_the_home_state(text: str, event_type: str, source: str) -> None:
    assert one_event(text, D, event_type).source_actor == source


def test_events_a_sentence_alone_has_no_home_state() -> None:
    assert events_of("Police arrested Patrick Carlineo in Fort Worth, Texas, on Monday.", D) == []


def test_events_unanchored_agent_without_any_country_is_no_actor() -> None:
    assert events_of("Police arrested six people on Monday.", D) == []


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("Russia lambasted Ukraine for the strike on the bridge.", "accusation"),
        ("Iran summoned the British ambassador on Monday.", "accusation"),
        ("Israel and Hamas swapped prisoners on Sunday.", "concession"),
        ("The United States extended a loan to Ukraine.", "aid"),
        ("China balked at the proposal by Japan.", "rejection"),
        ("Lithuania regretted the decision by Poland.", "accusation"),
        ("Germany encouraged Serbia to recognise Kosovo.", "appeal"),
        ("Blinken affirmed U.S. support for Moldova.", "support"),
        ("Turkey reiterated its concerns about Sweden's law on Monday.", "accusation"),
        ("Japan provided Ukraine with food and medical supplies on Monday.", "aid"),
        ("Blinken offered his warmest congratulations to Yair Lapid on Monday.", "support"),
        ("The United States will impose further costs on Russia.", "sanction"),
        ("The United States will reposition a Patriot missile system to Slovakia.", "mobilization"),
        ("Thousands of Korean Air workers went on strike against the government on Monday.", "protest"),
        ("Vice President Harris held a roundtable with Governor Newsom on Monday.", "meeting"),
        ("The Treasury is designating three Iranian generals for their role in drone sales to Russia.", "sanction"),
        ("Canberra announced the designation of two Russian banks on Monday.", "sanction"),
        ("Mr. Macron ordered a review of France's security cooperation with Mali on Monday.", "investigation"),
    ],
)
def test_events_codebook_triggers(text: str, event_type: str) -> None:
    assert event_type in {e.event_type for e in events_of(text, D)}


def test_triggers_files_merge_lists_and_mappings() -> None:
    from pipeline.triggers import merged_spec

    merged = merged_spec(
        [
            {"attack": {"verbs": ["shell"]}, "irregular": {"meet": ["met"]}},
            {"attack": {"verbs": ["shell", "raid"]}, "irregular": {"hold": ["held"]}},
        ]
    )
    assert merged == {"attack": {"verbs": ["shell", "raid"]}, "irregular": {"meet": ["met"], "hold": ["held"]}}


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("UK, FRANCE TO URGE DEBT RELIEF FOR POOREST LANDS", "UK, France to urge debt relief for poorest lands"),
        ("BAKER SAYS U.S. OPPOSES NEW LOANS", "Baker says U.S. opposes new loans"),
        ("Blinken's Call with Turkish Foreign Minister Cavusoglu", "Blinken's Call with Turkish Foreign Minister Cavusoglu"),
    ],
)
def test_extract_headline_text_lowers_all_capitals_but_names(title: str, expected: str) -> None:
    from pipeline.extract import default_extractor, headline_text

    assert headline_text(title, default_extractor().dictionary) == expected


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "OPEC URGES NIGERIA TO CUT OUTPUT",
            "The Organization of Petroleum Exporting Countries (OPEC) said Nigeria pumped too much. OPEC may act.",
            "OPEC urges Nigeria to cut output",
        ),
        (
            "TAKESHITA WARNS CONGRESS ON TARIFFS",
            "Japan's Noboru Takeshita told the U.S. Congress that tariffs may hurt trade. Congress votes on Friday.",
            "Takeshita warns Congress on tariffs",
        ),
        ("CANADA MAY RAISE DUTIES", "Ottawa said Canada may raise duties, and it may do so in May.", "Canada may raise duties"),
    ],
)
def test_extract_headline_text_takes_the_case_of_the_body(title: str, body: str, expected: str) -> None:
    from pipeline.extract import default_extractor, headline_text

    assert headline_text(title, default_extractor().dictionary, body) == expected


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "Secretary Blinken's Call with Turkish Foreign Minister Cavusoglu",
            "Secretary Blinken spoke with Turkish Foreign Minister Cavusoglu today. The call covered Ukraine.",
            "Secretary Blinken's call with Turkish Foreign Minister Cavusoglu",
        ),
        (
            "Nurses Threaten To Strike Over Pay",
            "The nurses said they threaten to strike over pay unless talks resume.",
            "Nurses threaten to strike over pay",
        ),
        ("Biden says US will defend Taiwan", "The president said the US will defend Taiwan.", "Biden says US will defend Taiwan"),
    ],
)
def test_extract_headline_text_lowers_title_case_as_the_body_writes(title: str, body: str, expected: str) -> None:
    from pipeline.extract import default_extractor, headline_text

    assert headline_text(title, default_extractor().dictionary, body) == expected


def test_events_headline_act_is_found_when_the_body_does_not_repeat_it() -> None:
    article = Article("t", "SHULTZ WARNS JAPAN OF TRADE RETALIATION", "The talks in Tokyo lasted three hours.", D, "user")
    warnings = [e for e in extract_events([article]) if e.event_type == "warning"]
    assert [(e.source_actor, e.target_actor) for e in warnings] == [("George Shultz", "Japan")]


def test_events_headline_and_lead_reporting_one_act_make_one_event() -> None:
    text = "Secretary Blinken met Turkish Foreign Minister Cavusoglu in Ankara on Monday."
    article = Article("t", "Secretary Blinken's Meeting with Turkish Foreign Minister Cavusoglu", text, D, "user")
    meetings = [e for e in extract_events([article]) if e.event_type == "meeting"]
    assert len(meetings) == 1 and "Ankara" in meetings[0].sentence


def test_events_soviet_is_the_soviet_union_in_wires() -> None:
    event = one_event("The USSR expelled two American diplomats on Monday.", date(1987, 3, 4), "sanction")
    assert (event.source_actor, event.target_actor) == ("Soviet Union", "United States")


def test_events_headline_state_and_body_person_of_that_state_are_one_act() -> None:
    text = "U.S. Secretary of State Antony Blinken warned China against providing lethal aid to Moscow on Saturday."
    article = Article("t", "Washington warns Beijing over aid to Moscow", text, D, "user")
    warnings = [e for e in extract_events([article]) if e.event_type == "warning"]
    assert [(e.source_actor, e.target_actor) for e in warnings] == [("Antony Blinken", "China")]


def test_events_two_people_of_one_state_are_two_acts() -> None:
    text = "President Biden warned China on Monday. Secretary Blinken warned China on Monday."
    assert len([e for e in events_of(text, D) if e.event_type == "warning"]) == 2


@pytest.mark.parametrize(
    ("text", "event_type", "source"),
    [
        ("Japan is opposed to the plan of China.", "rejection", "Japan"),
        ("The United States is opposed to China's membership of the council.", "rejection", "United States"),
        ("The United States is committed to the defense of South Korea.", "proposal", "United States"),
    ],
)
def test_events_stance_in_the_passive_or_after_a_copula_belongs_to_the_subject(text: str, event_type: str, source: str) -> None:
    assert one_event(text, D, event_type).source_actor == source


def test_events_acts_upon_someone_need_a_target() -> None:
    assert events_of("Russian forces attacked overnight, officials said.", D) == []


def test_events_passive_arrest_in_a_named_city_is_its_states() -> None:
    text = "Tehran was tense on Tuesday. The journalist Niloofar Hamedi was arrested in Tehran on Tuesday."
    event = one_event(text, D, "coercion")
    assert (event.source_actor, event.target_actor) == ("Iran", "Niloofar Hamedi")


def test_events_passive_state_act_with_no_agent_is_the_home_states() -> None:
    text = "Police in Fort Worth, Texas, said Patrick Carlineo called the office. Carlineo was arrested in April."
    event = one_event(text, D, "coercion")
    assert (event.source_actor, event.target_actor) == ("United States", "Patrick Carlineo")


def test_events_we_in_an_official_release_is_the_state_it_speaks_for() -> None:
    article = Article("t", "", "We condemn Russia's strikes on Kyiv.", D, "user", url="https://www.state.gov/on-the-strikes/")
    events = [e for e in extract_events([article]) if e.event_type == "accusation"]
    assert [(e.source_actor, e.target_actor) for e in events] == [("United States", "Russia")]


def test_events_we_elsewhere_is_no_actor() -> None:
    article = Article("t", "", "We condemn Russia's strikes on Kyiv.", D, "user", url="https://example.com/opinion/")
    assert [e for e in extract_events([article]) if e.event_type == "accusation"] == []


@pytest.mark.parametrize(
    ("url", "actor"),
    [
        ("https://www.state.gov/x/", "USA"),
        ("https://www.whitehouse.gov/briefing-room/", "USA"),
        ("https://www.nato.int/cps/", "nato"),
        ("https://notstate.gov.example.com/", ""),
        ("", ""),
    ],
)
def test_publishers_voice_of_official_domains(url: str, actor: str) -> None:
    from pipeline.publishers import voice_of

    assert voice_of(url) == actor


def test_events_the_speaker_is_not_the_agent_of_what_they_report() -> None:
    events = events_of("Interior Minister Bernard Cazeneuve said 80 people were killed in Nice.", D)
    assert [e for e in events if e.event_type == "attack"] == []


@pytest.mark.parametrize(
    ("text", "event_type", "source", "target"),
    [
        ("Senator Kamala Harris called Wilson's record extremely problematic.", "accusation", "Kamala Harris", "Wilson"),
        ("Mitch McConnell called Wilson an outstanding nominee.", "support", "Mitch McConnell", "Wilson"),
        ("Erdogan described the decision of Sweden as unacceptable.", "accusation", "Recep Tayyip Erdogan", "Sweden"),
    ],
)
def test_events_naming_with_blame_or_praise(text: str, event_type: str, source: str, target: str) -> None:
    event = one_event(text, D, event_type)
    assert (event.source_actor, event.target_actor) == (source, target)


def test_events_naming_without_judgement_is_no_event() -> None:
    assert events_of("Erdogan called the decision of Sweden a matter for parliament.", D) == []


@pytest.mark.parametrize(
    ("text", "event_type", "source", "target"),
    [
        ("Two states - Egypt and Jordan - also sharply criticised the US policy shift.", "accusation", "Egypt", "United States"),
        (
            "In a statement on Monday, Germany, long a critic, condemned in strong terms the decision by Hungary.",
            "accusation",
            "Germany",
            "Hungary",
        ),
    ],
)
def test_events_nearest_actor_in_the_clause_when_the_parse_ties_none(text: str, event_type: str, source: str, target: str) -> None:
    event = one_event(text, D, event_type)
    assert (event.source_actor, event.target_actor) == (source, target)


def test_events_family_name_of_a_person_named_in_full_is_that_person() -> None:
    text = "Police in Margate, Kent, said Tebin Kadir ran the ring. Kadir was jailed for eleven years on Friday."
    events = [e for e in events_of(text, D) if e.event_type == "coercion"]
    assert [(e.source_actor, e.target_actor) for e in events] == [("United Kingdom", "Tebin Kadir")]


def test_events_a_verb_coordinated_with_a_verb_of_saying_is_the_speakers_next_act() -> None:
    # Not "reiterate ... call" across the coordination, and "called" is no content of "reiterated".
    text = "Japan reiterated its commitment to a diplomatic path and called upon Iran to return to talks."
    event = one_event(text, D, "appeal")
    assert (event.source_actor, event.target_actor, event.trigger) == ("Japan", "Iran", "called upon")


@pytest.mark.parametrize(
    ("text", "event_type", "source", "target"),
    [
        ("The ministers met in Rome on Monday. They called on Serbia to recognise Kosovo.", "appeal", "Italy", "Serbia"),
        ("Joe Biden spoke with Olaf Scholz on Monday. The two leaders condemned Iran.", "accusation", "Joe Biden", "Iran"),
        ("Germany said it had delivered tanks to Ukraine on Monday.", "aid", "Germany", "Ukraine"),
    ],
)
def test_events_pronoun_and_group_subjects_take_their_antecedent(text: str, event_type: str, source: str, target: str) -> None:
    event = one_event(text, D, event_type)
    assert (event.source_actor, event.target_actor) == (source, target)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tova Noel and Michael Thomas pleaded not guilty in a Manhattan court.", {("rejection", "Tova Noel")}),
        ("Paul Reed pleaded guilty in a Manhattan court.", set()),  # pleading guilty asks nothing of anyone
        ("Germany pleaded with Hungary to lift its veto.", {("appeal", "Germany")}),
    ],
)
def test_events_pleading_not_guilty_is_a_rejection_and_pleading_with_an_appeal(text: str, expected: set[tuple[str, str]]) -> None:
    assert {(e.event_type, e.source_actor) for e in events_of(text, D)} == expected


def test_events_a_coordinated_passive_acts_upon_the_shared_subject() -> None:
    text = (
        "Prosecutors in New York charged two guards on Monday."
        " Tova Noel and Michael Thomas pleaded not guilty in a Manhattan court and were released on Tuesday."
    )
    event = one_event(text, D, "concession")
    assert (event.source_actor, event.target_actor) == ("United States", "Tova Noel")


def test_events_a_clause_on_the_object_of_sending_is_the_senders() -> None:
    text = (
        "Two senators, Chris Coons and Marco Rubio, sent a private letter to Egypt's ambassador in Washington"
        " urging Egypt to halt its harassment."
    )
    event = one_event(text, D, "appeal")
    assert (event.source_actor, event.target_actor) == ("Chris Coons", "Egypt")


def test_events_an_act_with_its_own_subject_after_with_is_no_content() -> None:
    text = "The European Union criticised the plan, with Germany warning Russia against any escalation."
    event = one_event(text, D, "warning")
    assert (event.source_actor, event.target_actor) == ("Germany", "Russia")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A participle after a noun tells what happened to it, and the actor before it did not do it.
        ("The United States condemned the detention of activists arrested in Moscow last week.", set()),
        (
            "Russia jailed more critics on Monday. Canada condemned the detention of Alexei Navalny, arrested in Moscow last week.",
            {("Russia", "Alexei Navalny")},
        ),
    ],
)
def test_events_a_participle_after_a_noun_acts_upon_that_noun(text: str, expected: set[tuple[str, str]]) -> None:
    found = {(e.source_actor, e.target_actor) for e in events_of(text, D) if e.event_type == "coercion" and e.trigger == "arrested"}
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Germany recognised Kosovo in 2008.", {("support", "Germany", "Kosovo")}),
        ("Germany recognised that the vote in Kosovo was fair.", set()),  # a judgment, not a recognition
        ("Mexico's economy grew under the North American Free Trade Agreement, Canada said on Monday.", set()),  # a name's word
    ],
)
def test_events_a_clause_object_or_a_word_of_a_name_is_no_act(text: str, expected: set[tuple[str, str, str]]) -> None:
    assert {(e.event_type, e.source_actor, e.target_actor) for e in events_of(text, D)} == expected


@pytest.mark.parametrize(
    ("text", "event_type", "source", "target"),
    [
        (
            "Police in Auckland said a 26-year-old man was arrested on Monday. New Zealand police said more arrests would follow.",
            "coercion",
            "New Zealand",
            "26-year-old man",
        ),
        ("Gunmen attacked a police station in Peshawar, Pakistan on Monday.", "attack", "Gunmen", "Pakistan"),
    ],
)
def test_events_private_people_named_by_a_common_noun_are_actors(text: str, event_type: str, source: str, target: str) -> None:
    event = one_event(text, D, event_type)
    assert (event.source_actor, event.target_actor) == (source, target)


@pytest.mark.parametrize(
    ("text", "event_type", "source", "target", "status"),
    [
        # officers, detectives, investigators with no country named are the home state's
        (
            "Police in Dayton, Ohio investigated a shooting on Monday. Officers arrested a 30-year-old man on Tuesday.",
            "coercion",
            "United States",
            "30-year-old man",
            "occurred",
        ),
        # what one commits to do is that act, planned, not a proposal
        ("Japan committed to imposing new sanctions on Russia on Monday.", "sanction", "Japan", "Russia", "planned"),
        # striking someone by hand is an assault; "in the West Bank" is where, not whom
        ("Ahed Tamimi slapped an Israeli soldier in the West Bank in December.", "attack", "Tamimi", "Israel", "occurred"),
    ],
)
def test_events_home_agents_pledged_acts_and_assaults(text: str, event_type: str, source: str, target: str, status: str) -> None:
    event = one_event(text, D, event_type)
    assert (event.source_actor, event.target_actor, event.status) == (source, target, status)


def test_events_a_pledged_act_is_no_proposal_of_its_own() -> None:
    assert "proposal" not in {e.event_type for e in events_of("Japan committed to imposing new sanctions on Russia on Monday.", D)}


def test_events_the_subject_of_a_clause_on_an_act_noun_did_it() -> None:
    text = "Tokyo criticised the tariffs Washington had imposed on Japanese steel, and Seoul echoed the tariffs that Washington set."
    from pipeline.extract import default_extractor
    from pipeline.roles import doer_clause_subjects

    doc = default_extractor().nlp(text)
    tariffs = [t for t in doc if t.lower_ == "tariffs"]
    assert [[s.text for s in doer_clause_subjects(t)] for t in tariffs] == [["Washington"], ["Washington"]]


@pytest.mark.parametrize(
    ("text", "event_type", "source", "target"),
    [
        # dropping an investigation is a concession, aimed at whom the allegations were against
        ("Sweden has dropped its investigation into allegations against Julian Assange.", "concession", "Sweden", "Julian Assange"),
        ("The European Union eased sanctions on Venezuela on Monday.", "concession", "European Union", "Venezuela"),
        # an object that points back ("these accusations", "these actions") is aimed at the doer of the act just told
        (
            "Russia accused Ukraine of shelling the plant on Monday. The Pentagon rejected these accusations as false.",
            "rejection",
            "United States",
            "Russia",
        ),
        (
            "Nicaraguan police arrested Cristiana Chamorro in Managua on Tuesday. The United States condemns these actions.",
            "accusation",
            "United States",
            "Nicaragua",
        ),
    ],
)
def test_events_targets_through_the_object_and_back_to_the_act_before(text: str, event_type: str, source: str, target: str) -> None:
    event = one_event(text, D, event_type)
    assert (event.source_actor, event.target_actor) == (source, target)


def test_events_the_act_noun_object_points_back_to_the_act_of_its_type() -> None:
    text = "Tsai Ing-wen met Kevin McCarthy in California on April 5. China condemned the meeting."
    event = one_event(text, D, "accusation")
    assert (event.source_actor, event.target_actor) == ("China", "Tsai Ing-wen")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("France protested on Tuesday over Canada's decision to close its ports.", ("accusation", "France", "Canada")),
        ("Thousands of teachers protested in Indianapolis on Tuesday, the Indiana State Teachers Association said.", None),
    ],
)
def test_events_a_state_protesting_complains_and_people_protesting_demonstrate(text: str, expected: tuple | None) -> None:
    events = [(e.event_type, e.source_actor, e.target_actor) for e in events_of(text, D)]
    if expected is None:
        assert [e for e in events if e[0] == "accusation"] == [], events
    else:
        assert expected in events and not any(e[0] == "protest" for e in events), events


def test_events_a_noun_coordination_shares_its_target() -> None:
    event = one_event("Canada is rushing security, humanitarian, and economic assistance to Haiti.", D, "aid")
    assert (event.source_actor, event.target_actor) == ("Canada", "Haiti")


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Russia's decision to annex the region drew criticism. Japan condemned the move on Tuesday.", "Russia"),
        ("The decision by Canada to close its ports angered fishermen. France regrets the decision.", "Canada"),
    ],
)
def test_events_a_word_for_an_act_points_back_to_its_named_doer(text: str, target: str) -> None:
    event = one_event(text, D, "accusation")
    assert event.target_actor == target


def test_events_a_word_for_an_act_with_no_named_doer_is_no_target() -> None:
    assert [e for e in events_of("Japan condemned the move on Tuesday.", D) if e.event_type == "accusation"] == []


@pytest.mark.parametrize(
    ("text", "event_type", "source", "target"),
    [
        ("Susan Collins said Cory Wilson had made inappropriate comments about the law.", "accusation", "Susan Collins", "Cory Wilson"),
        ('"Trump\'s conduct was improper," Nancy Pelosi said on Monday.', "accusation", "Nancy Pelosi", "Donald Trump"),
        # judging a claim rejects whoever made it
        ("The Kremlin said Kyiv's claims were baseless.", "rejection", "Russia", "Ukraine"),
    ],
)
def test_events_a_speaker_judging_someone_accuses_them(text: str, event_type: str, source: str, target: str) -> None:
    event = one_event(text, D, event_type)
    assert (event.source_actor, event.target_actor) == (source, target)


@pytest.mark.parametrize(
    "text",
    [
        "The European Union said it considers the settlements illegal.",  # the speaker's own stance
        "Police said the bomb threats against the bank were hoaxes.",  # a word that describes, not judges
    ],
)
def test_events_a_speaker_judging_no_one_else_accuses_no_one(text: str) -> None:
    assert [e for e in events_of(text, D) if e.event_type in {"accusation", "rejection"}] == []


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        # who serves a sentence or faces prison is acted upon; the doer is the state that held them, else the home state
        ("Egyptian police arrested protesters in Cairo on Monday. Mohamed Morsi is serving a life sentence.", "Egypt", "Mohamed Morsi"),
        (
            "Israeli soldiers detained Khalida Jarrar in Ramallah in December. She could face up to 14 years in prison.",
            "Israel",
            "Khalida Jarrar",
        ),
        # a person before an act noun undergoes it
        ("Khalida Jarrar was arrested by Israel in July. Her detention has been extended for six months.", "Israel", "Khalida Jarrar"),
    ],
)
def test_events_who_serves_a_sentence_or_is_detained_is_the_target(text: str, source: str, target: str) -> None:
    events = [(e.event_type, e.source_actor, e.target_actor) for e in events_of(text, D)]
    assert ("coercion", source, target) in events, events
    assert not any(e[0] == "coercion" and e[1] == target for e in events), events


def test_events_the_object_of_a_phrase_final_preposition_is_a_party() -> None:
    event = one_event("Christopher Wray testified before the Senate Judiciary Committee on Tuesday.", D, "meeting")
    assert "Senate Judiciary Committee" in event.participants.split(";")


def test_events_an_acceptance_refused_is_a_rejection_of_the_offer() -> None:
    events = events_of("Germany offered Poland a new fleet of tanks on Monday. Poland did not accept the offer.", D)
    found = {(e.event_type, e.source_actor, e.target_actor, e.status) for e in events}
    assert ("rejection", "Poland", "Germany", "occurred") in found, found
    assert not any(e.status == "denied" for e in events), found


@pytest.mark.parametrize(
    ("text", "event_type", "source", "target"),
    [
        # a clause on an act noun names its target as well as its doer
        ("Ronald Reagan said the tariffs he imposed on Japanese goods were a special case.", "sanction", "Ronald Reagan", "Japan"),
        # a target phrase reaches the doer of the act it names
        ("The European Union voiced concern over attacks by Russia on Ukrainian ports.", "accusation", "European Union", "Russia"),
    ],
)
def test_events_targets_through_clauses_and_doers_of_act_nouns(text: str, event_type: str, source: str, target: str) -> None:
    event = one_event(text, D, event_type)
    assert (event.source_actor, event.target_actor) == (source, target)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sweden joined the alliance in March.", {"agreement"}),  # a body joined; "March" is the month, no march
        ("Thousands of Kenyans joined the march in Nairobi on Monday.", {"protest"}),
        ("Aidan Joly joined the News 4 staff in 2022.", set()),  # a staff is no alliance
    ],
)
def test_events_joining_is_an_agreement_only_for_a_body_or_pact(text: str, expected: set[str]) -> None:
    assert {e.event_type for e in events_of(text, D)} == expected


def test_events_a_town_unknown_to_the_gazetteer_is_no_source() -> None:
    events = events_of("Protesters from the village of Bilin attacked Israeli soldiers on Monday.", D)
    assert [(e.source_actor, e.target_actor) for e in events if e.event_type == "attack"] == [("Protesters", "Israel")]


@pytest.mark.parametrize(
    ("text", "protests"),
    [
        ("Donald Trump told a campaign rally in Ohio that the vote was rigged.", 0),  # where he spoke
        ("Joe Biden addressed the rally in Philadelphia on Monday.", 0),
        ("Kenya's opposition held a rally in Nairobi on Tuesday.", 1),
    ],
)
def test_events_a_rally_where_someone_spoke_is_no_protest(text: str, protests: int) -> None:
    assert sum(e.event_type == "protest" for e in events_of(text, D)) == protests


@pytest.mark.parametrize(
    "text",
    [
        "OFER PRISON, West Bank (Reuters) - Israel indicted Khalida Jarrar on Monday.",
        "RAMALLAH, West Bank (AP) — Israel indicted Khalida Jarrar on Monday.",
    ],
)
def test_events_the_dateline_names_no_actor(text: str) -> None:
    event = one_event(text, D, "accusation")
    assert (event.source_actor, event.target_actor) == ("Israel", "Khalida Jarrar")
    assert "West Bank" not in event.participants


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("NEW DELHI: Nearly 150 Indians returned home.", "Nearly 150 Indians returned home."),
        ("HAYWARD, Calif. (AP) — A man was stabbed.", "A man was stabbed."),
        ("WASHINGTON – The President spoke.", "The President spoke."),
        ("Israel - the country - voted.", "Israel - the country - voted."),  # no place in capitals: no dateline
    ],
)
def test_extract_dateline_is_left_out_of_the_first_sentence(text: str, rest: str) -> None:
    assert DATELINE.sub("", text, count=1) == rest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what one says in a call or meeting is an act too; a rally's aim is no act of its own
        ("Joe Biden spoke with Yoon Suk Yeol on Tuesday to congratulate him on his election.", {"call", "support"}),
        ("Protesters staged rallies in Seoul to demand the resignation of Yoon Suk Yeol.", {"protest"}),
    ],
)
def test_events_what_is_said_in_a_contact_is_no_mere_aim(text: str, expected: set[str]) -> None:
    assert {e.event_type for e in events_of(text, D)} == expected


def test_events_a_source_asking_not_to_be_named_makes_no_appeal() -> None:
    text = "A Pentagon official, who asked not to be named, told Reuters that Iran had sold arms to Syria."
    assert [e.event_type for e in events_of(text, D) if e.event_type == "appeal"] == []


@pytest.mark.parametrize(
    ("text", "appeals"),
    [
        # "must" asks the clause's subject to act; a passive subject is not asked, and an appeal to no one is none
        ("After talks in Kyiv, Antony Blinken said Ukraine must not be forced to give up territory.", set()),
        ("After talks in Kyiv, Antony Blinken said Russia must withdraw its troops.", {("Antony Blinken", "Russia")}),
    ],
)
def test_events_said_must_appeals_to_whom_should_act(text: str, appeals: set[tuple[str, str]]) -> None:
    assert {(e.source_actor, e.target_actor) for e in events_of(text, D) if e.event_type == "appeal"} == appeals


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # the warned party is the first actor the warning names that is not the warner's side
        (
            "China's ambassador warned on Monday that the Chinese government would not sit on its hands if Hong Kong descended into chaos.",
            "Hong Kong",
        ),
        ("Antony Blinken warned that Russia would face severe consequences.", "Russia"),
    ],
)
def test_events_a_warning_is_aimed_at_the_other_side_it_names(text: str, target: str) -> None:
    assert one_event(text, D, "warning").target_actor == target


def test_events_who_faces_scrutiny_is_investigated_by_whom_it_comes_from() -> None:
    event = one_event(
        "On Monday, Google was facing scrutiny from the European Commission over its advertising business.", D, "investigation"
    )
    assert (event.source_actor, event.target_actor) == ("European Commission", "Google")


def test_events_a_target_phrase_reaches_what_it_includes() -> None:
    text = "Wendy Sherman affirmed U.S. support for the integration of the Western Balkans, including Serbia and Kosovo."
    assert {"Serbia", "Kosovo"} <= set(one_event(text, D, "support").participants.split(";"))


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        ("Senate Republicans accused the Democrats of a sham on Monday.", "Republican Party", "Democratic Party"),
        ("The Democrats accused Trump of abusing his office.", "Democratic Party", "Donald Trump"),
        ("Germany's Free Democrats accused the chancellor of dithering.", "Free Democratic Party", "Olaf Scholz"),
    ],
)
def test_events_democrats_and_republicans_alone_are_the_us_parties(text: str, source: str, target: str) -> None:
    event = one_event(text, D, "accusation")
    assert (event.source_actor, event.target_actor) == (source, target)


@pytest.mark.parametrize(
    ("text", "published", "event_type", "source", "target"),
    [
        ("The Slovakian government delivered an air defence system to Ukraine.", D, "aid", "Slovakia", "Ukraine"),
        ("Yugoslav police arrested two Albanian activists on Monday.", date(1987, 3, 4), "coercion", "Yugoslavia", "Albania"),
        ("The Czechoslovak government expelled an American diplomat.", date(1987, 3, 4), "sanction", "Czechoslovakia", "United States"),
    ],
)
def test_events_demonym_variants_and_states_of_the_1980s(text: str, published: date, event_type: str, source: str, target: str) -> None:
    event = one_event(text, published, event_type)
    assert (event.source_actor, event.target_actor) == (source, target)


def test_events_infinitive_on_an_act_noun_is_done_by_the_nouns_doer() -> None:
    event = one_event("Wikileaks welcomed the Swedish move to drop the investigation.", D, "concession")
    assert event.source_actor == "Sweden"
    assert one_event("Wikileaks welcomed the Swedish move to drop the investigation.", D, "support").target_actor == "Sweden"


@pytest.mark.parametrize(
    "text",
    [
        "The Hong Kong Human Rights and Democracy Act would impose sanctions on Chinese officials.",
        "Britain threatened Japan under the Financial Services Act on Monday.",
        "Ireland hailed the Good Friday Agreement on Monday.",
    ],
)
def test_events_names_of_laws_and_treaties_are_no_actors(text: str) -> None:
    actors = {a for e in events_of(text, D) for a in (e.source_actor, e.target_actor, *e.participants.split(";"))}
    assert not any(a.endswith(("Act", "Agreement")) or a == "Hong Kong" for a in actors), actors


@pytest.mark.parametrize(
    "text",
    [
        # (not yet: "... Sunak of the United Kingdom Before Bilateral Meeting", where spaCy's NER takes "the United
        # Kingdom Before Bilateral Meeting" for one place name and the meeting word inside it for no trigger)
        "Remarks by President Biden and Chancellor Scholz of Germany Before Bilateral Meeting",
        "Secretary Antony J. Blinken and Turkish Foreign Minister Mevlut Cavusoglu Before Their Meeting",
    ],
)
def test_events_remarks_before_a_meeting_title_the_meeting_of_the_speakers(text: str) -> None:
    meeting = one_event(text, D, "meeting")
    assert len(meeting.participants.split(";")) == 2, meeting.participants


def test_events_act_named_as_the_time_of_another_is_no_act_of_its_subject() -> None:
    events = events_of("France backed the Ivory Coast during the talks on Monday.", D)
    assert [e.event_type for e in events] == ["support"]
    met = events_of("France backed the Ivory Coast during talks with Ghana on Monday.", D)
    assert "meeting" in [e.event_type for e in met]


def test_events_an_act_told_as_done_and_one_told_as_planned_are_two_events() -> None:
    text = "President Biden met Prime Minister Modi in Tokyo on Tuesday. The United States and India will meet again in June."
    meetings = sorted((e.status, e.date) for e in events_of(text, D) if e.event_type == "meeting")
    assert meetings == [("occurred", "2023-03-21"), ("planned", "2023-06")]


@pytest.mark.parametrize(
    "text",
    [
        "Officials doubt the Japanese government can meet its deficit target this year.",
        "Brazil's Sarney meets strikes with a show of force.",
    ],
)
def test_events_meeting_a_target_or_a_strike_is_no_meeting(text: str) -> None:
    assert "meeting" not in [e.event_type for e in events_of(text, D)]


def test_events_asked_with_no_object_is_the_headline_passive() -> None:
    assert [(e.event_type, e.source_actor) for e in events_of("Indonesia urged to deregulate its economy", D)] == []
    appeal = one_event("The World Bank urged Indonesia to deregulate its economy.", D, "appeal")
    assert (appeal.source_actor, appeal.target_actor) == ("World Bank", "Indonesia")


@pytest.mark.parametrize("claims", ["the claims", "the allegations", "the accusation", "the charges"])
def test_events_rejecting_the_claims_answers_the_latest_accuser(claims: str) -> None:
    text = f"Russia accused Ukraine of shelling the plant on Monday. Kyiv rejected {claims} on Tuesday."
    rejection = one_event(text, D, "rejection")
    assert (rejection.source_actor, rejection.target_actor) == ("Ukraine", "Russia")


def test_events_the_attack_of_a_place_is_aimed_at_it() -> None:
    attack = one_event("Russia's invasion of Ukraine began on February 24.", D, "attack")
    assert (attack.source_actor, attack.target_actor) == ("Russia", "Ukraine")


def test_events_an_official_release_calling_an_attack_unprovoked_accuses_the_attacker() -> None:
    text = "Russia continues its unprovoked and unjustified invasion of Ukraine."
    release = Article("r", "Statement", text, D, url="https://www.state.gov/statement/")
    accusation = [e for e in extract_events([release]) if e.event_type == "accusation"]
    assert [(e.source_actor, e.target_actor, e.date) for e in accusation] == [("United States", "Russia", "2023-03-22")]
    assert "accusation" not in [e.event_type for e in events_of(text, D)]  # a journalist's adjective is no one's act


def test_events_troops_marching_move_forces_and_protest_nothing() -> None:
    assert [e.event_type for e in events_of("Scores of Syrian troops marched into Beirut on Sunday.", date(1987, 2, 23))] == [
        "mobilization"
    ]
    assert [e.event_type for e in events_of("Thousands of Lebanese students marched in Beirut on Sunday.", date(1987, 2, 23))] == [
        "protest"
    ]


def test_events_parties_acting_upon_each_other_make_two_acts() -> None:
    events = events_of("Russia and Ukraine accused each other of shelling the plant on Monday.", D)
    assert sorted((e.source_actor, e.target_actor) for e in events if e.event_type == "accusation") == [
        ("Russia", "Ukraine"),
        ("Ukraine", "Russia"),
    ]


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        ("Ankara demanded that Syrian forces withdraw from Idlib by the end of the month.", "Turkey", "Syria"),
        ("The Security Council voted to demand that Russia halt its assault.", "UN Security Council", "Russia"),
        ("Joe Biden called for Israel to pause its strikes in Gaza.", "Joe Biden", "Israel"),
    ],
)
def test_events_appeal_asks_the_subject_of_its_clause(text: str, source: str, target: str) -> None:
    appeal = one_event(text, D, "appeal")
    assert (appeal.source_actor, appeal.target_actor) == (source, target)


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("A general strike called by Bolivian unions paralysed La Paz on Monday.", "protest"),
        ("The strike by 40,000 Brazilian seamen entered its 13th day on Monday.", "protest"),
        ("Russia launched a missile strike on Kyiv on Monday.", "attack"),
        ("Israeli air strikes hit Gaza on Monday.", "attack"),
    ],
)
def test_events_strike_of_working_people_is_a_protest(text: str, event_type: str) -> None:
    assert {e.event_type for e in events_of(text, D)} == {event_type}


@pytest.mark.parametrize(
    ("text", "event_type", "target"),
    [
        ("Mr. Ramaswamy attacked Ms. Haley over her support for more funding for Ukraine.", "accusation", "Nikki Haley"),
        ("Ottawa fought the U.S. decision at the World Trade Organization last year.", "rejection", "United States"),
        ("Canada vowed to fight the U.S. potash duties.", "rejection", "United States"),
        ("Ukraine vowed to fight Russian troops to the end.", "threat", "Russia"),
        ("Israel attacked Hamas positions over the border on Monday.", "attack", "Hamas"),
        ("Russian forces attacked Kharkiv over the weekend.", "attack", "Ukraine"),
    ],
)
def test_events_attack_with_words_is_an_accusation(text: str, event_type: str, target: str) -> None:
    found = [(e.event_type, e.target_actor) for e in events_of(text, D) if e.event_type in {event_type, "attack", "threat"}]
    assert (event_type, target) in found and all(t != "attack" for t, _ in found if event_type != "attack")


@pytest.mark.parametrize(
    "text",
    [
        "OFAC imposed blocking sanctions on Iran's central bank on Monday.",
        "The Department of Commerce added Iranian firms to the Entity List on Monday, imposing sanctions on Iran.",
        "The Treasury Department announced new sanctions on Iran on Monday.",
    ],
)
def test_events_us_federal_departments_act_for_the_united_states(text: str) -> None:
    assert one_event(text, D, "sanction").source_actor == "United States"


@pytest.mark.parametrize(
    ("text", "event_type", "target"),
    [
        ("Turkey accused Greece of harassing its survey ship on Monday. Athens denied the incident.", "rejection", "Turkey"),
        ("Iran seized a British tanker in the Gulf on Monday. London condemned the seizure on Tuesday.", "accusation", "Iran"),
    ],
)
def test_events_reply_answers_the_act_reported_before(text: str, event_type: str, target: str) -> None:
    replies = [e for e in events_of(text, D) if e.event_type == event_type and e.source_actor != target]
    assert [e.target_actor for e in replies] == [target]


@pytest.mark.parametrize(
    ("text", "event_type", "source"),
    [
        ('"We urge Iran to release the sailors," Blinken told reporters on Monday.', "appeal", "Antony Blinken"),
        ('Macron said: "We condemn Russia\'s strikes on Kyiv."', "accusation", "Emmanuel Macron"),
        ('"I will visit Moscow next week," Macron said.', "visit", "Emmanuel Macron"),
    ],
)
def test_events_first_person_in_a_quotation_is_its_speaker(text: str, event_type: str, source: str) -> None:
    assert one_event(text, D, event_type).source_actor == source


def test_events_proposal_takes_the_nearest_actor_after_its_verb() -> None:
    text = "Greek Prime Minister Andreas Papandreou offered today to take the dispute with Turkey to the International Court of Justice."
    proposal = one_event(text, D, "proposal")
    assert (proposal.source_actor, proposal.target_actor) == ("Andreas Papandreou", "International Court of Justice")


def test_events_deputy_secretary_of_state_is_american() -> None:
    meeting = one_event("Deputy Secretary of State Wendy Sherman met Japan's vice foreign minister in Tokyo on Monday.", D, "meeting")
    assert (meeting.source_actor, meeting.source_country) == ("Wendy Sherman", "USA")


def test_events_name_suffix_alone_is_no_actor() -> None:
    events = events_of("President Joseph R. Biden, Jr. welcomed Chancellor Olaf Scholz of Germany to the White House.", D)
    assert all("Jr." not in (e.source_actor, e.target_actor, *e.participants.split(";")) for e in events)


def test_events_phrase_before_the_verb_is_its_scene_not_its_content() -> None:
    meeting = one_event("In talks with President Suharto on Monday, World Bank President Barber Conable urged reforms.", D, "meeting")
    assert (meeting.source_actor, meeting.status) == ("Barber Conable", "occurred")


@pytest.mark.parametrize(
    "text",
    [
        "A spokeswoman for the Kremlin declined to comment on Monday.",
        "A senior Foreign Ministry official, who declined to be identified, said Japan would reply on Monday.",
    ],
)
def test_events_declining_to_comment_rejects_no_one(text: str) -> None:
    assert not [e for e in events_of(text, D) if e.event_type == "rejection"]


def test_events_refused_act_is_denied() -> None:
    assert one_event("A Kremlin spokeswoman declined to comment on the talks on Monday.", D, "statement").status == "denied"


def test_events_people_a_state_describes_protest_in_the_street() -> None:
    text = "Farm incomes fell in Spain this year. Spanish farmers have been protesting for two weeks to demand a better deal."
    assert [e.event_type for e in events_of(text, D) if e.event_type in {"protest", "accusation"}] == ["protest"]


def test_events_we_in_a_release_is_the_speaker_its_title_names() -> None:
    article = Article(
        "t",
        "Statement by President Joe Biden on the Attack in Kabul",
        "We condemn the Taliban's attack on the hospital in the strongest terms.",
        D,
        "user",
        url="https://www.whitehouse.gov/briefing-room/statements-releases/2023/03/22/statement/",
    )
    accusation = next(e for e in extract_events([article]) if e.event_type == "accusation")
    assert (accusation.source_actor, accusation.source_country) == ("Joe Biden", "USA")
