"""Dates: the date a story is set at before each sentence (``narrative_frames``), the day it is about (``story_day``),
and the acts they date."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.dates import DateValue, StoryTime, event_date, find_timexes, narrative_frames, story_day
from pipeline.dates.find import occasion_dates
from pipeline.dates.tense import clause_tense
from pipeline.nlp import load_nlp

THU = date(2023, 2, 23)  # a Thursday


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["Last Thursday, police found a man.", "He was arrested."], [("", ""), ("2023-02-16", "Last Thursday")]),
        # the last date of the sentences before, two sentences back at most
        (
            ["Rebels took the town on Feb. 3 and the port in January.", "Aid stopped.", "The army shelled it.", "It fell."],
            [("", ""), ("2023-01", "January"), ("2023-01", "January"), ("", "")],
        ),
        (["The talks will resume on March 6.", "Both sides agreed."], [("", ""), ("2023-03-06", "March 6")]),
        (["No date here.", "Nor here."], [("", ""), ("", "")]),
        # read without a parse, a day more than half a year back is kept only with its year written
        (["Flights will start on May 31.", "Both sides agreed."], [("", ""), ("", "")]),
        (["Flights started on May 31, 2022.", "Both sides agreed."], [("", ""), ("2022-05-31", "May 31, 2022")]),
        (["Talks began last November.", "Both sides agreed."], [("", ""), ("2022-11", "last November")]),
        # quoted words are the speaker's: their "today" need not be the publication day
        (['"Today\'s vote is a disgrace," the senator said.', "She urged voters to act."], [("", ""), ("", "")]),
        (["“We won yesterday,” he said on Tuesday.", "He thanked voters."], [("", ""), ("2023-02-21", "Tuesday")]),
        # a possessive names a thing's time, not the scene's
        (["Pointing to Monday's vote, he accused the leaders.", "He then left."], [("", ""), ("", "")]),
        # a "since" date is where a state started
        (["Her polls have risen since the campaign began in January.", "She attacked him."], [("", ""), ("", "")]),
    ],
)
def test_dates_narrative_frames_last_date_before_each_sentence(texts: list[str], expected: list[tuple[str, str]]) -> None:
    assert [(value.value, words) for value, words in narrative_frames(texts, THU)] == expected


def date_in_story(nlp, texts: list[str], trigger: str) -> tuple[str, str]:
    """Return the date of the act ``trigger`` names in the last sentence, read with the story's frame."""
    doc = nlp(texts[-1])
    token = next(t for t in doc if t.text == trigger)
    frame = narrative_frames(texts, THU)[-1]
    value, date_text = event_date(find_timexes(doc[:], THU, before=frame[0]), token, THU, frame)
    return value.value, date_text


