"""The MAP stage: hand-annotated Docs become the contract's triples, with safe, stable IRIs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyoxigraph
import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from spacy.language import Language
from spacy.tokens import Doc

import kg
import kg.nlp.extensions  # registers the Doc extensions
from kg.annotate import annotate
from kg.article import Article
from kg.errors import InputError
from kg.mapping import PREFIXES, IriMinter, RunInfo, article_graph, article_triples
from kg.nlp import build_pipeline
from kg.nlp.types import Actor, ActorRelation, Event, EventRelation, Mention
from kg.read import read_inputs
from kg.settings import DEFAULT_MODEL
from kg.terms import ox_term
from kg.vocab import NIF, NKG, SCHEMA, SEM
from kg.write import FORMATS, serialize

BASE = "https://w3id.org/newskg/id/"
# A plain Namespace: pytest probes module globals, and rdflib's XSD warns on unknown names.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
RUN = RunInfo("9.9.9", "en_test_model", "1.2.3")

# Every sentence below is written for these tests.
TEXT = (
    "Mira Tallent, the president of Vostria, met Oren Valk in Port Ardel on 4 May 2024. "
    "Tallent said the border would reopen. "
    "Police in Vostria detained 14 students after the meeting."
)
S1_END = TEXT.index(". ") + 1
S2_START = S1_END + 1
S2_END = TEXT.index(". ", S2_START) + 1
S3_START = S2_END + 1

MIRA = "Person:Mira Tallent"
OREN = "Person:Oren Valk"
VOSTRIA = "Country:Vostria"
PORT = "Location:Port Ardel"
STUDENTS = "Group:14 students"
POLICE = "Organization:Vostrian police"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return spacy.blank("en")


@pytest.fixture(scope="session")
def minter() -> IriMinter:
    return IriMinter(BASE)


def at(surface: str, nth: int = 0, text: str = TEXT) -> tuple[int, int]:
    """Offsets of the nth occurrence of `surface` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def mention(surface: str, key: str, nth: int = 0, kind: str = "name") -> Mention:
    start, end = at(surface, nth)
    return Mention(start, end, surface, key, kind)


def meeting() -> Event:
    start, end = at("met")
    return Event(
        "Meeting", "met", start, end, 0, S1_END,
        participants=[MIRA, OREN], location=PORT, date="2024-05-04",
    )  # fmt: skip


def statement() -> Event:
    start, end = at("said")
    return Event(
        "Statement", "said", start, end, S2_START, S2_END,
        agent=[MIRA], quote="the border would reopen",
    )  # fmt: skip


def arrest() -> Event:
    start, end = at("detained")
    return Event(
        "Arrest", "detained", start, end, S3_START, len(TEXT),
        agent=[POLICE], affected=[STUDENTS], location=VOSTRIA, date="2024-05", count=14,
    )  # fmt: skip


def annotated(nlp: Language, text: str = TEXT, **extensions: object) -> Doc:
    doc = nlp.make_doc(text)
    for name, value in extensions.items():
        setattr(doc._, name, value)
    return doc


def sample_doc(nlp: Language) -> Doc:
    return annotated(
        nlp,
        actors={
            MIRA: Actor("Person", "Mira Tallent", {"Tallent", "Mira Tallent"}, {"president"}),
            OREN: Actor("Person", "Oren Valk"),
            VOSTRIA: Actor("Country", "Vostria"),
            PORT: Actor("Location", "Port Ardel"),
            "Person:Nobody Here": Actor("Person", "Nobody Here"),
        },
        mentions=[
            mention("Mira Tallent", MIRA),
            mention("Vostria", VOSTRIA),
            mention("Oren Valk", OREN),
            mention("Port Ardel", PORT),
            mention("Tallent", MIRA, nth=1, kind="alias"),
            mention("Vostria", VOSTRIA, nth=1),
        ],
        events=[meeting(), statement(), arrest()],
        actor_relations=[ActorRelation(MIRA, "leaderOf", VOSTRIA, 0, S1_END)],
        event_relations=[
            EventRelation(arrest().key, "after", meeting().key),
            EventRelation(arrest().key, "causedBy", "Protest-0-1"),
        ],
    )


