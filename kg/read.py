"""Read stage: turn files, folders, JSON Lines and standard input into clean `Article` records.

Wire articles arrive as hard-wrapped plain text with print-layout leftovers.  This module
extracts the metadata (headline, date line, byline, dateline lead), removes the layout junk by
general patterns, and reflows the body into running paragraphs.  The resulting `Article.text`
is what every later stage indexes, so nothing downstream ever sees the raw layout.

Decisions (documented because later stages rely on them):

- `Article.text` is the headline, a blank line, then the body paragraphs separated by
  `"\\n\\n"`; without a headline it is the body alone.  Lines inside a paragraph are joined
  with single spaces; a line ending in a hyphen is joined without a space, keeping the hyphen
  (`government-\\nfunded` -> `government-funded`).
- The dateline lead `VILNIUS, Lithuania (AP) — ` is stored title-cased in `Article.dateline`
  ("Vilnius, Lithuania").  In the text the place stays as written, so the city is a mention
  with offsets like any other (annotators treat it as one), but the agency credit goes:
  the body starts `VILNIUS, Lithuania — Belarus freed ...`.  `dateline_in_text=False` drops
  the whole lead instead.
- The date line in the text wins; a `published` argument (or a JSON `published` field) is only
  the fallback for texts without one.
- Sub-headings (short lines without final punctuation between paragraphs) are kept, each as a
  paragraph of its own, so they never merge into a neighbouring sentence.
- Photo captions, column markers, stray `|` lines, `___` rules, contributor credits and
  copyright lines are removed.
- Folders are searched recursively for `*.txt`, `*.jsonl` and `*.ndjson` files (hidden files
  and folders skipped) in sorted path order; a file named explicitly is read whatever its
  suffix (JSON Lines when it ends in `.jsonl`/`.ndjson`).
- Ids are slugs (`[a-z0-9-]`): the file stem, the JSON `id`, `<stem>-<line>` for JSON lines
  without an id, `stdin-<12 hex of sha256>` for standard input; an empty slug falls back to
  `article-<12 hex>`.  Repeated ids in one run get `-2`, `-3`, ... suffixes.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from kg.article import Article
from kg.errors import InputError

__all__ = ["parse_wire_text", "read_inputs", "slugify"]

TEXT_SUFFIXES = frozenset({".txt"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
STDIN_SOURCE = "<stdin>"

_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_DATE_LINE = re.compile(
    r"^\[?\s*(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})\s*\]?$"
)
_ISO_DATE_LINE = re.compile(r"^\[?\s*(?P<iso>\d{4}-\d{2}-\d{2})\s*\]?$")
_BYLINE = re.compile(r"^By\s+(?P<names>\S.*)$", re.IGNORECASE)
_BYLINE_SPLIT = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*", re.IGNORECASE)
_AGENCY_NAME = re.compile(
    r"^(?:the\s+)?(?:associated press|ap|reuters|afp|agence france-presse)(?:\s+writers?)?$",
    re.IGNORECASE,
)
_NAME_MAX_WORDS = 5
_NAME_PARTICLES = frozenset(
    {"al", "bin", "ibn", "da", "de", "del", "della", "der", "di", "du", "el", "la", "le", "van"}
    | {"von", "y"}
)
_HEADER_SPAN = 4
"""How many leading lines may hold the headline before the date line or byline."""

_DATELINE_LEAD = re.compile(
    r"^(?P<city>[^,()\n]{2,40}?)(?:,\s*(?P<region>[^,()\n]{2,40}?))?\s*"
    r"(?:\((?P<agency>[^()\n]{1,25})\)\s*)?(?P<dash>[—–]+|-{1,2}(?=\s))\s*"
)

_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000 ]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\u0085\u2028\u2029]")

_MARKER_LINE = re.compile(r"^\[[^\[\]]*\]$")
_PIPE_LINE = re.compile(r"^[|¦\s]+$")
_RULE_LINE = re.compile(r"^(?:_{3,}|-{3,}|\*{3,}|={3,})$")
_TRAILING_PIPE = re.compile(r"\s*\|+$")
_COPYRIGHT = re.compile(r"©|\bcopyright\b.*\brights\s+reserved\b", re.IGNORECASE)

_CAPTION_CREDIT = re.compile(r"\((?:AP Photo\b[^()]*|[^()]*\bvia AP)\)", re.IGNORECASE)
_CAPTION_END = re.compile(_CAPTION_CREDIT.pattern + r"\s*$", re.IGNORECASE)
_CONTRIBUTOR_CREDIT = re.compile(
    r"(?:(?:[^.!?]*?\breported from\b[^.!?]*\.)\s*)?"
    r"\b(?:(?:The\s+)?Associated Press|AP)\s+(?:writers?|reporters?|journalists?|correspondents?)\b"
    r"[^|]{0,400}?\bcontributed(?:\s+to\s+this\s+(?:report|story))?\.\s*$",
    re.IGNORECASE,
)

_SENTENCE_END = re.compile(r"[.!?…][\"”’'»)\]]*$")
_SENTENCE_BOUNDARY = re.compile(r"[.!?…][\"”’')\]]*(?= +[“\"‘'(]?[A-Z0-9])")
_NO_HEADING_END = re.compile(r"[,;:\-—–]$")
_OPENERS = "“\"‘'«([—–-"
_UNWRAPPED_WIDTH = 100
"""Texts whose typical line is longer than this are not hard-wrapped: one line, one paragraph."""
_HEADING_MAX_WORDS = 10
_HEADING_MAX_SHARE = 0.8
"""A sub-heading is at most this share of the wrap width."""
_SHORT_SHARE = 0.6
"""A line ending in an abbreviation ends a paragraph only when it is this short."""
_ABBREVIATION_END = re.compile(
    r"(?:\b[A-Za-z]\.){2,}[\"”’']*$|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sgt|Rep|Sen|Gov|Jr|Sr|"
    r"Jan|Feb|Aug|Sept?|Oct|Nov|Dec|No|Corp|Inc|Co|Ltd|vs)\.$"
)
_CAPTION_MAX_LINES = 6
"""A blank-line separated block this short that ends in a photo credit is all caption."""
_MIN_WIDTH = 60
"""Wrap widths below this are not trusted (too few lines to tell): short lines end paragraphs."""
_MIN_BLOCK_FOR_WIDTH = 3
"""Blocks with at least this many lines get their own wrap width (captions wrap narrower)."""


# --------------------------------------------------------------------------- normalisation


def normalize_text(raw: str) -> str:
    """One canonical form of the raw text: NFC, `\\n` line breaks, plain single spaces."""
    text = unicodedata.normalize("NFC", raw)
    text = _LINE_BREAKS.sub("\n", text)
    text = _SPACES.sub(" ", _INVISIBLE.sub("", text))  # no `\n` in either: same as per line
    return "\n".join(line.strip() for line in text.split("\n"))


# --------------------------------------------------------------------------- header


def parse_date_line(line: str) -> date | None:
    """The date of a `[September 12, 2025]` / `Sept. 12, 2025` / `[2025-09-12]` line, else None."""
    iso = _ISO_DATE_LINE.match(line)
    if iso:
        return _safe_iso_date(iso["iso"])
    match = _DATE_LINE.match(line)
    if not match:
        return None
    month = _month_number(match["month"])
    if month is None:
        return None
    try:
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


def _month_number(word: str) -> int | None:
    """1-12 for a full or abbreviated English month name ("Sept", "Sep", "September")."""
    word = word.lower()
    for number, name in enumerate(_MONTHS, start=1):
        if name.startswith(word) and len(word) >= 3:
            return number
    return 9 if word == "sept" else None


def _safe_iso_date(value: str) -> date | None:
    """`date.fromisoformat` that answers None instead of raising."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_byline(line: str) -> tuple[str, ...] | None:
    """Author names of a `By NAME and NAME` line, title-cased when upper-case; None otherwise.

    Every part must look like a name, so a sentence such as "By nightfall, police ..." is not
    taken for a byline.
    """
    match = _BYLINE.match(line)
    if not match or match["names"].rstrip().endswith((",", ";", ":")):
        return None
    parts = [part.strip(" .") for part in _BYLINE_SPLIT.split(match["names"])]
    names = [part for part in parts if part and not _AGENCY_NAME.match(part)]
    if not names or not all(_looks_like_name(name) for name in names):
        return None
    return tuple(_name_case(name) for name in names)


