"""The `Doc` extensions newskg's components read and write, registered once."""

from __future__ import annotations

from spacy.tokens import Doc

#: name -> what it holds. Lists default to None; read them with `doc._.name or []`.
DOC_EXTENSIONS: dict[str, str] = {
    "article_id": "str: the article's id",
    "published": "str | None: ISO publication date, the anchor for relative dates",
    "actors": "dict[str, Actor]: actor key -> actor",
    "mentions": "list[Mention]: every mention of an actor, sorted by offset",
    "times": "list[TimeExpr]: resolved time expressions, sorted by offset",
    "events": "list[Event]: extracted events, sorted by offset",
    "actor_relations": "list[ActorRelation]",
    "event_relations": "list[EventRelation]",
}


def register_extensions() -> None:
    """Register every `Doc` extension once; safe to call again."""
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()
