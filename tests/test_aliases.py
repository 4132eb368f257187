"""newskg_aliases: surnames, titled forms, roles, pronouns and acronyms linked to actors."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp import build_pipeline
from kg.settings import DEFAULT_MODEL


@pytest.fixture(scope="session")
def nlp() -> Language:
    return build_pipeline(DEFAULT_MODEL)


def run(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc._.published = "2025-05-16"
    return nlp(doc)


def mentions_of(doc: Doc, key: str) -> list[str]:
    return [m.text for m in doc._.mentions if m.actor == key]


def test_surname_and_possessive_link_to_the_full_name(nlp: Language) -> None:
    doc = run(
        nlp,
        "Opposition leader Marta Kowalczyk returned home on Monday. "
        "Kowalczyk’s supporters cheered, and Kowalczyk thanked them.",
    )
    key = "Person:Marta Kowalczyk"
    assert mentions_of(doc, key).count("Kowalczyk") == 2
    assert "Kowalczyk" in doc._.actors[key].aliases
    for mention in doc._.mentions:
        assert doc.text[mention.start : mention.end] == mention.text


def test_titled_forms_are_aliases_and_titles_are_kept(nlp: Language) -> None:
    doc = run(
        nlp,
        "Moldovan President Ion Popa met U.S. President Donald Trump at the White House. "
        "Trump praised Popa.",
    )
    popa = doc._.actors["Person:Ion Popa"]
    trump = doc._.actors["Person:Donald Trump"]
    assert "Moldovan President Ion Popa" in popa.aliases
    assert "U.S. President Donald Trump" in trump.aliases
    assert "President" in popa.titles and "President" in trump.titles
    assert any(m.kind == "title" for m in doc._.mentions if m.actor == trump.key)


def test_role_description_links_to_the_leader(nlp: Language) -> None:
    doc = run(
        nlp,
        "Serbian President Nikola Petrovic spoke with German Chancellor Anna Weber on Monday. "
        "The Serbian leader later said the call went well.",
    )
    assert "The Serbian leader" in mentions_of(doc, "Person:Nikola Petrovic")
    assert "The Serbian leader" not in mentions_of(doc, "Person:Anna Weber")


def test_pronoun_links_to_the_latest_person_subject(nlp: Language) -> None:
    doc = run(nlp, "Judge Tomas Berg read the verdict aloud. He then left the courtroom.")
    pronouns = [m for m in doc._.mentions if m.kind == "pronoun"]
    assert [(m.text, m.actor) for m in pronouns] == [("He", "Person:Tomas Berg")]
    assert "He" not in doc._.actors["Person:Tomas Berg"].aliases


def test_pronoun_respects_gender_when_known(nlp: Language) -> None:
    doc = run(nlp, "Svetlana Orlova said the vote was rigged. He disagreed.")
    assert not [m for m in doc._.mentions if m.kind == "pronoun"]


def test_organization_description_needs_the_organization(nlp: Language) -> None:
    doc = run(nlp, "The European Union approved new tariffs, and the bloc will vote again.")
    assert "the bloc" in mentions_of(doc, "Organization:European Union")
    doc = run(nlp, "The bloc of voters stayed home.")
    assert not any(k.startswith("Organization:European Union") for k in doc._.actors)


def test_parenthesised_acronym_joins_its_organization(nlp: Language) -> None:
    doc = run(
        nlp,
        "The Democratic Renewal Movement (DRM) won the vote. The DRM promised reforms.",
    )
    org = next(a for a in doc._.actors.values() if a.name.endswith("Democratic Renewal Movement"))
    assert "DRM" in org.aliases


def test_apposition_describes_the_person(nlp: Language) -> None:
    doc = run(nlp, "Police detained Oleg Sokolov, a freelance photographer, on Friday.")
    sokolov = doc._.actors["Person:Oleg Sokolov"]
    assert "a freelance photographer" in sokolov.aliases
    assert "photographer" in sokolov.titles


def test_definite_group_joins_the_earlier_counted_group(nlp: Language) -> None:
    doc = run(
        nlp,
        "Officials released 31 political prisoners on Monday. The prisoners were driven "
        "to the border, and the 31 crossed on foot.",
    )
    key = "Group:31 political prisoners"
    assert key in doc._.actors
    texts = mentions_of(doc, key)
    assert "The prisoners" in texts
    assert "the 31" in texts
    assert "Group:prisoners" not in doc._.actors


def test_title_noun_links_to_the_only_holder(nlp: Language) -> None:
    doc = run(nlp, "Bishop Mateo Ruiz was sentenced on Friday. The bishop denied the charges.")
    assert "The bishop" in mentions_of(doc, "Person:Mateo Ruiz")


def test_place_descriptions_and_capitals(nlp: Language) -> None:
    doc = run(
        nlp,
        "Crowds gathered in the Siberian city of Omsk. Police also dispersed a rally in "
        "Yerevan, the Armenian capital.",
    )
    assert "Siberian city of Omsk" in doc._.actors["Location:Omsk"].aliases
    assert "the Armenian capital" in mentions_of(doc, "Location:Yerevan")


def test_relational_title_keeps_the_possessive(nlp: Language) -> None:
    doc = run(nlp, "The minister arrived with his daughter Irina Volkova on Monday.")
    assert "his daughter Irina Volkova" in doc._.actors["Person:Irina Volkova"].aliases


def test_then_title_is_part_of_the_titled_form(nlp: Language) -> None:
    doc = run(nlp, "The plan was drafted by then-Secretary of State Paul Harmon in 2019.")
    assert "then-Secretary of State Paul Harmon" in doc._.actors["Person:Paul Harmon"].aliases


def test_demonym_authorities_and_possessive_government_are_the_state(nlp: Language) -> None:
    doc = run(
        nlp,
        "Serbian authorities detained 40 people in Serbia on Monday. "
        "Germany's government criticized the arrests.",
    )
    assert "Serbian authorities" in mentions_of(doc, "Country:Serbia")
    assert "Germany's government" in mentions_of(doc, "Country:Germany")
    assert "Group:Serbian authorities" not in doc._.actors


def test_bare_government_is_the_story_country(nlp: Language) -> None:
    doc = run(
        nlp,
        "Protests spread across Armenia on Sunday. Armenian police detained dozens in Armenia. "
        "The government said the rallies were illegal.",
    )
    assert "The government" in mentions_of(doc, "Country:Armenia")


def test_bare_party_is_the_latest_named_party(nlp: Language) -> None:
    doc = run(
        nlp,
        "The Freedom Party of Austria won the vote. Critics said the party had promised too much.",
    )
    key = next(k for k in doc._.actors if k.startswith("Organization:Freedom Party"))
    assert "party" in " ".join(mentions_of(doc, key))


def test_name_with_lowercase_suffix_noun_is_an_alias(nlp: Language) -> None:
    doc = run(nlp, "Videos posted on the Nexta channel showed the crowds.")
    assert "Nexta channel" in doc._.actors["Organization:Nexta"].aliases


def test_gazetteer_description_stands_for_the_country(nlp: Language) -> None:
    doc = run(
        nlp,
        "Kazakhstan freed 12 activists on Monday. Protests have shaken "
        "the Central Asian nation since January.",
    )
    assert "the Central Asian nation" in mentions_of(doc, "Country:Kazakhstan")


def test_description_of_a_place_keeps_its_adjective(nlp: Language) -> None:
    doc = run(nlp, "The talks were held on the Caribbean island of Jamaica in May.")
    assert "Caribbean island of Jamaica" in doc._.actors["Country:Jamaica"].aliases


def test_bare_capital_is_the_capital_of_the_story_country(nlp: Language) -> None:
    doc = run(
        nlp,
        "Police in Belgrade detained 30 people. Serbia said the rallies were illegal, "
        "and Serbian police said more arrests followed in the capital.",
    )
    assert "the capital" in mentions_of(doc, "Location:Belgrade")


def pronoun_links(doc: Doc) -> list[tuple[str, str]]:
    return [(m.text, m.actor) for m in doc._.mentions if m.kind == "pronoun"]


def test_pronoun_prefers_the_main_clause_subject_to_a_relative_clause_subject(
    nlp: Language,
) -> None:
    doc = run(
        nlp,
        "Mayor Deniz Aksoy was first elected in 2019, winning the city where President Kemal "
        "Ozturk had begun his career, and he won again last year. In 2022, he was fined.",
    )
    links = pronoun_links(doc)
    assert ("his", "Person:Kemal Ozturk") in links
    assert [key for text, key in links if text == "he"] == ["Person:Deniz Aksoy"] * 2


def test_pronoun_falls_back_to_a_compatible_person_who_is_no_subject(nlp: Language) -> None:
    doc = run(
        nlp,
        "Police detained the husband of Olga Petrenko on Monday. She said the arrest was illegal.",
    )
    assert ("She", "Person:Olga Petrenko") in pronoun_links(doc)


def test_pronoun_chain_carries_across_sentences(nlp: Language) -> None:
    doc = run(
        nlp,
        "The court heard from Marta Lisowska, a teacher. She was detained in May. "
        "Police later searched the flat. She was released on Friday.",
    )
    assert [key for text, key in pronoun_links(doc) if text == "She"] == [
        "Person:Marta Lisowska"
    ] * 2


def test_pronoun_in_a_quote_is_not_the_speaker(nlp: Language) -> None:
    doc = run(
        nlp,
        "Activist Pavel Hrib refused to leave, Andrei Sokal told reporters. "
        "“He will not go into exile,” Sokal added.",
    )
    assert ("He", "Person:Pavel Hrib") in pronoun_links(doc)


def test_object_pronoun_is_not_the_subject_of_its_own_clause(nlp: Language) -> None:
    doc = run(nlp, "Viktor Lasko was arrested in May. Judge Marek Novak sentenced him on Friday.")
    assert ("him", "Person:Viktor Lasko") in pronoun_links(doc)


def test_reflexive_pronoun_is_the_subject_of_its_clause(nlp: Language) -> None:
    doc = run(
        nlp,
        "Judge Marek Novak freed the men. Negotiator Luis Ferrer posted a photo of himself "
        "with them.",
    )
    assert ("himself", "Person:Luis Ferrer") in pronoun_links(doc)


def test_pronoun_after_an_unnamed_person_is_left_alone(nlp: Language) -> None:
    doc = run(
        nlp,
        "Minister Ivan Kolar praised the police. One protester was killed, and officials said "
        "he was hit by a truck.",
    )
    assert not [link for link in pronoun_links(doc) if link[0] == "he"]


def test_they_and_them_link_to_the_one_group_nearby(nlp: Language) -> None:
    doc = run(nlp, "Police detained 40 activists on Sunday and released them on Monday.")
    links = pronoun_links(doc)
    assert len(links) == 1 and links[0][0] == "them"
    assert links[0][1].startswith("Group:") and "activists" in links[0][1]
    doc = run(nlp, "Police detained 40 activists on Sunday and released some of them.")
    assert not pronoun_links(doc)


def test_groups_with_the_same_count_are_one_group(nlp: Language) -> None:
    doc = run(
        nlp,
        "The government freed 120 opponents on Friday. The 120 freed political prisoners "
        "flew to Madrid, and the 120 others were met by relatives.",
    )
    groups = [key for key in doc._.actors if key.startswith("Group:") and "120" in key]
    assert groups == ["Group:120 freed political prisoners"]
    aliases = doc._.actors[groups[0]].aliases
    assert "120 opponents" in aliases


def test_small_counts_do_not_merge_groups(nlp: Language) -> None:
    doc = run(nlp, "Two journalists were jailed, and two lawyers were fined.")
    groups = [key for key in doc._.actors if key.startswith("Group:")]
    assert len(groups) == 2


def test_description_of_a_person_must_be_a_person_noun(nlp: Language) -> None:
    doc = run(
        nlp,
        "The deal freed opposition figure Ilya Borin and Vadim Karas, a dual citizen who was "
        "jailed last year for treason, a verdict that he called a political vendetta.",
    )
    for actor in doc._.actors.values():
        assert not any(alias.startswith("a verdict") for alias in actor.aliases)


def test_titled_phrase_stops_at_a_coordinated_name(nlp: Language) -> None:
    doc = run(
        nlp,
        "It followed a phone call between U.S. President Donald Trump and Moldova’s President "
        "Alexandru Rusu on Friday.",
    )
    popa = doc._.actors["Person:Alexandru Rusu"]
    assert not any("Trump" in alias for alias in popa.aliases)


def test_possessive_in_a_relative_clause_belongs_to_the_named_head(nlp: Language) -> None:
    doc = run(
        nlp,
        "President Elena Marin spoke with Viktor Hale on Monday. It was a win for Hale, "
        "who has ruled his party for a decade.",
    )
    assert ("his", "Person:Viktor Hale") in pronoun_links(doc)


def test_possessive_in_a_relative_clause_of_an_unnamed_person_is_left_alone(
    nlp: Language,
) -> None:
    doc = run(
        nlp,
        "Senator Paul Reyes praised the deal. It was a turnaround for a leader who has been "
        "shunned for his crackdown.",
    )
    assert not [link for link in pronoun_links(doc) if link[0] == "his"]


def test_pronoun_after_an_unnamed_court_still_links_to_the_defendant(nlp: Language) -> None:
    doc = run(
        nlp,
        "Reporter Ivan Duda was detained in March. Last month a court convicted him of spying.",
    )
    assert ("him", "Person:Ivan Duda") in pronoun_links(doc)
