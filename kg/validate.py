"""Check article graphs against the SHACL shapes before they are written.

The shapes are compiled once (`kg.shapes_engine`) and validate batches of articles, each as its
own data graph; shapes the compiler does not support fall back to pySHACL, which gives the same
results ~50 times slower.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as Choice

import pyoxigraph as ox
import pyshacl
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD, NamespaceManager

from kg.errors import ValidationError
from kg.resources import resource_dir
from kg.shapes_engine import (
    Result,
    ShapesPlan,
    UnsupportedShapes,
    compile_shapes,
    rdflib_term,
)
from kg.terms import ox_triples
from kg.vocab import NIF, NKG_IRI, SCHEMA, SEM

__all__ = ["ShapesValidator", "ValidationResult", "Violation", "load_shapes"]

_PREFIXES: dict[str, str] = {
    "nkg": NKG_IRI,
    "sem": str(SEM),
    "schema": str(SCHEMA),
    "nif": str(NIF),
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": str(RDF),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong, how badly."""

    focus: str
    """The node that does not conform (an IRI, or a blank node id)."""
    path: str | None
    """The property IRI (or a SHACL path in prefixed form), None for node-level results."""
    message: str
    severity: str
    """"Violation", "Warning" or "Info"."""
    value: str | None = None
    """The offending value in N-Triples-like form (prefixed where known), when SHACL names one."""
    component: str | None = None
    """The failed constraint component's local name, e.g. `MinCountConstraintComponent`."""

    def line(self) -> str:
        """The result as one report line: `focus path: message`, plus the value if it helps."""
        where = f"{self.focus} {_compact(self.path)}" if self.path else self.focus
        label = "" if self.severity == "Violation" else f"[{self.severity}] "
        value = f" (value {self.value})" if self.value and self.value not in self.message else ""
        return f"{where}: {label}{self.message}{value}"


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validating one graph: whether it conforms, and every result, sorted."""

    conforms: bool
    violations: tuple[Violation, ...]

    def report(self) -> str:
        """One line per result, `focus path: message`, sorted; empty when there are none."""
        return "\n".join(sorted(violation.line() for violation in self.violations))

    @property
    def errors(self) -> tuple[Violation, ...]:
        """The results of severity Violation, which make a graph not conform."""
        return tuple(v for v in self.violations if v.severity == "Violation")


def load_shapes(files: Iterable[Path] = ()) -> Graph:
    """Parse the bundled `shapes/*.ttl`, plus any extra shape files, into one graph."""
    graph = Graph()
    for path in [*sorted(resource_dir("shapes").glob("*.ttl")), *files]:
        graph.parse(path, format="turtle")
    return graph


Engine = Choice["auto", "compiled", "pyshacl"]
Batch = Sequence[tuple[ox.NamedNode, Sequence[ox.Triple]]]


class ShapesValidator:
    """Validates article graphs against shapes parsed once; reuse one instance for many articles.

    The shapes are compiled into a fast plan (`kg.shapes_engine`); with `engine="auto"` shapes
    using a feature the plan does not implement fall back to pySHACL, the reason kept in
    `fallback_reason`. `engine` tells which one runs: "compiled" or "pyshacl".
    """

    def __init__(
        self,
        shapes: Graph | None = None,
        *,
        extra_files: Iterable[Path] = (),
        engine: Engine = "auto",
    ) -> None:
        """Use `shapes` if given, else the bundled shapes; `extra_files` are added to either."""
        if shapes is None:
            graph = load_shapes()
        else:
            graph = Graph()
            graph += shapes  # a copy: extra files never change the caller's graph
        for path in extra_files:
            graph.parse(path, format="turtle")
        self.shapes = graph
        self.fallback_reason: str | None = None
        self._plan: ShapesPlan | None = None
        if engine != "pyshacl":
            try:
                self._plan = compile_shapes(graph, _path_text)
            except UnsupportedShapes as exc:
                if engine == "compiled":
                    raise
                self.fallback_reason = str(exc)
        self.engine: Engine = "pyshacl" if self._plan is None else "compiled"

    def validate(self, data: Graph) -> ValidationResult:
        """Validate one graph without inference; warnings and infos do not break conformance."""
        if self._plan is None:
            return self._pyshacl(data)
        name = ox.NamedNode("urn:newskg:validate")
        triples = ox_triples(data)
        (results,) = self._plan.validate([(name, triples)])
        # Oxigraph, like RDF 1.1, does not tell "x" from "x"^^xsd:string; rdflib and reports do
        typed = {
            str(o) for o in data.objects() if isinstance(o, Literal) and o.datatype == XSD.string
        }
        return _result(_compiled_violation(r, typed) for r in results)

    def validate_batch(self, batch: Batch) -> list[ValidationResult]:
        """One result per (graph name, triples) article, each validated as its own graph."""
        if self._plan is None:
            return [self._pyshacl(_rdflib_graph(triples)) for _name, triples in batch]
        return [_result(_compiled_violation(r) for r in rs) for rs in self._plan.validate(batch)]

    def _pyshacl(self, data: Graph) -> ValidationResult:
        _conforms, results, _text = pyshacl.validate(
            data,
            shacl_graph=self.shapes,
            inference="none",
            advanced=True,
            allow_infos=True,
            allow_warnings=True,
        )
        return _result(_violations(results))

    def check(self, data: Graph, *, source: str | None = None) -> ValidationResult:
        """Validate, raising `ValidationError` (with the report) when the graph does not conform."""
        result = self.validate(data)
        if not result.conforms:
            errors = result.errors or result.violations
            first = errors[0].line() if errors else "no result given"
            raise ValidationError(
                f"graph does not conform to the newskg shapes ({len(errors)} violation"
                f"{'' if len(errors) == 1 else 's'}; first: {first})",
                source=source,
                report=result.report(),
            )
        return result


def _result(violations: Iterable[Violation]) -> ValidationResult:
    """Sorted violations; the graph conforms when none has severity Violation."""
    ordered = tuple(sorted(violations, key=_sort_key))
    return ValidationResult(
        conforms=all(v.severity != "Violation" for v in ordered), violations=ordered
    )


def _rdflib_graph(triples: Sequence[ox.Triple]) -> Graph:
    """The article's triples as the rdflib graph pySHACL validates."""
    graph = Graph()
    for triple in triples:
        graph.add(tuple(rdflib_term(t) for t in triple))  # type: ignore[arg-type]
    return graph


