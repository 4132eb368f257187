"""Compiled SHACL: the shapes graph turned once into Python checks, run over batches of articles.

pySHACL re-reads the shapes graph and re-parses every SPARQL query on each call (~100 ms an
article). Here the shapes are compiled once; the core constraints run over a Python index of
each article's triples, and the SPARQL parts run in Oxigraph over only the triples their
queries can match. Any shape feature not implemented below makes `compile_shapes` raise
`UnsupportedShapes`, so a constraint is never dropped silently.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
from pyshacl.rdfutil.compare import compare_literal
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH, XSD
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from kg import terms
from kg.terms import ox_term, paused_gc, triple_terms

__all__ = ["Result", "ShapesPlan", "UnsupportedShapes", "compile_shapes", "ox_of", "rdflib_term"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Triples = Sequence[ox.Triple]


class UnsupportedShapes(ValueError):
    """The shapes use a SHACL feature this engine does not implement."""


@dataclass(frozen=True)
class Result:
    """One validation result, with terms still in Oxigraph form."""

    focus: Term
    path: str | None
    component: str
    severity: str
    messages: tuple[str, ...]
    value: Term | None = None


# --- terms ------------------------------------------------------------------------------------

_XSD_STRING = ox.NamedNode(str(XSD.string))
_LANG_STRING = ox.NamedNode(str(RDF.langString))
_RDF_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))


def ox_of(term: object) -> Term:
    """The Oxigraph form of an rdflib term used by a shape."""
    try:
        return ox_term(term)
    except ValueError as error:
        raise UnsupportedShapes(f"cannot use {term!r} as an RDF term") from error


rdflib_term = lru_cache(maxsize=1 << 16)(terms.rdflib_term)
"""The rdflib form of an Oxigraph term, for the comparisons pySHACL makes (cached)."""


# --- one article's data -----------------------------------------------------------------------


_NONE: frozenset[Term] = frozenset()
_NO_INDEX: dict[Term, set[Term]] = {}


class Data:
    """One article's triples indexed by predicate, then subject: what the checks look up."""

    def __init__(self, triples: Triples) -> None:
        self.triples = triples
        self.terms = triple_terms(triples)
        """The terms of each triple, in the order of `triples`."""
        index: dict[ox.NamedNode, dict[Term, set[Term]]] = {}
        grouped: dict[ox.NamedNode, list[int]] = {}
        # One pass: a second one over the triples costs more. Hashing the Oxigraph terms is
        # most of the time, so each term is hashed as few times as it can be.
        for position, (s, p, o) in enumerate(self.terms):
            by_subject = index.get(p)
            if by_subject is None:
                index[p] = {s: {o}}
                grouped[p] = [position]
                continue
            grouped[p].append(position)
            objects = by_subject.get(s)
            if objects is None:  # not `setdefault`, which would build a set for every triple
                by_subject[s] = {o}
            else:
                objects.add(o)
        self.index = index
        self.grouped = grouped
        """The positions of each predicate's triples, to pick those Oxigraph needs."""
        self._inverse: dict[ox.NamedNode, dict[Term, set[Term]]] = {}
        self._superclasses: dict[Term, set[Term]] = {}

    def subjects(self, predicate: ox.NamedNode, obj: Term) -> Set[Term]:
        return self.inverse(predicate).get(obj, _NONE)

    def inverse(self, predicate: ox.NamedNode) -> dict[Term, set[Term]]:
        """Object -> subjects of one predicate, built on first use."""
        found = self._inverse.get(predicate)
        if found is None:
            found = self._inverse[predicate] = {}
            for s, objects in self.index.get(predicate, {}).items():
                for o in objects:
                    found.setdefault(o, set()).add(s)
        return found

    def superclasses(self, cls: Term) -> set[Term]:
        """`cls` and every class it is an rdfs:subClassOf* in this data graph."""
        found = self._superclasses.get(cls)
        if found is None:
            found, todo = {cls}, [cls]
            subclass_of = self.index.get(_SUBCLASS, {})
            while todo:
                for parent in subclass_of.get(todo.pop(), ()):
                    if parent not in found:
                        found.add(parent)
                        todo.append(parent)
            self._superclasses[cls] = found
        return found

    def original(self, term: Term) -> Term:
        """The data's own form of a term Oxigraph gave back: its store keeps derived integer
        types (nonNegativeInteger ...) as xsd:integer. Called for results only."""
        if not isinstance(term, ox.Literal):
            return term
        same = {
            o
            for by_subject in self.index.values()
            for objects in by_subject.values()
            for o in objects
            if isinstance(o, ox.Literal) and o.value == term.value and not o.language
        }
        return term if term in same or len(same) != 1 else same.pop()

    def subclass_instance(self, node: Term, cls: Term) -> bool:
        """Whether `node` is of a subclass of `cls` (the direct type is checked by the caller)."""
        if _SUBCLASS not in self.index:
            return False
        types = self.index.get(_RDF_TYPE, _NO_INDEX).get(node, _NONE)
        return any(cls in self.superclasses(t) for t in types)

    def instances(self, cls: Term) -> Set[Term]:
        """Nodes typed `cls` or a subclass of it (rdfs:subClassOf* in this data graph)."""
        if _SUBCLASS not in self.index:
            return self.subjects(_RDF_TYPE, cls)
        found: set[Term] = set()
        seen, todo = {cls}, [cls]
        while todo:
            current = todo.pop()
            found |= self.subjects(_RDF_TYPE, current)
            for sub in self.subjects(_SUBCLASS, current) - seen:
                seen.add(sub)
                todo.append(sub)
        return found