def sample_article(article_id: str = "vostria-1", **fields: object) -> Article:
    values: dict[str, object] = {
        "headline": "Vostria talks",
        "published": date(2024, 5, 5),
        "authors": ("Ada Quill", "Ben Roe"),
        "dateline": "Port Ardel, Vostria",
        "url": "https://news.example.org/vostria-talks",
    }
    values.update(fields)
    return Article(article_id, TEXT, f"{article_id}.txt", **values)  # type: ignore[arg-type]


@pytest.fixture()
def graph(nlp: Language, minter: IriMinter) -> Graph:
    return article_graph(sample_article(), sample_doc(nlp), run=RUN, minter=minter)


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


ARTICLE = iri("article/vostria-1")
CONTEXT = iri("article/vostria-1/context")


def span(start: int, end: int) -> URIRef:
    return URIRef(f"{ARTICLE}#char={start},{end}")


def types(graph: Graph, node: URIRef) -> set[URIRef]:
    return set(graph.objects(node, RDF.type))


def one(graph: Graph, node: URIRef, prop: URIRef) -> object:
    values = list(graph.objects(node, prop))
    assert len(values) == 1, (node, prop, values)
    return values[0]


# ---------------------------------------------------------------- article, context, run


def test_article_node_carries_metadata(graph: Graph) -> None:
    assert types(graph, ARTICLE) == {NKG.Article, SCHEMA["NewsArticle"]}
    assert one(graph, ARTICLE, SCHEMA["headline"]) == Literal("Vostria talks")
    assert one(graph, ARTICLE, SCHEMA["datePublished"]) == Literal("2024-05-05", datatype=XSD.date)
    authors = {Literal("Ada Quill"), Literal("Ben Roe")}
    assert set(graph.objects(ARTICLE, SCHEMA["author"])) == authors
    assert one(graph, ARTICLE, SCHEMA["url"]) == URIRef("https://news.example.org/vostria-talks")
    assert one(graph, ARTICLE, NKG.context) == CONTEXT
    assert one(graph, ARTICLE, PROV.wasGeneratedBy) == iri("run/9.9.9/en_test_model-1.2.3")


def test_dateline_reuses_the_actor_that_names_the_city(graph: Graph) -> None:
    place = one(graph, ARTICLE, NKG.dateline)
    assert place == iri("location/Port_Ardel")
    assert one(graph, place, RDFS.label) == Literal("Port Ardel")


def test_dateline_city_without_actor_becomes_a_location(nlp: Language, minter: IriMinter) -> None:
    article = sample_article(dateline="Kellmoor, Vostria", url="not a url", headline=None)
    graph = article_graph(article, sample_doc(nlp), run=RUN, minter=minter)
    place = one(graph, ARTICLE, NKG.dateline)
    assert place == iri("location/Kellmoor")
    assert types(graph, place) == {NKG.Location, SEM["Place"]}
    assert one(graph, place, RDFS.label) == Literal("Kellmoor")
    assert list(graph.objects(ARTICLE, SCHEMA["url"])) == []
    assert list(graph.objects(ARTICLE, SCHEMA["headline"])) == []


def test_context_holds_the_text_offsets_index(graph: Graph) -> None:
    assert types(graph, CONTEXT) == {NIF["Context"]}
    assert one(graph, CONTEXT, NIF["isString"]) == Literal(TEXT)
    assert one(graph, CONTEXT, NIF["beginIndex"]) == Literal(0, datatype=XSD.nonNegativeInteger)
    end = Literal(len(TEXT), datatype=XSD.nonNegativeInteger)
    assert one(graph, CONTEXT, NIF["endIndex"]) == end


def test_run_is_a_deterministic_activity(graph: Graph) -> None:
    run = iri("run/9.9.9/en_test_model-1.2.3")
    assert PROV.Activity in types(graph, run)
    assert one(graph, run, RDFS.label) == Literal("newskg 9.9.9 with en_test_model 1.2.3")
    assert one(graph, run, SCHEMA["softwareVersion"]) == Literal("9.9.9")
    model = one(graph, run, PROV.used)
    assert one(graph, model, RDFS.label) == Literal("en_test_model")
    assert one(graph, model, SCHEMA["version"]) == Literal("1.2.3")
    timed = {XSD.dateTime, XSD.dateTimeStamp, XSD.time}
    assert not [o for o in graph.objects() if isinstance(o, Literal) and o.datatype in timed]


def test_run_info_from_a_pipeline(nlp: Language) -> None:
    run = RunInfo.from_nlp(nlp)
    assert run == RunInfo(kg.__version__, f"en_{nlp.meta['name']}", nlp.meta["version"])


