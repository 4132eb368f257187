"""Graph views: project the RDF graph onto networkx and write it for Gephi, Cytoscape, browsers.

`WRITERS` maps an output extension to a function from the projected graph to the file's bytes
(`.html` writes its own file, atomically). Writers are imported when used, so `kg viz x.gexf`
never loads matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx

from kg.errors import OutputError
from kg.write import write_atomic


def _gexf(g: nx.MultiDiGraph, path: Path, timeline: bool) -> None:
    from kg.viz.exports import gexf_bytes

    write_atomic(path, gexf_bytes(g))


def _graphml(g: nx.MultiDiGraph, path: Path, timeline: bool) -> None:
    from kg.viz.exports import graphml_bytes

    write_atomic(path, graphml_bytes(g))


def _html(g: nx.MultiDiGraph, path: Path, timeline: bool) -> None:
    from kg.viz.html import write_html

    write_html(g, path)


def _static(fmt: str) -> Callable[[nx.MultiDiGraph, Path, bool], None]:
    def write(g: nx.MultiDiGraph, path: Path, timeline: bool) -> None:
        from kg.viz.static import draw_network, draw_timeline

        write_atomic(path, (draw_timeline if timeline else draw_network)(g, fmt))

    return write


WRITERS: dict[str, Callable[[nx.MultiDiGraph, Path, bool], None]] = {
    ".gexf": _gexf,
    ".graphml": _graphml,
    ".html": _html,
    ".png": _static("png"),
    ".svg": _static("svg"),
}
"""Output extension -> writer(graph, path, timeline)."""
TIMELINE_EXTENSIONS = (".png", ".svg")


def writer_for(path: str | Path, *, timeline: bool = False) -> Callable[..., None]:
    """The writer of an output path by its extension; OutputError for any other."""
    extension = Path(path).suffix.lower()
    if extension not in WRITERS:
        known = " ".join(WRITERS)
        raise OutputError(f"unknown output extension '{extension}' (known: {known})",
                          source=str(path))  # fmt: skip
    if timeline and extension not in TIMELINE_EXTENSIONS:
        raise OutputError("--timeline draws .png or .svg only", source=str(path))
    return WRITERS[extension]


def write_view(g: nx.MultiDiGraph, path: str | Path, *, timeline: bool = False) -> None:
    """Write `g` to `path` in the format of its extension."""
    writer_for(path, timeline=timeline)(g, Path(path), timeline)
