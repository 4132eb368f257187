"""The SHACL shapes accept a well-formed article graph and reject each kind of broken one."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV

from kg.errors import ValidationError
from kg.resources import resource_dir, resource_path
from kg.validate import ShapesValidator, ValidationResult, Violation, load_shapes
from kg.vocab import NIF, NKG, SCHEMA, SEM

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
"""A plain namespace: pytest probes module attributes, and rdflib's XSD warns on unknown names."""
ID = Namespace("https://w3id.org/newskg/id/")
ARTICLE = ID["article/harbour-talks"]
CONTEXT = URIRef(f"{ARTICLE}/context")
RUN = ID["run/0.1.0/test"]
MARTA = ID["person/Marta_Ostrova"]
VALDORIA = ID["country/Valdoria"]
PORT = ID["location/Port_Selene"]
FISHERS = ID["group/fishermen"]
COUNCIL = ID["organization/Harbour_Council"]
RELEASE = URIRef(f"{ARTICLE}/event/PrisonerRelease-30-38")
MEETING = URIRef(f"{ARTICLE}/event/Meeting-120-124")
RELATION = URIRef(f"{ARTICLE}/relation/1")

TEXT = (
    "Harbour talks end with release\n"
    "PORT SELENE (Wire) - Valdoria released 14 detained fishermen on Tuesday. "
    "President Marta Ostrova met the Harbour Council in Port Selene. "
    'Ostrova said the talks were "a good start".'
)
"""The article's cleaned text; offsets below are computed from it."""


def span(graph: Graph, text: str, *, kind: URIRef = NIF.Phrase, occurrence: int = 0) -> URIRef:
    """Add the nif:String span of the `occurrence`-th `text` in TEXT and return its IRI."""
    begin = -1
    for _ in range(occurrence + 1):
        begin = TEXT.index(text, begin + 1)
    end = begin + len(text)
    node = URIRef(f"{ARTICLE}#char={begin},{end}")
    graph.add((node, RDF.type, NIF.String))
    graph.add((node, RDF.type, kind))
    graph.add((node, NIF.anchorOf, Literal(text)))
    graph.add((node, NIF.beginIndex, Literal(begin, datatype=XSD.nonNegativeInteger)))
    graph.add((node, NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger)))
    graph.add((node, NIF.referenceContext, CONTEXT))
    return node


def actor(
    graph: Graph, node: URIRef, label: str, *types: URIRef, mentions: tuple[str, ...]
) -> None:
    """Add an actor or place with its label, types and mention spans."""
    for type_ in types:
        graph.add((node, RDF.type, type_))
    graph.add((node, RDFS.label, Literal(label)))
    for mention in mentions:
        graph.add((node, NKG.mention, span(graph, mention)))


