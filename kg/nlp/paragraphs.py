"""Paragraph breaks and datelines are sentence breaks, never joined to the next sentence; a
possessive apostrophe or a closing quotation mark never ends one."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.errors import Errors
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

DASHES = {"—", "–", "--", "-"}
APOSTROPHES = {"'", "’"}
CLOSING_QUOTES = {"”", "’", '"'}
SENTENCE_ENDS = {".", "?", "!"}
MAX_DATELINE_TOKENS = 8
#: The ORTH ids of the words `_keep_attached` is about, found in a doc without `Token` objects.
APOSTROPHE_IDS = sorted(get_string_id(word) for word in APOSTROPHES)
CLOSING_QUOTE_IDS = sorted(get_string_id(word) for word in CLOSING_QUOTES)

SentStarts = dict[int, bool]
"""Token index -> whether a sentence starts there, as the rules decide it (the last one wins)."""


@Language.component("newskg_paragraphs", assigns=["token.is_sent_start"])
def newskg_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every blank line and after a `CITY, Country —` dateline lead."""
    # The rules apply at few tokens. One `to_array` of token ids and space flags finds them, and
    # only they become `Token` objects; they are visited in text order, as a loop over every
    # token would, so that where two rules decide one token the later one still wins.
    orths, spaces = doc.to_array([ORTH, IS_SPACE]).T
    starts = _paragraph_starts(doc, orths, spaces)
    found: SentStarts = {}
    for i in sorted(starts.union(_attachable(orths))):
        if i in starts:
            found[i] = True
            _split_dateline(doc, doc[i], found)
        else:
            _keep_attached(doc[i - 1], doc[i], found)
    _set_sent_starts(doc, found)
    return doc


def _paragraph_starts(doc: Doc, orths: NDArray[np.uint64], spaces: NDArray[np.uint64]) -> set[int]:
    """The first token that is not white space, in the text and after each blank line (a space
    token holding two line breaks)."""
    words = np.flatnonzero(spaces == 0)
    space_ids = set(orths[spaces != 0].tolist())  # a few: most space tokens are alike
    break_ids = [orth for orth in space_ids if "\n\n" in doc.vocab.strings[orth]]
    breaks = np.flatnonzero(_is_one_of(orths, break_ids)) if break_ids else []
    found = np.searchsorted(words, [-1, *breaks], side="right")
    return {int(words[k]) for k in found.tolist() if k < len(words)}


def _attachable(orths: NDArray[np.uint64]) -> set[int]:
    """The tokens `_keep_attached` may apply to, with the one before: an apostrophe before
    them or a closing quotation mark themselves (`_keep_attached` checks the texts)."""
    near = _is_one_of(orths[:-1], APOSTROPHE_IDS) | _is_one_of(orths[1:], CLOSING_QUOTE_IDS)
    return set((np.flatnonzero(near) + 1).tolist())


def _is_one_of(orths: NDArray[np.uint64], ids: list[int]) -> NDArray[np.bool_]:
    """`np.isin` for a few ids, at a fraction of its cost."""
    mask = orths == ids[0]
    for orth in ids[1:]:
        mask |= orths == orth
    return mask


def _set_sent_starts(doc: Doc, found: SentStarts) -> None:
    """Write the decided sentence starts with one `from_array`: the `is_sent_start` setter scans
    the whole doc for a parse at each call. Like the setter, refuse a parsed doc."""
    if not found:
        return
    if doc.has_annotation("DEP"):
        raise ValueError(Errors.E043)
    values = doc.to_array(SENT_START)
    signed = values.view(np.int64)  # spaCy keeps "not a start" as -1 in the unsigned array
    for i, start in found.items():
        signed[i] = 1 if start else -1
    doc.from_array([SENT_START], values)


def _keep_attached(prev: Token, token: Token, found: SentStarts) -> None:
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
        found[token.i] = False
    if closing:  # '... release." They left.': the sentence ends after the quotation mark
        following = next((t for t in token.doc[token.i + 1 :] if not t.is_space), None)
        if following is not None and following.text[:1].isupper():
            found[following.i] = True


def _split_dateline(doc: Doc, first: Token, found: SentStarts) -> None:
    """A paragraph opening with an upper-case place and a dash: a sentence starts after it."""
    if not (first.is_upper and len(first.text) > 1):
        return
    end = min(len(doc), first.i + MAX_DATELINE_TOKENS)
    for token in doc[first.i : end]:
        if token.text in DASHES and token.i > first.i and token.i + 1 < len(doc):
            found[token.i + 1] = True
            return
        if not (token.text == "," or token.text[:1].isupper()):
            return
