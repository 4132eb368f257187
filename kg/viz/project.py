"""Project the RDF graph onto a networkx graph that drawing tools can colour and filter.

Why a projection: Gephi, Cytoscape, matplotlib and the browser page all want plain nodes and
edges with flat attributes, not triples. Actors always become nodes. Events become nodes linked
to their actors (``events_as="nodes"``, the default: nothing is lost, events with one actor
included), or typed edges from agent to affected (``events_as="edges"``: a denser actor-to-actor
view; an event with fewer than two distinct actors has no edge there).

Attributes are plain ``str`` / ``int`` only, a missing value is left out (never ``None``), and
text is cleaned of control characters and characters XML cannot hold, because GraphML and GEXF
writers (and the tools reading them) choke on those. Labels and sentences stay untrusted text:
each writer escapes them for its own format.

Node ids are the resources' IRIs. Node attributes: ``label``, ``kind`` (``actor`` or
``event``), ``type`` (``Person`` ... or ``PrisonerRelease`` ...), for actors ``aliases`` and
``titles`` (joined with ``"; "``), for events ``plover``, ``cameo``, ``date`` (ISO, at the
precision the text gives), ``year``, ``count``, ``modality`` (``asserted``, ``hypothetical``,
``negated``), ``trigger``, ``sentence``, ``quote``, ``article``. Edge attributes: ``role``
(``agent``, ``affected``, ``participant``, ``mediator``, ``location``; an actor relation such
as ``leaderOf``; an event relation such as ``causedBy``) and ``label``; in ``edges`` mode event
edges also carry the event's attributes and ``event`` (its IRI), keyed by that IRI.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import combinations
from pathlib import Path

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.errors import KgError
from kg.settings import Settings
from kg.terms import rdflib_term
from kg.vocab import NIF, NKG, NKG_IRI

EVENTS_AS = ("nodes", "edges")
ACTOR_TYPES = ("Person", "Organization", "Country", "Location", "Group")
ROLES = ("agent", "affected", "participant", "mediator", "location")
ACTOR_RELATIONS = (
    "leaderOf", "memberOf", "spouseOf", "relativeOf", "advisorOf", "envoyOf", "allyOf",
    "citizenOf",
)  # fmt: skip
EVENT_RELATIONS = ("causedBy", "partOf", "after")
RDF_SUFFIXES = (".ttl", ".nt", ".trig", ".nq", ".jsonld", ".json-ld")
"""Inputs with these extensions are read as RDF; anything else is an article input."""

_NOT_XML = re.compile(
    "[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)  # C0/C1 controls, DEL, surrogates, U+FFFE/U+FFFF: invalid or discouraged in XML 1.0
_SPACE = re.compile(r"\s+")


def clean(text: object) -> str:
    """One line of text XML can hold: control characters dropped, whitespace runs collapsed."""
    return _SPACE.sub(" ", _NOT_XML.sub("", str(text))).strip()


def _local(iri: object) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


# --------------------------------------------------------------------------------------------
# Loading


def _add_quads(graph: Graph, quads: Iterable[object]) -> None:
    """Every quad's triple into `graph`: the view is the union of all named graphs."""
    _add_triples(graph, (quad.triple for quad in quads))  # type: ignore[attr-defined]


def _add_triples(graph: Graph, triples: Iterable[object]) -> None:
    for triple in triples:
        graph.add(
            (
                rdflib_term(triple.subject),
                rdflib_term(triple.predicate),
                rdflib_term(triple.object),
            )
        )


def _read_store(graph: Graph, path: Path) -> None:
    """All quads of an Oxigraph store, opened read-only so a running writer is not locked out."""
    import pyoxigraph as ox

    if not Path(path).is_dir():
        raise KgError(
            "no store here (create one with kg build or kg load --store)", source=str(path)
        )
    try:
        store = ox.Store.read_only(str(path))
    except OSError as error:
        reason = " ".join(str(error).split())[:200]
        if "CURRENT" in reason:
            reason = "not an Oxigraph store"
        raise KgError(f"cannot open store: {reason}", source=str(path)) from None
    _add_quads(graph, store.quads_for_pattern(None, None, None, None))


def _build_articles(inputs: Sequence[str], settings: Settings) -> Graph:
    """Build article inputs on the fly, exactly as `kg build` does (bad ones reported, skipped)."""
    from kg.build import build_in_memory

    articles, _ = build_in_memory(inputs, settings, err=sys.stderr)
    if not articles:
        raise KgError("no article could be built; nothing to draw", source=" ".join(inputs))
    merged = Graph()
    for _, triples in articles:
        _add_triples(merged, triples)
    return merged


