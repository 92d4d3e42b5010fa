"""Dates: resolving expressions against the publication date, finding them in parsed sentences, dating events."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dates import DateValue, event_date, find_timexes, resolve_expression, timex_main, without_week
from pipeline.dates.values import PRECISIONS
from pipeline.nlp import load_nlp

THU = date(2023, 2, 23)  # the seed article's publication date, a Thursday
VALUE_FORMS = {"day": r"\d{4}-\d\d-\d\d", "week": r"\d{4}-W\d\d", "month": r"\d{4}-\d\d", "year": r"\d{4}", "none": ""}


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def value_of(expression: str, published: date, tense: str = "past", sentence: str = "") -> str:
    return resolve_expression(expression, published, tense, sentence).value


@pytest.mark.parametrize(
    ("expression", "published", "tense", "expected"),
    [
        ("on Thursday", THU, "past", "2023-02-23"),  # the publication weekday is the publication day
        ("Thursday", THU, "future", "2023-02-23"),
        ("on Wednesday", THU, "past", "2023-02-22"),
        ("on Wednesday", THU, "future", "2023-03-01"),
        ("Friday", THU, "past", "2023-02-17"),
        ("Friday", THU, "present", "2023-02-17"),
        ("Friday", THU, "future", "2023-02-24"),
        ("last Thursday", THU, "past", "2023-02-16"),
        ("next Thursday", THU, "future", "2023-03-02"),
        ("this Monday", THU, "past", "2023-02-20"),
        ("Monday night", THU, "past", "2023-02-20"),
        ("late Monday", THU, "past", "2023-02-20"),
        ("Tuesday at 10 a.m.", THU, "past", "2023-02-21"),
        ("Friday next week", THU, "past", "2023-03-03"),
        ("Wednesday, Feb. 22, 2023", THU, "future", "2023-02-22"),
        ("Friday", date(2023, 1, 2), "past", "2022-12-30"),  # across the year boundary
        ("on Monday", date(2022, 12, 30), "future", "2023-01-02"),
        ("Sunday", date(2007, 7, 9), "past", "2007-07-08"),
    ],
)
def test_dates_weekdays_around_the_publication_day(expression: str, published: date, tense: str, expected: str) -> None:
    assert value_of(expression, published, tense) == expected


@pytest.mark.parametrize(
    ("expression", "published", "tense", "expected"),
    [
        ("today", THU, "present", "2023-02-23"),
        ("Yesterday", date(2023, 3, 1), "past", "2023-02-28"),
        ("yesterday", date(2024, 3, 1), "past", "2024-02-29"),  # leap year
        ("tomorrow", date(2022, 12, 31), "future", "2023-01-01"),
        ("earlier in the day", THU, "past", "2023-02-23"),
        ("late in the day", THU, "past", "2023-02-23"),
        ("earlier today", THU, "past", "2023-02-23"),
        ("this morning", THU, "past", "2023-02-23"),
        ("the day before yesterday", THU, "past", "2023-02-21"),
        ("now", THU, "present", "2023-02-23"),
        ("a second consecutive day", THU, "present", "2023-02-23"),
    ],
)
def test_dates_deictic_days(expression: str, published: date, tense: str, expected: str) -> None:
    assert value_of(expression, published, tense) == expected


@pytest.mark.parametrize(
    ("expression", "published", "tense", "expected"),
    [
        ("in March", THU, "past", "2022-03"),  # a month, never March 1st
        ("in March", THU, "future", "2023-03"),
        ("in February", THU, "past", "2023-02"),
        ("February", THU, "future", "2023-02"),
        ("last February", THU, "past", "2022-02"),
        ("next March", THU, "past", "2023-03"),
        ("this November", THU, "past", "2023-11"),
        ("December", date(2023, 1, 10), "past", "2022-12"),
        ("January", date(2022, 12, 15), "future", "2023-01"),
        ("July's", THU, "future", "2023-07"),
        ("November 2006", date(2005, 11, 5), "future", "2006-11"),
        ("Nov. of 2006", date(2005, 11, 5), "future", "2006-11"),
        ("March last year", THU, "past", "2022-03"),
    ],
)
def test_dates_months_and_month_boundaries(expression: str, published: date, tense: str, expected: str) -> None:
    assert value_of(expression, published, tense) == expected


def test_dates_month_takes_the_year_named_after_it_in_the_sentence() -> None:
    sentence = "dealerships whose franchises won't be renewed after October of next year will receive a letter"
    assert value_of("October", date(2009, 5, 15), "future", sentence) == "2010-10"


@pytest.mark.parametrize(
    ("expression", "published", "tense", "expected"),
    [
        ("Feb. 22", THU, "past", "2023-02-22"),
        ("Feb 22, 2023", THU, "past", "2023-02-22"),
        ("Sept. 3", date(2022, 9, 10), "past", "2022-09-03"),
        ("22 February 2023", THU, "past", "2023-02-22"),
        ("the 22nd of February", THU, "past", "2023-02-22"),
        ("July 24 , 2003", date(2005, 3, 6), "past", "2003-07-24"),
        ("11 December", date(2010, 1, 25), "past", "2009-12-11"),  # last December, read in January
        ("June 17", date(2009, 6, 9), "future", "2009-06-17"),
        ("January 5", date(2022, 12, 20), "future", "2023-01-05"),
        ("June 3", date(2009, 5, 14), "past", "2009-06-03"),  # a little ahead is still this year
        ("February 29", date(2024, 7, 2), "past", "2024-02-29"),
        ("July 21-23", date(2021, 7, 19), "future", "2021-07-21"),  # a range starts on its first day
        ("2023-02-22", THU, "past", "2023-02-22"),
        ("7/8/07", date(2007, 7, 9), "past", "2007-07-08"),
        ("22/02/2023", THU, "past", "2023-02-22"),
        ("Christmas", THU, "past", "2022-12-25"),
        ("Christmas", date(2023, 12, 1), "future", "2023-12-25"),
        ("9/11", THU, "past", "2001-09-11"),
    ],
)
def test_dates_calendar_days_and_abbreviations(expression: str, published: date, tense: str, expected: str) -> None:
    assert value_of(expression, published, tense) == expected


@pytest.mark.parametrize(
    ("expression", "published", "tense", "expected"),
    [
        ("2009", THU, "past", "2009"),
        ("in 1998", THU, "past", "1998"),
        ("'82", date(2008, 10, 27), "past", "1982"),
        ("fiscal 2022", THU, "past", "2022"),
        ("last week", THU, "past", "2023-W07"),
        ("this week", THU, "past", "2023-W08"),
        ("next week", THU, "future", "2023-W09"),
        ("last week", date(2023, 1, 4), "past", "2022-W52"),
        ("week", date(2009, 3, 13), "present", "2009-W11"),
        ("fourth week in a row", date(2009, 4, 4), "present", "2009-W14"),
        ("this weekend", date(2010, 1, 25), "past", "2010-W03"),  # read on a Monday: the weekend just gone
        ("the last week of March", date(2009, 4, 1), "past", "2009-W13"),
        ("the first week of March", THU, "future", "2023-W09"),
        ("last month", date(2023, 1, 15), "past", "2022-12"),
        ("next month", date(2022, 12, 15), "future", "2023-01"),
        ("last year", THU, "past", "2022"),
        ("the last year", date(2010, 1, 28), "past", "2009"),
        ("next year", THU, "future", "2024"),
        ("this year", THU, "present", "2023"),
        ("a week ago", THU, "past", "2023-02-16"),
        ("three days ago", date(2023, 3, 2), "past", "2023-02-27"),
        ("two years ago", THU, "past", "2021"),
        ("several months ago", THU, "past", "2022"),  # a vague count is one precision coarser
        ("in two weeks", THU, "future", "2023-03-09"),
        ("recently", THU, "past", "2023-02"),
        ("One year into", THU, "present", "2023-02"),  # "one year into the war": about now, at month precision
        ("days after", THU, "past", "2023-02"),
    ],
)
def test_dates_relative_expressions(expression: str, published: date, tense: str, expected: str) -> None:
    assert value_of(expression, published, tense) == expected


@pytest.mark.parametrize(
    ("expression", "published", "tense", "expected"),
    [
        ("this spring", THU, "future", "2023"),
        ("last summer", THU, "past", "2022"),
        ("this winter", THU, "past", "2023"),  # December 2022 to February 2023
        ("next winter", THU, "future", "2024"),
        ("spring 2022", THU, "past", "2022"),
        ("in the summer", date(2021, 6, 24), "present", "2021"),
        ("the first quarter of 2022", THU, "past", "2022"),
        ("the fourth quarter", THU, "past", "2022"),
        ("Q3 2021", THU, "past", "2021"),
        ("third quarter", date(1987, 10, 20), "future", "1987"),  # the quarter just ended
        ("last quarter", date(2023, 1, 10), "past", "2022"),
        ("the second half of the year", THU, "future", "2023"),
    ],
)
def test_dates_seasons_and_quarters_are_years(expression: str, published: date, tense: str, expected: str) -> None:
    assert value_of(expression, published, tense) == expected


@pytest.mark.parametrize(
    ("expression", "published", "tense", "expected"),
    [
        ("mid-March", THU, "future", "2023-03"),
        ("mid-March", THU, "past", "2022-03"),
        ("early June", date(2009, 5, 14), "future", "2009-06"),
        ("late last year", THU, "past", "2022"),
        ("early 2009", date(2011, 1, 17), "past", "2009"),
        ("mid-2022", THU, "past", "2022"),
        ("the end of this year", THU, "future", "2023"),
        ("the beginning of the year", THU, "past", "2023"),
        ("the end of last week", date(2022, 6, 13), "past", "2022-W23"),
        ("earlier this month", THU, "past", "2023-02"),
    ],
)
def test_dates_part_of_a_period_keeps_its_precision(expression: str, published: date, tense: str, expected: str) -> None:
    assert value_of(expression, published, tense) == expected


def test_dates_since_the_start_of_a_period_is_its_first_day() -> None:
    assert (
        value_of("the start of this year", date(2009, 2, 20), "past", "The Dow has fallen since the start of this year .") == "2009-01-01"
    )


@pytest.mark.parametrize(
    "expression",
    [
        "for three days",
        "three days",
        "a 12-year-old",
        "12-year-old",
        "aged 55",
        "2,000",
        "55",
        "the 1990s",
        "the '90s",
        "every year",
        "annual",
        "decades",
        "the first time",
        "three-day",
        "fifty-year",
        "a year",
        "the past three years",
        "Black Monday",
        "We",
        "the 19th century",
        "",
        "   ",
        "that time",
        "three days later",
    ],
)
def test_dates_non_dates_have_no_value(expression: str) -> None:
    assert resolve_expression(expression, THU) == DateValue("", "none")


@pytest.mark.parametrize(
    ("expression", "published", "expected"),
    [
        ("2014", date(2007, 6, 9), "2014"),  # a year written in digits is taken as written
        ("by 2050", date(2021, 11, 2), "2050"),
        ("March 2031", date(2021, 11, 2), "2031-03"),
        ("in ten years", date(2021, 11, 2), ""),  # a computed year beyond five years ahead is refused
        ("2090", date(2021, 11, 2), ""),  # and a written one beyond fifty
        ("in 1861", date(2021, 11, 2), "1861"),  # history written in digits ("established relations in 1861")
        ("1750", date(2021, 11, 2), ""),
    ],
)
def test_dates_years_ahead_written_or_computed(expression: str, published: date, expected: str) -> None:
    assert value_of(expression, published, "future") == expected


def test_dates_event_date_skips_dates_beyond_five_years_ahead(nlp) -> None:
    doc = nlp("The government pledged on Monday to cut emissions by 2040.")
    token = next(t for t in doc if t.text == "pledged")
    assert event_date(find_timexes(doc[:], THU), token, THU) == (DateValue("2023-02-20", "day"), "Monday")
    doc = nlp("The government pledged to cut emissions by 2040.")
    token = next(t for t in doc if t.text == "pledged")
    assert event_date(find_timexes(doc[:], THU), token, THU) == (DateValue("2023-02-23", "day"), "")


@given(
    text=st.one_of(
        st.text(max_size=40),
        st.lists(
            st.sampled_from(
                [
                    "on",
                    "last",
                    "next",
                    "mid-",
                    "early",
                    "late",
                    "March",
                    "Feb.",
                    "22",
                    "31",
                    "2023",
                    "1899",
                    "9999",
                    "the",
                    "week",
                    "ago",
                    "three",
                    "days",
                    "of",
                    "year",
                    "quarter",
                    "spring",
                    "winter",
                    "Monday",
                    ",",
                    "'82",
                    "1/2/03",
                    "into",
                    "after",
                    "same",
                    "period",
                    "previous",
                    "first",
                    "Christmas",
                    "today",
                    "-",
                    "0",
                    "13/13/13",
                ]
            ),
            max_size=6,
        ).map(" ".join),
    ),
    published=st.dates(min_value=date(1901, 1, 1), max_value=date(2090, 12, 31)),
    tense=st.sampled_from(["past", "present", "future"]),
)
@settings(max_examples=400, deadline=None)
def test_dates_resolver_never_crashes_and_stays_in_range(text: str, published: date, tense: str) -> None:
    value = resolve_expression(text, published, tense, sentence=f"It happened {text} again.")
    assert value.precision in PRECISIONS
    assert re.fullmatch(VALUE_FORMS[value.precision], value.value)
    if value:
        year = value.value[:4]
        assert (1800 if year in text else 1900) <= int(year) <= published.year + (50 if year in text else 5)


def timexes_of(nlp, text: str, published: date = THU) -> list[tuple[str, str]]:
    return [(t.text, t.value.value) for t in find_timexes(nlp(text)[:], published)]


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("Stoltenberg met Biden on Friday.", THU, [("Friday", "2023-02-17")]),
        ("Stoltenberg will meet Biden on Friday.", THU, [("Friday", "2023-02-24")]),
        ("The trial is set to begin on Wednesday in London.", date(2006, 3, 28), [("Wednesday", "2006-03-29")]),
        ("Markets will stay closed until Friday.", THU, [("Friday", "2023-02-24")]),
        ("He hoped Sweden would be a member in time for July's NATO summit.", THU, [("July", "2023-07")]),
        ("They agreed to meet at NATO headquarters in mid-March.", THU, [("mid-March", "2023-03")]),
        ("The talks lasted for three days and a 12-year-old was hurt.", THU, []),
        ("We may meet again in March, now that the talks are over.", THU, [("March", "2023-03")]),
        (
            "Russia attacked the city on Feb. 4, 2022, and again last week.",
            THU,
            [("Feb. 4, 2022", "2022-02-04"), ("last week", "2023-W07")],
        ),
        (
            "Ford's sales rose in February compared to the same period last year.",
            date(2010, 3, 3),
            [("February", "2010-02"), ("the same period last year", "2009-02")],
        ),
        (
            "The company cut costs last year, $19.8 billion more than the year previous.",
            date(2010, 1, 28),
            [("last year", "2009"), ("the year previous", "2008")],
        ),
        ("Welcome to the Women's History Month celebration and a month-long program.", THU, []),
    ],
)
def test_dates_find_timexes_with_the_tense_of_their_clause(nlp, sentence: str, published: date, expected: list) -> None:
    assert timexes_of(nlp, sentence, published) == expected


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("The bank was founded in nineteen ninety-six in Ohio.", THU, [("nineteen ninety-six", "1996")]),
        ("The war ended in two thousand and three, he said.", THU, [("two thousand and three", "2003")]),
        ("Twenty twenty was a hard year for the airline.", THU, [("Twenty twenty", "2020")]),
        ("Twenty two people were hurt in the blast.", THU, []),
        ("Profit rose 10% in fiscal 1988.", date(1988, 11, 2), [("fiscal 1988", "1988")]),
        ("Net profit fell 5% from the year-earlier period.", THU, [("the year-earlier period", "2022")]),
        (
            "Sales rose 4% in the fourth quarter of 2022 from the year-ago quarter.",
            THU,
            [("the fourth quarter of 2022", "2022"), ("the year-ago quarter", "2021")],
        ),
        ("The firm expects a loss in the current quarter.", THU, [("the current quarter", "2023")]),
    ],
)
def test_dates_find_timexes_spelled_out_years_and_reporting_periods(nlp, sentence: str, published: date, expected: list) -> None:
    assert timexes_of(nlp, sentence, published) == expected


def test_dates_find_timexes_offsets_point_into_the_doc(nlp) -> None:
    doc = nlp("NATO said on Thursday that it was watching closely, as it had since mid-March.")
    for timex in find_timexes(doc[:], THU):
        assert doc.text[timex.start_char : timex.end_char] == timex.text
        assert doc[timex.start : timex.end].text.startswith(timex.text)


def date_of_event(nlp, sentence: str, trigger: str) -> tuple[str, str]:
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    value, date_text = event_date(find_timexes(token.sent, THU), token, THU)
    return value.value, date_text


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("During a meeting with Putin on Wednesday, Wang Yi said relations were stable.", "meeting", ("2023-02-22", "Wednesday")),
        ("Recently, Blinken warned China of the consequences.", "warned", ("2023-02", "Recently")),
        ("He said that he and Erdogan had agreed to meet in mid-March.", "meet", ("2023-03", "mid-March")),
        ("He said that he and Erdogan had agreed to meet in mid-March.", "said", ("2023-02-23", "")),  # the date is the meeting's
        ("He warned Beijing, days after Zelensky stated that it would be a mistake.", "stated", ("2023-02", "days after")),
        ("He warned Beijing, days after Zelensky stated that it would be a mistake.", "warned", ("2023-02-23", "")),
        ("China has so far not reacted to the reports.", "reacted", ("2023-02-23", "")),
        ("He expressed the hope that Sweden would join in time for July's NATO summit.", "summit", ("2023-07", "July")),
        # a date written before another act the trigger takes as argument dates that act
        ("We condemn in the strongest terms yesterday's shelling of the port.", "condemn", ("2023-02-23", "")),
        ("The ministry described Monday's vote by parliament as illegal.", "described", ("2023-02-23", "")),
        ("We condemn this week's attacks on the port, including today's that struck a depot.", "struck", ("2023-02-23", "today")),
        ("The ministry described Monday's vote by parliament as illegal and called on Kyiv to annul it.", "called", ("2023-02-23", "")),
        ("He gave his account of the Feb. 3 meeting to say the envoy did discuss aid with them.", "discuss", ("2023-02-03", "Feb. 3")),
        # a date on the statement an act is made in dates the act
        ("In a joint statement published Feb. 10, the two ministries accused Kyiv of shelling.", "accused", ("2023-02-10", "Feb. 10")),
        ("A report released on Tuesday said the army had lost ground.", "said", ("2023-02-21", "Tuesday")),
        # a participle working as a preposition ("starting", "following") leaves the date to the main clause
        ("Starting on Feb. 11, thousands of farmers took to the streets in Paris.", "took", ("2023-02-11", "Feb. 11")),
        ("Beginning Monday, the rebels shelled the city for three days.", "shelled", ("2023-02-20", "Monday")),
    ],
)
def test_dates_event_date_tied_nearest_or_publication(nlp, sentence: str, trigger: str, expected: tuple[str, str]) -> None:
    assert date_of_event(nlp, sentence, trigger) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels took the town on Feb. 3. Two days later, the army shelled it.", [("Two days later", "2023-02-05")]),
        ("Police arrested two men on Monday. The next morning officers searched their homes.", [("The next morning", "2023-02-21")]),
        (
            "The ministers met on Feb. 6. An aide said talks went well. The following day they signed a deal.",
            [("The following day", "2023-02-07")],
        ),
        ("Talks collapsed in March 2021. A year earlier, the two sides had signed a truce.", [("A year earlier", "2020-03")]),
        # "the time" counts no calendar unit: not a date, whatever the sentence before names
        ("The ministers met on Feb. 6. Thank you for taking the time to join us.", []),
        ("The ministers met on Feb. 6. At the same time, we must help the refugees.", []),
    ],
)
def test_dates_find_timexes_anchor_on_a_date_in_the_sentences_before(nlp, text: str, expected: list) -> None:
    last = list(nlp(text).sents)[-1]
    assert [(t.text, t.value.value) for t in find_timexes(last, THU)] == expected


def date_of_last_act(nlp, text: str, trigger: str) -> tuple[str, str]:
    doc = nlp(text)
    token = [t for t in doc if t.text == trigger][-1]
    value, date_text = event_date(find_timexes(token.sent, THU), token, THU)
    return value.value, date_text


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # an undated act that goes on with the act just told takes its date
        ("On Feb. 9, the two governments held talks in Delhi. They agreed to share data on smuggling.", "agreed", ("2023-02-09", "Feb. 9")),
        (
            "On Feb. 9, the two governments held talks in Delhi. Both sides exchanged views. They agreed to share data.",
            "agreed",
            ("2023-02-09", "Feb. 9"),
        ),
        ("On March 2, Biden will host Lula at the White House. The First Lady will also host his wife.", "host", ("2023-03-02", "March 2")),
        # a new actor, or another tense, starts another act: the publication date
        ("On Feb. 9, the two governments held talks in Delhi. The minister agreed to share data.", "agreed", ("2023-02-23", "")),
        ("On Feb. 9, the two governments held talks in Delhi. They will meet again in Washington.", "meet", ("2023-02-23", "")),
    ],
)
def test_dates_event_date_carries_the_date_of_the_act_just_told(nlp, text: str, trigger: str, expected: tuple[str, str]) -> None:
    assert date_of_last_act(nlp, text, trigger) == expected


def test_dates_timex_main_writes_one_value_per_record() -> None:
    records = [
        {
            "id": "a",
            "expression": "Thursday",
            "sentence": "China Eastern stated on Thursday that it had signed .",
            "published": "2009-06-18",
        },
        {"id": "b", "expression": "last week", "sentence": "McCain spoke last week against the deal .", "published": "2004-11-24"},
        {"id": "c", "expression": "three days", "sentence": "The strike lasted three days .", "published": "2004-11-24"},
        {"id": "d", "expression": "June", "sentence": "It crashed in June .", "published": "not a date"},
    ]
    lines = io.StringIO("\n".join(json.dumps(r) for r in records) + "\n\n{broken\n")
    out = io.StringIO()
    timex_main(lines, out)
    got = [json.loads(line) for line in out.getvalue().splitlines()]
    assert got == [{"id": "a", "value": "2009-06-18"}, {"id": "b", "value": "2004-W47"}, {"id": "c", "value": ""}, {"id": "d", "value": ""}]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (DateValue("2023-W09", "week"), DateValue("2023-03", "month")),  # Feb 27 - Mar 5: mostly March
        (DateValue("2023-W08", "week"), DateValue("2023-02", "month")),
        (DateValue("2021-W52", "week"), DateValue("2021-12", "month")),
        (DateValue("2023-02-23", "day"), DateValue("2023-02-23", "day")),
    ],
)
def test_dates_without_week_gives_the_month_holding_most_of_it(value: DateValue, expected: DateValue) -> None:
    assert without_week(value) == expected