def article_graph() -> Graph:
    """A small, valid article graph with the structure the mapping stage produces."""
    g = Graph()
    g.add((ARTICLE, RDF.type, NKG.Article))
    g.add((ARTICLE, RDF.type, SCHEMA.NewsArticle))
    g.add((ARTICLE, SCHEMA.headline, Literal("Harbour talks end with release")))
    g.add((ARTICLE, SCHEMA.datePublished, Literal("2031-05-14", datatype=XSD.date)))
    g.add((ARTICLE, SCHEMA.author, Literal("Jon Reeve")))
    g.add((ARTICLE, SCHEMA.url, URIRef("https://news.example.org/harbour-talks")))
    g.add((ARTICLE, NKG.dateline, PORT))
    g.add((ARTICLE, NKG.context, CONTEXT))
    g.add((ARTICLE, PROV.wasGeneratedBy, RUN))
    g.add((RUN, RDF.type, PROV.Activity))
    g.add((RUN, RDFS.label, Literal("newskg 0.1.0 with en_core_web_sm")))
    g.add((RUN, SCHEMA.softwareVersion, Literal("0.1.0")))
    g.add((RUN, PROV.wasAssociatedWith, ID["software/newskg"]))
    g.add((CONTEXT, RDF.type, NIF.Context))
    g.add((CONTEXT, NIF.isString, Literal(TEXT)))
    g.add((CONTEXT, NIF.beginIndex, Literal(0, datatype=XSD.nonNegativeInteger)))
    g.add((CONTEXT, NIF.endIndex, Literal(len(TEXT), datatype=XSD.nonNegativeInteger)))

    actor(g, MARTA, "Marta Ostrova", NKG.Person, SEM.Actor, mentions=("Marta Ostrova", "Ostrova"))
    g.add((MARTA, SKOS.altLabel, Literal("Ostrova")))
    g.add((MARTA, NKG.title, Literal("President")))
    actor(g, VALDORIA, "Valdoria", NKG.Country, SEM.Actor, SEM.Place, mentions=("Valdoria",))
    actor(g, PORT, "Port Selene", NKG.Location, SEM.Place, mentions=("Port Selene",))
    actor(g, FISHERS, "fishermen", NKG.Group, SEM.Actor, mentions=("14 detained fishermen",))
    actor(g, COUNCIL, "Harbour Council", NKG.Organization, SEM.Actor, mentions=("Harbour Council",))

    first = "Valdoria released 14 detained fishermen on Tuesday."
    second = "President Marta Ostrova met the Harbour Council in Port Selene."
    third = 'Ostrova said the talks were "a good start".'
    g.add((RELEASE, RDF.type, NKG.PrisonerRelease))
    g.add((RELEASE, RDF.type, NKG.Event))
    g.add((RELEASE, RDF.type, SEM.Event))
    g.add((RELEASE, NKG.trigger, Literal("released")))
    g.add((RELEASE, NKG.agent, VALDORIA))
    g.add((RELEASE, NKG.affected, FISHERS))
    g.add((RELEASE, NKG.date, Literal("2031-05-13", datatype=XSD.date)))
    g.add((RELEASE, NKG["count"], Literal(14, datatype=XSD.nonNegativeInteger)))
    g.add((RELEASE, NKG.modality, NKG.Asserted))
    g.add((RELEASE, NKG.evidence, span(g, first, kind=NIF.Sentence)))
    g.add((RELEASE, PROV.wasDerivedFrom, ARTICLE))

    g.add((MEETING, RDF.type, NKG.Meeting))
    g.add((MEETING, RDF.type, NKG.Event))
    g.add((MEETING, RDF.type, SEM.Event))
    g.add((MEETING, NKG.trigger, Literal("met")))
    g.add((MEETING, NKG.participant, MARTA))
    g.add((MEETING, NKG.participant, COUNCIL))
    g.add((MEETING, NKG.location, PORT))
    g.add((MEETING, NKG.date, Literal("2031-05", datatype=XSD.gYearMonth)))
    g.add((MEETING, NKG.modality, NKG.Asserted))
    g.add((MEETING, NKG.evidence, span(g, second, kind=NIF.Sentence)))
    g.add((MEETING, PROV.wasDerivedFrom, ARTICLE))
    g.add((RELEASE, NKG.after, MEETING))

    statement = URIRef(f"{ARTICLE}/event/Statement-169-173")
    g.add((statement, RDF.type, NKG.Statement))
    g.add((statement, RDF.type, NKG.Event))
    g.add((statement, RDF.type, SEM.Event))
    g.add((statement, NKG.trigger, Literal("said")))
    g.add((statement, NKG.agent, MARTA))
    g.add((statement, NKG.quote, Literal("a good start")))
    g.add((statement, NKG.date, Literal("2031", datatype=XSD.gYear)))
    g.add((statement, NKG.modality, NKG.Asserted))
    g.add((statement, NKG.evidence, span(g, third, kind=NIF.Sentence)))
    g.add((statement, PROV.wasDerivedFrom, ARTICLE))

    g.add((MARTA, NKG.leaderOf, VALDORIA))
    g.add((RELATION, RDF.type, RDF.Statement))
    g.add((RELATION, RDF.subject, MARTA))
    g.add((RELATION, RDF.predicate, NKG.leaderOf))
    g.add((RELATION, RDF.object, VALDORIA))
    g.add((RELATION, NKG.evidence, span(g, second, kind=NIF.Sentence)))
    g.add((RELATION, PROV.wasDerivedFrom, ARTICLE))
    return g


@pytest.fixture(scope="module")
def validator() -> ShapesValidator:
    """The bundled shapes, parsed once for the module."""
    return ShapesValidator()


@pytest.fixture
def graph() -> Graph:
    """A fresh valid article graph that a test may break."""
    return article_graph()


