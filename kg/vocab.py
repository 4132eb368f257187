"""The newskg vocabulary ; `tests/test_vocab.py` keeps it in step with the ontology."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

NKG_IRI = "https://w3id.org/newskg/ontology#"
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")


class NKG(DefinedNamespace):
    """Terms of `ontology/newskg.ttl`; a typo is an AttributeError, not a new IRI."""

    _NS = Namespace(NKG_IRI)
    _fail = True

    # classes: articles, actors, places
    Article: URIRef
    Person: URIRef
    Organization: URIRef
    Country: URIRef
    Location: URIRef
    Group: URIRef
    # classes: events
    Event: URIRef
    PrisonerRelease: URIRef
    SanctionsRelief: URIRef
    SanctionsImposition: URIRef
    Arrest: URIRef
    Conviction: URIRef
    Deportation: URIRef
    Meeting: URIRef
    PhoneCall: URIRef
    Agreement: URIRef
    MilitaryAction: URIRef
    Protest: URIRef
    Election: URIRef
    Accusation: URIRef
    Request: URIRef
    Threat: URIRef
    Aid: URIRef
    Statement: URIRef
    # modality
    Modality: URIRef
    Asserted: URIRef
    Hypothetical: URIRef
    Negated: URIRef
    # article properties
    dateline: URIRef
    context: URIRef
    # actor properties
    mention: URIRef
    title: URIRef
    # actor relations
    leaderOf: URIRef
    memberOf: URIRef
    spouseOf: URIRef
    relativeOf: URIRef
    advisorOf: URIRef
    envoyOf: URIRef
    allyOf: URIRef
    citizenOf: URIRef
    # event properties
    agent: URIRef
    affected: URIRef
    participant: URIRef
    mediator: URIRef
    location: URIRef
    date: URIRef
    count: URIRef
    modality: URIRef
    trigger: URIRef
    evidence: URIRef
    quote: URIRef
    # event relations
    causedBy: URIRef
    partOf: URIRef
    after: URIRef
    # ontology annotations
    ploverCategory: URIRef
    ploverMode: URIRef
    cameoCode: URIRef
