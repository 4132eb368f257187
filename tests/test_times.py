"""newskg_times: time expressions resolved against the publication date."""

from __future__ import annotations

import re
import string
import sys

import pytest
from spacy.language import Language

from kg.nlp import build_pipeline
from kg.nlp.times import CASE_OUTLIERS, TextScan, fold_case
from kg.read import read_inputs
from kg.resources import resource_dir
from kg.settings import DEFAULT_MODEL

FRIDAY = "2025-09-12"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return build_pipeline(DEFAULT_MODEL)


def times(nlp: Language, text: str, published: str | None) -> list[tuple[str, str]]:
    doc = nlp.make_doc(text)
    doc._.published = published
    doc = nlp(doc)
    for t in doc._.times:
        assert doc.text[t.start : t.end] == t.text
    return [(t.text, t.value) for t in doc._.times]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The talks ended on Thursday.", FRIDAY, [("Thursday", "2025-09-11")]),
        ("The talks ended on Friday.", FRIDAY, [("Friday", "2025-09-12")]),
        ("The ministers will meet next Monday.", FRIDAY, [("next Monday", "2025-09-15")]),
        ("The ministers will meet on Tuesday.", FRIDAY, [("Tuesday", "2025-09-16")]),
        ("The court ruled yesterday.", FRIDAY, [("yesterday", "2025-09-11")]),
        ("Voting starts today.", FRIDAY, [("today", "2025-09-12")]),
        ("The result is due tomorrow.", FRIDAY, [("tomorrow", "2025-09-13")]),
        ("They spoke last month.", FRIDAY, [("last month", "2025-08")]),
        ("They spoke last month.", "2025-01-20", [("last month", "2024-12")]),
        ("Prices rose last year.", FRIDAY, [("last year", "2024")]),
        ("Prices rose this year.", FRIDAY, [("this year", "2025")]),
        ("Prices rose earlier this month.", FRIDAY, [("earlier this month", "2025-09")]),
        ("The pair met in June.", FRIDAY, [("June", "2025-06")]),
        ("The pair met in June.", "2025-03-03", [("June", "2024-06")]),
        ("A summit is planned for next June.", FRIDAY, [("next June", "2026-06")]),
        ("It happened on June 3.", FRIDAY, [("June 3", "2025-06-03")]),
        ("It happened on 3 June.", FRIDAY, [("3 June", "2025-06-03")]),
        ("It happened on Sept. 11, 2025.", FRIDAY, [("Sept. 11, 2025", "2025-09-11")]),
        ("Signed Thursday, Sept. 11, 2025, in Rome.", None,
         [("Thursday, Sept. 11, 2025", "2025-09-11")]),
        ("He was jailed in August 2020.", FRIDAY, [("August 2020", "2020-08")]),
        ("He has been held since February 2023.", FRIDAY, [("February 2023", "2023-02")]),
        ("He was first arrested in 2020.", FRIDAY, [("2020", "2020")]),
        ("He disputed the 2020 elections.", FRIDAY, [("2020", "2020")]),
        ("She left two years ago.", FRIDAY, [("two years ago", "2023")]),
        ("She left a month ago.", FRIDAY, [("a month ago", "2025-08")]),
        ("She left three days ago.", FRIDAY, [("three days ago", "2025-09-09")]),
        ("He was arrested in 2019 and convicted a year later.", FRIDAY,
         [("2019", "2019"), ("a year later", "2020")]),
    ],
)  # fmt: skip
def test_time_grammar(nlp: Language, text: str, published: str | None, expected: list) -> None:
    assert times(nlp, text, published) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He has ruled for more than three decades.",
        "She served six years in prison.",
        "He spent 11 years abroad.",
        "The fund holds $2020 in cash.",
        "In the 1990s the city grew.",
    ],
)
def test_durations_and_numbers_are_not_dates(nlp: Language, text: str) -> None:
    assert times(nlp, text, FRIDAY) == []