def test_same_input_gives_equal_graphs(nlp: Language, minter: IriMinter, graph: Graph) -> None:
    again = article_graph(sample_article(), sample_doc(nlp), run=RUN, minter=minter)
    assert set(again) == set(graph)


# ---------------------------------------------------------------- actors and mentions


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("person/Mira_Tallent", {NKG.Person, SEM["Actor"]}),
        ("country/Vostria", {NKG.Country, SEM["Actor"], SEM["Place"]}),
        ("location/Port_Ardel", {NKG.Location, SEM["Place"]}),
        ("group/14_students", {NKG.Group, SEM["Actor"]}),
        ("organization/Vostrian_police", {NKG.Organization, SEM["Actor"]}),
    ],
)
def test_actor_types(graph: Graph, path: str, expected: set[URIRef]) -> None:
    assert types(graph, iri(path)) == expected


def test_every_actor_has_exactly_one_label(graph: Graph) -> None:
    actors = {*graph.subjects(RDF.type, SEM["Actor"]), *graph.subjects(RDF.type, SEM["Place"])}
    assert len(actors) == 6  # five in the text, Port Ardel; "Nobody Here" is never mentioned
    for actor in actors:
        assert len(list(graph.objects(actor, RDFS.label))) == 1, actor


def test_aliases_and_titles(graph: Graph) -> None:
    mira = iri("person/Mira_Tallent")
    assert one(graph, mira, RDFS.label) == Literal("Mira Tallent")
    assert set(graph.objects(mira, SKOS.altLabel)) == {Literal("Tallent")}
    assert set(graph.objects(mira, NKG.title)) == {Literal("president")}


def test_unmentioned_unreferenced_actor_is_left_out(graph: Graph) -> None:
    assert (None, RDFS.label, Literal("Nobody Here")) not in graph


def test_mentions_are_nif_spans_with_exact_offsets(graph: Graph) -> None:
    spans = set(graph.objects(iri("person/Mira_Tallent"), NKG.mention))
    assert spans == {span(*at("Mira Tallent")), span(*at("Tallent", 1))}
    start, end = at("Tallent", 1)
    tallent = span(start, end)
    assert types(graph, tallent) == {NIF["String"], NIF["Phrase"]}
    assert one(graph, tallent, NIF["anchorOf"]) == Literal(TEXT[start:end])
    assert one(graph, tallent, NIF["beginIndex"]) == Literal(start, datatype=XSD.nonNegativeInteger)
    assert one(graph, tallent, NIF["endIndex"]) == Literal(end, datatype=XSD.nonNegativeInteger)
    assert one(graph, tallent, NIF["referenceContext"]) == CONTEXT


def test_same_actor_in_two_articles_is_one_node(nlp: Language, minter: IriMinter) -> None:
    first = article_graph(sample_article("a-1"), sample_doc(nlp), run=RUN, minter=minter)
    second = article_graph(sample_article("a-2"), sample_doc(nlp), run=RUN, minter=minter)
    merged = first + second
    mira = iri("person/Mira_Tallent")
    assert len(list(merged.objects(mira, RDFS.label))) == 1
    assert len(list(merged.objects(mira, NKG.mention))) == 4


def test_mention_that_does_not_match_the_text_is_an_error(nlp: Language, minter: IriMinter) -> None:
    start, end = at("Oren Valk")
    doc = annotated(nlp, mentions=[Mention(start + 1, end + 1, "Oren Valk", OREN)])
    with pytest.raises(ValueError, match="does not match the text"):
        article_graph(sample_article(), doc, run=RUN, minter=minter)


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 2), (0, len(TEXT) + 1)])
def test_mention_outside_the_text_is_an_error(
    nlp: Language, minter: IriMinter, start: int, end: int
) -> None:
    doc = annotated(nlp, mentions=[Mention(start, end, "x", OREN)])
    with pytest.raises(ValueError, match="outside the text"):
        article_graph(sample_article(), doc, run=RUN, minter=minter)


def test_doc_of_another_text_is_an_error(nlp: Language, minter: IriMinter) -> None:
    with pytest.raises(ValueError, match="not the article's text"):
        article_graph(sample_article(), annotated(nlp, "Other."), run=RUN, minter=minter)


# ---------------------------------------------------------------- events


def event_iri(event: Event) -> URIRef:
    return iri(f"article/vostria-1/event/{event.key}")


