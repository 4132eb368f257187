"""Map an annotated `Doc` to RDF under the vocabulary contract; the only place IRIs are minted.

Triples are made as Oxigraph terms directly: building them through rdflib cost ~10x more.
`article_graph` converts them to an rdflib `Graph` for the callers that want one.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD
from spacy.tokens import Doc

import kg
from kg.article import Article
from kg.nlp.extensions import doc_text
from kg.nlp.types import (
    ACTOR_RELATIONS,
    ACTOR_TYPES,
    EVENT_RELATIONS,
    EVENT_TYPES,
    MODALITIES,
    Actor,
    ActorRelation,
    Event,
)
from kg.settings import DEFAULT_BASE_IRI
from kg.terms import TermTriple, TripleList, paused_gc, rdflib_term
from kg.vocab import NIF, NKG, NKG_IRI, SCHEMA, SEM

#: Prefixes bound in every graph and used by the writers.
PREFIXES: dict[str, str] = {
    "nkg": NKG_IRI,
    "sem": str(SEM),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "nif": str(NIF),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
}


def _node(term: str) -> ox.NamedNode:
    return ox.NamedNode(str(term))


# The vocabulary terms written, made once as Oxigraph nodes.
_TYPE = _node(RDF.type)
_STATEMENT = _node(RDF.Statement)
_SUBJECT = _node(RDF.subject)
_PREDICATE = _node(RDF.predicate)
_OBJECT = _node(RDF.object)
_LABEL = _node(RDFS.label)
_ALT_LABEL = _node(SKOS.altLabel)
_ACTIVITY = _node(PROV.Activity)
_ENTITY = _node(PROV.Entity)
_USED = _node(PROV.used)
_GENERATED_BY = _node(PROV.wasGeneratedBy)
_DERIVED_FROM = _node(PROV.wasDerivedFrom)
_NEWS_ARTICLE = _node(SCHEMA["NewsArticle"])
_HEADLINE = _node(SCHEMA["headline"])
_DATE_PUBLISHED = _node(SCHEMA["datePublished"])
_AUTHOR = _node(SCHEMA["author"])
_URL = _node(SCHEMA["url"])
_SOFTWARE_VERSION = _node(SCHEMA["softwareVersion"])
_VERSION = _node(SCHEMA["version"])
_CONTEXT_CLASS = _node(NIF["Context"])
_STRING = _node(NIF["String"])
_PHRASE = _node(NIF["Phrase"])
_SENTENCE = _node(NIF["Sentence"])
_IS_STRING = _node(NIF["isString"])
_ANCHOR_OF = _node(NIF["anchorOf"])
_BEGIN = _node(NIF["beginIndex"])
_END = _node(NIF["endIndex"])
_REFERENCE_CONTEXT = _node(NIF["referenceContext"])
_ARTICLE = _node(NKG.Article)
_EVENT_CLASS = _node(NKG.Event)
_SEM_EVENT = _node(SEM["Event"])
_DATELINE = _node(NKG.dateline)
_CONTEXT = _node(NKG.context)
_MENTION = _node(NKG.mention)
_TITLE = _node(NKG.title)
_TRIGGER = _node(NKG.trigger)
_LOCATION = _node(NKG.location)
_DATE = _node(NKG.date)
_COUNT = _node(NKG["count"])
_MODALITY = _node(NKG.modality)
_QUOTE = _node(NKG.quote)
_EVIDENCE = _node(NKG.evidence)
_XSD_STRING = _node(XSD.string)
_XSD_DATE = _node(XSD.date)
_NON_NEGATIVE = _node(XSD.nonNegativeInteger)

#: nkg: classes and properties named by the annotations (`NKG[...]` rejects unknown names).
_NKG_NAMED: dict[str, ox.NamedNode] = {
    name: _node(NKG[name])
    for name in (*ACTOR_TYPES, *EVENT_TYPES, *ACTOR_RELATIONS, *EVENT_RELATIONS)
}
_MODALITY_NODES: dict[str, ox.NamedNode] = {name: _node(NKG[name.title()]) for name in MODALITIES}

#: Characters left as they are in an IRI path segment (besides ASCII letters, digits and `_.-~`).
_SAFE = "_-.~()',!"
_SURROGATES = re.compile("[\ud800-\udfff]")
#: Segments that `_segment` leaves as they are (event keys, most article ids): no work to do.
_PLAIN_SEGMENT = re.compile(r"[\w\-~()',!.]+", re.ASCII)
_PLACE_TYPES = ("Location", "Country")
_ACTOR_TYPE_NODES: dict[str, tuple[ox.NamedNode, ...]] = {
    "Person": (_NKG_NAMED["Person"], _node(SEM["Actor"])),
    "Organization": (_NKG_NAMED["Organization"], _node(SEM["Actor"])),
    "Group": (_NKG_NAMED["Group"], _node(SEM["Actor"])),
    "Country": (_NKG_NAMED["Country"], _node(SEM["Actor"]), _node(SEM["Place"])),
    "Location": (_NKG_NAMED["Location"], _node(SEM["Place"])),
}
_ROLES: tuple[tuple[str, ox.NamedNode], ...] = (
    ("agent", _node(NKG.agent)),
    ("affected", _node(NKG.affected)),
    ("participants", _node(NKG.participant)),
    ("mediator", _node(NKG.mediator)),
)
_DATE_FORMS: tuple[tuple[re.Pattern[str], ox.NamedNode], ...] = (
    (re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII), _XSD_DATE),
    (re.compile(r"\d{4}-(0[1-9]|1[0-2])", re.ASCII), _node(XSD.gYearMonth)),
    (re.compile(r"\d{4}", re.ASCII), _node(XSD.gYear)),
)


@dataclass(frozen=True)
class RunInfo:
    """What produced a graph, recorded as its `prov:Activity` (no wall-clock time: same bytes)."""

    software_version: str
    model_name: str
    model_version: str

    @classmethod
    def from_nlp(cls, nlp: Any) -> RunInfo:
        """The run of this newskg version with this loaded spaCy pipeline."""
        meta = nlp.meta
        return cls(kg.__version__, f"{meta['lang']}_{meta['name']}", str(meta["version"]))


def _segment(value: str) -> str:
    """A readable, percent-safe IRI path segment: NFC, spaces to `_`, everything else quoted."""
    if _PLAIN_SEGMENT.fullmatch(value) and value.strip("."):
        return value
    text = unicodedata.normalize("NFC", _SURROGATES.sub("\ufffd", value)).replace(" ", "_")
    encoded = quote(text, safe=_SAFE, errors="strict")
    if encoded.strip(".") == "":
        # "." and ".." are dot segments that IRI resolution would remove.
        encoded = encoded.replace(".", "%2E")
    return encoded


def checked_node(iri: str) -> ox.NamedNode:
    """`iri` as an Oxigraph node, which Oxigraph makes only after its strict RFC 3987 check."""
    try:
        return ox.NamedNode(iri)
    except ValueError as error:
        raise ValueError(f"not a valid IRI: <{iri}> ({error})") from None


def _ref(node: ox.NamedNode) -> URIRef:
    return URIRef(node.value)


@lru_cache(maxsize=1 << 16)
def _actor_node(base: str, type_: str, name: str) -> ox.NamedNode:
    """Cached: the same actors come back in article after article."""
    if type_ not in ACTOR_TYPES:
        raise ValueError(f"unknown actor type {type_!r}")
    if not name:
        raise ValueError(f"{type_} without a name")
    return checked_node(f"{base}{type_.lower()}/{_segment(name)}")


@lru_cache(maxsize=16)
def _run_nodes(base: str, run: RunInfo) -> tuple[ox.NamedNode, ox.NamedNode]:
    """The run's and its model's nodes; cached, as every article of a build names them."""
    model = _segment(f"{run.model_name}-{run.model_version}")
    return (
        checked_node(f"{base}run/{_segment(run.software_version)}/{model}"),
        checked_node(f"{base}model/{_segment(run.model_name)}/{_segment(run.model_version)}"),
    )


def _is_index(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_actor_key(key: str) -> Actor:
    """The actor a key "Type:Name" stands for, for keys no `Actor` record was written for."""
    type_, sep, name = key.partition(":")
    if not sep or type_ not in ACTOR_TYPES or not name:
        raise ValueError(f"malformed actor key {key!r} (expected 'Type:Name', Type in ACTOR_TYPES)")
    return Actor(type_, name)


class ArticleIris:
    """The IRIs under one article's IRI, minted without encoding the article id again."""

    def __init__(self, article: ox.NamedNode) -> None:
        self.node = article
        self.iri = article.value
        # NIF-style `#char=start,end`; `/char=` when the base already has a `#`.
        self._span_prefix = f"{self.iri}{'/' if '#' in self.iri else '#'}char="

    def context(self) -> ox.NamedNode:
        return checked_node(f"{self.iri}/context")

    def span(self, start: int, end: int) -> ox.NamedNode:
        return checked_node(f"{self._span_prefix}{int(start)},{int(end)}")

    def event(self, event: Event) -> ox.NamedNode:
        if event.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {event.type!r}")
        return checked_node(f"{self.iri}/event/{_segment(event.key)}")

    def relation(self, n: int) -> ox.NamedNode:
        return checked_node(f"{self.iri}/relation/{int(n)}")


