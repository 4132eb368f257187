"""The newskg_aliases component: link the other ways a text names an actor to the actor.

After newskg_entities, a person named once in full ("Alexander Lukashenko") is usually referred to
by surname, possessive, titled form ("Belarusian President Alexander Lukashenko"), role description
("the Belarusian leader") or pronoun; organisations by acronym or description ("the bloc").
This step adds those mentions and records each new surface form in the actor's aliases and titles.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import compress
from operator import attrgetter
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.entities import POSSESSIVE_TOKENS, Gazetteer, clean_name, title_may_end
from kg.nlp.extensions import register_extensions
from kg.nlp.parse import ParseView
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
#: How most descriptions start ("the former Soviet republic", "the bloc").
THE = re.compile(r"\bthe\s+", re.IGNORECASE)
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
        self.lookups = _Lookups.build(self.gaz)

    def __call__(self, doc: Doc) -> Doc:
        state = DocState(doc, self.gaz, self.lookups)
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
    """The actors and mentions of one doc while aliases are added to them. The rules read the
    parse from `self.tokens`, by token index."""

    def __init__(self, doc: Doc, gaz: Gazetteer, lookups: _Lookups) -> None:
        self.doc = doc
        self.tokens = _Tokens(doc)
        self.text = self.tokens.text
        self.gaz = gaz
        self.lookups = lookups
        self.actors: dict[str, Actor] = doc._.actors if doc._.actors is not None else {}
        doc._.actors = self.actors
        self.mentions: set[Mention] = set(doc._.mentions or [])
        self.nationality: dict[str, str] = {}
        """Person key -> country key, from "U.S. President X", "Belarus' X"."""
        self._rooted: dict[tuple[int, int], tuple[int, int, int] | None] = {}
        self._genders: dict[str, str | None] = {}

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

    def add_tokens(self, start: int, end: int, key: str, kind: str) -> None:
        """Add a mention of the tokens [start, end)."""
        self.add(self.tokens.idx[start], self.tokens.end[end - 1], key, kind)

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """Lower-case form -> indices of the tokens with it, so a rule looking for a few words
        looks them up instead of scanning every token."""
        found: dict[str, list[int]] = {}
        for i, low in enumerate(self.tokens.lower):
            found.setdefault(low, []).append(i)
        return found

    def tokens_in(self, words: Collection[str], start: int = 0) -> list[int]:
        """Indices from `start` of the tokens whose lower-case form is one of `words`, in text
        order."""
        positions = self.positions
        if len(words) < len(positions):
            hits = [i for word in words if word in positions for i in positions[word]]
        else:
            hits = [i for word, at in positions.items() if word in words for i in at]
        return [i for i in sorted(hits) if i >= start]

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
        if not surnames:
            return
        words, idx = self.tokens.words, self.tokens.idx
        # only a token whose lower-case form is a name's can match: an all-caps word
        # lower-cases as its `str.title()` form does
        for i in self.tokens_in({name.lower() for name in (*surnames, *firsts)}):
            word = words[i]
            is_title = word.istitle()
            if not is_title and not word.isupper():
                continue
            text = word if is_title else word.title()
            if text in surnames:
                owner = self._pick(surnames[text])
            elif text in firsts and len(firsts[text]) == 1 and text not in surnames:
                if i + 1 < len(words) and words[i + 1].istitle():
                    continue
                owner = firsts[text][0]
            else:
                continue
            start, end = idx[i], idx[i] + len(word)
            if self.covering(start, end):
                continue
            self.add(start, end, owner.key, "alias")

    def _pick(self, candidates: list[Actor]) -> Actor:
        """Of several persons sharing a surname, the one mentioned most often (then first)."""
        if len(candidates) == 1:
            return candidates[0]
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
            rooted = self.rooted_span(mention)
            if rooted is None:
                continue
            span = rooted[:2]
            extended = self._noun_phrase(rooted, mention.actor)
            if extended is None and mention.actor.startswith("Person:"):
                extended = self._titled(span, mention.actor)
            if extended is None:
                extended = self._country_possessive(span, mention.actor)
            if extended is None and mention.actor.startswith(("Location:", "Country:")):
                extended = self._place_description(span)
            if extended is not None and extended != span:
                self.add_tokens(*extended, mention.actor, "title")
            if mention.actor.startswith("Person:"):
                self._apposition(rooted, mention.actor)

    def _noun_phrase(self, rooted: tuple[int, int, int], key: str) -> tuple[int, int] | None:
        """The name's noun phrase to the left (modifiers, titles, qualifiers) and a suffix noun.
        Spans here and below are token bounds [start, end); `rooted` adds the name's root."""
        tokens = self.tokens
        words, lowers, deps, pos = tokens.words, tokens.lower, tokens.dep, tokens.pos
        first, last, head = rooted
        end = last
        suffix = tokens.head[head]
        if (
            deps[head] == "compound"
            and suffix >= last
            and lowers[suffix] in self.lookups.name_suffixes
            and all(words[i].islower() and deps[i] == "compound" for i in range(last, suffix))
        ):
            head, end = suffix, suffix + 1
        lefts = [c for c in tokens.children[head] if c < head and c < first and deps[c] in NP_DEPS]
        if first >= 2 and lowers[first - 2] == "the":
            before = words[first - 1]
            if before.endswith(".") and self.gaz.country_of(before):
                lefts = []  # "pressure from the U.S. Name was ...": a missed sentence break
        if not lefts:
            return (first, end) if end > last else None
        start = min(tokens.left_edge(c) for c in lefts)
        for i in range(first - 1, start - 1, -1):
            if (
                words[i].isspace()  # `token.is_space`
                or (deps[i] == "cc" and key.startswith("Person:"))  # "X and Belarus' Y"
                or (words[i] not in NP_PUNCT and tokens.is_punct[i])
                or (pos[i] == "VERB" and deps[i] != "amod")
                or (pos[i] == "PRON" and lowers[i] not in POSSESSIVE_PRONOUNS)
            ):
                start = i + 1
                break
        while start < first and (lowers[start] in ARTICLES or words[start] in NP_PUNCT):
            start += 1
        while start >= 2 and words[start - 1] == "-" and lowers[start - 2] in QUALIFIERS:
            start -= 2
        if start >= first or first - start > 8:
            return (first, end) if end > last else None
        self._note_qualifiers(start, first, key)
        return start, end

    def _titled(self, span: tuple[int, int], key: str) -> tuple[int, int] | None:
        """ "then-Secretary of State Mike Pompeo": a title from the lexicon right before the name,
        with the qualifiers before it (countries, organisations, demonyms, "former", "then-")."""
        tokens = self.tokens
        first, last = span
        if first == 0 or not title_may_end(tokens, first, self.gaz):
            return None  # no title ends right before the name: spare joining four texts
        start = None
        for size in (4, 3, 2, 1):
            begin = first - size
            if begin >= 0 and self.gaz.is_title(tokens.span_text(begin, first)):
                start = begin
                break
        if start is None:
            return None
        while start > 0:
            prev = start - 1
            owner = self._mention_ending_at(tokens.end[prev])
            if owner is not None and not owner.actor.startswith("Group:"):
                owner_span = tokens.char_span(owner.start, owner.end)
                assert owner_span is not None  # a mention's offsets lie in tokens
                start = owner_span[0]
            elif self._qualifier(prev):
                start -= 1
            else:
                if tokens.lower[prev] in POSSESSIVE_PRONOUNS:
                    start -= 1
                break
        self._note_qualifiers(start, first, key)
        return start, last

    def _qualifier(self, i: int) -> bool:
        """A word that may precede a title: "-", "former", "then", a demonym or another title."""
        word = self.tokens.words[i]
        return (
            word == "-"
            or self.tokens.lower[i] in QUALIFIERS
            or self.tokens.ent_type(i) == "NORP"
            or (word.istitle() and self.gaz.is_title(word))
        )

    def _place_description(self, span: tuple[int, int]) -> tuple[int, int] | None:
        """ "the Siberian city of Yakutsk", "the town of Khimki": a place phrase before "of"."""
        tokens = self.tokens
        first, last = span
        if first < 2 or tokens.lower[first - 1] != "of":
            return None
        noun = first - 2
        if tokens.lower[noun] not in self.gaz.place_nouns:
            return None
        start = min(tokens.left_edge(noun), noun)
        while start > 0 and noun - start < 3 and tokens.describes(start - 1):
            start -= 1  # "the Baltic exclave of", "the Caribbean island of"
        while start < noun and tokens.lower[start] in ARTICLES:
            start += 1
        return start, last

    def _note_qualifiers(self, start: int, end: int, key: str) -> None:
        """Titles ("President") and nationality ("U.S.", "Belarusian") in the tokens
        [start, end) before a name."""
        tokens = self.tokens
        if key.startswith("Person:"):
            # the ends of the windows a title can end at, so only those windows are joined
            ends = {j for j in range(start + 1, end + 1) if title_may_end(tokens, j, self.gaz)}
            for size in (4, 3, 2, 1):
                for i in range(start, end - size + 1):
                    if i + size not in ends:
                        continue
                    chunk = tokens.span_text(i, i + size)
                    if self.gaz.is_title(chunk):
                        title = clean_name(chunk)
                        self.actors[key].titles.add(self.gaz.title_forms.get(title.lower(), title))
        for i in range(start, end):
            word = tokens.words[i]
            owner = self._mention_ending_at(tokens.end[i])
            if owner is not None:
                self._note_nationality(key, owner)
                continue
            country = self.gaz.country_for_demonym(word) or self.gaz.countries.get(word)
            if country and word[:1].isupper():
                self._note_nationality(key, None, country)

    def _apposition(self, rooted: tuple[int, int, int], key: str) -> None:
        """ "X, a dissident journalist" and "Imamoglu's wife, X": the description is an alias."""
        tokens = self.tokens
        words, deps, tags, heads = tokens.words, tokens.dep, tokens.tag, tokens.head
        first, _, root = rooted
        descriptions = [c for c in tokens.children[root] if deps[c] == "appos" and tags[c] == "NN"]
        if deps[root] == "appos" and tags[heads[root]] == "NN" and heads[root] < first:
            descriptions.append(heads[root])
        for noun in descriptions:
            if not words[noun].isalpha() or not self._person_noun(noun):
                continue
            start = tokens.left_edge(noun)
            end = noun + 1 if noun < first else tokens.right_edge(noun) + 1
            long_clauses = [
                tokens.left_edge(c)
                for c in tokens.children[noun]
                if deps[c] in CLAUSE_DEPS
                and tokens.right_edge(c) - tokens.left_edge(c) >= MAX_CLAUSE
            ]
            end = min([end, *(i for i in long_clauses if i > noun)])
            in_pp = False
            for i in range(noun + 1, end):
                in_pp = in_pp or deps[i] == "prep"
                if (words[i] not in NP_PUNCT and tokens.is_punct[i]) or (
                    not in_pp and self._foreign(i, key)
                ):
                    end = i
                    break
            while end - 1 > noun and deps[end - 1] in {"prep", "det", "cc", "punct"}:
                end -= 1
            if noun < first:
                end = noun + 1
            if start >= end or end - start > 12:
                continue
            title = tokens.lemma[noun].lower()
            if title in self.gaz.titles:
                self.actors[key].titles.add(self.gaz.title_forms.get(title, title))
            self.add_tokens(start, end, key, "title")

    def _person_noun(self, noun: int) -> bool:
        """Whether a noun can describe a person ("citizen", "blogger", "activist", "wife"),
        so that a misparsed "X, a verdict that ..." is no description of X."""
        lemma = self.tokens.lemma[noun].lower()
        return (
            lemma in self.gaz.titles
            or lemma in self.gaz.singular_person_nouns
            or lemma in self.gaz.group_nouns
            or lemma in PERSON_NOUNS
            or lemma.endswith(PERSON_NOUN_ENDINGS)
        )

    def _foreign(self, i: int, key: str) -> bool:
        """Whether token `i` belongs to a mention of another actor."""
        return any(m.actor != key for m in self.covering(self.tokens.idx[i], self.tokens.end[i]))

    def _country_possessive(self, span: tuple[int, int], key: str) -> tuple[int, int] | None:
        """ "Belarus’ Alexander Lukashenko", "Russia's Putin": a country possessive first."""
        tokens = self.tokens
        first, last = span
        if first < 2 or tokens.words[first - 1] not in POSSESSIVE_TOKENS:
            return None
        owner = self._mention_ending_at(tokens.end[first - 2])
        if owner is None or not owner.actor.startswith("Country:"):
            return None
        self._note_nationality(key, owner)
        return tokens.char_span(owner.start, tokens.end[last - 1])

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
        tokens = self.tokens
        # only initials or a word after "(" can match
        after_paren = [i + 1 for i in self.positions.get("(", []) if i + 1 < len(tokens)]
        for i in sorted({*self.tokens_in({k.lower() for k in initials}), *after_paren}):
            word = tokens.words[i]
            if not (word.isupper() and word.isalpha() and len(word) >= 2):
                continue
            start, end = tokens.idx[i], tokens.end[i]
            if self.covering(start, end):
                continue
            actor = initials.get(word)
            if actor is None and i >= 2 and tokens.words[i - 1] == "(":
                before = self._mention_ending_at(tokens.end[i - 2])
                if before is not None and before.actor.startswith("Organization:"):
                    actor = self.actors[before.actor]
            if actor is not None:
                self.add(start, end, actor.key, "alias")

    def link_descriptions(self) -> None:
        """ "the bloc" -> European Union when the EU is named in the same text."""
        present = {a.name for a in self.actors.values() if a.type == "Organization"}
        for pattern, name, after_the in self.lookups.org_descriptions:
            if name not in present:
                continue
            key = f"Organization:{name}"
            matches = self._matches_after_the(pattern) if after_the else pattern.finditer(self.text)
            for match in matches:
                if not self.covering(match.start(), match.end()):
                    self.add(match.start(), match.end(), key, "alias")

    def link_org_nouns(self) -> None:
        """ "the party", "his party", "the ruling party", "the appeals court": the most
        recently named organisation whose name ends in that noun."""
        tokens = self.tokens
        words, lowers = tokens.words, tokens.lower
        heads: dict[str, list[str]] = {}
        for actor in self.actors.values():
            if actor.type != "Organization":
                continue
            for form in {actor.name, *actor.aliases}:
                last = form.split()[-1]
                if last.islower() or last.istitle():
                    heads.setdefault(last.lower(), []).append(actor.key)
        for i in self.tokens_in(heads):
            keys = heads[lowers[i]]
            if not words[i].islower() or tokens.tag[i] != "NN":
                continue
            if i + 1 < len(tokens) and (words[i + 1].istitle() or lowers[i + 1] == "of"):
                continue
            start = i
            while (
                start > 0 and words[start - 1].islower() and tokens.dep[start - 1] in ORG_NOUN_MODS
            ):
                start -= 1
            if start == 0 or lowers[start - 1] not in {"the", *POSSESSIVE_PRONOUNS}:
                continue
            if lowers[start - 1] in POSSESSIVE_PRONOUNS:
                start -= 1
            begin, end = tokens.idx[start], tokens.end[i]
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
        tokens = self.tokens
        for i in self.tokens_in(self.gaz.leader_nouns):
            if tokens.tag[i] not in {"NN", "NNP"}:
                continue
            if tokens.idx[i] and self.covering(tokens.idx[i], tokens.end[i]):
                continue
            det = next((j for j in range(max(0, i - 3), i) if tokens.lower[j] == "the"), None)
            if det is None or (i + 1 < len(tokens) and tokens.words[i + 1].istitle()):
                continue
            country = self._country_in(det + 1, i)
            person = self._leader(country, i)
            if person is not None:
                self.add_tokens(det, i + 1, person, "title")

    def _country_in(self, start: int, end: int) -> str | None:
        """The country the tokens [start, end) name, "?" for other words, None for none."""
        words = self.tokens.words
        for word in words[start:end]:
            name = self.gaz.country_for_demonym(word) or self.gaz.countries.get(word)
            if name:
                return f"Country:{name}"
        if start >= end:
            return None
        name = self.gaz.countries.get(
            clean_name(self.tokens.span_text(start, end)).rstrip("’'s").strip()
        )
        return f"Country:{name}" if name else "?"

    def _leader(self, country: str | None, noun_at: int) -> str | None:
        """The person with a leader title linked to `country` (or the only one, when no country)."""
        if country == "?":
            return None
        noun = self.tokens.lower[noun_at]
        offset = self.tokens.idx[noun_at]
        leaders = [
            a.key
            for a in self.persons()
            if {t.lower() for t in a.titles} & self.gaz.leader_titles
            and (noun in {"leader", "strongman", "autocrat", "ruler", "dictator"}
                 or noun in {t.lower() for t in a.titles})
            and self.first_offset(a.key) < offset
        ]  # fmt: skip
        if country is not None:
            leaders = [k for k in leaders if self.nationality.get(k) == country]
        return leaders[0] if len(leaders) == 1 else None

    def link_title_nouns(self) -> None:
        """ "the bishop", "the president" -> the one person in the text who holds that title."""
        tokens = self.tokens
        for i in self.tokens_in(self.gaz.titles, start=1):
            if tokens.lower[i - 1] != "the" or tokens.tag[i] != "NN":
                continue
            if i + 1 < len(tokens) and (
                tokens.words[i + 1].istitle() or tokens.lower[i + 1] == "of"
            ):
                continue
            if self.covering(tokens.idx[i - 1], tokens.end[i]):
                continue
            holders = [
                a.key
                for a in self.persons()
                if tokens.lower[i] in {t.lower() for t in a.titles}
                and self.first_offset(a.key) < tokens.idx[i]
            ]
            if len(holders) == 1:
                self.add_tokens(i - 1, i + 1, holders[0], "title")

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
        words, idx = self.tokens.words, self.tokens.idx
        positions, demonyms = self.positions, self.gaz.demonyms
        found = []
        for low in positions.keys() & demonyms.keys():  # the doc's words that are demonyms
            country = demonyms[low]  # `country_for_demonym`
            if country:
                found += [
                    (idx[i], idx[i] + len(words[i]), country)
                    for i in positions[low]
                    if words[i].istitle()
                ]
        return sorted(found)

    def link_states(self) -> None:
        """The state as an actor: "Serbian authorities", "the Iranian regime", "Chile's
        government", "Mugabe's government", "the Obama administration", and a bare "the country",
        "the government" for the country the story is about."""
        tokens = self.tokens
        nouns = [
            i
            for i in self.tokens_in(STATE_NOUNS, start=1)
            if tokens.tag[i] in {"NN", "NNS", "NNP"}
            and not (i + 1 < len(tokens) and tokens.lower[i + 1] == "of")
        ]
        if not nouns:
            return
        focus = self.focus_country()  # as the mentions stand before this rule adds any
        for i in nouns:
            end = tokens.end[i]
            country, start = self._state_owner(i - 1, i, focus)
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
        described = self.lookups.described
        found = []
        for i in sorted({i for key in self.actors for i in described.get(key, ())}):
            pattern, keys = self.lookups.country_descriptions[i]
            matches = self._matches_after_the(pattern)
            if matches:
                found.append(([k for k in keys if k in self.actors], matches))
        # the story's country, as the mentions stand before this rule adds any, decides only
        # between several countries a description fits
        focus = self.focus_country() if any(len(present) > 1 for present, _ in found) else None
        for present, matches in found:
            for match in matches:
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

    @cached_property
    def the_offsets(self) -> list[int]:
        """Where "the" and whitespace start in the text: where a description that starts so
        ("the former Soviet republic", "the bloc") can match."""
        return [match.start() for match in THE.finditer(self.text)]

    def _matches_after_the(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """`pattern.finditer(self.text)` for a pattern whose matches start where THE matches:
        tried only there, instead of at every offset of the text for every pattern."""
        found: list[re.Match[str]] = []
        for start in self.the_offsets:
            if found and start < found[-1].end():
                continue  # inside the last match: `finditer` goes on after it
            match = pattern.match(self.text, start)
            if match:
                found.append(match)
        return found

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

    def _state_owner(self, prev: int, noun: int, focus: str | None) -> tuple[str | None, int]:
        """Whose state a state noun names, and where the phrase starts."""
        tokens = self.tokens
        word = tokens.words[prev]
        if word in POSSESSIVE_TOKENS and prev > 0:
            owner = self._mention_ending_at(tokens.end[prev - 1])
            if owner is None:
                return None, 0
            start = owner.start
            return self._country_of(owner.actor, focus), start
        if word.istitle() and self.gaz.country_for_demonym(word):
            start = tokens.idx[prev]
            return f"Country:{self.gaz.country_for_demonym(word)}", start
        owner = self._mention_ending_at(tokens.end[prev])
        if owner is not None and tokens.lower[noun] == "administration":
            country = self._country_of(owner.actor, None)
            if country is None and owner.actor.startswith("Person:"):
                country = US_KEY
            return country, owner.start
        if tokens.lower[prev] == "the" and tokens.lower[noun] in BARE_STATE_NOUNS:
            return focus, tokens.idx[prev]
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
        tokens = self.tokens
        lowers = tokens.lower
        nouns = [
            i
            for i in self.tokens_in({"capital"}, start=1)
            if tokens.tag[i] == "NN"
            and not (i + 1 < len(tokens) and lowers[i + 1] in {"of", "'s", "’s"})
        ]
        # a bare "the capital" is the story's country's, as the mentions stand before this rule
        # adds any
        focus = self.focus_country() if any(lowers[i - 1] == "the" for i in nouns) else None
        for i in nouns:
            if lowers[i - 1] == "the":
                country = focus[len("Country:") :] if focus else None
                start = i - 1
            elif i >= 2 and lowers[i - 2] == "the":
                country = self.gaz.country_for_demonym(tokens.words[i - 1])
                start = i - 2
            else:
                continue
            if country is None:
                continue
            for city, owner in self.gaz.capitals.items():
                key = f"Location:{city}"
                if owner == country and key in self.actors:
                    self.add_tokens(start, i + 1, key, "title")
                    break

    # -- pronouns -----------------------------------------------------------------------------

    def link_pronouns(self) -> None:
        """he/his/him, she/her -> the latest compatible person subject nearby."""
        pronouns = self.gaz.pronouns_male | self.gaz.pronouns_female | PLURAL_PRONOUNS
        earlier = _ByStart(self.mentions)  # the mentions so far, pronoun mentions added below
        tokens = self.tokens
        for i in self.tokens_in(pronouns):
            low = tokens.lower[i]
            if low in self.gaz.pronouns_male or low in self.gaz.pronouns_female:
                gender = "m" if low in self.gaz.pronouns_male else "f"
                key = self._antecedent(i, gender, earlier)
            else:
                key = self._plural_antecedent(i, earlier)
            if key is not None:
                earlier.add(self.add(tokens.idx[i], tokens.end[i], key, "pronoun", alias=False))

    def _antecedent(self, pronoun: int, gender: str, earlier: _ByStart) -> str | None:
        """The person a he/she/his/her refers to, ranked as readers resolve it: the subject of
        the pronoun's own clause for a possessive ("the president launched his career"), then
        main-clause subjects of this and the previous sentence (a subject inside a relative
        clause is a side character), then any person named there, then subjects a few sentences
        back; the latest within a rank. Earlier pronoun mentions count, so chains carry on."""
        tokens = self.tokens
        deps, heads = tokens.dep, tokens.head
        sents = [tokens.sentence_start(pronoun)]
        while len(sents) <= PRONOUN_LOOKBACK and sents[-1] > 0:
            sents.append(tokens.sentence_start(sents[-1] - 1))
        near = tokens.idx[sents[min(1, len(sents) - 1)]]
        lower = tokens.idx[sents[-1]]
        own_clause = tokens.clause_verb(pronoun)
        blocker = self._singular_group_subject(lower, pronoun, own_clause)
        if self._unnamed_relative_subject(own_clause):
            return None
        possessive = deps[pronoun] == "poss" or tokens.lower[pronoun].endswith("self")
        quoted = self._in_quote(tokens.idx[pronoun])
        best: tuple[int, int, str] | None = None
        for m in earlier.starting(lower, tokens.idx[pronoun]):
            if not m.actor.startswith("Person:"):
                continue
            if m.start < blocker or m.actor not in self.actors:
                continue
            if not self._gender_ok(m.actor, gender):
                continue
            rooted = self.rooted_span(m)
            if rooted is None:
                continue
            start, end, root = rooted
            relative_head = deps[own_clause] == "relcl" and start <= heads[own_clause] < end
            if deps[root] in {"compound", "appos", "conj"} and deps[heads[root]] in SUBJECT_DEPS:
                root = heads[root]  # "One of them, activist X, refused", "A and X spoke"
            subject = deps[root] in SUBJECT_DEPS
            if subject and quoted and tokens.lemma[heads[root]] in self.gaz.speech_verbs:
                subject = False  # "X told AP. 'He refused ...'": the speaker says "I"
            same_clause = tokens.clause_verb(root) == own_clause
            if (subject and same_clause and possessive) or relative_head:
                rank = 0  # "the president launched his career", "X, who ruled his nation"
            elif subject and same_clause and deps[pronoun] in OBJECT_DEPS:
                continue  # "Ana praised her" is someone else (else "herself")
            elif subject and m.start >= near:
                rank = 1 if tokens.main_clause(root) else 2
            elif m.start >= near:
                rank = 3
            elif subject and tokens.main_clause(root):
                rank = 4
            else:
                continue
            candidate = (-rank, m.start, m.actor)
            if best is None or candidate > best:
                best = candidate
        return best[2] if best is not None else None

    def _unnamed_relative_subject(self, verb: int) -> bool:
        """ "a leader who was shunned for his ...": the pronoun belongs to the unnamed person the
        relative clause describes, not to anyone named before."""
        tokens = self.tokens
        if tokens.dep[verb] != "relcl" or not any(
            tokens.dep[c] in SUBJECT_DEPS and tokens.lower[c] in {"who", "that"}
            for c in tokens.children[verb]
        ):
            return False
        noun = tokens.head[verb]
        if not self._person_noun(noun) or tokens.tag[noun] != "NN":
            return False
        covering = self.covering(tokens.idx[noun], tokens.end[noun])
        return not any(m.actor.startswith("Person:") for m in covering)

    def _plural_antecedent(self, pronoun: int, earlier: _ByStart) -> str | None:
        """they/them/their -> the one group of people named in this or the previous sentence
        ("police detained 40 activists and released them"); nothing when two groups compete or
        the pronoun picks a part ("some of them", "among them")."""
        tokens = self.tokens
        if tokens.dep[pronoun] not in SUBJECT_DEPS | {"dobj"}:
            return None  # "their" and "of them" too often mean something else or a part
        sent = tokens.sentence_start(pronoun)
        before = tokens.sentence_start(sent - 1) if sent > 0 else sent
        lower = tokens.idx[before]
        own_subjects = (
            tokens.subjects_of(tokens.clause_verb(pronoun))
            if tokens.dep[pronoun] == "dobj"
            else set()
        )
        offset = tokens.idx[pronoun]
        found: set[str] = set()
        for m in earlier.starting(lower, offset):
            if m.end > offset:
                continue
            if (
                m.actor.startswith("Group:")
                and m.text.split()[0].lower() not in POSSESSIVE_PRONOUNS
            ):
                rooted = self.rooted_span(m)
                if rooted is None or rooted[2] in own_subjects:
                    continue  # "police detained them": not the police
                if tokens.tag[rooted[2]] in {"NNS", "NNPS", "CD"}:
                    found.add(m.actor)
        return found.pop() if len(found) == 1 else None

    def _in_quote(self, offset: int) -> bool:
        """Whether an offset lies inside a quotation opened earlier in its paragraph."""
        text = self.text
        before = text[text.rfind("\n\n", 0, offset) + 1 : offset]
        curly = before.count("\u201c") - before.count("\u201d")
        return curly > 0 or before.count('"') % 2 == 1

    def rooted_span(self, mention: Mention) -> tuple[int, int, int] | None:
        """A mention's token bounds and root, found once per mention: the title rules and the
        pronoun rules (for every pronoun again) weigh the same mentions."""
        where = (mention.start, mention.end)
        if where not in self._rooted:
            span = self.tokens.char_span(mention.start, mention.end)
            self._rooted[where] = None if span is None else (*span, self.tokens.root(*span))
        return self._rooted[where]

    @cached_property
    def noun_subjects(self) -> list[int]:
        """The doc's subjects that are singular common nouns, found once for all pronouns."""
        tags, deps = self.tokens.tag, self.tokens.dep
        nouns = compress(range(len(tags)), map("NN".__eq__, tags))
        return [i for i in nouns if deps[i] in SUBJECT_DEPS]

    def _singular_group_subject(self, lower: int, pronoun: int, own_clause: int) -> int:
        """Start of the latest unnamed single person acting as subject ("one protester was
        killed"): a pronoun after it may be that person, so no named person before it is taken.
        Not when that person acts on the pronoun ("a court jailed him") or is what the pronoun
        reports ("a second prisoner refused, he said")."""
        tokens = self.tokens
        before = tokens.char_span(lower, tokens.idx[pronoun])
        if before is None:
            return -1
        first = bisect_left(self.noun_subjects, before[0])
        upto = bisect_left(self.noun_subjects, before[1])
        candidates = [i for i in self.noun_subjects[first:upto] if tokens.indefinite(i)]
        if not candidates:
            return -1
        dominating = tokens.dominating_verbs(pronoun)
        latest = -1
        for i in candidates:
            if tokens.head[i] in dominating or i == own_clause or tokens.is_ancestor(own_clause, i):
                continue  # acts on the pronoun, or is in the clause the pronoun reports
            lemma = tokens.lemma[i].lower()
            if not (lemma in PERSON_NOUNS or lemma.endswith(PERSON_NOUN_ENDINGS)):
                continue
            if any(
                m.actor.startswith("Person:") for m in self.covering(tokens.idx[i], tokens.end[i])
            ):
                continue  # "the president" already linked to a named person
            latest = max(latest, tokens.idx[tokens.left_edge(i)])
        return latest

    # -- groups -------------------------------------------------------------------------------
    def link_groups(self) -> None:
        """ "the prisoners" after "52 political prisoners", "the 14" after "14 foreigners": the
        earlier counted group, when the later phrase has no count of its own (or the same one)."""
        counted: list[tuple[int, Actor]] = []
        groups = [m for m in self.mentions if m.kind == "group"]
        for mention in sorted(groups, key=attrgetter("start")):
            actor = self.actors.get(mention.actor)
            if actor is None:
                continue
            if any(map(str.isdigit, actor.name)):
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
        """ "the 14", "all 222": a bare number after "the" or "all" is the counted group
        named earlier with that number."""
        if not counted:
            return
        tokens = self.tokens
        for i in self.tokens_in({"the", "all"}):
            number = i + 1
            if number == len(tokens) or not tokens.like_num(number):
                continue
            if number + 1 < len(tokens) and tokens.pos[number + 1] in {"NOUN", "PROPN", "ADJ"}:
                continue
            word, offset = tokens.words[number], tokens.idx[number]
            earlier = [a for start, a in counted if start < offset and word in a.name.split()]
            if earlier:
                self.add_tokens(i, number + 1, earlier[-1].key, "group")

    def _move(self, mention: Mention, target: Actor) -> None:
        """Point a group mention at another group; drop the old group when nothing refers to it."""
        self.mentions.discard(mention)
        self.add(mention.start, mention.end, target.key, "group")
        if not any(m.actor == mention.actor for m in self.mentions):
            self.actors.pop(mention.actor, None)

    def _gender_ok(self, key: str, gender: str) -> bool:
        if key not in self._genders:  # titles, which tell gender, are all found by now
            self._genders[key] = self.gaz.gender(self.actors[key])
        actor_gender = self._genders[key]
        if gender == "f":
            return actor_gender == "f"
        return actor_gender != "f"


class _ByStart:
    """Mentions ordered by start offset, for the pronoun rules that look at the mentions of a
    few sentences before each pronoun: a range lookup instead of a scan of all mentions."""

    def __init__(self, mentions: Iterable[Mention]) -> None:
        self._seen = set(mentions)  # hashed once: a `Mention` hashes all its fields
        self.mentions = sorted(self._seen, key=lambda m: m.start)

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


@dataclass
class _Lookups:
    """What the rules derive from the gazetteer, derived once instead of for every doc."""

    name_suffixes: frozenset[str]
    """Nouns that end a name's noun phrase ("the state airline Belavia")."""
    org_descriptions: list[tuple[re.Pattern[str], str, bool]]
    """Pattern of an organisation description ("the bloc"), the organisation's name, and
    whether the description starts with "the"."""
    country_descriptions: list[tuple[re.Pattern[str], list[str]]]
    """Pattern of "the" and a country description -> the keys of the countries it may stand
    for."""
    described: dict[str, list[int]]
    """Country key -> the indices in `country_descriptions` of its descriptions."""

    @classmethod
    def build(cls, gaz: Gazetteer) -> _Lookups:
        org_descriptions = [
            (
                re.compile(rf"\b{re.escape(description)}\b", re.IGNORECASE),
                name,
                description.startswith("the "),  # so its matches start where THE matches
            )
            for description, name in gaz.org_descriptions.items()
        ]
        country_descriptions = []
        described: dict[str, list[int]] = {}
        for i, (description, names) in enumerate(gaz.descriptions.items()):
            words = r"\s+".join(re.escape(w) for w in description.split())
            pattern = re.compile(rf"{THE.pattern}({words})\b(?![-\w])", re.IGNORECASE)
            keys = [f"Country:{name}" for name in names]
            country_descriptions.append((pattern, keys))
            for key in keys:
                described.setdefault(key, []).append(i)
        return cls(
            gaz.place_suffixes | NAME_SUFFIXES, org_descriptions, country_descriptions, described
        )


class _Tokens(ParseView):
    """What the alias rules read of one doc: the shared parse tables (`kg.nlp.parse`) and the
    rules' own walks of the tree. Flags spaCy derives from the text alone are read as the same
    `str` methods (`token.is_title` is `str.istitle`, `is_lower` `str.islower`, `is_alpha`
    `str.isalpha`, `is_space` `str.isspace`); what the rules read for a few tokens only
    (edges, `like_num`, the entity type, which the entities step has just set) comes from the
    `Token`."""

    def left_edge(self, i: int) -> int:
        return self.doc[i].left_edge.i

    def right_edge(self, i: int) -> int:
        return self.doc[i].right_edge.i

    def like_num(self, i: int) -> bool:
        return self.doc[i].like_num

    def ent_type(self, i: int) -> str:
        return self.doc[i].ent_type_

    def clause_verb(self, i: int) -> int:
        """The verb (or root) heading the clause a token belongs to."""
        while self.head[i] != i and self.pos[i] not in {"VERB", "AUX"}:
            i = self.head[i]
        return i

    def indefinite(self, noun: int) -> bool:
        """ "a protester", "one prisoner", "another detainee": a new, unnamed individual."""
        return any(
            self.lower[c] in {"a", "an", "one", "another"} and self.dep[c] in {"det", "nummod"}
            for c in self.children[noun]
        )

    def dominating_verbs(self, i: int) -> set[int]:
        """The heads above a token up to the first conjunction (its own clause chain)."""
        found: set[int] = set()
        while self.head[i] != i and self.dep[i] != "conj":
            i = self.head[i]
            found.add(i)
        return found

    def subjects_of(self, verb: int) -> set[int]:
        """A verb's subjects, shared along conjoined verbs ("X detained A and freed B")."""
        found: set[int] = set()
        while True:
            found |= {c for c in self.children[verb] if self.dep[c] in SUBJECT_DEPS}
            if self.dep[verb] != "conj" or self.head[verb] == verb:
                return found
            verb = self.head[verb]

    def main_clause(self, i: int) -> bool:
        """Whether a token's clause is not a noun modifier ("the city where the president had
        launched his career" is one)."""
        while self.head[i] != i:
            if self.dep[i] in EMBEDDED_DEPS:
                return False
            i = self.head[i]
        return True

    def describes(self, i: int) -> bool:
        """A word that may qualify a place noun: an adjective or a proper adjective ("Baltic")."""
        return (
            self.pos[i] in {"ADJ", "PROPN"}
            and self.words[i].isalpha()
            and self.lower[i] not in ARTICLES
        )


@lru_cache(maxsize=4096)  # an organisation recurs across the articles of a run
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