def rejected(
    validator: ShapesValidator, graph: Graph, focus: URIRef, path: URIRef | None
) -> Violation:
    """Assert the graph does not conform because of `focus` at `path`; return that result."""
    result = validator.validate(graph)
    assert not result.conforms, "expected the graph to be rejected"
    expected = str(path) if path is not None else None
    found = [v for v in result.errors if v.focus == str(focus) and v.path == expected]
    assert found, f"no violation at {focus} {path}; got:\n{result.report()}"
    return found[0]


def set_value(graph: Graph, node: URIRef, prop: URIRef, value: Literal | URIRef) -> None:
    """Replace every value of `prop` on `node` by `value`."""
    graph.set((node, prop, value))


# --- resources -------------------------------------------------------------------------------


def test_ontology_parses() -> None:
    graph = Graph().parse(resource_path("ontology", "newskg.ttl"), format="turtle")
    ontology = URIRef("https://w3id.org/newskg/ontology")
    assert (ontology, RDF.type, OWL.Ontology) in graph
    assert graph.value(ontology, OWL.versionInfo) is not None


@pytest.mark.parametrize("path", sorted(resource_dir("shapes").glob("*.ttl")), ids=lambda p: p.name)
def test_shapes_file_parses_and_defines_shapes(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    shapes = set(graph.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))
    assert shapes, f"{path.name} defines no node shape"


# --- the valid graph --------------------------------------------------------------------------


def test_valid_article_conforms(validator: ShapesValidator, graph: Graph) -> None:
    result = validator.validate(graph)
    assert result.conforms, result.report()
    assert result.errors == ()


def test_report_is_sorted_one_line_per_result(validator: ShapesValidator, graph: Graph) -> None:
    graph.remove((MARTA, RDFS.label, None))
    graph.remove((RELEASE, NKG.evidence, None))
    report = validator.validate(graph).report()
    lines = report.splitlines()
    assert lines == sorted(lines)
    assert f"{MARTA} rdfs:label: " in report
    assert f"{RELEASE} nkg:evidence: " in report


def test_report_names_the_offending_value(validator: ShapesValidator, graph: Graph) -> None:
    graph.set((RELEASE, NKG.date, Literal("2031-05-13", datatype=XSD.string)))
    violation = rejected(validator, graph, RELEASE, NKG.date)
    assert violation.value == '"2031-05-13"^^xsd:string'
    assert violation.line() == (
        f'{RELEASE} nkg:date: {violation.message} (value "2031-05-13"^^xsd:string)'
    )


def test_check_raises_validation_error_with_report(
    validator: ShapesValidator, graph: Graph
) -> None:
    graph.remove((RELEASE, NKG.trigger, None))
    with pytest.raises(ValidationError) as caught:
        validator.check(graph, source="harbour-talks.txt")
    assert str(caught.value).startswith("harbour-talks.txt: graph does not conform")
    assert "nkg:trigger" in caught.value.report


def test_check_returns_result_for_a_valid_graph(validator: ShapesValidator, graph: Graph) -> None:
    assert isinstance(validator.check(graph), ValidationResult)


# --- articles and contexts --------------------------------------------------------------------


def test_article_without_context_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.remove((ARTICLE, NKG.context, None))
    rejected(validator, graph, ARTICLE, NKG.context)


def test_article_with_two_headlines_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.add((ARTICLE, SCHEMA.headline, Literal("A second headline")))
    rejected(validator, graph, ARTICLE, SCHEMA.headline)


def test_article_without_headline_or_date_conforms(
    validator: ShapesValidator, graph: Graph
) -> None:
    graph.remove((ARTICLE, SCHEMA.headline, None))
    graph.remove((ARTICLE, SCHEMA.datePublished, None))
    assert validator.validate(graph).conforms


def test_article_published_as_datetime_is_rejected(
    validator: ShapesValidator, graph: Graph
) -> None:
    set_value(
        graph, ARTICLE, SCHEMA.datePublished, Literal("2031-05-14T10:00:00", datatype=XSD.dateTime)
    )
    rejected(validator, graph, ARTICLE, SCHEMA.datePublished)


def test_context_end_not_text_length_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    set_value(graph, CONTEXT, NIF.endIndex, Literal(len(TEXT) - 1, datatype=XSD.nonNegativeInteger))
    violation = rejected(validator, graph, CONTEXT, NIF.endIndex)
    assert str(len(TEXT)) in violation.message


def test_context_not_beginning_at_zero_is_rejected(
    validator: ShapesValidator, graph: Graph
) -> None:
    set_value(graph, CONTEXT, NIF.beginIndex, Literal(3, datatype=XSD.nonNegativeInteger))
    rejected(validator, graph, CONTEXT, NIF.beginIndex)


