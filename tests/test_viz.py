"""`kg viz`: the networkx projection, GEXF/GraphML round trips, drawings, focus and the CLI."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace
from rdflib.namespace import PROV

from kg.cli import main
from kg.errors import KgError
from kg.settings import Settings
from kg.viz import writer_for
from kg.viz.exports import gexf_bytes, graphml_bytes
from kg.viz.project import focus, load_graph, project
from kg.viz.static import draw_network, draw_timeline, timeline_rows
from kg.vocab import NIF, NKG

ROOT = Path(__file__).resolve().parent.parent
ID = Namespace("https://example.org/id/")
NASTY = 'Ali "the <script>alert(1)</script>" & Co\x01\x1b\u200b'
CYRILLIC = "Александр Лукашенко"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
RELEASE = (
    "https://w3id.org/newskg/id/article/lithuania-russia-prisoner-swap-2024-03-08/"
    "event/PrisonerRelease-146-155"
)


def run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    code = main(argv, stdin=io.StringIO(""), err=err)
    return code, err.getvalue()


def small_graph() -> Graph:
    """Three actors (one nasty, one Cyrillic), two events: a dated release and a bare meeting."""
    g = Graph()
    belarus, nasty, luka = ID["country/Belarus"], ID["person/Nasty"], ID["person/Luka"]
    g.add((belarus, RDF.type, NKG.Country))
    g.add((belarus, RDFS.label, Literal("Belarus")))
    g.add((nasty, RDF.type, NKG.Group))
    g.add((nasty, RDFS.label, Literal(NASTY)))
    g.add((luka, RDF.type, NKG.Person))
    g.add((luka, RDFS.label, Literal(CYRILLIC)))
    g.add((luka, SKOS.altLabel, Literal("Lukashenko")))
    g.add((luka, NKG.leaderOf, belarus))
    release, meeting, sentence = ID["e/release"], ID["e/meeting"], ID["s/1"]
    for event, type_ in ((release, NKG.PrisonerRelease), (meeting, NKG.Meeting)):
        g.add((event, RDF.type, type_))
        g.add((event, RDF.type, NKG.Event))
        g.add((event, NKG.modality, NKG.Asserted))
    g.add((release, NKG.agent, belarus))
    g.add((release, NKG.affected, nasty))
    g.add((release, NKG.date, Literal("2025-06-21", datatype=XSD.date)))
    g.add((release, NKG["count"], Literal(52, datatype=XSD.integer)))
    g.add((release, NKG.modality, NKG.Negated))
    g.remove((release, NKG.modality, NKG.Asserted))
    g.add((release, NKG.trigger, Literal("freed")))
    g.add((release, NKG.evidence, sentence))
    g.add((sentence, NIF["anchorOf"], Literal("Belarus freed\n52 people\x07 for $5.")))
    g.add((release, PROV.wasDerivedFrom, ID["article/a"]))
    g.add((meeting, NKG.participant, luka))
    g.add((meeting, NKG.participant, belarus))
    g.add((meeting, NKG.date, Literal("2025-06", datatype=XSD.gYearMonth)))
    g.add((meeting, NKG.causedBy, release))
    return g


def _values(g: nx.MultiDiGraph) -> list[object]:
    return [v for _, d in g.nodes(data=True) for v in d.values()] + [
        v for *_, d in g.edges(data=True) for v in d.values()
    ]


# --------------------------------------------------------------------------------------------
# The projection


def test_events_as_nodes_links_agents_to_events_and_events_to_the_rest() -> None:
    g = project(small_graph())
    assert g.number_of_nodes() == 5  # three actors, two events
    release = g.nodes[str(ID["e/release"])]
    assert release == {
        "kind": "event", "type": "PrisonerRelease", "plover": "RETREAT", "cameo": "0841",
        "date": "2025-06-21", "year": 2025, "count": 52, "modality": "negated",
        "trigger": "freed", "sentence": "Belarus freed 52 people for $5.",
        "article": str(ID["article/a"]), "label": "prisoner release (2025-06-21)",
    }  # fmt: skip
    assert g.nodes[str(ID["person/Luka"])] == {
        "kind": "actor",
        "type": "Person",
        "label": CYRILLIC,
        "aliases": "Lukashenko",
    }
    edges = sorted((u.rsplit("/", 1)[1], v.rsplit("/", 1)[1], d["role"])
                   for u, v, d in g.edges(data=True))  # fmt: skip
    assert edges == [
        ("Belarus", "release", "agent"),
        ("Luka", "Belarus", "leaderOf"),
        ("meeting", "Belarus", "participant"),
        ("meeting", "Luka", "participant"),
        ("meeting", "release", "causedBy"),
        ("release", "Nasty", "affected"),
    ]
    assert g.nodes[str(ID["e/meeting"])]["year"] == 2025
    assert "count" not in g.nodes[str(ID["e/meeting"])]


def test_attributes_are_plain_clean_values() -> None:
    for mode in ("nodes", "edges"):
        values = _values(project(small_graph(), events_as=mode))
        assert all(type(v) in (str, int) for v in values), mode
        assert not any(ch in str(v) for v in values for ch in "\x01\x1b\x07\n")
    assert project(small_graph()).nodes[str(ID["person/Nasty"])]["label"] == (
        'Ali "the <script>alert(1)</script>" & Co\u200b'
    )


def test_events_as_edges_runs_agent_to_affected_and_links_participants_pairwise() -> None:
    g = project(small_graph(), events_as="edges")
    assert g.number_of_nodes() == 3
    assert {d["kind"] for _, d in g.nodes(data=True)} == {"actor"}
    release = g.get_edge_data(str(ID["country/Belarus"]), str(ID["person/Nasty"]))
    assert list(release) == [str(ID["e/release"])]
    data = release[str(ID["e/release"])]
    assert (data["type"], data["plover"], data["cameo"], data["date"], data["count"]) == (
        "PrisonerRelease", "RETREAT", "0841", "2025-06-21", 52,
    )  # fmt: skip
    assert data["role"] == "affected" and data["event"] == str(ID["e/release"])
    meeting = g.get_edge_data(str(ID["country/Belarus"]), str(ID["person/Luka"]))
    assert meeting[str(ID["e/meeting"])]["role"] == "participant"
    assert g.number_of_edges() == 3  # release, meeting, leaderOf


def test_unknown_events_as_is_an_error() -> None:
    with pytest.raises(KgError, match="events_as"):
        project(small_graph(), events_as="both")


# --------------------------------------------------------------------------------------------
# Focus


def test_focus_by_label_or_alias_case_insensitive_with_events_as_hops() -> None:
    g = project(small_graph())
    assert set(focus(g, "lukashenko", 0)) == {str(ID["person/Luka"])}
    one = focus(g, CYRILLIC.upper(), 1)
    assert set(one) == {str(ID["person/Luka"]), str(ID["e/meeting"]), str(ID["country/Belarus"])}
    assert focus(g, "Lukashenko", 3).number_of_nodes() == 5
    edges = focus(project(small_graph(), events_as="edges"), "Lukashenko", 1)
    assert edges.number_of_nodes() == 2


def test_focus_on_an_unknown_actor_names_it() -> None:
    with pytest.raises(KgError, match="'Nobody'"):
        focus(project(small_graph()), "Nobody", 2)


# --------------------------------------------------------------------------------------------
# GEXF and GraphML


@pytest.mark.parametrize("mode", ["nodes", "edges"])
@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_gexf_and_graphml_read_back_with_their_attributes(fmt: str, mode: str) -> None:
    g = project(small_graph(), events_as=mode)
    if fmt == "gexf":
        back = nx.read_gexf(io.BytesIO(gexf_bytes(g)))
    else:
        back = nx.read_graphml(io.BytesIO(graphml_bytes(g)))
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    assert back.nodes[str(ID["person/Luka"])]["label"] == CYRILLIC
    assert back.nodes[str(ID["person/Nasty"])]["label"] == g.nodes[str(ID["person/Nasty"])]["label"]
    if mode == "nodes":
        release = back.nodes[str(ID["e/release"])]
        assert (release["type"], release["plover"], release["cameo"]) == (
            "PrisonerRelease",
            "RETREAT",
            "0841",
        )
        assert (release["date"], release["count"], release["modality"]) == (
            "2025-06-21",
            52,
            "negated",
        )
    else:
        multi = nx.MultiDiGraph(back)  # readers return a DiGraph when no edges are parallel
        (data,) = multi.get_edge_data(str(ID["country/Belarus"]), str(ID["person/Nasty"])).values()
        type_key = "event_type" if fmt == "gexf" else "type"  # GEXF reserves an edge's "type"
        assert (data[type_key], data["cameo"], data["count"]) == ("PrisonerRelease", "0841", 52)


# --------------------------------------------------------------------------------------------
# Drawings


def test_png_is_a_png_and_svg_holds_the_labels_as_text() -> None:
    g = project(small_graph())
    png = draw_network(g, "png")
    assert png.startswith(PNG_SIGNATURE) and len(png) > 5000
    svg = draw_network(g, "svg")
    root = ET.fromstring(svg)
    text = "".join(root.itertext())
    assert CYRILLIC in text and 'Ali "the <script>alert(1)</script>" & Co' in text
    assert b"<script>" not in svg  # escaped as text, not markup
    assert draw_network(g, "svg") == svg  # seeded layout: the same picture every time


def test_timeline_has_one_row_per_actor_of_each_dated_event() -> None:
    g = project(small_graph())
    rows = [(label, str(when), type_) for label, when, type_, _ in timeline_rows(g)]
    assert rows == [
        ('Ali "the <script>alert(1)</script>" & Co\u200b', "2025-06-21", "PrisonerRelease"),
        ("Belarus", "2025-06-01", "Meeting"),
        ("Belarus", "2025-06-21", "PrisonerRelease"),
        (CYRILLIC, "2025-06-01", "Meeting"),
    ]
    svg = draw_timeline(g, "svg")
    assert "Meeting" in "".join(ET.fromstring(svg).itertext())
    assert draw_timeline(g, "png").startswith(PNG_SIGNATURE)
    edges_rows = timeline_rows(project(small_graph(), events_as="edges"))
    assert {(r[0], r[2]) for r in edges_rows} >= {("Belarus", "PrisonerRelease")}


def test_timeline_without_dates_is_an_error() -> None:
    g = small_graph()
    g.remove((None, NKG.date, None))
    with pytest.raises(KgError, match="no dated events"):
        draw_timeline(project(g), "png")


def test_writer_registry_by_extension() -> None:
    for ext in (".gexf", ".graphml", ".html", ".png", ".svg"):
        assert writer_for(f"x{ext.upper()}")
    with pytest.raises(KgError, match=r"unknown output extension '\.pdf'"):
        writer_for("x.pdf")
    with pytest.raises(KgError, match="--timeline"):
        writer_for("x.gexf", timeline=True)


# --------------------------------------------------------------------------------------------
# The sample articles, through the CLI


def _load(path: Path) -> Graph:
    return load_graph([str(path)], store=None, settings=Settings())


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.nq"
    code, err = run(["build", str(ROOT / "data" / "articles"), "-o", str(path), "-q"])
    assert code == 0, err
    return path


def test_sample_to_gexf_and_graphml_keeps_ontology_codes(sample: Path, tmp_path: Path) -> None:
    expected = project(_load(sample))
    for ext, read in ((".gexf", nx.read_gexf), (".graphml", nx.read_graphml)):
        out = tmp_path / f"g{ext}"
        code, err = run(["viz", str(sample), "-o", str(out)])
        assert code == 0, err
        back = read(out)
        assert back.number_of_nodes() == expected.number_of_nodes() > 250
        assert back.number_of_edges() == expected.number_of_edges() > 200
        release = back.nodes[RELEASE]
        assert (release["type"], release["plover"], release["cameo"]) == (
            "PrisonerRelease",
            "RETREAT",
            "0841",
        )
        assert (release["date"], release["year"], release["count"], release["modality"]) == (
            "2024-03-07",
            2024,
            9,
            "asserted",
        )
        assert release["sentence"].startswith("Russia and Lithuania exchanged nine prisoners")
        aliyev = back.nodes["https://w3id.org/newskg/id/person/Ilham_Aliyev"]
        assert (aliyev["label"], aliyev["type"], aliyev["kind"]) == (
            "Ilham Aliyev",
            "Person",
            "actor",
        )


def test_sample_focus_png_svg_and_timeline(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "focus.svg"
    code, err = run(["viz", str(sample), "-o", str(out), "--focus", "ilham aliyev",
                     "--depth", "2"])  # fmt: skip
    assert code == 0, err
    assert "Ilham Aliyev" in "".join(ET.parse(out).getroot().itertext())
    assert "drew 12 nodes" in err
    code, err = run(["viz", str(sample), "-o", str(tmp_path / "all.png")])
    assert code == 0 and (tmp_path / "all.png").read_bytes().startswith(PNG_SIGNATURE)
    code, err = run(["viz", str(sample), "-o", str(tmp_path / "t.svg"), "--timeline"])
    assert code == 0, err
    assert "Tomas Jurkevičius" in "".join(ET.parse(tmp_path / "t.svg").getroot().itertext())


def test_sample_from_a_store_matches_the_file(sample: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run(["load", str(sample), "--store", str(store), "-q"])[0] == 0
    out = tmp_path / "s.graphml"
    code, err = run(["viz", "--store", str(store), "-o", str(out), "--events-as", "edges"])
    assert code == 0, err
    expected = project(_load(sample), events_as="edges")
    back = nx.read_graphml(out)
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        expected.number_of_nodes(),
        expected.number_of_edges(),
    )


def test_articles_are_built_on_the_fly(tmp_path: Path) -> None:
    article = ROOT / "data" / "articles" / "lithuania-russia-prisoner-swap-2024-03-08.txt"
    out = tmp_path / "a.gexf"
    code, err = run(["viz", str(article), "-o", str(out)])
    assert code == 0, err
    assert nx.read_gexf(out).nodes[RELEASE]["cameo"] == "0841"


def test_bad_usage_exits_2_in_one_line_and_leaves_files_alone(sample: Path, tmp_path: Path) -> None:
    code, err = run(["viz", str(sample), "-o", str(tmp_path / "x.pdf")])
    assert code == 2 and err.count("\n") == 1 and "unknown output extension '.pdf'" in err
    assert not (tmp_path / "x.pdf").exists()
    old = tmp_path / "old.gexf"
    old.write_bytes(b"previous")
    code, err = run(["viz", str(sample), "-o", str(old), "--focus", "Nobody At All"])
    assert code == 2 and err.count("\n") == 1 and "'Nobody At All'" in err
    assert old.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.gexf"]  # no temporary left
    code, err = run(["viz", "-o", str(tmp_path / "y.gexf")])
    assert code == 2 and "needs RDF files" in err
