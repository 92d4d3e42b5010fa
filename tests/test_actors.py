"""Tests of pipeline.actors: folding, alias matching, dated roles, agent phrases, coreference, data validity.

Unit tests use the small dictionary in tests/fixtures/actors/; only test_actors_real_data_is_valid reads data/actors/.
"""

from __future__ import annotations

import itertools
import pickle
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.actors import ActorDictionary, ActorMention, DictionaryError, find_actors, match_aliases
from pipeline.actors.dictionary import cached_dictionary, date_bound, family_names
from pipeline.actors.fold import fold_text, slug
from pipeline.actors.records import HOWS
from pipeline.actors.validate import dictionary_problems

FIXTURES = Path(__file__).parent / "fixtures" / "actors"
ACRONYMS = Path(__file__).parent / "fixtures" / "actors_extra" / "acronyms.yaml"
README = Path(__file__).resolve().parents[1] / "data" / "actors" / "README.md"
D2023 = date(2023, 2, 23)
D2025 = date(2025, 3, 1)


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return ActorDictionary.from_files(sorted(FIXTURES.glob("*.yaml")))


@pytest.fixture(scope="module")
def nlp():
    from pipeline.nlp import load_nlp

    return load_nlp()


def mentions_of(nlp, actors: ActorDictionary, text: str, on: date | None = D2023) -> list[ActorMention]:
    return find_actors(nlp(text), on, actors)


def mention_at(mentions: list[ActorMention], text: str) -> ActorMention:
    """Return the mention whose text is ``text`` (the last one when repeated)."""
    found = [m for m in mentions if m.text == text]
    assert found, f"no mention {text!r} in {[(m.text, m.actor_id) for m in mentions]}"
    return found[-1]


# ---------------------------------------------------------------- folding


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Erdoğan", "erdogan"),
        ("Kim Jong-un", "kim jong un"),
        ("NATO’s", "nato s"),
        ("U.S.", "u s "),
        ("Łódź Øresund", "lodz oresund"),
        ("İstanbul", "istanbul"),
        ("OPEC+ and AT&T", "opec+ and at&t"),
    ],
)
def test_fold_text_folds_one_char_for_one(text: str, folded: str) -> None:
    assert fold_text(text) == folded
    assert len(fold_text(text)) == len(text)


@given(st.text())
def test_fold_text_keeps_length(text: str) -> None:
    assert len(fold_text(text)) == len(text)


def test_slug_is_ascii() -> None:
    assert slug("Recep Tayyip Erdoğan") == "recep_tayyip_erdogan"


