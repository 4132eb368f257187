"""Static drawings for reports: the network (PNG/SVG) and a timeline of events, by matplotlib.

The Agg backend is chosen here, when a drawing is made, not when `kg` is imported: nothing else
in newskg needs matplotlib, and no display is ever touched. Layouts are seeded, so the same
graph gives the same picture. Text is drawn as text in SVG (searchable, selectable), and `$` is
escaped so that a label is never read as mathtext.
"""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING

import networkx as nx

from kg.errors import KgError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ACTOR_COLOURS = {
    "Person": "#4e79a7", "Organization": "#f28e2b", "Country": "#59a14f",
    "Location": "#76b7b2", "Group": "#edc948",
}  # fmt: skip
OTHER_COLOUR = "#bab0ac"
EVENT_PALETTE = (
    "#e15759",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#2e86c1",
    "#d37295",
    "#8cd17d",
    "#86bcb6",
    "#f1ce63",
    "#a0cbe8",
    "#ffbe7d",
    "#499894",
    "#d4a6c8",
    "#79706e",
    "#fabfd2",
    "#b6992d",
    "#e19d29",
    "#7b848f",
)
LABEL_ALL_BELOW = 80
"""Graphs with fewer nodes get every node labelled; larger ones only their actors."""
ROLES_ON_TIMELINE = ("agent", "affected", "participant", "mediator")


def _matplotlib():  # the pyplot module
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _text(label: object) -> str:
    return str(label).replace("$", r"\$")


def event_colours(types: list[str]) -> dict[str, str]:
    """A fixed colour per event type (sorted, so the same types always get the same colours)."""
    return {t: EVENT_PALETTE[i % len(EVENT_PALETTE)] for i, t in enumerate(sorted(set(types)))}


def _save(fig: Figure, fmt: str) -> bytes:
    plt = _matplotlib()
    buffer = io.BytesIO()
    rc = {"svg.fonttype": "none", "svg.hashsalt": "newskg"}
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with plt.rc_context(rc):
        fig.savefig(buffer, format=fmt, metadata=metadata, bbox_inches="tight", dpi=120)
    plt.close(fig)
    return buffer.getvalue()


def _component_layout(component: nx.Graph) -> dict[str, tuple[float, float]]:
    """A seeded spring layout in [-1, 1] (networkx uses scipy for components of 500+ nodes)."""
    n = len(component)
    if n == 1:
        return {next(iter(component)): (0.0, 0.0)}
    raw = nx.spring_layout(component, seed=7, k=1.5 / n**0.5, iterations=100)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {v: (2 * (float(p[0]) - cx) / span, 2 * (float(p[1]) - cy) / span)
            for v, p in raw.items()}  # fmt: skip


def layout(simple: nx.Graph) -> dict[str, tuple[float, float]]:
    """Each connected component laid out alone, then packed in rows, largest first.

    Why: one spring layout pushes isolated actors into a ring around everything else; packing
    keeps each cluster compact, and is deterministic (seeded, components in a fixed order).
    """
    components = sorted(
        (sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0])
    )
    total = sum(max(len(c), 1) for c in components)
    width = max(2.0 * len(components[0]) ** 0.5, total**0.5 * 2.4)
    pos: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for nodes in components:
        side = 2.0 * len(nodes) ** 0.5 if len(nodes) > 1 else 1.6
        if x > 0 and x + side > width:
            x, y, row = 0.0, y - row - 0.4, 0.0
        half = side / 2
        for node, (px, py) in _component_layout(simple.subgraph(nodes)).items():
            pos[node] = (x + half + px * half * 0.9, y - half + py * half * 0.9)
        x += side + 0.4
        row = max(row, side)
    return pos


