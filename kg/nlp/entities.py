"""The newskg_entities component: actors and mentions from NER, corrected by gazetteers and rules.

The small spaCy model mislabels many names in news text (countries as PERSON, surnames as GPE,
airlines as GPE). This step keeps the model's spans but decides their types with gazetteers of
countries and organisations, person titles and simple syntax, gives every actor a canonical name,
and adds unnamed groups ("52 political prisoners") headed by person-denoting nouns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import pairwise
from typing import Any, TypeVar

import numpy
import spacy
from spacy.attrs import ENT_TYPE, LEMMA, LOWER, POS, TAG
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from kg.nlp.data import load_json, load_tsv
from kg.nlp.extensions import register_extensions
from kg.nlp.parse import parse_of
from kg.nlp.types import Actor, Mention, actor_key

POSSESSIVE_TOKENS = frozenset({"'s", "’s", "'", "’", "s"})
LEADING_ARTICLES = frozenset({"the", "The", "THE"})
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
#: Prepositions whose object is a party rather than a place ("talks with Minsk").
AGENT_PREPS = frozenset({"between", "with", "against", "by", "toward", "towards", "on", "to"})
#: Prepositions whose object is a place even for capitals ("in Minsk", "to Minsk").
PLACE_PREPS = frozenset({"in", "at", "to", "from", "into", "near", "outside", "inside", "across"})
#: Verbs whose direct object is a destination, not a party ("visited Minsk").
MOTION_VERBS = frozenset(
    {"visit", "reach", "leave", "enter", "arrive", "fly", "travel", "return", "land", "tour",
     "flee", "evacuate", "bomb", "attack", "strike", "shell", "capture", "seize"}
)  # fmt: skip
#: Nouns after a possessive capital that make the capital a place ("Moscow's airport").
COLLECTIVE_NOUNS = frozenset({"police", "people", "staff", "crew", "opposition", "team", "clergy"})
#: NER labels the small model sometimes gives a town ("in Esteli" as PRODUCT).
OTHER_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"})
#: Nouns after "the X border" that belong to the place ("the Polish border crossing").
BORDER_HEADS = frozenset({"crossing", "checkpoint", "area", "region", "post", "town", "zone"})
#: Compass words that make a country name a region of it ("in western Ukraine").
DIRECTIONS = frozenset(
    {"northern", "southern", "eastern", "western", "central", "northeastern", "northwestern",
     "southeastern", "southwestern", "north", "south", "east", "west"}
)  # fmt: skip
#: Lowercase heads that turn a place into a body ("a Lagos high court", "the Kyiv city council").
COURT_NOUNS = frozenset({"court", "council", "legislature", "tribunal", "assembly"})
#: Common nouns that class the name after them as an organisation ("the state miner X").
ORG_CLASS_NOUNS = frozenset(
    {"company", "firm", "miner", "producer", "airline", "carrier", "bank", "lender",
     "broadcaster", "newspaper", "daily", "outlet", "operator", "maker", "manufacturer",
     "conglomerate", "insurer", "retailer", "exporter", "refiner", "giant", "group", "party",
     "movement", "coalition", "agency", "app", "channel", "network", "charity", "watchdog"}
)  # fmt: skip
#: Proper nouns that name a bloc of states after "the" -> the Group's name.
COLLECTIVE_NAMES = {"West": "the West"}
#: Their lowercase forms, to find them among the doc's LOWER ids.
COLLECTIVE_LOWER = frozenset(name.lower() for name in COLLECTIVE_NAMES)
#: Parts of speech of a group's head noun ("protesters", "thousands", "many").
GROUP_HEAD_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
GROUP_MODIFIERS = frozenset({"det", "nummod", "amod", "compound", "quantmod", "poss", "nmod"})
PLACE_NOUNS = frozenset(
    {"airport", "street", "square", "district", "suburb", "suburbs", "center", "centre",
     "outskirts", "streets", "avenue", "park", "prison", "court", "hospital", "mayor", "city",
     "residents", "metro", "station", "university", "region", "neighborhood", "neighbourhood",
     "hotel", "port"}
)  # fmt: skip


@spacy.registry.misc("newskg.gazetteer.v1")
def gazetteer_loader(filename: str) -> Any:
    """Parse one gazetteer file of data/gazetteers: TSV rows or JSON, by extension."""
    if filename.endswith(".json"):
        return load_json("gazetteers", filename)
    return load_tsv("gazetteers", filename)


def _split(cell: str | None) -> list[str]:
    return [item.strip() for item in (cell or "").split("|") if item.strip()]


def clean_name(text: str) -> str:
    """Collapse whitespace (hard-wrapped text) into the one-line form used for names."""
    return " ".join(text.split())


@dataclass
class Gazetteer:
    """Lookups over the country, organisation and person gazetteers."""

    countries: dict[str, str] = field(default_factory=dict)
    """Name or alias -> canonical country name."""
    capitals: dict[str, str] = field(default_factory=dict)
    """Capital city -> canonical country name."""
    metonyms: dict[str, str] = field(default_factory=dict)
    """Seat of government ("Kremlin") -> canonical country name."""
    demonyms: dict[str, str] = field(default_factory=dict)
    """Demonym, singular and plural, lowercase -> canonical country name."""
    descriptions: dict[str, list[str]] = field(default_factory=dict)
    """Lowercase description ("former soviet republic") -> the countries it may stand for."""
    codes: dict[str, str] = field(default_factory=dict)
    """Canonical country name -> ISO code."""
    orgs: dict[str, str] = field(default_factory=dict)
    """Organisation name or alias -> canonical name."""
    org_descriptions: dict[str, str] = field(default_factory=dict)
    """Lowercase descriptions ("the bloc") -> canonical name, used when the org is named too."""
    org_kinds: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    """Name or alias of a city, region or site -> canonical name."""
    titles: frozenset[str] = frozenset()
    """Person titles, lowercase."""
    leader_nouns: frozenset[str] = frozenset()
    group_nouns: frozenset[str] = frozenset()
    singular_person_nouns: frozenset[str] = frozenset()
    quantifiers: tuple[str, ...] = ()
    strip_determiners: frozenset[str] = frozenset()
    speech_verbs: frozenset[str] = frozenset()
    pronouns_male: frozenset[str] = frozenset()
    pronouns_female: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    title_forms: dict[str, str] = field(default_factory=dict)
    """Lowercase title -> its usual spelling ("opposition leader", "President")."""
    leader_titles: frozenset[str] = frozenset()
    female_names: frozenset[str] = frozenset()
    male_markers: frozenset[str] = frozenset()
    female_markers: frozenset[str] = frozenset()
    female_surname_endings: tuple[str, ...] = ()
    org_words: frozenset[str] = frozenset()
    place_words: frozenset[str] = frozenset()
    place_suffixes: frozenset[str] = frozenset()
    place_nouns: frozenset[str] = frozenset()
    given_names: frozenset[str] = frozenset()
    name_particles: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        countries: list[dict[str, str]],
        orgs: list[dict[str, str]],
        persons: dict[str, Any],
        names: dict[str, Any] | None = None,
        places: list[dict[str, str]] | None = None,
    ) -> Gazetteer:
        """Index the parsed gazetteer files."""
        gaz = cls()
        for row in places or []:
            for surface in [row["name"], *_split(row.get("aliases"))]:
                gaz.places.setdefault(surface, row["name"])
        names = names or {}
        gaz.org_words = frozenset(names.get("organization_words", []))
        gaz.place_words = frozenset(names.get("place_words", []))
        gaz.place_suffixes = frozenset(
            w for w in names.get("name_suffix_nouns", []) if w.lower() in gaz.place_words
        )
        gaz.place_nouns = frozenset(names.get("place_nouns", []))
        gaz.given_names = frozenset(names.get("given_names", [])) | frozenset(
            persons.get("female_names", [])
        )
        gaz.name_particles = frozenset(names.get("name_particles", []))
        for row in countries:
            name = row["name"]
            gaz.codes[name] = row["code"]
            for surface in [name, *_split(row.get("aliases"))]:
                gaz.countries.setdefault(_strip_article(surface), name)
            for capital in _split(row.get("capital")):
                gaz.capitals.setdefault(capital, name)
            for metonym in _split(row.get("metonyms")):
                gaz.metonyms.setdefault(_strip_article(metonym), name)
            for description in _split(row.get("descriptions")):
                gaz.descriptions.setdefault(description.lower(), []).append(name)
            for demonym in _split(row.get("demonyms")):
                for form in (demonym, _plural(demonym)):
                    gaz.demonyms.setdefault(form.lower(), name)
        for row in orgs:
            name = row["name"]
            gaz.org_kinds[name] = row.get("kind", "")
            for surface in [name, *_split(row.get("aliases"))]:
                bare = _strip_article(surface)
                if bare[:1].isupper() or bare[:1].isdigit():
                    gaz.orgs.setdefault(bare, name)
                else:
                    gaz.org_descriptions.setdefault(surface.lower(), name)
        words = {key: frozenset(w.lower() for w in persons.get(key, [])) for key in persons}
        gaz.titles = words.get("titles", frozenset())
        gaz.leader_nouns = words.get("leader_nouns", frozenset())
        gaz.group_nouns = words.get("group_nouns", frozenset())
        gaz.singular_person_nouns = words.get("singular_person_nouns", frozenset())
        gaz.quantifiers = tuple(persons.get("quantifiers", []))
        gaz.strip_determiners = words.get("strip_determiners", frozenset())
        gaz.speech_verbs = words.get("speech_verbs", frozenset())
        gaz.pronouns_male = words.get("pronouns_male", frozenset())
        gaz.pronouns_female = words.get("pronouns_female", frozenset())
        gaz.not_names = frozenset(persons.get("not_names", []))
        for title in persons.get("titles", []):
            gaz.title_forms.setdefault(title.lower(), title)
        gaz.leader_titles = words.get("leader_titles", frozenset())
        gaz.female_names = frozenset(persons.get("female_names", []))
        gaz.male_markers = words.get("male_markers", frozenset())
        gaz.female_markers = words.get("female_markers", frozenset())
        gaz.female_surname_endings = tuple(persons.get("female_surname_endings", []))
        return gaz

    @cached_property
    def upper_capitals(self) -> dict[str, str]:
        """Capitals in capitals ("MINSK", as datelines write them) -> canonical country name;
        built once, not per lookup."""
        return {k.upper(): v for k, v in self.capitals.items()}

    @cached_property
    def upper_places(self) -> dict[str, str]:
        """Gazetteer places in capitals -> canonical name."""
        return {k.upper(): v for k, v in self.places.items()}

    @cached_property
    def group_word_ids(self) -> numpy.ndarray:
        """Sorted string ids of the lowercase words that can head a group (group nouns, demonyms),
        to look up the doc's LOWER ids in one `searchsorted` instead of reading every token."""
        words = self.group_nouns | self.demonyms.keys()
        return numpy.array(sorted({get_string_id(word) for word in words}), dtype=numpy.uint64)

    @cached_property
    def title_starts(self) -> frozenset[str]:
        """Every beginning of a lowercase title ("p", "pr", ..., "president")."""
        return frozenset(title[:k] for title in self.titles for k in range(1, len(title) + 1))

    @cached_property
    def title_last_words(self) -> frozenset[str]:
        """The last word of each lowercase title ("general" for "attorney general")."""
        return frozenset(title.split()[-1] for title in self.titles if title.split())

    @cached_property
    def title_ends(self) -> frozenset[str]:
        """Every ending of a lowercase title ("t", "nt", ..., "president")."""
        return frozenset(title[k:] for title in self.titles for k in range(len(title)))

    @property
    def person_words(self) -> frozenset[str]:
        """Lowercase nouns that describe one person: titles and person nouns."""
        return self.titles | self.singular_person_nouns

    def gender(self, actor: Actor) -> str | None:
        """ "f", "m" or None (unknown) from first names, surname endings and titles."""
        titles = {t.lower() for t in actor.titles}
        tokens = actor.name.split()
        if titles & self.female_markers or tokens[0] in self.female_names:
            return "f"
        if len(tokens) > 1 and tokens[-1].endswith(self.female_surname_endings):
            return "f"
        if titles & self.male_markers:
            return "m"
        return None

    def country_of(self, text: str) -> str | None:
        """Canonical country for a name, alias, demonym, capital or seat of government."""
        bare = _strip_article(clean_name(text))
        for table in (self.countries, self.metonyms, self.capitals):
            if bare in table:
                return table[bare]
        return self.demonyms.get(bare.lower()) or self.upper_capitals.get(bare)

    def place_of(self, text: str) -> str | None:
        """Canonical name of a gazetteer city, region or site, also in dateline capitals."""
        bare = _strip_article(clean_name(text))
        if bare in self.places:
            return self.places[bare]
        if bare.isupper():
            return self.upper_places.get(bare)
        return None

    def country_for_demonym(self, word: str) -> str | None:
        """Canonical country of a demonym ("Russian", "Belarusians"), else None."""
        return self.demonyms.get(word.lower())

    def is_title(self, text: str) -> bool:
        return clean_name(text).lower() in self.titles