# ---------------------------------------------------------------- alias matching


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # accents, possessives, hyphens
        ("Recep Tayyip Erdoğan spoke", [("Recep Tayyip Erdoğan", "recep_tayyip_erdogan")]),
        ("Recep Tayyip Erdogan spoke", [("Recep Tayyip Erdogan", "recep_tayyip_erdogan")]),
        ("NATO's chief", [("NATO", "nato")]),
        ("NATO’s chief", [("NATO", "nato")]),
        ("Kim Jong-un and Kim Jong Un", [("Kim Jong-un", "kim_jong_un"), ("Kim Jong Un", "kim_jong_un")]),
        # longest alias wins
        ("the United States of America", [("United States of America", "USA")]),
        ("the U.S.-led coalition", [("U.S.", "USA")]),
        # punctuation before a space: matched written with it or without
        ("the Kurdistan Workers' Party said", [("Kurdistan Workers' Party", "pkk")]),
        ("the Kurdistan Workers Party said", [("Kurdistan Workers Party", "pkk")]),
        # ambiguous names: case rules, not inside a longer name
        ("troops left Chad on Monday", [("Chad", "TCD")]),
        ("a chad fell", []),
        ("Chad Smith said", []),
        ("Michael Jordan played", []),
        ("Jordan and Georgia agreed", [("Jordan", "JOR"), ("Georgia", "GEO")]),
        ("Niger's junta", [("Niger", "NER")]),
        # capitals and acronyms
        ("the US said", [("US", "USA")]),
        ("give us a call", []),
        ("Nato allies", [("Nato", "nato")]),
        ("roast turkey", []),
        ("TURKEY WARNS", [("TURKEY", "TUR")]),
        # family names, derived
        ("Stoltenberg said", [("Stoltenberg", "jens_stoltenberg")]),
        ("von der Leyen and Von der Leyen", [("von der Leyen", "ursula_von_der_leyen"), ("Von der Leyen", "ursula_von_der_leyen")]),
        ("Mr Xi and President Xi", [("Xi", "xi_jinping"), ("Xi", "xi_jinping")]),
        ("xi", []),
        ("BLINKEN: Thank you. STOLTENBERG: Yes.", [("BLINKEN", "antony_blinken"), ("STOLTENBERG", "jens_stoltenberg")]),
        ("Us and US", [("US", "USA")]),
        ("Hunter Biden", []),
        ("Assad and al-Assad said", [("Assad", "bashar_al_assad"), ("al-Assad", "bashar_al_assad")]),
        ("Hafez al-Assad and Hafez El Assad ruled", []),  # particles are looked through
        ("Lt. Gen. Smith and Gen Nakatani; Nakatani", [("Gen Nakatani", "gen_nakatani"), ("Nakatani", "gen_nakatani")]),
        ("Chief Executive John Lee; Lee", [("John Lee", "john_lee"), ("Lee", "john_lee")]),  # family_name given
        ("Lee H. Hamilton said", []),  # a first name before a middle initial
        # mixed-case acronyms are case-sensitive
        ("LeT claimed it. Let them.", [("LeT", "lashkar_e_taiba")]),
        # demonyms, metonyms
        ("Russian troops and the Kremlin", [("Russian", "RUS"), ("the Kremlin", "RUS")]),
    ],
)
def test_match_aliases_finds(actors: ActorDictionary, text: str, expected: list[tuple[str, str]]) -> None:
    found = match_aliases(text, actors)
    assert [(m.text, m.actor_ids[0]) for m in found] == expected
    assert all(text[m.start_char : m.end_char] == m.text for m in found)


def test_match_aliases_shared_family_name_keeps_every_candidate(actors: ActorDictionary) -> None:
    (kim,) = match_aliases("Kim said", actors)
    assert set(kim.actor_ids) == {"kim_jong_un", "kim_yo_jong"}
    assert kim.ambiguous


@given(st.text(alphabet=st.sampled_from(list("ChadNATOs’ -.U,Kim Jong-unErdoğan\n")), max_size=80))
def test_match_aliases_spans_are_the_text(text: str) -> None:
    actors = ActorDictionary.from_files(sorted(FIXTURES.glob("*.yaml")))
    found = match_aliases(text, actors)
    assert all(text[m.start_char : m.end_char] == m.text for m in found)
    assert all(a.end_char <= b.start_char for a, b in itertools.pairwise(found))


# ---------------------------------------------------------------- dictionary, dated roles


@pytest.mark.parametrize(
    ("on", "holder"),
    [
        (date(2014, 9, 30), None),
        (date(2014, 10, 1), "jens_stoltenberg"),
        (D2023, "jens_stoltenberg"),
        (date(2024, 9, 30), "jens_stoltenberg"),
        (date(2024, 10, 1), "mark_rutte"),  # handover day: the newcomer
        (D2025, "mark_rutte"),
    ],
)
def test_dictionary_holder_on_both_sides_of_a_change(actors: ActorDictionary, on: date, holder: str | None) -> None:
    found = actors.holder("nato", "secretary general", on)
    assert (found.id if found else None) == holder


@pytest.mark.parametrize(
    ("actor_id", "on", "roles"),
    [
        ("jens_stoltenberg", date(2010, 1, 1), ["head of government"]),
        ("jens_stoltenberg", D2023, ["secretary general"]),
        ("jens_stoltenberg", D2025, []),
        ("mark_rutte", D2023, ["head of government"]),
        ("mark_rutte", D2025, ["secretary general"]),
        ("xi_jinping", D2023, ["head of state", "leader"]),  # most senior first
        ("wang_yi", D2023, ["leader"]),  # between two terms as foreign minister
    ],
)
def test_dictionary_roles_on(actors: ActorDictionary, actor_id: str, on: date, roles: list[str]) -> None:
    assert [r.role for r in actors.roles_on(actor_id, on)] == roles