@pytest.mark.parametrize(
    ("texts", "trigger", "expected"),
    [
        # an undated act told in the past is set at the date the sentences just before name
        (
            ["Last Thursday, police found a man using a stolen card.", "A 30-year-old man was arrested."],
            "arrested",
            ("2023-02-16", "Last Thursday"),
        ),
        (
            ["The company agreed to a rescue by its lender last month.", "The lender agreed to inject $2 billion."],
            "agreed",
            ("2023-01", "last month"),
        ),
        (
            ["Police arrested four people Monday.", "Officers stopped a car on Main Street.", "Officers arrested the driver."],
            "arrested",
            ("2023-02-20", "Monday"),
        ),
        # "The next morning" counts from the date of the sentences before, parsed or not
        (
            ["Last Thursday, police found a man.", "The next morning police searched two houses."],
            "searched",
            ("2023-02-17", "The next morning"),
        ),
        # an act with a date of its own keeps it, or none when its date is another clause's
        (
            ["The EU imposed sanctions on Saturday.", "Troops shelled the city overnight, officials said."],
            "shelled",
            ("2023-02-23", "overnight"),
        ),
        (["Police arrested four people Monday.", "Officers arrested a fifth man on Tuesday."], "arrested", ("2023-02-21", "Tuesday")),
        (["Police arrested four people Monday.", "He was charged two days after the raid."], "charged", ("2023-02-23", "")),
        # an answer to the act told before is a later act
        (
            ["On Feb. 6 Russia accused the United States of shelling.", "The Pentagon rejected the accusations."],
            "rejected",
            ("2023-02-23", ""),
        ),
        # a present, future or perfect act is not set in the past scene
        (["Police arrested four people Monday.", "Officers say the men are dangerous."], "say", ("2023-02-23", "")),
        (["Police arrested four people Monday.", "The men will appear in court."], "appear", ("2023-02-23", "")),
        (["Police arrested four people Monday.", "Prosecutors have charged them."], "charged", ("2023-02-23", "")),
        # a noun in another verb's clause, a relative clause: not told as the scene's act
        (["The leaders met on Feb. 10.", "After the meeting, the president flew home."], "meeting", ("2023-02-23", "")),
        (
            ["Police arrested four people Monday.", "An official, who asked not to be named, said more arrests were likely."],
            "asked",
            ("2023-02-23", ""),
        ),
        # a year is background, not a scene; a date ahead is a plan
        (["The two men met in 2019.", "The governor endorsed him."], "endorsed", ("2023-02-23", "")),
        (["The summit opens on March 10.", "The ministers agreed on an agenda."], "agreed", ("2023-02-23", "")),
    ],
)
def test_dates_event_date_sets_an_undated_past_act_in_the_story_frame(
    nlp, texts: list[str], trigger: str, expected: tuple[str, str]
) -> None:
    assert date_in_story(nlp, texts, trigger) == expected


def test_dates_event_date_without_a_frame_keeps_the_publication_date(nlp) -> None:
    doc = nlp("A 30-year-old man was arrested.")
    token = next(t for t in doc if t.text == "arrested")
    assert event_date(find_timexes(doc[:], THU), token, THU) == (DateValue("2023-02-23", "day"), "")


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        # a present participle describing a noun takes the time of its clause
        ("The two engineers were kidnapped by men wearing police uniforms in March 2021.", "kidnapped", ("2021-03", "March 2021")),
        ("Troops seized a ship carrying rifles on Tuesday.", "seized", ("2023-02-21", "Tuesday")),
        # a past participle describing a noun keeps its own time: the report's date, not the ban's
        ("The government banned the group named in a report published on Feb. 1.", "banned", ("2023-02-23", "")),
    ],
)
def test_dates_event_date_present_participle_of_a_noun_dates_its_clause(
    nlp, sentence: str, trigger: str, expected: tuple[str, str]
) -> None:
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    value, date_text = event_date(find_timexes(doc[:], THU), token, THU)
    assert (value.value, date_text) == expected


