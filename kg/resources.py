"""Find the ontology, shapes, gazetteers, lexicons and sample articles, installed or not."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

_SOURCE_LAYOUT = {
    "ontology": "ontology",
    "shapes": "shapes",
    "gazetteers": "data/gazetteers",
    "lexicons": "data/lexicons",
    "articles": "data/articles",
}


@cache
def resource_dir(name: str) -> Path:
    """The folder of one resource kind: inside the installed package, else the source tree."""
    if name not in _SOURCE_LAYOUT:
        raise KeyError(f"unknown resource kind {name!r}")
    installed = Path(str(files("kg"))) / "resources" / name
    if installed.is_dir():
        return installed
    source = Path(__file__).resolve().parent.parent / _SOURCE_LAYOUT[name]
    if source.is_dir():
        return source
    raise FileNotFoundError(f"newskg resource folder {name!r} is missing; reinstall newskg")


def resource_path(name: str, filename: str) -> Path:
    """One file of a resource kind, e.g. `resource_path("gazetteers", "countries.tsv")`."""
    path = resource_dir(name) / filename
    if not path.is_file():
        raise FileNotFoundError(f"newskg resource {name}/{filename} is missing; reinstall newskg")
    return path