def test_dictionary_members_on(actors: ActorDictionary) -> None:
    assert "FIN" not in actors.members_on("nato", date(2023, 1, 1))
    assert "FIN" in actors.members_on("nato", date(2023, 5, 1))


@pytest.mark.parametrize(
    ("value", "end", "expected"),
    [
        (date(2020, 5, 1), False, date(2020, 5, 1)),
        ("2023", False, date(2023, 1, 1)),
        ("2023", True, date(2023, 12, 31)),
        ("2024-02", True, date(2024, 2, 29)),
        (2019, False, date(2019, 1, 1)),
        (None, False, None),
    ],
)
def test_date_bound(value: object, end: bool, expected: date | None) -> None:
    assert date_bound(value, end) == expected


@pytest.mark.parametrize(
    ("name", "country", "expected"),
    [
        ("Jens Stoltenberg", "NOR", ["Stoltenberg"]),
        ("Recep Tayyip Erdogan", "TUR", ["Erdogan"]),
        ("Ursula von der Leyen", "DEU", ["von der Leyen", "Von der Leyen"]),
        ("Xi Jinping", "CHN", ["Xi"]),
        ("Martin Luther King Jr.", "USA", ["King"]),
        ("Madonna", "USA", []),
        ("Abdullah II of Jordan", "JOR", []),
        ("Min Aung Hlaing", "MMR", []),
        ("Bashar al-Assad", "SYR", ["al-Assad", "Al-Assad", "Assad"]),
    ],
)
def test_family_names(actors: ActorDictionary, name: str, country: str, expected: list[str]) -> None:
    assert family_names(name, country, actors.lexicon) == expected


def test_dictionary_user_file_adds_and_replaces(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "- {id: jens_stoltenberg, name: Jens Stoltenberg, kind: person, country: NOR, gender: m}\n"
        "- {id: acme_militia, name: Acme Militia, kind: group, country: TCD, sector: militia, aliases: [AM]}\n",
        encoding="utf-8",
    )
    actors = ActorDictionary.from_files([*sorted(FIXTURES.glob("*.yaml")), extra])
    assert actors.get("acme_militia").country == "TCD"
    assert actors.roles_on("jens_stoltenberg", D2023) == []  # the user's entry replaced the built-in one
    assert [m.actor_ids for m in match_aliases("the AM attacked", actors)] == [("acme_militia",)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- {id: x, kind: group}\n", "missing name"),
        ("- {id: x, name: X, kind: person, roles: [{parent: nato, role: chair, start: '2020-13-01'}]}\n", "entry 1 x"),
        ("- {id: x, name: X, kind: person, roles: [{parent: nato, role: chair, start: 2020-13-01}]}\n", "cannot read"),
        ("id: x\n", "expected a YAML list"),
        ("- [unclosed\n", "cannot read"),
    ],
)
def test_dictionary_bad_file_names_the_problem(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(DictionaryError, match=re.escape(message)):
        ActorDictionary.from_files([bad])


def test_dictionary_cache_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, actors: ActorDictionary) -> None:
    monkeypatch.setenv("EVENTLINE_CACHE", str(tmp_path))
    paths = tuple(p.resolve() for p in sorted(FIXTURES.glob("*.yaml")))
    first = cached_dictionary.__wrapped__(paths)
    assert list(tmp_path.glob("actors-*.pickle"))

    def not_built(*args: object) -> ActorDictionary:
        raise AssertionError("the dictionary was built again instead of read from the cache")

    monkeypatch.setattr(ActorDictionary, "from_files", not_built)
    again = cached_dictionary.__wrapped__(paths)
    assert again is not first
    assert again.holder("nato", "secretary general", D2023).id == "jens_stoltenberg"
    assert [m.text for m in match_aliases("NATO's Stoltenberg", again)] == [m.text for m in match_aliases("NATO's Stoltenberg", first)]
    assert pickle.loads(pickle.dumps(actors)).get("RUS").name == "Russia"