# --- paths ------------------------------------------------------------------------------------

PathFn = Callable[[Data, list[Term]], list[Set[Term]]]
"""The value nodes of each focus node."""


def _predicate_path(predicate: ox.NamedNode) -> PathFn:
    def values(data: Data, foci: list[Term]) -> list[Set[Term]]:
        by_subject = data.index.get(predicate, _NO_INDEX)
        return [by_subject.get(focus, _NONE) for focus in foci]

    return values


def _inverse_path(predicate: ox.NamedNode) -> PathFn:
    def values(data: Data, foci: list[Term]) -> list[Set[Term]]:
        by_object = data.inverse(predicate)
        return [by_object.get(focus, _NONE) for focus in foci]

    return values


def _alternative_path(paths: list[PathFn]) -> PathFn:
    def values(data: Data, foci: list[Term]) -> list[Set[Term]]:
        return [
            set().union(*sets) for sets in zip(*(path(data, foci) for path in paths), strict=True)
        ]

    return values


def compile_path(shapes: Graph, path: object) -> PathFn:
    """A SHACL path as a function node -> value nodes: predicates, inverses, alternatives."""
    if isinstance(path, URIRef):
        return _predicate_path(ox.NamedNode(str(path)))
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        return _inverse_path(ox.NamedNode(str(inverse)))
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return _alternative_path(
            [compile_path(shapes, p) for p in Collection(shapes, alternatives)]
        )
    raise UnsupportedShapes(f"unsupported sh:path {path!r} (only IRIs, inverse and alternatives)")


# --- literal semantics, as pySHACL has them (through rdflib) ----------------------------------


_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {
    str(XSD.string): (str, bytes),
    str(RDF.langString): (str, bytes),
    str(XSD.integer): int,
    str(XSD.float): float,
    str(XSD.decimal): Decimal,
    str(XSD.boolean): bool,
    str(XSD.date): date,
    str(XSD.time): time,
    str(XSD.dateTime): datetime,
}
"""The datatypes whose Python value pySHACL checks; it assumes the others are fine."""


@lru_cache(maxsize=1 << 16)
def datatype_ok(value: Term, datatype: ox.NamedNode) -> bool:
    """sh:datatype as pySHACL checks it: the datatype, and a well-formed lexical form."""
    if not isinstance(value, ox.Literal):
        return False
    if datatype == _XSD_STRING:  # plain strings too; never ill-typed
        return value.datatype == _XSD_STRING
    if datatype.value == str(RDFS.Literal):
        return True
    literal = rdflib_term(value)
    if literal.datatype == URIRef(datatype.value):
        expected = _PYTHON_TYPES.get(datatype.value, object)
        return literal.ill_typed is not True and isinstance(literal.value, expected)
    if datatype.value == str(RDFS.Datatype):
        return literal.datatype is not None
    return datatype == _LANG_STRING and bool(literal.language)


def in_range(value: Term, bound: Literal, test: Callable[[int], bool]) -> bool:
    """sh:min/maxIn/Exclusive as pySHACL compares: strings only with strings, else by value."""
    if not isinstance(value, ox.Literal):
        return False
    literal = rdflib_term(value)
    if isinstance(bound.value, str) != isinstance(literal.value, str):
        return False
    try:
        return test(compare_literal(literal, bound))
    except (TypeError, NotImplementedError):
        return False


_INTEGERS = {ox.NamedNode(str(XSD.integer)), ox.NamedNode(str(XSD.nonNegativeInteger))}
"""The integer datatypes for which a few ASCII digits are always a valid lexical form."""


def _few_digits(text: str) -> bool:
    """Whether a lexical form is a valid integer rdflib reads as a non-negative int (rdflib
    fails on more than 4,300 digits)."""
    return len(text) <= 18 and text.isascii() and text.isdigit()


@lru_cache(maxsize=1 << 16)
def _natural(value: Term) -> int | None:
    """The int of an integer literal written in a few ASCII digits, else None (cached: spans
    share their offsets across articles)."""
    if isinstance(value, ox.Literal) and value.datatype in _INTEGERS and _few_digits(value.value):
        return int(value.value)
    return None


def less_than(value: Term, other: Term) -> bool:
    """sh:lessThan as pySHACL compares a value with one value of the other property."""
    a_int, b_int = _natural(value), _natural(other)
    if a_int is not None and b_int is not None:  # the common case, without rdflib
        return a_int < b_int
    a, b = _comparable(value), _comparable(other)
    a_text, b_text = not isinstance(a, Literal), not isinstance(b, Literal)  # Literal is a str
    if a_text or b_text:
        return a_text and b_text and a < b
    if type(a.value) is int and type(b.value) is int:
        return a.value < b.value
    return bool(a < b)


