"""`TripleList`: the mapping's triples in the writers' canonical order, each once, with terms."""

from __future__ import annotations

import random

import pyoxigraph as ox

from kg.terms import TripleList, canonical_triples, triple_key, triple_terms

EX = "http://a.example/"  # sorts before rdf:, so rdf:type first is the rule, not luck
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _terms() -> list[tuple]:
    a, b = ox.NamedNode(EX + "a"), ox.NamedNode(EX + "b")
    blank = ox.BlankNode("x1")
    label, count = ox.NamedNode(EX + "label"), ox.NamedNode(EX + "count")
    xsd_int = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    return [
        (b, label, ox.Literal("Zed")),
        (a, count, ox.Literal("10", datatype=xsd_int)),
        (a, count, ox.Literal("9", datatype=xsd_int)),
        (a, RDF_TYPE, ox.NamedNode(EX + "Thing")),
        (a, label, ox.Literal('Ä "quoted"\n', language="de")),
        (a, label, ox.Literal("A")),
        (blank, label, ox.Literal("anon")),
        (blank, RDF_TYPE, ox.NamedNode(EX + "Anon")),
        (a, RDF_TYPE, ox.NamedNode(EX + "Actor")),
        (b, count, a),
        (a, label, ox.Literal("A")),  # a repeat, kept once
    ]


def test_triple_list_is_the_writers_order_each_triple_once() -> None:
    terms = _terms()
    random.Random(7).shuffle(terms)
    made = TripleList(terms)
    expected = sorted(dict.fromkeys(ox.Triple(*t) for t in terms), key=triple_key)
    assert list(made) == expected
    assert len(made) == len(terms) - 1
    assert [ox.Triple(*t) for t in made.terms] == expected
    assert made[0].predicate == RDF_TYPE  # rdf:type first within the first subject


def test_plain_triples_are_sorted_and_read_like_a_triple_list() -> None:
    made = TripleList(_terms())
    plain = list(reversed(made))
    assert list(canonical_triples(plain)) == list(made)
    assert list(triple_terms(plain)) == [(t.subject, t.predicate, t.object) for t in plain]
    assert canonical_triples(made) is made and triple_terms(made) is made.terms