def test_readme_example_loads(tmp_path: Path) -> None:
    block = re.search(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert block is not None
    example = tmp_path / "example.yaml"
    example.write_text(block.group(1), encoding="utf-8")
    actors = ActorDictionary.from_files([example])
    assert actors.holder("nato", "secretary general", D2023).id == "jens_stoltenberg"
    assert [m.actor_ids for m in match_aliases("Chad Smith met Nato in Chad", actors)] == [("nato",), ("TCD",)]


# ---------------------------------------------------------------- find_actors: each kind of mention

CASES = [
    # (text, date, mention text, actor id, how, sector, role)
    (
        "Turkish President Recep Tayyip Erdoğan arrived.",
        D2023,
        "Turkish President Recep Tayyip Erdoğan",
        "recep_tayyip_erdogan",
        "title",
        "government",
        "head of state",
    ),
    (
        "Jens Stoltenberg, NATO's secretary general, spoke.",
        D2023,
        "NATO's secretary general",
        "jens_stoltenberg",
        "coref",
        "igo",
        "secretary general",
    ),
    (
        "Jens Stoltenberg spoke on Monday. Stoltenberg said more.",
        D2023,
        "Stoltenberg",
        "jens_stoltenberg",
        "coref",
        "igo",
        "secretary general",
    ),
    (
        "Jens Stoltenberg spoke on Monday. The secretary general said more.",
        D2023,
        "secretary general",
        "jens_stoltenberg",
        "coref",
        "igo",
        "secretary general",
    ),
    (
        "Jens Stoltenberg arrived. Later the NATO Secretary General said more.",
        D2023,
        "NATO Secretary General",
        "jens_stoltenberg",
        "coref",
        "igo",
        "secretary general",
    ),
    ("The NATO chief warned Russia.", D2023, "NATO chief", "jens_stoltenberg", "title", "igo", "secretary general"),
    ("The NATO chief warned Russia.", D2025, "NATO chief", "mark_rutte", "title", "igo", "secretary general"),
    ("The EU chief warned Russia.", D2023, "EU chief", "ursula_von_der_leyen", "title", "igo", "president"),  # a body of the EU
    (
        "China is arming Russia, says NATO's top general.",
        D2023,
        "NATO's top general",
        "christopher_cavoli",
        "title",
        "military",
        "military commander",
    ),
    ("Russian troops crossed the border.", D2023, "Russian troops", "RUS", "agent", "military", ""),
    ("Chinese officials denied it.", D2023, "Chinese officials", "CHN", "agent", "government", ""),
    ("He cited the U.S. intelligence on Monday.", D2023, "U.S. intelligence", "USA", "agent", "intelligence", ""),
    ("The Foreign Ministry in Beijing said it was speculation.", D2023, "Foreign Ministry in Beijing", "CHN", "agent", "diplomacy", ""),
    ("The Turkish President said nothing.", D2023, "Turkish President", "TUR", "agent", "government", "head of state"),
    ("Mark Rutte spoke in The Hague.", D2023, "Mark Rutte", "mark_rutte", "alias", "government", "head of government"),
    ("Mark Rutte spoke in Brussels.", D2025, "Mark Rutte", "mark_rutte", "alias", "igo", "secretary general"),
    (
        "Joe Biden met Ursula von der Leyen. She said the talks went well.",
        D2023,
        "She",
        "ursula_von_der_leyen",
        "coref",
        "igo",
        "president",
    ),
    ("Ursula von der Leyen met Joe Biden. He said the talks went well.", D2023, "He", "joe_biden", "coref", "government", "head of state"),
    (
        "Joe Biden spoke to President Xi Jinping and he told him to stop.",
        D2023,
        "him",
        "xi_jinping",
        "coref",
        "government",
        "head of state",
    ),
    ("Russia warned Ukraine on Monday. They said more would come.", D2023, "They", "RUS", "coref", "", ""),
    # People who acted together are "they" and "the two leaders" (the first of them stands for the group).
    (
        "Joe Biden met with Olaf Scholz in Berlin. They agreed to talk again.",
        D2023,
        "They",
        "joe_biden",
        "coref",
        "government",
        "head of state",
    ),
    (
        "Joe Biden and Olaf Scholz spoke by phone. The two leaders agreed to talk.",
        D2023,
        "The two leaders",
        "joe_biden",
        "coref",
        "government",
        "head of state",
    ),
    (
        "Joe Biden and Olaf Scholz spoke by phone. The two agreed to talk again.",
        D2023,
        "The two",
        "joe_biden",
        "coref",
        "government",
        "head of state",
    ),
    # "it" is a state or organisation that was the subject of a recent clause.
    ("Japan said on Monday that it would send food to Sudan.", D2023, "it", "JPN", "coref", "", ""),
    (
        "British Defence Secretary Tom King promised aid.",
        D2023,
        "British Defence Secretary Tom King",
        "ner:person:tom_king",
        "title",
        "military",
        "defence minister",
    ),
]


@pytest.mark.parametrize(("text", "on", "span", "actor_id", "how", "sector", "role"), CASES)
def test_find_actors_resolves(
    nlp, actors: ActorDictionary, text: str, on: date, span: str, actor_id: str, how: str, sector: str, role: str
) -> None:
    found = mention_at(mentions_of(nlp, actors, text, on), span)
    assert (found.actor_id, found.how, found.sector, found.role) == (actor_id, how, sector, role)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Joe Biden met Olaf Scholz. He said they would talk again.", "they"),  # one person met another: not a group
        ("The Chinese leaders met in Beijing. Joe Biden spoke later.", "The Chinese leaders"),  # names its own party
        ("Joe Biden spoke to reporters. It was raining.", "It"),  # "it" for no state or organisation
    ],
)
def test_find_actors_group_and_neuter_pronouns_need_a_fitting_antecedent(nlp, actors: ActorDictionary, text: str, span: str) -> None:
    found = [m for m in mentions_of(nlp, actors, text) if m.text == span]
    assert all(m.how != "coref" for m in found), found


