"""A self-contained, offline HTML page for a projected graph (vis-network bundled, no CDN).

Labels and sentences come from untrusted news text, so the data goes into the page only as
JSON inside a `<script type="application/json">` block with `<`, `>`, `&` and U+2028/2029
escaped (nothing in a label can close the tag), and the page shows it only through
`textContent` and vis-network's plain-text labels. A Content-Security-Policy forbids any
network access. The layout is computed here, so the browser draws at once with physics off.
"""

from __future__ import annotations

import calendar
import html
import json
import math
import re
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from kg.write import write_atomic

ACTOR_COLOURS: dict[str, str] = {
    "Person": "#4e79a7",
    "Organization": "#f28e2b",
    "Country": "#59a14f",
    "Location": "#76b7b2",
    "Group": "#b07aa1",
}
"""Fixed colours per actor type, so pages from different runs read the same."""

_OTHER_ACTOR = "#9c9c9c"
_EVENT_PALETTE = (
    "#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
    "#bfef45", "#c71585", "#469990", "#6a5acd", "#9a6324", "#5f9ea0", "#800000", "#2e8b57",
    "#808000", "#cd853f", "#000075", "#a9a9a9", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
)  # fmt: skip
"""Distinct colours for event types, assigned in type-name order (same type, same colour)."""
_ROLE_COLOURS = {
    "agent": "#555555",
    "affected": "#e15759",
    "participant": "#4e79a7",
    "mediator": "#b07aa1",
    "location": "#76b7b2",
}
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_PLACEHOLDER = re.compile(r"__(TITLE|CSS|DATA|VIS|JS)__")
_SMALL_COMPONENT = 400
"""Components up to this size use networkx's dense spring layout; larger ones a chunked one."""


@cache
def _asset(name: str) -> str:
    return files("kg.viz").joinpath("assets", name).read_text(encoding="utf-8")


def script_safe_json(value: object) -> str:
    """JSON that can sit inside a <script> element: no `<`, `>`, `&`, U+2028 or U+2029 left."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def _plain(value: object) -> str | int | float:
    """A JSON-safe scalar: numbers stay numbers, everything else becomes text."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return str(value)


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_span(value: object) -> tuple[str, str] | None:
    """The first and last day a date stands for ("2011" -> 2011-01-01..2011-12-31), or None.

    Why: event dates are as precise as the text (a year, a month or a day), while the page's
    date inputs and comparisons need whole days; an event passes a date filter when its span
    overlaps the chosen range.
    """
    match = _DATE.match(str(value).strip())
    if not match:
        return None
    year, month, day = match.groups()
    if day:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        last = calendar.monthrange(int(year), int(month))[1] if "01" <= month <= "12" else 28
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def _event_colours(g: nx.MultiDiGraph) -> dict[str, str]:
    """Event type -> colour, for event nodes and event edges, in sorted type order."""
    types = {str(a.get("type", "")) for _, a in g.nodes(data=True) if a.get("kind") == "event"}
    types |= {str(a.get("type", "")) for *_, a in g.edges(data=True) if _is_event_edge(a)}
    return {t: _EVENT_PALETTE[i % len(_EVENT_PALETTE)] for i, t in enumerate(sorted(types))}


def _is_event_edge(attrs: Mapping[str, object]) -> bool:
    return "type" in attrs or "event" in attrs


def _chunked_spring(
    graph: nx.Graph, seed: int, iterations: int, sample: int = 800, chunk: int = 1024
) -> dict[Any, tuple[float, float]]:
    """Fruchterman-Reingold for big components, without scipy and without an n x n array.

    Why sampled: exact repulsion is n^2 per step (about 20 s for 5,000 nodes in numpy); pushing
    each node away from a fixed-seed random sample of `sample` nodes, scaled up by n / sample,
    gives the same overall shape in about a tenth of the time, and the same result every run.
    """
    nodes = list(graph)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in graph.edges() if u != v], dtype=np.int64)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)).astype(np.float32)
    k = math.sqrt(1.0 / n)
    t = 0.1
    dt = t / (iterations + 1)
    for _ in range(iterations):
        others = rng.choice(n, size=min(sample, n), replace=False)
        weight = np.float32(k * k * n / len(others))
        ox, oy = pos[others, 0][None, :], pos[others, 1][None, :]
        disp = np.zeros((n, 2), dtype=np.float32)
        for start in range(0, n, chunk):
            dx = pos[start : start + chunk, 0][:, None] - ox
            dy = pos[start : start + chunk, 1][:, None] - oy
            inverse = weight / np.maximum(dx * dx + dy * dy, np.float32(1e-6))
            disp[start : start + chunk, 0] = (dx * inverse).sum(axis=1)
            disp[start : start + chunk, 1] = (dy * inverse).sum(axis=1)
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            dist = np.maximum(np.sqrt((delta**2).sum(axis=1)), np.float32(1e-3))
            pull = delta * (dist / k)[:, None]
            np.add.at(disp, edges[:, 0], -pull)
            np.add.at(disp, edges[:, 1], pull)
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), np.float32(1e-9))
        pos += disp * (np.minimum(length, t) / length)[:, None]
        t -= dt
    pos -= pos.mean(axis=0)
    scale = float(np.abs(pos).max()) or 1.0
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, pos / scale, strict=True)}


