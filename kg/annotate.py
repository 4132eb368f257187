"""Stream articles through the spaCy pipeline, carrying their metadata into each `Doc`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.article import Article


def make_doc(nlp: Language, article: Article) -> Doc:
    """A tokenized `Doc` holding the article id and publication date for the components."""
    doc = nlp.make_doc(article.text)
    doc._.article_id = article.id
    doc._.published = article.published.isoformat() if article.published else None
    return doc


def annotate(
    nlp: Language,
    articles: Iterable[Article],
    *,
    n_process: int = 1,
    batch_size: int = 32,
) -> Iterator[tuple[Article, Doc]]:
    """Yield each article with its annotated `Doc`, in input order, streaming through `nlp.pipe`."""
    pairs = ((make_doc(nlp, article), article) for article in articles)
    yield from (
        (article, doc)
        for doc, article in nlp.pipe(
            pairs, as_tuples=True, n_process=n_process, batch_size=batch_size
        )
    )
