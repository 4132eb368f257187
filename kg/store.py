"""Load article graphs into a store: an embedded Oxigraph folder, or a SPARQL Graph Store endpoint.

Both kinds replace a whole named graph at once, so a store never holds half an article: the
embedded store writes each graph in one transaction (`Store.extend` for a new graph, one SPARQL
update dropping and refilling an existing one), and an endpoint receives one HTTP `PUT` per
graph, which the server applies atomically. Files are parsed completely before anything is sent.
"""

from __future__ import annotations

import base64
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.errors import KgError
from kg.terms import ox_triples


class StoreError(KgError):
    """A store or endpoint that cannot be opened, read from or written to."""

    code = "E005"


FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json-ld": ox.RdfFormat.JSON_LD,
}
"""File extension to the format `kg load` reads it as."""

QUERY_ENDPOINT_ENV = "KG_QUERY_ENDPOINT"
USER_ENV, PASSWORD_ENV = "KG_ENDPOINT_USER", "KG_ENDPOINT_PASSWORD"

_QUERY_SUFFIXES = (
    ("/store", "/query"),  # Oxigraph
    ("/data", "/sparql"),  # Fuseki
    ("/rdf-graphs/service", ""),  # GraphDB
)
"""Graph Store URL path suffix to the SPARQL query URL suffix of the same server."""


def _one_line(error: BaseException | str, limit: int = 200) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _checked_triples(name: URIRef, graph: Graph) -> list[ox.Triple]:
    """The graph as Oxigraph triples, or one error naming the graph (before anything is sent)."""
    try:
        return ox_triples(graph)
    except ValueError as error:
        raise StoreError(f"cannot store graph: {_one_line(error)}", source=str(name)) from None