def test_event_types_roles_and_provenance(graph: Graph) -> None:
    node = event_iri(meeting())
    assert types(graph, node) == {NKG.Meeting, NKG.Event, SEM["Event"]}
    assert one(graph, node, NKG.trigger) == Literal("met")
    people = {iri("person/Mira_Tallent"), iri("person/Oren_Valk")}
    assert set(graph.objects(node, NKG.participant)) == people
    assert one(graph, node, NKG.location) == iri("location/Port_Ardel")
    assert one(graph, node, NKG.modality) == NKG.Asserted
    assert one(graph, node, PROV.wasDerivedFrom) == ARTICLE
    arrest_node = event_iri(arrest())
    assert one(graph, arrest_node, NKG.agent) == iri("organization/Vostrian_police")
    assert one(graph, arrest_node, NKG.affected) == iri("group/14_students")
    assert one(graph, arrest_node, NKG["count"]) == Literal(14, datatype=XSD.nonNegativeInteger)
    assert list(graph.objects(node, NKG["count"])) == []


def test_actor_known_only_by_key_still_gets_a_labelled_node(graph: Graph) -> None:
    police = iri("organization/Vostrian_police")
    assert one(graph, police, RDFS.label) == Literal("Vostrian police")
    assert types(graph, police) == {NKG.Organization, SEM["Actor"]}


def test_statement_keeps_its_quote(graph: Graph) -> None:
    assert one(graph, event_iri(statement()), NKG.quote) == Literal("the border would reopen")


def test_evidence_is_the_sentence_span(graph: Graph) -> None:
    evidence = one(graph, event_iri(statement()), NKG.evidence)
    assert evidence == span(S2_START, S2_END)
    assert types(graph, evidence) == {NIF["String"], NIF["Sentence"]}
    assert one(graph, evidence, NIF["anchorOf"]) == Literal("Tallent said the border would reopen.")
    assert one(graph, evidence, NIF["referenceContext"]) == CONTEXT


@pytest.mark.parametrize(
    ("value", "datatype"),
    [("2024-05-04", XSD.date), ("2024-05", XSD.gYearMonth), ("2024", XSD.gYear)],
)
def test_date_datatype_follows_precision(
    nlp: Language, minter: IriMinter, value: str, datatype: URIRef
) -> None:
    event = meeting()
    event.date = value
    graph = article_graph(sample_article(), annotated(nlp, events=[event]), run=RUN, minter=minter)
    assert one(graph, event_iri(event), NKG.date) == Literal(value, datatype=datatype)


@pytest.mark.parametrize("value", ["2024-13", "2024-02-30", "May 2024", "24", "2024-5", "２０２４"])
def test_malformed_date_is_an_error(nlp: Language, minter: IriMinter, value: str) -> None:
    event = meeting()
    event.date = value
    with pytest.raises(ValueError, match="event date"):
        article_graph(sample_article(), annotated(nlp, events=[event]), run=RUN, minter=minter)


@pytest.mark.parametrize(
    ("modality", "individual"),
    [("asserted", NKG.Asserted), ("hypothetical", NKG.Hypothetical), ("negated", NKG.Negated)],
)
def test_modality_individuals(
    nlp: Language, minter: IriMinter, modality: str, individual: URIRef
) -> None:
    event = arrest()
    event.modality = modality
    graph = article_graph(sample_article(), annotated(nlp, events=[event]), run=RUN, minter=minter)
    assert one(graph, event_iri(event), NKG.modality) == individual


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("count", -1, "event count"),
        ("modality", "maybe", "unknown modality"),
        ("type", "Picnic", "unknown event type"),
        ("agent", ["Wizard:Merlin"], "malformed actor key"),
        ("agent", ["Mira Tallent"], "malformed actor key"),
        ("sent_end", len(TEXT) + 5, "outside the text"),
    ],
)
def test_inconsistent_event_is_an_error(
    nlp: Language, minter: IriMinter, field: str, value: object, message: str
) -> None:
    event = arrest()
    setattr(event, field, value)
    with pytest.raises(ValueError, match=message):
        article_graph(sample_article(), annotated(nlp, events=[event]), run=RUN, minter=minter)


# ---------------------------------------------------------------- relations