def _strip_article(text: str) -> str:
    parts = text.split(" ", 1)
    if len(parts) == 2 and parts[0] in LEADING_ARTICLES:
        return parts[1]
    return text


def _plural(word: str) -> str:
    if word.endswith(("sh", "ch", "ss")):
        return word + "es"
    if word.endswith(("ese", "ss", "i")) or word.endswith("Swiss"):
        return word if word.endswith(("ese", "Swiss")) else word + "s"
    return word + "s"


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer built from the packaged files, for code that runs outside a pipeline."""
    return Gazetteer.build(
        gazetteer_loader("countries.tsv"),
        gazetteer_loader("organizations.tsv"),
        gazetteer_loader("persons.json"),
        gazetteer_loader("name_words.json"),
        gazetteer_loader("places.tsv"),
    )


#: A span as (start, end, label): cheaper to make and read than a `Span`.
EntRow = tuple[int, int, str]
#: A span as (start, end) or (start, end, label).
SpanRow = TypeVar("SpanRow", tuple[int, int], tuple[int, int, str])


class TokenTable:
    """The string ids of the token attributes the rules that scan the whole doc compare in
    numpy, so that they make `Token` objects only for the few hits: the rows of the shared
    parse (`kg.nlp.parse`), and the entity types, read here as they stand when this step runs
    (they are no part of the parse)."""

    def __init__(self, doc: Doc) -> None:
        self.strings = doc.vocab.strings
        parse = parse_of(doc)
        self.lower, self.lemma = parse.id_row(LOWER), parse.id_row(LEMMA)
        self.tag, self.pos = parse.id_row(TAG), parse.id_row(POS)
        self.ent_type: numpy.ndarray = doc.to_array(ENT_TYPE)

    def equals(self, column: numpy.ndarray, *values: str) -> numpy.ndarray:
        """Mask of the tokens whose `column` id is one of `values` ("" for none)."""
        first, *others = values
        hit = column == self.strings[first]
        for value in others:
            hit |= column == self.strings[value]
        return hit

    def in_sorted(self, column: numpy.ndarray, ids: numpy.ndarray) -> numpy.ndarray:
        """Mask of the tokens whose `column` id is in the sorted array `ids`."""
        if not len(ids):
            return numpy.zeros(len(column), dtype=bool)
        at = numpy.minimum(numpy.searchsorted(ids, column), len(ids) - 1)
        return ids[at] == column


def _indices(mask: numpy.ndarray) -> list[int]:
    """The positions of the tokens a mask selects, in text order."""
    return numpy.flatnonzero(mask).tolist()


@dataclass(slots=True)
class Candidate:
    """A named span under consideration, before it becomes a mention."""

    start: int
    end: int
    label: str
    source: str
    """"ner" or "gaz"."""
    inner: str = ""
    """For a body named after a place ("a Kyiv appeals court"), the label of the place..."""
    inner_end: int = 0
    """...and where the place ends."""


@dataclass
class Resolved:
    """A candidate with its decided type, canonical-name hint and mention kind."""

    span: Span
    type: str
    name: str
    kind: str = "name"
    title: str | None = None

    @cached_property
    def surface(self) -> str:
        """The span's text, joined once: `Span.text` joins its tokens anew on every read."""
        return self.span.text


