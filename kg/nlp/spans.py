"""Which actor a stretch of text refers to, from the mentions the earlier components found."""

from __future__ import annotations

from bisect import bisect_right
from typing import Protocol

from spacy.tokens import Doc, Span

from kg.nlp.types import Mention


class TokenLike(Protocol):
    """What the lookups read of a token: a spaCy `Token`, or a component's plain word object."""

    @property
    def i(self) -> int: ...

    @property
    def idx(self) -> int: ...

    @property
    def text(self) -> str: ...


class MentionIndex:
    """Character-offset index over `doc._.mentions`, for mapping tokens and spans to actor keys."""

    def __init__(self, doc: Doc) -> None:
        self.mentions: list[Mention] = sorted(doc._.mentions or [], key=lambda m: (m.start, -m.end))
        self._starts = [m.start for m in self.mentions]
        self._longest = max((m.end - m.start for m in self.mentions), default=0)

    def at(self, start: int, end: int) -> list[Mention]:
        """Mentions overlapping the character range [start, end)."""
        # a mention starting `_longest` characters or more before `start` ends before it
        first = bisect_right(self._starts, start - self._longest)
        upto = bisect_right(self._starts, end - 1)
        return [m for m in self.mentions[first:upto] if m.end > start]

    def for_token(self, token: TokenLike) -> Mention | None:
        """The mention that covers this token, if any (the longest when several do)."""
        hits = self.at(token.idx, token.idx + len(token.text))
        return max(hits, key=lambda m: m.end - m.start) if hits else None

    def for_span(self, span: Span) -> list[Mention]:
        """Mentions inside or overlapping a span, in text order, one per actor."""
        seen: set[str] = set()
        result = []
        for mention in self.at(span.start_char, span.end_char):
            if mention.actor not in seen:
                seen.add(mention.actor)
                result.append(mention)
        return result


class SentenceIndex:
    """The doc's sentences, listed once: `token.sent` walks the tokens to find the sentence's
    bounds on every call, which rules asking it per candidate pay for again and again."""

    def __init__(self, doc: Doc) -> None:
        self.sents: list[Span] = list(doc.sents)
        self._starts = [sent.start for sent in self.sents]

    def of(self, token: TokenLike) -> Span:
        """The sentence holding `token`, as `token.sent` gives it."""
        return self.sents[bisect_right(self._starts, token.i) - 1]


def sentence_bounds(sent: Span, text: str) -> tuple[int, int]:
    """Character offsets of a sentence without the blank-line whitespace the parser leaves on it;
    `text` is the doc's text, passed in because `doc.text` and `sent.text` join tokens anew."""
    return trimmed_bounds(text, sent.start_char, sent.end_char)


def trimmed_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets [start, end) of `text` without the whitespace at their end."""
    return start, start + len(text[start:end].rstrip())
