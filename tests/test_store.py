"""The embedded store: a named graph per article, replaced whole; `kg load` of every format."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

import kg.store
import kg.terms
from kg.cli import main
from kg.store import EmbeddedStore, StoreError
from kg.write import FORMATS, serialize

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
NKG = "https://w3id.org/newskg/ontology#"
RUSSIA = "https://w3id.org/newskg/id/country/Russia"


def run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    code = main(argv, stdin=io.StringIO(""), err=err)
    return code, err.getvalue()


def quads_of(path: Path) -> set[str]:
    """Every quad of a store folder, as N-Quads lines (read-only, so no lock is taken)."""
    return {str(quad) for quad in ox.Store.read_only(str(path))}


def file_quads(path: Path) -> set[str]:
    """The quads of a file as Oxigraph's own loader stores them.

    Oxigraph stores integer subtypes such as `xsd:nonNegativeInteger` as `xsd:integer`, so a
    store is compared with a store, not with the file's text.
    """
    store = ox.Store()
    store.load(path=path, format=ox.RdfFormat.N_QUADS)
    return {str(quad) for quad in store}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample articles built once, both as N-Quads and into a store: (sample.nq, store)."""
    folder = tmp_path_factory.mktemp("built")
    out, store = folder / "sample.nq", folder / "store"
    code, err = run(["build", str(ARTICLES), "-o", str(out), "--store", str(store), "-q"])
    assert code == 0, err
    return out, store


@pytest.fixture(scope="module")
def article_graphs(built: tuple[Path, Path]) -> list[tuple[URIRef, Graph]]:
    """The built article graphs as rdflib graphs, one per article IRI."""
    groups: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(path=built[0], format=ox.RdfFormat.N_QUADS):
        groups.setdefault(quad.graph_name.value, []).append(quad.triple)
    return [
        (
            URIRef(name),
            Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt"),
        )
        for name, triples in sorted(groups.items())
    ]