def load_graph(inputs: Sequence[str], *, store: Path | None, settings: Settings) -> Graph:
    """One RDF graph, the union of RDF files, articles built on the fly and/or a store.

    RDF files are chosen by extension (`.ttl .nt .trig .nq .jsonld`); every other input is an
    article input (file, folder, JSON Lines, `-`), built the same way as by `kg build`.
    """
    from kg.store import read_quads

    graph = Graph()
    if store is not None:
        _read_store(graph, store)
    rdf = [name for name in inputs if name.lower().endswith(RDF_SUFFIXES)]
    articles = [name for name in inputs if name not in rdf]
    for name in rdf:
        _add_quads(graph, read_quads(Path(name)))
    if articles:
        graph += _build_articles(articles, settings)
    if not inputs and store is None:
        raise KgError("nothing to draw: give RDF files, articles or --store DIR")
    return graph


# --------------------------------------------------------------------------------------------
# Projection


@cache
def _ontology() -> Graph:
    from kg.resources import resource_path

    graph = Graph()
    graph.parse(resource_path("ontology", "newskg.ttl"), format="turtle")
    return graph


def _class_info(graph: Graph) -> dict[URIRef, dict[str, str]]:
    """Event class -> label, PLOVER and CAMEO codes (the input's own, else the ontology's)."""
    info: dict[URIRef, dict[str, str]] = {}
    for source in (_ontology(), graph):
        for prop, key in ((RDFS.label, "label"), (NKG.ploverCategory, "plover"),
                          (NKG.cameoCode, "cameo")):  # fmt: skip
            for cls, value in source.subject_objects(prop):
                if isinstance(cls, URIRef) and str(cls).startswith(NKG_IRI):
                    text = clean(value)
                    if text:
                        info.setdefault(cls, {})[key] = text
    return info


def _first(graph: Graph, subject: object, prop: URIRef) -> object | None:
    """The smallest value (stable whatever the parse order), or None."""
    values = sorted(graph.objects(subject, prop), key=str)  # type: ignore[arg-type]
    return values[0] if values else None


def _actor_attrs(graph: Graph, iri: URIRef, type_: str) -> dict[str, str | int]:
    label = _first(graph, iri, RDFS.label)
    attrs: dict[str, str | int] = {
        "kind": "actor",
        "type": type_,
        "label": clean(label) if label is not None else "",
    }
    if not attrs["label"]:
        attrs["label"] = clean(_local(iri).replace("_", " ")) or str(iri)
    aliases = sorted({clean(v) for v in graph.objects(iri, SKOS.altLabel)} - {"", attrs["label"]})
    titles = sorted({clean(v) for v in graph.objects(iri, NKG.title)} - {""})
    if aliases:
        attrs["aliases"] = "; ".join(aliases)
    if titles:
        attrs["titles"] = "; ".join(titles)
    return attrs


def _event_type(graph: Graph, iri: URIRef) -> URIRef:
    types = sorted(
        t for t in graph.objects(iri, RDF.type)
        if isinstance(t, URIRef) and str(t).startswith(NKG_IRI) and t != NKG.Event
    )  # fmt: skip
    return types[0] if types else NKG.Event


def _event_attrs(
    graph: Graph, iri: URIRef, classes: dict[URIRef, dict[str, str]]
) -> dict[str, str | int]:
    cls = _event_type(graph, iri)
    info = classes.get(cls, {})
    attrs: dict[str, str | int] = {"kind": "event", "type": _local(cls)}
    for key in ("plover", "cameo"):
        if key in info:
            attrs[key] = info[key]
    date = _first(graph, iri, NKG.date)
    if date is not None:
        attrs["date"] = clean(date)
        year = re.match(r"-?\d{4}", str(attrs["date"]))
        if year:
            attrs["year"] = int(year.group(0))
    count = _first(graph, iri, NKG["count"])
    if count is not None:
        with contextlib.suppress(ValueError):
            attrs["count"] = int(str(count))
    modality = _first(graph, iri, NKG.modality)
    if modality is not None:
        attrs["modality"] = _local(modality).lower()
    for prop, key in ((NKG.trigger, "trigger"), (NKG.quote, "quote")):
        value = _first(graph, iri, prop)
        if value is not None and clean(value):
            attrs[key] = clean(value)
    evidence = _first(graph, iri, NKG.evidence)
    if evidence is not None:
        sentence = _first(graph, evidence, NIF["anchorOf"])
        if sentence is not None and clean(sentence):
            attrs["sentence"] = clean(sentence)
    article = _first(graph, iri, PROV.wasDerivedFrom)
    if article is not None:
        attrs["article"] = clean(article)
    name = info.get("label") or _local(cls)
    attrs["label"] = f"{name} ({attrs['date']})" if "date" in attrs else name
    return attrs