def test_actor_relation_is_direct_and_reified(graph: Graph) -> None:
    mira, vostria = iri("person/Mira_Tallent"), iri("country/Vostria")
    assert (mira, NKG.leaderOf, vostria) in graph
    statement_iri = iri("article/vostria-1/relation/0")
    assert types(graph, statement_iri) == {RDF.Statement}
    assert one(graph, statement_iri, RDF.subject) == mira
    assert one(graph, statement_iri, RDF.predicate) == NKG.leaderOf
    assert one(graph, statement_iri, RDF.object) == vostria
    assert one(graph, statement_iri, NKG.evidence) == span(0, S1_END)
    assert one(graph, statement_iri, PROV.wasDerivedFrom) == ARTICLE


def test_relation_numbers_follow_sorted_order(nlp: Language, minter: IriMinter) -> None:
    relations = [
        ActorRelation(OREN, "allyOf", MIRA, 0, S1_END),
        ActorRelation(MIRA, "citizenOf", VOSTRIA, 0, S1_END),
    ]
    for order in (relations, relations[::-1]):
        doc = annotated(nlp, actor_relations=order)
        graph = article_graph(sample_article(), doc, run=RUN, minter=minter)
        first = iri("article/vostria-1/relation/0")
        assert one(graph, first, RDF.predicate) == NKG.citizenOf


def test_unknown_actor_relation_is_an_error(nlp: Language, minter: IriMinter) -> None:
    doc = annotated(nlp, actor_relations=[ActorRelation(MIRA, "friendOf", OREN, 0, S1_END)])
    with pytest.raises(ValueError, match="unknown actor relation"):
        article_graph(sample_article(), doc, run=RUN, minter=minter)


def test_event_relations_link_known_events_only(graph: Graph) -> None:
    assert (event_iri(arrest()), NKG.after, event_iri(meeting())) in graph
    assert list(graph.subject_objects(NKG.causedBy)) == []


# ---------------------------------------------------------------- IRIs


def test_readable_actor_iris(minter: IriMinter) -> None:
    person = minter.actor("Person", "Alexander Lukashenko")
    assert person == URIRef(BASE + "person/Alexander_Lukashenko")
    assert minter.actor(Actor("Group", "52 political prisoners")) == iri(
        "group/52_political_prisoners"
    )
    assert minter.actor("Organization", "AT&T (U.S.)") == iri("organization/AT%26T_(U.S.)")