class IriMinter:
    """Mints the stable, readable IRIs of articles, spans, events, actors, relations and runs.

    The `*_node`/`*_nodes` methods and `in_article` give Oxigraph nodes (the mapping's fast
    path); the others give the same IRIs as rdflib `URIRef`s.
    """

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        scheme = urlsplit(base_iri).scheme
        if scheme not in ("http", "https") or not base_iri.endswith(("/", "#")):
            raise ValueError(
                f"base IRI must be an absolute http(s) IRI ending in '/' or '#': {base_iri!r}"
            )
        self.base = checked_node(base_iri).value

    def article_node(self, article_id: str) -> ox.NamedNode:
        return checked_node(f"{self.base}article/{_segment(article_id)}")

    def in_article(self, article_id: str) -> ArticleIris:
        return ArticleIris(self.article_node(article_id))

    def actor_node(self, type_: str, name: str) -> ox.NamedNode:
        return _actor_node(self.base, type_, name)

    def run_nodes(self, run: RunInfo) -> tuple[ox.NamedNode, ox.NamedNode]:
        """The nodes of the run and of the model it used."""
        return _run_nodes(self.base, run)

    def article(self, article_id: str) -> URIRef:
        return _ref(self.article_node(article_id))

    def context(self, article_id: str) -> URIRef:
        return _ref(self.in_article(article_id).context())

    def span(self, article_id: str, start: int, end: int) -> URIRef:
        """A NIF-style span IRI (`#char=start,end`; `/char=` when the base already has a `#`)."""
        return _ref(self.in_article(article_id).span(start, end))

    def event(self, article_id: str, event: Event) -> URIRef:
        return _ref(self.in_article(article_id).event(event))

    def actor(self, actor: Actor | str, name: str | None = None) -> URIRef:
        """The actor's IRI: `actor(Actor(...))` or `actor("Person", "Alexander Lukashenko")`."""
        type_, name = (actor.type, actor.name) if isinstance(actor, Actor) else (actor, name)
        return _ref(self.actor_node(type_, name or ""))

    def relation(self, article_id: str, n: int) -> URIRef:
        return _ref(self.in_article(article_id).relation(n))

    def run(self, run: RunInfo) -> URIRef:
        return _ref(self.run_nodes(run)[0])

    def model(self, run: RunInfo) -> URIRef:
        return _ref(self.run_nodes(run)[1])