def _comparable(term: Term) -> str | Literal:
    """IRIs and string literals compare as strings, other literals by rdflib's `<`."""
    if isinstance(term, ox.BlankNode):
        raise ValueError("sh:lessThan cannot compare a blank node")
    if isinstance(term, ox.NamedNode):
        return term.value
    literal = rdflib_term(term)
    return literal.value if isinstance(literal.value, str) else literal


# --- constraints ------------------------------------------------------------------------------

Pairs = list[tuple[Term, Set[Term]]]
"""Each focus node with its value nodes."""
Finding = tuple[Term, str, Term | None]
"""A focus node, the failed constraint component (local name), the value node it names."""
Check = Callable[["Context", Pairs], list[Finding]]


def _per_value(component: str, ok: Callable[[Term], bool]) -> Check:
    """A check that reports each value node failing `ok`."""
    return lambda ctx, pairs: [(f, component, v) for f, vs in pairs for v in vs if not ok(v)]


def _datatype(rule: Term) -> Check:
    if rule == _XSD_STRING:  # the common case: no cache, whose keys would be every text
        return _per_value(
            "DatatypeConstraintComponent",
            lambda v: isinstance(v, ox.Literal) and v.datatype == _XSD_STRING,
        )

    if rule in _INTEGERS:  # the next most common: offsets, counts (the cache hashes each)
        return _per_value(
            "DatatypeConstraintComponent",
            lambda v: (
                (isinstance(v, ox.Literal) and v.datatype == rule and _few_digits(v.value))
                or datatype_ok(v, rule)
            ),
        )
    return _per_value("DatatypeConstraintComponent", lambda v: datatype_ok(v, rule))


def _pattern_ok(regex: re.Pattern[str]) -> Callable[[Term], bool]:
    return lambda v: not isinstance(v, ox.BlankNode) and regex.search(v.value) is not None


def _node_kind_ok(kind: object) -> Callable[[Term], bool]:
    kinds = {
        SH.IRI: (ox.NamedNode,),
        SH.BlankNode: (ox.BlankNode,),
        SH.Literal: (ox.Literal,),
        SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode),
        SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
        SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
    }
    if kind not in kinds:
        raise UnsupportedShapes(f"unknown sh:nodeKind {kind}")
    allowed = kinds[kind]  # type: ignore[index]
    return lambda v: isinstance(v, allowed)


def _counts(low: int | None, high: int | None) -> Check:
    """sh:minCount and sh:maxCount in one pass: most foci pass both with one comparison."""
    least, most = low or 0, sys.maxsize if high is None else high

    def failed(n: int) -> list[str]:
        return [
            *(["MinCountConstraintComponent"] if n < least else []),
            *(["MaxCountConstraintComponent"] if n > most else []),
        ]

    return lambda ctx, pairs: [
        (f, component, None)
        for f, vs in pairs
        if not least <= (n := len(vs)) <= most
        for component in failed(n)
    ]


def _class(cls: Term) -> Check:
    def check(ctx: Context, pairs: Pairs) -> list[Finding]:
        data = ctx.data
        types = data.index.get(_RDF_TYPE, _NO_INDEX)
        return [
            (f, "ClassConstraintComponent", v)
            for f, vs in pairs
            for v in vs
            if cls not in types.get(v, _NONE) and not data.subclass_instance(v, cls)
        ]

    return check


def _has_value(wanted: Term) -> Check:
    return lambda ctx, pairs: [
        (f, "HasValueConstraintComponent", None) for f, vs in pairs if wanted not in vs
    ]


def _less_than(other: ox.NamedNode) -> Check:
    def check(ctx: Context, pairs: Pairs) -> list[Finding]:
        bounds = ctx.data.index.get(other, _NO_INDEX)
        return [
            (f, "LessThanConstraintComponent", v)
            for f, vs in pairs
            for v in vs
            for b in bounds.get(f, _NONE)
            if not less_than(v, b)
        ]

    return check


def _disjoint(other: ox.NamedNode) -> Check:
    def check(ctx: Context, pairs: Pairs) -> list[Finding]:
        others = ctx.data.index.get(other, _NO_INDEX)
        return [
            (f, "DisjointConstraintComponent", v)
            for f, vs in pairs
            for v in vs & others.get(f, _NONE)
        ]

    return check


def _or(shapes: list[CompiledShape]) -> Check:
    def check(ctx: Context, pairs: Pairs) -> list[Finding]:
        return [
            (f, "OrConstraintComponent", v)
            for f, vs in pairs
            for v in vs
            if not any(ctx.conforms(shape, v) for shape in shapes)
        ]

    return check


def _node(shape: CompiledShape) -> Check:
    def check(ctx: Context, pairs: Pairs) -> list[Finding]:
        return [
            (f, "NodeConstraintComponent", v)
            for f, vs in pairs
            for v in vs
            if not ctx.conforms(shape, v)
        ]

    return check


