"""Map an annotated `Doc` to RDF under the vocabulary contract; the only place IRIs are minted."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlsplit

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD
from spacy.tokens import Doc

import kg
from kg.article import Article
from kg.nlp import extensions as _extensions  # noqa: F401  (registers the Doc extensions)
from kg.nlp.types import (
    ACTOR_RELATIONS,
    ACTOR_TYPES,
    EVENT_RELATIONS,
    EVENT_TYPES,
    Actor,
    ActorRelation,
    Event,
)
from kg.settings import DEFAULT_BASE_IRI
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

#: Characters left as they are in an IRI path segment (besides ASCII letters, digits and `_.-~`).
_SAFE = "_-.~()',!"
_SURROGATES = re.compile("[\ud800-\udfff]")
_PLACE_TYPES = ("Location", "Country")
_SEM_TYPES: dict[str, tuple[URIRef, ...]] = {
    "Person": (SEM["Actor"],),
    "Organization": (SEM["Actor"],),
    "Group": (SEM["Actor"],),
    "Country": (SEM["Actor"], SEM["Place"]),
    "Location": (SEM["Place"],),
}
_MODALITIES: dict[str, URIRef] = {
    "asserted": NKG.Asserted,
    "hypothetical": NKG.Hypothetical,
    "negated": NKG.Negated,
}
_ROLES: tuple[tuple[str, URIRef], ...] = (
    ("agent", NKG["agent"]),
    ("affected", NKG["affected"]),
    ("participants", NKG["participant"]),
    ("mediator", NKG["mediator"]),
)
_DATE_FORMS: tuple[tuple[re.Pattern[str], URIRef], ...] = (
    (re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII), XSD.date),
    (re.compile(r"\d{4}-(0[1-9]|1[0-2])", re.ASCII), XSD.gYearMonth),
    (re.compile(r"\d{4}", re.ASCII), XSD.gYear),
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
    text = unicodedata.normalize("NFC", _SURROGATES.sub("\ufffd", value)).replace(" ", "_")
    encoded = quote(text, safe=_SAFE, errors="strict")
    if encoded.strip(".") == "":
        # "." and ".." are dot segments that IRI resolution would remove.
        encoded = encoded.replace(".", "%2E")
    return encoded


def checked_iri(iri: str) -> URIRef:
    """`iri` as a URIRef, after Oxigraph (a strict RFC 3987 parser) accepted it."""
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError as error:
        raise ValueError(f"not a valid IRI: <{iri}> ({error})") from None
    return URIRef(iri)


def parse_actor_key(key: str) -> Actor:
    """The actor a key "Type:Name" stands for, for keys no `Actor` record was written for."""
    type_, sep, name = key.partition(":")
    if not sep or type_ not in ACTOR_TYPES or not name:
        raise ValueError(f"malformed actor key {key!r} (expected 'Type:Name', Type in ACTOR_TYPES)")
    return Actor(type_, name)


class IriMinter:
    """Mints the stable, readable IRIs of articles, spans, events, actors, relations and runs."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        scheme = urlsplit(base_iri).scheme
        if scheme not in ("http", "https") or not base_iri.endswith(("/", "#")):
            raise ValueError(
                f"base IRI must be an absolute http(s) IRI ending in '/' or '#': {base_iri!r}"
            )
        self.base = str(checked_iri(base_iri))

    def article(self, article_id: str) -> URIRef:
        return checked_iri(f"{self.base}article/{_segment(article_id)}")

    def context(self, article_id: str) -> URIRef:
        return checked_iri(f"{self.article(article_id)}/context")

    def span(self, article_id: str, start: int, end: int) -> URIRef:
        """A NIF-style span IRI (`#char=start,end`; `/char=` when the base already has a `#`)."""
        article = str(self.article(article_id))
        sep = "/" if "#" in article else "#"
        return checked_iri(f"{article}{sep}char={int(start)},{int(end)}")

    def event(self, article_id: str, event: Event) -> URIRef:
        if event.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {event.type!r}")
        return checked_iri(f"{self.article(article_id)}/event/{_segment(event.key)}")

    def actor(self, actor: Actor | str, name: str | None = None) -> URIRef:
        """The actor's IRI: `actor(Actor(...))` or `actor("Person", "Alexander Lukashenko")`."""
        type_, name = (actor.type, actor.name) if isinstance(actor, Actor) else (actor, name)
        if type_ not in ACTOR_TYPES:
            raise ValueError(f"unknown actor type {type_!r}")
        if not name:
            raise ValueError(f"{type_} without a name")
        return checked_iri(f"{self.base}{type_.lower()}/{_segment(name)}")

    def relation(self, article_id: str, n: int) -> URIRef:
        return checked_iri(f"{self.article(article_id)}/relation/{int(n)}")

    def run(self, run: RunInfo) -> URIRef:
        model = _segment(f"{run.model_name}-{run.model_version}")
        return checked_iri(f"{self.base}run/{_segment(run.software_version)}/{model}")

    def model(self, run: RunInfo) -> URIRef:
        return checked_iri(
            f"{self.base}model/{_segment(run.model_name)}/{_segment(run.model_version)}"
        )


