"""The WRITE stage: every format round-trips, output bytes are deterministic, writes are atomic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

import kg.write
from kg.errors import OutputError
from kg.mapping import new_graph
from kg.terms import ox_triples
from kg.write import FORMATS, OutputFormat, format_for_path, serialize, write_atomic

ID = Namespace("https://w3id.org/newskg/id/")
NKG = Namespace("https://w3id.org/newskg/ontology#")
# A plain Namespace: pytest probes module globals, and rdflib's XSD warns on unknown names.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}
RDFLIB_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "trig": "trig",
    "nquads": "nquads",
    "jsonld": "json-ld",
}


def article(n: int, shared_label: str = "Ilse Marrow") -> tuple[URIRef, Graph]:
    """A small article graph written for these tests, with awkward literals."""
    iri = ID[f"article/a-{n}"]
    graph = new_graph(iri)
    person = ID["person/Ilse_Marrow"]
    event = ID[f"article/a-{n}/event/Meeting-{n}-{n + 3}"]
    graph.add((iri, RDF.type, NKG.Article))
    graph.add((person, RDF.type, NKG.Person))
    graph.add((person, RDFS.label, Literal(shared_label)))
    graph.add((person, NKG.mention, URIRef(f"{iri}#char={n},{n + 4}")))
    graph.add((event, RDF.type, NKG.Meeting))
    graph.add((event, NKG.participant, person))
    graph.add((event, NKG["count"], Literal(n, datatype=XSD.nonNegativeInteger)))
    graph.add((event, NKG.date, Literal("2024-06", datatype=XSD.gYearMonth)))
    graph.add((event, NKG.date, Literal("2024", datatype=XSD.gYear)))
    awkward = f'she said "yes"\n\tand\\no \x00\x1f\u2028 — да 你好 🙂 {n}'
    graph.add((event, NKG.quote, Literal(awkward)))
    graph.add((event, NKG.trigger, Literal("met", lang="en")))
    graph.add((event, NKG.seeAlso, URIRef("sem:looks-like-a-prefixed-name")))
    return iri, graph


GRAPHS = [article(1), article(2), article(3)]


def ox_term(term: object) -> object:
    """Independent rdflib -> Oxigraph conversion, so comparisons do not trust the code tested."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise AssertionError(f"unexpected term {term!r}")


def triple_set(graphs: list[tuple[URIRef, Graph]]) -> set[tuple[str, str, str]]:
    return {(str(ox_term(s)), str(ox_term(p)), str(ox_term(o))) for _, g in graphs for s, p, o in g}


def quad_set(graphs: list[tuple[URIRef, Graph]]) -> set[tuple[str, str, str, str]]:
    return {
        (str(ox_term(s)), str(ox_term(p)), str(ox_term(o)), str(ox_term(name)))
        for name, g in graphs
        for s, p, o in g
    }


def parsed_by_oxigraph(data: bytes, fmt: OutputFormat) -> set[tuple[str, ...]]:
    quads = ox.parse(data, format=OX_FORMATS[fmt.name])
    if fmt.quads:
        return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in quads}
    rows = set()
    for q in quads:
        assert isinstance(q.graph_name, ox.DefaultGraph)
        rows.add((str(q.subject), str(q.predicate), str(q.object)))
    return rows


def parsed_by_rdflib(data: bytes, fmt: OutputFormat) -> set[tuple[str, ...]]:
    if fmt.quads:
        dataset = Dataset()
        dataset.parse(data=data, format=RDFLIB_FORMATS[fmt.name])
        return {
            (str(ox_term(s)), str(ox_term(p)), str(ox_term(o)), str(ox_term(c)))
            for s, p, o, c in dataset.quads((None, None, None, None))
        }
    graph = Graph().parse(data=data, format=RDFLIB_FORMATS[fmt.name])
    return {(str(ox_term(s)), str(ox_term(p)), str(ox_term(o))) for s, p, o in graph}


def expected(fmt: OutputFormat) -> set[tuple[str, ...]]:
    return quad_set(GRAPHS) if fmt.quads else triple_set(GRAPHS)


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_round_trip_with_oxigraph(name: str) -> None:
    fmt = FORMATS[name]
    assert parsed_by_oxigraph(serialize(GRAPHS, fmt), fmt) == expected(fmt)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_round_trip_with_rdflib(name: str) -> None:
    fmt = FORMATS[name]
    assert parsed_by_rdflib(serialize(GRAPHS, fmt), fmt) == expected(fmt)


