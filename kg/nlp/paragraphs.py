"""Paragraph breaks and datelines are sentence breaks, never joined to the next sentence; a
possessive apostrophe or a closing quotation mark never ends one."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

DASHES = {"—", "–", "--", "-"}
APOSTROPHES = {"'", "’"}
CLOSING_QUOTES = {"”", "’", '"'}
SENTENCE_ENDS = {".", "?", "!"}
MAX_DATELINE_TOKENS = 8


@Language.component("newskg_paragraphs", assigns=["token.is_sent_start"])
def newskg_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every blank line and after a `CITY, Country —` dateline lead."""
    # the loop reads the token texts once and makes `Token` objects only where a rule applies
    # (`token.is_space` is `str.isspace`; a token's own whitespace is one space at most)
    words = [token.text for token in doc]
    paragraph_start = True
    for i, word in enumerate(words):
        if paragraph_start and not word.isspace():
            token = doc[i]
            token.is_sent_start = True
            _split_dateline(doc, token)
            paragraph_start = False
        elif not paragraph_start and i > 0 and _may_attach(words[i - 1], word):
            _keep_attached(doc[i - 1], doc[i])
        if word.isspace() and "\n\n" in word:
            paragraph_start = True
    return doc


def _may_attach(prev: str, word: str) -> bool:
    """Whether `_keep_attached` can apply to two words: only around apostrophes and quotes."""
    return prev in APOSTROPHES or word in CLOSING_QUOTES


def _keep_attached(prev: Token, token: Token) -> None:
    """Forbid two bad splits the parser makes: after a possessive apostrophe ("Belarus’ |
    Alexander Lukashenko") and before the quotation mark closing a quoted sentence
    ('... in the region. | "')."""
    if "\n" in prev.whitespace_:
        return
    possessive = (
        prev.text in APOSTROPHES
        and prev.whitespace_ != ""
        and prev.i > 0
        and prev.doc[prev.i - 1].whitespace_ == ""
        and prev.doc[prev.i - 1].text[-1:].lower() == "s"
    )
    closing = token.text in CLOSING_QUOTES and prev.text in SENTENCE_ENDS and not prev.whitespace_
    if possessive or closing:
        token.is_sent_start = False
    if closing:  # '... release." They left.': the sentence ends after the quotation mark
        following = next((t for t in token.doc[token.i + 1 :] if not t.is_space), None)
        if following is not None and following.text[:1].isupper():
            following.is_sent_start = True


def _split_dateline(doc: Doc, first: Token) -> None:
    """A paragraph opening with an upper-case place and a dash: a sentence starts after it."""
    if not (first.is_upper and len(first.text) > 1):
        return
    end = min(len(doc), first.i + MAX_DATELINE_TOKENS)
    for token in doc[first.i : end]:
        if token.text in DASHES and token.i > first.i and token.i + 1 < len(doc):
            doc[token.i + 1].is_sent_start = True
            return
        if not (token.text == "," or token.text[:1].isupper()):
            return