def text_literal(value: str) -> Literal:
    """A plain string literal that survives every serialization (lone surrogates become U+FFFD)."""
    return Literal(_SURROGATES.sub("\ufffd", value))


def index_literal(value: int) -> Literal:
    return Literal(int(value), datatype=XSD.nonNegativeInteger)


def date_literal(value: str) -> Literal:
    """An ISO date at the precision the text gives: xsd:date, xsd:gYearMonth or xsd:gYear."""
    for pattern, datatype in _DATE_FORMS:
        if pattern.fullmatch(value):
            if datatype == XSD.date:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    break
            return Literal(value, datatype=datatype)
    raise ValueError(f"event date {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY")


def count_literal(value: int) -> Literal:
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
    """Adds one article's triples to a graph; actors are added when first referenced."""

    def __init__(self, article: Article, doc: Doc, run: RunInfo, minter: IriMinter) -> None:
        if doc.text != article.text:
            raise ValueError(f"{article.source}: the Doc's text is not the article's text")
        self.article = article
        self.text = article.text
        self.doc = doc
        self.run = run
        self.minter = minter
        self.iri = minter.article(article.id)
        self.context = minter.context(article.id)
        self.actors: dict[str, Actor] = doc._.actors or {}
        self.graph = new_graph(self.iri)
        self._labels: dict[URIRef, str] = {}
        self._actor_iris: dict[str, URIRef] = {}

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.graph.add((s, p, o))

    def map(self) -> Graph:
        self.map_article()
        self.map_run()
        for mention in self.doc._.mentions or []:
            span = self.span(mention.start, mention.end, NIF["Phrase"], expected=mention.text)
            self.add(self.actor(mention.actor), NKG.mention, span)
        events = self.map_events()
        self.map_actor_relations()
        self.map_event_relations(events)
        return self.graph

    def map_article(self) -> None:
        article, iri = self.article, self.iri
        self.add(iri, RDF.type, NKG.Article)
        self.add(iri, RDF.type, SCHEMA["NewsArticle"])
        if article.headline:
            self.add(iri, SCHEMA["headline"], text_literal(article.headline))
        if article.published:
            self.add(iri, SCHEMA["datePublished"], Literal(article.published, datatype=XSD.date))
        for author in article.authors:
            self.add(iri, SCHEMA["author"], text_literal(author))
        place = self.dateline_key()
        if place:
            self.add(iri, NKG.dateline, self.actor(place))
        if article.url and urlsplit(article.url).scheme in ("http", "https"):
            with contextlib.suppress(ValueError):  # a URL that is not an IRI is dropped
                self.add(iri, SCHEMA["url"], checked_iri(article.url))
        self.add(iri, NKG.context, self.context)
        self.add(iri, PROV.wasGeneratedBy, self.minter.run(self.run))
        self.add(self.context, RDF.type, NIF["Context"])
        self.add(self.context, NIF["isString"], text_literal(self.text))
        self.add(self.context, NIF["beginIndex"], index_literal(0))
        self.add(self.context, NIF["endIndex"], index_literal(len(self.text)))

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
        run, model = self.minter.run(self.run), self.minter.model(self.run)
        info = self.run
        self.add(run, RDF.type, PROV.Activity)
        label = f"newskg {info.software_version} with {info.model_name} {info.model_version}"
        self.add(run, RDFS.label, text_literal(label))
        self.add(run, SCHEMA["softwareVersion"], text_literal(info.software_version))
        self.add(run, PROV.used, model)
        self.add(model, RDF.type, PROV.Entity)
        self.add(model, RDFS.label, text_literal(info.model_name))
        self.add(model, SCHEMA["version"], text_literal(info.model_version))

    def actor(self, key: str) -> URIRef:
        """The IRI of the actor with this key, adding its description on first use."""
        if key in self._actor_iris:
            return self._actor_iris[key]
        actor = self.actors.get(key) or parse_actor_key(key)
        iri = self.minter.actor(actor)
        self._actor_iris[key] = iri
        self.add(iri, RDF.type, NKG[actor.type])
        for sem_type in _SEM_TYPES[actor.type]:
            self.add(iri, RDF.type, sem_type)
        label = self._labels.setdefault(iri, actor.name)
        names = {actor.name, *actor.aliases} - {label, ""}
        if label == actor.name:
            self.add(iri, RDFS.label, text_literal(label))
        for name in sorted(names):
            self.add(iri, SKOS.altLabel, text_literal(name))
        for title in sorted(actor.titles):
            if title:
                self.add(iri, NKG.title, text_literal(title))
        return iri

    def span(self, start: int, end: int, kind: URIRef, expected: str | None = None) -> URIRef:
        """A `nif:String` over `text[start:end]`; offsets that do not index the text are a bug."""
        ok = all(isinstance(i, int) and not isinstance(i, bool) for i in (start, end))
        if not ok or not 0 <= start <= end <= len(self.text):
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
        span = self.minter.span(self.article.id, start, end)
        self.add(span, RDF.type, NIF["String"])
        self.add(span, RDF.type, kind)
        self.add(span, NIF["anchorOf"], text_literal(anchor))
        self.add(span, NIF["beginIndex"], index_literal(start))
        self.add(span, NIF["endIndex"], index_literal(end))
        self.add(span, NIF["referenceContext"], self.context)
        return span

    def map_events(self) -> dict[str, URIRef]:
        """Add every event (the first of several with one key); return key -> event IRI."""
        iris: dict[str, URIRef] = {}
        for event in self.doc._.events or []:
            if event.key not in iris:
                iris[event.key] = self.map_event(event)
        return iris

    def map_event(self, event: Event) -> URIRef:
        iri = self.minter.event(self.article.id, event)
        for type_ in (NKG[event.type], NKG.Event, SEM["Event"]):
            self.add(iri, RDF.type, type_)
        self.add(iri, NKG.trigger, text_literal(event.trigger))
        for attribute, prop in _ROLES:
            for key in getattr(event, attribute):
                self.add(iri, prop, self.actor(key))
        if event.location:
            self.add(iri, NKG.location, self.actor(event.location))
        if event.date:
            self.add(iri, NKG.date, date_literal(event.date))
        if event.count is not None:
            self.add(iri, NKG["count"], count_literal(event.count))
        if event.modality not in _MODALITIES:
            raise ValueError(f"unknown modality {event.modality!r} (known: {sorted(_MODALITIES)})")
        self.add(iri, NKG.modality, _MODALITIES[event.modality])
        if event.quote:
            self.add(iri, NKG.quote, text_literal(event.quote))
        self.add(iri, NKG.evidence, self.span(event.sent_start, event.sent_end, NIF["Sentence"]))
        self.add(iri, PROV.wasDerivedFrom, self.iri)
        return iri

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
            predicate = NKG[relation.predicate]
            self.add(subject, predicate, obj)
            statement = self.minter.relation(self.article.id, n)
            self.add(statement, RDF.type, RDF.Statement)
            self.add(statement, RDF.subject, subject)
            self.add(statement, RDF.predicate, predicate)
            self.add(statement, RDF.object, obj)
            sentence = self.span(relation.sent_start, relation.sent_end, NIF["Sentence"])
            self.add(statement, NKG.evidence, sentence)
            self.add(statement, PROV.wasDerivedFrom, self.iri)

    def map_event_relations(self, events: dict[str, URIRef]) -> None:
        """Direct triples between events; relations naming an event not in the Doc are skipped."""
        for relation in self.doc._.event_relations or []:
            if relation.predicate not in EVENT_RELATIONS:
                raise ValueError(f"unknown event relation {relation.predicate!r}")
            if relation.subject in events and relation.object in events:
                self.add(events[relation.subject], NKG[relation.predicate], events[relation.object])


def article_graph(article: Article, doc: Doc, *, run: RunInfo, minter: IriMinter) -> Graph:
    """The RDF graph of one annotated article, under the vocabulary contract of DESIGN.md.

    Raises ValueError when the annotations are inconsistent (offsets that do not index the
    text, unknown types, malformed dates): such a bug must never reach the output.
    """
    return _ArticleMapper(article, doc, run, minter).map()