def _qualified(shape: CompiledShape, low: int | None, high: int | None) -> Check:
    def check(ctx: Context, pairs: Pairs) -> list[Finding]:
        found: list[Finding] = []
        for f, vs in pairs:
            n = sum(1 for v in vs if ctx.conforms(shape, v))
            if high is not None and n > high:
                found.append((f, "QualifiedMaxCountConstraintComponent", None))
            if low is not None and n < low:
                found.append((f, "QualifiedMinCountConstraintComponent", None))
        return found

    return check


# --- SPARQL -----------------------------------------------------------------------------------

ANY = None
"""In `SparqlNeeds.patterns`: every object of the predicate may be needed."""


@dataclass
class SparqlNeeds:
    """Which triples the SPARQL queries can match, so only those are loaded into Oxigraph."""

    patterns: dict[ox.NamedNode, set[Term] | None] = field(default_factory=dict)
    domains: set[ox.NamedNode] = field(default_factory=set)
    """Predicates whose objects are themselves predicates the queries may match."""
    everything: bool = False

    def add(self, predicate: ox.NamedNode, obj: Term | None) -> None:
        if predicate in self.patterns and self.patterns[predicate] is ANY:
            return
        if obj is ANY:
            self.patterns[predicate] = ANY
        else:
            self.patterns.setdefault(predicate, set()).add(obj)  # type: ignore[union-attr]

    def chosen(self, data: Data) -> list[int]:
        """The positions of the article's triples that any query can match."""
        if self.everything:
            return list(range(len(data.terms)))
        wanted: dict[ox.NamedNode, Set[Term] | None] = dict(self.patterns)
        for predicate in self.domains:
            for objects in data.index.get(predicate, _NO_INDEX).values():
                wanted.update((o, ANY) for o in objects if isinstance(o, ox.NamedNode))
        chosen: list[int] = []
        for predicate, objects in wanted.items():
            positions = data.grouped.get(predicate, ())
            if objects is ANY:
                chosen += positions
            else:
                chosen += [i for i in positions if data.terms[i][2] in objects]
        return chosen

    def load(self, store: ox.Store, data: Data) -> None:
        """Make `store` hold, in its default graph, only the article's triples any query can
        match.

        Text is loaded, not Quads: building a Quad in Python costs more than Oxigraph's parse.
        One small store per article loads and queries faster than named graphs in a shared one,
        and clearing one store for each article of a batch is faster than making new ones.
        The text comes from Oxigraph terms, valid already: `lenient` skips checking it again
        (a third of the load).
        """
        store.clear()
        chosen = self.chosen(data)
        if chosen:
            triples = data.triples
            text = ox.serialize([triples[i] for i in chosen], format=ox.RdfFormat.N_TRIPLES)
            if b"_:" in text:  # parsing would rename the blank nodes
                store.extend(ox.Quad(*data.terms[i]) for i in chosen)
            else:
                store.load(text, format=ox.RdfFormat.N_TRIPLES, lenient=True)


def _path_iris(path: object) -> Iterator[URIRef]:
    if isinstance(path, URIRef):
        yield path
    elif isinstance(path, (SequencePath, AlternativePath)):
        for arg in path.args:
            yield from _path_iris(arg)
    elif isinstance(path, InvPath):
        yield from _path_iris(path.arg)
    elif isinstance(path, MulPath):
        yield from _path_iris(path.path)
    else:  # a negated property set matches any predicate
        yield from ()
        raise _Everything


class _Everything(Exception):
    """A query pattern can match a triple of any predicate."""


def _analyse(node: object, needs: SparqlNeeds, domains: dict[Variable, URIRef]) -> None:
    """Record in `needs` every triple pattern of a query's algebra (see `SparqlNeeds`)."""
    if isinstance(node, CompValue):
        if node.name == "Filter" and isinstance(node.get("p"), CompValue) and node.p.name == "BGP":
            inner = dict(domains)
            inner.update((o, p) for _s, p, o in node.p.triples if isinstance(p, URIRef))
            _analyse(node.p, needs, domains)
            _analyse(node.expr, needs, inner)
            return
        if node.name in ("BGP", "TriplesBlock"):  # parsed but untranslated inside EXISTS
            for triple in node.triples:  # (s, p, o) or [s, p1, o1, p2, o2, ...]
                for i in range(1, len(triple) - 1, 2):
                    _triple_needs(triple[i], triple[i + 1], needs, domains)
        for value in node.values():
            _analyse(value, needs, domains)
    elif isinstance(node, list | tuple):
        for value in node:
            _analyse(value, needs, domains)


def _triple_needs(
    p: object, o: object, needs: SparqlNeeds, domains: dict[Variable, URIRef]
) -> None:
    if isinstance(p, URIRef):
        needs.add(ox.NamedNode(str(p)), ox_of(o) if isinstance(o, URIRef | Literal) else ANY)
    elif isinstance(p, Variable) and p in domains:
        needs.domains.add(ox.NamedNode(str(domains[p])))
    elif isinstance(p, Variable | NegatedPath):
        needs.everything = True
    else:
        try:
            for iri in _path_iris(p):
                needs.add(ox.NamedNode(str(iri)), ANY)
        except _Everything:
            needs.everything = True


