"""The `Doc` extensions newskg's components read and write, registered once."""

from __future__ import annotations

from spacy.tokens import Doc

#: name -> what it holds. Lists default to None; read them with `doc._.name or []`.
DOC_EXTENSIONS: dict[str, str] = {
    "article_id": "str: the article's id",
    "text": "str: `doc.text`, kept by `doc_text` (spaCy joins the tokens anew on every call)",
    "published": "str | None: ISO publication date, the anchor for relative dates",
    "actors": "dict[str, Actor]: actor key -> actor",
    "mentions": "list[Mention]: every mention of an actor, sorted by offset",
    "times": "list[TimeExpr]: resolved time expressions, sorted by offset",
    "events": "list[Event]: extracted events, sorted by offset",
    "actor_relations": "list[ActorRelation]",
    "event_relations": "list[EventRelation]",
    "parse": "Parse: the parse as lists by token index, shared by the components (kg.nlp.parse)",
}


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once per doc and kept: each component needs it, and joining the tokens
    costs more than many of the rules that read it."""
    if doc._.text is None:
        doc._.text = doc.text
    return doc._.text


def register_extensions() -> None:
    """Register every `Doc` extension once; safe to call again."""
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()
