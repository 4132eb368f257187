"""`kg build` end to end: outputs, determinism, round trips, the SHACL gate and bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph
import pyoxigraph as ox
import pytest
from rdflib import RDFS, XSD, Graph, Literal, URIRef

import kg.build
from kg.cli import main
from kg.vocab import NKG

STORY = """\
Armenia frees 12 jailed reporters as Canada eases
sanctions on its state airline
[March 6, 2024]
By ANNA KOWALSKA and PETER HOLM
YEREVAN, Armenia (AP) — Armenia freed 12 jailed reporters on
Tuesday in a deal brokered by Norway, officials said.
Prime Minister Aram Vardanyan met Norwegian Foreign Minister Kari Lunde in
Yerevan on Monday.
"We want every one of them home," Lunde told reporters.
"""

PLAIN = "Germany lifted sanctions on three banks on Friday, the finance ministry said."


def _to_rdflib(term: object) -> URIRef | Literal:
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else datatype)
    assert isinstance(term, pyoxigraph.NamedNode)
    return URIRef(term.value)


def run(argv: list[str], stdin: str = "") -> tuple[int, str]:
    err = io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), err=err)
    return code, err.getvalue()


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "armenia-2024-03-06.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_build_writes_turtle_with_articles_actors_and_events(story: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    code, err = run(["build", str(story), "-o", str(out)])
    assert code == 0, err
    graph = Graph().parse(out, format="turtle")
    assert len(list(graph.subjects(predicate=None, object=NKG.Article))) == 1
    labels = {str(o) for o in graph.objects(None, RDFS.label)}
    assert "Armenia" in labels
    assert any(graph.subjects(None, NKG.PrisonerRelease))


def test_stdin_in_turtle_out(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, err = run(["build", "-", "-o", "-", "--published", "2024-05-10"], stdin=PLAIN)
    assert code == 0, err
    turtle = capsysbinary.readouterr().out
    graph = Graph().parse(data=turtle, format="turtle")
    published = {str(o) for o in graph.objects(None, URIRef("https://schema.org/datePublished"))}
    assert published == {"2024-05-10"}


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".nq", ".trig", ".jsonld"])
def test_same_input_gives_same_bytes(story: Path, tmp_path: Path, suffix: str) -> None:
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    assert run(["build", str(story), "-o", str(first)])[0] == 0
    assert run(["build", str(story), "-o", str(second)])[0] == 0
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(
    ("suffix", "rdflib_format", "oxigraph_format"),
    [
        (".ttl", "turtle", pyoxigraph.RdfFormat.TURTLE),
        (".nt", "nt", pyoxigraph.RdfFormat.N_TRIPLES),
    ],
)
def test_output_round_trips_through_rdflib_and_oxigraph(
    story: Path, tmp_path: Path, suffix: str, rdflib_format: str, oxigraph_format: object
) -> None:
    out = tmp_path / f"graph{suffix}"
    assert run(["build", str(story), "-o", str(out)])[0] == 0
    by_rdflib = set(Graph().parse(out, format=rdflib_format))
    by_oxigraph = {
        tuple(_to_rdflib(term) for term in (q.subject, q.predicate, q.object))
        for q in pyoxigraph.parse(path=str(out), format=oxigraph_format)
    }
    assert len(by_rdflib) == len(by_oxigraph) > 50
    assert by_rdflib == by_oxigraph


def test_quads_keep_one_named_graph_per_article(story: Path, tmp_path: Path) -> None:
    second = tmp_path / "second.txt"
    second.write_text(PLAIN, encoding="utf-8")
    out = tmp_path / "graph.nq"
    assert (
        run(["build", str(story), str(second), "-o", str(out), "--published", "2024-05-10"])[0] == 0
    )
    names = {
        str(q.graph_name)
        for q in pyoxigraph.parse(path=str(out), format=pyoxigraph.RdfFormat.N_QUADS)
    }
    assert names == {
        "<https://w3id.org/newskg/id/article/armenia-2024-03-06>",
        "<https://w3id.org/newskg/id/article/second>",
    }


def test_unknown_output_extension_is_one_line_and_writes_nothing(
    story: Path, tmp_path: Path
) -> None:
    out = tmp_path / "graph.xyz"
    code, err = run(["build", str(story), "-o", str(out)])
    assert code == 2
    assert err.count("\n") == 1 and "graph.xyz" in err and ".xyz" in err
    assert not out.exists()


def test_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    code, err = run(["build", str(missing), "-o", str(tmp_path / "g.ttl")])
    assert code == 2
    assert str(missing) in err
    assert not (tmp_path / "g.ttl").exists()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("binary.txt", b"\x00\x01\x02binary", "binary"),
        ("latin1.txt", "Caf\u00e9 news".encode("latin-1"), "UTF-8"),
        ("empty.txt", b"   \n\n", "empty"),
    ],
)
def test_bad_file_in_a_batch_is_skipped_and_reported(
    story: Path, tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    out = tmp_path / "graph.ttl"
    code, err = run(["build", str(story), str(bad), "-o", str(out)])
    assert code == 1
    error_lines = [line for line in err.splitlines() if line.startswith("kg: error:")]
    assert len(error_lines) == 1
    assert name in error_lines[0] and words.lower() in error_lines[0].lower()
    assert len(list(Graph().parse(out).subjects(None, NKG.Article))) == 1


def test_malformed_json_line_names_the_line(tmp_path: Path) -> None:
    lines = tmp_path / "batch.jsonl"
    good = json.dumps({"id": "good", "text": PLAIN, "published": "2024-05-10"})
    lines.write_text(good + "\n{not json\n", encoding="utf-8")
    out = tmp_path / "graph.ttl"
    code, err = run(["build", str(lines), "-o", str(out)])
    assert code == 1
    assert "batch.jsonl:2" in err
    assert out.exists()


def test_strict_stops_at_first_bad_article_and_writes_nothing(story: Path, tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    out = tmp_path / "graph.ttl"
    code, err = run(["build", str(bad), str(story), "-o", str(out), "--strict"])
    assert code == 2
    assert "empty.txt" in err
    assert not out.exists()


def test_folder_without_articles(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    code, err = run(["build", str(folder), "-o", str(tmp_path / "g.ttl")])
    assert code == 2
    assert "empty" in err
    assert not (tmp_path / "g.ttl").exists()


def test_bad_published_date_is_a_usage_error(story: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        run(["build", str(story), "--published", "12/05/2024"])
    assert exc.value.code == 2


def test_unknown_model_is_one_line(story: Path, tmp_path: Path) -> None:
    code, err = run(
        ["build", str(story), "-o", str(tmp_path / "g.ttl"), "--model", "no_such_model"]
    )
    assert code == 2
    assert "no_such_model" in err and err.count("\n") == 1


def _with_two_labels(real):  # type: ignore[no-untyped-def]
    def broken(article, doc, **kwargs):  # type: ignore[no-untyped-def]
        triples = real(article, doc, **kwargs)
        label = ox.NamedNode(str(RDFS.label))
        actor = next(t.subject for t in triples if t.predicate == label)
        return [*triples, ox.Triple(actor, label, ox.Literal("A second label"))]

    return broken


def test_gate_keeps_a_nonconforming_article_out(
    story: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "graph.ttl"
    out.write_bytes(b"previous output\n")
    monkeypatch.setattr(kg.build, "article_triples", _with_two_labels(kg.build.article_triples))
    code, err = run(["build", str(story), "-o", str(out)])
    assert code == 2
    assert "does not conform" in err and "rdfs:label" in err
    assert out.read_bytes() == b"previous output\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("graph")] == ["graph.ttl"]
