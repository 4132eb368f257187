"""RDF terms between rdflib and Oxigraph: the one place the two libraries' terms are converted.

Light on purpose (rdflib and pyoxigraph only), so the shapes engine and the store can use it
without importing spaCy.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
_XSD_STRING = ox.NamedNode(str(XSD.string))


def ox_term(term: object) -> OxTerm:
    """The Oxigraph term for an rdflib term (raises ValueError for an invalid IRI)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise ValueError(f"cannot serialize RDF term {term!r}")


def ox_triples(triples: Iterable[tuple[object, object, object]]) -> list[ox.Triple]:
    """rdflib triples (an rdflib `Graph`, say) as Oxigraph triples."""
    return [ox.Triple(ox_term(s), ox_term(p), ox_term(o)) for s, p, o in triples]


def rdflib_term(term: OxTerm) -> URIRef | BNode | Literal:
    """The rdflib term for an Oxigraph term; an `xsd:string` literal becomes a plain literal,
    as newskg's graphs have always held them."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))