def test_build_store_holds_one_graph_per_article_with_exactly_the_output_quads(
    built: tuple[Path, Path],
) -> None:
    out, store = built
    assert quads_of(store) == file_quads(out)
    reader = ox.Store.read_only(str(store))
    graphs = {g.value for g in reader.named_graphs()}
    articles = {
        row["a"].value
        for row in reader.query(f"SELECT ?a WHERE {{ GRAPH ?g {{ ?a a <{NKG}Article> }} }}")
    }
    assert graphs == articles
    assert len(graphs) == 9
    assert not list(reader.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    # Each article's graph is named by its own IRI.
    for iri in graphs:
        assert reader.query(f"ASK {{ GRAPH <{iri}> {{ <{iri}> a <{NKG}Article> }} }}")


def test_a_store_built_by_two_processes_holds_the_same_quads(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    code, err = run(["build", str(ARTICLES), "--store", str(store), "--jobs", "2", "-q"])
    assert code == 0, err
    assert quads_of(store) == quads_of(built[1])


def test_building_twice_leaves_exactly_the_same_store(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    for _ in range(2):
        code, err = run(["build", str(ARTICLES), "--store", str(store), "-q"])
        assert code == 0, err
    assert quads_of(store) == quads_of(built[1])


def test_a_changed_article_graph_replaces_its_old_graph(
    tmp_path: Path, article_graphs: list[tuple[URIRef, Graph]]
) -> None:
    (name, graph), (other, other_graph) = article_graphs[0], article_graphs[1]
    smaller = Graph()
    smaller.add((name, URIRef(f"{NKG}text"), Literal("changed")))
    with EmbeddedStore(tmp_path / "store") as store:
        store.replace_graph(name, graph)
        store.replace_graph(other, other_graph)
        store.replace_graph(name, smaller)
        kept = {
            str(q.triple)
            for q in store.store.quads_for_pattern(None, None, None, ox.NamedNode(other))
        }
        now = list(store.store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    assert [str(q.object) for q in now] == ['"changed"']
    assert len(kept) == len(other_graph)


def test_actor_nodes_are_shared_so_a_query_spans_articles(built: tuple[Path, Path]) -> None:
    reader = ox.Store.read_only(str(built[1]))
    rows = reader.query(
        f"""SELECT DISTINCT ?g WHERE {{
              GRAPH ?g {{ <{RUSSIA}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}
            }}"""
    )
    assert {row["g"].value.rsplit("/", 1)[1] for row in rows} == {
        "lithuania-russia-prisoner-swap-2024-03-08",
        "norway-expels-diplomats",
    }
    # One pattern over the union of the graphs joins two articles through the shared node.
    shared = reader.query(
        """SELECT (COUNT(DISTINCT ?actor) AS ?n) WHERE {
             GRAPH ?g1 { ?actor ?p1 ?o1 } GRAPH ?g2 { ?actor ?p2 ?o2 } FILTER(?g1 != ?g2) }"""
    )
    assert int(next(iter(shared))["n"].value) >= 3


@pytest.fixture
def sample_files(tmp_path: Path, article_graphs: list[tuple[URIRef, Graph]]) -> dict[str, Path]:
    """The built graphs written in every format the project writes, by extension."""
    files = {}
    for fmt in FORMATS.values():
        path = tmp_path / f"sample{fmt.extensions[0]}"
        path.write_bytes(serialize(article_graphs, fmt))
        files[fmt.extensions[0]] = path
    return files


@pytest.mark.parametrize("ext", [".ttl", ".nt", ".jsonld"])
def test_load_triples_files_into_the_default_graph_or_a_named_graph(
    ext: str, sample_files: dict[str, Path], built: tuple[Path, Path], tmp_path: Path
) -> None:
    expected = {line.rsplit(" <", 1)[0] for line in quads_of(built[1])}  # the triples, no graph
    path, store = sample_files[ext], tmp_path / "store"
    for _ in range(2):
        code, err = run(["load", str(path), "--store", str(store), "-q"])
        assert code == 0, err
    assert quads_of(store) == expected
    named = tmp_path / "named"
    for _ in range(2):
        code, err = run(["load", str(path), "--store", str(named), "--graph", "urn:x:g"])
        assert code == 0, err
    assert quads_of(named) == {f"{t} <urn:x:g>" for t in expected}


@pytest.mark.parametrize("ext", [".trig", ".nq"])
def test_load_quads_files_keeps_named_graphs_and_replaces_them(
    ext: str, sample_files: dict[str, Path], built: tuple[Path, Path], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    first = next(iter(ox.Store.read_only(str(built[1])).named_graphs()))
    with EmbeddedStore(store) as target:  # a leftover in an article graph, and another graph
        target.store.add(
            ox.Quad(ox.NamedNode("urn:x:old"), ox.NamedNode("urn:x:p"), ox.Literal("x"), first)
        )
        target.store.add(
            ox.Quad(
                ox.NamedNode("urn:x:s"),
                ox.NamedNode("urn:x:p"),
                ox.Literal("y"),
                ox.NamedNode("urn:x:g"),
            )
        )
    for _ in range(2):
        code, err = run(["load", str(sample_files[ext]), "--store", str(store), "-q"])
        assert code == 0, err
    assert quads_of(store) == quads_of(built[1]) | {'<urn:x:s> <urn:x:p> "y" <urn:x:g>'}


def test_loading_several_files_twice_leaves_the_same_store(
    sample_files: dict[str, Path], tmp_path: Path
) -> None:
    paths = [str(sample_files[ext]) for ext in (".nq", ".ttl", ".trig")]
    store = tmp_path / "store"
    code, err = run(["load", *paths, "--store", str(store), "-q"])
    assert code == 0, err
    once = quads_of(store)
    code, err = run(["load", *paths, "--store", str(store), "-q"])
    assert code == 0, err
    assert quads_of(store) == once


def test_a_broken_file_exits_2_in_one_line_and_loads_nothing_from_it(
    sample_files: dict[str, Path], tmp_path: Path
) -> None:
    good = sample_files[".nq"].read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "broken.nq"
    # Good quads first, then one bad line: nothing of the file may reach the store.
    broken.write_text("\n".join([*good[:50], "<urn:x:a> <urn:x:b> oops .", *good[50:]]) + "\n")
    store = tmp_path / "store"
    code, err = run(["load", str(broken), "--store", str(store)])
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("kg: error: ") and str(broken) in err
    assert quads_of(store) == set()


def test_unknown_extension_and_missing_file_are_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b\n")
    for name in ("data.csv", "missing.ttl"):
        code, err = run(["load", str(tmp_path / name), "--store", str(tmp_path / "store")])
        assert code == 2 and err.count("\n") == 1 and name in err, err


def test_a_failing_replace_leaves_the_previous_graph_intact(
    tmp_path: Path, article_graphs: list[tuple[URIRef, Graph]], monkeypatch: pytest.MonkeyPatch
) -> None:
    name, graph = article_graphs[0]
    with EmbeddedStore(tmp_path / "store") as store:
        store.replace_graph(name, graph)
        before = {str(q) for q in store.store}
        calls = {"n": 0}
        real = kg.terms.ox_term

        def failing(term: object) -> object:
            calls["n"] += 1
            if calls["n"] > 30:
                raise StoreError("disk on fire")
            return real(term)

        monkeypatch.setattr(kg.terms, "ox_term", failing)
        with pytest.raises(StoreError, match="disk on fire"):
            store.replace_graph(name, graph + Graph().add((name, URIRef(f"{NKG}x"), Literal(1))))
        monkeypatch.undo()
        # A term Oxigraph rejects after half the graph converted: a clear error, nothing changed.
        bad = Graph() + graph
        bad.add((URIRef("http://example.org/has space"), URIRef(f"{NKG}x"), Literal(1)))
        with pytest.raises(StoreError, match=str(name)):
            store.replace_graph(name, bad)
        assert {str(q) for q in store.store} == before
        # The insert fails inside Oxigraph: the drop of the old graph must not survive it.
        store.store = BreaksInserts(store.store)  # type: ignore[assignment]
        with pytest.raises(StoreError, match="cannot write"):
            store.replace_graph(name, Graph())
        with pytest.raises(StoreError, match="cannot write"):
            store.replace_graph(name, graph)
        assert {str(q) for q in store.store.real} == before  # type: ignore[attr-defined]


class BreaksInserts:
    """An Oxigraph store whose updates that insert data fail when Oxigraph runs them."""

    def __init__(self, real: ox.Store) -> None:
        self.real = real

    def update(self, text: str) -> None:
        if "INSERT" in text or "DROP" in text:
            text += " ;\nINSERT DATA { <urn:x:s> <urn:x:p> <not an IRI> }"
        self.real.update(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)


def test_a_store_held_by_another_process_is_a_clear_error(tmp_path: Path) -> None:
    store = tmp_path / "store"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('ready', flush=True); "
         "sys.stdin.read()", str(store)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        code, err = run(["load", str(tmp_path / "x.nt"), "--store", str(store)])
        assert code == 2 and err.count("\n") == 1
        assert "in use" in err and str(store) in err, err
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_build_into_a_store_with_no_readable_article_loads_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    err = io.StringIO()
    code = main(["build", str(empty), "--store", str(tmp_path / "kgstore")], err=err)
    assert code == 2
    assert "nothing loaded" in err.getvalue()
