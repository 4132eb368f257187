"""Which actor a stretch of text refers to, from the mentions the earlier components found."""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span, Token

from kg.nlp.types import Mention


class MentionIndex:
    """Character-offset index over `doc._.mentions`, for mapping tokens and spans to actor keys."""

    def __init__(self, doc: Doc) -> None:
        self.mentions: list[Mention] = sorted(doc._.mentions or [], key=lambda m: (m.start, -m.end))
        self._starts = [m.start for m in self.mentions]

    def at(self, start: int, end: int) -> list[Mention]:
        """Mentions overlapping the character range [start, end)."""
        hits = []
        upto = bisect_right(self._starts, end - 1)
        for mention in self.mentions[:upto]:
            if mention.end > start:
                hits.append(mention)
        return hits

    def for_token(self, token: Token) -> Mention | None:
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


def sentence_bounds(sent: Span) -> tuple[int, int]:
    """Character offsets of a sentence without the blank-line whitespace the parser leaves on it."""
    text = sent.text
    return sent.start_char, sent.start_char + len(text.rstrip())
