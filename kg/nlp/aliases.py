"""The newskg_aliases component: link the other ways a text names an actor to the actor.

After newskg_entities, a person named once in full ("Alexander Lukashenko") is usually referred to
by surname, possessive, titled form ("Belarusian President Alexander Lukashenko"), role description
("the Belarusian leader") or pronoun; organisations by acronym or description ("the bloc").
This step adds those mentions and records each new surface form in the actor's aliases and titles.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Container, Iterable, Iterator
from functools import cached_property
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.nlp.entities import POSSESSIVE_TOKENS, Gazetteer, clean_name
from kg.nlp.extensions import doc_text, register_extensions
from kg.nlp.spans import SentenceIndex, token_indices
from kg.nlp.types import Actor, Mention

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
OBJECT_DEPS = frozenset({"dobj", "pobj", "dative", "obj"})
#: Dependencies that make a clause a modifier of a noun: its subject is a side character.
EMBEDDED_DEPS = frozenset({"relcl", "acl"})
#: Endings of nouns that denote people ("blogger", "activist", "politician", "dissident").
PERSON_NOUN_ENDINGS = (
    "er", "or", "ist", "ian", "ant", "ent", "man", "woman", "person", "ee", "ess", "zen", "ife",
    "son", "ghter", "ther",
)  # fmt: skip
#: Person nouns the endings miss.
PERSON_NOUNS = frozenset(
    {"critic", "candidate", "advocate", "delegate", "representative", "executive", "relative",
     "tsar", "czar", "scholar", "chief", "head", "envoy", "aide", "ally", "heir", "spouse",
     "child", "deputy", "boss", "emir", "king", "queen", "pope", "bishop", "priest", "monk",
     "cleric", "figure", "husband", "sister", "girlfriend", "boyfriend", "colleague", "friend",
     "rival", "veteran", "icon", "hopeful", "nominee", "magnate", "tycoon", "oligarch",
     "guerrilla", "rebel", "militant"}
)  # fmt: skip
PLURAL_PRONOUNS = frozenset({"they", "them"})
COUNT = re.compile(r"\b\d[\d,]*\b")
#: Counted groups with the same count of at least this size are one group.
MIN_SHARED_COUNT = 10
#: How many sentences before the pronoun's own a subject may stand and still be its antecedent.
PRONOUN_LOOKBACK = 3
NP_DEPS = frozenset({"det", "amod", "compound", "nmod", "poss", "nummod", "advmod", "npadvmod"})
#: Dependents of a description noun that start a clause ("who ran for mayor"); a clause of
#: MAX_CLAUSE tokens or more is a story of its own, not part of the description.
CLAUSE_DEPS = frozenset({"relcl", "acl"})
MAX_CLAUSE = 6
NP_PUNCT = frozenset({"-", "’", "'", "'s", "’s", "."})
ARTICLES = frozenset({"the", "a", "an"})
US_KEY = "Country:United States"
#: Lowercase modifiers kept in an organisation description ("the ruling party").
ORG_NOUN_MODS = frozenset({"amod", "compound", "nmod"})
#: The top country must score this many times the next one to be the story's country.
FOCUS_MARGIN = 1.5
#: Nouns that name a state's government ("Serbian authorities", "Mugabe's government").
STATE_NOUNS = frozenset({"authorities", "government", "regime", "administration", "country"})
#: Those that name the story's country on their own, after "the".
BARE_STATE_NOUNS = frozenset({"authorities", "government", "regime", "country"})
#: Possessive pronouns that belong to a relational title ("his daughter Irina").
POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their", "its"})
QUALIFIERS = frozenset({"former", "then", "ex", "late", "acting", "deputy", "interim", "outgoing"})
NAME_SUFFIXES = frozenset(
    {"party", "channel", "coalition", "movement", "group", "bloc", "newspaper", "agency",
     "airline", "company", "carrier", "network"}
)  # fmt: skip


class AliasLinker:
    """Adds alias, title, role, pronoun and acronym mentions to `doc._.mentions`."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        countries: list[dict[str, str]],
        organizations: list[dict[str, str]],
        persons: dict[str, Any],
        names: dict[str, Any] | None = None,
    ) -> None:
        register_extensions()
        self.name = name
        self.gaz = Gazetteer.build(countries, organizations, persons, names)

    def __call__(self, doc: Doc) -> Doc:
        state = DocState(doc, self.gaz)
        state.link_names()
        state.link_titles()
        state.link_acronyms()
        state.link_descriptions()
        state.link_org_nouns()
        state.link_roles()
        state.link_title_nouns()
        state.link_capitals()
        state.link_states()
        state.link_country_descriptions()
        state.link_pronouns()
        state.link_groups()
        doc._.mentions = state.sorted_mentions()
        return doc