def test_find_actors_family_name_skips_a_generational_suffix(nlp, actors: ActorDictionary) -> None:
    mentions = mentions_of(nlp, actors, "Robert Hale Jr. was charged in Ohio. Hale was arrested in April.")
    later = mention_at(mentions, "Hale")
    assert (later.actor_id, later.how) == ("ner:person:robert_hale_jr", "coref")


def test_find_actors_unknown_entities_keep_kind_and_country(nlp, actors: ActorDictionary) -> None:
    mentions = mentions_of(nlp, actors, "British Defence Secretary Tom King met Hungarian newspaper Magyar Nemzet in Warsaw.")
    king = mention_at(mentions, "British Defence Secretary Tom King")
    assert (king.kind, king.country, king.name) == ("person", "GBR", "Tom King")
    paper = mention_at(mentions, "Magyar Nemzet")
    assert (paper.actor_id, paper.country, paper.how) == ("ner:organisation:magyar_nemzet", "HUN", "ner")


def test_find_actors_family_name_of_unknown_person_is_coreference(nlp, actors: ActorDictionary) -> None:
    mentions = mentions_of(nlp, actors, "British Defence Secretary Tom King arrived in Kyiv. King said aid would follow.")
    later = mention_at(mentions, "King")
    assert (later.actor_id, later.how, later.country) == ("ner:person:tom_king", "coref", "GBR")


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Chad Smith met the officials.", "TCD"),  # an ambiguous name inside a longer one
        ("Talks resumed in May 2017 in London.", "theresa_may"),  # a family name that is a month
        ("Hunter Biden testified.", "joe_biden"),  # a family name after another first name
        ("Ban on imports lifted, officials said.", "ban_ki_moon"),  # a family name that is a common word
        ("The talks with Hunter\nBiden ended.", "joe_biden"),  # a longer name across a line break of hard-wrapped text
    ],
)
def test_find_actors_does_not_resolve(nlp, actors: ActorDictionary, text: str, absent: str) -> None:
    assert absent not in {m.actor_id for m in mentions_of(nlp, actors, text)}


