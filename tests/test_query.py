"""`kg query`: sources, output formats, safe parameters and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import sys
import types
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
import rdflib

from kg.cli import main
from kg.errors import KgError
from kg.query import PREFIXES, run_query, with_values

EX = "https://w3id.org/newskg/id/"
NKG = "https://w3id.org/newskg/ontology#"
TRICKY = 'Le "Monde" } UNION { ?s ?p ?o } #'

#: Two article graphs sharing one actor, as newskg writes them (the label in both graphs).
TRIG = f"""\
@prefix nkg: <{NKG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{EX}article/a> {{
  <{EX}article/a/event/Arrest-1-2> a nkg:Arrest ; nkg:agent <{EX}group/police> ;
      nkg:count "12"^^xsd:nonNegativeInteger .
  <{EX}group/police> rdfs:label "police" .
  <{EX}organization/Le_Monde> rdfs:label {json.dumps(TRICKY)} .
}}
<{EX}article/b> {{
  <{EX}article/b/event/Protest-3-4> a nkg:Protest ; nkg:agent <{EX}group/police> ;
      nkg:count "7"^^xsd:nonNegativeInteger .
  <{EX}group/police> rdfs:label "police" .
  <{EX}organization/Le_Monde> rdfs:label "Le Monde" .
}}
"""

COUNTS = f"""PREFIX nkg: <{NKG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?type ?agent ?count WHERE {{
  ?event a ?type ; nkg:agent/rdfs:label ?agent ; nkg:count ?count .
}} ORDER BY DESC(?count)"""

LABELS = """SELECT DISTINCT ?who ?name WHERE {
  ?who <http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?who ?name"""


@pytest.fixture
def trig(tmp_path: Path) -> Path:
    path = tmp_path / "two.trig"
    path.write_text(TRIG, encoding="utf-8")
    return path


def query(text: str, **kwargs: object) -> str:
    out = io.BytesIO()
    run_query(text, out=out, **kwargs)  # type: ignore[arg-type]
    return out.getvalue().decode("utf-8")


def test_select_prints_an_aligned_table(trig: Path) -> None:
    # Default graph = union of the article graphs; IRIs compacted; numbers right-aligned.
    assert query(COUNTS, files=[trig]) == (
        "type         agent   count\n"
        "-----------  ------  -----\n"
        "nkg:Arrest   police     12\n"
        "nkg:Protest  police      7\n"
    )


def test_table_shows_unbound_cells_empty_and_escapes_newlines(tmp_path: Path) -> None:
    path = tmp_path / "t.ttl"
    path.write_text('<http://example.org/x> <http://example.org/p> "two\\nlines" .\n')
    text = "SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/q> ?none } }"
    assert query(text, files=[path]) == (
        "s                       o           none\n"
        "----------------------  ----------  ----\n"
        "<http://example.org/x>  two\\nlines\n"
    )


def test_csv_tsv_and_json_are_the_sparql_results_formats(trig: Path) -> None:
    parsed = list(csv.reader(io.StringIO(query(COUNTS, files=[trig], fmt="csv"))))
    assert parsed == [
        ["type", "agent", "count"],
        [f"{NKG}Arrest", "police", "12"],
        [f"{NKG}Protest", "police", "7"],
    ]
    tsv = [line.split("\t") for line in query(COUNTS, files=[trig], fmt="tsv").splitlines()]
    assert tsv[0] == ["?type", "?agent", "?count"]
    assert tsv[1][:2] == [f"<{NKG}Arrest>", '"police"']
    data = json.loads(query(COUNTS, files=[trig], fmt="json"))
    assert data["head"]["vars"] == ["type", "agent", "count"]
    assert [b["count"]["value"] for b in data["results"]["bindings"]] == ["12", "7"]
    # And pyoxigraph reads TSV and JSON back as the same solutions (it does not parse CSV).
    for fmt, name in (("tsv", "TSV"), ("json", "JSON")):
        text = query(COUNTS, files=[trig], fmt=fmt).encode()
        back = ox.parse_query_results(text, format=getattr(ox.QueryResultsFormat, name))
        assert [s["agent"].value for s in back] == ["police", "police"]


def test_ask_prints_true_or_false(trig: Path) -> None:
    assert query(f"ASK {{ ?e a <{NKG}Arrest> }}", files=[trig]) == "true\n"
    assert query(f"ASK {{ ?e a <{NKG}Deportation> }}", files=[trig]) == "false\n"
    assert json.loads(query("ASK {}", files=[trig], fmt="json"))["boolean"] is True


def test_construct_prints_turtle_with_the_newskg_prefixes(trig: Path) -> None:
    text = f"CONSTRUCT {{ ?e a ?t }} WHERE {{ ?e a ?t . FILTER (?t = <{NKG}Arrest>) }}"
    turtle = query(text, files=[trig])
    assert f"@prefix nkg: <{NKG}> ." in turtle
    assert "nkg:Arrest" in turtle
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert set(graph) == {
        (rdflib.URIRef(f"{EX}article/a/event/Arrest-1-2"), rdflib.RDF.type,
         rdflib.URIRef(f"{NKG}Arrest"))
    }  # fmt: skip
    with pytest.raises(KgError, match="CONSTRUCT and DESCRIBE give Turtle"):
        query(text, files=[trig], fmt="csv")


def test_rq_file_and_text_give_the_same_answer(trig: Path, tmp_path: Path) -> None:
    rq = tmp_path / "counts.rq"
    rq.write_text(COUNTS, encoding="utf-8")
    assert query(str(rq), files=[trig]) == query(COUNTS, files=[trig])


def test_missing_rq_file_is_an_error_naming_it(trig: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.rq"
    with pytest.raises(KgError, match=r"nope\.rq: cannot read query"):
        query(str(missing), files=[trig])


def test_missing_or_unknown_data_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(KgError, match=r"absent\.ttl: cannot read"):
        query("ASK {}", files=[tmp_path / "absent.ttl"])
    odd = tmp_path / "data.xyz"
    odd.write_text("")
    with pytest.raises(KgError, match=r"data\.xyz: unknown RDF file extension"):
        query("ASK {}", files=[odd])
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    with pytest.raises(KgError, match=r"bad\.ttl: cannot parse"):
        query("ASK {}", files=[bad])


def test_bad_sparql_is_one_line_error(
    trig: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    err = io.StringIO()
    code = main(["query", "SELECT ?x WHERE {\n ?x ?y \n}", str(trig)], err=err)
    assert code == 2
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: bad SPARQL: error at 3:")
    assert capsysbinary.readouterr().out == b""


def test_cli_prints_the_table(trig: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["query", COUNTS, str(trig), "--param", "agent=police"], err=io.StringIO()) == 0
    assert capsysbinary.readouterr().out.decode().splitlines()[2].split() == [
        "nkg:Arrest", "police", "12"
    ]  # fmt: skip


def test_param_is_bound_as_a_value_not_pasted_into_the_query(trig: Path) -> None:
    # The value holds quotes, a closing brace and a UNION: bound, it matches the one label
    # that is exactly this text; pasted into the query it would have returned every triple.
    found = json.loads(query(LABELS, files=[trig], params=[f"name={TRICKY}"], fmt="json"))
    assert [(b["who"]["value"], b["name"]["value"]) for b in found["results"]["bindings"]] == [
        (f"{EX}organization/Le_Monde", TRICKY)
    ]
    assert "police" not in query(LABELS, files=[trig], params=['name=x" } ?who ?p ?name {'])
    iri = query(LABELS, files=[trig], params=[f"who=<{EX}group/police>"])
    assert iri.splitlines()[2:] == [f"<{EX}group/police>  police"]


def test_param_errors_are_one_line(trig: Path) -> None:
    with pytest.raises(KgError, match="not NAME=VALUE"):
        query(LABELS, files=[trig], params=["no-equals"])
    with pytest.raises(KgError, match=r"no variable \?missing"):
        query(LABELS, files=[trig], params=["missing=1"])
    with pytest.raises(KgError, match="is not an IRI"):
        query(LABELS, files=[trig], params=["who=<not an iri>"])
    with pytest.raises(KgError, match="cannot bind --param") as error:
        query("SELECT ?who WHERE { ?who ?p ?name }", files=[trig], params=["name=x"])
    assert "\n" not in str(error.value)


def test_files_and_store_give_the_same_answer(trig: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    writer = ox.Store(str(folder))
    writer.bulk_load(path=trig, format=ox.RdfFormat.TRIG)
    writer.flush()
    del writer
    for text, params in ((COUNTS, []), (LABELS, [f"name={TRICKY}"])):
        assert query(text, store=folder, params=params) == query(text, files=[trig], params=params)


def test_missing_store_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="no store here"):
        query("ASK {}", store=tmp_path / "none")
    (tmp_path / "empty").mkdir()
    with pytest.raises(KgError, match="not an Oxigraph store"):
        query("ASK {}", store=tmp_path / "empty")


def test_store_is_read_while_a_writer_holds_it(trig: Path, tmp_path: Path) -> None:
    writer = ox.Store(str(tmp_path / "store"))
    writer.bulk_load(path=trig, format=ox.RdfFormat.TRIG)
    writer.flush()
    assert query(COUNTS, store=tmp_path / "store") == query(COUNTS, files=[trig])


def test_triples_and_quads_files_give_the_same_answer(trig: Path, tmp_path: Path) -> None:
    triples = tmp_path / "same.ttl"
    data = ox.serialize(ox.parse(path=trig, format=ox.RdfFormat.TRIG), format=ox.RdfFormat.N_QUADS)
    flat = ox.serialize(
        (q.triple for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)), format=ox.RdfFormat.TURTLE
    )
    triples.write_bytes(flat)
    assert query(COUNTS, files=[triples]) == query(COUNTS, files=[trig])


def test_one_source_only(trig: Path, tmp_path: Path) -> None:
    with pytest.raises(KgError, match="one source"):
        query("ASK {}", files=[trig], store=tmp_path)
    with pytest.raises(KgError, match="one source"):
        query("ASK {}")


def test_files_are_queried_by_oxigraph_not_rdflib(
    trig: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("rdflib's SPARQL engine was used")

    for cls in (rdflib.Graph, rdflib.Dataset):
        monkeypatch.setattr(cls, "query", refuse)
    assert "police" in query(COUNTS, files=[trig])
    assert "nkg:Arrest" in query(f"CONSTRUCT WHERE {{ ?e a <{NKG}Arrest> }}", files=[trig])


def test_prefixes_are_the_writers_prefixes() -> None:
    from kg.mapping import PREFIXES as WRITER_PREFIXES

    assert PREFIXES == WRITER_PREFIXES


class _Endpoint:
    """Stands in for `kg.store.RemoteStore`: answers the posted text with a local Oxigraph."""

    calls: ClassVar[list[tuple[str, str]]] = []
    data: Path

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        self.store = ox.Store()
        self.store.load(path=self.data, format=ox.RdfFormat.TRIG)

    def query(self, sparql: str, accept: str) -> bytes:
        self.calls.append((sparql, accept))
        results = self.store.query(sparql, use_default_graph_as_union=True)
        if accept == "application/n-triples":
            return ox.serialize(results, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[arg-type]
        assert accept == "application/sparql-results+json"
        return results.serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]


@pytest.fixture
def endpoint(trig: Path, monkeypatch: pytest.MonkeyPatch) -> type[_Endpoint]:
    module = types.ModuleType("kg.store")
    module.RemoteStore = _Endpoint  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kg.store", module)
    monkeypatch.setattr(_Endpoint, "calls", [])
    monkeypatch.setattr(_Endpoint, "data", trig, raising=False)
    return _Endpoint


def test_endpoint_answers_are_formatted_like_local_ones(
    trig: Path, endpoint: type[_Endpoint]
) -> None:
    url = "http://127.0.0.1:1/query"
    for fmt in ("table", "csv", "tsv", "json"):
        assert query(COUNTS, endpoint=url, fmt=fmt) == query(COUNTS, files=[trig], fmt=fmt)
    construct = f"CONSTRUCT WHERE {{ ?e a <{NKG}Arrest> }}"
    assert query(construct, endpoint=url) == query(construct, files=[trig])
    assert query("ASK {}", endpoint=url) == "true\n"
    assert [accept for _, accept in endpoint.calls][-2:] == [
        "application/n-triples", "application/sparql-results+json"
    ]  # fmt: skip


def test_endpoint_params_go_in_a_values_block_of_escaped_terms(
    trig: Path, endpoint: type[_Endpoint]
) -> None:
    url = "http://127.0.0.1:1/query"
    params = [f"name={TRICKY}"]
    assert query(LABELS, endpoint=url, params=params) == query(LABELS, files=[trig], params=params)
    sent, _ = endpoint.calls[-1]
    assert sent.endswith('VALUES (?name) { ("Le \\"Monde\\" } UNION { ?s ?p ?o } #") }\n')
    with pytest.raises(KgError, match="already end in a VALUES block"):
        query(LABELS + ' VALUES ?name { "x" }', endpoint=url, params=params)


def test_values_block_escapes_every_term() -> None:
    text = with_values("ASK {}", {"a": ox.Literal('q"\n\\}'), "b": ox.NamedNode(f"{EX}x")})
    assert text == f'ASK {{}}\nVALUES (?a ?b) {{ ("q\\"\\n\\\\}}" <{EX}x>) }}\n'
    ox.Store().query(text)  # parses: one query, nothing added
