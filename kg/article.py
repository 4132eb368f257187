"""The article record that flows from reading to annotation and mapping."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Article:
    """One cleaned news article; `text` is what every character offset indexes."""

    id: str
    """Stable, IRI-safe identifier (file stem, JSON `id`, or a content hash for stdin)."""
    text: str
    """Cleaned running text: headline, blank line, body; layout junk removed, lines reflowed."""
    source: str
    """Where it came from, for error messages: a path, `path:line` for JSON Lines, or `<stdin>`."""
    headline: str | None = None
    published: date | None = None
    authors: tuple[str, ...] = ()
    dateline: str | None = None
    """The place of the dateline lead, e.g. "Vilnius, Lithuania"."""
    url: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)