@pytest.mark.parametrize(
    ("text", "on", "span", "actor_id", "how"),
    [
        ("Hundreds marched in Lagos on Friday.", date(2000, 1, 1), "Lagos", "NGA", "place"),  # Ricardo Lagos not named before
        ("Ricardo Lagos spoke. Lagos said more.", date(2001, 1, 1), "Lagos", "ricardo_lagos", "coref"),
        ("Rebels shelled Kherson overnight.", D2023, "Kherson", "UKR", "place"),  # a city NER tags, the dictionary lacks
    ],
)
def test_find_actors_place_or_person(nlp, actors: ActorDictionary, text: str, on: date, span: str, actor_id: str, how: str) -> None:
    found = mention_at(mentions_of(nlp, actors, text, on), span)
    assert (found.actor_id, found.how) == (actor_id, how)


@pytest.mark.parametrize(
    ("on", "actor_id"),
    [
        (date(1991, 6, 1), "george_h_w_bush"),  # in office
        (date(2000, 1, 1), "george_w_bush"),  # neither in office: the nearer office (2001) wins over 1993
        (date(1994, 1, 1), "george_h_w_bush"),  # 1993 is nearer than 2001
    ],
)
def test_find_actors_shared_family_name_of_one_country_goes_to_the_nearest_office(
    nlp, actors: ActorDictionary, on: date, actor_id: str
) -> None:
    assert mention_at(mentions_of(nlp, actors, "President Bush threatened further action.", on), "President Bush").actor_id == actor_id


def test_match_aliases_blank_line_ends_a_name(actors: ActorDictionary) -> None:
    assert "joe_biden" in {m.actor_ids[0] for m in match_aliases("Reporting by Hunter\n\nBiden said more.", actors)}


def test_find_actors_shared_family_name_follows_the_article(nlp, actors: ActorDictionary) -> None:
    mentions = mentions_of(nlp, actors, "Kim Yo Jong issued a statement. Kim said the drills were a provocation.")
    assert mention_at(mentions, "Kim").actor_id == "kim_yo_jong"


def test_find_actors_mentions_keep_spans_and_order(nlp, actors: ActorDictionary) -> None:
    text = (
        "NATO Secretary General Jens Stoltenberg met U.S. President Joe Biden in Warsaw, Poland. He warned China, "
        "and the Foreign Ministry in Beijing said it regarded the U.S. intelligence reports as speculation."
    )
    doc = nlp(text)
    mentions = find_actors(doc, D2023, actors)
    assert [m.start_char for m in mentions] == sorted(m.start_char for m in mentions)
    assert all(doc.text[m.start_char : m.end_char] == m.text for m in mentions)
    assert {m.how for m in mentions} <= set(HOWS)
    assert all(m.name.isascii() for m in mentions)


def fixed_today(monkeypatch: pytest.MonkeyPatch, today: date) -> None:
    """Make ``date.today()`` in the actor finder return ``today``."""

    class FixedDate(date):
        @classmethod
        def today(cls) -> date:
            return today

    monkeypatch.setattr("pipeline.actors.mentions.date", FixedDate)


@pytest.mark.parametrize(("today", "role"), [(D2025, "secretary general"), (D2023, "head of government")])
def test_find_actors_without_date_uses_today(nlp, actors: ActorDictionary, monkeypatch: pytest.MonkeyPatch, today: date, role: str) -> None:
    fixed_today(monkeypatch, today)
    (rutte,) = [m for m in mentions_of(nlp, actors, "Mark Rutte spoke.", None) if m.actor_id == "mark_rutte"]
    assert rutte.role == role


# ---------------------------------------------------------------- validity


def test_actors_fixture_is_valid() -> None:
    assert [str(p) for p in dictionary_problems(sorted(FIXTURES.glob("*.yaml")))] == []