def _names() -> NamespaceManager:
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in {**_PREFIXES, "xsd": str(XSD)}.items():
        names.bind(prefix, namespace)
    return names


def _compiled_violation(result: Result, typed_strings: AbstractSet[str] = frozenset()) -> Violation:
    """A compiled result as a `Violation`; strings in `typed_strings` show their ^^xsd:string."""
    value = None if result.value is None else rdflib_term(result.value)
    if isinstance(value, Literal) and value.datatype is None and not value.language:
        value = Literal(value, datatype=XSD.string) if str(value) in typed_strings else value
    return Violation(
        focus=result.focus.value,
        path=result.path,
        message="; ".join(sorted(result.messages)),
        severity=result.severity,
        value=None if value is None or isinstance(value, BNode) else value.n3(_NAMES),
        component=result.component,
    )


def _violations(results: Graph) -> Iterable[Violation]:
    """Turn each sh:ValidationResult of pyshacl's results graph into a `Violation`."""
    for node in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(node, SH.focusNode)
        path = results.value(node, SH.resultPath)
        severity = results.value(node, SH.resultSeverity)
        value = results.value(node, SH.value)
        component = results.value(node, SH.sourceConstraintComponent)
        messages = sorted(str(m) for m in results.objects(node, SH.resultMessage))
        message = "; ".join(messages) or _default_message(results, node)
        yield Violation(
            focus=str(focus),
            path=None if path is None else _path_text(results, path),
            message=message,
            severity=_local_name(severity) if severity is not None else "Violation",
            value=None if value is None or isinstance(value, BNode) else value.n3(_NAMES),
            component=None if component is None else _local_name(component),
        )


def _default_message(results: Graph, node: BNode | URIRef) -> str:
    """A message for results without one: the constraint component that failed."""
    component = results.value(node, SH.sourceConstraintComponent)
    return f"fails {_local_name(component)}" if component is not None else "does not conform"


_UNARY_PATHS = {
    SH.inversePath: "^{}",
    SH.zeroOrMorePath: "({})*",
    SH.oneOrMorePath: "({})+",
    SH.zeroOrOnePath: "({})?",
}


def _path_text(graph: Graph, path: object) -> str:
    """A result path as text: a predicate's IRI, or a complex path in SPARQL syntax, prefixed."""
    if isinstance(path, URIRef):
        return str(path)
    return _complex_path_text(graph, path)


def _complex_path_text(graph: Graph, path: object) -> str:
    """A SHACL path in SPARQL property path syntax with prefixed names: `nkg:a|nkg:b`."""
    if isinstance(path, URIRef):
        return _compact(str(path))
    if isinstance(path, BNode):
        if graph.value(path, RDF.first) is not None:
            return "/".join(_complex_path_text(graph, p) for p in Collection(graph, path))
        for key, template in _UNARY_PATHS.items():
            inner = graph.value(path, key)
            if inner is not None:
                return template.format(_complex_path_text(graph, inner))
        alternatives = graph.value(path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(_complex_path_text(graph, p) for p in Collection(graph, alternatives))
    return str(path) if not isinstance(path, Literal) else path.n3()


def _compact(iri: str) -> str:
    """`https://w3id.org/newskg/ontology#agent` as `nkg:agent`, for reports."""
    for prefix, namespace in _PREFIXES.items():
        if iri.startswith(namespace) and "/" not in iri[len(namespace) :]:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _local_name(iri: object) -> str:
    """The part of an IRI after its last `#` or `/`."""
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _sort_key(violation: Violation) -> tuple[int, str, str, str, str, str]:
    """Violations first, then by focus, path, message and value, so the order is stable."""
    rank = _SEVERITY_ORDER.get(violation.severity, 3)
    path, value = violation.path or "", violation.value or ""
    return (rank, violation.focus, path, violation.message, value, violation.component or "")


_NAMES = _names()
