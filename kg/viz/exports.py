"""GEXF (Gephi) and GraphML (Cytoscape, yEd, Gephi) bytes of a projected graph.

Both are XML: every attribute is made a plain cleaned string or number first (GraphML rejects
None and lists, and XML cannot hold control characters). GEXF gives edge attributes `type`,
`label`, `weight`, `start`, `end` and `id` special meanings, so an event edge's `type` is
written as `event_type` there.
"""

from __future__ import annotations

import io

import networkx as nx

from kg.viz.project import clean

_GEXF_RESERVED_EDGE = {"type": "event_type", "weight": "event_weight", "id": "event_id",
                       "start": "event_start", "end": "event_end"}  # fmt: skip
_GEXF_RESERVED_NODE = {"id": "node_id", "pid": "node_pid", "start": "node_start",
                       "end": "node_end", "viz": "node_viz", "parents": "node_parents"}  # fmt: skip


def _plain(value: object) -> str | int | float | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if value is None:
        return None
    if isinstance(value, list | tuple | set):
        value = "; ".join(clean(v) for v in value)
    return clean(value)


def _attrs(data: dict[str, object], rename: dict[str, str]) -> dict[str, str | int | float]:
    out: dict[str, str | int | float] = {}
    for key, value in data.items():
        plain = _plain(value)
        if plain is not None:
            out[rename.get(key, key)] = plain
    return out


def plain_graph(
    g: nx.MultiDiGraph, *, node_rename: dict[str, str] | None = None,
    edge_rename: dict[str, str] | None = None,
) -> nx.MultiDiGraph:  # fmt: skip
    """A copy with only cleaned str/int/float attributes (None dropped, lists joined)."""
    out = nx.MultiDiGraph()
    out.graph.update(
        {k: v for k, v in _attrs(dict(g.graph), {}).items() if k in ("events_as", "focus")}
    )
    for node, data in g.nodes(data=True):
        out.add_node(clean(node), **_attrs(data, node_rename or {}))
    for u, v, key, data in g.edges(keys=True, data=True):
        out.add_edge(clean(u), clean(v), key=clean(key), **_attrs(data, edge_rename or {}))
    return out


def gexf_bytes(g: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 for Gephi."""
    plain = plain_graph(g, node_rename=_GEXF_RESERVED_NODE, edge_rename=_GEXF_RESERVED_EDGE)
    buffer = io.BytesIO()
    nx.write_gexf(plain, buffer)
    return buffer.getvalue()


def graphml_bytes(g: nx.MultiDiGraph) -> bytes:
    """GraphML for Cytoscape, yEd and Gephi."""
    buffer = io.BytesIO()
    nx.write_graphml(plain_graph(g), buffer, named_key_ids=True)
    return buffer.getvalue()