def read_quads(path: Path, graph: str | None = None) -> list[ox.Quad]:
    """Every quad of an RDF file, parsed before anything is stored: a bad file loads nothing.

    Triples (of the default graph) go to `graph` when given; quads keep their graph names.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = " ".join(FORMATS)
        raise StoreError(f"unknown RDF format (extensions: {known})", source=str(path))
    try:
        target = ox.NamedNode(graph) if graph is not None else None
    except ValueError as error:
        raise StoreError(f"--graph is not an IRI: {_one_line(error)}") from None
    try:
        quads = list(ox.parse(path=path, format=fmt, base_iri=path.absolute().as_uri()))
    except (OSError, SyntaxError, ValueError) as error:
        raise StoreError(f"cannot load: {_one_line(error)}", source=str(path)) from None
    if target is not None:
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, target)
            if isinstance(q.graph_name, ox.DefaultGraph)
            else q
            for q in quads
        ]
    return quads


class GraphStore:
    """What `kg build` and `kg load` write to; used as a context manager that closes the store."""

    def replace_graph(self, name: URIRef, graph: Graph) -> None:
        """Make the named graph `name` hold exactly `graph`, or leave it as it was on failure."""
        self.replace_triples(ox.NamedNode(str(name)), _checked_triples(name, graph))

    def replace_triples(self, name: ox.NamedNode, triples: list[ox.Triple]) -> None:
        """Make the named graph `name` hold exactly `triples`, or leave it as it was on failure."""
        raise NotImplementedError

    def load_file(self, path: Path, graph: str | None = None) -> int:
        """Load an RDF file; each named graph in it replaces the store's graph of that name."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the store."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class EmbeddedStore(GraphStore):
    """A persistent Oxigraph store in a folder: no server, one writing process at a time."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.store = ox.Store(str(self.path))
        except OSError as error:
            reason = _one_line(error)
            if "lock" in reason.lower():
                reason = f"the store is in use by another kg build or kg load ({reason})"
            raise StoreError(f"cannot open store: {reason}", source=str(self.path)) from None

    def replace_triples(self, name: ox.NamedNode, triples: list[ox.Triple]) -> None:
        """Make graph `name` hold `triples`, in one transaction.

        A new graph is added with `extend` (fast); an existing one is dropped and refilled by one
        SPARQL update, which Oxigraph applies whole or not at all.
        """
        if not self.store.contains_named_graph(name):
            quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
            try:
                self.store.extend(quads)
            except OSError as error:
                message = f"cannot write: {_one_line(error)}"
                raise StoreError(message, source=str(self.path)) from None
            return
        operations = [f"DROP SILENT GRAPH {name}"]
        if triples:
            body = " .\n".join(str(triple) for triple in triples)
            operations.append(f"INSERT DATA {{ GRAPH {name} {{\n{body} .\n}} }}")
        try:
            self.store.update(" ;\n".join(operations))
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"cannot write: {_one_line(error)}", source=str(self.path)) from None

    def load_file(self, path: Path, graph: str | None = None) -> int:
        """Load a file: one transaction per named graph in it (replacing it), one for the rest.

        The whole file is parsed first, so a broken file loads nothing. One update per graph
        rather than one for the file: a SPARQL update of a whole large file is three times
        slower, and a graph is still never half-loaded.
        """
        quads = read_quads(Path(path), graph)
        named: dict[ox.NamedNode, list[ox.Triple]] = {}
        rest: list[ox.Quad] = []  # default-graph triples (and blank-node graphs) are added
        for quad in quads:
            if isinstance(quad.graph_name, ox.NamedNode):
                named.setdefault(quad.graph_name, []).append(quad.triple)
            else:
                rest.append(quad)
        if graph is not None:
            named.setdefault(ox.NamedNode(graph), [])  # an empty file empties the graph
        for name in sorted(named, key=str):
            self.replace_triples(name, named[name])
        if rest:
            try:
                self.store.extend(rest)
            except OSError as error:
                message = f"cannot write: {_one_line(error)}"
                raise StoreError(message, source=str(self.path)) from None
        return len(quads)

    def close(self) -> None:
        """Flush and release the store (and its lock), so this process may open it again."""
        if hasattr(self, "store"):
            self.store.flush()
            del self.store


def query_url(store_url: str) -> str:
    """The SPARQL query URL beside a Graph Store URL: `KG_QUERY_ENDPOINT`, else by path suffix."""
    explicit = os.environ.get(QUERY_ENDPOINT_ENV)
    if explicit:
        return explicit
    parts = urllib.parse.urlsplit(store_url)
    path = parts.path.rstrip("/")
    for store_suffix, query_suffix in _QUERY_SUFFIXES:
        if path.endswith(store_suffix):
            path = path[: -len(store_suffix)] + query_suffix
            return urllib.parse.urlunsplit(parts._replace(path=path))
    raise StoreError(
        f"cannot tell the query URL of {store_url} (it does not end in /store, /data or "
        f"/rdf-graphs/service): set {QUERY_ENDPOINT_ENV}"
    )


class RemoteStore(GraphStore):
    """A SPARQL 1.1 Graph Store HTTP Protocol endpoint, written one whole graph per request."""

    RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

    def __init__(
        self, url: str, timeout: float = 30.0, retries: int = 3, backoff: float = 0.5
    ) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreError(f"not an http(s) URL: {url}")
        self.url, self.timeout, self.retries, self.backoff = url, timeout, retries, backoff
        user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
        self.auth: str | None = None
        if user:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            self.auth = f"Basic {token}"

    def _with_query(self, query: str) -> str:
        return f"{self.url}{'&' if urllib.parse.urlsplit(self.url).query else '?'}{query}"

    def graph_url(self, name: str | None) -> str:
        """The URL of one named graph (`?graph=IRI`, encoded), or of the default graph."""
        if name is None:
            return self._with_query("default")
        return self._with_query(urllib.parse.urlencode({"graph": name}))

    def _send(
        self,
        method: str,
        url: str,
        data: bytes,
        content_type: str,
        accept: str = "*/*",
        what: str | None = None,
    ) -> bytes:
        """One request, retried with backoff on connection errors, timeouts, 429 and 5xx only.

        At most `retries` retries, and none that would start after `timeout * (retries + 1)`.
        `what` names the request in error messages (default: the method).
        """
        headers = {"Content-Type": content_type, "Accept": accept}
        if self.auth:
            headers["Authorization"] = self.auth
        base = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(query=""))
        what = f"{what or method} to {base}"
        deadline = time.monotonic() + self.timeout * (self.retries + 1)
        attempt = 0
        while True:
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as error:
                body = error.read().decode("utf-8", "replace").strip().splitlines()
                reason = _one_line(body[0] if body else error.reason, 120)
                message = f"{what} failed: HTTP {error.code} {reason}".rstrip()
                if error.code == 404:
                    message += " (is this the Graph Store URL? Oxigraph: http://HOST:7878/store)"
                if error.code not in self.RETRY_STATUSES:
                    raise StoreError(message) from None
            except (TimeoutError, urllib.error.URLError, OSError) as error:
                reason = error.reason if isinstance(error, urllib.error.URLError) else error
                if isinstance(reason, TimeoutError):
                    message = f"{what} timed out after {self.timeout:g}s"
                else:
                    text = reason.strerror if isinstance(reason, OSError) else None
                    message = f"cannot reach {base}: {_one_line(text or reason)}"
            delay = self.backoff * 2**attempt
            if attempt >= self.retries or time.monotonic() + delay > deadline:
                tries = f" ({attempt + 1} attempts)" if attempt else ""
                raise StoreError(message + tries)
            time.sleep(delay)
            attempt += 1

    def _put(self, name: str | None, triples: Iterable[ox.Triple]) -> None:
        data = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
        if name is None:  # add to the default graph
            url, what = self.graph_url(None), "POST of the default graph"
            self._send("POST", url, data, "application/n-triples", what=what)
        else:
            url, what = self.graph_url(name), f"PUT of graph <{name}>"
            self._send("PUT", url, data, "application/n-triples", what=what)

    def replace_triples(self, name: ox.NamedNode, triples: list[ox.Triple]) -> None:
        self._put(name.value, triples)

    def load_file(self, path: Path, graph: str | None = None) -> int:
        quads = read_quads(Path(path), graph)
        groups: dict[str | None, list[ox.Triple]] = {}
        for quad in quads:
            name = quad.graph_name
            key = name.value if isinstance(name, ox.NamedNode) else None
            groups.setdefault(key, []).append(quad.triple)
        if graph is not None and not groups:
            groups[graph] = []  # an empty file still replaces (empties) the graph
        for key in sorted(groups, key=lambda k: (k is not None, k or "")):
            self._put(key, groups[key])
        return len(quads)

    def query(self, sparql: str, accept: str) -> bytes:
        """The raw answer of the endpoint's SPARQL query service (URL from `query_url`)."""
        url = query_url(self.url)
        return self._send("POST", url, sparql.encode("utf-8"), "application/sparql-query", accept)


def open_store(*, store: Path | None, endpoint: str | None, timeout: float = 30.0) -> GraphStore:
    """The embedded store at `store` or the endpoint at `endpoint` (exactly one of them)."""
    if (store is None) == (endpoint is None):
        raise StoreError("give exactly one of --store DIR and --endpoint URL")
    if store is not None:
        return EmbeddedStore(Path(store))
    assert endpoint is not None
    return RemoteStore(endpoint, timeout=timeout)
