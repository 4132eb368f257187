"""`kg query`: SPARQL over an embedded store, RDF files or a remote endpoint, run by Oxigraph.

Every source is queried with its default graph as the union of all graphs: newskg puts each
article in its own named graph, so the shipped queries need no `GRAPH` clauses and give the same
answers over a store, over `.nq` / `.trig` files and over `.ttl` files (triples files load into
the default graph). On a remote endpoint the server decides: start Oxigraph with
`oxigraph serve --union-default-graph` (Fuseki: `tdb2:unionDefaultGraph true`; GraphDB's default
graph is already the union).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import KgError

#: Prefixes used to compact IRIs in tables and Turtle; the same as `kg.mapping.PREFIXES`
#: (a test keeps them equal; importing kg.mapping here would load spaCy for every query).
PREFIXES: dict[str, str] = {
    "nkg": "https://w3id.org/newskg/ontology#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}

#: `--format` name -> SPARQL 1.1 results format.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}
SELECT_MEDIA_TYPE = "application/sparql-results+json"
GRAPH_MEDIA_TYPE = "application/n-triples"

_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(?:[.][A-Za-z0-9_-]+)*", re.ASCII)
_NUMERIC = re.compile(r"-?[0-9]+(?:[.][0-9]+)?")

Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]


class QueryError(KgError):
    """A query that cannot be read, parsed, bound or run."""

    code = "E006"


def read_query(query: str) -> str:
    """The SPARQL text: `query` itself, or the contents of the `.rq` file it names."""
    path = Path(query)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):  # a long SPARQL text is no file name
        is_file = False
    if is_file or query.endswith(".rq"):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise QueryError(
                f"cannot read query: {error.strerror or error}", source=query
            ) from None
        except UnicodeDecodeError:
            raise QueryError("query file is not UTF-8 text", source=query) from None
    return query


def parse_params(params: Sequence[str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """`NAME=VALUE` pairs as terms: `<...>` is an IRI, anything else a plain string literal."""
    bound: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in params:
        name, sep, value = param.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not _VARNAME.fullmatch(name):
            raise QueryError(f"--param {param!r} is not NAME=VALUE (NAME a SPARQL variable name)")
        if name in bound:
            raise QueryError(f"--param {name} given twice")
        if value.startswith("<") and value.endswith(">"):
            try:
                bound[name] = ox.NamedNode(value[1:-1])
            except ValueError as error:
                raise QueryError(f"--param {name}: {value} is not an IRI ({error})") from None
        else:
            bound[name] = ox.Literal(value)
    return bound


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def _check_variables(sparql: str, params: dict[str, ox.NamedNode | ox.Literal]) -> None:
    for name in params:
        if not re.search(rf"[?$]{name}(?![A-Za-z0-9_])", sparql):
            raise QueryError(f"--param {name}: the query has no variable ?{name}")


def _run_local(
    store: ox.Store, sparql: str, params: dict[str, ox.NamedNode | ox.Literal]
) -> Results:
    """Run on an Oxigraph store, values bound by substitution (never pasted into the text)."""
    substitutions = {ox.Variable(name): term for name, term in params.items()}
    try:
        return store.query(
            sparql, use_default_graph_as_union=True, substitutions=substitutions or None
        )
    except SyntaxError as error:
        raise QueryError(f"bad SPARQL: {_one_line(error)}") from None
    except RuntimeError as error:  # e.g. a substituted variable the SELECT does not return
        raise QueryError(f"cannot bind --param: {_one_line(error)}") from None
    except OSError as error:
        raise QueryError(f"query failed: {_one_line(error)}") from None


def with_values(sparql: str, params: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with a trailing `VALUES` block binding `params` (for endpoints).

    The terms are written by Oxigraph in N-Triples syntax (quotes, backslashes and newlines
    escaped), so a value can never end the literal and add query text of its own.
    """
    if not params:
        return sparql
    names = " ".join(f"?{name}" for name in params)
    terms = " ".join(str(term) for term in params.values())
    return f"{sparql}\nVALUES ({names}) {{ ({terms}) }}\n"


def _load_files(files: Sequence[Path]) -> ox.Store:
    """An in-memory store of `files`: quads keep their graphs, triples go to the default graph."""
    store = ox.Store()
    for path in files:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
        if fmt is None:
            raise QueryError(
                "unknown RDF file extension (known: .ttl .nt .trig .nq .jsonld .rdf)",
                source=str(path),
            )
        try:
            store.bulk_load(path=path, format=fmt)
        except SyntaxError as error:
            raise QueryError(f"cannot parse: {_one_line(error)}", source=str(path)) from None
        except OSError as error:
            message = getattr(error, "strerror", None) or _one_line(error)
            raise QueryError(f"cannot read: {message}", source=str(path)) from None
    return store


