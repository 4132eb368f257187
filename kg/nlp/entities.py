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
from spacy.attrs import ENT_IOB, ENT_TYPE, LEMMA, LOWER, POS, TAG
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc

from kg.nlp.data import load_json, load_tsv
from kg.nlp.extensions import register_extensions
from kg.nlp.parse import Parse, ParseView
from kg.nlp.types import Actor, Mention, actor_key

POSSESSIVE_TOKENS = frozenset({"'s", "’s", "'", "’", "s"})
LEADING_ARTICLES = frozenset({"the", "The", "THE"})
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
#: String ids of the entity types a person's name can run on over (0: no entity type).
NAME_PART_TYPES = frozenset(get_string_id(label) for label in ("", "PERSON", "ORG", "GPE"))
PERSON_TYPE = get_string_id("PERSON")
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


class TokenTable(ParseView):
    """The doc as the rules read it, by token index: the shared parse (`kg.nlp.parse`), its
    string ids as numpy rows for the rules that scan the whole doc, and the entity types and
    spans, read here as they stand when this step runs (they are no part of the parse). No
    `Token` or `Span` is made but for the few reads the parse lacks (edges, `like_num`)."""

    def __init__(self, doc: Doc) -> None:
        super().__init__(doc)
        self.strings = doc.vocab.strings
        self.lower_ids, self.lemma_ids = self.id_row(LOWER), self.id_row(LEMMA)
        self.tag_ids, self.pos_ids = self.id_row(TAG), self.id_row(POS)
        iob, types = doc.to_array([ENT_IOB, ENT_TYPE]).T
        self.ent_type_ids: numpy.ndarray = types
        self.ent_types: list[int] = types.tolist()
        """The string id of each token's entity type (0 for none)."""
        self.ent_iob: list[int] = iob.tolist()
        """`Token.ent_iob`: 3 begins an entity ("B"), 1 continues it ("I")."""
        self.ents = self._read_ents(numpy.flatnonzero(types).tolist())
        """`doc.ents` as (start, end, label), without making its `Span` objects."""
        self.sent_start_set = frozenset(self.sent_starts)

    def _read_ents(self, typed: list[int]) -> list[EntRow]:
        """The entities as `doc.ents` finds them, from the tokens with an entity type: each
        starts at a "B" token and goes on over the "I" tokens right after it."""
        bounds: list[list[int]] = []
        for i in typed:
            if self.ent_iob[i] == 3:
                bounds.append([i, i + 1])
            elif self.ent_iob[i] == 1 and bounds and bounds[-1][1] == i:
                bounds[-1][1] = i + 1
        strings, types = self.strings, self.ent_types
        return [(start, end, strings[types[start]]) for start, end in bounds]

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

    def is_sent_start(self, i: int) -> bool:
        """`token.is_sent_start` of a parsed doc: whether token `i` begins a sentence."""
        return i in self.sent_start_set

    def left_edge(self, i: int) -> int:
        """`token.left_edge.i`, read from spaCy for the few tokens that need it."""
        return self.doc[i].left_edge.i


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


#: A non-empty token range [start, end).
TokenSpan = tuple[int, int]