def text_literal(value: str) -> ox.Literal:
    """A plain string literal that survives every serialization (lone surrogates become U+FFFD)."""
    try:
        return ox.Literal(value)
    except ValueError:  # lone surrogates are not UTF-8, so Oxigraph refuses them
        return ox.Literal(_SURROGATES.sub("\ufffd", value))


@lru_cache(maxsize=1 << 14)
def index_literal(value: int) -> ox.Literal:
    """Cached: offsets repeat (a span ends where the next begins)."""
    return ox.Literal(str(int(value)), datatype=_NON_NEGATIVE)


def date_literal(value: str) -> ox.Literal:
    """An ISO date at the precision the text gives: xsd:date, xsd:gYearMonth or xsd:gYear."""
    for pattern, datatype in _DATE_FORMS:
        if pattern.fullmatch(value):
            if datatype == _XSD_DATE:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    break
            return ox.Literal(value, datatype=datatype)
    raise ValueError(f"event date {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY")


def count_literal(value: int) -> ox.Literal:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"event count {value!r} is not a non-negative integer")
    return index_literal(value)


def new_graph(identifier: URIRef | None = None) -> Graph:
    """An empty graph with the newskg prefixes bound."""
    graph = Graph(identifier=identifier, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


class _ArticleMapper:
    """Collects one article's triples; actors are described when first referenced.

    Triples are kept as term tuples and made `ox.Triple`s once, deduplicated and sorted, at
    the end (a Python call per triple would cost as much as Oxigraph's own work): the
    `TripleList` keeps the tuples too, for the stages after the mapping.
    """

    def __init__(self, article: Article, doc: Doc, run: RunInfo, minter: IriMinter) -> None:
        if doc_text(doc) != article.text:
            raise ValueError(f"{article.source}: the Doc's text is not the article's text")
        self.article = article
        self.text = article.text
        self.doc = doc
        self.run = run
        self.minter = minter
        self.iris = minter.in_article(article.id)
        self.iri = self.iris.node
        self.context = self.iris.context()
        self.actors: dict[str, Actor] = doc._.actors or {}
        self.triples: list[TermTriple] = []
        self._labels: dict[ox.NamedNode, str] = {}
        self._actor_nodes: dict[str, ox.NamedNode] = {}
        self._spans: dict[tuple[int, int], ox.NamedNode] = {}

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self.triples.append((s, p, o))

    def map(self) -> TripleList:
        self.map_article()
        self.map_run()
        for mention in self.doc._.mentions or []:
            span = self.span(mention.start, mention.end, _PHRASE, expected=mention.text)
            self.add(self.actor(mention.actor), _MENTION, span)
        events = self.map_events()
        self.map_actor_relations()
        self.map_event_relations(events)
        return TripleList(self.triples)

    def map_article(self) -> None:
        article, iri = self.article, self.iri
        self.add(iri, _TYPE, _ARTICLE)
        self.add(iri, _TYPE, _NEWS_ARTICLE)
        if article.headline:
            self.add(iri, _HEADLINE, text_literal(article.headline))
        if article.published:
            published = ox.Literal(article.published.isoformat(), datatype=_XSD_DATE)
            self.add(iri, _DATE_PUBLISHED, published)
        for author in article.authors:
            self.add(iri, _AUTHOR, text_literal(author))
        place = self.dateline_key()
        if place:
            self.add(iri, _DATELINE, self.actor(place))
        if article.url and urlsplit(article.url).scheme in ("http", "https"):
            with contextlib.suppress(ValueError):  # a URL that is not an IRI is dropped
                self.add(iri, _URL, checked_node(article.url))
        self.add(iri, _CONTEXT, self.context)
        self.add(iri, _GENERATED_BY, self.minter.run_nodes(self.run)[0])
        self.add(self.context, _TYPE, _CONTEXT_CLASS)
        self.add(self.context, _IS_STRING, text_literal(self.text))
        self.add(self.context, _BEGIN, index_literal(0))
        self.add(self.context, _END, index_literal(len(self.text)))

    def dateline_key(self) -> str | None:
        """The place of the dateline ("Vilnius, Lithuania" -> the city), as an actor key."""
        city = (self.article.dateline or "").split(",")[0].strip()
        if not city:
            return None
        wanted = city.casefold()
        for type_ in _PLACE_TYPES:
            for key in sorted(self.actors):
                actor = self.actors[key]
                if actor.type == type_ and actor.name.casefold() == wanted:
                    return key
        return f"Location:{city}"

    def map_run(self) -> None:
        run, model = self.minter.run_nodes(self.run)
        info = self.run
        self.add(run, _TYPE, _ACTIVITY)
        label = f"newskg {info.software_version} with {info.model_name} {info.model_version}"
        self.add(run, _LABEL, text_literal(label))
        self.add(run, _SOFTWARE_VERSION, text_literal(info.software_version))
        self.add(run, _USED, model)
        self.add(model, _TYPE, _ENTITY)
        self.add(model, _LABEL, text_literal(info.model_name))
        self.add(model, _VERSION, text_literal(info.model_version))

    def actor(self, key: str) -> ox.NamedNode:
        """The node of the actor with this key, adding its description on first use."""
        node = self._actor_nodes.get(key)
        if node is not None:
            return node
        actor = self.actors.get(key) or parse_actor_key(key)
        node = self.minter.actor_node(actor.type, actor.name)
        self._actor_nodes[key] = node
        for type_ in _ACTOR_TYPE_NODES[actor.type]:
            self.add(node, _TYPE, type_)
        label = self._labels.setdefault(node, actor.name)
        names = {actor.name, *actor.aliases} - {label, ""}
        if label == actor.name:
            self.add(node, _LABEL, text_literal(label))
        for name in sorted(names):
            self.add(node, _ALT_LABEL, text_literal(name))
        for title in sorted(actor.titles):
            if title:
                self.add(node, _TITLE, text_literal(title))
        return node

    def span(
        self, start: int, end: int, kind: ox.NamedNode, expected: str | None = None
    ) -> ox.NamedNode:
        """A `nif:String` over `text[start:end]`; offsets that do not index the text are a bug.

        Described once, however many events and relations a sentence is the evidence of.
        """
        if not (_is_index(start) and _is_index(end) and 0 <= start <= end <= len(self.text)):
            raise ValueError(
                f"{self.article.source}: span {start!r}-{end!r} outside the text "
                f"(length {len(self.text)})"
            )
        anchor = self.text[start:end]
        if expected is not None and anchor != expected:
            raise ValueError(
                f"{self.article.source}: mention {expected!r} at {start}-{end} "
                f"does not match the text there ({anchor!r})"
            )
        span = self._spans.get((start, end))
        if span is not None:
            self.add(span, _TYPE, kind)
            return span
        span = self._spans[start, end] = self.iris.span(start, end)
        self.triples += (
            (span, _TYPE, _STRING),
            (span, _TYPE, kind),
            (span, _ANCHOR_OF, text_literal(anchor)),
            (span, _BEGIN, index_literal(start)),
            (span, _END, index_literal(end)),
            (span, _REFERENCE_CONTEXT, self.context),
        )
        return span

    def map_events(self) -> dict[str, ox.NamedNode]:
        """Add every event (the first of several with one key); return key -> event node."""
        nodes: dict[str, ox.NamedNode] = {}
        for event in self.doc._.events or []:
            if event.key not in nodes:
                nodes[event.key] = self.map_event(event)
        return nodes

    def map_event(self, event: Event) -> ox.NamedNode:
        node = self.iris.event(event)
        for type_ in (_NKG_NAMED[event.type], _EVENT_CLASS, _SEM_EVENT):
            self.add(node, _TYPE, type_)
        self.add(node, _TRIGGER, text_literal(event.trigger))
        for attribute, prop in _ROLES:
            for key in getattr(event, attribute):
                self.add(node, prop, self.actor(key))
        if event.location:
            self.add(node, _LOCATION, self.actor(event.location))
        if event.date:
            self.add(node, _DATE, date_literal(event.date))
        if event.count is not None:
            self.add(node, _COUNT, count_literal(event.count))
        if event.modality not in _MODALITY_NODES:
            known = sorted(_MODALITY_NODES)
            raise ValueError(f"unknown modality {event.modality!r} (known: {known})")
        self.add(node, _MODALITY, _MODALITY_NODES[event.modality])
        if event.quote:
            self.add(node, _QUOTE, text_literal(event.quote))
        self.add(node, _EVIDENCE, self.span(event.sent_start, event.sent_end, _SENTENCE))
        self.add(node, _DERIVED_FROM, self.iri)
        return node

    def map_actor_relations(self) -> None:
        """A direct triple per relation, and an `rdf:Statement` carrying its evidence."""
        relations: list[ActorRelation] = sorted(
            set(self.doc._.actor_relations or []),
            key=lambda r: (r.subject, r.predicate, r.object, r.sent_start, r.sent_end),
        )
        for n, relation in enumerate(relations):
            if relation.predicate not in ACTOR_RELATIONS:
                raise ValueError(f"unknown actor relation {relation.predicate!r}")
            subject, obj = self.actor(relation.subject), self.actor(relation.object)
            predicate = _NKG_NAMED[relation.predicate]
            self.add(subject, predicate, obj)
            statement = self.iris.relation(n)
            self.add(statement, _TYPE, _STATEMENT)
            self.add(statement, _SUBJECT, subject)
            self.add(statement, _PREDICATE, predicate)
            self.add(statement, _OBJECT, obj)
            sentence = self.span(relation.sent_start, relation.sent_end, _SENTENCE)
            self.add(statement, _EVIDENCE, sentence)
            self.add(statement, _DERIVED_FROM, self.iri)

    def map_event_relations(self, events: dict[str, ox.NamedNode]) -> None:
        """Direct triples between events; relations naming an event not in the Doc are skipped."""
        for relation in self.doc._.event_relations or []:
            if relation.predicate not in EVENT_RELATIONS:
                raise ValueError(f"unknown event relation {relation.predicate!r}")
            if relation.subject in events and relation.object in events:
                predicate = _NKG_NAMED[relation.predicate]
                self.add(events[relation.subject], predicate, events[relation.object])


def article_triples(article: Article, doc: Doc, *, run: RunInfo, minter: IriMinter) -> TripleList:
    """The triples of one annotated article, each once, under the vocabulary of DESIGN.md:
    a `TripleList`, in canonical order and with their terms.

    Raises ValueError when the annotations are inconsistent (offsets that do not index the
    text, unknown types, malformed dates, an IRI Oxigraph rejects): such a bug must never reach
    the output.
    """
    with paused_gc():
        return _ArticleMapper(article, doc, run, minter).map()


#: rdflib checks every IRI it is given; vocabulary terms and spans recur in triple after triple.
def article_graph(article: Article, doc: Doc, *, run: RunInfo, minter: IriMinter) -> Graph:
    """`article_triples` as an rdflib graph named by the article's IRI, for rdflib callers."""
    triples = article_triples(article, doc, run=run, minter=minter)
    graph = new_graph(minter.article(article.id))
    graph.addN((rdflib_term(s), rdflib_term(p), rdflib_term(o), graph) for s, p, o in triples.terms)
    return graph