class EntityRecognizer:
    """Turns NER spans, gazetteer matches and group noun chunks into `doc._.actors`/`mentions`."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        countries: list[dict[str, str]],
        organizations: list[dict[str, str]],
        persons: dict[str, Any],
        names: dict[str, Any] | None = None,
        places: list[dict[str, str]] | None = None,
    ) -> None:
        register_extensions()
        self.name = name
        self.gaz = Gazetteer.build(countries, organizations, persons, names, places)
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._add_patterns(nlp, "GAZ_PLACE", self.gaz.places)
        self._add_patterns(nlp, "GAZ_PLACE", self.gaz.upper_places)
        self._add_patterns(nlp, "GAZ_COUNTRY", self.gaz.countries)
        self._add_patterns(nlp, "GAZ_METONYM", self.gaz.metonyms)
        self._add_patterns(nlp, "GAZ_CAPITAL", self.gaz.capitals)
        self._add_patterns(nlp, "GAZ_ORG", self.gaz.orgs)
        self._add_patterns(nlp, "GAZ_CAPITAL", self.gaz.upper_capitals)

    def _add_patterns(self, nlp: Language, label: str, table: dict[str, str]) -> None:
        self.matcher.add(label, [nlp.make_doc(surface) for surface in table])

    def __call__(self, doc: Doc) -> Doc:
        table = TokenTable(doc)
        candidates = self._candidates(doc, table)
        resolved = [r for r in (self._resolve(doc, c) for c in candidates) if r is not None]
        resolved = self._fix_surnames(resolved)
        actors: dict[str, Actor] = {}
        mentions: list[Mention] = []
        self._add_named(resolved, actors, mentions)
        self._add_groups(doc, table, actors, mentions)
        underscore = doc._  # a new `Underscore` on every `doc._`
        underscore.actors = actors
        underscore.mentions = sorted(set(mentions), key=lambda m: (m.start, -m.end, m.actor))
        return doc

    # -- candidates ---------------------------------------------------------------------------

    def _candidates(self, doc: Doc, table: TokenTable) -> list[Candidate]:
        """NER spans cleaned and split, plus gazetteer matches; overlaps resolved longest-first."""
        found: list[Candidate] = []
        # `doc.ents` makes new spans on every read: read it once, as (start, end, label)
        ents = [(ent.start, ent.end, ent.label_) for ent in doc.ents]
        for start, end, label in self._merged_ents(doc, ents, table):
            if label in NAME_LABELS:
                found.extend(self._clean_ner(doc, start, end, label))
        for start, end, label in ents:
            if end - start == 1 and label in OTHER_LABELS and self._place_context(doc[start:end]):
                found.append(Candidate(start, end, "LOC", "ner"))
        matches = [(doc.vocab.strings[key], start, end) for key, start, end in self.matcher(doc)]
        found.extend(self._border_areas(doc, table))
        found.extend(self._collectives(doc, table))
        found.extend(self._regions_and_courts(doc, matches))
        found.extend(Candidate(start, end, label, "gaz") for label, start, end in matches)
        found.sort(key=lambda c: (-(c.end - c.start), c.source != "gaz", c.start))
        taken: set[int] = set()
        kept: list[Candidate] = []
        for cand in found:
            if taken.isdisjoint(range(cand.start, cand.end)):
                kept.append(cand)
                taken.update(range(cand.start, cand.end))
        # the place inside "a Kyiv appeals court" stays a mention of its own
        kept.extend(Candidate(c.start, c.inner_end, c.inner, "gaz") for c in kept if c.inner)
        return sorted(kept, key=lambda c: c.start)

    def _merged_ents(self, doc: Doc, ents: list[EntRow], table: TokenTable) -> list[EntRow]:
        """NER spans with person names completed ("Dilek" + "Kaya Imamoglu", "Ursula von der Leyen")
        and places completed by a lowercase place noun ("Sheremetyevo airport"), as (start, end,
        label)."""
        spans: list[EntRow] = []
        for ent_start, ent_end, ent_label in ents:
            start, end, label = ent_start, ent_end, ent_label
            if label == "PERSON":
                while (
                    start > 0
                    and self._name_part(doc[start - 1])
                    and not self._ends_title(doc, start)
                ):
                    start -= 1
                end = self._name_end(doc, end)
                after = doc[end] if end < len(doc) else None
                if after is not None and after.is_lower and after.text in self.gaz.place_suffixes:
                    end, label = end + 1, "LOC"  # "La Sabana prison", "Kennedy airport"
            elif label in {"GPE", "LOC", "FAC", "NORP", "ORG"}:
                extended = end
                while extended < len(doc) and doc[extended].text in self.gaz.place_suffixes:
                    extended += 1
                if extended > end and not self._known(Span(doc, ent_start, ent_end).text):
                    end, label = extended, "LOC"
            spans.append((start, end, label))
        spans.extend(self._unlabelled_names(doc, ents, table))
        return _longest_first(spans)

    def _name_end(self, doc: Doc, end: int) -> int:
        """Where a person's name that reaches `end` ends once the name parts after it, or a
        particle followed by one ("von der Leyen"), are added."""
        while end < len(doc):
            word = doc[end]
            if not (
                self._name_part(word)
                or (
                    word.text in self.gaz.name_particles
                    and end + 1 < len(doc)
                    and self._name_part(doc[end + 1])
                )
            ):
                break
            end += 1
        return end

    def _collectives(self, doc: Doc, table: TokenTable) -> list[Candidate]:
        """ "the West": a proper noun naming a bloc of states, an unnamed Group, not a place
        ("the West Bank" is one)."""
        found: list[Candidate] = []
        for i in _indices(table.equals(table.lower, *COLLECTIVE_LOWER)):
            token = doc[i]
            if i == 0 or token.text not in COLLECTIVE_NAMES or doc[i - 1].lower_ != "the":
                continue
            nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if nxt is not None and (nxt.is_title or nxt.text in POSSESSIVE_TOKENS):
                continue
            found.append(Candidate(token.i, token.i + 1, "COLLECTIVE", "gaz"))
        return found

    def _border_areas(self, doc: Doc, table: TokenTable) -> list[Candidate]:
        """ "the Polish border crossing", "the Finnish border": a demonym before "border"
        names a place."""
        found: list[Candidate] = []
        for i in _indices(table.equals(table.lower, "border")):
            token = doc[i]
            if i == 0:
                continue
            demonym = doc[token.i - 1]
            if not (demonym.is_title and self.gaz.country_for_demonym(demonym.text)):
                continue
            end = token.i + 1
            if end < len(doc) and doc[end].lower_ in BORDER_HEADS:
                end += 1
            found.append(Candidate(token.i - 1, end, "LOC", "ner"))
        return found

    def _regions_and_courts(self, doc: Doc, matches: list[tuple[str, int, int]]) -> list[Candidate]:
        """ "western Ukraine" is a place (a part of the country), and "a Kyiv appeals court" an
        organisation: a country or city name widened by the words around it. `matches` are the
        gazetteer matches as (label, start, end)."""
        found: list[Candidate] = []
        for label, start, end in matches:
            if label not in {"GAZ_COUNTRY", "GAZ_CAPITAL", "GAZ_PLACE"}:
                continue
            if label == "GAZ_COUNTRY" and start > 0 and doc[start - 1].lower_ in DIRECTIONS:
                found.append(Candidate(start - 1, end, "REGION", "gaz"))
            for tail in range(end, min(end + 2, len(doc))):
                word = doc[tail]
                if not (word.is_lower and word.is_alpha):
                    break
                if word.lower_ in COURT_NOUNS:
                    found.append(Candidate(start, tail + 1, "COURT", "gaz", label, end))
                    break
        return found

    def _unlabelled_names(self, doc: Doc, ents: list[EntRow], table: TokenTable) -> list[EntRow]:
        """Person names the model left unlabelled: a run of two or three capitalised proper nouns
        whose last word is labelled alone elsewhere in the doc ("Wiszniewska said") or that
        starts with a known given name."""
        bare = {
            i
            # the tokens without entity type that are proper nouns, as `_bare_name_word` asks
            for i in _indices(table.equals(table.ent_type, "") & table.equals(table.pos, "PROPN"))
            if self._bare_name_word(doc[i])
        }
        if len(bare) < 2:
            return []
        alone = {
            doc[start].text
            for start, end, label in ents
            if end - start == 1 and label in NAME_LABELS
        }
        spans: list[EntRow] = []
        next_start = 0
        for i in sorted(bare):  # runs of bare words, cut into pieces of at most three
            if i < next_start:
                continue
            end = i
            while end - i < 3 and end in bare:
                end += 1
            if end - i >= 2 and (
                doc[end - 1].text in alone
                or doc[i].text in self.gaz.given_names
                or self._introduced_as_person(doc[end - 1])
            ):
                spans.append((i, end, "PERSON"))
            next_start = end
        return spans

    def _introduced_as_person(self, last: Token) -> bool:
        """ "X Y, the party's senior advisor, told ...", "X Y said": a bare name followed by a
        person apposition, or the subject of a speech verb, names a person."""
        if any(
            c.dep_ == "appos" and c.lemma_.lower() in self.gaz.person_words for c in last.children
        ):
            return True
        return last.dep_ == "nsubj" and last.head.lemma_ in self.gaz.speech_verbs

    def _bare_name_word(self, token: Token) -> bool:
        """A capitalised proper noun outside any NER span that is no title, place or org word."""
        text = token.text
        return (
            token.ent_type_ == ""
            and token.pos_ == "PROPN"
            and token.is_title
            and not (
                self.gaz.is_title(text) or self._known(text) or text in self.gaz.not_names
                or text in self.gaz.org_words or text in self.gaz.place_words
                or self.gaz.country_for_demonym(text)
            )
        )  # fmt: skip

    def _ends_title(self, doc: Doc, end: int) -> bool:
        """Whether the tokens right before `end` form a title ("Secretary of State")."""
        return _may_bound_title(doc[end - 1], self.gaz.title_ends) and any(
            end - size >= 0 and self.gaz.is_title(doc[end - size : end].text) for size in (1, 2, 3)
        )

    def _known(self, text: str) -> bool:
        name = clean_name(text)
        return bool(self.gaz.country_of(name) or name in self.gaz.orgs)

    def _name_part(self, token: Token) -> bool:
        """A capitalised word that can continue a person's name (not a title, country or org)."""
        text = token.text
        if not token.is_title or token.pos_ != "PROPN" or token.is_sent_start:
            return False
        if token.ent_type_ not in {"", "PERSON", "ORG", "GPE"}:
            return False
        return not (
            self.gaz.is_title(text) or self._known(text) or text in self.gaz.not_names
            or text in self.gaz.org_words or text in self.gaz.place_words
        )  # fmt: skip

    def _clean_ner(self, doc: Doc, start: int, end: int, label: str) -> list[Candidate]:
        """Strip articles, possessives and titles; split "Belarus’ Alexander Lukashenko"."""
        while start < end and _is_article_or_space(doc[start]):
            start += 1
        while end > start and _is_possessive_or_punct(doc[end - 1]):
            end -= 1
        if start >= end:
            return []
        parts: list[Candidate] = []
        for i in range(start, end - 2):
            if doc[i + 1].text in POSSESSIVE_TOKENS and doc[i + 1].text != "s":
                if self.gaz.country_of(doc[start : i + 1].text):
                    parts.append(Candidate(start, i + 1, "GPE", "ner"))
                start = i + 2
                break
        if label == "PERSON":
            while start < end - 1 and self._title_len(doc, start, end) > 0:
                start += self._title_len(doc, start, end)
        if start < end:
            parts.append(Candidate(start, end, label, "ner"))
        return parts

    def _title_len(self, doc: Doc, start: int, end: int) -> int:
        """Length in tokens of a title starting at `start` (longest first), 0 when none."""
        if not _may_bound_title(doc[start], self.gaz.title_starts):
            return 0
        for size in (3, 2, 1):
            if start + size < end and self.gaz.is_title(doc[start : start + size].text):
                return size
        return 0

    # -- types --------------------------------------------------------------------------------

    def _resolve(self, doc: Doc, cand: Candidate) -> Resolved | None:
        span = Span(doc, cand.start, cand.end)  # `doc[a:b]` normalises the slice in Python
        surface = parse_of(doc).span_text(cand.start, cand.end)
        resolved = self._decide(doc, cand, span, clean_name(surface))
        if resolved is not None:
            resolved.surface = surface  # fills the cached property: the text is joined already
        return resolved

    def _decide(self, doc: Doc, cand: Candidate, span: Span, text: str) -> Resolved | None:
        """The type and name of a candidate, from its cleaned text `text` and its context."""
        if text in self.gaz.not_names or not any(map(str.isalpha, text)):
            return None
        if cand.label == "GAZ_METONYM" or text in self.gaz.metonyms:
            return Resolved(span, "Country", self.gaz.metonyms[text], "metonym")
        if cand.label == "GAZ_COUNTRY" or text in self.gaz.countries:
            return Resolved(span, "Country", self.gaz.countries[text])
        if cand.label == "GAZ_ORG" or text in self.gaz.orgs:
            return Resolved(span, "Organization", self.gaz.orgs[text])
        if cand.label == "COLLECTIVE":
            return Resolved(span, "Group", COLLECTIVE_NAMES[text])
        if cand.label == "REGION":
            return Resolved(span, "Location", text)
        if cand.label == "COURT":
            return Resolved(span, "Organization", text)
        if cand.start > 0 and doc[cand.start - 1].lower_ in ORG_CLASS_NOUNS and span[0].is_title:
            return Resolved(span, "Organization", text)  # "the state miner Minera"
        place = self.gaz.place_of(text)
        if place:
            return Resolved(span, "Location", place)
        capital = self.gaz.capitals.get(text) or (
            self.gaz.upper_capitals.get(text) if text.isupper() else None
        )
        if capital:
            return self._resolve_capital(span, text, capital)
        words = set(text.replace("’", "'").split())
        if words & self.gaz.org_words and cand.label != "LOC":
            return Resolved(span, "Organization", text)
        if text.split()[-1] in self.gaz.place_words or (
            cand.label in {"ORG", "PERSON"} and len(span) == 1 and self._place_context(span)
        ):
            return Resolved(span, "Location", text)
        title = self._title_before(span)
        if (
            title
            or self._looks_like_speaker(span, cand.label)
            or self._given_name(span, cand.label)
            or self._in_person_list(span, cand.label)
        ):
            return Resolved(span, "Person", text, title=title)
        if cand.label == "PERSON":
            return Resolved(span, "Person", text)
        if cand.label == "ORG":
            return Resolved(span, "Organization", text)
        if cand.label in {"GPE", "LOC", "FAC"}:
            return Resolved(span, "Location", text)
        if cand.label == "NORP":
            return Resolved(span, "NORP", text)
        return None

    def _resolve_capital(self, span: Span, name: str, country: str) -> Resolved:
        """A capital is the country (metonym) when it acts, else a place (`name`, the span's
        cleaned text); in capitals ("MINSK", a dateline) it is always the place."""
        if name.isupper():
            return Resolved(span, "Location", name.title())
        if acts_as_agent(span.root):
            return Resolved(span, "Country", country, "metonym")
        return Resolved(span, "Location", name)

    def _title_before(self, span: Span) -> str | None:
        """The title right before a span ("President X", "opposition leader X"), if any."""
        doc = span.doc
        end = span.start
        if end == 0 or not self._may_end_title(doc, end):
            return None
        punct = [doc[i].is_punct for i in range(max(end - 3, 0), end)]
        for size in (3, 2, 1):
            start = end - size
            if start < 0 or any(punct[-size:]):
                continue
            text = parse_of(doc).span_text(start, end)
            if self.gaz.is_title(text):
                return clean_name(text)
        return None

    def _may_end_title(self, doc: Doc, end: int) -> bool:
        """Cheap exact test before `_title_before` joins texts: every window it tries holds the
        token before `end`, so no title ends there if that token is punctuation; and a token that
        is no whitespace ends the cleaned window text, as its last word when a space precedes it."""
        last = doc[end - 1]
        if last.is_punct:
            return False
        if last.is_space:
            return True
        spaced = end == 1 or bool(doc[end - 2].whitespace_)
        return last.lower_ in (self.gaz.title_last_words if spaced else self.gaz.title_ends)

    def _given_name(self, span: Span, label: str) -> bool:
        """A capitalised ORG/GPE pair that starts with a common given name is a person."""
        return (
            label in {"ORG", "GPE", "NORP"}
            and len(span) >= 2
            and span[0].text in self.gaz.given_names
            and all(t.is_title or t.text in self.gaz.name_particles for t in span)
        )

    def _in_person_list(self, span: Span, label: str) -> bool:
        """ "A B, C D and E F" with C D labelled ORG: a two- or three-word capitalised name
        listed next to person names is a person too."""
        if label not in {"ORG", "GPE"} or not 2 <= len(span) <= 3:
            return False
        if not all(t.is_title and t.pos_ == "PROPN" for t in span):
            return False
        doc = span.doc
        before = span.start - 2
        after = span.end + 1
        return (
            before >= 0
            and doc[before + 1].text in {",", "and"}
            and doc[before].ent_type_ == "PERSON"
        ) or (
            after < len(doc)
            and doc[span.end].text in {",", "and"}
            and doc[after].ent_type_ == "PERSON"
            and doc[after].ent_iob_ == "B"
        )

    def _place_context(self, span: Span) -> bool:
        """ "in Izmir", "the village of Wyryki": a lone capitalised word used as a place."""
        doc = span.doc
        root = span.root
        if span.end < len(doc) and doc[span.end].text in POSSESSIVE_TOKENS:
            return False
        if root.dep_ == "pobj" and root.head.lower_ in {"in", "near", "outside", "at"}:
            return True
        return (
            span.start >= 2
            and doc[span.start - 1].lower_ == "of"
            and doc[span.start - 2].lower_ in self.gaz.place_nouns
        )

    def _looks_like_speaker(self, span: Span, label: str) -> bool:
        """A two-word capitalised ORG/GPE that speaks or has a person apposition is a person."""
        if label not in {"ORG", "GPE"} or len(span) < 2:
            return False
        if not all(t.is_title for t in span):
            return False
        root = span.root
        if root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_ in self.gaz.speech_verbs:
            return True
        for child in root.children:
            if child.dep_ == "appos" and child.lemma_.lower() in self.gaz.titles:
                return True
        return False

    def _fix_surnames(self, resolved: list[Resolved]) -> list[Resolved]:
        """A non-person span whose text is the surname of a person in the doc is that person."""
        surnames = {
            r.name.split()[-1] for r in resolved if r.type == "Person" and len(r.name.split()) > 1
        }
        fixed: list[Resolved] = []
        for r in resolved:
            if r.type in {"Organization", "Location", "NORP"} and r.kind == "name":
                text = clean_name(r.surface)
                if text in surnames and text not in self.gaz.orgs:
                    r = Resolved(r.span, "Person", text)
            if r.type != "NORP":
                fixed.append(r)
        return fixed

    # -- actors ------------------------------------------------------------------------------

    def _add_named(
        self, resolved: list[Resolved], actors: dict[str, Actor], mentions: list[Mention]
    ) -> None:
        person_names = cluster_person_names([r.name for r in resolved if r.type == "Person"])
        orgs = {r.name for r in resolved if r.type == "Organization"}
        for r in resolved:
            name = person_names.get(r.name, r.name) if r.type == "Person" else r.name
            if r.type in {"Organization", "Location"}:
                name = self._without_suffix(name, orgs if r.type == "Organization" else None)
            key = actor_key(r.type, name)
            actor = actors.get(key)
            if actor is None:
                actor = actors[key] = Actor(r.type, name)
            surface = r.surface
            cleaned = clean_name(surface)
            if cleaned != name:
                actor.aliases.add(cleaned)
            if r.title:
                actor.titles.add(r.title)
            kind = r.kind if r.kind != "name" or cleaned == name else "alias"
            mentions.append(Mention(r.span.start_char, r.span.end_char, surface, key, kind))

    def _add_groups(
        self, doc: Doc, table: TokenTable, actors: dict[str, Actor], mentions: list[Mention]
    ) -> None:
        named = [(m.start, m.end) for m in mentions]
        for span in find_groups(doc, self.gaz, table):
            surface = span.text
            name = group_name(span, surface, self.gaz)
            if not name:
                continue
            if _is_single_unnamed_person(span.root, self.gaz) and any(
                start < span.end_char and span.start_char < end for start, end in named
            ):
                continue  # "a Kyiv court" is a named body, not an unnamed person
            key = actor_key("Group", name)
            if key not in actors:
                actors[key] = Actor("Group", name)
            mentions.append(Mention(span.start_char, span.end_char, surface, key, "group"))

    def _without_suffix(self, name: str, orgs: set[str] | None) -> str:
        """The bare name before lowercase head nouns: "Kadikoy district" -> "Kadikoy", and
        "Civic Platform party" -> "Civic Platform" when the doc also names the bare organisation."""
        words = name.split()
        cut = len(words)
        while cut > 1 and words[cut - 1].islower():
            cut -= 1
        bare = " ".join(words[:cut])
        if cut == len(words) or self.gaz.country_for_demonym(bare):
            return name
        if orgs is None:
            suffixes = words[cut:]
            return bare if all(w in self.gaz.place_suffixes for w in suffixes) else name
        return bare if bare in orgs else name


