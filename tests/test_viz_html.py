"""The HTML page without a browser: self-contained, data round-trips, hostile text escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from kg.viz.html import (
    date_span,
    layout,
    page_data,
    render_html,
    script_safe_json,
    write_html,
)

HOSTILE_LABELS = [
    "<script>alert(1)</script>",
    "</script><script>window.pwned=1</script>",
    "</SCRIPT ><script>window.pwned=2</script>",
    "<!-- <script>",
    "\"quoted\" & 'single' &amp; &lt;",
    "line\u2028separator\u2029paragraph",
    "__DATA__ __VIS__ __JS__ __TITLE__",
]
DATA_BLOCK = re.compile(
    r'<script type="application/json" id="graph-data">(.*?)</script>', re.DOTALL
)


def small_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(events_as="nodes")
    g.add_node("a:1", kind="actor", type="Person", label="Alexander Lukashenko")
    g.add_node("a:2", kind="actor", type="Group", label="52 political prisoners")
    g.add_node("a:3", kind="actor", type="Country", label="Lithuania")
    g.add_node(
        "e:1",
        kind="event",
        type="PrisonerRelease",
        plover="RELEASE",
        cameo="0861",
        date="2025-09-11",
        year=2025,
        count=52,
        modality="asserted",
        sentence="Lukashenko freed 52 political prisoners.",
        label="PrisonerRelease (2025-09-11)",
    )
    g.add_edge("a:1", "e:1", key="agent", role="agent")
    g.add_edge("e:1", "a:2", key="affected", role="affected")
    g.add_edge("e:1", "a:3", key="location", role="location")
    return g


def hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for i, label in enumerate(HOSTILE_LABELS):
        g.add_node(f"a{i}", kind="actor", type="Person", label=label, titles=label)
    g.add_node("e", kind="event", type="Meeting", label=HOSTILE_LABELS[1], sentence="a</script>b")
    g.add_edge("a0", "e", key="agent", role="agent")
    g.add_edge("e", "a1", key="affected", role="affected")
    return g


def data_of(page: str) -> dict:
    blocks = DATA_BLOCK.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_page_is_self_contained(tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    write_html(small_graph(), path)
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # No external scripts, styles, fonts or images: everything is inline, CSP forbids the rest.
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page, re.I)
    assert "default-src 'none'" in page
    assert "vis-network" in page and "@version 10." in page  # the bundled library, inlined
    assert page.count("<script") == 3  # data, library, page script


def test_data_parses_back_to_the_graph(tmp_path: Path) -> None:
    g = small_graph()
    path = tmp_path / "graph.html"
    write_html(g, path)
    data = data_of(path.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == g.number_of_nodes() == 4
    assert len(data["edges"]) == g.number_of_edges() == 3
    event = next(n for n in data["nodes"] if n["kind"] == "event")
    assert event["type"] == "PrisonerRelease"
    assert event["attrs"]["plover"] == "RELEASE"
    assert event["attrs"]["cameo"] == "0861"
    assert event["attrs"]["count"] == 52
    assert event["attrs"]["sentence"] == "Lukashenko freed 52 political prisoners."
    assert data["dateMin"] == data["dateMax"] == "2025-09-11"
    assert set(data["eventTypes"]) == {"PrisonerRelease"}
    assert set(data["actorTypes"]) == {"Person", "Group", "Country"}
    roles = sorted(e["attrs"]["role"] for e in data["edges"])
    assert roles == ["affected", "agent", "location"]
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def test_edges_mode_colours_edges_by_event_type() -> None:
    g = nx.MultiDiGraph(events_as="edges")
    g.add_node("a", kind="actor", type="Country", label="US")
    g.add_node("b", kind="actor", type="Country", label="Syria")
    g.add_edge("a", "b", key="e:1", role="affected", event="e:1", type="SanctionsEased",
               date="2025-05-27", label="SanctionsEased")  # fmt: skip
    g.add_edge("a", "b", key="e:2", role="affected", event="e:2", type="Meeting",
               date="2025-06-01", label="Meeting")  # fmt: skip
    data = page_data(g)
    colours = {e["type"]: e["color"] for e in data["edges"]}
    assert set(colours) == {"SanctionsEased", "Meeting"}
    assert colours["SanctionsEased"] != colours["Meeting"]
    assert data["eventTypes"] == colours
    assert (data["dateMin"], data["dateMax"]) == ("2025-05-27", "2025-06-01")


def test_hostile_labels_are_escaped(tmp_path: Path) -> None:
    g = hostile_graph()
    path = tmp_path / "hostile.html"
    write_html(g, path, title="</title><script>window.pwned=3</script>")
    raw = path.read_text(encoding="utf-8")
    data_block = DATA_BLOCK.findall(raw)
    assert len(data_block) == 1
    for char in "<>&\u2028\u2029":
        assert char not in data_block[0]
    assert "</script><script>" not in raw
    assert "<!-- <script>" not in raw
    assert raw.count("<script") == 3
    assert "<title>&lt;/title&gt;&lt;script&gt;window.pwned=3&lt;/script&gt;</title>" in raw
    # The placeholders in a label are data, not template slots.
    assert raw.count("@version 10.") == 1
    labels = sorted(n["label"] for n in data_of(raw)["nodes"])
    assert labels == sorted([*HOSTILE_LABELS, HOSTILE_LABELS[1]])
    event = next(n for n in data_of(raw)["nodes"] if n["kind"] == "event")
    assert event["attrs"]["sentence"] == "a</script>b"


@pytest.mark.parametrize("text", HOSTILE_LABELS)
def test_script_safe_json_round_trips(text: str) -> None:
    encoded = script_safe_json({"label": text})
    assert not set(encoded) & set("<>&\u2028\u2029")
    assert json.loads(encoded) == {"label": text}


def test_layout_is_deterministic_and_separates_nodes() -> None:
    g = nx.MultiDiGraph(nx.gnm_random_graph(600, 900, seed=3, directed=True))
    first, second = layout(g), layout(g)
    assert first == second
    assert len(first) == 600
    assert len(set(first.values())) == 600  # no two nodes on the same spot


def test_write_html_is_atomic_on_failure(tmp_path: Path) -> None:
    """A failing write leaves an existing page untouched (write_atomic underneath)."""
    from kg.errors import OutputError

    with pytest.raises(OutputError):
        write_html(small_graph(), tmp_path / "missing-dir" / "graph.html")
    path = tmp_path / "graph.html"
    path.write_text("old")
    write_html(small_graph(), path)
    assert render_html(small_graph()) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("2025-09-11", ("2025-09-11", "2025-09-11")),
        ("2025-09-11T10:00:00Z", ("2025-09-11", "2025-09-11")),
        ("2024-02", ("2024-02-01", "2024-02-29")),
        ("2011", ("2011-01-01", "2011-12-31")),
        ("sometime", None),
    ],
)
def test_date_span_covers_the_whole_period(value: str, span: tuple[str, str] | None) -> None:
    assert date_span(value) == span


def test_year_only_dates_give_whole_day_bounds() -> None:
    """Date inputs accept only yyyy-mm-dd, so a year-only event must not leak "2011" into them."""
    g = small_graph()
    g.nodes["e:1"]["date"] = "2011"
    data = page_data(g)
    assert (data["dateMin"], data["dateMax"]) == ("2011-01-01", "2011-12-31")
    event = next(n for n in data["nodes"] if n["kind"] == "event")
    assert (event["start"], event["end"]) == ("2011-01-01", "2011-12-31")
