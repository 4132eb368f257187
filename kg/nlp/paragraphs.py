"""Paragraph breaks and datelines are sentence breaks, never joined to the next sentence."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

DASHES = {"—", "–", "--", "-"}
MAX_DATELINE_TOKENS = 8


@Language.component("newskg_paragraphs", assigns=["token.is_sent_start"])
def newskg_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every blank line and after a `CITY, Country —` dateline lead."""
    paragraph_start = True
    for token in doc:
        if paragraph_start and not token.is_space:
            token.is_sent_start = True
            _split_dateline(doc, token)
            paragraph_start = False
        if "\n\n" in token.whitespace_ or (token.is_space and "\n\n" in token.text):
            paragraph_start = True
    return doc


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
