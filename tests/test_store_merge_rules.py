"""The merge rules for real variation between outlets (issue 13), each on a pair or a few mentions built by hand: a stated
day near its edge, related types, actors named at another granularity, a target left out, the evidence similarity, the
blocks."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.events_table import Event
from pipeline.records import Article
from pipeline.store.merge import SIMILAR_EVIDENCE, block_key, merged_events
from pipeline.store.merge_data import family_group
from pipeline.store.rows import Extracted, mention_rows
from pipeline.store.similarity import SERIES_DAYS, cosine, evidence_words, headline_vectors, tfidf_vectors
from pipeline.store.spans import DaySpan, mention_span
from tests.store_helpers import PUBLISHED, article, directed, event

STRIKE = "American warships destroyed an Iranian oil platform in the Gulf"
STRIKE_AGAIN = "U.S. Navy destroyers shelled the Iranian oil platform at Rostam in the Gulf"
UNRELATED = "Officials discussed the budget for next year's agricultural fair"
MEETING = "Blinken and Austin met Ukrainian Foreign Minister Kuleba and Defense Minister Reznikov in Warsaw"


def events_of(*pairs: tuple[Article, Event]) -> list[dict[str, object]]:
    """Return the merged events of one mention from each given article."""
    return merged_events([row for a, e in pairs for row in mention_rows(Extracted(a, (e,)))])


def two_outlets() -> tuple[Article, Article]:
    return article("a"), article("b", publisher="Harbor Post")


# ---- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_text", "span"),
    [
        ("Sunday", (18, 18)),
        ("late Sunday", (18, 19)),
        ("Sunday night", (18, 19)),
        ("early Sunday local time", (17, 18)),
        ("Sunday morning", (17, 18)),
        ("", (17, 18)),
    ],
)
def test_spans_day_edge_reaches_the_neighbouring_day(date_text: str, span: tuple[int, int]) -> None:
    assert mention_span("1987-10-18", "day", date_text) == DaySpan(date(1987, 10, span[0]), date(1987, 10, span[1]))


@pytest.mark.parametrize(("first", "same"), [("late Sunday", True), ("Sunday", False)])
def test_store_merge_late_day_joins_next_day_in_another_time_zone(first: str, same: bool) -> None:
    a, b = two_outlets()
    washington = directed(a, "United States", "Iran", "attack", date="2023-03-19", date_text=first, sentence=STRIKE)
    gulf = directed(b, "United States", "Iran", "attack", date="2023-03-20", date_text="Monday", sentence=STRIKE_AGAIN)
    assert (len(events_of((a, washington), (b, gulf))) == 1) is same


# ---- related types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("second_type", "sentence", "same"),
    [
        ("mobilization", STRIKE_AGAIN, True),
        ("mobilization", UNRELATED, False),
        ("sanction", STRIKE_AGAIN, False),
    ],
    ids=["related types, alike evidence", "related types, unlike evidence", "unrelated types"],
)
def test_store_merge_related_types_need_alike_evidence(second_type: str, sentence: str, same: bool) -> None:
    a, b = two_outlets()
    first = directed(a, "United States", "Iran", "attack", sentence=STRIKE)
    # Each article headlined by its sentence: the helper's titles ("Title of a", "Title of b") would be alike headlines.
    second = directed(b, "United States", "Iran", second_type, sentence=sentence, article_title=sentence)
    assert (len(events_of((a, first), (b, second))) == 1) is same


def test_store_merge_blocks_hold_related_families_of_one_year() -> None:
    assert family_group("attack") == family_group("mobilization") != family_group("sanction")
    assert block_key("attack", "2023-03-20") == block_key("mobilization", "2023-W12") == family_group("attack") + "|2023"
    assert block_key("attack", "2022-12-31") != block_key("attack", "2023-01-01")
    assert block_key("meeting", "") == "consult|none"


# ---- actors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("second", "sentence", "same"),
    [
        ("Antony Blinken;Lloyd Austin;Dmytro Kuleba;Oleksii Reznikov", MEETING, True),
        ("Antony Blinken;Lloyd Austin;Ukraine", MEETING, True),
        ("Antony Blinken;Lloyd Austin;Ukraine", UNRELATED, False),
        ("Antony Blinken;Lloyd Austin;Dmytro Kuleba;Vladimir Putin", MEETING, False),
        ("Joe Biden;Dmytro Kuleba", MEETING, False),
    ],
    ids=["a misread name left out", "the ministers' state", "the state, unlike evidence", "another leader", "another person"],
)
def test_store_merge_meeting_named_at_another_granularity(second: str, sentence: str, same: bool) -> None:
    a, b = two_outlets()
    first = event(a, participants="Jr.;Antony Blinken;Lloyd Austin;Dmytro Kuleba;Oleksii Reznikov", source_actor="Jr.", sentence=MEETING)
    other = event(b, participants=second, source_actor="Antony Blinken", sentence=sentence)
    assert (len(events_of((a, first), (b, other))) == 1) is same


def test_store_merge_state_beside_people_joins_when_alike() -> None:
    a, b = two_outlets()
    talks = "Shultz met Shevardnadze in Moscow for arms talks"
    first = event(a, participants="George Shultz;Eduard Shevardnadze;Russia", source_actor="George Shultz", sentence=talks)
    second = event(b, participants="George Shultz;Eduard Shevardnadze", source_actor="George Shultz", sentence=talks)
    assert len(events_of((a, first), (b, second))) == 1


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("George Shultz;Eduard Shevardnadze;Russia", "George Shultz;Eduard Shevardnadze;Soviet Union", True),
        ("George Shultz;Eduard Shevardnadze", "Eduard Shevardnadze;George Shultz;Soviet Union", True),
        ("George Shultz;Eduard Shevardnadze", "George Shultz;Eduard Shevardnadze;Helmut Kohl", False),
        ("George Shultz;Eduard Shevardnadze", "George Shultz;Eduard Shevardnadze;NATO", False),
        ("Antony Blinken;Japan", "Antony Blinken;South Korea", False),
    ],
    ids=["two states beside them", "a state added", "a third person", "an organisation added", "one person"],
)
def test_store_merge_same_people_agree_whatever_states_beside_them(first: str, second: str, same: bool) -> None:
    a, b = two_outlets()
    talks = event(a, participants=first, source_actor=first.split(";")[0], sentence="Shultz and Shevardnadze met today in Moscow")
    other = "Shultz went straight from the airport into a closed-door session with the Soviet delegation"
    delegation = event(b, participants=second, source_actor=second.split(";")[0], sentence=other)
    assert (len(events_of((a, talks), (b, delegation))) == 1) is same


@pytest.mark.parametrize(("sentence", "same"), [(STRIKE_AGAIN, True), (UNRELATED, False)])
def test_store_merge_target_left_out_needs_alike_evidence(sentence: str, same: bool) -> None:
    a, b = two_outlets()
    first = directed(a, "United States", "Iran", "attack", sentence=STRIKE)
    second = directed(b, "United States", "", "attack", sentence=sentence)
    assert (len(events_of((a, first), (b, second))) == 1) is same


def test_store_merge_loose_never_joins_a_visit_and_a_meeting() -> None:
    a, b = two_outlets()
    text = "Kishida visited Kyiv and met Zelensky"
    visit = directed(a, "Fumio Kishida", "Ukraine", "visit", sentence=text)
    meeting = event(b, participants="Fumio Kishida;Volodymyr Zelensky", source_actor="Fumio Kishida", sentence=text)
    assert len(events_of((a, visit), (b, meeting))) == 2


def test_store_merge_loose_member_needs_every_member_to_agree() -> None:
    a, b = two_outlets()
    c = article("c", publisher="Meridian Wire")
    strike = directed(a, "United States", "Iran", "attack", sentence=STRIKE)
    other_target = directed(b, "United States", "Iraq", "attack", sentence=STRIKE_AGAIN)
    no_target = directed(c, "United States", "", "attack", sentence=STRIKE_AGAIN)
    merged = sorted(int(e["n_articles"]) for e in events_of((a, strike), (b, other_target), (c, no_target)))
    assert merged == [1, 2]


# ---- evidence similarity ---------------------------------------------------------------------------


def test_similarity_evidence_words_drop_stopwords_short_words_and_plurals() -> None:
    assert evidence_words("The U.S. destroyed two Iranian platforms on Monday") == ["destroyed", "two", "iranian", "platform"]


def test_similarity_cosine_of_alike_and_unlike_evidence() -> None:
    strike, again, unrelated = tfidf_vectors([STRIKE, STRIKE_AGAIN, UNRELATED])
    assert cosine(strike, strike) == pytest.approx(1.0)
    assert cosine(strike, again) >= SIMILAR_EVIDENCE > cosine(strike, unrelated) == 0.0
    assert tfidf_vectors([""]) == [{}]


PLEDGE = "As I assured President Zelenskyy, the American people will continue to stand with the Ukrainian people"
PACKAGE = "Today's authorization brings the total U.S. commitment to Ukraine to more than $3 billion"


@pytest.mark.parametrize(
    ("titles", "second_target", "same"),
    [
        (
            (
                "Call with President Zelenskyy and Additional Security Assistance to Ukraine",
                "$800 Million in Additional Security Assistance",
            ),
            "Ukraine",
            True,
        ),
        (
            ("Call with President Zelenskyy and Additional Security Assistance to Ukraine", "Remarks at the Wildfire Briefing"),
            "Ukraine",
            False,
        ),
        (
            (
                "Call with President Zelenskyy and Additional Security Assistance to Ukraine",
                "$800 Million in Additional Security Assistance",
            ),
            "",
            False,
        ),
    ],
    ids=["titles alike", "titles unlike", "a target left out"],
)
def test_store_merge_pledge_and_aid_of_alike_headlines_join(titles: tuple[str, str], second_target: str, same: bool) -> None:
    a, b = two_outlets()
    pledge = directed(a, "United States", "Volodymyr Zelensky", "proposal", sentence=PLEDGE, trigger="assured", article_title=titles[0])
    aid = directed(b, "United States", second_target, "aid", sentence=PACKAGE, trigger="assistance", article_title=titles[1])
    assert (len(events_of((a, pledge), (b, aid))) == 1) is same


def test_similarity_headline_vectors_leave_out_the_words_of_a_series() -> None:
    days = [f"2021-07-{12 + i}" for i in range(SERIES_DAYS)]
    series = [f"Department Press Briefing - July {12 + i}, 2021" for i in range(SERIES_DAYS)]
    vectors = headline_vectors([*series, "Security Assistance for Ukraine"], [*days, days[0]])
    assert vectors[:SERIES_DAYS] == [{}] * SERIES_DAYS
    assert set(vectors[-1]) == {"security", "assistance", "ukraine"}
    assert cosine(*headline_vectors(series[:2], days[:2])) == pytest.approx(1.0)


def test_store_merge_of_real_variation_ignores_mention_order() -> None:
    arts = [article(f"m{i}", PUBLISHED, publisher=f"P{i}") for i in range(5)]
    evs = [
        directed(arts[0], "United States", "Iran", "attack", sentence=STRIKE),
        directed(arts[1], "United States", "", "attack", sentence=STRIKE_AGAIN),
        directed(arts[2], "United States", "Iran", "mobilization", sentence=STRIKE_AGAIN),
        directed(arts[3], "United States", "Iraq", "attack", sentence=STRIKE),
        directed(arts[4], "United States", "Iran", "attack", date_text="late Tuesday", date="2023-03-21", sentence=STRIKE),
    ]
    rows = [row for a, e in zip(arts, evs, strict=True) for row in mention_rows(Extracted(a, (e,)))]
    key = lambda events: sorted(tuple(e["mention_ids"]) for e in events)  # noqa: E731
    assert key(merged_events(rows)) == key(merged_events(rows[::-1])) == key(merged_events(rows[2:] + rows[:2]))


@pytest.mark.parametrize(
    ("second", "same"),
    [
        ({"date": "2023-03-22"}, True),
        ({"date": "2023-03", "date_precision": "month", "date_text": "this month"}, False),
    ],
    ids=["a day", "a month"],
)
def test_store_merge_loose_only_between_day_dated_mentions(second: dict, same: bool) -> None:
    a, b = two_outlets()
    first = directed(a, "United States", "Iran", "attack", sentence=STRIKE)
    other = directed(b, "United States", "", "attack", sentence=STRIKE_AGAIN, **second)
    assert (len(events_of((a, first), (b, other))) == 1) is same


def test_store_merge_loose_needs_two_states_in_common_for_acts_among_equals() -> None:
    a, b = two_outlets()
    text = "The United States held talks on the budget"
    first = event(a, participants="United States;Canada", source_actor="United States", sentence=text)
    second = event(b, participants="United States", source_actor="United States", sentence=text)
    assert len(events_of((a, first), (b, second))) == 2


@pytest.mark.parametrize(("second_type", "same"), [("meeting", True), ("call", False)])
def test_store_merge_loose_in_one_article_only_for_one_type(second_type: str, same: bool) -> None:
    a = article("a")
    first = event(a, 0, participants="Antony Blinken;Lloyd Austin;Ukraine", source_actor="Antony Blinken", sentence=MEETING)
    second = event(
        a,
        1,
        event_type=second_type,
        participants="Antony Blinken;Lloyd Austin;Dmytro Kuleba;Defense",
        source_actor="Antony Blinken",
        sentence=MEETING,
    )
    rows = mention_rows(Extracted(a, (first, second)))
    assert (len(merged_events(rows)) == 1) is same