@dataclass
class Resolved:
    """A candidate with its decided type, canonical-name hint and mention kind."""

    span: TokenSpan
    type: str
    name: str
    kind: str = "name"
    title: str | None = None
    surface: str = ""
    """The span's text, as joined once by `_resolve`..."""
    cleaned: str = ""
    """...and that text as a one-line name (`clean_name`), made once there too."""


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
        candidates = self._candidates(table)
        resolved = [r for r in (self._resolve(table, c) for c in candidates) if r is not None]
        resolved = self._fix_surnames(resolved)
        actors: dict[str, Actor] = {}
        mentions: list[Mention] = []
        self._add_named(table, resolved, actors, mentions)
        self._add_groups(table, actors, mentions)
        underscore = doc._  # a new `Underscore` on every `doc._`
        underscore.actors = actors
        underscore.mentions = sorted(set(mentions), key=lambda m: (m.start, -m.end, m.actor))
        return doc

    # -- candidates ---------------------------------------------------------------------------

    def _candidates(self, t: TokenTable) -> list[Candidate]:
        """NER spans cleaned and split, plus gazetteer matches; overlaps resolved longest-first."""
        found: list[Candidate] = []
        for start, end, label in self._merged_ents(t):
            if label in NAME_LABELS:
                found.extend(self._clean_ner(t, start, end, label))
        for start, end, label in t.ents:
            if end - start == 1 and label in OTHER_LABELS and self._place_context(t, start, end):
                found.append(Candidate(start, end, "LOC", "ner"))
        matches = [(t.strings[key], start, end) for key, start, end in self.matcher(t.doc)]
        found.extend(self._border_areas(t))
        found.extend(self._collectives(t))
        found.extend(self._regions_and_courts(t, matches))
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

    def _merged_ents(self, t: TokenTable) -> list[EntRow]:
        """NER spans with person names completed ("Dilek" + "Kaya Imamoglu", "Ursula von der Leyen")
        and places completed by a lowercase place noun ("Sheremetyevo airport"), as (start, end,
        label)."""
        words, size, suffixes = t.words, t.size, self.gaz.place_suffixes
        spans: list[EntRow] = []
        for ent_start, ent_end, ent_label in t.ents:
            start, end, label = ent_start, ent_end, ent_label
            if label == "PERSON":
                while (
                    start > 0 and self._name_part(t, start - 1) and not self._ends_title(t, start)
                ):
                    start -= 1
                end = self._name_end(t, end)
                if end < size and words[end].islower() and words[end] in suffixes:
                    end, label = end + 1, "LOC"  # "La Sabana prison", "Kennedy airport"
            elif label in {"GPE", "LOC", "FAC", "NORP", "ORG"}:
                extended = end
                while extended < size and words[extended] in suffixes:
                    extended += 1
                if extended > end and not self._known(t.span_text(ent_start, ent_end)):
                    end, label = extended, "LOC"
            spans.append((start, end, label))
        spans.extend(self._unlabelled_names(t))
        return _longest_first(spans)

    def _name_end(self, t: TokenTable, end: int) -> int:
        """Where a person's name that reaches `end` ends once the name parts after it, or a
        particle followed by one ("von der Leyen"), are added."""
        while end < t.size:
            if not (
                self._name_part(t, end)
                or (
                    t.words[end] in self.gaz.name_particles
                    and end + 1 < t.size
                    and self._name_part(t, end + 1)
                )
            ):
                break
            end += 1
        return end

    def _collectives(self, t: TokenTable) -> list[Candidate]:
        """ "the West": a proper noun naming a bloc of states, an unnamed Group, not a place
        ("the West Bank" is one)."""
        words = t.words
        found: list[Candidate] = []
        for i in _indices(t.equals(t.lower_ids, *COLLECTIVE_LOWER)):
            if i == 0 or words[i] not in COLLECTIVE_NAMES or t.lower[i - 1] != "the":
                continue
            if i + 1 < t.size and (words[i + 1].istitle() or words[i + 1] in POSSESSIVE_TOKENS):
                continue
            found.append(Candidate(i, i + 1, "COLLECTIVE", "gaz"))
        return found

    def _border_areas(self, t: TokenTable) -> list[Candidate]:
        """ "the Polish border crossing", "the Finnish border": a demonym before "border"
        names a place."""
        found: list[Candidate] = []
        for i in _indices(t.equals(t.lower_ids, "border")):
            if i == 0:
                continue
            demonym = t.words[i - 1]
            if not (demonym.istitle() and self.gaz.country_for_demonym(demonym)):
                continue
            end = i + 1
            if end < t.size and t.lower[end] in BORDER_HEADS:
                end += 1
            found.append(Candidate(i - 1, end, "LOC", "ner"))
        return found

    def _regions_and_courts(
        self, t: TokenTable, matches: list[tuple[str, int, int]]
    ) -> list[Candidate]:
        """ "western Ukraine" is a place (a part of the country), and "a Kyiv appeals court" an
        organisation: a country or city name widened by the words around it. `matches` are the
        gazetteer matches as (label, start, end)."""
        found: list[Candidate] = []
        for label, start, end in matches:
            if label not in {"GAZ_COUNTRY", "GAZ_CAPITAL", "GAZ_PLACE"}:
                continue
            if label == "GAZ_COUNTRY" and start > 0 and t.lower[start - 1] in DIRECTIONS:
                found.append(Candidate(start - 1, end, "REGION", "gaz"))
            for tail in range(end, min(end + 2, t.size)):
                word = t.words[tail]
                if not (word.islower() and word.isalpha()):
                    break
                if t.lower[tail] in COURT_NOUNS:
                    found.append(Candidate(start, tail + 1, "COURT", "gaz", label, end))
                    break
        return found

    def _unlabelled_names(self, t: TokenTable) -> list[EntRow]:
        """Person names the model left unlabelled: a run of two or three capitalised proper nouns
        whose last word is labelled alone elsewhere in the doc ("Wiszniewska said") or that
        starts with a known given name."""
        bare = {
            i
            # the tokens without entity type that are proper nouns, as `_bare_name_word` asks
            for i in _indices(t.equals(t.ent_type_ids, "") & t.equals(t.pos_ids, "PROPN"))
            if self._bare_name_word(t, i)
        }
        if len(bare) < 2:
            return []
        words = t.words
        alone = {
            words[start]
            for start, end, label in t.ents
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
                words[end - 1] in alone
                or words[i] in self.gaz.given_names
                or self._introduced_as_person(t, end - 1)
            ):
                spans.append((i, end, "PERSON"))
            next_start = end
        return spans

    def _introduced_as_person(self, t: TokenTable, last: int) -> bool:
        """ "X Y, the party's senior advisor, told ...", "X Y said": a bare name followed by a
        person apposition, or the subject of a speech verb, names a person."""
        if any(
            t.dep[c] == "appos" and t.lemma[c].lower() in self.gaz.person_words
            for c in t.children[last]
        ):
            return True
        return t.dep[last] == "nsubj" and t.lemma[t.head[last]] in self.gaz.speech_verbs

    def _bare_name_word(self, t: TokenTable, i: int) -> bool:
        """A capitalised proper noun outside any NER span that is no title, place or org word."""
        text = t.words[i]
        return (
            t.ent_types[i] == 0
            and t.pos[i] == "PROPN"
            and text.istitle()
            and not (
                self.gaz.is_title(text) or self._known(text) or text in self.gaz.not_names
                or text in self.gaz.org_words or text in self.gaz.place_words
                or self.gaz.country_for_demonym(text)
            )
        )  # fmt: skip

    def _ends_title(self, t: TokenTable, end: int) -> bool:
        """Whether the tokens right before `end` form a title ("Secretary of State")."""
        return _may_bound_title(t, end - 1, self.gaz.title_ends) and any(
            end - size >= 0 and self.gaz.is_title(t.span_text(end - size, end))
            for size in (1, 2, 3)
        )

    def _known(self, text: str) -> bool:
        name = clean_name(text)
        return bool(self.gaz.country_of(name) or name in self.gaz.orgs)

    def _name_part(self, t: TokenTable, i: int) -> bool:
        """A capitalised word that can continue a person's name (not a title, country or org)."""
        text = t.words[i]
        if not text.istitle() or t.pos[i] != "PROPN" or t.is_sent_start(i):
            return False
        if t.ent_types[i] not in NAME_PART_TYPES:
            return False
        return not (
            self.gaz.is_title(text) or self._known(text) or text in self.gaz.not_names
            or text in self.gaz.org_words or text in self.gaz.place_words
        )  # fmt: skip

    def _clean_ner(self, t: TokenTable, start: int, end: int, label: str) -> list[Candidate]:
        """Strip articles, possessives and titles; split "Belarus’ Alexander Lukashenko"."""
        words = t.words
        while start < end and (words[start] in LEADING_ARTICLES or words[start].isspace()):
            start += 1
        while end > start and (words[end - 1] in POSSESSIVE_TOKENS or t.is_punct[end - 1]):
            end -= 1
        if start >= end:
            return []
        parts: list[Candidate] = []
        for i in range(start, end - 2):
            if words[i + 1] in POSSESSIVE_TOKENS and words[i + 1] != "s":
                if self.gaz.country_of(t.span_text(start, i + 1)):
                    parts.append(Candidate(start, i + 1, "GPE", "ner"))
                start = i + 2
                break
        if label == "PERSON":
            while start < end - 1 and self._title_len(t, start, end) > 0:
                start += self._title_len(t, start, end)
        if start < end:
            parts.append(Candidate(start, end, label, "ner"))
        return parts

    def _title_len(self, t: TokenTable, start: int, end: int) -> int:
        """Length in tokens of a title starting at `start` (longest first), 0 when none."""
        if not _may_bound_title(t, start, self.gaz.title_starts):
            return 0
        for size in (3, 2, 1):
            if start + size < end and self.gaz.is_title(t.span_text(start, start + size)):
                return size
        return 0

    # -- types --------------------------------------------------------------------------------

    def _resolve(self, t: TokenTable, cand: Candidate) -> Resolved | None:
        surface = t.span_text(cand.start, cand.end)
        cleaned = clean_name(surface)
        resolved = self._decide(t, cand, cleaned)
        if resolved is not None:
            resolved.surface, resolved.cleaned = surface, cleaned
        return resolved

    def _decide(self, t: TokenTable, cand: Candidate, text: str) -> Resolved | None:
        """The type and name of a candidate, from its cleaned text `text` and its context."""
        if text in self.gaz.not_names or not any(map(str.isalpha, text)):
            return None
        span = (cand.start, cand.end)
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
        if (
            cand.start > 0
            and t.lower[cand.start - 1] in ORG_CLASS_NOUNS
            and t.words[cand.start].istitle()
        ):
            return Resolved(span, "Organization", text)  # "the state miner Minera"
        place = self.gaz.place_of(text)
        if place:
            return Resolved(span, "Location", place)
        capital = self.gaz.capitals.get(text) or (
            self.gaz.upper_capitals.get(text) if text.isupper() else None
        )
        if capital:
            return self._resolve_capital(t, span, text, capital)
        words = set(text.replace("’", "'").split())
        if words & self.gaz.org_words and cand.label != "LOC":
            return Resolved(span, "Organization", text)
        if text.split()[-1] in self.gaz.place_words or (
            cand.label in {"ORG", "PERSON"}
            and cand.end - cand.start == 1
            and self._place_context(t, *span)
        ):
            return Resolved(span, "Location", text)
        title = self._title_before(t, cand.start)
        if (
            title
            or self._looks_like_speaker(t, span, cand.label)
            or self._given_name(t, span, cand.label)
            or self._in_person_list(t, span, cand.label)
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

    def _resolve_capital(self, t: TokenTable, span: TokenSpan, name: str, country: str) -> Resolved:
        """A capital is the country (metonym) when it acts, else a place (`name`, the span's
        cleaned text); in capitals ("MINSK", a dateline) it is always the place."""
        if name.isupper():
            return Resolved(span, "Location", name.title())
        if acts_as_agent(t, t.root(*span)):
            return Resolved(span, "Country", country, "metonym")
        return Resolved(span, "Location", name)

    def _title_before(self, t: TokenTable, end: int) -> str | None:
        """The title right before a span starting at `end` ("President X", "opposition leader
        X"), if any."""
        if end == 0 or not self._may_end_title(t, end):
            return None
        punct = t.is_punct[max(end - 3, 0) : end]
        for size in (3, 2, 1):
            start = end - size
            if start < 0 or any(punct[-size:]):
                continue
            text = t.span_text(start, end)
            if self.gaz.is_title(text):
                return clean_name(text)
        return None

    def _may_end_title(self, t: TokenTable, end: int) -> bool:
        """Cheap exact test before `_title_before` joins texts: every window it tries holds the
        token before `end`, so no title ends there if that token is punctuation."""
        return not t.is_punct[end - 1] and title_may_end(t, end, self.gaz)

    def _given_name(self, t: TokenTable, span: TokenSpan, label: str) -> bool:
        """A capitalised ORG/GPE pair that starts with a common given name is a person."""
        start, end = span
        words = t.words
        return (
            label in {"ORG", "GPE", "NORP"}
            and end - start >= 2
            and words[start] in self.gaz.given_names
            and all(w.istitle() or w in self.gaz.name_particles for w in words[start:end])
        )

    def _in_person_list(self, t: TokenTable, span: TokenSpan, label: str) -> bool:
        """ "A B, C D and E F" with C D labelled ORG: a two- or three-word capitalised name
        listed next to person names is a person too."""
        start, end = span
        if label not in {"ORG", "GPE"} or not 2 <= end - start <= 3:
            return False
        if not all(t.words[i].istitle() and t.pos[i] == "PROPN" for i in range(start, end)):
            return False
        before = start - 2
        after = end + 1
        return (
            before >= 0
            and t.words[before + 1] in {",", "and"}
            and t.ent_types[before] == PERSON_TYPE
        ) or (
            after < t.size
            and t.words[end] in {",", "and"}
            and t.ent_types[after] == PERSON_TYPE
            and t.ent_iob[after] == 3  # "B"
        )

    def _place_context(self, t: TokenTable, start: int, end: int) -> bool:
        """ "in Izmir", "the village of Wyryki": a lone capitalised word used as a place."""
        root = t.root(start, end)
        if end < t.size and t.words[end] in POSSESSIVE_TOKENS:
            return False
        if t.dep[root] == "pobj" and t.lower[t.head[root]] in {"in", "near", "outside", "at"}:
            return True
        return (
            start >= 2 and t.lower[start - 1] == "of" and t.lower[start - 2] in self.gaz.place_nouns
        )

    def _looks_like_speaker(self, t: TokenTable, span: TokenSpan, label: str) -> bool:
        """A two-word capitalised ORG/GPE that speaks or has a person apposition is a person."""
        start, end = span
        if label not in {"ORG", "GPE"} or end - start < 2:
            return False
        if not all(w.istitle() for w in t.words[start:end]):
            return False
        root = t.root(start, end)
        if t.dep[root] in {"nsubj", "nsubjpass"} and t.lemma[t.head[root]] in self.gaz.speech_verbs:
            return True
        return any(
            t.dep[c] == "appos" and t.lemma[c].lower() in self.gaz.titles for c in t.children[root]
        )

    def _fix_surnames(self, resolved: list[Resolved]) -> list[Resolved]:
        """A non-person span whose text is the surname of a person in the doc is that person."""
        surnames = {
            r.name.split()[-1] for r in resolved if r.type == "Person" and len(r.name.split()) > 1
        }
        fixed: list[Resolved] = []
        for r in resolved:
            if r.type in {"Organization", "Location", "NORP"} and r.kind == "name":
                text = r.cleaned
                if text in surnames and text not in self.gaz.orgs:
                    r = Resolved(r.span, "Person", text, surface=r.surface, cleaned=text)
            if r.type != "NORP":
                fixed.append(r)
        return fixed

    # -- actors ------------------------------------------------------------------------------

    def _add_named(
        self,
        t: TokenTable,
        resolved: list[Resolved],
        actors: dict[str, Actor],
        mentions: list[Mention],
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
            surface, cleaned = r.surface, r.cleaned
            if cleaned != name:
                actor.aliases.add(cleaned)
            if r.title:
                actor.titles.add(r.title)
            kind = r.kind if r.kind != "name" or cleaned == name else "alias"
            start, end = r.span
            mentions.append(Mention(*t.offsets(start, end), surface, key, kind))

    def _add_groups(self, t: TokenTable, actors: dict[str, Actor], mentions: list[Mention]) -> None:
        named = [(m.start, m.end) for m in mentions]
        for start, end in find_groups(t, self.gaz):
            surface = t.span_text(start, end)
            name = group_name(t, start, end, surface, self.gaz)
            if not name:
                continue
            start_char, end_char = t.offsets(start, end)
            if _is_single_unnamed_person(t, t.root(start, end), self.gaz) and any(
                first < end_char and start_char < last for first, last in named
            ):
                continue  # "a Kyiv court" is a named body, not an unnamed person
            key = actor_key("Group", name)
            if key not in actors:
                actors[key] = Actor("Group", name)
            mentions.append(Mention(start_char, end_char, surface, key, "group"))

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


def title_may_end(parse: Parse, end: int, gaz: Gazetteer) -> bool:
    """Whether the text of tokens ending at token `end - 1` can be a title (`Gazetteer.is_title`):
    a cheap exact test before joining texts. A token that is no whitespace ends the cleaned text,
    as its last word when whitespace precedes it."""
    last = end - 1
    if parse.words[last].isspace():
        return True
    spaced = end == 1 or bool(parse.spaces[end - 2])
    return parse.lower[last] in (gaz.title_last_words if spaced else gaz.title_ends)


def _may_bound_title(t: TokenTable, i: int, bounds: frozenset[str]) -> bool:
    """Whether a title's text can start (or end) with token `i`, given every beginning (or
    ending) of a title: a cheap test before joining span texts, exact because a token that is not
    whitespace holds none, so it starts (ends) the cleaned text of any span it starts (ends)."""
    return t.words[i].isspace() or t.lower[i] in bounds


def acts_as_agent(t: TokenTable, root: int) -> bool:
    """Whether a place name (its root token) is used as a party ("Minsk said", "between
    Washington and Minsk")."""
    while t.dep[root] == "conj" and t.head[root] != root:
        root = t.head[root]
    dep = t.dep[root]
    if dep in {"nsubj", "nsubjpass", "csubj", "agent"}:
        return True
    if dep == "pobj":
        prep = t.lower[t.head[root]]
        return prep in {"between", "with", "against", "by", "toward", "towards"}
    if dep == "dobj":
        return t.lemma[t.head[root]] not in MOTION_VERBS
    if dep == "poss":
        return t.lemma[t.head[root]].lower() not in PLACE_NOUNS
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


def _quantity_head(t: TokenTable, i: int) -> bool:
    low = t.lower[i]
    return (
        t.pos[i] == "NUM"
        or low in {"tens", "hundreds", "thousands", "millions", "dozens", "scores", "number"}
        or low in {"some", "many", "most", "all", "several", "none", "each", "both", "few"}
        or t.doc[i].like_num  # the one flag the parse lacks, read last
    )


def find_groups(t: TokenTable, gaz: Gazetteer) -> list[TokenSpan]:
    """Noun phrases headed by a person-denoting plural noun, with counts and quantifiers."""
    lower, dep, head = t.lower, t.dep, t.head
    spans: list[TokenSpan] = []
    singles, heads = _group_head_candidates(t, gaz)
    for i in sorted(singles | heads):
        if i in singles and _is_single_unnamed_person(t, i, gaz):
            spans.append((_left_edge(t, i), i + 1))
            continue
        if i not in heads or not _is_group_head(t, i, gaz):
            continue
        start = _left_edge(t, i)
        # "tens of thousands of people", "124 of the 156 detainees"
        while start >= 2:
            prep = start - 1
            if lower[prep] != "of":
                break
            quant = head[prep] if dep[prep] in {"prep", "quantmod"} else None
            if quant is None or quant >= start or not _quantity_head(t, quant):
                break
            start = _left_edge(t, quant)
        # "journalists and bloggers"
        conj_end = i + 1
        for child in t.children[i]:
            if dep[child] != "conj":
                continue
            left = t.left_edge(child)
            joined = i < left - 1 and lower[left - 1] in {"and", "or"}
            bare = not any(
                dep[c] in {"nummod", "det", "amod"} for c in t.children[child] if c < child
            )
            if joined and bare and _is_group_head(t, child, gaz):
                conj_end = max(conj_end, child + 1)
        spans.append((start, conj_end))
    return _longest_first(spans)


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


def _group_head_candidates(t: TokenTable, gaz: Gazetteer) -> tuple[set[int], set[int]]:
    """The tokens that can be a single unnamed person (a singular noun whose lemma is a person
    noun, as `_is_single_unnamed_person` asks) and those that can head a group (a group noun or a
    demonym, as `_is_group_head` asks): `find_groups` looks only at these."""
    lemma = t.lemma
    singles = {
        i
        for i in _indices(t.equals(t.tag_ids, "NN"))
        if lemma[i].lower() in gaz.singular_person_nouns
    }
    return singles, set(_indices(t.in_sorted(t.lower_ids, gaz.group_word_ids)))


def _is_single_unnamed_person(t: TokenTable, i: int, gaz: Gazetteer) -> bool:
    """ "a demonstrator was hurt", "a second prisoner refused", "one protester was killed": an
    unnamed individual who acts or is acted on (not "X, a journalist" nor "was a journalist")."""
    if t.tag[i] != "NN" or t.lemma[i].lower() not in gaz.singular_person_nouns:
        return False
    dep = t.dep[i]
    if dep not in {"nsubj", "nsubjpass", "dobj", "pobj"}:
        return False
    if dep == "pobj" and t.lower[t.head[i]] == "as":
        return False  # "recognized him as a prisoner of conscience" describes him
    return any(
        t.lower[c] in {"a", "an", "one", "another"} and t.dep[c] in {"det", "nummod"}
        for c in t.children[i]
    )


def _is_group_head(t: TokenTable, i: int, gaz: Gazetteer) -> bool:
    if t.pos[i] not in GROUP_HEAD_POS:
        return False
    low, plural = t.lower[i], t.tag[i] in {"NNS", "NNPS"}
    if low in gaz.group_nouns and ((plural and low.endswith("s")) or low in COLLECTIVE_NOUNS):
        return True
    return bool(plural and gaz.country_for_demonym(low) and low.endswith("s"))


def _left_edge(t: TokenTable, i: int) -> int:
    """Start of the noun phrase of token `i`: determiners, numbers, adjectives and compounds."""
    start = i
    for child in t.children[i]:
        if child > i:
            break  # the children are in text order: the left ones first
        if t.dep[child] in GROUP_MODIFIERS:
            start = min(start, t.left_edge(child))
    while start < i and (t.is_punct[start] or t.words[start].isspace()):
        start += 1
    return start


def group_name(t: TokenTable, start: int, end: int, surface: str, gaz: Gazetteer) -> str:
    """The group's name: the tokens [start, end) without a leading article ("the protesters" ->
    "protesters"); `surface` is their text, joined once by the caller."""
    first = start
    while first < end and t.lower[first] in gaz.strip_determiners:
        first += 1
    if first == end:
        return ""
    text = clean_name(surface[t.idx[first] - t.idx[start] :])
    word = t.words[first]
    if t.is_sent_start(first) and word.istitle() and t.pos[first] != "PROPN":
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