def _looks_like_name(text: str) -> bool:
    """A few capitalised words (name particles such as "van" or "al" allowed)."""
    words = text.split()
    return 0 < len(words) <= _NAME_MAX_WORDS and all(
        word[0].isupper() or word.lower() in _NAME_PARTICLES for word in words
    )


def _name_case(text: str) -> str:
    """Title-case an all-caps wire name ("VILNIUS" -> "Vilnius"); leave mixed case alone."""
    return text.title() if text.isupper() else text


def _split_header(
    lines: list[str],
) -> tuple[str | None, date | None, tuple[str, ...], list[str]]:
    """Headline, date, authors and the remaining body lines of a wire layout text.

    The date line and the byline are looked for among the first few non-blank lines; the lines
    before the first of them are the headline, the lines after the last of them the body.
    """
    top = _leading_nonblank(lines, _HEADER_SPAN + 1)
    date_at = next((j for j in top if parse_date_line(lines[j])), None)
    byline_at = next((j for j in top if parse_byline(lines[j])), None)
    found = [j for j in (date_at, byline_at) if j is not None]
    if not found:
        return None, None, (), lines
    headline = _join_lines(line for line in lines[: min(found)] if line) or None
    published = parse_date_line(lines[date_at]) if date_at is not None else None
    authors = parse_byline(lines[byline_at]) or () if byline_at is not None else ()
    return headline, published, authors, lines[max(found) + 1 :]


