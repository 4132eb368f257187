"""kg.nlp.parse: the shared index-based helpers give spaCy's own answers."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp import build_pipeline
from kg.nlp.parse import Parse, ParseView, parse_of
from kg.settings import DEFAULT_MODEL

TEXTS = [
    "Protesters gathered in Minsk on Monday. Police detained 40 of them, the U.S. embassy said.",
    'He said: "We will not leave."  \n\nThe minister, who resigned, (reluctantly) agreed.',
    "  Leading spaces, a dash - and a slash/word; then the end...",
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline(DEFAULT_MODEL)


@pytest.fixture(scope="module", params=range(len(TEXTS)))
def doc(nlp: Language, request: pytest.FixtureRequest) -> Doc:
    return nlp(TEXTS[request.param])


def hand_built(nlp: Language) -> Doc:
    """A doc with a whitespace token, childless punctuation and a non-projective arc."""
    words = ["Yesterday", "the", "man", "came", "\n", "who", "was", "tired", ",", "home", "."]
    heads = [3, 2, 3, 3, 3, 6, 2, 6, 3, 3, 3]
    deps = ["npadvmod", "det", "nsubj", "ROOT", "dep", "nsubj", "relcl", "acomp", "punct",
            "advmod", "punct"]  # fmt: skip
    spaces = [True, True, True, False, False, True, True, False, True, False, False]
    return Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps)


def test_columns_match_the_tokens(doc: Doc) -> None:
    parse = Parse(doc)
    assert parse.text == doc.text
    for token in doc:
        i = token.i
        assert parse.words[i] == token.text and parse.lower[i] == token.lower_
        assert (parse.lemma[i], parse.pos[i], parse.tag[i]) == (
            token.lemma_,
            token.pos_,
            token.tag_,
        )
        assert parse.dep[i] == token.dep_ and parse.head[i] == token.head.i
        assert (parse.idx[i], parse.end[i]) == (token.idx, token.idx + len(token))
        assert parse.children[i] == [c.i for c in token.children]
        assert parse.subtree(i) == [t.i for t in token.subtree]
        assert parse.sentence_start(i) == token.sent.start
        assert [parse.sent_starts[parse.sentence_of(i)]] == [token.sent.start]


def test_char_span_expands_as_spacy_does(doc: Doc) -> None:
    parse = Parse(doc)
    size = len(doc.text)
    for start in range(size):
        for end in range(start + 1, size + 1):
            span = doc.char_span(start, end, alignment_mode="expand")
            expected = None if span is None else (span.start, span.end)
            assert parse.char_span(start, end) == expected, (start, end)


def test_offsets_of_every_token_range_give_the_range_back(nlp: Language, doc: Doc) -> None:
    for each in (doc, hand_built(nlp)):
        told, fresh = Parse(each), Parse(each)
        for start in range(len(each)):
            for end in range(start + 1, len(each) + 1):
                where = told.offsets(start, end)
                assert where == (each[start:end].start_char, each[start:end].end_char)
                assert fresh.char_span(*where) == told.char_span(*where) == (start, end)


def test_root_of_every_span_is_spacys(nlp: Language, doc: Doc) -> None:
    for each in (doc, hand_built(nlp)):
        parse = Parse(each)
        for first in range(len(each)):
            for last in range(first + 1, len(each) + 1):
                assert parse.root(first, last) == each[first:last].root.i, (first, last)


def test_hand_built_tree(nlp: Language) -> None:
    doc = hand_built(nlp)
    parse = Parse(doc)
    for token in doc:
        assert parse.children[token.i] == [c.i for c in token.children]
        assert parse.subtree(token.i) == [t.i for t in token.subtree]
        assert parse.is_ancestor(3, token.i) == (token.i != 3)
    assert parse.is_punct[8] and parse.words[4].isspace()
    assert parse.root(7, 9) == 7  # the childless comma is never preferred
    assert parse.with_dep(3, "punct", "advmod") == [8, 9, 10]


def test_parse_is_made_once_per_doc(nlp: Language) -> None:
    doc = nlp("Police detained 40 protesters in Minsk.")
    assert parse_of(doc) is parse_of(doc) is doc._.parse


def test_a_view_shares_the_parse(nlp: Language) -> None:
    doc = nlp("Police detained 40 protesters in Minsk.")
    view = ParseView(doc)
    assert view.head is parse_of(doc).head and view.doc is doc and len(view) == len(doc)
    assert view.char_span(0, 6) == (0, 1) and (0, 6) in parse_of(doc)._spans