def _is_article_or_space(token: Token) -> bool:
    """Whether `_clean_ner` strips the token from a name's start (one `Token` read twice)."""
    return token.text in LEADING_ARTICLES or token.is_space


def _is_possessive_or_punct(token: Token) -> bool:
    """Whether `_clean_ner` strips the token from a name's end."""
    return token.text in POSSESSIVE_TOKENS or token.is_punct


def _may_bound_title(token: Token, bounds: frozenset[str]) -> bool:
    """Whether a title's text can start (or end) with `token`, given every beginning (or ending)
    of a title: a cheap test before joining span texts, exact because a token that is not
    whitespace holds none, so it starts (ends) the cleaned text of any span it starts (ends)."""
    return token.is_space or token.lower_ in bounds


def acts_as_agent(root: Token) -> bool:
    """Whether a place name (its root token) is used as a party ("Minsk said", "between
    Washington and Minsk")."""
    while root.dep_ == "conj" and root.head != root:
        root = root.head
    dep = root.dep_
    if dep in {"nsubj", "nsubjpass", "csubj", "agent"}:
        return True
    if dep == "pobj":
        prep = root.head.lower_
        return prep in {"between", "with", "against", "by", "toward", "towards"}
    if dep == "dobj":
        return root.head.lemma_ not in MOTION_VERBS
    if dep == "poss":
        return root.head.lemma_.lower() not in PLACE_NOUNS
    return False