_FORBIDDEN = re.compile(
    r"\b(GRAPH|SERVICE|FROM|MINUS)\b|[?$](currentShape|shapesGraph)\b", re.IGNORECASE
)
"""What pySHACL treats specially (pre-bound shape variables) or what would leave the graph."""


@dataclass(frozen=True)
class SparqlQuery:
    """A SELECT query with its prefixes, run on one article's graph, $this pre-bound."""

    text: str
    prefixes: dict[str, str]

    @classmethod
    def compile(cls, text: str, prefixes: dict[str, str], needs: SparqlNeeds) -> SparqlQuery:
        if _FORBIDDEN.search(text):
            raise UnsupportedShapes(
                f"SPARQL with GRAPH, SERVICE, FROM, MINUS, $currentShape or $shapesGraph: {text}"
            )
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
        try:
            algebra = prepareQuery(prologue + text).algebra
        except Exception as exc:  # rdflib raises pyparsing and other errors
            raise UnsupportedShapes(f"cannot parse SPARQL {text.strip()!r}: {exc}") from exc
        if algebra.name != "SelectQuery":
            raise UnsupportedShapes(f"only SELECT queries are supported: {text.strip()}")
        _analyse(algebra, needs, {})
        return cls(text, prefixes)

    def run(self, ctx: Context, this: Term | None = None) -> Iterator[dict[str, Term]]:
        """The solutions on the context's article, `$this` pre-bound (substituted) if given."""
        substitutions = {} if this is None else {ox.Variable("this"): this}
        solutions = ctx.store.query(self.text, prefixes=self.prefixes, substitutions=substitutions)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            yield {n: t for n in names if (t := solution[n]) is not None}


_VAR = "{{[?$]{}}}"


def format_message(message: str, bound: dict[str, Term]) -> str:
    """Fill `{?var}` / `{$var}` from a SPARQL solution, with the text pySHACL puts there."""
    for name, term in bound.items():
        message = re.sub(_VAR.format(name), str(rdflib_term(term)), message)
    return message


@dataclass(frozen=True)
class SparqlConstraint:
    """An sh:sparql constraint: one query per focus node, each solution a result."""

    query: SparqlQuery
    messages: tuple[str, ...]

    def results(self, ctx: Context, shape: CompiledShape, focus: Term) -> Iterator[Result]:
        """The results pySHACL reports: one per distinct solution binding this, path or value."""
        default_value = None if shape.path is not None else focus
        seen: list[dict[str, Term]] = []
        for row in self.query.run(ctx, focus):
            failure = row.pop("failure", None)
            if failure is None and not {"this", "path", "value"} & row.keys():
                continue
            if row in seen:
                continue
            seen.append(row)
            this, path, value = row.pop("this", None), row.pop("path", None), row.pop("value", None)
            value = default_value if value is None or failure is not None else value
            value = None if value is None else ctx.data.original(value)
            bound = dict(row)
            bound.update((k, t) for k, t in (("this", this), ("path", path), ("value", value)) if t)
            messages = [*shape.messages, *(m for m in self.messages if m not in shape.messages)]
            yield Result(
                focus=this or focus,
                path=path.value if isinstance(path, ox.NamedNode) else shape.path_text,
                component="SPARQLConstraintComponent",
                severity=shape.severity,
                messages=tuple(format_message(m, bound) for m in messages),
                value=value,
            )


# --- shapes -----------------------------------------------------------------------------------


@dataclass
class CompiledShape:
    """A node or property shape: how to find its focus nodes and what to check on each."""

    node: URIRef | BNode
    severity: str = "Violation"
    messages: tuple[str, ...] = ()
    path: PathFn | None = None
    path_text: str | None = None
    targets: list[Callable[[Context], Iterable[Term]]] = field(default_factory=list)
    """Each gives its focus nodes without repeating one."""
    checks: list[Check] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    properties: list[CompiledShape] = field(default_factory=list)
    intrinsic: bool = False
    """Whether a node conforms depends on the node alone, not on the data graph."""
    verdicts: dict[Term, bool] = field(default_factory=dict)
    """Conformance of nodes to an intrinsic shape, kept across articles."""


_MAX_VERDICTS = 1 << 16


