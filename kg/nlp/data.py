"""Readers for the gazetteer and lexicon files that reach components through registered loaders."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from kg.resources import resource_path


def load_json(kind: str, filename: str) -> Any:
    """Parse a JSON resource, e.g. `load_json("lexicons", "events.json")`."""
    return json.loads(resource_path(kind, filename).read_text(encoding="utf-8"))


def load_tsv(kind: str, filename: str) -> list[dict[str, str]]:
    """Rows of a tab-separated resource with a header line; `#` lines are comments."""
    path: Path = resource_path(kind, filename)
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return [dict(row) for row in csv.DictReader(lines, delimiter="\t")]
