"""The assembled pipeline: component order and paragraph-aware sentence splitting."""

from __future__ import annotations

import pytest

from kg.errors import ModelError
from kg.nlp import COMPONENTS, build_pipeline
from kg.settings import DEFAULT_MODEL


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return build_pipeline(DEFAULT_MODEL)


def test_components_run_after_the_model_in_order(nlp) -> None:  # type: ignore[no-untyped-def]
    names = nlp.pipe_names
    assert names[-len(COMPONENTS) :] == list(COMPONENTS)
    assert names.index("newskg_paragraphs") < names.index("parser")


def test_blank_line_starts_a_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Freedonia lifts sanctions on its neighbour\n\nFreedonia lifted sanctions on Monday.")
    starts = [sent.start_char for sent in doc.sents]
    assert doc.text.index("Freedonia lifted") in starts


def test_unknown_model_names_the_model() -> None:
    with pytest.raises(ModelError, match="no_such_pipeline"):
        build_pipeline("no_such_pipeline")


def test_dateline_lead_is_its_own_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("OSLO, Norway — Norway freed two fishermen on Monday. They went home.")
    assert [sent.text for sent in doc.sents][:2] == [
        "OSLO, Norway —",
        "Norway freed two fishermen on Monday.",
    ]


def test_dash_inside_an_ordinary_paragraph_is_no_dateline(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Norway — a small country — freed two fishermen on Monday.")
    assert len(list(doc.sents)) == 1


def test_no_sentence_break_after_a_possessive_apostrophe(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Emmanuel Macron and Cyprus’ Nikos Christodoulides spoke by phone.")
    assert len(list(doc.sents)) == 1


def test_closing_quote_stays_with_its_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp('The envoy vowed to "keep pressing for their release."\nThey left.')
    assert next(sent.text for sent in doc.sents).rstrip().endswith('release."')