def cluster_person_names(names: Iterable[str]) -> dict[str, str]:
    """Map each person name to the longest full form in the doc it is part of.

    "Lukashenko" joins "Alexander Lukashenko" (surname), "Siarhei" joins "Siarhei Tsikhanouski"
    when exactly one full name starts with it. A surname shared by several full names goes to the
    one named first, usually the story's protagonist (`names` is in text order).
    """
    order: dict[str, int] = {}
    for name in names:
        order.setdefault(clean_name(name), len(order))
    unique = sorted(order, key=lambda n: (-len(n.split()), order[n]))
    canon: dict[str, str] = {}
    fulls: list[str] = []
    for name in unique:
        tokens = name.split()
        owners = [
            full
            for full in fulls
            if len(tokens) < len(full.split()) and full.split()[-len(tokens) :] == tokens
        ]
        target = min(owners, key=lambda full: order[full]) if owners else None
        if target is None and len(tokens) == 1:
            firsts = [f for f in fulls if f.split()[0] == tokens[0]]
            if len(firsts) == 1:
                target = firsts[0]
        if target is None:
            fulls.append(name)
            target = name
        canon[name] = canon.get(target, target)
    return canon


def _quantity_head(token: Token, gaz: Gazetteer) -> bool:
    low = token.lower_
    return (
        token.like_num
        or token.pos_ == "NUM"
        or low in {"tens", "hundreds", "thousands", "millions", "dozens", "scores", "number"}
        or low in {"some", "many", "most", "all", "several", "none", "each", "both", "few"}
    )


