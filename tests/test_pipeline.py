"""The assembled pipeline: component order and paragraph-aware sentence splitting."""

from __future__ import annotations

import pytest
import spacy

from kg.errors import ModelError
from kg.nlp import COMPONENTS, build_pipeline
from kg.nlp.extensions import doc_text
from kg.nlp.spans import MentionIndex, SentenceIndex
from kg.nlp.types import Mention
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


def test_sentence_index_gives_each_token_its_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Ostland freed a poet.\n\nHe flew to Vantor on Monday. Officials there met him.")
    sentences = SentenceIndex(doc)
    assert [(s.start, s.end) for s in sentences.sents] == [(s.start, s.end) for s in doc.sents]
    for token in doc:
        assert (sentences.of(token).start, sentences.of(token).end) == (
            token.sent.start,
            token.sent.end,
        )


def test_mention_index_finds_a_long_mention_that_starts_far_back() -> None:
    doc = spacy.blank("en")("The long-serving foreign minister of Ostland met Vantor envoys today.")
    doc._.mentions = [
        Mention(0, 44, doc.text[0:44], "Person:A", "title"),
        Mention(37, 44, "Ostland", "Country:Ostland"),
        Mention(49, 55, "Vantor", "Country:Vantor"),
    ]
    index = MentionIndex(doc)
    for start in range(len(doc.text)):
        for end in range(start + 1, len(doc.text) + 1):
            expected = [m for m in index.mentions if m.start < end and start < m.end]
            assert index.at(start, end) == expected
    assert [m.actor for m in index.at(40, 41)] == ["Person:A", "Country:Ostland"]


def test_text_is_joined_once_and_kept(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Freedonia freed two fishermen on Monday.\n\nThey went home.")
    assert doc._.text == doc.text
    assert doc_text(doc) is doc._.text


def test_text_of_a_fresh_doc_is_its_own(nlp) -> None:  # type: ignore[no-untyped-def]
    first, second = nlp.make_doc("Freedonia voted."), nlp.make_doc("Sylvania voted.")
    assert (doc_text(first), doc_text(second)) == ("Freedonia voted.", "Sylvania voted.")