class Context:
    """One article being validated: its index, its Oxigraph store, and nested-shape answers."""

    def __init__(self, data: Data, needs: SparqlNeeds | None, store: ox.Store) -> None:
        """`store` is the batch's; the article's triples are loaded into it on first use."""
        self.data = data
        self._needs = needs
        self._store = store
        self._loaded = False
        self._conforms: dict[tuple[int, Term], bool] = {}

    @property
    def store(self) -> ox.Store:
        """The article's store for the SPARQL queries, loaded on first use."""
        if not self._loaded:
            assert self._needs is not None, "a SPARQL query runs without SPARQL shapes"
            self._needs.load(self._store, self.data)
            self._loaded = True
        return self._store

    def conforms(self, shape: CompiledShape, node: Term) -> bool:
        if shape.intrinsic:
            found = shape.verdicts.get(node)
            if found is None:
                if len(shape.verdicts) > _MAX_VERDICTS:
                    shape.verdicts.clear()
                found = shape.verdicts[node] = not self.evaluate(shape, [node])
            return found
        key = (id(shape), node)
        found = self._conforms.get(key)
        if found is None:
            found = self._conforms[key] = not self.evaluate(shape, [node])
        return found

    def evaluate(self, shape: CompiledShape, foci: list[Term]) -> list[Result]:
        """Every result of `shape` (and its property shapes) on the focus nodes."""
        if shape.path is None:
            pairs: Pairs = [(f, {f}) for f in foci]
        else:
            pairs = list(zip(foci, shape.path(self.data, foci), strict=True))
        results = []
        for check in shape.checks:
            for focus, component, value in check(self, pairs):
                messages = shape.messages or (f"fails {component}",)
                results.append(
                    Result(focus, shape.path_text, component, shape.severity, messages, value)
                )
        for constraint in shape.sparql:
            for focus in foci:
                results.extend(constraint.results(self, shape, focus))
        for prop in shape.properties:
            results.extend(self.evaluate(prop, foci))
        return results


@dataclass
class ShapesPlan:
    """The compiled shapes: run `validate` on a batch of (graph name, triples) articles."""

    shapes: list[CompiledShape]
    needs: SparqlNeeds | None
    """What to load into Oxigraph; None when no shape uses SPARQL."""

    def validate(self, batch: Sequence[tuple[ox.NamedNode, Triples]]) -> list[list[Result]]:
        """The results of each article, validated as its own data graph, in batch order."""
        with paused_gc():  # the indexes make ~1e5 small sets, which no cycle holds
            return self._validate(batch)

    def _validate(self, batch: Sequence[tuple[ox.NamedNode, Triples]]) -> list[list[Result]]:
        store = ox.Store()  # one per call, so that calls in several threads share none
        return [
            self._results(Context(Data(triples), self.needs, store)) for _name, triples in batch
        ]

    def _results(self, ctx: Context) -> list[Result]:
        results = []
        for shape in self.shapes:
            foci = _foci(shape, ctx)
            if foci:
                results.extend(ctx.evaluate(shape, foci))
        return results


def _foci(shape: CompiledShape, ctx: Context) -> list[Term]:
    """The distinct focus nodes of a shape; each target gives distinct nodes already, so one
    target needs no set (which would hash every node again)."""
    if len(shape.targets) == 1:
        return list(shape.targets[0](ctx))
    return list({node for target in shape.targets for node in target(ctx)})


# --- the compiler -----------------------------------------------------------------------------

_IGNORED = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue}
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
_SHAPE_KEYS = {
    SH.severity, SH.message, SH.deactivated, SH.path, SH.property, SH.minCount, SH.maxCount,
    SH.datatype, SH["class"], SH.nodeKind, SH["in"], SH.hasValue, SH.pattern, SH.flags,
    SH.minLength, SH.maxLength, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
    SH.maxExclusive, SH.lessThan, SH.disjoint, SH["or"], SH.node, SH.qualifiedValueShape,
    SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint, SH.sparql,
}  # fmt: skip
_INTRINSIC_KEYS = {
    SH.severity, SH.message, SH.deactivated, SH.datatype, SH.nodeKind, SH["in"], SH.hasValue,
    SH.pattern, SH.flags, SH.minLength, SH.maxLength, SH.minInclusive, SH.maxInclusive,
    SH.minExclusive, SH.maxExclusive,
}  # fmt: skip
"""Constraint parameters of a node shape that look at the focus node alone."""
_RANGES: dict[URIRef, tuple[str, Callable[[int], bool]]] = {
    SH.minInclusive: ("MinInclusiveConstraintComponent", lambda c: c >= 0),
    SH.maxInclusive: ("MaxInclusiveConstraintComponent", lambda c: c <= 0),
    SH.minExclusive: ("MinExclusiveConstraintComponent", lambda c: c > 0),
    SH.maxExclusive: ("MaxExclusiveConstraintComponent", lambda c: c < 0),
}


def compile_shapes(shapes: Graph, path_text: Callable[[Graph, object], str] = str) -> ShapesPlan:
    """Compile every targeted shape of `shapes`; raises `UnsupportedShapes` on unknown features.

    `path_text` names a shape's sh:path in results (from the shapes graph and the path node).
    """
    _check_vocabulary(shapes)
    compiler = _Compiler(shapes, path_text)
    roots = sorted({s for p in _TARGETS for s in shapes.subjects(p, None)}, key=str)
    compiled = [shape for node in roots if (shape := compiler.shape(node)) is not None]
    return ShapesPlan(compiled, compiler.needs if compiler.uses_sparql else None)


_VOCABULARY = {
    *_SHAPE_KEYS, *_TARGETS, *_IGNORED,
    SH.select, SH.prefixes, SH.declare, SH.prefix, SH.namespace, SH.alternativePath,
    SH.inversePath,
}  # fmt: skip
_CLASSES = {
    SH.NodeShape, SH.PropertyShape, SH.Shape, SH.SPARQLTarget, SH.SPARQLConstraint,
    SH.PrefixDeclaration, SH.Violation, SH.Warning, SH.Info,
}  # fmt: skip