def test_triple_formats_stream_each_article_so_shared_triples_repeat() -> None:
    data = serialize(GRAPHS, FORMATS["ntriples"])
    labels = [line for line in data.splitlines() if b"rdf-schema#label" in line]
    assert len(labels) == len(GRAPHS)  # the shared person, once per article that names it
    assert len(set(labels)) == 1  # ... and one triple once parsed: RDF graphs are sets


def test_turtle_has_its_prefixes_once_and_a_comment_per_article() -> None:
    data = serialize(GRAPHS, FORMATS["turtle"]).decode("utf-8")
    assert data.count("@prefix nkg:") == 1 and data.startswith("@prefix ")
    comments = [line for line in data.splitlines() if line.startswith("# article ")]
    assert comments == [f"# article <{iri}>" for iri, _ in sorted(GRAPHS)]


def test_article_bodies_lose_their_prefixes_and_gain_a_blank_line_per_subject_or_graph() -> None:
    turtle = b"@prefix a: <http://a/> .\n@prefix b: <http://b/> .\n<http://s> a:p 1 ;\n\ta:q 2 .\n"
    turtle += b"<http://t> b:p 3 .\n"
    assert kg.write._body(turtle) == b"\n<http://s> a:p 1 ;\n\ta:q 2 .\n\n<http://t> b:p 3 .\n"
    trig = b"<http://g> {\n\t<http://s> a:p 1 ;\n\t\ta:q 2 .\n}\n"
    trig += b"<http://h> {\n\t<http://t> a:p 3 .\n}\n"
    assert kg.write._body(trig) == b"\n" + trig.replace(b"}\n<", b"}\n\n<")
    assert kg.write._body(b"@prefix a: <http://a/> .\n") == b""


@pytest.mark.parametrize("name", ["trig", "nquads"])
def test_quad_formats_keep_one_named_graph_per_article(name: str) -> None:
    quads = list(ox.parse(serialize(GRAPHS, FORMATS[name]), format=OX_FORMATS[name]))
    names = {q.graph_name for q in quads}
    assert names == {ox.NamedNode(str(iri)) for iri, _ in GRAPHS}
    for iri, graph in GRAPHS:
        assert sum(q.graph_name == ox.NamedNode(str(iri)) for q in quads) == len(graph)


def test_empty_input_gives_parseable_output() -> None:
    for name, fmt in FORMATS.items():
        assert list(ox.parse(serialize([], fmt), format=OX_FORMATS[name])) == []


def test_invalid_iri_in_a_graph_is_refused() -> None:
    graph = Graph()
    graph.add((URIRef("not an iri"), RDF.type, NKG.Person))
    for fmt in FORMATS.values():
        with pytest.raises(ValueError):
            serialize([(ID["article/x"], graph)], fmt)


def test_blank_nodes_are_written() -> None:
    graph = Graph()
    graph.add((BNode("b1"), RDFS.label, Literal("anon")))
    for name, fmt in FORMATS.items():
        quads = list(ox.parse(serialize([(ID["article/x"], graph)], fmt), format=OX_FORMATS[name]))
        assert [q.object for q in quads] == [ox.Literal("anon")]


# ---------------------------------------------------------------- determinism


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_same_input_gives_same_bytes_in_any_order(name: str) -> None:
    fmt = FORMATS[name]
    first = serialize(GRAPHS, fmt)
    assert serialize(GRAPHS, fmt) == first
    assert serialize(GRAPHS[::-1], fmt) == first
    rebuilt = [article(3), article(1), article(2)]
    assert serialize(rebuilt, fmt) == first


def test_line_formats_are_sorted_article_by_article() -> None:
    chunks = [FORMATS["nquads"].chunk(ox.NamedNode(str(iri)), ox_triples(g)) for iri, g in GRAPHS]
    assert serialize(GRAPHS, FORMATS["nquads"]) == b"".join(chunks)
    for chunk in chunks:
        lines = chunk.splitlines()
        assert lines == sorted(lines) and len({line.rsplit(b" ", 2)[-2] for line in lines}) == 1
    for iri, graph in GRAPHS:
        lines = FORMATS["ntriples"].chunk(ox.NamedNode(str(iri)), ox_triples(graph))
        assert lines.splitlines() == sorted(lines.splitlines())


