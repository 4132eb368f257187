"""The compiled shapes engine reports exactly what pySHACL reports, article by article."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import PROV
from test_shapes import ARTICLE, CONTEXT, MARTA, MEETING, PORT, RELATION, RELEASE, VALDORIA, XSD
from test_shapes import article_graph as valid_graph

from kg.annotate import annotate
from kg.article import Article
from kg.mapping import IriMinter, RunInfo, article_graph
from kg.nlp import build_pipeline
from kg.settings import DEFAULT_MODEL
from kg.terms import ox_term
from kg.validate import ShapesValidator, ValidationResult
from kg.vocab import NIF, NKG, SCHEMA, SEM

Corruption = Callable[[Graph], None]


def _span(graph: Graph, event: URIRef) -> URIRef:
    node = graph.value(event, NKG.evidence)
    assert isinstance(node, URIRef)
    return node


def _index(value: int, datatype: URIRef = XSD.nonNegativeInteger) -> Literal:
    return Literal(value, datatype=datatype)


CORRUPTIONS: dict[str, Corruption] = {
    "valid": lambda g: None,
    "no-context": lambda g: g.remove((ARTICLE, NKG.context, None)),
    "two-headlines": lambda g: g.add((ARTICLE, SCHEMA.headline, Literal("Another"))),
    "empty-author": lambda g: g.add((ARTICLE, SCHEMA.author, Literal(""))),
    "date-as-string": lambda g: g.set((ARTICLE, SCHEMA.datePublished, Literal("2031-05-14"))),
    "url-literal": lambda g: g.set((ARTICLE, SCHEMA.url, Literal("https://x.example"))),
    "no-label": lambda g: g.remove((MARTA, RDFS.label, None)),
    "blank-label": lambda g: g.set((MARTA, RDFS.label, Literal("   "))),
    "two-kinds": lambda g: g.add((MARTA, RDF.type, NKG.Organization)),
    "alt-repeats-label": lambda g: g.add((MARTA, SKOS.altLabel, Literal("Marta Ostrova"))),
    "country-not-place": lambda g: g.remove((VALDORIA, RDF.type, SEM.Place)),
    "mention-literal": lambda g: g.add((MARTA, NKG.mention, Literal("Ostrova"))),
    "context-begin-3": lambda g: g.set((CONTEXT, NIF.beginIndex, _index(3))),
    "context-end-short": lambda g: g.set((CONTEXT, NIF.endIndex, _index(10))),
    "span-end-beyond": lambda g: g.set((_span(g, RELEASE), NIF.endIndex, _index(9999))),
    "span-begin-at-end": lambda g: g.set((_span(g, RELEASE), NIF.beginIndex, _index(90))),
    "span-integer-offset": lambda g: g.set(
        (_span(g, MEETING), NIF.beginIndex, _index(96, XSD.integer))
    ),
    "anchor-mismatch": lambda g: g.set((_span(g, MEETING), NIF.anchorOf, Literal("Nope."))),
    "span-no-context": lambda g: g.remove((_span(g, RELEASE), NIF.referenceContext, None)),
    "no-trigger": lambda g: g.remove((RELEASE, NKG.trigger, None)),
    "two-modalities": lambda g: g.add((RELEASE, NKG.modality, NKG.Negated)),
    "modality-not-in-list": lambda g: g.set((RELEASE, NKG.modality, NKG.Event)),
    "bad-gyearmonth": lambda g: g.set(
        (MEETING, NKG.date, Literal("2031-5", datatype=XSD.gYearMonth))
    ),
    "impossible-date": lambda g: g.set(
        (RELEASE, NKG.date, Literal("2031-13-45", datatype=XSD.date))
    ),
    "negative-count": lambda g: g.set((RELEASE, NKG["count"], Literal(-3))),
    "count-word": lambda g: g.set((RELEASE, NKG["count"], Literal("fourteen"))),
    "agent-a-place": lambda g: g.add((RELEASE, NKG.agent, PORT)),
    "two-event-types": lambda g: g.add((RELEASE, RDF.type, NKG.Arrest)),
    "event-not-sem": lambda g: g.remove((MEETING, RDF.type, SEM.Event)),
    "relation-from-place": lambda g: g.add((PORT, NKG.memberOf, VALDORIA)),
    "relation-to-event": lambda g: g.add((MARTA, NKG.memberOf, MEETING)),
    "citizen-of-place": lambda g: g.add((MARTA, NKG.citizenOf, PORT)),
    "event-relation-from-actor": lambda g: g.add((VALDORIA, NKG.partOf, MEETING)),
    "relation-not-asserted": lambda g: g.remove((MARTA, NKG.leaderOf, VALDORIA)),
    "statement-bad-predicate": lambda g: g.set((RELATION, RDF.predicate, NKG.after)),
    "statement-no-article": lambda g: g.remove((RELATION, PROV.wasDerivedFrom, None)),
    "run-no-version": lambda g: g.remove(
        (g.value(ARTICLE, PROV.wasGeneratedBy), URIRef("https://schema.org/softwareVersion"), None)
    ),
}


def corrupted(name: str) -> Graph:
    graph = valid_graph()
    CORRUPTIONS[name](graph)
    return graph


def _key(result: ValidationResult) -> tuple[bool, list[tuple[str | None, ...]]]:
    """Everything a result says."""
    rows = [
        (v.focus, v.path, v.component, v.message, v.severity, v.value) for v in result.violations
    ]
    return result.conforms, sorted(rows, key=str)


def _triples(graph: Graph) -> list[ox.Triple]:
    return [ox.Triple(ox_term(s), ox_term(p), ox_term(o)) for s, p, o in graph]


@pytest.fixture(scope="module")
def compiled() -> ShapesValidator:
    validator = ShapesValidator(engine="compiled")
    assert validator.engine == "compiled"
    return validator


@pytest.fixture(scope="module")
def reference() -> ShapesValidator:
    return ShapesValidator(engine="pyshacl")


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_compiled_engine_reports_what_pyshacl_reports(
    compiled: ShapesValidator, reference: ShapesValidator, name: str
) -> None:
    graph = corrupted(name)
    expected = reference.validate(graph)
    assert (name == "valid") == (expected.violations == ()), "the corruption must show"
    assert _key(compiled.validate(graph)) == _key(expected)


def _typed_by_subclass(graph: Graph, depth: int, within: URIRef = NIF.Context) -> None:
    """Type the context by a class `depth` rdfs:subClassOf steps below `within` (in the data)."""
    classes = [URIRef(f"urn:x:Page{i}") for i in range(depth)]
    graph.remove((CONTEXT, RDF.type, NIF.Context))
    graph.add((CONTEXT, RDF.type, classes[-1]))
    for sub, sup in zip(classes, [within, *classes[:-1]], strict=True):
        graph.add((sub, RDFS.subClassOf, sup))


def _offsets(begin: str, end: str) -> Corruption:
    """Give the MEETING evidence span these lexical forms of offsets."""

    def corrupt(graph: Graph) -> None:
        span = _span(graph, MEETING)
        graph.set((span, NIF.beginIndex, Literal(begin, datatype=XSD.nonNegativeInteger)))
        graph.set((span, NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger)))

    return corrupt


def _two_unasserted_objects(graph: Graph) -> None:
    """RELATION reifies two relations, neither asserted: its SPARQL target finds it twice."""
    graph.remove((MARTA, NKG.leaderOf, VALDORIA))
    graph.add((RELATION, RDF.object, PORT))


EDGE_CASES: dict[str, Corruption] = {
    "context-typed-by-subclass": lambda g: _typed_by_subclass(g, 1),
    "context-typed-two-subclasses-down": lambda g: _typed_by_subclass(g, 2),
    "context-typed-by-unrelated-subclass": lambda g: _typed_by_subclass(g, 1, NKG.Article),
    "statement-of-two-unasserted-relations": _two_unasserted_objects,
    "offsets-zero-padded": _offsets("0000", "00012"),
    "offsets-with-plus-sign": _offsets("+0", "+12"),
    "offsets-nineteen-digits": _offsets("1000000000000000000", "1000000000000000001"),
    "offsets-equal-long-and-short": _offsets("000000000000000000012", "12"),
}
"""Data the fast paths of the compiled engine (direct types, short ASCII-digit integers, a SPARQL
target finding each node once) do not cover, so the general code must answer."""


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_compiled_engine_agrees_beyond_its_fast_paths(
    compiled: ShapesValidator, reference: ShapesValidator, name: str
) -> None:
    graph = valid_graph()
    EDGE_CASES[name](graph)
    assert _key(compiled.validate(graph)) == _key(reference.validate(graph))


def test_batch_attributes_each_result_to_its_own_article(
    compiled: ShapesValidator, reference: ShapesValidator
) -> None:
    """MARTA is in every article; only the second breaks her label."""
    names = ["valid", "no-label", "valid", "span-end-beyond", "relation-not-asserted"]
    graphs = [corrupted(name) for name in names]
    batch = [(ox.NamedNode(f"urn:test:{i}"), _triples(g)) for i, g in enumerate(graphs)]
    results = compiled.validate_batch(batch)
    assert [r.conforms for r in results] == [True, False, True, False, False]
    for graph, result in zip(graphs, results, strict=True):
        expected = reference.validate(graph)
        assert [(v.focus, v.path, v.message) for v in result.violations] == [
            (v.focus, v.path, v.message) for v in expected.violations
        ]
    assert {v.focus for v in results[1].violations} == {str(MARTA)}


@pytest.mark.parametrize(
    "feature",
    [
        "sh:closed true",
        "sh:property [ sh:path nkg:title ; sh:equals rdfs:label ]",
        "sh:property [ sh:path [ sh:zeroOrMorePath nkg:partOf ] ; sh:minCount 1 ]",
        "sh:property [ sh:path nkg:title ; sh:uniqueLang true ]",
        "ex:maxTitles 0 . ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:maxTitles ] ;"
        " sh:validator [ a sh:SPARQLAskValidator ; sh:ask 'ASK { }' ]",
        "sh:sparql [ sh:select 'SELECT $this WHERE { $this ?p $currentShape }' ]",
    ],
    ids=[
        "closed",
        "equals",
        "zeroOrMorePath",
        "uniqueLang",
        "custom-component",
        "sparql-current-shape",
    ],
)
def test_unsupported_feature_falls_back_to_pyshacl(feature: str) -> None:
    extra = Graph().parse(
        data=(
            "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            "@prefix nkg: <https://w3id.org/newskg/ontology#> .\n"
            "@prefix ex: <http://example.org/x#> .\n"
            f"<urn:x:s> a sh:NodeShape ; sh:targetClass nkg:Person ; {feature} .\n"
        ),
        format="turtle",
    )
    validator = ShapesValidator(extra)
    assert validator.engine == "pyshacl"
    assert validator.fallback_reason
    with pytest.raises(ValueError, match=r"implement|path|currentShape"):
        ShapesValidator(extra, engine="compiled")
    graph = valid_graph()
    reference = ShapesValidator(extra, engine="pyshacl").validate(graph)
    assert validator.validate(graph) == reference
    (batched,) = validator.validate_batch([(ox.NamedNode(str(ARTICLE)), _triples(graph))])
    assert _key(batched) == _key(reference)


def test_message_less_shapes_name_the_failed_component(compiled: ShapesValidator) -> None:
    extra = Graph().parse(
        data=(
            "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
            "@prefix nkg: <https://w3id.org/newskg/ontology#> .\n"
            "<urn:x:s> a sh:NodeShape ; sh:targetClass nkg:Person ;\n"
            "    sh:property [ sh:path nkg:title ; sh:maxCount 0 ] .\n"
        ),
        format="turtle",
    )
    validator = ShapesValidator(extra)
    assert validator.engine == "compiled"
    result = validator.validate(valid_graph())
    reference = ShapesValidator(extra, engine="pyshacl").validate(valid_graph())
    assert [(v.focus, v.path, v.component) for v in result.violations] == [
        (v.focus, v.path, v.component) for v in reference.violations
    ]
    assert [v.message for v in result.violations] == ["fails MaxCountConstraintComponent"]


# --- graphs the pipeline builds -----------------------------------------------------------------

STORIES = {
    "harbour-release": (
        "Valdoria frees fishermen\n\n"
        "PORT SELENE, Valdoria (Wire) — Valdoria released 14 detained fishermen on Tuesday, "
        "the foreign ministry said. President Marta Ostrova met the Harbour Council in Port "
        'Selene on Monday. Ostrova said the talks were "a good start". The European Union '
        "had imposed sanctions on Valdoria in 2029."
    ),
    "border-talks": (
        "Valdoria and Korvia hold border talks\n\n"
        "Valdoria and Korvia agreed on Friday to reopen the border crossing at Dunmere. "
        "Korvian Prime Minister Ilan Varga spoke by phone with President Marta Ostrova of "
        "Valdoria. Police arrested three protesters in Dunmere on Saturday."
    ),
}
"""Two made-up stories sharing actors (Valdoria, Marta Ostrova), so their IRIs are shared."""


@pytest.fixture(scope="module")
def built() -> list[tuple[ox.NamedNode, Graph]]:
    """The stories as the pipeline and the mapping turn them into article graphs."""
    nlp = build_pipeline(DEFAULT_MODEL)
    minter, run = IriMinter(), RunInfo.from_nlp(nlp)
    articles = [
        Article(id=key, text=text, source=key, headline=text.split("\n")[0],
                published=date(2031, 5, 14))
        for key, text in STORIES.items()
    ]  # fmt: skip
    return [
        (ox.NamedNode(str(minter.article(a.id))), article_graph(a, doc, run=run, minter=minter))
        for a, doc in annotate(nlp, articles)
    ]


def _first(graph: Graph, kind: URIRef) -> URIRef:
    node = min(graph.subjects(RDF.type, kind))
    assert isinstance(node, URIRef)
    return node


REAL_CORRUPTIONS: dict[str, Corruption] = {
    "as-built": lambda g: None,
    "span-without-anchor": lambda g: g.remove((_first(g, NIF.Phrase), NIF.anchorOf, None)),
    "span-two-ends": lambda g: g.add((_first(g, NIF.Sentence), NIF.endIndex, _index(5))),
    "event-two-triggers": lambda g: g.add((_first(g, NKG.Event), NKG.trigger, Literal("x"))),
    "event-bad-date": lambda g: g.set((_first(g, NKG.Event), NKG.date, Literal("2031-99"))),
    "actor-without-label": lambda g: g.remove((_first(g, SEM.Actor), RDFS.label, None)),
    "context-as-iri": lambda g: g.set((_first(g, NIF.Context), NIF.isString, URIRef("urn:x"))),
}


@pytest.mark.parametrize("name", sorted(REAL_CORRUPTIONS))
def test_built_graphs_agree_with_pyshacl(
    built: list[tuple[ox.NamedNode, Graph]],
    compiled: ShapesValidator,
    reference: ShapesValidator,
    name: str,
) -> None:
    graphs = []
    for _iri, built_graph in built:
        graph = Graph()
        graph += built_graph
        REAL_CORRUPTIONS[name](graph)
        graphs.append(graph)
    batch = [(iri, _triples(g)) for (iri, _), g in zip(built, graphs, strict=True)]
    results = compiled.validate_batch(batch)
    expected = [reference.validate(g) for g in graphs]
    assert [_key(r) for r in results] == [_key(e) for e in expected]
    assert all(r.conforms for r in results) == (name == "as-built")


def test_shared_actor_broken_in_one_article_only(
    built: list[tuple[ox.NamedNode, Graph]], compiled: ShapesValidator
) -> None:
    """Both articles describe Valdoria; without its label in the second, only the second is
    rejected, for Valdoria's label alone."""
    (first_iri, first), (second_iri, second) = built
    valdoria = next(s for s in second.subjects(RDFS.label, Literal("Valdoria")))
    assert (valdoria, RDFS.label, Literal("Valdoria")) in first
    broken = Graph()
    broken += second
    broken.remove((valdoria, RDFS.label, None))
    good, bad = compiled.validate_batch(
        [(first_iri, _triples(first)), (second_iri, _triples(broken))]
    )
    assert good.conforms, good.report()
    assert not bad.conforms
    assert [(v.focus, v.path) for v in bad.violations] == [(str(valdoria), str(RDFS.label))]


def test_bundled_shapes_compile() -> None:
    validator = ShapesValidator()
    assert (validator.engine, validator.fallback_reason) == ("compiled", None)