def _check_vocabulary(shapes: Graph) -> None:
    """Refuse any SHACL term outside what is compiled (custom components, rules, functions ...),
    wherever it is: even a parameter of a custom component is a SHACL `sh:parameter`."""
    for s, p, o in shapes:
        if str(p).startswith(str(SH)) and p not in _VOCABULARY:
            raise UnsupportedShapes(f"{s} uses {p}, which this engine does not implement")
        if p == RDF.type and str(o).startswith(str(SH)) and o not in _CLASSES:
            raise UnsupportedShapes(f"{s} is a {o}, which this engine does not implement")
        if (
            p == RDF.type
            and o in (RDFS.Class, OWL.Class)
            and ((s, RDF.type, SH.NodeShape) in shapes or (s, RDF.type, SH.PropertyShape) in shapes)
        ):
            raise UnsupportedShapes(f"{s} is a shape and a class: implicit class targets")


class _Compiler:
    def __init__(self, shapes: Graph, path_text: Callable[[Graph, object], str]) -> None:
        self.g = shapes
        self.path_text = path_text
        self.needs = SparqlNeeds()
        self.uses_sparql = False
        self.done: dict[object, CompiledShape | None] = {}

    def one(self, node: object, key: URIRef) -> object:
        values = list(self.g.objects(node, key))
        if len(values) > 1:
            raise UnsupportedShapes(f"{node} has {len(values)} values of {key}; one is supported")
        return values[0] if values else None

    def integer(self, node: object, key: URIRef) -> int | None:
        value = self.one(node, key)
        if value is None:
            return None
        if not isinstance(value, Literal) or type(value.value) is not int:
            raise UnsupportedShapes(f"{key} of {node} is not an integer: {value!r}")
        return value.value

    def shape(self, node: object) -> CompiledShape | None:
        """The compiled shape, or None when it is deactivated."""
        if node in self.done:
            return self.done[node]
        self.check_keys(node)
        deactivated = self.one(node, SH.deactivated)
        if isinstance(deactivated, Literal) and deactivated.value is True:
            self.done[node] = None
            return None
        severity = self.one(node, SH.severity)
        path = self.one(node, SH.path)
        keys = {p for p in self.g.predicates(node) if str(p).startswith(str(SH))}
        shape = CompiledShape(
            node=node,  # type: ignore[arg-type]
            intrinsic=keys <= _INTRINSIC_KEYS,
            severity="Violation" if severity is None else str(severity).rsplit("#", 1)[-1],
            messages=tuple(sorted(str(m) for m in self.g.objects(node, SH.message))),
            path=None if path is None else compile_path(self.g, path),
            path_text=None if path is None else self.path_text(self.g, path),
        )
        self.done[node] = shape
        shape.targets = [self.target(p, o) for p in _TARGETS for o in self.g.objects(node, p)]
        shape.checks = list(self.checks(node))
        shape.sparql = [self.sparql(node, c, path) for c in self.g.objects(node, SH.sparql)]
        shape.sparql = [c for c in shape.sparql if c is not None]
        props = (self.shape(p) for p in sorted(self.g.objects(node, SH.property), key=str))
        shape.properties = [p for p in props if p is not None]
        return shape

    def check_keys(self, node: object) -> None:
        for p in self.g.predicates(node):
            if str(p).startswith(str(SH)) and p not in _SHAPE_KEYS | _TARGETS | _IGNORED:
                raise UnsupportedShapes(f"{node} uses {p}, which this engine does not implement")
        if self.one(node, SH.qualifiedValueShapesDisjoint) not in (None, Literal(False)):
            raise UnsupportedShapes(f"{node}: sh:qualifiedValueShapesDisjoint true")

    def target(self, key: URIRef, value: object) -> Callable[[Context], Iterable[Term]]:
        if key == SH.target:
            return self.sparql_target(value)
        term = ox_of(value)
        if key == SH.targetNode:
            return lambda ctx: [term]
        if not isinstance(term, ox.NamedNode):
            raise UnsupportedShapes(f"{key} {value!r} is not an IRI")
        if key == SH.targetClass:
            return lambda ctx: ctx.data.instances(term)
        if key == SH.targetSubjectsOf:
            return lambda ctx: ctx.data.index.get(term, {}).keys()
        return lambda ctx: ctx.data.inverse(term).keys()

    def sparql_target(self, node: object) -> Callable[[Context], Iterable[Term]]:
        if (node, RDF.type, SH.SPARQLTarget) not in self.g:
            raise UnsupportedShapes(f"sh:target {node} is not a sh:SPARQLTarget")
        allowed = {RDF.type, SH.select, SH.prefixes}
        if set(self.g.predicates(node)) - allowed:
            raise UnsupportedShapes(f"sh:target {node} has keys other than sh:select/sh:prefixes")
        query = self.query(node, None)
        return lambda ctx: list(
            dict.fromkeys(row["this"] for row in query.run(ctx) if "this" in row)
        )

    def query(self, node: object, path: object) -> SparqlQuery:
        self.uses_sparql = True
        text = str(self.one(node, SH.select) or "")
        if not text:
            raise UnsupportedShapes(f"{node} has no sh:select (sh:ask is not supported)")
        if path is not None:
            text = re.sub(r"\$PATH\b", _sparql_path(self.g, path).replace("\\", r"\\"), text)
        elif "$PATH" in text:
            raise UnsupportedShapes(f"{node}: $PATH in a SPARQL constraint of a node shape")
        return SparqlQuery.compile(text, self.prefixes(node), self.needs)

    def prefixes(self, node: object) -> dict[str, str]:
        found: dict[str, str] = {}
        for source in self.g.objects(node, SH.prefixes):
            for declaration in self.g.objects(source, SH.declare):
                prefix, namespace = (
                    self.one(declaration, SH.prefix),
                    self.one(declaration, SH.namespace),
                )
                found[str(prefix)] = str(namespace)
        return found

    def sparql(self, shape: object, node: object, path: object) -> SparqlConstraint | None:
        allowed = {RDF.type, SH.select, SH.prefixes, SH.message, SH.deactivated}
        if set(self.g.predicates(node)) - allowed:
            raise UnsupportedShapes(f"sh:sparql of {shape} has unsupported keys")
        if self.one(node, SH.deactivated) == Literal(True):
            return None
        messages = tuple(str(m) for m in self.g.objects(node, SH.message))
        return SparqlConstraint(self.query(node, path), messages)

    def checks(self, node: object) -> Iterator[Check]:
        """The compiled core constraints of one shape, one check per parameter value."""
        g = self.g
        low, high = self.integer(node, SH.minCount), self.integer(node, SH.maxCount)
        if low is not None or high is not None:
            yield _counts(low, high)
        for dt in g.objects(node, SH.datatype):
            yield _datatype(ox_of(dt))
        for cls in g.objects(node, SH["class"]):
            yield _class(ox_of(cls))
        for kind in g.objects(node, SH.nodeKind):
            yield _per_value("NodeKindConstraintComponent", _node_kind_ok(kind))  # type: ignore[arg-type]
        for members in g.objects(node, SH["in"]):
            allowed = {ox_of(m) for m in Collection(g, members)}
            yield _per_value("InConstraintComponent", lambda v, a=allowed: v in a)
        for value in g.objects(node, SH.hasValue):
            yield _has_value(ox_of(value))
        yield from self.string_checks(node)
        for key, (component, test) in _RANGES.items():
            for bound in g.objects(node, key):
                if not isinstance(bound, Literal):
                    raise UnsupportedShapes(f"{key} of {node} is not a literal")
                yield _per_value(component, lambda v, b=bound, t=test: in_range(v, b, t))
        for other in g.objects(node, SH.lessThan):
            yield _less_than(ox.NamedNode(str(other)))
        for other in g.objects(node, SH.disjoint):
            yield _disjoint(ox.NamedNode(str(other)))
        for members in g.objects(node, SH["or"]):
            yield _or([self.nested(m) for m in Collection(g, members)])
        for other in g.objects(node, SH.node):
            yield _node(self.nested(other))
        qualified = self.one(node, SH.qualifiedValueShape)
        if qualified is not None:
            low_q = self.integer(node, SH.qualifiedMinCount)
            high_q = self.integer(node, SH.qualifiedMaxCount)
            yield _qualified(self.nested(qualified), low_q, high_q)

    def string_checks(self, node: object) -> Iterator[Check]:
        pattern, flags = self.one(node, SH.pattern), self.one(node, SH.flags)
        if pattern is not None:
            text = str(flags or "").lower()
            re_flags = (re.I if "i" in text else 0) | (re.M if "m" in text else 0)
            regex = re.compile(str(pattern), re_flags)
            yield _per_value("PatternConstraintComponent", _pattern_ok(regex))
        shortest, longest = self.integer(node, SH.minLength), self.integer(node, SH.maxLength)
        if shortest is not None:
            yield _per_value(
                "MinLengthConstraintComponent",
                lambda v: not isinstance(v, ox.BlankNode) and len(v.value) >= shortest,
            )
        if longest is not None:
            yield _per_value(
                "MaxLengthConstraintComponent",
                lambda v: not isinstance(v, ox.BlankNode) and len(v.value) <= longest,
            )

    def nested(self, node: object) -> CompiledShape:
        shape = self.shape(node)
        if shape is None:  # a deactivated shape conforms
            return CompiledShape(node=node)  # type: ignore[arg-type]
        return shape


def _sparql_path(shapes: Graph, path: object) -> str:
    """A SHACL path in SPARQL syntax with full IRIs, for $PATH."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_sparql_path(shapes, inverse)}"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return (
            "(" + "|".join(_sparql_path(shapes, p) for p in Collection(shapes, alternatives)) + ")"
        )
    raise UnsupportedShapes(f"unsupported sh:path {path!r}")
