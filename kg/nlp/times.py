"""The newskg_times component: time expressions resolved to ISO dates against the publication date.

Events need dates at the precision the text gives: "Thursday" in a story published on Friday
2025-09-12 is 2025-09-11, "last month" is 2025-08, "in 2020" is 2020. A small grammar of regular
expressions over the text finds the expressions; durations ("for 11 years") are never dates.
Without a publication date only absolute dates are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any, NamedTuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.data import load_json
from kg.nlp.extensions import doc_text, register_extensions
from kg.nlp.parse import Parse, parse_of
from kg.nlp.types import TimeExpr

FUTURE_AUX = frozenset({"will", "'ll", "’ll", "shall"})
PREPOSITIONS = frozenset(
    {"in", "since", "until", "by", "from", "before", "after", "of", "through", "during"}
)
ABBREVIATIONS = frozenset(
    {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
)
#: Words that schedule what follows "for"/"on" ("a vote set for Sunday"), whatever the parse.
SCHEDULED = frozenset({"set", "scheduled", "slated", "planned", "due", "expected"})
FUTURE_VERBS = frozenset({"plan", "schedule", "expect", "due", "set", "intend", "hope", "aim"})
#: The characters `re.IGNORECASE` matches to an ASCII letter that `str.lower` does not turn into
#: that letter (dotted and dotless I, long s), and that letter.
OUTLIER_LETTERS = {"\u0130": "i", "\u0131": "i", "\u017f": "s"}
CASE_OUTLIERS = frozenset(OUTLIER_LETTERS)


@spacy.registry.misc("newskg.time_words.v1")
def time_words_loader(filename: str) -> dict[str, Any]:
    """Month, weekday and number words for the date grammar (data/gazetteers/*.json)."""
    return load_json("gazetteers", filename)


class Found(NamedTuple):
    """One matched expression: character span and resolved ISO value (a tuple: cheap to make)."""

    start: int
    end: int
    value: str


def iso_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    """The (year, month) `delta` months away."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


Rule = Callable[[re.Match[str], "Context"], "str | None"]


def fold_case(text: str) -> str:
    """The text lower-cased, where a character `re.IGNORECASE` equates with an ASCII letter
    becomes that letter. As long as the text: the dotted capital I, the one character that
    lowers to two, is an outlier, made "i" first."""
    # `any` over the three outliers: `frozenset.isdisjoint(text)` hashes every character
    if any(char in text for char in CASE_OUTLIERS):
        text = text.translate(str.maketrans(OUTLIER_LETTERS))
    return text.lower()


class TextScan:
    """What the anchored patterns look up in one text, each found once for all of them: where
    words occur in the text as `fold_case` gives it (`lowered`), and where the runs of word
    characters before a position start."""

    def __init__(self, text: str, lowered: str) -> None:
        self.text = text
        self.lowered = lowered
        self.positions: dict[str, list[int]] = {}
        self.runs: dict[int, list[int]] = {}

    def occurrences(self, word: str) -> list[int]:
        """Every position the lower-case `word` starts at in the lowered text, overlapping ones
        too: where the pattern may match it, whatever the case."""
        found = self.positions.get(word)
        if found is None:
            found = []
            at = self.lowered.find(word)
            while at >= 0:
                found.append(at)
                at = self.lowered.find(word, at + 1)
            self.positions[word] = found
        return found

    def runs_before(self, at: int, count: int) -> list[int]:
        """The starts of the `count` runs of word characters nearest before `at`, the nearest
        first (a run `at` cuts counts). A word character is what `re` takes for one:
        alphanumeric (`str.isalnum`) or an underscore."""
        runs = self.runs.setdefault(at, [])
        text = self.text
        i = runs[-1] if runs else at
        while len(runs) < count:
            while i > 0 and not (text[i - 1].isalnum() or text[i - 1] == "_"):
                i -= 1
            while i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_"):
                i -= 1
            runs.append(i)
        return runs[:count]

    def space_before(self, at: int) -> int:
        """Where the white space ending at `at` starts."""
        i = at
        while i > 0 and self.text[i - 1].isspace():
            i -= 1
        return i


class Anchor:
    """A pattern tried only near words every match of it contains. A scan tries a pattern at
    every position of the text; trying it only where a match can start, given where those words
    are, finds the same matches at a fraction of the cost, since news text holds few of them."""

    def __init__(
        self,
        pattern: re.Pattern[str],
        words: Iterable[str],
        runs_before: int,
        *,
        space_start: bool = False,
    ) -> None:
        """`words` as the pattern spells them; at most `runs_before` runs of word characters
        start between a match's start and the word; with `space_start` a match may also start at
        the white space right before the word."""
        self.pattern = pattern
        self.runs_before = runs_before
        self.space_start = space_start
        cased = not pattern.flags & re.IGNORECASE
        #: (the word lowered, to look for; the spelling a case-sensitive pattern needs, or None)
        self.words = [(word.lower(), word if cased else None) for word in words]

    def matches(self, scan: TextScan) -> Iterator[re.Match[str]]:
        """What `self.pattern.finditer(scan.text)` yields."""
        text = scan.text
        starts: set[int] = set()
        for word, spelled in self.words:
            for at in scan.occurrences(word):
                if spelled is None or text.startswith(spelled, at):
                    starts.add(at)
                    starts.update(scan.runs_before(at, self.runs_before))
                    if self.space_start:
                        starts.add(scan.space_before(at))
        return _matches_from(self.pattern, text, sorted(starts))


def _matches_from(
    pattern: re.Pattern[str], text: str, starts: list[int]
) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` yields when no match can start outside `starts` (sorted):
    the first match at or after the end of the one before. No pattern matches the empty string."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)) is not None:
            end = match.end()
            yield match


def _word_runs(words: Iterable[str]) -> int:
    """The most runs of word characters one of the words holds."""
    return max(len(re.findall(r"\w+", word)) for word in words)


def _shortest_prefixes(words: Iterable[str]) -> tuple[str, ...]:
    """The words but those another one begins ("Jan" finds "January" too)."""
    found = set(words)
    return tuple(sorted(w for w in found if not any(w != o and w.startswith(o) for o in found)))


class TimeGrammar:
    """Regular expressions for dates and the rules that resolve them."""

    def __init__(self, words: dict[str, Any]) -> None:
        self.months: dict[str, int] = {k.lower(): int(v) for k, v in words["months"].items()}
        self.weekdays: dict[str, int] = {k.lower(): int(v) for k, v in words["weekdays"].items()}
        self.numbers: dict[str, int] = {k.lower(): int(v) for k, v in words["numbers"].items()}
        month_alt = "|".join(sorted((re.escape(m) for m in words["months"]), key=len, reverse=True))
        day_alt = "|".join(re.escape(d) for d in words["weekdays"])
        num_alt = "|".join(sorted(self.numbers, key=len, reverse=True)) + r"|\d{1,3}"
        month = rf"(?P<month>(?:{month_alt})\.?)"
        self.rules: list[tuple[re.Pattern[str], Rule]] = [
            (
                month_day := re.compile(
                    rf"\b(?:(?:{day_alt}),?\s+)?{month}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
                    rf"(?:,?\s+(?P<year>(?:1[89]|20)\d\d))?\b"
                ),
                self._month_day,
            ),
            (
                day_month := re.compile(
                    rf"\b(?:(?:{day_alt}),?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
                    rf"{month}(?:,?\s+(?P<year>(?:1[89]|20)\d\d))?\b"
                ),
                self._month_day,
            ),
            (
                month_year := re.compile(rf"\b{month}\s+(?:of\s+)?(?P<year>(?:1[89]|20)\d\d)\b"),
                self._month_year,
            ),
            (
                relative_unit := re.compile(
                    r"\b(?P<rel>last|next|this|early|late|mid-|earlier\s+this|later\s+this)?\s*"
                    r"(?P<unit>week|month|year)\b",
                    re.IGNORECASE,
                ),
                self._relative_unit,
            ),
            (
                offset := re.compile(
                    rf"\b(?P<num>{num_alt}|a|an)\s+(?P<unit>day|week|month|year)s?\s+"
                    rf"(?P<dir>ago|later|earlier|before|after)\b",
                    re.IGNORECASE,
                ),
                self._offset,
            ),
            (
                hours_away := re.compile(
                    rf"\b(?:(?:{num_alt}|a\s+few|a|an)\s+)?(?:hours|minutes|moments)\s+"
                    rf"(?:later|earlier|after|before)\b",
                    re.IGNORECASE,
                ),
                self._hours_away,
            ),
            (
                deictic := re.compile(
                    r"\b(?P<word>today|yesterday|tomorrow|tonight)\b", re.IGNORECASE
                ),
                self._deictic,
            ),
            (
                following := re.compile(
                    r"\bthe\s+(?:following|next)\s+(?P<unit>day|month|year)\b", re.IGNORECASE
                ),
                self._following,
            ),
            (
                day_around := re.compile(
                    r"\bthe\s+(?:day|night|morning|evening)\s+(?P<dir>after|before)"
                    r"(?=\s+(?:his|her|their|its|the)\b)",
                    re.IGNORECASE,
                ),
                self._day_around_event,
            ),
            (
                same_day := re.compile(
                    r"\b(?:that|the\s+same)\s+(?:day|night|morning|afternoon|evening)\b",
                    re.IGNORECASE,
                ),
                self._same_day,
            ),
            (
                days_around := re.compile(
                    rf"\bthe\s+(?:days|weeks)\s+(?:before|after|leading\s+up\s+to|following)\s+"
                    rf"(?:(?P<rel>last|next|this)\s+)?(?P<weekday>{day_alt})\b"
                ),
                self._days_around,
            ),
            (
                weekday_range := re.compile(
                    rf"\bbetween\s+(?:(?:late|early)\s+)?(?P<first>{day_alt})\s+and\s+"
                    rf"(?:(?:late|early)\s+)?(?P<second>{day_alt})\b"
                ),
                self._weekday_range,
            ),
            (
                weekday := re.compile(
                    rf"\b(?:(?P<rel>last|next|this)\s+)?(?P<weekday>{day_alt})\b",
                    re.IGNORECASE,
                ),
                self._weekday,
            ),
            (
                bare_month := re.compile(
                    rf"\b(?P<prep>in|since|until|by|from|before|after|last|next|this|early|late|"
                    rf"mid-|of|through|during)\s*{month}(?!\w)(?![\w.]*\s+\d)",
                    re.IGNORECASE,
                ),
                self._bare_month,
            ),
            (
                year := re.compile(
                    r"(?<![\w$€£.,/-])(?P<year>(?:1[89]|20)\d\d)(?![\w%/-]|\.\d|,\d)"
                ),
                self._year,
            ),
        ]
        months = _shortest_prefixes(words["months"])
        units = ("week", "month", "year")
        count_runs = _word_runs(self.numbers)
        #: pattern -> the words its matches hold, which `find` tries it near instead of scanning
        #: the text (a scan tries a pattern with a leading `\b` or optional words at every
        #: position, and case-blind matching is slow). `tests/test_times.py` checks that each
        #: anchor finds what `finditer` finds: update its words when a pattern changes.
        self.anchors: dict[re.Pattern[str], Anchor] = {
            anchor.pattern: anchor
            for anchor in (
                Anchor(month_day, months, 1),
                Anchor(day_month, months, 3),
                Anchor(month_year, months, 0),
                Anchor(relative_unit, units, 2, space_start=True),
                Anchor(offset, ("ago", "later", "earlier", "before", "after"), count_runs + 1),
                Anchor(hours_away, ("hours", "minutes", "moments"), max(count_runs, 2)),
                Anchor(deictic, ("today", "yesterday", "tomorrow", "tonight"), 0),
                Anchor(weekday, _shortest_prefixes(words["weekdays"]), 1),
                Anchor(bare_month, months, 1),
                Anchor(year, ("18", "19", "20"), 0),
                Anchor(weekday_range, ("between",), 0),
                Anchor(following, ("following", "next"), 1),
                Anchor(day_around, ("after", "before"), 2),
                Anchor(days_around, ("days", "week"), 1),
                Anchor(same_day, ("day", "night", "morning", "afternoon", "evening"), 2),
            )
        }

    def _matches(self, pattern: re.Pattern[str], scan: TextScan) -> Iterator[re.Match[str]]:
        """`pattern.finditer(scan.text)`. An anchored pattern is tried only where a match can
        start; a pattern without anchor words is scanned."""
        anchor = self.anchors.get(pattern)
        return pattern.finditer(scan.text) if anchor is None else anchor.matches(scan)

    def find(self, text: str, ctx: Context) -> Iterator[Found]:
        """Every expression in the text in order; longest match wins where they overlap."""
        candidates: list[tuple[int, int, int, re.Match[str], Rule]] = []
        scan = TextScan(text, fold_case(text))
        for order, (pattern, rule) in enumerate(self.rules):
            for match in self._matches(pattern, scan):
                if match.group(0).strip():
                    candidates.append((match.start(), match.end(), order, match, rule))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
        chosen: list[tuple[int, int, int, re.Match[str], Rule]] = []
        for cand in candidates:
            if not any(cand[0] < c[1] and c[0] < cand[1] for c in chosen):
                chosen.append(cand)
        for start, end, _order, match, rule in sorted(chosen, key=lambda c: c[0]):
            prep = match.group("prep") if "prep" in match.re.groupindex else None
            if prep and prep.lower() in PREPOSITIONS:
                start = match.start("month")
            start, end = _trim(text, start, end)
            here = ctx.at(start, end)
            value = rule(match, here)
            if value is None:
                continue
            anchor, precision = value_to_date(value)
            if not (ctx.published and anchor > ctx.published and here.future):
                ctx.previous, ctx.previous_precision = anchor, precision
                if precision == "day":
                    ctx.previous_day = anchor
            yield Found(start, end, value)

    # -- rules --------------------------------------------------------------------------------

    def _month_num(self, text: str) -> int:
        return self.months[text.rstrip(".").lower()]

    def _month_day(self, m: re.Match[str], ctx: Context) -> str | None:
        month = self._month_num(m.group("month"))
        day = int(m.group("day"))
        if m.group("year"):
            found = safe_date(int(m.group("year")), month, day)
            return found.isoformat() if found else None
        pub = ctx.published
        if pub is None:
            return None
        found = safe_date(pub.year, month, day)
        if found is None:
            return None
        if not ctx.future and found > pub + timedelta(days=1):
            found = safe_date(pub.year - 1, month, day)
        elif ctx.future and found < pub:
            found = safe_date(pub.year + 1, month, day)
        return found.isoformat() if found else None

    def _month_year(self, m: re.Match[str], ctx: Context) -> str | None:
        return iso_month(int(m.group("year")), self._month_num(m.group("month")))

    def _bare_month(self, m: re.Match[str], ctx: Context) -> str | None:
        month_text = m.group("month")
        if not month_text[0].isupper():
            return None
        pub = ctx.published
        if pub is None:
            return None
        month = self._month_num(month_text)
        prep = m.group("prep").lower()
        if prep == "next" or (ctx.future and prep != "last"):
            year = pub.year if month > pub.month else pub.year + 1
        elif prep == "this":
            year = pub.year
        else:
            year = pub.year if month <= pub.month else pub.year - 1
        return iso_month(year, month)

    def _relative_unit(self, m: re.Match[str], ctx: Context) -> str | None:
        rel = (m.group("rel") or "").lower()
        unit = m.group("unit").lower()
        pub = ctx.published
        if pub is None or not rel or unit == "week":
            return None
        delta = {"last": -1, "next": 1}.get(rel.split()[0], 0)
        if rel in {"early", "late", "mid-"}:
            return None
        if unit == "year":
            return f"{pub.year + delta:04d}"
        return iso_month(*shift_months(pub.year, pub.month, delta))

    def _count(self, word: str) -> int | None:
        low = word.lower()
        if low in {"a", "an"}:
            return 1
        if low.isdigit():
            return int(low)
        return self.numbers.get(low)

    def _offset(self, m: re.Match[str], ctx: Context) -> str | None:
        count = self._count(m.group("num"))
        if count is None:
            return None
        unit = m.group("unit").lower()
        direction = m.group("dir").lower()
        if direction == "ago":
            anchor, precision = ctx.published, None
        else:
            anchor, precision = ctx.previous, ctx.previous_precision
            # "a day after X" dates X (the day before the anchor); "a day before," the anchor's eve
            if direction in {"before", "after"} and _word_follows(m):
                direction = "earlier" if direction == "after" else "later"
            if direction in {"earlier", "before"}:
                count = -count
        if anchor is None:
            return None
        sign = -1 if direction == "ago" else 1
        count *= sign
        if unit == "year":
            return f"{anchor.year + count:04d}"
        if unit == "month":
            if precision == "year":
                return None
            return iso_month(*shift_months(anchor.year, anchor.month, count))
        if precision in {"year", "month"}:
            if direction == "ago" or ctx.previous_day is None:
                return None
            anchor = ctx.previous_day  # "a day later" counts from the last day named
        days = count * (7 if unit == "week" else 1)
        return (anchor + timedelta(days=days)).isoformat()

    def _hours_away(self, m: re.Match[str], ctx: Context) -> str | None:
        """ "hours later", "minutes after X": the same day as the last day named."""
        return ctx.previous_day.isoformat() if ctx.previous_day else None

    def _following(self, m: re.Match[str], ctx: Context) -> str | None:
        """ "the following year" after "in May 2020" is 2021: one unit after the last date."""
        anchor, precision = ctx.previous, ctx.previous_precision
        if anchor is None:
            return None
        unit = m.group("unit").lower()
        if unit == "year":
            return f"{anchor.year + 1:04d}"
        if unit == "month":
            return (
                None
                if precision == "year"
                else iso_month(*shift_months(anchor.year, anchor.month, 1))
            )
        return (anchor + timedelta(days=1)).isoformat() if precision == "day" else None

    def _same_day(self, m: re.Match[str], ctx: Context) -> str | None:
        """ "that night", "the same day": the day named last."""
        if ctx.previous is None or ctx.previous_precision != "day":
            return None
        return ctx.previous.isoformat()

    def _day_around_event(self, m: re.Match[str], ctx: Context) -> str | None:
        """ "The day after his arrest, he appeared ...": opening a sentence, the day next to
        the last day named (the event's day); elsewhere it follows its clause's own date."""
        if ctx.previous_day is None or not _opens_sentence(ctx.doc, m.start()):
            return None
        shift = 1 if m.group("dir").lower() == "after" else -1
        return (ctx.previous_day + timedelta(days=shift)).isoformat()

    def _days_around(self, m: re.Match[str], ctx: Context) -> str | None:
        """ "in the days before Friday's vote": several days, dated by the month of that day."""
        day = self._weekday(m, ctx)
        return day[:7] if day else None

    def _weekday_range(self, m: re.Match[str], ctx: Context) -> str | None:
        """ "between late Tuesday and early Wednesday": a span of days, dated by its month."""
        pub = ctx.published
        if pub is None:
            return None
        days = []
        for group in ("first", "second"):
            back = (pub.weekday() - self.weekdays[m.group(group).lower()]) % 7
            days.append(pub - timedelta(days=back))
        if days[0].month != days[1].month or days[0] > days[1]:
            return None
        return iso_month(days[0].year, days[0].month)

    def _deictic(self, m: re.Match[str], ctx: Context) -> str | None:
        pub = ctx.published
        if pub is None:
            return None
        offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[m.group("word").lower()]
        return (pub + timedelta(days=offset)).isoformat()

    def _weekday(self, m: re.Match[str], ctx: Context) -> str | None:
        if not m.group("weekday")[0].isupper():
            return None
        pub = ctx.published
        if pub is None:
            return None
        weekday = self.weekdays[m.group("weekday").lower()]
        rel = (m.group("rel") or "").lower()
        if rel == "next" or (ctx.future and rel != "last"):
            ahead = (weekday - pub.weekday()) % 7
            if ahead == 0 and rel == "next":
                ahead = 7
            return (pub + timedelta(days=ahead)).isoformat()
        back = (pub.weekday() - weekday) % 7
        if back == 0 and rel == "last":
            back = 7
        return (pub - timedelta(days=back)).isoformat()

    def _year(self, m: re.Match[str], ctx: Context) -> str | None:
        if not ctx.year_ok:
            return None
        return m.group("year")


def _word_follows(m: re.Match[str]) -> bool:
    """Whether a clause or noun phrase follows the match ("a day after police raided ...")."""
    rest = m.string[m.end() : m.end() + 40].lstrip()
    return bool(rest) and rest[0].isalpha()


def _opens_sentence(doc: Doc, start: int) -> bool:
    """Whether the character offset begins a sentence, or follows only a sentence-initial "On"."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return False
    first = span[0]
    if first.is_sent_start:
        return True
    return first.i > 0 and doc[first.i - 1].lower_ == "on" and bool(doc[first.i - 1].is_sent_start)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding spaces and commas, and a sentence full stop after a full month name."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    if end > start and text[end - 1] == ".":
        word = re.findall(r"[A-Za-z]+$", text[start : end - 1])
        if word and word[0].lower() not in ABBREVIATIONS:
            end -= 1
    return start, end


@dataclass
class Context:
    """What resolving one expression needs: the publication date, tense and the previous date."""

    doc: Doc
    published: date | None
    previous: date | None = None
    previous_precision: str | None = None
    previous_day: date | None = None
    """The last date named to the day, which "a day later" counts from."""
    where: tuple[int, int] | None = None
    """The expression's character span, where tense and year plausibility are judged."""

    def at(self, start: int, end: int) -> Context:
        """This context for the expression at [start, end)."""
        return Context(
            self.doc,
            self.published,
            self.previous,
            self.previous_precision,
            self.previous_day,
            (start, end),
        )

    # tense and year plausibility are judged on first use: most rules ask for neither

    @cached_property
    def span(self) -> tuple[int, int] | None:
        """The expression's tokens, [first, last) as `doc.char_span(..., alignment_mode="expand")`
        gives them, read from the shared parse; None without an expression or tokens to align
        it to."""
        if self.where is None:
            return None
        return parse_of(self.doc).char_span(*self.where)

    @cached_property
    def future(self) -> bool:
        """Whether the expression sits in a clause about the future."""
        return self.span is not None and is_future(parse_of(self.doc), *self.span)

    @cached_property
    def year_ok(self) -> bool:
        """Whether a bare four-digit number here is a year."""
        return self.span is None or is_year_like(self.doc, self.span[0])


def is_future(parse: Parse, first: int, last: int) -> bool:
    """Whether the clause holding a time expression (the tokens [first, last) of the parse)
    speaks of the future ("will meet on Monday")."""
    lower, lemma, head = parse.lower, parse.lemma, parse.head
    if first >= 2 and lower[first - 1] in {"for", "on"} and lower[first - 2] in SCHEDULED:
        return True
    token = parse.root(first, last)
    for _ in range(4):
        if parse.pos[token] in {"VERB", "AUX"} or head[token] == token:  # or the root
            break
        token = head[token]
    verbs = [token, *([head[token]] if parse.dep[token] in {"xcomp", "ccomp"} else [])]
    for verb in verbs:
        children = [lower[child] for child in parse.children[verb]]
        if not FUTURE_AUX.isdisjoint(children):
            return True
        if lemma[verb] in FUTURE_VERBS and verb < first:
            return True
        # "the court is to rule on March 3", "talks are due to start Monday"
        if parse.dep[verb] == "xcomp" and "to" in children:
            above = head[verb]
            if lemma[above] == "be" or lower[above] == "due" or lemma[above] in FUTURE_VERBS:
                return True
    return False


def is_year_like(doc: Doc, first: int) -> bool:
    """A bare four-digit number (from token `first`) is a year when the model says DATE or a
    preposition leads it."""
    ent_type = doc[first].ent_type_
    if ent_type == "DATE":
        return True
    if ent_type in {"MONEY", "QUANTITY", "CARDINAL", "PERCENT"}:
        return False
    before = parse_of(doc).lower[first - 1] if first > 0 else ""
    return before in {"in", "since", "until", "by", "from", "before", "after", "of", "the", "to"}


def parse_published(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def value_to_date(value: str) -> tuple[date, str]:
    """An ISO value as a date (first day of its period) and its precision."""
    parts = value.split("-")
    if len(parts) == 1:
        return date(int(parts[0]), 1, 1), "year"
    if len(parts) == 2:
        return date(int(parts[0]), int(parts[1]), 1), "month"
    return date.fromisoformat(value), "day"


def resolve_times(doc: Doc, grammar: TimeGrammar) -> list[TimeExpr]:
    """All time expressions of `doc`, in text order, relative ones chained to the one before."""
    ctx = Context(doc, parse_published(doc._.published))
    text = doc_text(doc)
    return [
        TimeExpr(found.start, found.end, text[found.start : found.end], found.value)
        for found in grammar.find(text, ctx)
    ]


class TimeNormalizer:
    """Finds and resolves time expressions into `doc._.times`."""

    def __init__(self, nlp: Language, name: str, *, words: dict[str, Any]) -> None:
        register_extensions()
        self.name = name
        self.grammar = TimeGrammar(words)

    def __call__(self, doc: Doc) -> Doc:
        doc._.times = resolve_times(doc, self.grammar)
        return doc


@Language.factory(
    "newskg_times",
    default_config={"words": {"@misc": "newskg.time_words.v1", "filename": "time_words.json"}},
    requires=["token.dep"],
    assigns=["doc._.times"],
)
def make_times(nlp: Language, name: str, words: dict[str, Any]) -> TimeNormalizer:
    """Build the times step from the month, weekday and number words its config names."""
    return TimeNormalizer(nlp, name, words=words)