def draw_network(g: nx.MultiDiGraph, fmt: str) -> bytes:
    """PNG or SVG of the network: actors coloured by type, events (small squares) by event type."""
    if g.number_of_nodes() == 0:
        raise KgError("the graph is empty; nothing to draw")
    plt = _matplotlib()
    from matplotlib.lines import Line2D

    nodes = sorted(g.nodes)
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from(sorted((u, v) for u, v in g.edges() if u != v))
    size = min(40.0, 8 + len(nodes) ** 0.5)
    pos = layout(simple)
    events = [n for n in nodes if g.nodes[n].get("kind") == "event"]
    colours = event_colours([str(g.nodes[n].get("type", "")) for n in events])
    fig, ax = plt.subplots(figsize=(size, size * 0.75))
    ax.set_axis_off()
    edge_colours = [
        colours.get(str(d.get("type")), "#999999") if "event" in d else "#999999"
        for _, _, d in g.edges(data=True)
    ]
    nx.draw_networkx_edges(g, pos, ax=ax, edge_color=edge_colours, alpha=0.5, arrowsize=8,
                           width=0.8, node_size=120)  # fmt: skip
    actors = [n for n in nodes if n not in set(events)]
    nx.draw_networkx_nodes(
        g, pos, nodelist=actors, ax=ax, node_size=160, linewidths=0.5, edgecolors="#333333",
        node_color=[ACTOR_COLOURS.get(str(g.nodes[n].get("type")), OTHER_COLOUR) for n in actors],
    )  # fmt: skip
    if events:
        nx.draw_networkx_nodes(
            g, pos, nodelist=events, ax=ax, node_size=60, node_shape="s",
            node_color=[colours[str(g.nodes[n].get("type", ""))] for n in events],
        )  # fmt: skip
    shown = nodes if len(nodes) < LABEL_ALL_BELOW else actors
    labels = {n: _text(g.nodes[n].get("label", n)) for n in shown}
    nx.draw_networkx_labels(g, pos, labels=labels, ax=ax, font_size=7)
    present = sorted({str(g.nodes[n].get("type")) for n in actors})
    handles = [
        Line2D([], [], marker="o", linestyle="", color=ACTOR_COLOURS.get(t, OTHER_COLOUR), label=t)
        for t in present
    ] + [
        Line2D([], [], marker="s", linestyle="", color=c, label=_text(t))
        for t, c in colours.items()
    ]  # fmt: skip
    if handles:
        ax.legend(handles=handles, loc="upper left", fontsize=7, frameon=False)
    return _save(fig, fmt)


def _when(text: str) -> date | None:
    """The first day of an ISO date, year-month or year (the precision the text gave)."""
    parts = text.split("-")
    try:
        if len(parts) == 3:
            return date.fromisoformat(text)
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 1)
        if len(parts) == 1:
            return date(int(parts[0]), 1, 1)
    except ValueError:
        return None
    return None


def timeline_rows(g: nx.MultiDiGraph) -> list[tuple[str, date, str, str]]:
    """(actor label, date, event type, event id) for every dated event and each of its actors.

    Works on both projections: event nodes with their role edges, or event edges.
    """
    rows: set[tuple[str, date, str, str]] = set()
    for node, data in g.nodes(data=True):
        if data.get("kind") != "event" or _when(str(data.get("date", ""))) is None:
            continue
        when = _when(str(data["date"]))
        assert when is not None
        for u, v, edge in list(g.in_edges(node, data=True)) + list(g.out_edges(node, data=True)):
            if edge.get("role") in ROLES_ON_TIMELINE:
                actor = u if v == node else v
                label = str(g.nodes[actor].get("label", actor))
                rows.add((label, when, str(data.get("type", "")), node))
    for u, v, edge in g.edges(data=True):
        when = _when(str(edge.get("date", ""))) if "event" in edge else None
        if when is not None:
            for actor in (u, v):
                rows.add((str(g.nodes[actor].get("label", actor)), when, str(edge.get("type", "")),
                          str(edge["event"])))  # fmt: skip
    return sorted(rows)


def draw_timeline(g: nx.MultiDiGraph, fmt: str) -> bytes:
    """PNG or SVG: x is the date, one labelled row per actor, markers coloured by event type."""
    rows = timeline_rows(g)
    if not rows:
        raise KgError("no dated events in the graph; no timeline to draw")
    plt = _matplotlib()
    from matplotlib.lines import Line2D

    actors = sorted({r[0] for r in rows}, key=str.casefold)
    index = {a: i for i, a in enumerate(actors)}
    colours = event_colours([r[2] for r in rows])
    fig, ax = plt.subplots(figsize=(11, max(2.5, 0.28 * len(actors) + 1.5)))
    for type_, colour in colours.items():
        points = [(r[1], index[r[0]]) for r in rows if r[2] == type_]
        ax.scatter([p[0] for p in points], [p[1] for p in points], color=colour, s=36,
                   edgecolors="#333333", linewidths=0.4, zorder=3)  # fmt: skip
    ax.set_yticks(range(len(actors)))
    ax.set_yticklabels([_text(a) for a in actors], fontsize=7)
    ax.set_ylim(len(actors) - 0.5, -0.5)
    ax.grid(axis="y", color="#eeeeee", zorder=0)
    ax.set_xlabel("date")
    fig.autofmt_xdate()
    handles = [Line2D([], [], marker="o", linestyle="", color=c, label=_text(t))
               for t, c in colours.items()]  # fmt: skip
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7,
              frameon=False)  # fmt: skip
    return _save(fig, fmt)
