"""Serialize article graphs to bytes through a format registry, and write them atomically."""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.errors import OutputError
from kg.mapping import PREFIXES
from kg.terms import canonical_triples, ox_triples, rdflib_term

ArticleTriples = tuple[ox.NamedNode, Sequence[ox.Triple]]
"""One article: its IRI (which names its graph in quad formats) and its triples."""


@dataclass(frozen=True)
class OutputFormat:
    """One output format: how files of it are named and how articles become its bytes.

    A streamed format is written article by article: `header`, then each article's `chunk`,
    so a collection of any size never has to be held in memory. A format that
    cannot be streamed (JSON-LD, whose context depends on every IRI) has `whole` instead.
    """

    name: str
    extensions: tuple[str, ...]
    media_type: str
    quads: bool
    """True when each article keeps its own named graph (TriG, N-Quads)."""
    chunk: Callable[[ox.NamedNode, Sequence[ox.Triple]], bytes] | None = None
    header: bytes = b""
    whole: Callable[[Sequence[ArticleTriples]], bytes] | None = None

    @property
    def streams(self) -> bool:
        return self.chunk is not None


def _sorted_lines(data: bytes) -> bytes:
    return b"".join(sorted(data.splitlines(keepends=True)))


#: A line end before a line that starts a subject or a graph (not a `\t` or `}` line).
_BEFORE_NODE = re.compile(rb"\n(?=[^\t}])")


def _body(data: bytes) -> bytes:
    """Oxigraph's Turtle or TriG without its `@prefix` lines (the file header has them once),
    with a blank line before each subject or graph.

    Safe on Oxigraph's output: literals never span lines there (newlines are escaped), so a line
    at column 0 always starts a subject or a graph. One regular expression over the bytes costs
    half what a Python step per line did.
    """
    head = 0
    while data.startswith(b"@prefix ", head):
        head = data.index(b"\n", head) + 1
    body = _BEFORE_NODE.sub(b"\n\n", data[head:])
    return body if body[:1] in (b"", b"\t", b"}") else b"\n" + body


def _prefix_header() -> bytes:
    """The `@prefix` lines of Turtle and TriG files, sorted."""
    probe = [
        ox.Triple(ox.NamedNode(iri), ox.NamedNode(iri), ox.NamedNode(iri))
        for iri in PREFIXES.values()
    ]
    data = ox.serialize(probe, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    lines = [line for line in data.splitlines(keepends=True) if line.startswith(b"@prefix ")]
    return b"".join(sorted(lines))


def _ntriples(name: ox.NamedNode, triples: Sequence[ox.Triple]) -> bytes:
    return _sorted_lines(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))


def _nquads(name: ox.NamedNode, triples: Sequence[ox.Triple]) -> bytes:
    """The article's N-Triples lines, each given the graph name before its final ` .`.

    Textual, because making an `ox.Quad` per triple costs more than the whole serialization.
    """
    graph = b" " + str(name).encode("utf-8") + b" .\n"
    lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines()
    return b"".join(line[:-2] + graph for line in sorted(lines))


def _turtle(name: ox.NamedNode, triples: Sequence[ox.Triple]) -> bytes:
    data = ox.serialize(canonical_triples(triples), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return b"\n# article " + str(name).encode("utf-8") + b"\n" + _body(data)


def _trig(name: ox.NamedNode, triples: Sequence[ox.Triple]) -> bytes:
    quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in canonical_triples(triples)]
    return _body(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES))


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


def _jsonld(articles: Sequence[ArticleTriples]) -> bytes:
    """JSON-LD through rdflib (Oxigraph writes no compacted JSON-LD): one merged default graph."""
    merged = Graph(bind_namespaces="none")
    for _, triples in articles:
        for t in triples:
            merged.add((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)))
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
        OutputFormat("turtle", (".ttl",), "text/turtle", False, _turtle, _prefix_header()),
        OutputFormat("ntriples", (".nt",), "application/n-triples", False, _ntriples),
        OutputFormat("trig", (".trig",), "application/trig", True, _trig, _prefix_header()),
        OutputFormat("nquads", (".nq",), "application/n-quads", True, _nquads),
        OutputFormat(
            "jsonld", (".jsonld", ".json-ld"), "application/ld+json", False, whole=_jsonld
        ),
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