@pytest.mark.parametrize(
    ("sentence", "expression", "expected"),
    [
        # a verb in the present keeps its tense under a past verb, and looks forward under a future one
        ("He said the firm, which reports in March, voted.", "March", "present"),
        ("He said the firm, which meets on Monday, voted.", "Monday", "future"),  # a timetable
        ("We will decide when we meet on Monday.", "Monday", "future"),
        ("He said the firm met on Monday.", "Monday", "past"),
        ("Officials said they were searching the area on Monday.", "Monday", "past"),
    ],
)
def test_dates_clause_tense_finite_present_inherits_only_the_future(nlp, sentence: str, expression: str, expected: str) -> None:
    doc = nlp(sentence)
    start = doc.text.find(expression)
    span = doc.char_span(start, start + len(expression))
    assert clause_tense(span) == expected


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        # fiscal and reporting periods are given as the year they are named from
        ("Profit rose 5% in this fiscal year.", date(1989, 11, 2), [("this fiscal year", "1989")]),
        ("The company expects losses in the current fiscal year.", date(1989, 11, 2), [("the current fiscal year", "1989")]),
        ("Sales fell last fiscal year.", date(1989, 11, 2), [("last fiscal year", "1988")]),
        ("The merger should close by year-end.", date(1989, 11, 2), [("year-end", "1989")]),
        ("Output grew 3% in calendar 1988.", date(1989, 11, 2), [("calendar 1988", "1988")]),
    ],
)
def test_dates_find_timexes_fiscal_and_calendar_years(nlp, sentence: str, published: date, expected: list) -> None:
    assert [(t.text, t.value.value) for t in find_timexes(nlp(sentence)[:], published)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an infinitive under "able" reports what happened: a weekday there looks back
        ("Officers were able to arrest the man on Monday.", "2023-02-20"),
        ("The rebels were unable to take the town on Tuesday.", "2023-02-21"),
        # a plan still looks forward
        ("Officers are expected to arrest the man on Monday.", "2023-02-27"),
    ],
)
def test_dates_find_timexes_outcome_infinitives_look_back(nlp, sentence: str, expected: str) -> None:
    assert [t.value.value for t in find_timexes(nlp(sentence)[:], THU)] == [expected]


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # the first day the narration names at most three days before publication
        (["The council has approved the budget.", "The mayor said on Tuesday that taxes would not rise."], ("2023-02-21", "Tuesday")),
        (["Rioters set fire to two cars late on Wednesday night.", "Police made arrests on Monday."], ("2023-02-22", "Wednesday night")),
        (["The senators debated for six hours yesterday.", "They vote next week."], ("2023-02-22", "yesterday")),
        # the publication day named first: the story is the day's own
        (["The minister resigned today.", "Yesterday he had denied the reports."], None),
        # a day further back is a day in the story, not the story's day
        (["The minister resigned.", "He was accused on Feb. 3 of lying."], None),
        # quoted words are the speaker's, a stamp line is the article's, "later in the day" counts from another day
        (['"Today we won," the coach said after the match.', "Fans celebrated."], None),
        (["February 23, 2023", "The minister resigned.", "He told reporters on Tuesday he was tired."], ("2023-02-21", "Tuesday")),
        (["Updated: 22 Feb 2023, 22:11 GMT+10", "He told reporters on Tuesday he was tired."], ("2023-02-21", "Tuesday")),
        (["Later in the day, the minister resigned."], None),
        # the publication day named anywhere makes the story the day's own
        (["Ambassadors who arrived last night met officials.", "The premier renewed his offer today."], None),
        # a quotation going on from the sentence before is the speaker's too
        (['"We lost ground. Nothing tonight changed that."', "Voters met the candidate on Tuesday."], ("2023-02-21", "Tuesday")),
        (["No date here."], None),
        # a transcript is the day it was spoken
        (["QUESTION: Did they meet on Tuesday?", "MR SMITH: They met yesterday.", "QUESTION: Thank you."], None),
    ],
)
def test_dates_story_day_first_recent_day_of_the_narration(texts: list[str], expected: tuple[str, str] | None) -> None:
    found = story_day(texts, THU)
    assert ((found[0].value, found[1]) if found else None) == expected


def date_in_story_day(nlp, sentence: str, trigger: str, lede: bool) -> tuple[str, str]:
    """Return the date of the act ``trigger`` names in ``sentence`` (the story's first, when ``lede``) of a story about
    last Tuesday."""
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    story = StoryTime((DateValue("2023-02-21", "day"), "Tuesday"), {}, sentence if lede else "The first sentence.")
    value, date_text = event_date(find_timexes(doc[:], THU), token, THU, None, story)
    return value.value, date_text