class DocState:
    """The actors and mentions of one doc while aliases are added to them."""

    def __init__(self, doc: Doc, gaz: Gazetteer) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        # the rules below scan these strings and make `Token` objects only for the hits
        self.words = [doc.vocab.strings[orth] for orth in doc.to_array("ORTH").tolist()]
        self.lowers = [w.lower() for w in self.words]  # what `token.lower_` gives
        self.gaz = gaz
        self.actors: dict[str, Actor] = doc._.actors if doc._.actors is not None else {}
        doc._.actors = self.actors
        self.mentions: set[Mention] = set(doc._.mentions or [])
        self.nationality: dict[str, str] = {}
        """Person key -> country key, from "U.S. President X", "Belarus' X"."""
        self._rooted: dict[tuple[int, int], tuple[Span, Token] | None] = {}

    # -- helpers ------------------------------------------------------------------------------

    def sorted_mentions(self) -> list[Mention]:
        return sorted(self.mentions, key=lambda m: (m.start, -m.end, m.actor))

    def covering(self, start: int, end: int, *, groups: bool = False) -> list[Mention]:
        """Mentions overlapping [start, end); group mentions only when asked."""
        return [
            m
            for m in self.mentions
            if m.start < end and start < m.end and (groups or m.kind != "group")
        ]

    def add(self, start: int, end: int, key: str, kind: str, *, alias: bool = True) -> Mention:
        text = self.text[start:end]
        mention = Mention(start, end, text, key, kind)
        self.mentions.add(mention)
        actor = self.actors[key]
        surface = clean_name(text)
        if alias and surface != actor.name:
            actor.aliases.add(surface)
        return mention

    def tokens_in(self, words: Container[str], start: int = 0) -> Iterator[Token]:
        """The tokens from index `start` whose lower-case form is one of `words`, in text order."""
        doc = self.doc
        return (doc[i] for i, low in enumerate(self.lowers) if i >= start and low in words)

    def persons(self) -> list[Actor]:
        return [a for a in self.actors.values() if a.type == "Person"]

    def first_offset(self, key: str) -> int:
        offsets = [m.start for m in self.mentions if m.actor == key]
        return min(offsets) if offsets else len(self.text)

    # -- surnames and first names ---------------------------------------------------------------

    def link_names(self) -> None:
        """Tokens that are a known person's surname (or unique first name) refer to that person."""
        surnames: dict[str, list[Actor]] = {}
        firsts: dict[str, list[Actor]] = {}
        for actor in self.persons():
            tokens = actor.name.split()
            if len(tokens) < 2:
                continue
            surnames.setdefault(tokens[-1], []).append(actor)
            firsts.setdefault(tokens[0], []).append(actor)
        for i, word in enumerate(self.words):
            if not word.istitle() and not word.isupper():  # `token.is_title` is `str.istitle`
                continue
            token = self.doc[i]
            text = token.text if token.is_title else token.text.title()
            if text in surnames:
                owner = self._pick(surnames[text], token)
            elif text in firsts and len(firsts[text]) == 1 and text not in surnames:
                if token.i + 1 < len(self.doc) and self.doc[token.i + 1].is_title:
                    continue
                owner = firsts[text][0]
            else:
                continue
            start, end = token.idx, token.idx + len(token.text)
            if self.covering(start, end):
                continue
            self.add(start, end, owner.key, "alias")

    def _pick(self, candidates: list[Actor], token: Token) -> Actor:
        """Of several persons sharing a surname, the one mentioned most often (then first)."""
        counts = {a.key: 0 for a in candidates}
        for m in self.mentions:
            if m.actor in counts:
                counts[m.actor] += 1
        return max(candidates, key=lambda a: (counts[a.key], -self.first_offset(a.key)))

    # -- titled forms -------------------------------------------------------------------------

    def link_titles(self) -> None:
        """ "U.S. President Donald Trump", "the state airline Belavia", "Russia's Foreign Ministry":
        the name's whole noun phrase is an alias; titles and nationality found in it are kept."""
        for mention in list(self.mentions):
            if mention.kind not in {"name", "alias"} or mention.actor.startswith("Group:"):
                continue
            span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            extended = self._noun_phrase(span, mention.actor)
            if extended is None and mention.actor.startswith("Person:"):
                extended = self._titled(span, mention.actor)
            if extended is None:
                extended = self._country_possessive(span, mention.actor)
            if extended is None and mention.actor.startswith(("Location:", "Country:")):
                extended = self._place_description(span)
            if extended is not None and (extended.start, extended.end) != (span.start, span.end):
                self.add(extended.start_char, extended.end_char, mention.actor, "title")
            if mention.actor.startswith("Person:"):
                self._apposition(span, mention.actor)

    def _noun_phrase(self, span: Span, key: str) -> Span | None:
        """The name's noun phrase to the left (modifiers, titles, qualifiers) and a suffix noun."""
        doc = self.doc
        head, end = span.root, span.end
        suffix = head.head
        if (
            head.dep_ == "compound"
            and suffix.i >= span.end
            and suffix.lower_ in self.gaz.place_suffixes | NAME_SUFFIXES
            and all(t.is_lower and t.dep_ == "compound" for t in doc[span.end : suffix.i])
        ):
            head, end = suffix, suffix.i + 1
        lefts = [t for t in head.lefts if t.i < span.start and t.dep_ in NP_DEPS]
        if span.start >= 2 and doc[span.start - 2].lower_ == "the":
            before = doc[span.start - 1]
            if before.text.endswith(".") and self.gaz.country_of(before.text):
                lefts = []  # "pressure from the U.S. Name was ...": a missed sentence break
        if not lefts:
            return doc[span.start : end] if end > span.end else None
        start = min(t.left_edge.i for t in lefts)
        for i in range(span.start - 1, start - 1, -1):
            tok = doc[i]
            if (
                tok.is_space
                or (tok.dep_ == "cc" and key.startswith("Person:"))  # "X and Belarus' Y"
                or (tok.is_punct and tok.text not in NP_PUNCT)
                or (tok.pos_ == "VERB" and tok.dep_ != "amod")
                or (tok.pos_ == "PRON" and tok.lower_ not in POSSESSIVE_PRONOUNS)
            ):
                start = i + 1
                break
        while start < span.start and (doc[start].lower_ in ARTICLES or doc[start].text in NP_PUNCT):
            start += 1
        while start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in QUALIFIERS:
            start -= 2
        if start >= span.start or span.start - start > 8:
            return doc[span.start : end] if end > span.end else None
        self._note_qualifiers(doc[start : span.start], key)
        return doc[start:end]

    def _titled(self, span: Span, key: str) -> Span | None:
        """ "then-Secretary of State Mike Pompeo": a title from the lexicon right before the name,
        with the qualifiers before it (countries, organisations, demonyms, "former", "then-")."""
        doc = self.doc
        start = None
        for size in (4, 3, 2, 1):
            begin = span.start - size
            if begin >= 0 and self.gaz.is_title(doc[begin : span.start].text):
                start = begin
                break
        if start is None:
            return None
        while start > 0:
            prev = doc[start - 1]
            owner = self._mention_ending_at(prev.idx + len(prev.text))
            if owner is not None and not owner.actor.startswith("Group:"):
                start = doc.char_span(owner.start, owner.end, alignment_mode="expand").start
            elif self._qualifier(prev):
                start -= 1
            else:
                if prev.lower_ in POSSESSIVE_PRONOUNS:
                    start -= 1
                break
        self._note_qualifiers(doc[start : span.start], key)
        return doc[start : span.end]

    def _qualifier(self, token: Token) -> bool:
        """A word that may precede a title: "-", "former", "then", a demonym or another title."""
        return (
            token.text == "-"
            or token.lower_ in QUALIFIERS
            or token.ent_type_ == "NORP"
            or (token.is_title and self.gaz.is_title(token.text))
        )

    def _place_description(self, span: Span) -> Span | None:
        """ "the Siberian city of Yakutsk", "the town of Khimki": a place phrase before "of"."""
        doc = self.doc
        if span.start < 2 or doc[span.start - 1].lower_ != "of":
            return None
        noun = doc[span.start - 2]
        if noun.lower_ not in self.gaz.place_nouns:
            return None
        start = min(noun.left_edge.i, noun.i)
        while start > 0 and noun.i - start < 3 and _describes(doc[start - 1]):
            start -= 1  # "the Baltic exclave of", "the Caribbean island of"
        while start < noun.i and doc[start].lower_ in ARTICLES:
            start += 1
        return doc[start : span.end]

    def _note_qualifiers(self, words: Span, key: str) -> None:
        """Titles ("President") and nationality ("U.S.", "Belarusian") before a name."""
        is_person = key.startswith("Person:")
        for size in (4, 3, 2, 1):
            for i in range(len(words) - size + 1):
                chunk = words[i : i + size]
                if is_person and self.gaz.is_title(chunk.text):
                    title = clean_name(chunk.text)
                    self.actors[key].titles.add(self.gaz.title_forms.get(title.lower(), title))
        for tok in words:
            country = self.gaz.country_for_demonym(tok.text) or self.gaz.countries.get(tok.text)
            owner = self._mention_ending_at(tok.idx + len(tok.text))
            if owner is not None:
                self._note_nationality(key, owner)
            elif country and tok.text[:1].isupper():
                self._note_nationality(key, None, country)

    def _apposition(self, span: Span, key: str) -> None:
        """ "X, a dissident journalist" and "Imamoglu's wife, X": the description is an alias."""
        doc = self.doc
        root = span.root
        descriptions = [c for c in root.children if c.dep_ == "appos" and c.tag_ == "NN"]
        if root.dep_ == "appos" and root.head.tag_ == "NN" and root.head.i < span.start:
            descriptions.append(root.head)
        for noun in descriptions:
            if not noun.is_alpha or not self._person_noun(noun):
                continue
            start = noun.left_edge.i
            end = noun.i + 1 if noun.i < span.start else noun.right_edge.i + 1
            long_clauses = [
                c.left_edge.i
                for c in noun.children
                if c.dep_ in CLAUSE_DEPS and c.right_edge.i - c.left_edge.i >= MAX_CLAUSE
            ]
            end = min([end, *(i for i in long_clauses if i > noun.i)])
            in_pp = False
            for i in range(noun.i + 1, end):
                tok = doc[i]
                in_pp = in_pp or tok.dep_ == "prep"
                if (tok.is_punct and tok.text not in NP_PUNCT) or (
                    not in_pp and self._foreign(tok, key)
                ):
                    end = i
                    break
            while end - 1 > noun.i and doc[end - 1].dep_ in {"prep", "det", "cc", "punct"}:
                end -= 1
            if noun.i < span.start:
                end = noun.i + 1
            if start >= end or end - start > 12:
                continue
            title = noun.lemma_.lower()
            if title in self.gaz.titles:
                self.actors[key].titles.add(self.gaz.title_forms.get(title, title))
            self.add(doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text), key, "title")

    def _person_noun(self, noun: Token) -> bool:
        """Whether a noun can describe a person ("citizen", "blogger", "activist", "wife"),
        so that a misparsed "X, a verdict that ..." is no description of X."""
        lemma = noun.lemma_.lower()
        return (
            lemma in self.gaz.titles
            or lemma in self.gaz.singular_person_nouns
            or lemma in self.gaz.group_nouns
            or lemma in PERSON_NOUNS
            or lemma.endswith(PERSON_NOUN_ENDINGS)
        )

    def _foreign(self, token: Token, key: str) -> bool:
        """Whether a token belongs to a mention of another actor."""
        return any(m.actor != key for m in self.covering(token.idx, token.idx + len(token.text)))

    def _country_possessive(self, span: Span, key: str) -> Span | None:
        """ "Belarus’ Alexander Lukashenko", "Russia's Putin": a country possessive first."""
        doc = self.doc
        if span.start < 2 or doc[span.start - 1].text not in POSSESSIVE_TOKENS:
            return None
        owner = self._mention_ending_at(doc[span.start - 2].idx + len(doc[span.start - 2].text))
        if owner is None or not owner.actor.startswith("Country:"):
            return None
        self._note_nationality(key, owner)
        return doc.char_span(owner.start, span.end_char, alignment_mode="expand")

    def _mention_ending_at(self, end: int) -> Mention | None:
        hits = [m for m in self.mentions if m.end == end and m.kind != "group"]
        return max(hits, key=lambda m: m.end - m.start) if hits else None

    def _note_nationality(
        self, person: str, owner: Mention | None, country: str | None = None
    ) -> None:
        if owner is not None and owner.actor.startswith("Country:"):
            self.nationality.setdefault(person, owner.actor)
        elif country is not None:
            key = f"Country:{country}"
            if key in self.actors:
                self.nationality.setdefault(person, key)
            else:
                self.nationality.setdefault(person, key)

    # -- organisations ------------------------------------------------------------------------

    def link_acronyms(self) -> None:
        """An all-caps token equal to an organisation's initials, or "(CHP)" after its name."""
        orgs = [a for a in self.actors.values() if a.type == "Organization"]
        initials = {_initials(a.name): a for a in orgs if len(a.name.split()) > 1}
        for i, word in enumerate(self.words):
            if not (word.isupper() and word.isalpha() and len(word) >= 2):
                continue
            token = self.doc[i]
            start, end = token.idx, token.idx + len(token.text)
            if self.covering(start, end):
                continue
            actor = initials.get(token.text)
            if actor is None and token.i >= 2 and self.doc[token.i - 1].text == "(":
                before = self._mention_ending_at(
                    self.doc[token.i - 2].idx + len(self.doc[token.i - 2].text)
                )
                if before is not None and before.actor.startswith("Organization:"):
                    actor = self.actors[before.actor]
            if actor is not None:
                self.add(start, end, actor.key, "alias")

    def link_descriptions(self) -> None:
        """ "the bloc" -> European Union when the EU is named in the same text."""
        present = {a.name for a in self.actors.values() if a.type == "Organization"}
        for description, name in self.gaz.org_descriptions.items():
            if name not in present:
                continue
            key = f"Organization:{name}"
            pattern = re.compile(rf"\b{re.escape(description)}\b", re.IGNORECASE)
            for match in pattern.finditer(self.text):
                if not self.covering(match.start(), match.end()):
                    self.add(match.start(), match.end(), key, "alias")

    def link_org_nouns(self) -> None:
        """ "the party", "his party", "the ruling party", "the appeals court": the most
        recently named organisation whose name ends in that noun."""
        doc = self.doc
        heads: dict[str, list[str]] = {}
        for actor in self.actors.values():
            if actor.type != "Organization":
                continue
            for form in {actor.name, *actor.aliases}:
                last = form.split()[-1]
                if last.islower() or last.istitle():
                    heads.setdefault(last.lower(), []).append(actor.key)
        for token in self.tokens_in(heads):
            keys = heads[token.lower_]
            if not token.is_lower or token.tag_ != "NN":
                continue
            nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if nxt is not None and (nxt.is_title or nxt.lower_ == "of"):
                continue
            start = token.i
            while start > 0 and doc[start - 1].is_lower and doc[start - 1].dep_ in ORG_NOUN_MODS:
                start -= 1
            det = doc[start - 1] if start > 0 else None
            if det is None or det.lower_ not in {"the", *POSSESSIVE_PRONOUNS}:
                continue
            if det.lower_ in POSSESSIVE_PRONOUNS:
                start -= 1
            begin, end = doc[start].idx, token.idx + len(token.text)
            if any(begin <= m.start and m.end <= end for m in self.covering(begin, end)):
                continue
            earlier = [
                (m.start, m.actor) for m in self.mentions if m.actor in keys and m.end <= begin
            ]
            if earlier:
                self.add(begin, end, max(earlier)[1], "alias")

    # -- role descriptions --------------------------------------------------------------------

    def link_roles(self) -> None:
        """ "the American leader", "the Belarusian president" -> the leader of that country."""
        doc = self.doc
        for token in self.tokens_in(self.gaz.leader_nouns):
            if token.tag_ not in {"NN", "NNP"}:
                continue
            if token.idx and self.covering(token.idx, token.idx + len(token.text)):
                continue
            lefts = [t for t in doc[max(0, token.i - 3) : token.i]]
            det = next((t for t in lefts if t.lower_ == "the"), None)
            if det is None or (token.i + 1 < len(doc) and doc[token.i + 1].is_title):
                continue
            between = doc[det.i + 1 : token.i]
            country = self._country_in(between)
            person = self._leader(country, token)
            if person is not None:
                self.add(det.idx, token.idx + len(token.text), person, "title")

    def _country_in(self, words: Span) -> str | None:
        for word in words:
            name = self.gaz.country_for_demonym(word.text) or self.gaz.countries.get(word.text)
            if name:
                return f"Country:{name}"
        if len(words):
            name = self.gaz.countries.get(clean_name(words.text).rstrip("’'s").strip())
            if name:
                return f"Country:{name}"
        return None if not len(words) else "?"

    def _leader(self, country: str | None, token: Token) -> str | None:
        """The person with a leader title linked to `country` (or the only one, when no country)."""
        if country == "?":
            return None
        noun = token.lower_
        leaders = [
            a.key
            for a in self.persons()
            if {t.lower() for t in a.titles} & self.gaz.leader_titles
            and (noun in {"leader", "strongman", "autocrat", "ruler", "dictator"}
                 or noun in {t.lower() for t in a.titles})
            and self.first_offset(a.key) < token.idx
        ]  # fmt: skip
        if country is not None:
            leaders = [k for k in leaders if self.nationality.get(k) == country]
        return leaders[0] if len(leaders) == 1 else None

    def link_title_nouns(self) -> None:
        """ "the bishop", "the president" -> the one person in the text who holds that title."""
        doc = self.doc
        for token in self.tokens_in(self.gaz.titles, start=1):
            det = doc[token.i - 1]
            if det.lower_ != "the" or token.tag_ != "NN":
                continue
            if token.i + 1 < len(doc) and (
                doc[token.i + 1].is_title or doc[token.i + 1].lower_ == "of"
            ):
                continue
            if self.covering(det.idx, token.idx + len(token.text)):
                continue
            holders = [
                a.key
                for a in self.persons()
                if token.lower_ in {t.lower() for t in a.titles}
                and self.first_offset(a.key) < token.idx
            ]
            if len(holders) == 1:
                self.add(det.idx, token.idx + len(token.text), holders[0], "title")

    # -- the state -----------------------------------------------------------------------------

    def focus_country(self) -> str | None:
        """The country the story is about: the clear winner of country names, demonyms and
        capitals (the United States, named in passing in most wire copy, counts half)."""
        scores: dict[str, float] = {}

        def vote(key: str) -> None:
            scores[key] = scores.get(key, 0.0) + (0.5 if key == US_KEY else 1.0)

        for m in self.mentions:
            if m.actor.startswith("Country:") and m.kind != "title":
                vote(m.actor)
            elif m.actor.startswith("Location:") and m.actor[9:] in self.gaz.capitals:
                vote(f"Country:{self.gaz.capitals[m.actor[9:]]}")
        for start, end, country in self.demonyms:
            if not self.covering(start, end):
                vote(f"Country:{country}")
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if not ranked or (len(ranked) > 1 and ranked[0][1] < FOCUS_MARGIN * ranked[1][1]):
            return None
        return ranked[0][0] if ranked[0][0] in self.actors else None

    @cached_property
    def demonyms(self) -> list[tuple[int, int, str]]:
        """Offsets and country of each capitalised demonym ("Belarusian") in the text."""
        found = []
        for i, word in enumerate(self.words):
            country = word.istitle() and self.gaz.country_for_demonym(word)
            if country:
                token = self.doc[i]
                found.append((token.idx, token.idx + len(word), country))
        return found

    def link_states(self) -> None:
        """The state as an actor: "Serbian authorities", "the Iranian regime", "Chile's
        government", "Mugabe's government", "the Obama administration", and a bare "the country",
        "the government" for the country the story is about."""
        doc = self.doc
        focus = self.focus_country()
        for token in self.tokens_in(STATE_NOUNS):
            if token.tag_ not in {"NN", "NNS", "NNP"}:
                continue
            if token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "of":
                continue
            end = token.idx + len(token.text)
            prev = doc[token.i - 1] if token.i else None
            if prev is None:
                continue
            country, start = self._state_owner(prev, token, focus)
            if country is None or country not in self.actors:
                continue
            for m in self.covering(start, end, groups=True):
                if m.kind == "group" and m.start >= start and m.end <= end:
                    self._drop_group(m)
            self.add(start, end, country, "metonym")

    def link_country_descriptions(self) -> None:
        """ "the former Soviet republic", "the island", "the Gulf state": the one country of the
        text that the gazetteer describes so."""
        text = self.text
        focus = self.focus_country()
        for description, names in self.gaz.descriptions.items():
            present = [f"Country:{n}" for n in names if f"Country:{n}" in self.actors]
            if not present:
                continue
            words = r"\s+".join(re.escape(w) for w in description.split())
            pattern = re.compile(rf"\bthe\s+({words})\b(?![-\w])", re.IGNORECASE)
            for match in pattern.finditer(text):
                start, end = match.span(1)
                nxt = text[end : end + 4].lstrip()
                inside = self.covering(start, end, groups=True)
                # a word of the description taken for a place or group ("Gulf") gives way
                if nxt.startswith("of ") or any(
                    not (start <= m.start and m.end <= end)
                    or not m.actor.startswith(("Group:", "Location:"))
                    for m in inside
                ):
                    continue
                country = self._described(present, focus, match.start())
                if country is None:
                    continue
                for m in inside:
                    self._drop_group(m)
                self.add(match.start(), end, country, "alias")

    def _described(self, present: list[str], focus: str | None, before: int) -> str | None:
        """Of the countries a description fits, the only one, the story's country, or the one
        named last before it."""
        if len(present) == 1:
            return present[0]
        if focus in present:
            return focus
        earlier = [
            (m.start, m.actor) for m in self.mentions if m.actor in present and m.end <= before
        ]
        return max(earlier)[1] if earlier else None

    def _state_owner(self, prev: Token, noun: Token, focus: str | None) -> tuple[str | None, int]:
        """Whose state a state noun names, and where the phrase starts."""
        doc = self.doc
        if prev.text in POSSESSIVE_TOKENS and prev.i > 0:
            owner = self._mention_ending_at(doc[prev.i - 1].idx + len(doc[prev.i - 1].text))
            if owner is None:
                return None, 0
            start = owner.start
            return self._country_of(owner.actor, focus), start
        if prev.is_title and self.gaz.country_for_demonym(prev.text):
            start = prev.idx
            return f"Country:{self.gaz.country_for_demonym(prev.text)}", start
        owner = self._mention_ending_at(prev.idx + len(prev.text))
        if owner is not None and noun.lower_ == "administration":
            country = self._country_of(owner.actor, None)
            if country is None and owner.actor.startswith("Person:"):
                country = US_KEY
            return country, owner.start
        if prev.lower_ == "the" and noun.lower_ in BARE_STATE_NOUNS:
            return focus, prev.idx
        return None, 0

    def _country_of(self, key: str, focus: str | None) -> str | None:
        if key.startswith("Country:"):
            return key
        if key.startswith("Person:"):
            return self.nationality.get(key) or focus
        return None

    def _drop_group(self, mention: Mention) -> None:
        """Forget a group (or place) mention that turned out to name the state."""
        self.mentions.discard(mention)
        if not any(m.actor == mention.actor for m in self.mentions):
            self.actors.pop(mention.actor, None)

    def link_capitals(self) -> None:
        """ "the Belarusian capital" -> Minsk, when Minsk is a place of the text; a bare "the
        capital" -> the capital of the story's country."""
        doc = self.doc
        focus = self.focus_country()
        for token in self.tokens_in({"capital"}, start=1):
            if token.tag_ != "NN":
                continue
            if token.i + 1 < len(doc) and doc[token.i + 1].lower_ in {"of", "'s", "’s"}:
                continue
            if doc[token.i - 1].lower_ == "the":
                country = focus[len("Country:") :] if focus else None
                start = token.i - 1
            elif token.i >= 2 and doc[token.i - 2].lower_ == "the":
                country = self.gaz.country_for_demonym(doc[token.i - 1].text)
                start = token.i - 2
            else:
                continue
            if country is None:
                continue
            for city, owner in self.gaz.capitals.items():
                key = f"Location:{city}"
                if owner == country and key in self.actors:
                    self.add(doc[start].idx, token.idx + len(token.text), key, "title")
                    break

    # -- pronouns -----------------------------------------------------------------------------

    def link_pronouns(self) -> None:
        """he/his/him, she/her -> the latest compatible person subject nearby."""
        pronouns = self.gaz.pronouns_male | self.gaz.pronouns_female | PLURAL_PRONOUNS
        earlier = _ByStart(self.mentions)  # the mentions so far, pronoun mentions added below
        for token in self.tokens_in(pronouns):
            low = token.lower_
            if low in self.gaz.pronouns_male or low in self.gaz.pronouns_female:
                gender = "m" if low in self.gaz.pronouns_male else "f"
                key = self._antecedent(token, gender, earlier)
            else:
                key = self._plural_antecedent(token, earlier)
            if key is not None:
                end = token.idx + len(token.text)
                earlier.add(self.add(token.idx, end, key, "pronoun", alias=False))

    def _antecedent(self, pronoun: Token, gender: str, earlier: _ByStart) -> str | None:
        """The person a he/she/his/her refers to, ranked as readers resolve it: the subject of
        the pronoun's own clause for a possessive ("the president launched his career"), then
        main-clause subjects of this and the previous sentence (a subject inside a relative
        clause is a side character), then any person named there, then subjects a few sentences
        back; the latest within a rank. Earlier pronoun mentions count, so chains carry on."""
        doc = self.doc
        sents = [self.sentences.of(pronoun)]
        while len(sents) <= PRONOUN_LOOKBACK and sents[-1].start > 0:
            sents.append(self.sentences.of(doc[sents[-1].start - 1]))
        near = sents[min(1, len(sents) - 1)].start_char
        lower = sents[-1].start_char
        own_clause = _clause_verb(pronoun)
        blocker = self._singular_group_subject(lower, pronoun, own_clause)
        if self._unnamed_relative_subject(own_clause):
            return None
        possessive = pronoun.dep_ == "poss" or pronoun.lower_.endswith("self")
        quoted = self._in_quote(pronoun.idx)
        best: tuple[int, int, str] | None = None
        for m in earlier.starting(lower, pronoun.idx):
            if not m.actor.startswith("Person:"):
                continue
            if m.start < blocker or m.actor not in self.actors:
                continue
            if not self._gender_ok(m.actor, gender):
                continue
            rooted = self.rooted_span(m)
            if rooted is None:
                continue
            span, root = rooted
            relative_head = (
                own_clause.dep_ == "relcl" and span.start <= own_clause.head.i < span.end
            )
            if root.dep_ in {"compound", "appos", "conj"} and root.head.dep_ in SUBJECT_DEPS:
                root = root.head  # "One of them, activist X, refused", "A and X spoke"
            subject = root.dep_ in SUBJECT_DEPS
            if subject and quoted and root.head.lemma_ in self.gaz.speech_verbs:
                subject = False  # "X told AP. 'He refused ...'": the speaker says "I"
            same_clause = _clause_verb(root).i == own_clause.i
            if (subject and same_clause and possessive) or relative_head:
                rank = 0  # "the president launched his career", "X, who ruled his nation"
            elif subject and same_clause and pronoun.dep_ in OBJECT_DEPS:
                continue  # "Ana praised her" is someone else (else "herself")
            elif subject and m.start >= near:
                rank = 1 if _main_clause(root) else 2
            elif m.start >= near:
                rank = 3
            elif subject and _main_clause(root):
                rank = 4
            else:
                continue
            candidate = (-rank, m.start, m.actor)
            if best is None or candidate > best:
                best = candidate
        return best[2] if best is not None else None

    def _unnamed_relative_subject(self, verb: Token) -> bool:
        """ "a leader who was shunned for his ...": the pronoun belongs to the unnamed person the
        relative clause describes, not to anyone named before."""
        if verb.dep_ != "relcl" or not any(
            c.dep_ in SUBJECT_DEPS and c.lower_ in {"who", "that"} for c in verb.children
        ):
            return False
        noun = verb.head
        if not self._person_noun(noun) or noun.tag_ != "NN":
            return False
        end = noun.idx + len(noun.text)
        return not any(m.actor.startswith("Person:") for m in self.covering(noun.idx, end))

    def _plural_antecedent(self, pronoun: Token, earlier: _ByStart) -> str | None:
        """they/them/their -> the one group of people named in this or the previous sentence
        ("police detained 40 activists and released them"); nothing when two groups compete or
        the pronoun picks a part ("some of them", "among them")."""
        doc = self.doc
        if pronoun.dep_ not in SUBJECT_DEPS | {"dobj"}:
            return None  # "their" and "of them" too often mean something else or a part
        sent = self.sentences.of(pronoun)
        before = self.sentences.of(doc[sent.start - 1]) if sent.start > 0 else sent
        lower = before.start_char
        own_subjects = _subjects_of(_clause_verb(pronoun)) if pronoun.dep_ == "dobj" else set()
        found: set[str] = set()
        for m in earlier.starting(lower, pronoun.idx):
            if m.end > pronoun.idx:
                continue
            if (
                m.actor.startswith("Group:")
                and m.text.split()[0].lower() not in POSSESSIVE_PRONOUNS
            ):
                rooted = self.rooted_span(m)
                if rooted is None or rooted[1].i in own_subjects:
                    continue  # "police detained them": not the police
                if rooted[1].tag_ in {"NNS", "NNPS", "CD"}:
                    found.add(m.actor)
        return found.pop() if len(found) == 1 else None

    def _in_quote(self, offset: int) -> bool:
        """Whether an offset lies inside a quotation opened earlier in its paragraph."""
        text = self.text
        before = text[text.rfind("\n\n", 0, offset) + 1 : offset]
        curly = before.count("\u201c") - before.count("\u201d")
        return curly > 0 or before.count('"') % 2 == 1

    @cached_property
    def sentences(self) -> SentenceIndex:
        """The doc's sentences, listed when first asked for."""
        return SentenceIndex(self.doc)

    def rooted_span(self, mention: Mention) -> tuple[Span, Token] | None:
        """A mention's tokens and their root, found once per mention: the pronoun rules weigh
        the same mentions again for every pronoun."""
        where = (mention.start, mention.end)
        if where not in self._rooted:
            span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            self._rooted[where] = None if span is None else (span, span.root)
        return self._rooted[where]

    @cached_property
    def noun_subjects(self) -> list[Token]:
        """The doc's subjects that are singular common nouns, found once for all pronouns."""
        return [self.doc[i] for i in token_indices(self.doc, DEP=SUBJECT_DEPS, TAG={"NN"})]

    def _singular_group_subject(self, lower: int, pronoun: Token, own_clause: Token) -> int:
        """Start of the latest unnamed single person acting as subject ("one protester was
        killed"): a pronoun after it may be that person, so no named person before it is taken.
        Not when that person acts on the pronoun ("a court jailed him") or is what the pronoun
        reports ("a second prisoner refused, he said")."""
        before = self.doc.char_span(lower, pronoun.idx, alignment_mode="expand")
        if before is None:
            return -1
        first = bisect_left(self.noun_subjects, before.start, key=lambda t: t.i)
        upto = bisect_left(self.noun_subjects, before.end, key=lambda t: t.i)
        candidates = [t for t in self.noun_subjects[first:upto] if _indefinite(t)]
        if not candidates:
            return -1
        dominating = _dominating_verbs(pronoun)
        reported = {t.i for t in own_clause.subtree}
        latest = -1
        for token in candidates:
            if token.head.i in dominating or token.i in reported:
                continue
            lemma = token.lemma_.lower()
            if not (lemma in PERSON_NOUNS or lemma.endswith(PERSON_NOUN_ENDINGS)):
                continue
            end = token.idx + len(token.text)
            if any(m.actor.startswith("Person:") for m in self.covering(token.idx, end)):
                continue  # "the president" already linked to a named person
            latest = max(latest, token.left_edge.idx)
        return latest

    # -- groups -------------------------------------------------------------------------------

    def link_groups(self) -> None:
        """ "the prisoners" after "52 political prisoners", "the 14" after "14 foreigners": the
        earlier counted group, when the later phrase has no count of its own (or the same one)."""
        counted: list[tuple[int, Actor]] = []
        for mention in sorted(self.mentions, key=lambda m: m.start):
            if mention.kind != "group":
                continue
            actor = self.actors.get(mention.actor)
            if actor is None:
                continue
            if any(ch.isdigit() for ch in actor.name):
                same = [a for _, a in counted if _same_count(a.name, actor.name)]
                if same and same[-1].key != actor.key:
                    # "222 opponents" ... "the 222 others": one group, under its fullest name
                    kept = self._merge_groups(same[-1], actor)
                    counted = [(start, kept if a is same[-1] else a) for start, a in counted]
                    continue
                counted.append((mention.start, actor))
                continue
            words = mention.text.split()
            if not counted or not words or words[0].lower() != "the" or len(words) > 3:
                continue
            head = words[-1].lower()
            earlier = [
                a
                for _, a in counted
                if any(n.lower().split()[-1] == head for n in (a.name, *a.aliases) if n)
            ]
            if earlier and earlier[-1].key != mention.actor:
                self._move(mention, earlier[-1])
        self._numbers_alone(counted)

    def _merge_groups(self, earlier: Actor, later: Actor) -> Actor:
        """Join two groups; the one with the longer name keeps its key, the other's name and
        mentions move to it."""
        keep, drop = (later, earlier) if len(later.name) > len(earlier.name) else (earlier, later)
        for mention in [m for m in self.mentions if m.actor == drop.key]:
            self.mentions.discard(mention)
            self.add(mention.start, mention.end, keep.key, "group")
        keep.aliases |= {drop.name, *drop.aliases} - {keep.name}
        self.actors.pop(drop.key, None)
        return keep

    def _numbers_alone(self, counted: list[tuple[int, Actor]]) -> None:
        doc = self.doc
        for i in range(1, len(doc)):
            if self.lowers[i - 1] not in {"the", "all"} or not doc[i].like_num:
                continue
            token = doc[i]
            nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if nxt is not None and nxt.pos_ in {"NOUN", "PROPN", "ADJ"}:
                continue
            earlier = [
                a for start, a in counted if start < token.idx and token.text in a.name.split()
            ]
            if earlier:
                start = doc[token.i - 1].idx
                self.add(start, token.idx + len(token.text), earlier[-1].key, "group")

    def _move(self, mention: Mention, target: Actor) -> None:
        """Point a group mention at another group; drop the old group when nothing refers to it."""
        self.mentions.discard(mention)
        self.add(mention.start, mention.end, target.key, "group")
        if not any(m.actor == mention.actor for m in self.mentions):
            self.actors.pop(mention.actor, None)

    def _gender_ok(self, key: str, gender: str) -> bool:
        actor_gender = self.gaz.gender(self.actors[key])
        if gender == "f":
            return actor_gender == "f"
        return actor_gender != "f"


