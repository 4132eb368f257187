"""Serialize article graphs to bytes through a format registry, and write them atomically."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.errors import OutputError
from kg.mapping import PREFIXES

ArticleGraphs = Sequence[tuple[URIRef, Graph]]
"""(article IRI, article graph) pairs; the IRI names the article's graph in quad formats."""

_RDF_TYPE = str(RDF.type)


@dataclass(frozen=True)
class OutputFormat:
    """One output format: how files of it are named and how graphs become its bytes."""

    name: str
    extensions: tuple[str, ...]
    media_type: str
    quads: bool
    """True when each article keeps its own named graph (TriG, N-Quads)."""
    serialize: Callable[[ArticleGraphs], bytes]


def ox_term(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
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


def _triple_key(triple: ox.Triple) -> tuple[str, bool, str, str]:
    """Sort by subject, `rdf:type` first, then predicate and object (N-Triples forms)."""
    predicate = triple.predicate.value
    return (str(triple.subject), predicate != _RDF_TYPE, predicate, str(triple.object))


def _triples(graphs: ArticleGraphs) -> list[ox.Triple]:
    """Every graph merged into one set of triples, in a stable order."""
    triples = {
        ox.Triple(ox_term(s), ox_term(p), ox_term(o)) for _, graph in graphs for s, p, o in graph
    }
    return sorted(triples, key=_triple_key)


def _quads(graphs: ArticleGraphs) -> list[ox.Quad]:
    """Each article's triples in a named graph called by its IRI, in a stable order."""
    quads = {
        ox.Quad(ox_term(s), ox_term(p), ox_term(o), ox.NamedNode(str(name)))
        for name, graph in graphs
        for s, p, o in graph
    }
    return sorted(quads, key=lambda q: (q.graph_name.value, *_triple_key(q.triple)))


def _sorted_lines(data: bytes) -> bytes:
    return b"".join(sorted(data.splitlines(keepends=True)))


def _tidy(data: bytes) -> bytes:
    """Sort the leading `@prefix` lines (Oxigraph's order is its own) and space out the blocks.

    Safe on Oxigraph's Turtle and TriG: literals never span lines there (newlines are escaped),
    so a line at column 0 always starts a subject or a graph.
    """
    lines = data.splitlines(keepends=True)
    head = 0
    while head < len(lines) and lines[head].startswith(b"@prefix "):
        head += 1
    body = [(b"\n" + line if line[:1] not in (b"\t", b"}") else line) for line in lines[head:]]
    return b"".join(sorted(lines[:head]) + body)


def _ntriples(graphs: ArticleGraphs) -> bytes:
    return _sorted_lines(ox.serialize(_triples(graphs), format=ox.RdfFormat.N_TRIPLES))


def _nquads(graphs: ArticleGraphs) -> bytes:
    return _sorted_lines(ox.serialize(_quads(graphs), format=ox.RdfFormat.N_QUADS))


def _turtle(graphs: ArticleGraphs) -> bytes:
    data = ox.serialize(_triples(graphs), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return _tidy(data)


def _trig(graphs: ArticleGraphs) -> bytes:
    data = ox.serialize(_quads(graphs), format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    return _tidy(data)


def _json_key(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _canonical_json(value: object) -> object:
    """JSON-LD with every array of values (unordered in RDF) sorted; `@list`s keep their order."""
    if isinstance(value, dict):
        return {
            key: item if key == "@list" and isinstance(item, list) else _canonical_json(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return sorted((_canonical_json(item) for item in value), key=_json_key)
    return value


def _jsonld_context(iris: Iterable[str]) -> dict[str, str]:
    """The prefixes, less any that an IRI's own scheme would be mistaken for (`nkg:x` IRIs)."""
    schemes = {iri.split(":", 1)[0] for iri in iris}
    return {prefix: iri for prefix, iri in PREFIXES.items() if prefix not in schemes}


def _jsonld(graphs: ArticleGraphs) -> bytes:
    _triples(graphs)  # the same term checks as the other formats (rdflib writes any IRI)
    merged = Graph(bind_namespaces="none")
    for _, graph in graphs:
        merged += graph
    iris = {str(term) for triple in merged for term in triple if isinstance(term, URIRef)}
    context = _jsonld_context(iris)
    document = json.loads(merged.serialize(format="json-ld", context=context, auto_compact=True))
    if isinstance(document, list):
        nodes = document
    elif "@graph" in document:
        nodes = document["@graph"]
    else:
        nodes = [{key: value for key, value in document.items() if key != "@context"}]
    nodes = [node for node in nodes if node]
    nodes = sorted(
        (_canonical_json(node) for node in nodes), key=lambda n: (n.get("@id", ""), _json_key(n))
    )
    text = json.dumps(
        {"@context": context, "@graph": nodes}, indent=2, sort_keys=True, ensure_ascii=False
    )
    return (text + "\n").encode("utf-8")


#: Output formats by name; `format_for_path` finds them by extension.
FORMATS: dict[str, OutputFormat] = {
    fmt.name: fmt
    for fmt in (
        OutputFormat("turtle", (".ttl",), "text/turtle", False, _turtle),
        OutputFormat("ntriples", (".nt",), "application/n-triples", False, _ntriples),
        OutputFormat("trig", (".trig",), "application/trig", True, _trig),
        OutputFormat("nquads", (".nq",), "application/n-quads", True, _nquads),
        OutputFormat("jsonld", (".jsonld", ".json-ld"), "application/ld+json", False, _jsonld),
    )
}


def _known_extensions() -> str:
    return " ".join(sorted(fmt.extensions[0] for fmt in FORMATS.values()))


def _lookup(name: str) -> OutputFormat | None:
    """A format by name, extension (with or without the dot) or media type."""
    wanted = name.strip().lower()
    for fmt in FORMATS.values():
        names = {fmt.name, fmt.media_type, *fmt.extensions, *(e[1:] for e in fmt.extensions)}
        if wanted in names:
            return fmt
    return None


def format_for_path(path: str, explicit: str | None = None) -> OutputFormat:
    """The output format: `explicit` if given, else from the extension ("-" is Turtle)."""
    if explicit is not None:
        fmt = _lookup(explicit)
        if fmt is None:
            known = " ".join(sorted(FORMATS))
            raise OutputError(f"unknown output format '{explicit}' (known: {known})", source=path)
        return fmt
    if path == "-":
        return FORMATS["turtle"]
    extension = Path(path).suffix.lower()
    fmt = _lookup(extension) if extension else None
    if fmt is None:
        raise OutputError(
            f"unknown output extension '{extension}' (known: {_known_extensions()})", source=path
        )
    return fmt


def serialize(graphs: ArticleGraphs, fmt: OutputFormat) -> bytes:
    """The bytes of `graphs` in `fmt`: the same graphs give the same bytes, in any order."""
    return fmt.serialize(graphs)


def _open_temp(target: Path) -> tuple[int, Path]:
    """A new file next to `target` (same file system, so the final rename is atomic)."""
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            # 0o666 as for any new file: the umask applies, unlike tempfile's 0o600.
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name next to {target}")


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable, where the platform allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` all at once: a reader sees the old file or the new one, never half.

    The bytes go to a temporary file in the same folder, are fsynced, and replace `path` with
    `os.replace`. On any failure the temporary file is removed and an existing file is left as
    it was. "-" writes to standard output.
    """
    if str(path) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    try:
        fd, temp = _open_temp(target)
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror or error}", source=str(path)) from error
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(error, OSError):
            message = f"cannot write: {error.strerror or error}"
            raise OutputError(message, source=str(path)) from error
        raise
    _fsync_folder(target.parent)