def _open_store(path: Path) -> ox.Store:
    """The persistent store at `path`, read-only: a query never locks out a writer."""
    if not path.is_dir():
        raise QueryError("no store here (create one with kg build or kg load --store)",
                         source=str(path))  # fmt: skip
    try:
        return ox.Store.read_only(str(path))
    except OSError as error:
        reason = _one_line(error)
        if "CURRENT" in reason:  # the folder holds no RocksDB database
            reason = "not an Oxigraph store (create one with kg build or kg load --store)"
        raise QueryError(f"cannot open store: {reason}", source=str(path)) from None


def _run_remote(
    endpoint: str, sparql: str, params: dict[str, ox.NamedNode | ox.Literal], timeout: float
) -> Results:
    """POST the query (values in a `VALUES` block) and parse the answer back into Oxigraph terms."""
    from kg.store import RemoteStore

    text = with_values(sparql, params)
    # Parse locally first (on an empty store): a bad query or binding fails here, in one line,
    # and the kind of query decides which media type to ask for.
    probe = _run_local(ox.Store(), sparql, params)
    try:
        ox.Store().query(text)
    except SyntaxError as error:
        raise QueryError(
            f"cannot bind --param on an endpoint: {_one_line(error)} "
            "(does the query already end in a VALUES block?)"
        ) from None
    graph = isinstance(probe, ox.QueryTriples)
    accept = GRAPH_MEDIA_TYPE if graph else SELECT_MEDIA_TYPE
    data = RemoteStore(endpoint, timeout=timeout).query(text, accept)
    try:
        if graph:
            return [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    except SyntaxError as error:
        raise QueryError(f"unreadable answer: {_one_line(error)}", source=endpoint) from None


def compact(iri: str) -> str:
    """`nkg:Asserted` for an IRI under a known prefix, else the IRI in angle brackets."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        longer = len(namespace) > len(PREFIXES.get(best, ""))
        if longer and iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace) :]):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else f"<{iri}>"


def show(term: object) -> str:
    """A term as a table cell: a literal's lexical value, a compacted IRI, `_:id`, or ''."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        text = term.value
    elif isinstance(term, ox.NamedNode):
        text = compact(term.value)
    elif isinstance(term, ox.BlankNode):
        text = f"_:{term.value}"
    else:
        text = str(term)
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def table(variables: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """An aligned text table: header, a rule, one line per row; numeric columns right-aligned."""
    body = [list(row) for row in rows]
    widths = [max([len(name), *(len(row[i]) for row in body)]) for i, name in enumerate(variables)]
    numeric = [
        bool(body) and all(not row[i] or _NUMERIC.fullmatch(row[i]) for row in body)
        for i in range(len(variables))
    ]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    lines = [line(variables), line(["-" * width for width in widths])]
    lines += [line(row) for row in body]
    return "\n".join(lines) + "\n"


def format_results(results: Results, fmt: str) -> bytes:
    """SELECT as a table or a SPARQL results format, ASK as true/false, graphs as Turtle."""
    if isinstance(results, ox.QueryBoolean):
        if fmt in RESULT_FORMATS:
            return results.serialize(format=RESULT_FORMATS[fmt])
        return b"true\n" if bool(results) else b"false\n"
    if isinstance(results, ox.QuerySolutions):
        if fmt in RESULT_FORMATS:
            return results.serialize(format=RESULT_FORMATS[fmt])
        if fmt != "table":
            raise QueryError(f"unknown --format {fmt!r} (known: table csv tsv json)")
        names = [variable.value for variable in results.variables]
        rows = [[show(solution[name]) for name in names] for solution in results]
        return table(names, rows).encode("utf-8")
    if fmt != "table":
        raise QueryError(
            f"--format {fmt} is for SELECT and ASK; CONSTRUCT and DESCRIBE give Turtle"
        )
    return ox.serialize(results, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""


def run_query(
    query: str,
    *,
    store: Path | str | None = None,
    endpoint: str | None = None,
    files: Sequence[Path | str] = (),
    params: Sequence[str] = (),
    fmt: str = "table",
    timeout: float = 30.0,
    out: BinaryIO,
) -> None:
    """Run QUERY (SPARQL text or a .rq file) over one source and write the answer to `out`."""
    sources = sum((store is not None, endpoint is not None, bool(files)))
    if sources != 1:
        raise QueryError("query one source: --store DIR, --endpoint URL or RDF files")
    sparql = read_query(query)
    bound = parse_params(params)
    _check_variables(sparql, bound)
    if endpoint is not None:
        results = _run_remote(endpoint, sparql, bound, timeout)
    else:
        source = _open_store(Path(store)) if store is not None else _load_files(
            [Path(f) for f in files]
        )  # fmt: skip
        results = _run_local(source, sparql, bound)
    out.write(format_results(results, fmt))
    out.flush()