def layout(g: nx.MultiDiGraph, *, seed: int = 42) -> dict[Any, tuple[float, float]]:
    """Positions in page pixels: each connected component laid out, then packed on shelves.

    Why per component: news graphs are many small islands plus one or two large ones; laying
    them out separately keeps islands readable and keeps the work near-linear for big graphs.
    """
    simple = nx.Graph(g.to_undirected(as_view=True))
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c))))
    placed: dict[Any, tuple[float, float]] = {}

    def radius(size: int) -> float:  # pixels: room for labels grows with the node count
        return 0.0 if size == 1 else max(60.0, 55.0 * math.sqrt(size))

    widths = [2 * radius(len(c)) + 120.0 for c in components]
    row_width = max(1200.0, 1.3 * math.sqrt(sum(w * w for w in widths)))  # a squarish page
    cursor_x = cursor_y = row_height = 0.0
    for component in components:
        sub = simple.subgraph(component)
        size = len(sub)
        if size == 1:
            local = {next(iter(component)): (0.0, 0.0)}
        elif size <= _SMALL_COMPONENT:
            iterations = 50 if size <= 100 else 30
            local = nx.spring_layout(sub, seed=seed, iterations=iterations)
        else:
            local = _chunked_spring(sub, seed, iterations=50)
        scale = radius(size)
        width = 2 * scale + 120.0
        if cursor_x + width > row_width and cursor_x > 0:
            cursor_x, cursor_y, row_height = 0.0, cursor_y + row_height, 0.0
        centre_x, centre_y = cursor_x + width / 2, cursor_y + width / 2
        for node, (x, y) in local.items():
            placed[node] = (
                round(centre_x + float(x) * scale, 1),
                round(centre_y + float(y) * scale, 1),
            )
        cursor_x += width
        row_height = max(row_height, width)
    return placed


def page_data(g: nx.MultiDiGraph, *, seed: int = 42) -> dict[str, Any]:
    """The JSON the page reads: nodes, edges, colours and the date range."""
    positions = layout(g, seed=seed)
    ids = {node: f"n{i}" for i, node in enumerate(g.nodes)}
    event_colours = _event_colours(g)
    actor_colours: dict[str, str] = {}
    spans: list[tuple[str, str]] = []
    nodes = []
    for node, attrs in g.nodes(data=True):
        kind = str(attrs.get("kind", "actor"))
        node_type = str(attrs.get("type", ""))
        label = str(attrs.get("label", node))
        if kind == "event":
            colour = event_colours[node_type]
            shape, size = "diamond", 9
        else:
            colour = ACTOR_COLOURS.get(node_type, _OTHER_ACTOR)
            actor_colours[node_type or "unknown"] = colour
            shape, size = "dot", 12
        x, y = positions[node]
        record: dict[str, Any] = {
            "id": ids[node],
            "label": label,
            "kind": kind,
            "x": x,
            "y": y,
            "color": colour,
            "shape": shape,
            "size": size,
            "attrs": _attrs(attrs, node),
        }
        if kind == "event":
            record["type"] = node_type
            _add_span(record, attrs, spans)
        nodes.append(record)
    edges = []
    for i, (u, v, key, attrs) in enumerate(g.edges(keys=True, data=True)):
        is_event = _is_event_edge(attrs)
        role = str(attrs.get("role", ""))
        record = {"id": f"e{i}", "from": ids[u], "to": ids[v], "attrs": _attrs(attrs, None)}
        if is_event:
            edge_type = str(attrs.get("type", ""))
            record.update(event=True, type=edge_type, color=event_colours[edge_type])
            record["label"] = str(attrs.get("label") or edge_type or key)
            _add_span(record, attrs, spans)
        else:
            record.update(color=_ROLE_COLOURS.get(role, "#888888"), label=role or "edge")
        edges.append(record)
    return {
        "nodes": nodes,
        "edges": edges,
        "eventTypes": dict(sorted(event_colours.items())),
        "actorTypes": dict(sorted(actor_colours.items())),
        "dateMin": min(start for start, _ in spans) if spans else "",
        "dateMax": max(end for _, end in spans) if spans else "",
    }


def _add_span(
    record: dict[str, Any], attrs: Mapping[str, object], spans: list[tuple[str, str]]
) -> None:
    span = date_span(attrs["date"]) if "date" in attrs else None
    if span:
        record["start"], record["end"] = span
        spans.append(span)


def _attrs(attrs: Mapping[str, object], node: object) -> dict[str, str | int | float]:
    """The attributes shown in the details panel, in a stable, readable order."""
    order = ("type", "kind", "plover", "cameo", "date", "count", "modality", "role", "trigger")
    shown = {key: _plain(attrs[key]) for key in order if key in attrs and attrs[key] is not None}
    for key in sorted(attrs):
        if key not in shown and key not in ("label", "x", "y") and attrs[key] is not None:
            shown[key] = _plain(attrs[key])
    if node is not None:
        shown["id"] = _plain(node)
    return shown


def render_html(g: nx.MultiDiGraph, *, title: str = "newskg graph", seed: int = 42) -> str:
    """The page as one string: template, CSS, vis-network, data and page script inlined."""
    parts = {
        "TITLE": html.escape(title),
        "CSS": _asset("page.css"),
        "DATA": script_safe_json(page_data(g, seed=seed)),
        "VIS": _asset("vis-network.min.js"),
        "JS": _asset("page.js"),
    }
    # One pass over the template, so placeholder-like text inside the data is never replaced.
    return _PLACEHOLDER.sub(lambda match: parts[match.group(1)], _asset("page.html"))


def write_html(g: nx.MultiDiGraph, path: Path, *, title: str | None = None) -> None:
    """Write the page for `g` to `path` atomically (a reader never sees half a page)."""
    name = title if title is not None else (g.graph.get("name") or "newskg graph")
    write_atomic(path, render_html(g, title=str(name)).encode("utf-8"))
