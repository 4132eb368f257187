"""`kg.vocab.NKG`, the ontology and the shapes name the same terms, so they cannot drift."""

from __future__ import annotations

import re

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef

import kg
from kg.nlp.types import ACTOR_RELATIONS, ACTOR_TYPES, EVENT_RELATIONS, EVENT_TYPES, MODALITIES
from kg.resources import resource_dir, resource_path
from kg.vocab import NKG, NKG_IRI

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
"""A plain namespace: pytest probes module attributes, and rdflib's XSD warns on unknown names."""
ONTOLOGY = URIRef("https://w3id.org/newskg/ontology")
DECLARATIONS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)

EVENT_ANNOTATIONS: dict[str, tuple[set[str], set[str], str | None]] = {
    # type: (PLOVER categories, PLOVER modes, CAMEO code), from eval/FORMAT.md
    "PrisonerRelease": ({"RETREAT"}, {"release"}, "0841"),
    "SanctionsRelief": ({"RETREAT"}, set(), "085"),
    "SanctionsImposition": ({"SANCTION"}, {"discontinue"}, "163"),
    "Arrest": ({"COERCE"}, {"arrest"}, "173"),
    "Conviction": ({"SANCTION"}, {"convict"}, "116"),
    "Deportation": ({"COERCE"}, {"deport"}, "174"),
    "Meeting": ({"CONSULT"}, {"visit", "third-party", "multilateral"}, "040-044"),
    "PhoneCall": ({"CONSULT"}, {"phone"}, "041"),
    "Agreement": ({"AGREE"}, set(), "057"),
    "MilitaryAction": ({"ASSAULT", "MOBILIZE"}, {"aerial", "drone"}, "150-195"),
    "Protest": ({"PROTEST"}, {"demo", "riot", "strike"}, "140-145"),
    # Not a PLOVER event type (PLOVER's context "election") and no CAMEO code: no annotations.
    "Election": (set(), set(), None),
    "Accusation": ({"ACCUSE"}, {"disapprove", "allege"}, "111-112"),
    "Request": ({"REQUEST"}, set(), "100-109"),
    "Threat": ({"THREATEN"}, set(), "130-139"),
    "Aid": ({"AID"}, set(), "070-075"),
    # A newskg extension of PLOVER: no PLOVER category, CAMEO 010.
    "Statement": (set(), set(), "010"),
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(resource_path("ontology", "newskg.ttl"), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for path in sorted(resource_dir("shapes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def vocab_terms() -> set[str]:
    """The local names NKG declares."""
    return {name for name in NKG.__annotations__ if not name.startswith("_")}


def nkg_names(graph: Graph) -> set[str]:
    """Local names of every IRI in the nkg namespace that the graph uses, in any position."""
    names = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(NKG_IRI):
                names.add(str(term)[len(NKG_IRI) :])
    return names


def strings(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    return {str(value) for value in graph.objects(subject, predicate)}


# --- NKG ---------------------------------------------------------------------------------------


def test_misspelt_term_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        _ = NKG.Foo
    with pytest.raises(AttributeError):
        _ = NKG.prisonerRelease


def test_terms_are_iris_in_the_nkg_namespace() -> None:
    assert NKG.PrisonerRelease == URIRef(NKG_IRI + "PrisonerRelease")
    assert NKG["count"] == URIRef(NKG_IRI + "count")


def test_vocab_covers_the_record_constants() -> None:
    terms = vocab_terms()
    expected = {*ACTOR_TYPES, *EVENT_TYPES, *ACTOR_RELATIONS, *EVENT_RELATIONS}
    expected |= {modality.capitalize() for modality in MODALITIES}
    assert expected <= terms, expected - terms


# --- ontology <-> NKG ----------------------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert strings(ontology, ONTOLOGY, OWL.versionInfo) == {kg.__version__}
    assert ontology.value(ONTOLOGY, OWL.versionIRI) is not None
    assert ontology.value(ONTOLOGY, RDFS.label) is not None
    assert ontology.value(ONTOLOGY, RDFS.comment) is not None


@pytest.mark.parametrize("name", sorted(vocab_terms()))
def test_every_vocab_term_is_declared_with_label_and_comment(ontology: Graph, name: str) -> None:
    term = NKG[name]
    kinds = set(ontology.objects(term, RDF.type)) & set(DECLARATIONS)
    assert kinds, f"nkg:{name} is not declared in the ontology"
    label = ontology.value(term, RDFS.label)
    comment = ontology.value(term, RDFS.comment)
    assert isinstance(label, Literal) and str(label).strip(), f"nkg:{name} has no rdfs:label"
    assert isinstance(comment, Literal) and str(comment).strip(), f"nkg:{name} has no rdfs:comment"
    assert ontology.value(term, RDFS.isDefinedBy) == ONTOLOGY


def test_every_ontology_term_is_in_the_vocab(ontology: Graph) -> None:
    names = nkg_names(ontology)
    assert {"PrisonerRelease", "leaderOf", "Asserted"} <= names
    assert names - vocab_terms() == set()


def test_every_shapes_term_is_in_the_vocab(shapes: Graph) -> None:
    """A misspelt term in a shape would target nothing and check nothing."""
    names = nkg_names(shapes)
    assert {"Event", "Statement", "citizenOf", "Negated"} <= names
    assert names - vocab_terms() == set()


def test_properties_have_domain_and_range(ontology: Graph) -> None:
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            if not str(prop).startswith(NKG_IRI):
                continue
            assert ontology.value(prop, RDFS.range) is not None, f"{prop} has no range"
            assert ontology.value(prop, RDFS.domain) is not None, f"{prop} has no domain"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("dateline", OWL.ObjectProperty),
        ("mention", OWL.ObjectProperty),
        ("agent", OWL.ObjectProperty),
        ("modality", OWL.ObjectProperty),
        ("evidence", OWL.ObjectProperty),
        ("causedBy", OWL.ObjectProperty),
        ("leaderOf", OWL.ObjectProperty),
        ("title", OWL.DatatypeProperty),
        ("date", OWL.DatatypeProperty),
        ("count", OWL.DatatypeProperty),
        ("trigger", OWL.DatatypeProperty),
        ("quote", OWL.DatatypeProperty),
        ("ploverCategory", OWL.AnnotationProperty),
        ("ploverMode", OWL.AnnotationProperty),
        ("cameoCode", OWL.AnnotationProperty),
    ],
)
def test_property_kinds(ontology: Graph, name: str, kind: URIRef) -> None:
    assert (NKG[name], RDF.type, kind) in ontology


def test_actor_and_event_relations_link_the_right_classes(ontology: Graph) -> None:
    sem = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    for name in EVENT_RELATIONS:
        assert ontology.value(NKG[name], RDFS.domain) == NKG.Event
        assert ontology.value(NKG[name], RDFS.range) == NKG.Event
    for name in ACTOR_RELATIONS:
        domain = ontology.value(NKG[name], RDFS.domain)
        assert domain in {sem.Actor, NKG.Person}, f"nkg:{name} has domain {domain}"
    assert ontology.value(NKG.count, RDFS.range) == XSD.nonNegativeInteger
    assert ontology.value(NKG.modality, RDFS.range) == NKG.Modality


def test_modality_individuals(ontology: Graph) -> None:
    individuals = set(ontology.subjects(RDF.type, NKG.Modality))
    assert individuals == {NKG[m.capitalize()] for m in MODALITIES}
    for individual in individuals:
        assert (individual, RDF.type, OWL.NamedIndividual) in ontology
    assert (NKG.Modality, RDF.type, OWL.Class) in ontology


def test_actor_classes_are_sem_actors_or_places(ontology: Graph) -> None:
    sem = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    supers = {name: set(ontology.objects(NKG[name], RDFS.subClassOf)) for name in ACTOR_TYPES}
    for name in ("Person", "Organization", "Country", "Group"):
        assert sem.Actor in supers[name], name
    for name in ("Country", "Location"):
        assert sem.Place in supers[name], name
    assert sem.Actor not in supers["Location"]
    assert URIRef("https://schema.org/NewsArticle") in set(
        ontology.objects(NKG.Article, RDFS.subClassOf)
    )


# --- event classes ------------------------------------------------------------------------------


def test_event_classes_are_the_event_types(ontology: Graph) -> None:
    subclasses = {str(c)[len(NKG_IRI) :] for c in ontology.subjects(RDFS.subClassOf, NKG.Event)}
    assert subclasses == set(EVENT_TYPES) == set(EVENT_ANNOTATIONS)
    sem_event = URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Event")
    assert (NKG.Event, RDFS.subClassOf, sem_event) in ontology


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_event_class_plover_and_cameo_annotations(ontology: Graph, name: str) -> None:
    categories, modes, cameo = EVENT_ANNOTATIONS[name]
    term = NKG[name]
    assert strings(ontology, term, NKG.ploverCategory) == categories
    assert strings(ontology, term, NKG.ploverMode) == modes
    codes = list(ontology.objects(term, NKG.cameoCode))
    if cameo is None:
        assert codes == []
        return
    assert codes == [Literal(cameo)], "one CAMEO code, a plain string"
    assert re.fullmatch(r"\d{3,4}(-\d{3})?", str(codes[0]))


def test_events_without_plover_category_say_why(ontology: Graph) -> None:
    for name, (categories, _modes, _cameo) in EVENT_ANNOTATIONS.items():
        if not categories:
            assert "PLOVER" in str(ontology.value(NKG[name], RDFS.comment)), name