def test_turtle_binds_the_contract_prefixes_in_order() -> None:
    text = serialize(GRAPHS, FORMATS["turtle"]).decode()
    prefixes = [line.split()[1] for line in text.splitlines() if line.startswith("@prefix")]
    assert prefixes == sorted(prefixes)
    for prefix in ("nkg:", "sem:", "schema:", "prov:", "nif:", "skos:", "rdf:", "rdfs:", "xsd:"):
        assert prefix in prefixes
    assert "nkg:Meeting" in text


SCRIPT = """
import sys
from tests.test_write import GRAPHS
from kg.write import FORMATS, serialize
sys.stdout.buffer.write(b"".join(serialize(GRAPHS, fmt) for fmt in FORMATS.values()))
"""


def test_bytes_do_not_depend_on_hash_seed() -> None:
    root = Path(__file__).resolve().parents[1]
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", SCRIPT], cwd=root, env=env, capture_output=True, check=True
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0]


# ---------------------------------------------------------------- format registry


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("out.ttl", "turtle"),
        ("dir.v2/OUT.TTL", "turtle"),
        ("out.nt", "ntriples"),
        ("out.trig", "trig"),
        ("out.nq", "nquads"),
        ("out.jsonld", "jsonld"),
        ("out.json-ld", "jsonld"),
        ("-", "turtle"),
    ],
)
def test_format_for_path(path: str, name: str) -> None:
    assert format_for_path(path).name == name


@pytest.mark.parametrize(
    ("explicit", "name"),
    [("nt", "ntriples"), ("trig", "trig"), ("text/turtle", "turtle"), (".nq", "nquads")],
)
def test_explicit_format_wins(explicit: str, name: str) -> None:
    assert format_for_path("-", explicit).name == name
    assert format_for_path("out.ttl", explicit).name == name


def test_unknown_extension_is_an_output_error() -> None:
    with pytest.raises(OutputError) as caught:
        format_for_path("graph.xyz")
    assert str(caught.value) == (
        "graph.xyz: unknown output extension '.xyz' (known: .jsonld .nq .nt .trig .ttl)"
    )


def test_missing_extension_and_unknown_name_are_output_errors() -> None:
    with pytest.raises(OutputError, match="unknown output extension ''"):
        format_for_path("graph")
    with pytest.raises(OutputError, match="unknown output format 'rdfxml'"):
        format_for_path("out.ttl", "rdfxml")


def test_registry_entries() -> None:
    assert {name: fmt.quads for name, fmt in FORMATS.items()} == {
        "turtle": False,
        "ntriples": False,
        "trig": True,
        "nquads": True,
        "jsonld": False,
    }
    assert all(fmt.media_type and fmt.extensions for fmt in FORMATS.values())


# ---------------------------------------------------------------- atomic writes


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def test_write_atomic_writes_the_bytes(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    write_atomic(target, b"first\n")
    write_atomic(str(target), b"second\n")
    assert target.read_bytes() == b"second\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


def test_new_file_mode_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "out.nt", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "out.nt").stat().st_mode & 0o777 == 0o640


def test_dash_writes_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    write_atomic("-", b"<a> <b> <c> .\n")
    assert capsysbinary.readouterr().out == b"<a> <b> <c> .\n"


def test_missing_folder_is_an_output_error(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "out.ttl"
    with pytest.raises(OutputError, match="cannot write") as caught:
        write_atomic(target, b"data")
    assert str(caught.value).startswith(str(target))
    assert not (tmp_path / "nowhere").exists()


def test_directory_as_target_leaves_nothing_behind(tmp_path: Path) -> None:
    (tmp_path / "out.ttl").mkdir()
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "out.ttl", b"data")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_failure_keeps_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old\n")

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kg.write.os, step, broken)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, b"new\n")
    monkeypatch.undo()
    assert target.read_bytes() == b"old\n"
    assert leftovers(tmp_path) == []


def test_interrupt_keeps_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old\n")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.write.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new\n")
    monkeypatch.undo()
    assert target.read_bytes() == b"old\n"
    assert leftovers(tmp_path) == []


def test_failed_serialization_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old\n")
    graph = Graph()
    graph.add((URIRef("bad iri"), RDF.type, NKG.Person))
    with pytest.raises(ValueError):
        write_atomic(target, serialize([(ID["article/x"], graph)], FORMATS["turtle"]))
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]