def find_groups(doc: Doc, gaz: Gazetteer, table: TokenTable) -> list[Span]:
    """Noun phrases headed by a person-denoting plural noun, with counts and quantifiers."""
    spans: list[tuple[int, int]] = []
    singles, heads = _group_head_candidates(table, gaz)
    for i in sorted(singles | heads):
        token = doc[i]
        if i in singles and _is_single_unnamed_person(token, gaz):
            spans.append((_left_edge(token), token.i + 1))
            continue
        if i not in heads or not _is_group_head(token, gaz):
            continue
        start = _left_edge(token)
        end = token.i + 1
        # "tens of thousands of people", "124 of the 156 detainees"
        while start >= 2:
            prep = doc[start - 1]
            if prep.lower_ != "of":
                break
            quant = prep.head if prep.dep_ in {"prep", "quantmod"} else None
            if quant is None or quant.i >= start or not _quantity_head(quant, gaz):
                break
            start = _left_edge(quant)
        # "journalists and bloggers"
        conj_end = end
        for child in token.children:
            if child.dep_ != "conj":
                continue
            left = child.left_edge.i
            joined = token.i < left - 1 and doc[left - 1].lower_ in {"and", "or"}
            bare = not any(t.dep_ in {"nummod", "det", "amod"} for t in child.lefts)
            if joined and bare and _is_group_head(child, gaz):
                conj_end = max(conj_end, child.i + 1)
        spans.append((start, conj_end))
    return [Span(doc, start, end) for start, end in _longest_first(spans)]


