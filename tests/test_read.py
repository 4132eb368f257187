"""Tests of the read stage: wire layout parsing, cleaning, reflow, inputs, errors and ids."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import textwrap
from datetime import date
from pathlib import Path

import pytest

from kg.article import Article
from kg.errors import InputError
from kg.read import parse_wire_text, read_inputs, slugify

FIXTURES = Path(__file__).parent / "fixtures" / "read"
ARTICLES = Path(__file__).parent.parent / "data" / "articles"
JUNK = ("(AP", "via AP)", "[to top", "©", "|", "___", "contributed", "rights reserved")


def parse(raw: str, **kwargs: object) -> Article:
    """Parse a test text with a fixed id and source."""
    return parse_wire_text(textwrap.dedent(raw).lstrip("\n"), id="t", source="t.txt", **kwargs)


def paragraphs(article: Article) -> list[str]:
    """The paragraphs of an article's text (headline first when there is one)."""
    return article.text.split("\n\n")


def collect(inputs: list[str], **kwargs: object) -> tuple[list[Article], list[InputError]]:
    """Articles and errors of a `read_inputs` run, separated."""
    items = list(read_inputs(inputs, **kwargs))
    articles = [item for item in items if isinstance(item, Article)]
    errors = [item for item in items if isinstance(item, InputError)]
    assert len(articles) + len(errors) == len(items)
    return articles, errors