def _leading_nonblank(lines: list[str], limit: int) -> list[int]:
    """Indexes of the first `limit` non-blank lines."""
    return [i for i, line in enumerate(lines) if line][:limit]


def split_dateline(paragraph: str) -> tuple[str | None, str, str]:
    """Split a dateline lead off the first paragraph: (place, kept lead, rest).

    `VILNIUS, Lithuania (AP) — Belarus ...` gives ("Vilnius, Lithuania",
    "VILNIUS, Lithuania — ", "Belarus ..."): the place title-cased for metadata, and the lead as
    it stands in the text minus the agency credit.  Without a lead: (None, "", paragraph).
    """
    match = _DATELINE_LEAD.match(paragraph)
    if not match or not _is_dateline(match):
        return None, "", paragraph
    region = match["region"]
    place = _name_case(match["city"].strip())
    if region and not any(ch.isdigit() for ch in region):
        place = f"{place}, {_name_case(region.strip())}"
    raw_place = paragraph[: match.end("region") if region else match.end("city")]
    return place, f"{raw_place} {match['dash']} ", paragraph[match.end() :]


def _is_dateline(match: re.Match[str]) -> bool:
    """An upper-case city with an agency credit or a capitalised region (hyphen: agency only)."""
    region = match["region"]
    if not match["city"].isupper() or (region is not None and not region[0].isupper()):
        return False
    if match["agency"] is not None:
        return True
    return region is not None and not match["dash"].startswith("-")


# --------------------------------------------------------------------------- junk and reflow


def _clean_lines(lines: Iterable[str]) -> list[str]:
    """Body lines without layout junk; rules and copyright lines become paragraph breaks."""
    kept: list[str] = []
    for line in lines:
        line = (_TRAILING_PIPE.sub("", line) if "|" in line else line).strip()
        if _MARKER_LINE.match(line) or _PIPE_LINE.match(line):
            continue
        if _RULE_LINE.match(line) or _COPYRIGHT.search(line):
            line = ""
        kept.append(line)
    return kept


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines (the blank-line separated blocks)."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def wrap_width(lines: Sequence[str]) -> int:
    """The width the text was hard-wrapped at: the longest line that is not an outlier.

    Never below `_MIN_WIDTH`, so that a few short lines ending in a full stop count as paragraphs.
    """
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return 0
    p90 = lengths[int(0.9 * (len(lengths) - 1))]
    return max(_MIN_WIDTH, max(length for length in lengths if length <= p90 + 10))


def _join(paragraph: str, line: str) -> str:
    """Append a wrapped line: no space after an unspaced hyphen or dash, one space otherwise."""
    if not paragraph:
        return line
    if paragraph.endswith(("-", "—", "–")) and len(paragraph) > 1 and not paragraph[-2].isspace():
        return paragraph + line
    return f"{paragraph} {line}"


def _join_lines(lines: Iterable[str]) -> str:
    """Join wrapped lines into one running line."""
    joined = ""
    for line in lines:
        joined = _join(joined, line)
    return joined


def _starts_paragraph(line: str) -> bool:
    """Could this line open a new paragraph (upper-case letter or digit after any quote)?"""
    stripped = line.lstrip(_OPENERS)
    return bool(stripped) and (stripped[0].isupper() or stripped[0].isdigit())


