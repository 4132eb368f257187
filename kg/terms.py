"""RDF terms between rdflib and Oxigraph: the one place the two libraries' terms are converted;
and `TripleList`, triples as the mapping hands them on: with their terms, in canonical order;
and `paused_gc`, which the mapping and the validation run under.

Light on purpose (rdflib and pyoxigraph only), so the shapes engine and the store can use it
without importing spaCy.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
TermTriple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, OxTerm]
"""A triple as its (subject, predicate, object) terms."""
_XSD_STRING = ox.NamedNode(str(XSD.string))
_RDF_TYPE = ox.NamedNode(str(RDF.type))


def triple_key(triple: ox.Triple) -> tuple[str, bool, str, str]:
    """The canonical order of triples, the writers' order: by subject, `rdf:type` first, then
    predicate and object (subject and object in their N-Triples forms)."""
    predicate = triple.predicate.value
    return (str(triple.subject), predicate != _RDF_TYPE.value, predicate, str(triple.object))


class TripleList(tuple[ox.Triple, ...]):
    """Triples, each once, in canonical order (`triple_key`), that keep the terms they were
    made of, in `terms`. A tuple: nothing can change the triples behind the kept terms.

    Each read of an `ox.Triple`'s subject, predicate or object makes a new Python object, which
    then hashes anew: validation reads the mapping's own terms instead (`triple_terms`), and
    the writers need not sort (`canonical_triples`).
    """

    terms: list[TermTriple]

    def __new__(cls, terms: Iterable[TermTriple]) -> TripleList:
        ordered, forms = _sorted_terms(list(terms))
        made = super().__new__(cls, _make_triples(ordered, forms))
        made.terms = ordered
        return made


def _sorted_terms(terms: list[TermTriple]) -> tuple[list[TermTriple], dict[int, str]]:
    """The triples, each once, sorted by `triple_key`; and the N-Triples form of each term by
    its id.

    Each term is turned into text once: most recur, and `str` costs ~200 ns. The ids are safe,
    as `terms` keeps the terms alive. A subject mostly comes in a run of triples: the triples
    are grouped by subject, and each group sorted on its own, which spares comparing the long
    subject texts again and again. In a group, `rdf:type` sorts first as the empty text, which
    no IRI is. Equal texts are equal terms, so the texts find the repeated triples too (the
    first is kept), cheaper than hashing the terms.
    """
    forms: dict[int, str] = {}
    ranks: dict[int, str] = {}
    groups: dict[str, dict[tuple[str, str], int]] = {}
    last: object = None
    group: dict[tuple[str, str], int] = {}
    for position, (s, p, o) in enumerate(terms):
        if s is not last:
            last = s
            subject = forms.get(id(s))
            if subject is None:
                subject = forms[id(s)] = str(s)
            group = groups.setdefault(subject, {})
        rank = ranks.get(id(p))
        if rank is None:
            rank = ranks[id(p)] = "" if p == _RDF_TYPE else p.value
            forms[id(p)] = str(p)
        obj = forms.get(id(o))
        if obj is None:
            obj = forms[id(o)] = str(o)
        group.setdefault((rank, obj), position)
    ordered: list[TermTriple] = []
    for subject in sorted(groups):
        group = groups[subject]
        ordered += [terms[group[key]] for key in sorted(group)]
    return ordered, forms


def _make_triples(terms: list[TermTriple], forms: dict[int, str]) -> list[ox.Triple]:
    """The `ox.Triple` of each term triple, in order; `forms` has the text of every term.

    Oxigraph's constructor costs ~1 us with a literal object, twice its parser: triples with a
    literal object are parsed from their text (but for a blank node subject, made directly to
    keep its id), the others made directly.
    """
    literal, named = ox.Literal, ox.NamedNode
    from_text = [type(o) is literal and type(s) is named for s, _, o in terms]
    text = "".join(
        [
            f"{forms[id(s)]} {forms[id(p)]} {forms[id(o)]} .\n"
            for (s, p, o), parsed in zip(terms, from_text, strict=True)
            if parsed
        ]
    )
    quads = ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return [
        next(quads).triple if parsed else ox.Triple(*triple)
        for triple, parsed in zip(terms, from_text, strict=True)
    ]


def triple_terms(triples: Sequence[ox.Triple]) -> Sequence[TermTriple]:
    """The terms of each triple, in order: those a `TripleList` kept, else read from Oxigraph."""
    if isinstance(triples, TripleList):
        return triples.terms
    return [(t.subject, t.predicate, t.object) for t in triples]


def canonical_triples(triples: Sequence[ox.Triple]) -> Sequence[ox.Triple]:
    """The triples sorted by `triple_key`, as a `TripleList` is already."""
    if isinstance(triples, TripleList):
        return triples
    return sorted(triples, key=triple_key)


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


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic GC while the RDF side makes one article's many small tuples and sets,
    which no cycle holds: the collections they would trigger, each scanning all of them, cost
    ~10% of the mapping and more than the validation."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
