"""newskg_entities: NER spans corrected by gazetteers and rules into actors and mentions."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp import build_pipeline
from kg.nlp.entities import TokenTable, cluster_person_names, default_gazetteer, title_may_end
from kg.nlp.parse import Parse, parse_of
from kg.settings import DEFAULT_MODEL


@pytest.fixture(scope="session")
def nlp() -> Language:
    return build_pipeline(DEFAULT_MODEL)


def run(nlp: Language, text: str, published: str | None = "2025-03-14") -> Doc:
    doc = nlp.make_doc(text)
    doc._.published = published
    return nlp(doc)


def keys(doc: Doc) -> set[str]:
    return set(doc._.actors)


def test_mentions_index_the_text_exactly(nlp: Language) -> None:
    doc = run(
        nlp,
        "Moldova’s President Ana Rusu met Foreign Minister Pavel Ionescu in Chisinau.\n"
        "Rusu’s office said 40 detained protesters were freed.",
    )
    assert doc._.mentions
    for mention in doc._.mentions:
        assert doc.text[mention.start : mention.end] == mention.text
        assert mention.actor in doc._.actors
    starts = [m.start for m in doc._.mentions]
    assert starts == sorted(starts)


def test_country_names_are_canonical(nlp: Language) -> None:
    doc = run(
        nlp,
        "The U.S. imposed new tariffs. The United States said the move was fair, "
        "and Washington warned Ottawa against retaliation. Britain stayed silent.",
    )
    us = doc._.actors["Country:United States"]
    assert {"U.S.", "Washington"} <= us.aliases
    assert "Country:United Kingdom" in keys(doc)
    assert "Britain" in doc._.actors["Country:United Kingdom"].aliases
    assert not any(k.startswith("Location:Washington") for k in keys(doc))


def test_capital_is_a_place_or_the_state(nlp: Language) -> None:
    doc = run(nlp, "Minsk said it would release more prisoners after talks in Vilnius.")
    assert "Minsk" in doc._.actors["Country:Belarus"].aliases
    assert "Location:Vilnius" in keys(doc)
    metonyms = [m for m in doc._.mentions if m.kind == "metonym"]
    assert [m.text for m in metonyms] == ["Minsk"]

    doc = run(nlp, "Opposition leaders held talks in Minsk on Tuesday.")
    assert "Location:Minsk" in keys(doc)
    assert "Country:Belarus" not in keys(doc)


def test_relations_between_capitals_are_states(nlp: Language) -> None:
    doc = run(nlp, "Ties between Washington and Havana have improved slowly.")
    assert {"Country:United States", "Country:Cuba"} <= keys(doc)


def test_seat_of_government_is_the_country(nlp: Language) -> None:
    doc = run(nlp, "The Kremlin rejected the proposal on Monday.")
    assert "Country:Russia" in keys(doc)
    assert "Kremlin" in doc._.actors["Country:Russia"].aliases


def test_title_makes_a_person(nlp: Language) -> None:
    doc = run(nlp, "Foreign Minister Halvard Brekke arrived late. Brekke said little.")
    assert "Person:Halvard Brekke" in keys(doc)


def test_country_mislabelled_as_person_is_a_country(nlp: Language) -> None:
    doc = run(nlp, "Austria and Belarus signed a trade accord with Kazakhstan.")
    assert {"Country:Austria", "Country:Belarus", "Country:Kazakhstan"} <= keys(doc)
    assert not any(k.startswith("Person:") for k in keys(doc))


def test_gazetteer_airline_is_an_organization(nlp: Language) -> None:
    doc = run(nlp, "Sanctions on Belavia were eased, and Aeroflot flights resumed.")
    assert {"Organization:Belavia", "Organization:Aeroflot"} <= keys(doc)


def test_acronyms_of_known_organizations(nlp: Language) -> None:
    doc = run(nlp, "The EU and NATO met in Brussels, the AP reported.")
    assert "EU" in doc._.actors["Organization:European Union"].aliases
    assert "AP" in doc._.actors["Organization:Associated Press"].aliases
    assert "Organization:NATO" in keys(doc)


def test_country_possessive_is_split_from_the_person(nlp: Language) -> None:
    doc = run(nlp, "Hungary’ Viktor Orban spoke. Later, Orban left for Vienna.")
    assert "Country:Hungary" in keys(doc)
    assert "Person:Viktor Orban" in keys(doc)


def test_ministry_is_an_organization_not_a_person(nlp: Language) -> None:
    doc = run(nlp, "The Interior Ministry said 200 people were detained.")
    assert "Organization:Interior Ministry" in keys(doc)


def test_groups_with_counts_and_quantifiers(nlp: Language) -> None:
    doc = run(
        nlp,
        "Authorities freed 37 political prisoners. Tens of thousands of people marched, "
        "and border guards detained reporters and photographers.",
    )
    groups = {a.name for a in doc._.actors.values() if a.type == "Group"}
    assert "37 political prisoners" in groups
    assert "tens of thousands of people" in groups  # sentence case is not part of the name
    assert "border guards" in groups
    kinds = {m.kind for m in doc._.mentions if m.actor.startswith("Group:")}
    assert kinds == {"group"}


def test_group_name_drops_the_article(nlp: Language) -> None:
    doc = run(nlp, "The protesters gathered near the parliament building.")
    assert "Group:protesters" in keys(doc)


def test_demonyms_are_not_actors_but_resolve_to_countries(nlp: Language) -> None:
    doc = run(nlp, "Russian drones crossed into Moldovan airspace.")
    assert not any(k.startswith(("Country:", "Location:")) for k in keys(doc))
    gaz = default_gazetteer()
    assert gaz.country_for_demonym("Russian") == "Russia"
    assert gaz.country_for_demonym("Belarussian") == "Belarus"
    assert gaz.country_of("the Kremlin") == "Russia"


def test_person_names_cluster_to_the_longest_form() -> None:
    names = cluster_person_names(["Orban", "Viktor Orban", "Viktor", "Anna Novak"])
    assert names["Orban"] == "Viktor Orban"
    assert names["Viktor"] == "Viktor Orban"
    assert names["Anna Novak"] == "Anna Novak"


def test_country_gazetteer_covers_the_world() -> None:
    gaz = default_gazetteer()
    assert len(gaz.codes) >= 190
    assert gaz.countries["USA"] == "United States"
    assert gaz.countries["America"] == "United States"
    assert gaz.metonyms["Downing Street"] == "United Kingdom"
    assert gaz.capitals["Beijing"] == "China"


def test_unlabelled_full_name_is_a_person_when_its_surname_is_named(nlp: Language) -> None:
    doc = run(
        nlp,
        "Hanna Wiszniewska, the leading challenger in the vote, has left the country. "
        "Wiszniewska said on Monday that the results were false.",
    )
    assert "Person:Hanna Wiszniewska" in keys(doc)
    assert not any(k.startswith(("Organization:Wisz", "Location:Wisz")) for k in keys(doc))


def test_shared_surname_goes_to_the_person_named_first() -> None:
    names = ["Tomas Berezin", "Olga Maria Berezin", "Berezin"]
    assert cluster_person_names(names)["Berezin"] == "Tomas Berezin"


def test_gazetteer_cities_and_dateline_capitals_are_locations(nlp: Language) -> None:
    doc = run(nlp, "KHARKIV, Ukraine — Police detained dozens of people in Novosibirsk and Kaunas.")
    assert {"Location:Kharkiv", "Location:Novosibirsk", "Location:Kaunas"} <= keys(doc)


def test_demonym_border_is_a_place(nlp: Language) -> None:
    doc = run(nlp, "The prisoners were handed over at the Polish border crossing on Friday.")
    assert "Location:Polish border crossing" in keys(doc)


def test_place_suffix_is_an_alias_of_the_bare_place(nlp: Language) -> None:
    doc = run(nlp, "Crowds gathered again in the Kadikoy district of the city on Sunday.")
    locations = [a for a in doc._.actors.values() if a.type == "Location"]
    assert any(a.name == "Kadikoy" and "Kadikoy district" in a.aliases for a in locations)


def test_party_suffix_joins_the_named_party(nlp: Language) -> None:
    doc = run(
        nlp,
        "Members of Civic Platform met on Monday. The Civic Platform party said it would vote.",
    )
    assert "Organization:Civic Platform party" not in keys(doc)


def test_compass_word_and_country_is_a_region(nlp: Language) -> None:
    doc = run(nlp, "Missiles struck targets in eastern Romania overnight.")
    assert "Location:eastern Romania" in keys(doc)


def test_place_and_court_noun_is_a_body_and_keeps_the_place(nlp: Language) -> None:
    doc = run(nlp, "A Kyiv appeals court upheld the verdict on Monday.")
    assert "Organization:Kyiv appeals court" in keys(doc)
    assert any(m.text == "Kyiv" for m in doc._.mentions)


def test_class_noun_before_a_name_makes_an_organisation(nlp: Language) -> None:
    doc = run(nlp, "Sanctions were lifted on the state miner Carbonor last week.")
    assert "Organization:Carbonor" in keys(doc)


def test_named_prison_is_a_place(nlp: Language) -> None:
    doc = run(nlp, "He was taken to La Sabaneta prison outside the city.")
    assert any(k.startswith("Location:La Sabaneta") for k in keys(doc))


def run_without_ner_for(nlp: Language, text: str, name: str) -> Doc:
    """Run the pipeline as if the model had left `name` unlabelled."""
    doc = nlp.make_doc(text)
    doc._.published = "2025-03-14"
    for pipe_name, proc in nlp.pipeline:
        if pipe_name == "newskg_entities":
            doc.ents = [ent for ent in doc.ents if name not in ent.text]
        doc = proc(doc)
    return doc


def test_unlabelled_name_with_a_person_apposition_is_a_person(nlp: Language) -> None:
    doc = run_without_ner_for(
        nlp,
        "Ostap Hrechka, the union's senior advisor, told reporters the strike goes on.",
        "Ostap",
    )
    assert "Person:Ostap Hrechka" in keys(doc)


def test_unlabelled_name_that_speaks_is_a_person(nlp: Language) -> None:
    doc = run_without_ner_for(nlp, "Ostap Hrechka said the strike would go on.", "Ostap")
    assert "Person:Ostap Hrechka" in keys(doc)


def test_name_listed_among_persons_is_a_person(nlp: Language) -> None:
    doc = run(nlp, "The freed included Tomas Vrba, Gulnara Sadykova and Anton Melnik.")
    assert {"Person:Tomas Vrba", "Person:Gulnara Sadykova", "Person:Anton Melnik"} <= keys(doc)
    assert not any(key.startswith("Organization:") for key in keys(doc))


def test_the_west_is_a_group_but_the_west_bank_a_place(nlp: Language) -> None:
    doc = run(nlp, "Minsk accused the West of waging a hybrid war.")
    assert "Group:the West" in keys(doc)
    doc = run(nlp, "Settlers in the West Bank clashed with police.")
    assert "Group:the West" not in keys(doc)
    assert "Location:West Bank" in keys(doc)


def test_an_unnamed_single_person_who_acts_is_a_group(nlp: Language) -> None:
    doc = run(nlp, "A demonstrator was injured when police charged the crowd.")
    assert any(key.startswith("Group:") and "demonstrator" in key for key in keys(doc))


def test_a_described_person_is_no_group(nlp: Language) -> None:
    doc = run(nlp, "Police detained Ivan Duda, a journalist, who was a protester himself.")
    assert not any("journalist" in key or "protester" in key for key in keys(doc))


def test_a_named_court_is_no_unnamed_group(nlp: Language) -> None:
    doc = run(nlp, "A Kyiv court jailed the activist for two years.")
    assert not any(key.startswith("Group:") and "court" in key for key in keys(doc))


def test_a_person_noun_after_as_describes_someone_named(nlp: Language) -> None:
    doc = run(nlp, "Rights groups recognized Ivan Duda as a prisoner of conscience.")
    assert not any(key.startswith("Group:") and "prisoner" in key for key in keys(doc))


def test_sentence_initial_group_shares_the_lowercase_name(nlp: Language) -> None:
    doc = run(nlp, "Police detained 30 people on Sunday. Later, police released them.")
    assert "Group:police" in keys(doc) and "Group:Police" not in keys(doc)


def test_capitals_and_places_are_found_in_upper_case_datelines() -> None:
    gaz = default_gazetteer()
    assert gaz.country_of("MINSK") == "Belarus"
    assert gaz.country_of("Minsk") == "Belarus"
    assert gaz.place_of("HERAT") == "Herat"
    assert gaz.place_of("Herat") == "Herat"
    assert gaz.place_of("HERATT") is None


def test_entity_rows_are_doc_ents(nlp: Language) -> None:
    """The table reads `doc.ents` from the entity columns, adjacent entities kept apart."""
    doc = nlp.make_doc("Ana Rusu met Pavel Ionescu and NATO in Chisinau on Monday.")
    spans = [(0, 2, "PERSON"), (3, 5, "PERSON"), (6, 7, "ORG"), (8, 9, "GPE"), (9, 11, "DATE")]
    doc.ents = [Span(doc, start, end, label) for start, end, label in spans]
    assert TokenTable(doc).ents == [(e.start, e.end, e.label_) for e in doc.ents] == spans


def test_title_may_end_wherever_a_title_ends(nlp: Language) -> None:
    """The cheap test never rules out a window whose text is a title."""
    gaz = default_gazetteer()
    doc = nlp(
        "Then-Secretary of State Mike Pompeo met opposition leader Ana Rusu and the president."
    )
    table = TokenTable(doc)
    for end in range(1, len(doc) + 1):
        for size in range(1, min(end, 4) + 1):
            if gaz.is_title(doc[end - size : end].text):
                assert title_may_end(table, end, gaz), doc[end - size : end].text
    mike = next(t.i for t in doc if t.text == "Mike")
    assert not title_may_end(table, mike + 1, gaz)


def test_mention_offsets_map_back_to_their_tokens(nlp: Language) -> None:
    """The token ranges this step records for its mentions are what `char_span` finds."""
    doc = run(
        nlp,
        "Belarus’ President Alexander Lukashenko met 40 detained protesters in Minsk.\n\n"
        "  The  opposition leader Sviatlana Tsikhanouskaya said the West must act.",
    )
    recorded = dict(parse_of(doc)._spans)
    assert recorded
    fresh = Parse(doc)
    for (start, end), tokens in recorded.items():
        assert fresh.char_span(start, end) == tokens