def _longest_first(spans: list[SpanRow]) -> list[SpanRow]:
    """The non-empty spans (start, end, ...) left when overlaps are resolved longest first, then
    leftmost first, in text order."""
    ordered = sorted(spans)
    if all(before[1] <= after[0] for before, after in pairwise(ordered)):
        return ordered  # nothing overlaps, the usual case: no greedy pass needed
    taken: set[int] = set()
    kept: list[SpanRow] = []
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if taken.isdisjoint(range(span[0], span[1])):
            kept.append(span)
            taken.update(range(span[0], span[1]))
    return sorted(kept, key=lambda s: s[0])


def _group_head_candidates(table: TokenTable, gaz: Gazetteer) -> tuple[set[int], set[int]]:
    """The tokens that can be a single unnamed person (a singular noun whose lemma is a person
    noun, as `_is_single_unnamed_person` asks) and those that can head a group (a group noun or a
    demonym, as `_is_group_head` asks): `find_groups` makes `Token` objects only for these."""
    nouns = numpy.flatnonzero(table.equals(table.tag, "NN"))
    singles = {
        i
        for i, lemma in zip(nouns.tolist(), table.lemma[nouns].tolist(), strict=True)
        if table.strings[lemma].lower() in gaz.singular_person_nouns
    }
    return singles, set(_indices(table.in_sorted(table.lower, gaz.group_word_ids)))