def test_without_publication_date_only_absolute_dates(nlp: Language) -> None:
    found = times(nlp, "On Thursday, a year after the March 4, 2021 vote, they met.", None)
    assert found == [("March 4, 2021", "2021-03-04")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The strike ended on Tuesday, a day after workers blocked the port.",
            [("Tuesday", "2025-09-09"), ("a day after", "2025-09-08")],
        ),
        (
            "The talks ended on Monday. Two days later, the envoys met again.",
            [("Monday", "2025-09-08"), ("Two days later", "2025-09-10")],
        ),
        (
            "The blast came on Monday, three days before the army is due to begin drills.",
            [("Monday", "2025-09-08"), ("three days before", "2025-09-11")],
        ),
        (
            "She was detained in March 2019 and sentenced the following year.",
            [("March 2019", "2019-03"), ("the following year", "2020")],
        ),
        (
            "Crowds gathered on Sunday. Police detained 200 people that night.",
            [("Sunday", "2025-09-07"), ("that night", "2025-09-07")],
        ),
        (
            "Shelling went on between late Monday and early Tuesday.",
            [("between late Monday and early Tuesday", "2025-09")],
        ),
        (
            "Police raided offices in the days before Sunday's vote.",
            [("the days before Sunday", "2025-09")],
        ),
    ],
)
def test_relative_and_range_expressions(
    nlp: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    assert times(nlp, text, FRIDAY) == expected


def test_future_date_is_not_the_anchor_of_a_past_chain(nlp: Language) -> None:
    text = (
        "He was detained on Monday. A judge is to rule on Oct. 2 whether to free him. "
        "A day later, his lawyers filed an appeal."
    )
    assert times(nlp, text, FRIDAY) == [
        ("Monday", "2025-09-08"),
        ("Oct. 2", "2025-10-02"),
        ("A day later", "2025-09-09"),
    ]


def test_scheduled_for_a_weekday_is_the_future(nlp: Language) -> None:
    assert times(nlp, "A runoff set for Sunday was announced.", FRIDAY) == [
        ("Sunday", "2025-09-14")
    ]


def test_day_offset_counts_from_the_last_day_named(nlp: Language) -> None:
    text = "Troops seized the palace on September 2. In 2015 he had won. Police acted a day later."
    assert times(nlp, text, FRIDAY)[-1] == ("a day later", "2025-09-03")


def test_the_day_after_an_event_opening_a_sentence(nlp: Language) -> None:
    text = "The editor was detained on September 4. The day after his detention, he spoke."
    assert times(nlp, text, FRIDAY) == [
        ("September 4", "2025-09-04"),
        ("The day after", "2025-09-05"),
    ]
    assert times(nlp, "He spoke on September 4, the day after the vote.", FRIDAY) == [
        ("September 4", "2025-09-04")
    ]


def test_hours_later_is_the_last_day_named(nlp: Language) -> None:
    text = "The activist was detained on Monday. Hours later, police raided her office."
    assert times(nlp, text, FRIDAY) == [("Monday", "2025-09-08"), ("Hours later", "2025-09-08")]


ANCHOR_TEXTS = [
    "On Tuesday, September 9, 2025 the court met; by the 3rd of March it had adjourned.",
    "Talks resumed in Sept. 2024 and again in May of 2023, weeks before the vote.",
    "Two HOURS LATER, and a few minutes after that, police arrived; moments before midnight.",
    "They met between late Monday and early Wednesday, Three Days Later.",
    "The Day After the vote, TODAY's talks and that same evening; the weeks before Sunday.",
    "twenty-one days ago, 3 weeks earlier, the following month, next week, last year, 1990s",
    "Mid-June 2019,June 5th; 5 June; the 1st of Jan.; jan 3 (2021); $2020 1999% 2018/19 2017.5",
    "Thursday\u2019s vote; Fri. 12 Sept. and the night before; the same\nmorning; THAT NIGHT",
    "In \u0130zmir on \u017funday; the dotless \u0131 in Ayd\u0131n; the same_day; a_2020_b",
    "earlier this month, later this year, the week after, in the days before, on the day",
]


def _spans(matches: object) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ANCHOR_TEXTS)
def test_each_rule_tried_near_its_words_finds_what_a_scan_finds(nlp: Language, text: str) -> None:
    """Anchored matching is exact: no match of a rule starts away from its anchor words."""
    grammar = nlp.get_pipe("newskg_times").grammar
    scan = TextScan(text, fold_case(text))
    found = 0
    for pattern, anchor in grammar.anchors.items():
        expected = _spans(pattern.finditer(text))
        assert _spans(anchor.matches(scan)) == expected, pattern.pattern[:60]
        found += len(expected)
    assert found  # the text exercises the rules


def test_every_rule_has_anchor_words(nlp: Language) -> None:
    grammar = nlp.get_pipe("newskg_times").grammar
    assert {pattern for pattern, _rule in grammar.rules} == set(grammar.anchors)


def test_anchors_hold_on_the_sample_articles(nlp: Language) -> None:
    grammar = nlp.get_pipe("newskg_times").grammar
    texts = [a.text for a in read_inputs([str(resource_dir("articles"))])]  # type: ignore[union-attr]
    assert texts
    for text in texts:
        scan = TextScan(text, fold_case(text))
        for pattern, anchor in grammar.anchors.items():
            assert _spans(anchor.matches(scan)) == _spans(pattern.finditer(text))


def test_lowering_gives_the_letter_ignorecase_matches_but_for_the_outliers() -> None:
    """Why a case-blind rule may be skipped by a look at the lowered text."""
    every_char = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    outliers = set()
    for letter in string.ascii_lowercase:
        for match in re.finditer(letter, every_char, re.IGNORECASE):
            if match.group().lower() != letter:
                outliers.add(match.group())
    assert outliers == CASE_OUTLIERS


def test_an_outlier_letter_changes_no_date(nlp: Language) -> None:
    text = "On Monday the Cabinet met in {}zmir; two hours later the talks ended."
    expected = [("Monday", "2025-09-08"), ("two hours later", "2025-09-08")]
    assert times(nlp, text.format("\u0130"), FRIDAY) == times(nlp, text.format("I"), FRIDAY)
    assert times(nlp, text.format("I"), FRIDAY) == expected