# --- actors -----------------------------------------------------------------------------------


def test_actor_with_two_labels_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.add((MARTA, RDFS.label, Literal("M. Ostrova")))
    rejected(validator, graph, MARTA, RDFS.label)


def test_actor_without_label_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.remove((PORT, RDFS.label, None))
    rejected(validator, graph, PORT, RDFS.label)


def test_actor_with_blank_label_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    set_value(graph, COUNCIL, RDFS.label, Literal("  "))
    rejected(validator, graph, COUNCIL, RDFS.label)


def test_actor_with_two_kinds_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.add((COUNCIL, RDF.type, NKG.Person))
    rejected(validator, graph, COUNCIL, RDF.type)


def test_country_that_is_not_a_place_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.remove((VALDORIA, RDF.type, SEM.Place))
    rejected(validator, graph, VALDORIA, RDF.type)


def test_mention_that_is_not_a_span_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.add((MARTA, NKG.mention, Literal("Ostrova")))
    rejected(validator, graph, MARTA, NKG.mention)


def test_alt_label_equal_to_label_is_only_a_warning(
    validator: ShapesValidator, graph: Graph
) -> None:
    graph.add((MARTA, SKOS.altLabel, Literal("Marta Ostrova")))
    result = validator.validate(graph)
    assert result.conforms, result.report()
    assert [(v.focus, v.severity) for v in result.violations] == [(str(MARTA), "Warning")]


# --- spans ------------------------------------------------------------------------------------


def evidence_of(graph: Graph, event: URIRef) -> URIRef:
    """The evidence span of an event."""
    node = graph.value(event, NKG.evidence)
    assert isinstance(node, URIRef)
    return node


def test_span_beyond_context_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    node = evidence_of(graph, RELEASE)
    set_value(graph, node, NIF.endIndex, Literal(len(TEXT) + 5, datatype=XSD.nonNegativeInteger))
    violation = rejected(validator, graph, node, NIF.endIndex)
    assert str(len(TEXT)) in violation.message


def test_span_text_not_matching_context_is_rejected(
    validator: ShapesValidator, graph: Graph
) -> None:
    node = evidence_of(graph, MEETING)
    set_value(
        graph, node, NIF.anchorOf, Literal("President Marta Ostrova met the Harbour Council!")
    )
    rejected(validator, graph, node, NIF.anchorOf)


def test_span_off_by_one_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    node = span(graph, "Valdoria")
    begin = TEXT.index("Valdoria") + 1
    set_value(graph, node, NIF.beginIndex, Literal(begin, datatype=XSD.nonNegativeInteger))
    rejected(validator, graph, node, NIF.anchorOf)


def test_span_beginning_at_its_end_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    node = evidence_of(graph, RELEASE)
    end = graph.value(node, NIF.endIndex)
    set_value(graph, node, NIF.beginIndex, Literal(int(end), datatype=XSD.nonNegativeInteger))
    rejected(validator, graph, node, NIF.beginIndex)


def test_span_without_context_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    node = evidence_of(graph, RELEASE)
    graph.remove((node, NIF.referenceContext, None))
    rejected(validator, graph, node, NIF.referenceContext)


def test_span_with_integer_offsets_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    node = evidence_of(graph, RELEASE)
    begin = graph.value(node, NIF.beginIndex)
    set_value(graph, node, NIF.beginIndex, Literal(int(begin), datatype=XSD.integer))
    rejected(validator, graph, node, NIF.beginIndex)


def test_non_ascii_text_counts_code_points(validator: ShapesValidator) -> None:
    graph = Graph()
    text = "Żaneta Kowalczyk-Ñúñez visited Łódź."
    context = URIRef(f"{ARTICLE}/context")
    graph.add((context, RDF.type, NIF.Context))
    graph.add((context, NIF.isString, Literal(text)))
    graph.add((context, NIF.beginIndex, Literal(0, datatype=XSD.nonNegativeInteger)))
    graph.add((context, NIF.endIndex, Literal(len(text), datatype=XSD.nonNegativeInteger)))
    node = URIRef(f"{ARTICLE}#char=31,35")
    graph.add((node, RDF.type, NIF.String))
    graph.add((node, NIF.anchorOf, Literal("Łódź")))
    graph.add((node, NIF.beginIndex, Literal(31, datatype=XSD.nonNegativeInteger)))
    graph.add((node, NIF.endIndex, Literal(35, datatype=XSD.nonNegativeInteger)))
    graph.add((node, NIF.referenceContext, context))
    assert text[31:35] == "Łódź"
    result = validator.validate(graph)
    assert result.conforms, result.report()