def _fits(line: str, following: str, width: int) -> bool:
    """Would the next line's first word have fitted on this line?  Then the break is deliberate."""
    first_word = following.split(" ", 1)[0]
    return len(line) + 1 + len(first_word) <= width


def _is_heading(paragraph: str, line: str, width: int) -> bool:
    """A sub-heading: a whole short paragraph of one line with no final punctuation."""
    return (
        paragraph == line
        and _starts_paragraph(line)
        and not _NO_HEADING_END.search(line)
        and len(line.split()) <= _HEADING_MAX_WORDS
        and len(line) <= _HEADING_MAX_SHARE * width
    )


def _ends_sentence(line: str, width: int) -> bool:
    """Does the line end a sentence (an abbreviation like "U.S." only on a short line)?"""
    if not _SENTENCE_END.search(line):
        return False
    return not _ABBREVIATION_END.search(line) or len(line) <= _SHORT_SHARE * width


def _ends_paragraph(paragraph: str, line: str, following: str, width: int) -> bool:
    """Does a paragraph end after `line`, given the next line and the wrap width?"""
    if _CAPTION_END.search(paragraph):
        return True
    if width > _UNWRAPPED_WIDTH:
        return True
    if not _starts_paragraph(following) or not _fits(line, following, width):
        return False
    return _ends_sentence(line, width) or _is_heading(paragraph, line, width)


def _is_junk_block(block: list[str]) -> bool:
    """Is the whole block a photo caption or a contributor credit?

    A short block ending in a photo credit is a caption set off by blank lines; a long one is
    body text with a caption merged onto its end, which `_strip_credits` trims instead.
    """
    joined = _join_lines(block)
    if _CONTRIBUTOR_CREDIT.fullmatch(joined):
        return True
    if not _CAPTION_END.search(joined):
        return False
    return len(block) <= _CAPTION_MAX_LINES or not _drop_caption_tail(joined)


def _reflow_block(block: list[str], width: int) -> list[str]:
    """Paragraphs of one blank-line separated block of hard-wrapped lines."""
    if len(block) >= _MIN_BLOCK_FOR_WIDTH and width <= _UNWRAPPED_WIDTH:
        width = wrap_width(block)
    paragraphs: list[str] = []
    current = ""
    for index, line in enumerate(block):
        current = _join(current, line)
        following = block[index + 1] if index + 1 < len(block) else None
        if following is None or _ends_paragraph(current, line, following, width):
            paragraphs.append(current)
            current = ""
    return paragraphs


def _drop_caption_tail(paragraph: str) -> str:
    """Remove a photo caption that the reflow merged onto the end of a paragraph.

    The caption is taken to be the last sentence; a paragraph of one sentence is all caption.
    """
    body = _CAPTION_END.sub("", paragraph)
    boundaries = [
        match.end()
        for match in _SENTENCE_BOUNDARY.finditer(body)
        if not _ABBREVIATION_END.search(body[: match.start() + 1])
    ]
    return body[: boundaries[-1]].strip() if boundaries else ""


def _strip_credits(paragraph: str) -> str:
    """A paragraph without photo captions and contributor credits ("" when nothing is left)."""
    if "(" in paragraph:  # both credit patterns start with a parenthesis
        if _CAPTION_END.search(paragraph):
            paragraph = _drop_caption_tail(paragraph)
        paragraph = _CAPTION_CREDIT.sub("", paragraph)
    if "contributed" in paragraph.lower():  # the credit pattern is slow; most paragraphs lack it
        paragraph = _CONTRIBUTOR_CREDIT.sub("", paragraph)
    return _SPACES.sub(" ", paragraph).strip()


def clean_body(lines: Sequence[str]) -> list[str]:
    """Body paragraphs of hard-wrapped wire lines: junk removed, lines reflowed."""
    cleaned = _clean_lines(lines)
    width = wrap_width(cleaned)
    blocks = (block for block in _blocks(cleaned) if not _is_junk_block(block))
    paragraphs = (p for block in blocks for p in _reflow_block(block, width))
    return [p for p in map(_strip_credits, paragraphs) if p]


# --------------------------------------------------------------------------- articles