@pytest.mark.parametrize(
    ("sentence", "trigger", "lede", "expected"),
    [
        # an undated act told in the past, or in the perfect in the story's first sentence, is set at the story's day
        ("Officers searched the area and arrested a suspect.", "arrested", False, ("2023-02-21", "Tuesday")),
        (
            "Protesters tried to force their way into the theater where the president watched a play.",
            "tried",
            False,
            ("2023-02-21", "Tuesday"),
        ),
        ("The council has approved the budget.", "approved", True, ("2023-02-21", "Tuesday")),
        # further on, the perfect gives background
        ("The council has approved the budget.", "approved", False, ("2023-02-23", "")),
        # a date of the act's own wins
        ("The council approved the budget on Feb. 3.", "approved", False, ("2023-02-03", "Feb. 3")),
        # a present or future act stays at the publication date, and so does an adjective
        ("The council says the budget is balanced.", "says", False, ("2023-02-23", "")),
        ("The council will approve the budget.", "approve", False, ("2023-02-23", "")),
        ("Farmers opposed the proposed tax.", "proposed", True, ("2023-02-23", "")),
        # an act named as what came before another is earlier than the story's day
        ("The prosecutor closed the case after further investigations.", "investigations", False, ("2023-02-23", "")),
        # background: an adverb like "previously", a stretch of weeks or months
        ("The minister was previously accused of fraud.", "accused", False, ("2023-02-23", "")),
        ("She won her first title since returning from leave.", "returning", False, ("2023-02-23", "")),
        ("The ministry has in the past rejected the claim.", "rejected", True, ("2023-02-23", "")),
        ("He said both sides were moving towards talks.", "talks", False, ("2023-02-23", "")),
        ("Negotiators spent weeks debating the size of the package.", "debating", False, ("2023-02-23", "")),
        # a day or month told elsewhere in the sentence sets it at another time; a year or a noun's date does not
        ("They flew to Chile and bought a van in January.", "flew", False, ("2023-02-23", "")),
        ("Prosecutors dropped the 2010 charges.", "dropped", False, ("2023-02-21", "Tuesday")),
        ("Pointing to Monday's vote, he accused the leaders of cheating.", "accused", False, ("2023-02-21", "Tuesday")),
    ],
)
def test_dates_event_date_sets_an_undated_past_act_at_the_story_day(
    nlp, sentence: str, trigger: str, lede: bool, expected: tuple[str, str]
) -> None:
    assert date_in_story_day(nlp, sentence, trigger, lede) == expected


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        # a clause describing the trigger noun dates it
        ("Delegates praised the outcome of the regional summit, held on Feb. 4.", "summit", ("2023-02-04", "Feb. 4")),
        ("The pledge made at the January conference in Rome was kept, the minister said last week.", "pledge", ("2023-01", "January")),
        ("Officials discussed the talks that ended on Tuesday.", "talks", ("2023-02-21", "Tuesday")),
        # a participle describing another noun dates that noun, not the act
        ("The two parties welcomed the deal on a transition period starting in March 2024.", "deal", ("2023-02-23", "")),
        # a year written before another noun names that thing: "the 1967 lines" is no date of the act
        ("The president restated his support for a border based on the 1967 lines.", "restated", ("2023-02-23", "")),
        ("The minister defended the 2015 agreement on Monday.", "defended", ("2023-02-20", "Monday")),
        # the trigger's own year stays, and a day before a noun further off is the act's setting
        ("The rebels broke the 2019 ceasefire.", "ceasefire", ("2019", "2019")),
        ("She changed her account of the Feb. 10 meeting to say they discussed aid.", "discussed", ("2023-02-10", "Feb. 10")),
        # a year written in digits dates history
        ("The two countries established diplomatic relations in 1861.", "established", ("1861", "1861")),
    ],
)
def test_dates_event_date_clauses_and_nouns_a_date_belongs_to(nlp, sentence: str, trigger: str, expected: tuple[str, str]) -> None:
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    value, date_text = event_date(find_timexes(doc[:], THU), token, THU)
    assert (value.value, date_text) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the present of a timetable looks forward
        ("The trade minister leaves for Tokyo on Saturday.", "2023-02-25"),
        ("The envoy, who arrives in Cairo on Monday, met the king.", "2023-02-27"),
        ("Parliament votes Tuesday on the budget.", "2023-02-28"),
        # a verb of saying, a weekday said of a noun, a past verb: looking back as before
        ("The ministry says Friday was the worst day of fighting.", "2023-02-17"),
        ("The death toll of Monday's quake stands at 40.", "2023-02-20"),
        ("The minister left for Tokyo on Saturday.", "2023-02-18"),
    ],
)
def test_dates_find_timexes_present_timetable_weekday_looks_forward(nlp, sentence: str, expected: str) -> None:
    assert [t.value.value for t in find_timexes(nlp(sentence)[:], THU)] == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # seasons are found by our patterns alone, with or without a year (extraction runs no NER on most sentences)
        ("The treaty was signed last autumn in Geneva.", [("last autumn", "2022")]),
        ("Talks stalled this past summer.", [("this past summer", "2022")]),
        ("The port reopened in the spring of 2019.", [("spring of 2019", "2019")]),
    ],
)
def test_dates_find_timexes_seasons_without_ner(nlp, sentence: str, expected: list[tuple[str, str]]) -> None:
    with nlp.select_pipes(disable=["ner"]):
        doc = nlp(sentence)
    assert [(t.text, t.value.value) for t in find_timexes(doc[:], THU)] == expected


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # the act told before is dated by the narration, not by words quoted in its sentence
        ('"Yesterday we rejected the bill." Both senators then accused the leaders of cheating.', "accused", ("2023-02-23", "")),
        ("The senator spoke on Tuesday. She also accused the leaders of cheating.", "accused", ("2023-02-21", "Tuesday")),
    ],
)
def test_dates_event_date_act_told_before_ignores_quoted_dates(nlp, text: str, trigger: str, expected: tuple[str, str]) -> None:
    doc = nlp(text)
    token = next(t for t in doc if t.text == trigger)
    value, date_text = event_date(find_timexes(token.sent, THU), token, THU)
    assert (value.value, date_text) == expected


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # an occasion noun named with a date before it, or just before the date, takes that date
        (["The collapse of talks on grain export quotas last week angered farmers."], {"talks": ("2023-W07", "last week")}),
        (["Voters watched Wednesday's debate closely."], {"debate": ("2023-02-22", "Wednesday")}),
        (["The summit in Oslo on Feb. 2 ended early.", "The summit was praised."], {"summit": ("2023-02-02", "Feb. 2")}),
        # a date ahead is a plan, quoted words the speaker's, a noun far from the date no occasion of it
        (["The talks will resume on March 3."], {}),
        (['"The meeting on Monday was a farce," she said.'], {}),
        (["The meeting of the committee that oversees the budget of the city and its schools ended in chaos on Monday."], {}),
    ],
)
def test_dates_occasion_dates_nouns_named_with_a_date(texts: list[str], expected: dict[str, tuple[str, str]]) -> None:
    assert {noun: (value.value, words) for noun, (value, words) in occasion_dates(texts, THU).items()} == expected


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        # a past act set at or during an occasion the article dated takes its date
        ("France backed the African producers during the talks.", "backed", ("2023-W07", "last week")),
        ("Two delegations walked out at the London talks.", "walked", ("2023-W07", "last week")),
        # not an occasion of the article, not at it, or not told in the past
        ("France backed the African producers during the meeting.", "backed", ("2023-02-23", "")),
        ("France backed the African producers before the talks.", "backed", ("2023-02-23", "")),
        ("France will back the African producers at the talks.", "back", ("2023-02-23", "")),
    ],
)
def test_dates_event_date_act_at_an_occasion_takes_its_date(nlp, sentence: str, trigger: str, expected: tuple[str, str]) -> None:
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    story = StoryTime(None, {"talks": (DateValue("2023-W07", "week"), "last week")})
    value, date_text = event_date(find_timexes(doc[:], THU), token, THU, None, story)
    assert (value.value, date_text) == expected


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        # the headline's present tells the story's news: it is set at the story's day
        ("Senate Passes Budget Bill", "Passes", ("2023-02-21", "Tuesday")),
        # a body sentence in the present is not the headline
        ("The senate passes the budget every year.", "passes", ("2023-02-23", "")),
    ],
)
def test_dates_event_date_headline_at_the_story_day(nlp, sentence: str, trigger: str, expected: tuple[str, str]) -> None:
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    story = StoryTime((DateValue("2023-02-21", "day"), "Tuesday"), {}, "The first sentence.", "Senate Passes Budget Bill")
    value, date_text = event_date(find_timexes(doc[:], THU), token, THU, None, story)
    assert (value.value, date_text) == expected