def write(path: Path, content: str | bytes) -> str:
    """Write a file for a test and return its path as a string."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


# --------------------------------------------------------------------------- reflow

WRAPPED = """\
Ministers from the two neighbouring states met for three hours, and the
exiled opposition leader Sviatlana
Tsikhanouskaya was invited as an observer, said a spokesman for the
U.S. government-
funded broadcaster.
Nobody signed anything.
The talks will resume in the autumn, officials from both delegations
said on Friday.
"""


def test_name_broken_across_lines_comes_out_whole() -> None:
    article = parse(WRAPPED)
    assert "Sviatlana Tsikhanouskaya" in article.text
    assert article.text.find("Sviatlana Tsikhanouskaya") > 0


def test_hyphenated_line_break_keeps_the_hyphen_without_space() -> None:
    assert "government-funded broadcaster" in parse(WRAPPED).text


def test_spaced_dash_at_line_end_joins_with_a_space() -> None:
    article = parse("The drones crossed into its territory —\nsaying some came from the east.\n")
    assert article.text == "The drones crossed into its territory — saying some came from the east."


def test_unspaced_dash_at_line_end_joins_without_space() -> None:
    article = parse("The ceasefire—\nwhich nobody expected—held for a week.\n")
    assert article.text == "The ceasefire—which nobody expected—held for a week."


def test_short_line_ending_a_sentence_ends_the_paragraph() -> None:
    assert paragraphs(parse(WRAPPED))[1] == "Nobody signed anything."


def test_full_line_ending_a_sentence_does_not_end_the_paragraph() -> None:
    raw = (
        "The committee approved the plan on Monday after a very long debate.\n"
        "Critics said it was rushed, and several members abstained from it.\n"
        "The vote was 11 to 4.\n"
    )
    assert paragraphs(parse(raw)) == [
        "The committee approved the plan on Monday after a very long debate. Critics said it was"
        " rushed, and several members abstained from it. The vote was 11 to 4."
    ]


def test_lowercase_next_line_never_starts_a_paragraph() -> None:
    raw = "The minister spoke first.\nand then the envoy replied at some length to him.\n"
    assert len(paragraphs(parse(raw))) == 1


def test_abbreviation_at_line_end_does_not_end_the_paragraph() -> None:
    raw = (
        "Talks between the two governments resumed in Geneva, according to U.S.\n"
        "Officials who spoke on condition of anonymity about the closed talks.\n"
    )
    assert paragraphs(parse(raw)) == [
        "Talks between the two governments resumed in Geneva, according to U.S. Officials who"
        " spoke on condition of anonymity about the closed talks."
    ]


def test_blank_lines_separate_paragraphs() -> None:
    raw = "First paragraph, which is short\n\nsecond paragraph, also short.\n"
    assert paragraphs(parse(raw)) == [
        "First paragraph, which is short",
        "second paragraph, also short.",
    ]


def test_unwrapped_text_keeps_one_paragraph_per_line() -> None:
    line = "The envoy met the president in the capital on Monday to discuss a prisoner deal " * 2
    raw = f"{line.strip()}\n{line.strip()}\nA short closing line without a stop\n"
    assert len(paragraphs(parse(raw))) == 3


def test_subheading_is_its_own_paragraph() -> None:
    raw = (
        "The government said the measures would take effect on Monday morning.\n"
        "\n"
        "Sanctions on airline eased\n"
        "Officials said the national carrier would be able to buy spare parts\n"
        "for its aging fleet of passenger jets.\n"
    )
    assert paragraphs(parse(raw))[1] == "Sanctions on airline eased"
    assert paragraphs(parse(raw))[2].startswith("Officials said")


def test_whitespace_is_normalised_and_characters_kept() -> None:
    decomposed = "Ramanauskiene\u0307"  # e + combining dot above: NFC keeps it as one letter
    raw = f"“Мы\u00a0вернёмся,”\tsaid  {decomposed}\u200b in Vilnius.\r\n"
    article = parse(raw)
    assert article.text == "“Мы вернёмся,” said Ramanauskienė in Vilnius."
    assert "\u0307" not in article.text


def test_text_has_no_single_newlines_or_double_spaces() -> None:
    text = parse_wire_text((FIXTURES / "wire.txt").read_text(), id="w", source="w").text
    assert "\n" not in text.replace("\n\n", "")
    assert "  " not in text
    assert text == text.strip()


# --------------------------------------------------------------------------- junk removal

BODY_BEFORE = "The council met on Monday and approved the plan.\n"
BODY_AFTER = "Opponents said they would appeal.\n"


@pytest.mark.parametrize(
    "junk",
    [
        "[to top of second column]",
        "[continued on page 3]",
        "[ Advertisement ]",
        "|",
        " | ",
        "___",
        "All contents © copyright 2024 Associated Press. All rights reserved |",
        "Copyright 2023 The Associated Press. All rights reserved.",
    ],
)
def test_junk_line_is_removed(junk: str) -> None:
    article = parse(f"{BODY_BEFORE}{junk}\n{BODY_AFTER}")
    assert paragraphs(article) == [BODY_BEFORE.strip(), BODY_AFTER.strip()]


def test_trailing_pipe_is_removed() -> None:
    assert parse("The council met on Monday. |\n").text == "The council met on Monday."


@pytest.mark.parametrize(
    "caption",
    [
        "A protester waves a flag outside parliament in Tbilisi, Georgia,\n"
        "Saturday, Nov. 30, 2024. (AP Photo/Nino Beridze)",
        "The envoy shakes hands with the president during their meeting in\n"
        "Minsk, Belarus, Thursday, Sept. 11, 2025. (Belarusian Presidential\n"
        "Press Service via AP)",
        "Workers stand on the tarmac of Joint Base Andrews, Md., Thursday,\n"
        "Aug. 1, 2024. (AP Photo)",
    ],
)
def test_photo_caption_paragraph_is_removed(caption: str) -> None:
    article = parse(f"{BODY_BEFORE}\n{caption}\n\n{BODY_AFTER}")
    assert paragraphs(article) == [BODY_BEFORE.strip(), BODY_AFTER.strip()]


def test_caption_without_blank_lines_is_removed() -> None:
    raw = (
        "Police closed the main square on Monday and detained several people.\n"
        "The mayor said the square would reopen soon.\n"
        "A police officer stands guard near the square in Riga, Latvia, Monday,\n"
        "Oct. 7, 2024. (AP Photo/Ilze Berzina)\n"
        "Opposition leaders called for new protests on Friday.\n"
    )
    assert paragraphs(parse(raw)) == [
        "Police closed the main square on Monday and detained several people. The mayor said"
        " the square would reopen soon.",
        "Opposition leaders called for new protests on Friday.",
    ]


def test_caption_merged_onto_a_paragraph_keeps_the_paragraph() -> None:
    body = "Police closed the main square on Monday and detained several people in\n" * 6
    raw = (
        f"{body}the old town. A police officer stands guard near the U.S. Embassy in\n"
        "Riga, Latvia, Monday, Oct. 7, 2024. (AP Photo/Ilze Berzina)\n"
    )
    assert parse(raw).text.endswith("detained several people in the old town.")
    assert "Embassy" not in parse(raw).text


@pytest.mark.parametrize(
    "credit",
    [
        "Associated Press writer Jan Kowalski in Warsaw contributed.",
        "Associated Press writers Olga Brandt in Warsaw and Peter Hale in\nLondon contributed"
        " to this report.",
        "Hale reported from Kyiv, Ukraine. Associated Press writers\nOlga Brandt in Warsaw,"
        " Poland, and Dan Mills in\nWashington contributed.",
    ],
)
def test_contributor_credit_is_removed(credit: str) -> None:
    article = parse(f"{BODY_BEFORE}___\n{credit}\n")
    assert article.text == BODY_BEFORE.strip()


def test_credit_words_inside_a_paragraph_are_kept() -> None:
    raw = "Two AP reporters were expelled in May, and colleagues contributed to a fund.\n"
    assert parse(raw).text == raw.strip()


def test_text_that_is_only_junk_is_an_error() -> None:
    with pytest.raises(InputError, match="no article text"):
        parse("[to top of second column]\n|\n___\nAll contents © 2024 AP.\n")


def test_wire_fixture_has_no_junk_left() -> None:
    text = parse_wire_text((FIXTURES / "wire.txt").read_text(), id="w", source="w").text
    for junk in JUNK:
        assert junk not in text
    assert text.endswith("“We are asking to be able to pay rent.”")


# --------------------------------------------------------------------------- metadata


def test_wire_fixture_metadata() -> None:
    article = parse_wire_text((FIXTURES / "wire.txt").read_text(), id="w", source="w")
    assert article.headline == (
        "Harbor workers in Gdansk walk off the job as talks over pay collapse for the third time"
    )
    assert article.published == date(2024, 4, 9)
    assert article.authors == ("Anna Wisniewska", "Tom Ellery")
    assert article.dateline == "Gdansk, Poland"
    assert article.text.startswith(article.headline + "\n\nGDANSK, Poland — Hundreds of dock")
    assert "Talks to resume" in paragraphs(article)


@pytest.mark.parametrize(
    "line",
    [
        "[September 12, 2025]",
        "September 12, 2025",
        "[Sept. 12, 2025]",
        "Sep 12 2025",
        "[2025-09-12]",
    ],
)
def test_date_line_variants(line: str) -> None:
    article = parse(f"Belarus frees prisoners\n{line}\nBy JANE ROE\nThe body.\n")
    assert article.published == date(2025, 9, 12)
    assert article.headline == "Belarus frees prisoners"
    assert article.text == "Belarus frees prisoners\n\nThe body."


def test_impossible_date_line_is_not_a_date() -> None:
    article = parse("[February 30, 2025]\nThe body.\n")
    assert article.published is None


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("By YURI KOVAL and MARIA LOPEZ", ("Yuri Koval", "Maria Lopez")),
        ("By ANN LEE, BO KIM and CY WU", ("Ann Lee", "Bo Kim", "Cy Wu")),
        ("By JANE DOE, Associated Press", ("Jane Doe",)),
        ("By Jane McDonald", ("Jane McDonald",)),
        ("By SEAN O'NEILL", ("Sean O'Neill",)),
        ("By Pieter van Damme and AP", ("Pieter van Damme",)),
    ],
)
def test_byline_authors(byline: str, authors: tuple[str, ...]) -> None:
    article = parse(f"Headline\n[May 1, 2024]\n{byline}\nThe body.\n")
    assert article.authors == authors


@pytest.mark.parametrize(
    "line",
    ["By nightfall, police had cleared the square.", "By Monday, the army had left the city."],
)
def test_sentence_starting_with_by_is_not_a_byline(line: str) -> None:
    article = parse(f"Protesters gathered in the capital.\n{line}\n")
    assert article.authors == ()
    assert article.headline is None
    assert article.text.endswith(line)


def test_byline_before_date_line() -> None:
    article = parse("Port strike ends\nBy ANNA NOWAK\n[April 12, 2024]\nThe workers returned.\n")
    assert (article.headline, article.authors) == ("Port strike ends", ("Anna Nowak",))
    assert article.published == date(2024, 4, 12)
    assert article.text == "Port strike ends\n\nThe workers returned."


def test_headline_before_byline_without_date_line() -> None:
    article = parse("Port strike ends\nBy ANNA NOWAK\nThe workers returned on Friday.\n")
    assert article.headline == "Port strike ends"
    assert article.authors == ("Anna Nowak",)
    assert article.published is None


@pytest.mark.parametrize(
    ("lead", "dateline", "kept"),
    [
        ("VILNIUS, Lithuania (AP) — ", "Vilnius, Lithuania", "VILNIUS, Lithuania — "),
        ("MEXICO CITY (AP) — ", "Mexico City", "MEXICO CITY — "),
        ("ST. PETERSBURG, Russia (AP) – ", "St. Petersburg, Russia", "ST. PETERSBURG, Russia – "),
        ("WASHINGTON (Reuters) - ", "Washington", "WASHINGTON - "),
        ("BOGOTÁ, Colombia — ", "Bogotá, Colombia", "BOGOTÁ, Colombia — "),
    ],
)
def test_dateline_lead_is_parsed_and_agency_removed(lead: str, dateline: str, kept: str) -> None:
    article = parse(f"Headline\n[May 1, 2024]\n{lead}The minister resigned on Tuesday.\n")
    assert article.dateline == dateline
    assert article.text == f"Headline\n\n{kept}The minister resigned on Tuesday."


def test_dateline_lead_can_be_dropped_from_the_text() -> None:
    raw = "VILNIUS, Lithuania (AP) — The minister resigned on Tuesday.\n"
    article = parse(raw, dateline_in_text=False)
    assert article.dateline == "Vilnius, Lithuania"
    assert article.text == "The minister resigned on Tuesday."


@pytest.mark.parametrize(
    "body",
    [
        "Paris (AP) — lower-case cities are not datelines.",
        "The talks — which lasted hours — ended without a deal.",
        "NATO — the Western military alliance — met on Monday.",
        "NATO, the EU and others — all of them — objected.",
        "UN - the world body - was silent.",
    ],
)
def test_sentence_is_not_mistaken_for_a_dateline(body: str) -> None:
    article = parse(f"{body}\n")
    assert article.dateline is None
    assert article.text == body


def test_plain_text_is_all_body() -> None:
    article = parse("Protesters gathered in the capital.\nPolice watched.\n")
    assert article.headline is None
    assert article.authors == ()
    assert article.text == "Protesters gathered in the capital.\n\nPolice watched."


def test_published_argument_is_only_a_fallback() -> None:
    fallback = date(2020, 1, 1)
    assert parse("Plain body text.\n", published=fallback).published == fallback
    dated = parse("Headline\n[March 3, 2024]\nBody.\n", published=fallback)
    assert dated.published == date(2024, 3, 3)


# --------------------------------------------------------------------------- JSON Lines


def test_json_lines_good_and_malformed_lines() -> None:
    path = str(FIXTURES / "mixed.jsonl")
    articles, errors = collect([path])
    assert [a.id for a in articles] == ["first", "mixed-7"]
    first = articles[0]
    assert first.headline == "Port strike ends"
    assert first.text.startswith("Port strike ends\n\nDock workers")
    assert first.published == date(2024, 4, 12)
    assert first.url == "https://example.org/a"
    assert first.source == f"{path}:1"
    messages = [str(error) for error in errors]
    assert messages[0].startswith(f"{path}:3: malformed JSON: Expecting")
    assert messages[1] == f"{path}:4: missing 'text' string field"
    assert messages[2].startswith(f"{path}:5: bad 'published' value '12/04/2024'")
    assert messages[3] == f"{path}:6: expected a JSON object with a 'text' field"
    assert all(error.source and error.source.startswith(path) for error in errors)


def test_json_field_of_wrong_type_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "x.jsonl", json.dumps({"text": "Body.", "url": 5}) + "\n")
    _, errors = collect([path])
    assert str(errors[0]) == f"{path}:1: field 'url' must be a string"


def test_json_published_datetime_and_run_fallback(tmp_path: Path) -> None:
    lines = [{"text": "One.", "published": "2024-05-06T10:00:00Z"}, {"text": "Two."}]
    path = write(tmp_path / "x.ndjson", "\n".join(json.dumps(line) for line in lines))
    articles, _ = collect([path], published=date(2020, 2, 2))
    assert [a.published for a in articles] == [date(2024, 5, 6), date(2020, 2, 2)]


def test_json_text_in_wire_layout_is_parsed(tmp_path: Path) -> None:
    text = "RIGA, Latvia (AP) — Farmers protested\non Friday."
    path = write(tmp_path / "x.jsonl", json.dumps({"text": text, "headline": "Farmers protest"}))
    (article,) = collect([path])[0]
    assert article.dateline == "Riga, Latvia"
    assert article.text == "Farmers protest\n\nRIGA, Latvia — Farmers protested on Friday."


# --------------------------------------------------------------------------- folders


def test_folder_is_read_recursively_in_sorted_order_skipping_hidden_and_other_files() -> None:
    articles, errors = collect([str(FIXTURES / "tree")])
    assert errors == []
    assert [a.id for a in articles] == ["b-second", "a-first", "tallinn-ferry"]
    assert all("hidden" not in a.text for a in articles)
    assert articles[2].published == date(2024, 2, 4)


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "notes.md", "Not an article.")
    _, errors = collect([str(tmp_path)])
    assert len(errors) == 1
    assert str(errors[0]).startswith(f"{tmp_path}: folder holds no article files")


# --------------------------------------------------------------------------- standard input


def test_stdin_raw_text() -> None:
    raw = "Headline\n[May 1, 2024]\nThe body text.\n"
    (article,) = collect(["-"], stdin=io.StringIO(raw))[0]
    assert article.id == "stdin-" + hashlib.sha256(raw.encode()).hexdigest()[:12]
    assert article.source == "<stdin>"
    assert article.headline == "Headline"


def test_stdin_json_lines() -> None:
    data = '{"text": "One body."}\n\n{"id": "Two", "text": "Two body."}\nnot json\n'
    articles, errors = collect(["-"], stdin=io.StringIO(data))
    assert articles[0].id == "stdin-" + hashlib.sha256(b"One body.").hexdigest()[:12]
    assert articles[1].id == "two"
    assert [a.source for a in articles] == ["<stdin>:1", "<stdin>:3"]
    assert str(errors[0]).startswith("<stdin>:4: malformed JSON")


def test_binary_stdin_is_an_error() -> None:
    _, errors = collect(["-"], stdin=io.StringIO("ab\x00cd"))
    assert str(errors[0]) == "<stdin>: binary input, not text (NUL at character 2)"


def test_empty_stdin_is_an_error() -> None:
    _, errors = collect(["-"], stdin=io.StringIO("   \n"))
    assert str(errors[0]) == "<stdin>: no article text (empty after removing layout)"


# --------------------------------------------------------------------------- errors


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    _, errors = collect([missing])
    assert str(errors[0]) == f"{missing}: no such file or folder"


def test_binary_file_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", b"PK\x03\x04\x00\x00binary")
    _, errors = collect([path])
    assert str(errors[0]) == f"{path}: binary file, not text (NUL byte at offset 4)"


def test_non_utf8_file_names_the_byte_offset(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", b"Caf\xe9 au lait")
    _, errors = collect([path])
    assert str(errors[0]) == f"{path}: not UTF-8 text (invalid byte 0xe9 at offset 3)"


@pytest.mark.parametrize("content", ["", " \n\t\n", "\ufeff\n"])
def test_empty_file_is_an_error(tmp_path: Path, content: str) -> None:
    path = write(tmp_path / "x.txt", content)
    _, errors = collect([path])
    assert str(errors[0]) == f"{path}: no article text (empty after removing layout)"


def test_errors_do_not_stop_other_inputs(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "A good article.")
    articles, errors = collect([str(tmp_path / "missing.txt"), good])
    assert [a.id for a in articles] == ["good"]
    assert len(errors) == 1
    assert "\n" not in str(errors[0])


def test_json_lines_are_read_one_by_one_and_a_bad_byte_names_its_file_offset(
    tmp_path: Path,
) -> None:
    first = b'\xef\xbb\xbf{"id": "one", "text": "First story."}\n'
    second = b'{"id": "two", "text": "Second story \xe2\x80\xa8 with a line separator."}\n'
    broken = b'{"id": "three", "text": "Caf\xe9"}\n'
    path = write(tmp_path / "x.jsonl", first + second + broken + b'{"text": "never read"}\n')
    articles, errors = collect([path])
    assert [a.id for a in articles] == ["one", "two"]  # a BOM only at the start, U+2028 in text
    offset = len(first) + len(second) + broken.index(b"\xe9")
    assert [str(e) for e in errors] == [
        f"{path}: not UTF-8 text (invalid byte 0xe9 at offset {offset})"
    ]


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", "\ufeffBody with a BOM.")
    assert collect([path])[0][0].text == "Body with a BOM."


# --------------------------------------------------------------------------- ids


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Belarus Prisoners 2025-09-12", "belarus-prisoners-2025-09-12"),
        ("Łódź café—report", "odz-cafe-report"),
        ("__x__", "x"),
        ("Беларусь", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_file_stem_without_ascii_falls_back_to_a_hash(tmp_path: Path) -> None:
    path = write(tmp_path / "Беларусь.txt", "Some text.")
    (article,) = collect([path])[0]
    assert article.id == "article-" + hashlib.sha256(b"Some text.").hexdigest()[:12]


def test_duplicate_ids_get_numbered_suffixes(tmp_path: Path) -> None:
    path = write(tmp_path / "Report One.txt", "Some text.")
    other = write(tmp_path / "sub" / "report-one.txt", "Other text.")
    articles, _ = collect([path, other, path])
    assert [a.id for a in articles] == ["report-one", "report-one-2", "report-one-3"]


def test_ids_are_deterministic() -> None:
    first = [a.id for a in collect([str(FIXTURES)])[0]]
    second = [a.id for a in collect([str(FIXTURES)])[0]]
    assert first == second
    assert len(set(first)) == len(first)


# --------------------------------------------------------------------------- offsets


def test_offsets_index_the_final_text_for_broken_names() -> None:
    article = parse_wire_text((FIXTURES / "wire.txt").read_text(), id="w", source="w")
    for name in ("Krzysztof Zielinski", "Ewa Nowakowska-Brzezinska", "state-owned parent"):
        start = article.text.find(name)
        assert start >= 0, name
        assert article.text[start : start + len(name)] == name
    assert article.text.index(article.headline or "") == 0


# --------------------------------------------------------------------------- sample articles


def _article_files() -> list[Path]:
    return sorted(ARTICLES.glob("*.txt"))


def test_there_are_at_least_six_sample_articles() -> None:
    assert len(_article_files()) >= 6


@pytest.mark.parametrize("path", _article_files(), ids=lambda path: path.stem)
def test_sample_article_parses_completely(path: Path) -> None:
    article = parse_wire_text(path.read_text(encoding="utf-8"), id=path.stem, source=str(path))
    assert article.headline
    assert article.published is not None
    assert article.published.isoformat() in path.stem
    assert len(article.authors) >= 1
    assert article.dateline
    for junk in JUNK:
        assert junk not in article.text, junk
    assert 250 <= len(article.text.split()) <= 600


@pytest.mark.parametrize("path", _article_files(), ids=lambda path: path.stem)
def test_sample_article_lines_are_joined_not_lost(path: Path) -> None:
    """Consecutive kept lines are joined by one space, a hyphen or a paragraph break."""
    text = parse_wire_text(path.read_text(encoding="utf-8"), id="x", source="x").text
    lines = path.read_text(encoding="utf-8").splitlines()
    pairs = [(a, b) for a, b in itertools.pairwise(lines) if a in text and b in text]
    assert len(pairs) > 10
    for line, following in pairs:
        joins = (f"{line} {following}", f"{line}\n\n{following}", f"{line}{following}")
        assert any(join in text for join in joins), (line, following)


def test_sample_folder_reads_without_errors() -> None:
    articles, errors = collect([str(ARTICLES)])
    assert errors == []
    assert len(articles) >= 9
    assert len({a.id for a in articles}) == len(articles)
    briefs = [a for a in articles if a.source.endswith(".jsonl:1") or ".jsonl:" in a.source]
    assert len(briefs) == 3
    assert all(a.headline and a.published and a.url and a.dateline for a in briefs)