HOSTILE_NAMES = [
    'He said "no"',
    "back\\slash",
    "new\nline\r\n",
    "tab\tand\x00nul\x07bell\x7f",
    "<>{}|^`",
    "a/b?c#d%e",
    "  spaced  out  ",
    "Александр Лукашенко",
    "محمد بن سلمان",
    "习近平",
    "Kim 🚀 Rocket 👨‍👩‍👧",
    "lone \ud800 surrogate",
    ".",
    "..",
    "e\u0301",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_any_name_gives_a_valid_iri(minter: IriMinter, name: str) -> None:
    node = minter.actor("Person", name)
    pyoxigraph.NamedNode(str(node))
    assert str(node).startswith(BASE + "person/")
    assert "/" not in str(node)[len(BASE + "person/") :]
    assert not str(node).endswith((".", "/"))


def test_different_names_give_different_iris(minter: IriMinter) -> None:
    names = [name for name in HOSTILE_NAMES if "\ud800" not in name]
    assert len({minter.actor("Person", name) for name in names}) == len(names)


def test_unicode_normalisation_makes_one_iri(minter: IriMinter) -> None:
    assert minter.actor("Person", "Jos\u00e9") == minter.actor("Person", "Jose\u0301")


@pytest.mark.parametrize("base", ["ftp://example.org/", "https://example.org/id", "/id/", "id"])
def test_bad_base_iri_is_rejected(base: str) -> None:
    with pytest.raises(ValueError, match="base IRI"):
        IriMinter(base)


def test_hash_base_iri_still_gives_valid_span_iris() -> None:
    minter = IriMinter("https://example.org/kg#")
    node = minter.span("a 1", 3, 9)
    pyoxigraph.NamedNode(str(node))
    assert str(node) == "https://example.org/kg#article/a_1/char=3,9"


def test_unknown_actor_type_is_rejected(minter: IriMinter) -> None:
    with pytest.raises(ValueError, match="unknown actor type"):
        minter.actor("Wizard", "Merlin")


def test_mapping_hostile_names_gives_parseable_output(nlp: Language, minter: IriMinter) -> None:
    names = [name for name in HOSTILE_NAMES if "\ud800" not in name]  # spaCy rejects surrogates
    text = " | ".join(names)
    actors, mentions = {}, []
    start = 0
    for n, name in enumerate(names):
        actor = Actor(("Person", "Group", "Location")[n % 3], name, {name + "!"}, {name[::-1]})
        actors[actor.key] = actor
        mentions.append(Mention(start, start + len(name), name, actor.key))
        start += len(name) + 3
    doc = annotated(nlp, text, actors=actors, mentions=mentions)
    article = Article("hostile/../id ?", text, "h.txt", headline=text, authors=tuple(HOSTILE_NAMES))
    graph = article_graph(article, doc, run=RUN, minter=minter)
    for fmt in FORMATS.values():
        data = serialize([(minter.article(article.id), graph)], fmt)
        assert len(list(pyoxigraph.parse(data, format=OX_FORMATS[fmt.name]))) == len(graph)


# ---------------------------------------------------------------- round trips of arbitrary text

OX_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt"}


def literal_values(graph: Graph) -> set[str]:
    return {str(o) for o in graph.objects() if isinstance(o, Literal)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(min_size=1, max_size=30),
    quote=st.text(max_size=40),
    headline=st.text(max_size=40),
    alias=st.text(max_size=10),
)
def test_arbitrary_text_round_trips(
    nlp: Language, minter: IriMinter, name: str, quote: str, headline: str, alias: str
) -> None:
    text = f"{headline}\n\n{name} stated: {quote}"
    start = len(headline) + 2
    key = f"Person:{name}"
    said = text.index("stated", start + len(name))
    doc = annotated(
        nlp,
        text,
        actors={key: Actor("Person", name, {alias}, {alias})},
        mentions=[Mention(start, start + len(name), name, key)],
        events=[
            Event("Statement", "stated", said, said + 6, start, len(text), agent=[key], quote=quote)
        ],
    )
    article = Article(name, text, "h.txt", headline=headline, authors=(quote,), dateline=name)
    graph = article_graph(article, doc, run=RUN, minter=minter)
    expected = literal_values(graph)
    assert name in expected and text in expected
    for fmt_name, rdflib_name in RDFLIB_FORMATS.items():
        data = serialize([(minter.article(article.id), graph)], FORMATS[fmt_name])
        quads = list(pyoxigraph.parse(data, format=OX_FORMATS[fmt_name]))
        assert len(quads) == len(graph)
        assert {q.object.value for q in quads if isinstance(q.object, pyoxigraph.Literal)} == (
            expected
        )
        reparsed = Graph().parse(data=data, format=rdflib_name)
        assert len(reparsed) == len(graph)
        assert literal_values(reparsed) == expected


# ---------------------------------------------------------------- Oxigraph triples

# What the rdflib mapper (before `article_triples`) made of `small_article()`, in Turtle.
SNAPSHOT = """
<article/k-1#char=0,48> a nif:Sentence , nif:String ;
    nif:anchorOf "Ida Brenn, mayor of Kessa, detained 3 reporters." ;
    nif:beginIndex "0"^^xsd:nonNegativeInteger ;
    nif:endIndex "48"^^xsd:nonNegativeInteger ;
    nif:referenceContext <article/k-1/context> .

<article/k-1#char=0,9> a nif:Phrase , nif:String ;
    nif:anchorOf "Ida Brenn" ;
    nif:beginIndex "0"^^xsd:nonNegativeInteger ;
    nif:endIndex "9"^^xsd:nonNegativeInteger ;
    nif:referenceContext <article/k-1/context> .

<article/k-1#char=20,25> a nif:Phrase , nif:String ;
    nif:anchorOf "Kessa" ;
    nif:beginIndex "20"^^xsd:nonNegativeInteger ;
    nif:endIndex "25"^^xsd:nonNegativeInteger ;
    nif:referenceContext <article/k-1/context> .

<article/k-1/context> a nif:Context ;
    nif:beginIndex "0"^^xsd:nonNegativeInteger ;
    nif:endIndex "48"^^xsd:nonNegativeInteger ;
    nif:isString "Ida Brenn, mayor of Kessa, detained 3 reporters." .

<article/k-1/event/Arrest-27-35> a sem:Event , nkg:Arrest , nkg:Event ;
    prov:wasDerivedFrom <article/k-1> ;
    nkg:affected <group/3_reporters> ;
    nkg:agent <person/Ida_Brenn> ;
    nkg:count "3"^^xsd:nonNegativeInteger ;
    nkg:date "2024-06"^^xsd:gYearMonth ;
    nkg:evidence <article/k-1#char=0,48> ;
    nkg:location <location/Kessa> ;
    nkg:modality nkg:Hypothetical ;
    nkg:trigger "detained" .

<article/k-1/relation/0> a rdf:Statement ;
    rdf:object <location/Kessa> ;
    rdf:predicate nkg:leaderOf ;
    rdf:subject <person/Ida_Brenn> ;
    prov:wasDerivedFrom <article/k-1> ;
    nkg:evidence <article/k-1#char=0,48> .

<article/k-1> a schema:NewsArticle , nkg:Article ;
    prov:wasGeneratedBy <run/9.9.9/en_test_model-1.2.3> ;
    schema:author "Lu Parr" ;
    schema:datePublished "2024-06-02"^^xsd:date ;
    schema:headline "Kessa arrests" ;
    schema:url <https://news.example.org/k-1> ;
    nkg:context <article/k-1/context> ;
    nkg:dateline <location/Kessa> .

<group/3_reporters> a sem:Actor , nkg:Group ;
    rdfs:label "3 reporters" .

<location/Kessa> a sem:Place , nkg:Location ;
    rdfs:label "Kessa" ;
    nkg:mention <article/k-1#char=20,25> .

<model/en_test_model/1.2.3> a prov:Entity ;
    rdfs:label "en_test_model" ;
    schema:version "1.2.3" .

<person/Ida_Brenn> a sem:Actor , nkg:Person ;
    rdfs:label "Ida Brenn" ;
    skos:altLabel "Brenn" ;
    nkg:leaderOf <location/Kessa> ;
    nkg:mention <article/k-1#char=0,9> ;
    nkg:title "mayor" .

<run/9.9.9/en_test_model-1.2.3> a prov:Activity ;
    rdfs:label "newskg 9.9.9 with en_test_model 1.2.3" ;
    prov:used <model/en_test_model/1.2.3> ;
    schema:softwareVersion "9.9.9" .
"""


def small_article() -> tuple[Article, Doc]:
    text = "Ida Brenn, mayor of Kessa, detained 3 reporters."
    ida, kessa = "Person:Ida Brenn", "Location:Kessa"
    doc = spacy.blank("en").make_doc(text)
    doc._.actors = {
        ida: Actor("Person", "Ida Brenn", {"Brenn"}, {"mayor"}),
        kessa: Actor("Location", "Kessa"),
    }
    doc._.mentions = [Mention(0, 9, "Ida Brenn", ida), Mention(20, 25, "Kessa", kessa)]
    start, end = at("detained", text=text)
    arrest = Event(
        "Arrest", "detained", start, end, 0, len(text),
        agent=[ida], affected=["Group:3 reporters"], location=kessa, date="2024-06", count=3,
        modality="hypothetical",
    )  # fmt: skip
    doc._.events = [arrest]
    doc._.actor_relations = [ActorRelation(ida, "leaderOf", kessa, 0, len(text))]
    article = Article(
        "k-1", text, "k-1.txt", headline="Kessa arrests", published=date(2024, 6, 2),
        authors=("Lu Parr",), dateline="Kessa", url="https://news.example.org/k-1",
    )  # fmt: skip
    return article, doc


def parse_turtle(data: str) -> set[pyoxigraph.Triple]:
    head = "".join(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in PREFIXES.items())
    turtle = f"{head}@base <{BASE}> .\n{data}"
    return {quad.triple for quad in pyoxigraph.parse(turtle, format=pyoxigraph.RdfFormat.TURTLE)}


def graph_triples(graph: Graph) -> set[pyoxigraph.Triple]:
    return {pyoxigraph.Triple(*map(ox_term, triple)) for triple in graph}


def test_triples_are_what_the_rdflib_mapper_made(minter: IriMinter) -> None:
    article, doc = small_article()
    triples = article_triples(article, doc, run=RUN, minter=minter)
    assert set(triples) == parse_turtle(SNAPSHOT)
    assert len(triples) == len(set(triples)) == 70


def hostile_article(nlp: Language) -> tuple[Article, Doc]:
    names = ["a/b?c#d%e", "Александр Лукашенко", "..", "e\u0301", "tab\tand\x00nul"]
    text = " | ".join(names)
    actors = {f"Person:{name}": Actor("Person", name, {name + "!"}, {name[::-1]}) for name in names}
    mentions = [Mention(*at(name, text=text), name, f"Person:{name}") for name in names]
    doc = annotated(nlp, text, actors=actors, mentions=mentions)
    return Article("hostile/../id ?", text, "h.txt", headline=text, authors=tuple(names)), doc


def repeating_article(nlp: Language) -> tuple[Article, Doc]:
    """The same facts given twice: roles, relations, events of one sentence, authors."""
    events = [meeting(), statement()]
    events[0].participants = [MIRA, OREN, MIRA]
    events[1].sent_start, events[1].sent_end = 0, S1_END  # both events cite sentence 1
    doc = annotated(
        nlp,
        actors=sample_doc(nlp)._.actors,
        mentions=[mention("Mira Tallent", MIRA), mention("Mira Tallent", MIRA)],
        events=events,
        actor_relations=[
            ActorRelation(MIRA, "allyOf", OREN, 0, S1_END),
            ActorRelation(MIRA, "allyOf", OREN, S2_START, S2_END),
        ],
        event_relations=[EventRelation(events[1].key, "after", events[0].key)] * 2,
    )
    return sample_article(authors=("Ada Quill", "Ada Quill")), doc


@pytest.mark.parametrize("make", [lambda nlp: small_article(), hostile_article, repeating_article])
def test_triples_are_the_graph_s_triples_each_once(
    nlp: Language, minter: IriMinter, make: object
) -> None:
    article, doc = make(nlp)  # type: ignore[operator]
    triples = article_triples(article, doc, run=RUN, minter=minter)
    assert len(triples) == len(set(triples))
    assert set(triples) == graph_triples(article_graph(article, doc, run=RUN, minter=minter))


def test_repeated_facts_give_one_triple(nlp: Language, minter: IriMinter) -> None:
    article, doc = repeating_article(nlp)
    triples = article_triples(article, doc, run=RUN, minter=minter)
    mira, oren = (
        pyoxigraph.NamedNode(str(iri(f"person/{n}"))) for n in ("Mira_Tallent", "Oren_Valk")
    )
    ally = pyoxigraph.NamedNode(str(NKG.allyOf))
    assert triples.count(pyoxigraph.Triple(mira, ally, oren)) == 1
    sentence = pyoxigraph.NamedNode(str(span(0, S1_END)))
    assert sum(t.subject == sentence for t in triples) == 6  # cited three times
    assert len(triples) == len(set(triples))


def test_triples_come_in_the_same_order_every_time(nlp: Language) -> None:
    runs = [
        article_triples(sample_article(), sample_doc(nlp), run=RUN, minter=IriMinter(BASE))
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


def test_lone_surrogates_become_replacement_characters(nlp: Language, minter: IriMinter) -> None:
    article = sample_article(headline="Vostria \ud800 talks")
    triples = article_triples(article, sample_doc(nlp), run=RUN, minter=minter)
    headline = pyoxigraph.NamedNode(str(SCHEMA["headline"]))
    assert [t.object.value for t in triples if t.predicate == headline] == ["Vostria \ufffd talks"]


def test_an_iri_oxigraph_rejects_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a valid IRI"):
        IriMinter("https://exa mple.org/")


@pytest.mark.parametrize(
    ("name", "segment"),
    [("O'Brien-Smith_(Jr.)", "O'Brien-Smith_(Jr.)"), ("...", "%2E%2E%2E"), ("a b", "a_b")],
)
def test_plain_names_are_kept_and_dot_segments_encoded(
    minter: IriMinter, name: str, segment: str
) -> None:
    assert minter.actor("Person", name) == iri(f"person/{segment}")
    assert minter.actor_node("Person", name).value == BASE + f"person/{segment}"


ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"


@pytest.fixture(scope="module")
def annotated_articles() -> list[tuple[Article, Doc]]:
    articles = [item for item in read_inputs([str(ARTICLES)]) if not isinstance(item, InputError)]
    return list(annotate(build_pipeline(DEFAULT_MODEL), articles))


def test_data_articles_give_the_graph_s_triples_each_once(
    annotated_articles: list[tuple[Article, Doc]], minter: IriMinter
) -> None:
    assert len(annotated_articles) >= 6
    for article, doc in annotated_articles:
        triples = article_triples(article, doc, run=RUN, minter=minter)
        assert len(triples) == len(set(triples)), article.source
        graph = article_graph(article, doc, run=RUN, minter=minter)
        assert set(triples) == graph_triples(graph), article.source
