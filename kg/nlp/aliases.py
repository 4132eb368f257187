"""Placeholder for the newskg_aliases component; replaced by its real implementation."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("newskg_aliases")
def newskg_aliases(doc: Doc) -> Doc:
    return doc