def parse_wire_text(
    raw: str,
    *,
    id: str,
    source: str,
    published: date | None = None,
    headline: str | None = None,
    url: str | None = None,
    dateline_in_text: bool = True,
) -> Article:
    """Parse one wire-layout (or plain) text into an `Article`; raise `InputError` when empty.

    `published` is a fallback used only when the text has no date line.  `headline` (e.g. from
    a JSON field) replaces a headline found in the text.  `dateline_in_text=False` drops the
    dateline lead from the text entirely (it is always kept in `Article.dateline`).
    """
    lines = normalize_text(raw).split("\n")
    found_headline, found_date, authors, body_lines = _split_header(lines)
    paragraphs = clean_body(body_lines)
    dateline = None
    if paragraphs:
        dateline, lead, rest = split_dateline(paragraphs[0])
        paragraphs[0] = (lead + rest if dateline_in_text and rest.strip() else rest).strip()
        paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise InputError("no article text (empty after removing layout)", source=source)
    title = _headline(headline) or found_headline
    text = "\n\n".join([title, *paragraphs] if title else paragraphs)
    return Article(
        id=id,
        text=text,
        source=source,
        headline=title,
        published=found_date or published,
        authors=authors,
        dateline=dateline,
        url=url,
    )


def _headline(value: str | None) -> str | None:
    """A given headline normalised to one line, or None when absent or blank."""
    if value is None:
        return None
    return _join_lines(line for line in normalize_text(value).split("\n") if line) or None


# --------------------------------------------------------------------------- ids