def _is_single_unnamed_person(token: Token, gaz: Gazetteer) -> bool:
    """ "a demonstrator was hurt", "a second prisoner refused", "one protester was killed": an
    unnamed individual who acts or is acted on (not "X, a journalist" nor "was a journalist")."""
    if token.tag_ != "NN" or token.lemma_.lower() not in gaz.singular_person_nouns:
        return False
    if token.dep_ not in {"nsubj", "nsubjpass", "dobj", "pobj"}:
        return False
    if token.dep_ == "pobj" and token.head.lower_ == "as":
        return False  # "recognized him as a prisoner of conscience" describes him
    return any(
        c.lower_ in {"a", "an", "one", "another"} and c.dep_ in {"det", "nummod"}
        for c in token.children
    )


def _is_group_head(token: Token, gaz: Gazetteer) -> bool:
    if token.pos_ not in GROUP_HEAD_POS:
        return False
    low = token.lower_
    if low in gaz.group_nouns and (
        (token.tag_ in {"NNS", "NNPS"} and low.endswith("s")) or low in COLLECTIVE_NOUNS
    ):
        return True
    return bool(
        token.tag_ in {"NNS", "NNPS"} and gaz.country_for_demonym(low) and low.endswith("s")
    )


def _left_edge(token: Token) -> int:
    """Start of the noun phrase of `token`: determiners, numbers, adjectives and compounds."""
    start = token.i
    for child in token.lefts:
        if child.dep_ in GROUP_MODIFIERS:
            start = min(start, child.left_edge.i)
    doc = token.doc
    while start < token.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return start


def group_name(span: Span, surface: str, gaz: Gazetteer) -> str:
    """The group's name: the phrase without a leading article ("the protesters" -> "protesters");
    `surface` is the span's text, joined once by the caller."""
    doc = span.doc
    start = span.start
    while start < span.end and doc[start].lower_ in gaz.strip_determiners:
        start += 1
    if start == span.end:
        return ""
    first = doc[start]
    text = clean_name(surface[first.idx - span.start_char :])
    if first.is_sent_start and first.is_title and first.pos_ != "PROPN":
        text = text[0].lower() + text[1:]  # "Police said" and "police" are one group
    return text


@Language.factory(
    "newskg_entities",
    default_config={
        "countries": {"@misc": "newskg.gazetteer.v1", "filename": "countries.tsv"},
        "organizations": {"@misc": "newskg.gazetteer.v1", "filename": "organizations.tsv"},
        "persons": {"@misc": "newskg.gazetteer.v1", "filename": "persons.json"},
        "names": {"@misc": "newskg.gazetteer.v1", "filename": "name_words.json"},
        "places": {"@misc": "newskg.gazetteer.v1", "filename": "places.tsv"},
    },
    requires=["doc.ents", "token.dep"],
    assigns=["doc._.actors", "doc._.mentions"],
)
def make_entities(
    nlp: Language,
    name: str,
    countries: list[dict[str, str]],
    organizations: list[dict[str, str]],
    persons: dict[str, Any],
    names: dict[str, Any],
    places: list[dict[str, str]],
) -> EntityRecognizer:
    """Build the entities step from the gazetteers its config names."""
    return EntityRecognizer(
        nlp,
        name,
        countries=countries,
        organizations=organizations,
        persons=persons,
        names=names,
        places=places,
    )