# --- events -----------------------------------------------------------------------------------


def test_event_without_evidence_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.remove((RELEASE, NKG.evidence, None))
    rejected(validator, graph, RELEASE, NKG.evidence)


def test_event_without_trigger_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.remove((MEETING, NKG.trigger, None))
    rejected(validator, graph, MEETING, NKG.trigger)


def test_event_without_article_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.remove((MEETING, PROV.wasDerivedFrom, None))
    rejected(validator, graph, MEETING, PROV.wasDerivedFrom)


@pytest.mark.parametrize("modality", [NKG.Event, ID["modality/Likely"], Literal("asserted")])
def test_event_with_unknown_modality_is_rejected(
    validator: ShapesValidator, graph: Graph, modality: URIRef | Literal
) -> None:
    set_value(graph, RELEASE, NKG.modality, modality)
    rejected(validator, graph, RELEASE, NKG.modality)


def test_event_with_two_modalities_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.add((RELEASE, NKG.modality, NKG.Negated))
    rejected(validator, graph, RELEASE, NKG.modality)


@pytest.mark.parametrize(
    "date",
    [
        Literal("2031-05-13"),
        Literal("2031-05-13", datatype=XSD.string),
        Literal("2031-05-13T09:00:00", datatype=XSD.dateTime),
        Literal("2031-13-45", datatype=XSD.date),
        Literal("May 2031", datatype=XSD.gYearMonth),
        Literal("2031-5", datatype=XSD.gYearMonth),
        Literal("2031-05", datatype=XSD.gYear),
        Literal("31", datatype=XSD.gYear),
    ],
    ids=[
        "plain",
        "string",
        "dateTime",
        "impossible-date",
        "bad-gYearMonth",
        "short-month",
        "month-as-gYear",
        "short-year",
    ],
)
def test_event_with_bad_date_is_rejected(
    validator: ShapesValidator, graph: Graph, date: Literal
) -> None:
    set_value(graph, RELEASE, NKG.date, date)
    rejected(validator, graph, RELEASE, NKG.date)


def test_event_with_two_dates_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.add((RELEASE, NKG.date, Literal("2031", datatype=XSD.gYear)))
    rejected(validator, graph, RELEASE, NKG.date)


@pytest.mark.parametrize(
    "count",
    [
        Literal(-3, datatype=XSD.integer),
        Literal("-3", datatype=XSD.nonNegativeInteger),
        Literal(14, datatype=XSD.integer),
        Literal("fourteen"),
    ],
    ids=["negative-integer", "negative-nonNegativeInteger", "integer", "word"],
)
def test_event_with_bad_count_is_rejected(
    validator: ShapesValidator, graph: Graph, count: Literal
) -> None:
    set_value(graph, RELEASE, NKG["count"], count)
    rejected(validator, graph, RELEASE, NKG["count"])


def test_agent_that_is_not_an_actor_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.add((RELEASE, NKG.agent, PORT))
    rejected(validator, graph, RELEASE, NKG.agent)


def test_participant_that_is_an_event_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.add((MEETING, NKG.participant, RELEASE))
    rejected(validator, graph, MEETING, NKG.participant)


def test_location_that_is_not_a_place_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    set_value(graph, MEETING, NKG.location, COUNCIL)
    rejected(validator, graph, MEETING, NKG.location)


def test_event_with_two_types_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.add((RELEASE, RDF.type, NKG.Arrest))
    rejected(validator, graph, RELEASE, RDF.type)


def test_event_typed_only_by_its_class_is_rejected(
    validator: ShapesValidator, graph: Graph
) -> None:
    graph.remove((MEETING, RDF.type, NKG.Event))
    rejected(validator, graph, MEETING, RDF.type)


def test_event_relation_to_a_non_event_is_rejected(
    validator: ShapesValidator, graph: Graph
) -> None:
    graph.add((RELEASE, NKG.causedBy, VALDORIA))
    rejected(validator, graph, RELEASE, NKG.causedBy)


