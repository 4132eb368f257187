"""One per-doc table of the parse, shared by newskg's components.

Every component walks the dependency tree by token index: each `doc[i]`, `token.head` or
`token.children` of spaCy makes a new `Token`, and each `Token` attribute costs several times a
list lookup. So the parse is read once per doc with one `Doc.to_array` call into plain lists,
and the index-based helpers the rules need (`char_span` expansion, `Span.root`, `Token.subtree`,
the sentence of a token) are implemented here, once, giving spaCy's answers.

The table holds only what spaCy's own components set (words, tags, lemmas, heads, dependency
labels, sentence starts), which newskg's components never change, so one table serves all of
them: it is kept in `doc._.parse` by `parse_of`. What the components do change (`doc.ents`,
`doc._.mentions`, ...) is not in it and must be read from the doc.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cached_property
from typing import Any

import numpy
from spacy.attrs import (
    DEP,
    HEAD,
    IDX,
    IS_PUNCT,
    LEMMA,
    LENGTH,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.strings import StringStore
from spacy.tokens import Doc

from kg.nlp import extensions  # noqa: F401  (registers `doc._.parse`)

#: Forget the memoised hash -> string names past this many (the vocab keeps growing).
STRINGS_MAX = 500_000
#: The string columns of `Parse.ids`, in order.
ID_COLUMNS = (ORTH, LOWER, LEMMA, POS, TAG, DEP)
_OTHER_COLUMNS = (HEAD, IDX, LENGTH, SPACY, IS_PUNCT, SENT_START)

#: Where spaCy keeps the value of `doc._.parse`, read directly: every `doc._` makes a new
#: `Underscore` object, which costs twenty times the dict lookup, and rules ask per mention.
_KEY = ("._.", "parse", None, None)

_STRINGS: dict[int, str] = {}
#: What `char_span` finds in its memo for a range it has not seen (None is a possible answer).
_UNSEEN: Any = object()


def _strings_of(ids: list[int], store: StringStore) -> list[str]:
    """The strings of a column of hashes, memoised across docs: a `StringStore` lookup costs
    several times a dict hit, and docs repeat the same labels and words. A hash names the same
    string in every store, so one cache serves every vocab; it is bounded, as the vocab grows."""
    if len(_STRINGS) > STRINGS_MAX:
        _STRINGS.clear()
    try:
        return list(map(_STRINGS.__getitem__, ids))
    except KeyError:
        _STRINGS.update((key, store[key]) for key in set(ids).difference(_STRINGS))
        return list(map(_STRINGS.__getitem__, ids))


def parse_of(doc: Doc) -> Parse:
    """The doc's `Parse`, made by the first component that asks and kept in `doc._.parse` for
    the others (the parse does not change after spaCy's components; a doc retokenized since
    gets a new one)."""
    parse = doc.user_data.get(_KEY)
    if parse is None or parse.size != len(doc):
        parse = doc._.parse = Parse(doc)
    return parse


class Parse:
    """The parse of one doc as lists indexed by token position, named as on spaCy's `Token`
    (`words` is `text`). It keeps no reference to the doc, so keeping it in `doc._` makes no
    reference cycle."""

    def __init__(self, doc: Doc) -> None:
        table = doc.to_array([*ID_COLUMNS, *_OTHER_COLUMNS])
        self.size = len(table)
        self.ids: numpy.ndarray = numpy.ascontiguousarray(table[:, : len(ID_COLUMNS)].T)
        """The hashes of the string columns, one contiguous row each (see `ID_COLUMNS`), for
        rules that compare whole columns in numpy."""
        store = doc.vocab.strings
        self.words, self.lower, self.lemma, self.pos, self.tag, self.dep = (
            _strings_of(column, store) for column in self.ids.tolist()
        )
        offsets, starts, lengths, spaces, punct, sent_start = table[:, len(ID_COLUMNS) :].T
        self.head: list[int] = (offsets.astype(numpy.int64) + numpy.arange(self.size)).tolist()
        """Each token's head (itself for a sentence root): `HEAD` is relative, 0 for a root."""
        self.idx: list[int] = starts.tolist()
        self.end: list[int] = (starts + lengths).tolist()
        """Character offset just after each token's text."""
        self.spaces: list[int] = spaces.tolist()
        self.is_punct: list[int] = punct.tolist()
        self.text: str = doc._.text or _joined(self.words, self.spaces)
        doc._.text = self.text  # what `doc_text` keeps, at less cost than `doc.text`
        self.children = _children(self.head)
        """Each token's children in text order, as `Token.children` yields them."""
        self.sent_starts: list[int] = numpy.flatnonzero(sent_start == 1).tolist()
        """The first token of each sentence, as `doc.sents` splits them (token 0 always)."""
        if self.sent_starts[:1] != [0]:
            self.sent_starts.insert(0, 0)
        self._spans: dict[tuple[int, int], tuple[int, int] | None] = {}
        self._roots: dict[tuple[int, int], int] = {}

    def __len__(self) -> int:
        return self.size

    def id_row(self, attr: int) -> numpy.ndarray:
        """The hashes of one string column (an attribute in `ID_COLUMNS`) for every token."""
        return self.ids[ID_COLUMNS.index(attr)]

    @cached_property
    def lemmas_lower(self) -> dict[str, str]:
        """Each lemma of the doc, once, with its lower case: rules that want a few lemmas look
        here before they look at each token."""
        return {lemma: lemma.lower() for lemma in set(self.lemma)}

    def sentence_of(self, i: int) -> int:
        """The number of the sentence holding token `i` (an index into `sent_starts`)."""
        return bisect_right(self.sent_starts, i) - 1

    def sentence_start(self, i: int) -> int:
        """The first token of the sentence holding token `i`, `token.sent.start`."""
        return self.sent_starts[bisect_right(self.sent_starts, i) - 1]

    def with_dep(self, i: int, *deps: str) -> list[int]:
        """The children of token `i` attached with one of `deps`, in text order."""
        return [c for c in self.children[i] if self.dep[c] in deps]

    def span_text(self, start: int, end: int) -> str:
        """`doc[start:end].text` for a non-empty range."""
        return self.text[self.idx[start] : self.end[end - 1]]

    def char_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Token range [first, last + 1) of `doc.char_span(start, end, alignment_mode="expand")`,
        None where that is None; memoised, as the rules ask again about the same mentions."""
        span = self._spans.get((start, end), _UNSEEN)
        if span is _UNSEEN:
            span = self._spans[start, end] = self._expand(start, end)
        return span

    def offsets(self, start: int, end: int) -> tuple[int, int]:
        """The character offsets of the non-empty token range [start, end). `char_span` of them
        gives the range back, and is told so here: the later components look up the tokens of
        every mention made from such a range."""
        where = self.idx[start], self.end[end - 1]
        self._spans[where] = (start, end)
        return where

    def _expand(self, start: int, end: int) -> tuple[int, int] | None:
        first, last = self._token_at(start), self._token_at(end - 1)
        if first < 0 or last < 0:
            return None
        if start == self.end[first]:
            first += 1  # the whitespace after a token is no part of it
        return first, last + 1

    def _token_at(self, char: int) -> int:
        """The token whose text or trailing whitespace holds the character, else -1."""
        i = bisect_right(self.idx, char) - 1
        return i if i >= 0 and char < self.end[i] + self.spaces[i] else -1

    def root(self, first: int, last: int) -> int:
        """`Span.root` of the tokens [first, last); memoised."""
        if last - first == 1:
            return first
        root = self._roots.get((first, last))
        if root is None:
            root = self._roots[first, last] = self._find_root(first, last)
        return root

    def _find_root(self, first: int, last: int) -> int:
        """A sentence root among the tokens, else the one nearest the sentence root (not a bare
        punctuation or space), the first on ties, as `Span.root` chooses."""
        heads_outside: list[int] = []  # the tokens attached to one outside the span
        for i in range(first, last):
            head = self.head[i]
            if head == i:
                return i
            if not first <= head < last:
                heads_outside.append(i)
        if len(heads_outside) == 1:
            return heads_outside[0]  # a name's head word: no depths to compare
        best, root = self.size, first
        for i in heads_outside:
            depth = self._depth(i)
            if depth < best:
                best, root = depth, i
        return root

    def _depth(self, i: int) -> int:
        """Steps from the token up to its sentence root, as `Span.root` counts them: a bare
        punctuation or space token counts as far as can be."""
        if not self.children[i] and (self.is_punct[i] or self.words[i].isspace()):
            return self.size - 1
        depth = 0
        while self.head[i] != i:
            i = self.head[i]
            depth += 1
        return depth

    def subtree(self, i: int) -> list[int]:
        """`Token.subtree` in its order: the left children's subtrees, the token, the right's."""
        if not self.children[i]:  # most tokens: spare the walk
            return [i]
        found: list[int] = []
        for child in self.children[i]:
            if child > i:
                break
            found += self.subtree(child)
        found.append(i)
        found += [t for child in self.children[i] if child > i for t in self.subtree(child)]
        return found

    def is_ancestor(self, top: int, i: int) -> bool:
        """Whether token `top` is an ancestor of token `i`."""
        while self.head[i] != i:
            i = self.head[i]
            if i == top:
                return True
        return False


def _joined(words: list[str], spaces: list[int]) -> str:
    """`doc.text` from the tokens' texts and trailing spaces, without making `Token` objects."""
    return "".join([w + " " if s else w for w, s in zip(words, spaces, strict=True)])


def _children(heads: list[int]) -> list[list[int]]:
    """Each token's children in text order, from each token's head."""
    children: list[list[int]] = [[] for _ in heads]
    for i, head in enumerate(heads):
        if head != i:
            children[head].append(i)
    return children


class ParseView(Parse):
    """Base of a component's per-doc view of the shared `Parse`: the same columns and memos
    (the objects themselves, not copies, so made for the price of one dict copy) as attributes
    of the view, as the rules read them in every loop, plus the doc, for what the view adds
    from it."""

    def __init__(self, doc: Doc) -> None:  # no `super().__init__`: the parse is made once
        vars(self).update(vars(parse_of(doc)))
        self.doc = doc