def _actors(graph: Graph) -> dict[URIRef, str]:
    """Actor IRI -> actor type, for every typed actor and every role filler of an event."""
    actors: dict[URIRef, str] = {}
    for type_ in ACTOR_TYPES:
        for iri in graph.subjects(RDF.type, NKG[type_]):
            if isinstance(iri, URIRef):
                current = actors.get(iri)
                actors[iri] = min(current, type_) if current else type_
    for role in ROLES:
        for iri in graph.objects(None, NKG[role]):
            if isinstance(iri, URIRef) and iri not in actors:
                actors[iri] = "Location" if role == "location" else "Actor"
    return actors


def project(graph: Graph, *, events_as: str = "nodes") -> nx.MultiDiGraph:
    """The networkx view of `graph` (see the module docstring for nodes, edges and attributes).

    In "nodes" mode agents point at their event (actor -> event) and the event points at its
    affected, participants, mediators and location (event -> actor), so paths read as
    "agent does event to affected". In "edges" mode each agent gets an edge to each affected,
    participant and mediator; without an agent, participants are linked pairwise (in IRI order).
    """
    if events_as not in EVENTS_AS:
        raise KgError(f"unknown events_as {events_as!r} (known: {', '.join(EVENTS_AS)})")
    g = nx.MultiDiGraph(events_as=events_as)
    actors = _actors(graph)
    for iri in sorted(actors, key=str):
        g.add_node(str(iri), **_actor_attrs(graph, iri, actors[iri]))
    classes = _class_info(graph)
    events = sorted(
        {e for e in graph.subjects(RDF.type, NKG.Event) if isinstance(e, URIRef)}, key=str
    )
    event_attrs = {e: _event_attrs(graph, e, classes) for e in events}
    for event in events:
        attrs = event_attrs[event]
        roles = {
            role: sorted((a for a in graph.objects(event, NKG[role]) if a in actors), key=str)
            for role in ROLES
        }
        if events_as == "nodes":
            node = str(event)
            g.add_node(node, **attrs)
            for actor in roles["agent"]:
                g.add_edge(str(actor), node, key="agent", role="agent", label="agent")
            for role in ROLES[1:]:
                for actor in roles[role]:
                    g.add_edge(node, str(actor), key=role, role=role, label=role)
            continue
        details = {k: v for k, v in attrs.items() if k not in ("kind",)}
        details["label"] = str(attrs["type"])
        if "location" not in details and roles["location"]:
            details["location"] = str(g.nodes[str(roles["location"][0])]["label"])
        pairs: list[tuple[URIRef, URIRef, str]] = [
            (agent, other, role)
            for agent in roles["agent"]
            for role in ("affected", "participant", "mediator")
            for other in roles[role]
            if other != agent
        ]
        if not roles["agent"]:
            pairs = [(a, b, "participant") for a, b in combinations(roles["participant"], 2)]
        seen: set[tuple[URIRef, URIRef]] = set()
        for source, target, role in pairs:
            if (source, target) in seen:
                continue
            seen.add((source, target))
            g.add_edge(
                str(source), str(target), key=str(event), role=role, event=str(event), **details
            )
    for relation in ACTOR_RELATIONS:
        for subject, obj in sorted(graph.subject_objects(NKG[relation]), key=str):
            if subject in actors and obj in actors:
                g.add_edge(str(subject), str(obj), key=relation, role=relation, label=relation)
    if events_as == "nodes":
        for relation in EVENT_RELATIONS:
            for subject, obj in sorted(graph.subject_objects(NKG[relation]), key=str):
                if subject in event_attrs and obj in event_attrs:
                    g.add_edge(str(subject), str(obj), key=relation, role=relation, label=relation)
    return g


# --------------------------------------------------------------------------------------------
# Focus


def find_actor(g: nx.MultiDiGraph, label: str) -> str:
    """The actor node whose label or alias is `label` (case-insensitive); KgError if none."""
    wanted = clean(label).casefold()
    matches = []
    for node, data in g.nodes(data=True):
        if data.get("kind") != "actor":
            continue
        names = [str(data.get("label", ""))]
        names += [a for a in str(data.get("aliases", "")).split("; ") if a]
        if wanted in (name.casefold() for name in names):
            exact = str(data.get("label", "")).casefold() == wanted
            matches.append((not exact, node))
    if not matches:
        raise KgError(f"no actor labelled {label!r} in the graph (--focus)")
    return sorted(matches)[0][1]


def focus(g: nx.MultiDiGraph, label: str, depth: int) -> nx.MultiDiGraph:
    """The neighbourhood of one actor up to `depth` hops, edges followed in both directions.

    In "nodes" mode an event is a node, so actor -> event -> actor is two hops: depth 2 reaches
    the actors that share an event with the focus. In "edges" mode depth 1 already does.
    """
    if depth < 0:
        raise KgError(f"--depth must be 0 or more, not {depth}")
    start = find_actor(g, label)
    reach = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), start, depth)
    sub = g.subgraph(reach).copy()
    sub.graph["focus"] = start
    return sub