def test_event_relation_from_a_non_event_is_rejected(
    validator: ShapesValidator, graph: Graph
) -> None:
    graph.add((VALDORIA, NKG.partOf, MEETING))
    rejected(validator, graph, VALDORIA, None)


def test_statement_without_quote_is_only_a_warning(
    validator: ShapesValidator, graph: Graph
) -> None:
    statement = next(graph.subjects(RDF.type, NKG.Statement))
    graph.remove((statement, NKG.quote, None))
    result = validator.validate(graph)
    assert result.conforms, result.report()
    assert [(v.path, v.severity) for v in result.violations] == [(str(NKG.quote), "Warning")]


# --- actor relations --------------------------------------------------------------------------


def test_relation_with_unknown_predicate_is_rejected(
    validator: ShapesValidator, graph: Graph
) -> None:
    graph.remove((MARTA, NKG.leaderOf, VALDORIA))
    graph.add((MARTA, NKG.after, VALDORIA))
    set_value(graph, RELATION, RDF.predicate, NKG.after)
    rejected(validator, graph, RELATION, RDF.predicate)


def test_relation_statement_not_asserted_is_rejected(
    validator: ShapesValidator, graph: Graph
) -> None:
    graph.remove((MARTA, NKG.leaderOf, VALDORIA))
    rejected(validator, graph, RELATION, None)


def test_relation_statement_without_evidence_is_rejected(
    validator: ShapesValidator, graph: Graph
) -> None:
    graph.remove((RELATION, NKG.evidence, None))
    rejected(validator, graph, RELATION, NKG.evidence)


def test_relation_from_a_place_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.add((PORT, NKG.memberOf, VALDORIA))
    rejected(validator, graph, PORT, None)


def test_relation_to_an_event_is_rejected(validator: ShapesValidator, graph: Graph) -> None:
    graph.add((MARTA, NKG.memberOf, MEETING))
    result = validator.validate(graph)
    assert not result.conforms
    (violation,) = result.errors
    assert violation.focus == str(MARTA)
    assert violation.path is not None
    assert violation.path.split("|")[:2] == ["nkg:leaderOf", "nkg:memberOf"]
    assert violation.value == f"<{MEETING}>"


def test_relation_to_a_place_conforms(validator: ShapesValidator, graph: Graph) -> None:
    graph.add((MARTA, NKG.leaderOf, PORT))
    assert validator.validate(graph).conforms


def test_citizenship_of_a_non_country_is_only_a_warning(
    validator: ShapesValidator, graph: Graph
) -> None:
    graph.add((MARTA, NKG.citizenOf, PORT))
    result = validator.validate(graph)
    assert result.conforms, result.report()
    assert [(v.focus, v.path, v.severity) for v in result.violations] == [
        (str(MARTA), str(NKG.citizenOf), "Warning")
    ]


# --- extra shapes -----------------------------------------------------------------------------


def test_extra_shape_files_are_added(tmp_path: Path, graph: Graph) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix nkg: <https://w3id.org/newskg/ontology#> .\n"
        "<urn:x:s> a sh:NodeShape ; sh:targetClass nkg:Event ;\n"
        "    sh:property [ sh:path nkg:location ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    result = ShapesValidator(extra_files=[extra]).validate(graph)
    assert not result.conforms
    assert {v.focus for v in result.errors} == {str(RELEASE), f"{ARTICLE}/event/Statement-169-173"}


def test_given_shapes_replace_the_bundled_ones(graph: Graph) -> None:
    no_titles = Graph().parse(
        data=(
            "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
            "@prefix nkg: <https://w3id.org/newskg/ontology#> .\n"
            "<urn:x:s> a sh:NodeShape ; sh:targetClass nkg:Person ;\n"
            "    sh:property [ sh:path nkg:title ; sh:maxCount 0 ] .\n"
        ),
        format="turtle",
    )
    graph.remove((ARTICLE, NKG.context, None))  # the bundled shapes would reject this
    result = ShapesValidator(no_titles).validate(graph)
    assert [(v.focus, v.path) for v in result.errors] == [(str(MARTA), str(NKG.title))]


def test_bundled_shapes_are_well_formed_shacl() -> None:
    """pySHACL's meta-SHACL check (SHACL-SHACL) raises on a malformed shapes graph."""
    conforms, _results, _text = pyshacl.validate(
        Graph(), shacl_graph=load_shapes(), meta_shacl=True, advanced=True
    )
    assert conforms