class _ByStart:
    """Mentions ordered by start offset, for the pronoun rules that look at the mentions of a
    few sentences before each pronoun: a range lookup instead of a scan of all mentions."""

    def __init__(self, mentions: Iterable[Mention]) -> None:
        self.mentions = sorted(set(mentions), key=lambda m: m.start)
        self._seen = set(self.mentions)

    def add(self, mention: Mention) -> None:
        if mention not in self._seen:
            self._seen.add(mention)
            insort(self.mentions, mention, key=lambda m: m.start)

    def starting(self, start: int, end: int) -> list[Mention]:
        """The mentions starting in [start, end)."""
        first = bisect_left(self.mentions, start, key=lambda m: m.start)
        upto = bisect_left(self.mentions, end, key=lambda m: m.start)
        return self.mentions[first:upto]


def _count_in(name: str) -> int | None:
    match = COUNT.search(name)
    return int(match.group().replace(",", "")) if match else None


def _same_count(first: str, second: str) -> bool:
    """Whether two counted groups give the same exact count of ten or more ("222 prisoners",
    "the 222 others"): a story names one set of people by its size, smaller counts recur."""
    count = _count_in(first)
    return count is not None and count >= MIN_SHARED_COUNT and count == _count_in(second)


def _clause_verb(token: Token) -> Token:
    """The verb (or root) heading the clause a token belongs to."""
    while token.head.i != token.i and token.pos_ not in {"VERB", "AUX"}:
        token = token.head
    return token


def _indefinite(noun: Token) -> bool:
    """ "a protester", "one prisoner", "another detainee": a new, unnamed individual."""
    return any(
        c.lower_ in {"a", "an", "one", "another"} and c.dep_ in {"det", "nummod"}
        for c in noun.children
    )


def _dominating_verbs(token: Token) -> set[int]:
    """Indices of the heads above a token up to the first conjunction (its own clause chain)."""
    found: set[int] = set()
    while token.head.i != token.i and token.dep_ != "conj":
        token = token.head
        found.add(token.i)
    return found


def _subjects_of(verb: Token) -> set[int]:
    """Indices of a verb's subjects, shared along conjoined verbs ("X detained A and freed B")."""
    found: set[int] = set()
    while True:
        found |= {c.i for c in verb.children if c.dep_ in SUBJECT_DEPS}
        if verb.dep_ != "conj" or verb.head.i == verb.i:
            return found
        verb = verb.head


def _main_clause(token: Token) -> bool:
    """Whether a token's clause is not a noun modifier ("the city where the president had
    launched his career" is one)."""
    while token.head.i != token.i:
        if token.dep_ in EMBEDDED_DEPS:
            return False
        token = token.head
    return True


def _describes(token: Token) -> bool:
    """A word that may qualify a place noun: an adjective or a proper adjective ("Baltic")."""
    return token.pos_ in {"ADJ", "PROPN"} and token.is_alpha and token.lower_ not in ARTICLES


def _initials(name: str) -> str:
    skip = {"of", "the", "and", "for", "on", "in", "de"}
    return "".join(w[0].upper() for w in re.split(r"[\s-]+", name) if w and w.lower() not in skip)


@Language.factory(
    "newskg_aliases",
    default_config={
        "countries": {"@misc": "newskg.gazetteer.v1", "filename": "countries.tsv"},
        "organizations": {"@misc": "newskg.gazetteer.v1", "filename": "organizations.tsv"},
        "persons": {"@misc": "newskg.gazetteer.v1", "filename": "persons.json"},
        "names": {"@misc": "newskg.gazetteer.v1", "filename": "name_words.json"},
    },
    requires=["doc._.actors", "doc._.mentions", "token.dep"],
    assigns=["doc._.actors", "doc._.mentions"],
)
def make_aliases(
    nlp: Language,
    name: str,
    countries: list[dict[str, str]],
    organizations: list[dict[str, str]],
    persons: dict[str, Any],
    names: dict[str, Any],
) -> AliasLinker:
    """Build the aliases step from the gazetteers its config names."""
    return AliasLinker(
        nlp, name, countries=countries, organizations=organizations, persons=persons, names=names
    )