BAD_ENTRIES = {
    "id also defined": "- {id: RUS, name: Russia again, kind: state, country: RUS}\n",
    "country 'XXX' is not a state id": "- {id: x_group, name: X, kind: group, country: XXX}\n",
    "parent 'nowhere' is not an actor id": "- {id: x_org, name: X, kind: organisation, parent: nowhere}\n",
    "ends (2020-01-01) before it starts": (
        "- {id: x_p, name: X P, kind: person, gender: m, roles: [{parent: RUS, sector: government, role: head of state, "
        "start: 2021-01-01, end: 2020-01-01}]}\n"
    ),
    "also names": "- {id: x_state_org, name: Russia, kind: organisation}\n",
    "is not ASCII": "- {id: x_person, name: Recep Tayyip Erdoğan, kind: person, gender: m}\n",
    "is not in the role vocabulary": (
        "- {id: x_q, name: X Q, kind: person, gender: f, roles: [{parent: RUS, sector: government, role: tsar}]}\n"
    ),
    "must be ISO3 uppercase": "- {id: Russia2, name: Russia Two, kind: state}\n",
}


@pytest.mark.parametrize(("message", "entry"), BAD_ENTRIES.items(), ids=list(BAD_ENTRIES))
def test_dictionary_problems_are_found(tmp_path: Path, message: str, entry: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(entry, encoding="utf-8")
    problems = dictionary_problems([*sorted(FIXTURES.glob("*.yaml")), bad])
    assert any(message in p.message and p.severity == "error" for p in problems), [str(p) for p in problems]


def test_actors_real_data_is_valid() -> None:
    """The real data/actors/ files: unique ids, known codes and parents, ordered dates, no alias two actors claim equally."""
    errors = [str(p) for p in dictionary_problems() if p.severity == "error"]
    assert errors == [], f"{len(errors)} problems in data/actors/ (run python -m pipeline.actors.validate):\n" + "\n".join(errors[:50])


WORDS = [
    "Chad",
    "Smith",
    "NATO's",
    "he",
    "she",
    "they",
    "the",
    "secretary",
    "general",
    "Russian",
    "troops",
    "President",
    "Xi",
    "Kim",
    "Jong-un",
    "in",
    "Beijing",
    "Foreign",
    "Ministry",
    ",",
    ".",
    "said",
    "met",
    "Erdoğan",
    "May",
    "U.S.",
    "intelligence",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=25))
def test_find_actors_survives_any_word_salad(nlp, words: list[str]) -> None:
    actors = ActorDictionary.from_files(sorted(FIXTURES.glob("*.yaml")))
    doc = nlp(" ".join(words))
    mentions = find_actors(doc, D2023, actors)
    assert all(doc.text[m.start_char : m.end_char] == m.text for m in mentions)


@pytest.mark.parametrize(
    ("text", "span", "actor_id"),
    [
        # readouts name the official with a title, then go on with the title alone
        (
            "Secretary Blinken spoke with Kenya's foreign minister. The Secretary stressed the need for calm.",
            "The Secretary",
            "antony_blinken",
        ),
        (
            "Deputy Secretary Wendy Sherman met Albania's prime minister. The Deputy Secretary affirmed support.",
            "The Deputy Secretary",
            "ner:person:wendy_sherman",
        ),
    ],
)
def test_find_actors_the_title_alone_is_the_person_named_with_it_before(
    nlp, actors: ActorDictionary, text: str, span: str, actor_id: str
) -> None:
    found = mention_at(mentions_of(nlp, actors, text), span)
    assert (found.actor_id, found.how) == (actor_id, "coref")


def test_find_actors_the_title_before_a_name_is_that_name(nlp, actors: ActorDictionary) -> None:
    mentions = mentions_of(nlp, actors, "Joe Biden met Olaf Scholz. The President Xi Jinping spoke later.")
    assert all(m.text != "The President" for m in mentions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an acronym of several meanings is the actor only where the article names its country or the actor otherwise
        ("PA condemned the raid on Monday, Hamas officials in Gaza said.", {"hamas", "palestinian_authority"}),
        ("Police arrested the driver on Monday, PA reported.", set()),
    ],
)
def test_find_actors_ambiguous_acronym_needs_its_country_named(nlp, text: str, expected: set[str]) -> None:
    dictionary = ActorDictionary.from_files([*sorted(FIXTURES.glob("*.yaml")), ACRONYMS])
    assert {m.actor_id for m in mentions_of(nlp, dictionary, text)} & {"hamas", "palestinian_authority"} == expected