def _as_articles(graphs: Iterable[tuple[object, object]]) -> list[ArticleTriples]:
    """Accept rdflib (IRI, Graph) pairs as well as Oxigraph (IRI, triples) pairs."""
    articles = []
    for name, graph in graphs:
        iri = name if isinstance(name, ox.NamedNode) else ox.NamedNode(str(name))
        triples = ox_triples(graph) if isinstance(graph, Graph) else list(graph)
        articles.append((iri, triples))
    return sorted(articles, key=lambda article: article[0].value)


def serialize(graphs: Iterable[tuple[object, object]], fmt: OutputFormat) -> bytes:
    """The bytes of a whole collection in `fmt`: the same graphs give the same bytes, in any order.

    Articles come sorted by IRI, each as its own chunk (`kg build` streams them in input order).
    """
    articles = _as_articles(graphs)
    if fmt.whole is not None:
        return fmt.whole(articles)
    assert fmt.chunk is not None
    return fmt.header + b"".join(fmt.chunk(iri, triples) for iri, triples in articles)


class AtomicFile:
    """A file that appears whole or not at all: written to a temporary file in the same folder,
    fsynced and renamed over `path` at `commit`.

    Leaving the `with` block on an error (or an interrupt) before `commit` removes the temporary
    file and leaves an existing file as it was. "-" writes to standard output as it goes.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._temp: Path | None = None
        if self.path == "-":
            self._out = sys.stdout.buffer
            return
        try:
            fd, self._temp = _open_temp(Path(self.path))
        except OSError as error:
            raise self._error(error) from error
        self._out = os.fdopen(fd, "wb")

    def _error(self, error: OSError) -> OutputError:
        return OutputError(f"cannot write: {error.strerror or error}", source=self.path)

    def write(self, data: bytes) -> None:
        try:
            self._out.write(data)
        except OSError as error:
            self.abort()
            raise self._error(error) from error

    def commit(self) -> None:
        """Put the file in place (flush, fsync, rename, fsync the folder)."""
        try:
            self._out.flush()
            if self._temp is not None:
                os.fsync(self._out.fileno())
                self._out.close()
                os.replace(self._temp, self.path)
                self._temp = None
                _fsync_folder(Path(self.path).parent)
        except OSError as error:
            self.abort()
            raise self._error(error) from error

    def abort(self) -> None:
        """Drop what was written so far (standard output cannot be taken back)."""
        if self._temp is not None:
            with contextlib.suppress(OSError):
                self._out.close()
            with contextlib.suppress(OSError):
                self._temp.unlink()
            self._temp = None

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self.abort()


class ArticleWriter(AtomicFile):
    """Writes a collection article by article into an `AtomicFile`.

    A failed or aborted build leaves no file and an existing one as it was; "-" streams to
    standard output. A format that cannot be streamed keeps its articles until `commit`.
    """

    def __init__(self, path: str | Path, fmt: OutputFormat) -> None:
        super().__init__(path)
        self.fmt = fmt
        self.articles = 0
        self._kept: list[ArticleTriples] = []
        self.write(fmt.header)

    def add(self, chunk: bytes) -> None:
        """Append one article already serialized by `fmt.chunk`."""
        self.articles += 1
        self.write(chunk)

    def keep(self, name: ox.NamedNode, triples: Sequence[ox.Triple]) -> None:
        """Hold one article for a format written whole at `commit`."""
        self.articles += 1
        self._kept.append((name, list(triples)))

    def commit(self) -> None:
        """Finish the file and put it in place; raises OutputError when nothing was written."""
        if self.articles == 0:
            self.abort()
            raise OutputError("no article could be built; nothing written", source=self.path)
        if self.fmt.whole is not None:
            self.write(self.fmt.whole(sorted(self._kept, key=lambda a: a[0].value)))
        super().commit()


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

    "-" writes to standard output.
    """
    with AtomicFile(path) as out:
        out.write(data)
        out.commit()