def slugify(value: str) -> str:
    """An IRI-safe id: lower-case ASCII letters, digits and single hyphens ("" when none)."""
    letters = (ch for ch in unicodedata.normalize("NFKD", value) if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", "".join(letters).lower()).strip("-")


def text_hash(text: str) -> str:
    """The first 12 hex digits of the text's SHA-256: a stable id for unnamed texts."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _id_for(name: str, text: str) -> str:
    """The slug of `name`, or `article-<hash>` when the slug is empty."""
    return slugify(name) or f"article-{text_hash(text)}"


def _unique_ids(items: Iterable[Article | InputError]) -> Iterator[Article | InputError]:
    """Give repeated article ids `-2`, `-3`, ... suffixes, in input order."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Article):
            new_id, n = item.id, 1
            while new_id in seen:
                n += 1
                new_id = f"{item.id}-{n}"
            seen.add(new_id)
            if new_id != item.id:
                item = replace(item, id=new_id)
        yield item


# --------------------------------------------------------------------------- JSON Lines


def _looks_like_jsonl(text: str) -> bool:
    """Does the text start with a JSON object line (JSON Lines on standard input)?"""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first.startswith("{")


def _read_jsonl(
    lines: Iterable[str], *, source: str, stem: str | None, published: date | None
) -> Iterator[Article | InputError]:
    """One article (or error) per non-blank JSON line; a bad line does not stop the others."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            yield _json_article(line, source=where, stem=stem, number=number, fallback=published)
        except InputError as error:
            yield error


def _file_lines(path: Path, source: str) -> Iterator[str]:
    """The decoded lines of a file, read one at a time (JSON Lines files can be huge)."""
    offset = 0
    with path.open("rb") as stream:
        for raw in stream:
            yield _decode(raw, source, offset=offset, first=offset == 0)
            offset += len(raw)


def _json_article(
    line: str, *, source: str, stem: str | None, number: int, fallback: date | None
) -> Article:
    """The article of one JSON line, or `InputError` saying what is wrong with it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        message = f"malformed JSON: {error.msg} (column {error.colno})"
        raise InputError(message, source=source) from None
    if not isinstance(record, dict):
        raise InputError("expected a JSON object with a 'text' field", source=source)
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError("missing 'text' string field", source=source)
    for key in ("headline", "url", "id", "published"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise InputError(f"field {key!r} must be a string", source=source)
    published = _parse_published(record.get("published"), source) or fallback
    return parse_wire_text(
        text,
        id=_json_id(record.get("id"), stem, number, text),
        source=source,
        published=published,
        headline=record.get("headline"),
        url=record.get("url") or None,
    )


def _json_id(given: str | None, stem: str | None, number: int, text: str) -> str:
    """The id of a JSON line: its `id`, else `<file stem>-<line>`, else `stdin-<hash>`."""
    if given and slugify(given):
        return slugify(given)
    if stem is None:
        return f"stdin-{text_hash(text)}"
    return f"{_id_for(stem, text)}-{number}"


def _parse_published(value: str | None, source: str) -> date | None:
    """An ISO date (or date-time) string as a date; `InputError` when it is not one."""
    if value is None or not value.strip():
        return None
    parsed = _safe_iso_date(value.strip())
    if parsed:
        return parsed
    try:
        return datetime.fromisoformat(value.strip()).date()
    except ValueError:
        message = f"bad 'published' value {value!r}: expected an ISO date like 2025-09-12"
        raise InputError(message, source=source) from None


# --------------------------------------------------------------------------- files and folders


def _decode(data: bytes, source: str, *, offset: int = 0, first: bool = True) -> str:
    """UTF-8 text of a file's bytes (from `offset` in the file); `InputError` for binary or
    non-UTF-8 content. A byte-order mark is dropped at the start of a file only."""
    nul = data.find(b"\x00")
    if nul >= 0:
        at = offset + nul
        raise InputError(f"binary file, not text (NUL byte at offset {at})", source=source)
    try:
        return data.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as error:
        bad = data[error.start]
        at = offset + error.start
        message = f"not UTF-8 text (invalid byte 0x{bad:02x} at offset {at})"
        raise InputError(message, source=source) from None


def _read_file(path: Path, source: str, published: date | None) -> Iterator[Article | InputError]:
    """The article(s) of one file: one per text file, one per line of a JSON Lines file."""
    try:
        if path.suffix.lower() in JSONL_SUFFIXES:
            lines = _file_lines(path, source)
            yield from _read_jsonl(lines, source=source, stem=path.stem, published=published)
            return
        text = _decode(path.read_bytes(), source)
    except OSError as error:
        yield InputError(f"cannot read file: {error.strerror or error}", source=source)
        return
    except InputError as error:
        yield error
        return
    try:
        yield parse_wire_text(text, id=_id_for(path.stem, text), source=source, published=published)
    except InputError as error:
        yield error


def _folder_files(folder: Path) -> list[Path]:
    """Article files under a folder, recursively, in sorted order, hidden entries skipped."""
    suffixes = TEXT_SUFFIXES | JSONL_SUFFIXES
    files = (
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in suffixes
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )
    return sorted(files, key=lambda path: path.relative_to(folder).as_posix())


def _read_folder(
    folder: Path, source: str, published: date | None
) -> Iterator[Article | InputError]:
    """Every article in a folder tree; an `InputError` when it holds none."""
    files = _folder_files(folder)
    if not files:
        yield InputError("folder holds no article files (*.txt, *.jsonl, *.ndjson)", source=source)
    for path in files:
        yield from _read_file(path, str(path), published)


def _read_stdin(stream: TextIO, published: date | None) -> Iterator[Article | InputError]:
    """The article(s) on standard input: JSON Lines when it starts with `{`, else one text."""
    try:
        text = stream.read()
    except (OSError, UnicodeDecodeError) as error:
        yield InputError(f"cannot read standard input: {error}", source=STDIN_SOURCE)
        return
    if "\x00" in text:
        nul = text.index("\x00")
        yield InputError(f"binary input, not text (NUL at character {nul})", source=STDIN_SOURCE)
        return
    if _looks_like_jsonl(text):
        lines = text.splitlines()
        yield from _read_jsonl(lines, source=STDIN_SOURCE, stem=None, published=published)
        return
    try:
        yield parse_wire_text(
            text, id=f"stdin-{text_hash(text)}", source=STDIN_SOURCE, published=published
        )
    except InputError as error:
        yield error


def _read_one(
    name: str, published: date | None, stdin: TextIO | None
) -> Iterator[Article | InputError]:
    """The articles (and errors) of one command-line input."""
    if name == "-":
        yield from _read_stdin(stdin if stdin is not None else sys.stdin, published)
        return
    path = Path(name)
    if path.is_dir():
        yield from _read_folder(path, name, published)
    elif path.exists():
        yield from _read_file(path, name, published)
    else:
        yield InputError("no such file or folder", source=name)


def read_inputs(
    inputs: Sequence[str],
    *,
    published: date | None = None,
    stdin: TextIO | None = None,
) -> Iterator[Article | InputError]:
    """Articles from files, folders and `-` (standard input), in order, errors yielded inline.

    `published` is the fallback publication date for articles whose text and record give none.
    """
    items = (item for name in inputs for item in _read_one(name, published, stdin))
    yield from _unique_ids(items)
