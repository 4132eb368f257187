"""Annotation: one spaCy `Language` with newskg's registered components appended.

Components run in this order, each reading what the earlier ones wrote to `Doc` extensions:
entities (NER fixes, gazetteers, groups) -> aliases (surnames, titles, pronouns, metonyms)
-> times (dates against the publication date) -> events -> relations.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from kg.errors import ModelError
from kg.nlp import (  # noqa: F401  (registers the components)
    aliases,
    entities,
    events,
    paragraphs,
    relations,
    times,
)
from kg.nlp.extensions import register_extensions

COMPONENTS = (
    "newskg_entities",
    "newskg_aliases",
    "newskg_times",
    "newskg_events",
    "newskg_relations",
)


@cache
def build_pipeline(model: str) -> Language:
    """Load the spaCy pipeline `model` and append newskg's components; built once per process."""
    register_extensions()
    try:
        nlp = spacy.load(model, exclude=["senter"])
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy pipeline {model!r}: install it (pip install it by name) "
            "or pick an installed one with --model"
        ) from exc
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(f"spaCy pipeline {model!r} lacks {', '.join(sorted(missing))}")
    nlp.add_pipe("newskg_paragraphs", before="parser")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp
