"""The README's promises: the two commands CI runs, and a SPARQL example that works."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pyoxigraph
import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

STORY = """\
Chile frees nine detained fishermen

[July 4, 2024]
By MARTA ROJAS
SANTIAGO, Chile (AP) — Chile freed nine Peruvian fishermen on Wednesday after a court ruled
that their detention at sea had been unlawful, officials said.
"""


def _blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


@pytest.mark.skipif(not README.is_file(), reason="runs from a source checkout")
def test_readme_opens_with_the_two_commands_that_ci_runs() -> None:
    text = README.read_text(encoding="utf-8")
    first = _blocks(text, "")[0].strip().splitlines()
    assert len(first) == 2
    build, test = first
    assert "pip install ." in build and "kg build data/articles/" in build
    assert "pip install '.[test]'" in test and test.endswith("pytest")
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.skipif(not README.is_file(), reason="runs from a source checkout")
def test_readme_sparql_example_answers_on_built_output(tmp_path: Path) -> None:
    story = tmp_path / "chile.txt"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "graph.ttl"
    assert main([str(x) for x in ("build", story, "-o", out, "-q")], err=io.StringIO()) == 0
    store = pyoxigraph.Store()
    store.load(path=str(out), format=pyoxigraph.RdfFormat.TURTLE)
    (query,) = _blocks(README.read_text(encoding="utf-8"), "sparql")
    rows = list(store.query(query))
    assert len(rows) == 1
    row = rows[0]
    assert row["agent"].value == "Chile"
    assert row["count"].value == "9"
    assert row["date"].value == "2024-07-03"
    assert "Chile freed nine Peruvian fishermen" in row["sentence"].value
