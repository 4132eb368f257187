"""newskg_relations: relations between actors (titles, appositions, possessives) and between events.

Actor relations come from the words next to a name: "U.S. President Donald Trump" (leaderOf),
"X, the husband of Y" (spouseOf), "Y's senior adviser X" (advisorOf), "a journalist for Z"
(memberOf), "a Lithuanian who..." (citizenOf), "X, who has ruled Y" (leaderOf); lists of well-known
leaders (with their terms) and state bodies cover "President X" and "the State Department", which
name no country. Event relations come from connectives between two event triggers ("as part of",
"in exchange for", "after", "before"), from coordinated triggers, and from discourse rules for
what no single phrase links: a person's arrest-trial-release story, handovers and single releases
as parts of the main release, crackdowns caused by protests, reactions caused by the event they
name ("called the release ..."), sanctions explained by the misdeeds told next to them.
The words live in `data/lexicons/relations.json`; demonyms come from the countries gazetteer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.data import load_json, load_tsv
from kg.nlp.parse import ParseView
from kg.nlp.spans import MentionIndex, trimmed_bounds
from kg.nlp.types import Actor, ActorRelation, Event, EventRelation, Mention, actor_key

SUBJECT_TYPES = ("Person", "Organization", "Country", "Group")
CATEGORY_PREDICATE = {
    "spouse": "spouseOf",
    "relative": "relativeOf",
    "advisor": "advisorOf",
    "envoy": "envoyOf",
    "ally": "allyOf",
    "citizen": "citizenOf",
    "leader": "leaderOf",
    "member": "memberOf",
}
#: Which object types each predicate accepts.
OBJECT_TYPES = {
    "leaderOf": ("Country", "Organization", "Group", "Location"),
    "memberOf": ("Country", "Organization", "Group"),
    "spouseOf": ("Person",),
    "relativeOf": ("Person",),
    "advisorOf": ("Person", "Organization", "Country"),
    "envoyOf": ("Person", "Organization", "Country"),
    "allyOf": ("Person", "Organization", "Country", "Group"),
    "citizenOf": ("Country",),
}
#: Categories tried first win when one phrase holds several role words ("opposition leader's aide").
CATEGORY_ORDER = ("spouse", "relative", "advisor", "envoy", "ally", "citizen", "leader", "member")
WINDOW_DEPS = ("compound", "amod", "poss", "case", "nmod", "det", "punct", "npadvmod", "nummod")


@spacy.registry.misc("newskg.relation_lexicon.v1")
def relation_lexicon(filename: str = "relations.json") -> dict[str, Any]:
    """Load the relation lexicon shipped in data/lexicons."""
    return load_json("lexicons", filename)


@spacy.registry.misc("newskg.demonyms.v1")
def demonyms(filename: str = "countries.tsv") -> dict[str, str]:
    """Demonym (lower case: "belarusian", "lithuanians") -> country name, from the gazetteer."""
    table: dict[str, str] = {}
    for row in load_tsv("gazetteers", filename):
        for word in (row.get("demonyms") or "").split("|"):
            word = word.strip().lower()
            if word:
                table.setdefault(word, row["name"])
                table.setdefault(word + "s", row["name"])
    return table


@Language.factory(
    "newskg_relations",
    default_config={
        "lexicon": {"@misc": "newskg.relation_lexicon.v1"},
        "demonyms": {"@misc": "newskg.demonyms.v1"},
    },
    requires=["token.dep", "doc._.mentions", "doc._.events"],
    assigns=["doc._.actor_relations", "doc._.event_relations"],
)
def make_relations(
    nlp: Language, name: str, lexicon: dict[str, Any], demonyms: dict[str, str]
) -> RelationExtractor:
    """Build the newskg_relations component."""
    return RelationExtractor(nlp, name, lexicon=lexicon, demonyms=demonyms)


class RelationExtractor:
    """Pipeline step writing `doc._.actor_relations` and `doc._.event_relations`."""

    def __init__(
        self, nlp: Language, name: str, *, lexicon: dict[str, Any], demonyms: dict[str, str]
    ) -> None:
        self.name = name
        self.demonyms = demonyms
        self.country_keys = {actor_key("Country", c) for c in demonyms.values()}
        self.role_words: list[tuple[str, str]] = []
        for category in CATEGORY_ORDER:
            for phrase in lexicon[f"{category}_words"]:
                self.role_words.append((phrase.lower(), category))
        self.role_words.sort(key=lambda pair: -len(pair[0]))
        self.role_positions: dict[tuple[str, ...], int] = {}
        """The words of each role phrase -> its first place in `role_words`."""
        for position, (phrase, _) in enumerate(self.role_words):
            self.role_positions.setdefault(tuple(phrase.split(" ")), position)
        self.role_size = max((len(words) for words in self.role_positions), default=0)
        self.role_starts = {words[0] for words in self.role_positions}
        self.leader_words = {w.lower() for w in lexicon["leader_words"]}
        self.state_org_heads = set(lexicon["state_org_heads"])
        self.role_preps = set(lexicon["role_preps"])
        self.connectives: dict[str, str] = lexicon["event_connectives"]
        self.connective_starts = {words.split()[0] for words in self.connectives}
        self.link_nouns = set(lexicon["link_nouns"])
        self.whole_types = set(lexicon["partof_whole_types"])
        self.known_leaders: dict[str, str] = lexicon["known_leaders"]
        self.known_org_leaders: dict[str, str] = lexicon["known_org_leaders"]
        self.title_orgs: dict[str, list[str]] = lexicon["title_organizations"]
        self.institutions: dict[str, str] = lexicon["national_institutions"]
        self.head_titles = [t.lower() for t in lexicon["head_titles"]]
        self.former_words = {w.strip("-") for w in lexicon["former_words"]}
        self.leader_verbs = set(lexicon["leader_verbs"])
        self.leader_terms: dict[str, str] = lexicon["leader_terms"]
        self.national_titles: dict[str, str] = lexicon["national_titles"]
        self.domestic_heads = set(lexicon["domestic_body_heads"])
        self.domestic_words = set(lexicon["domestic_body_words"])
        self.home_exclude = set(lexicon["home_country_exclude"])
        self.role_heads = {
            phrase.split()[-1]
            for category in ("leader", "member", "envoy", "advisor")
            for phrase in (w.lower() for w in lexicon[f"{category}_words"])
        }
        self.state_roles = set(lexicon["state_roles"])
        self.place_nouns = set(lexicon["place_nouns"])
        self.life_ranks: dict[str, int] = lexicon["life_story_ranks"]
        self.life_reach: dict[str, int] = lexicon["life_story_reach"]
        self.told_back: dict[str, list[str]] = lexicon["told_back_causes"]
        self.statement_reach: int = lexicon["statement_reach"]
        self.reaction_reach: int = lexicon["reaction_actor_reach"]
        self.order_words = set(lexicon["order_words"])
        self.order_reach: int = lexicon["order_reach"]
        self.sequel_marks = set(lexicon["sequel_marks"])
        self.ordered_types = set(lexicon["ordered_types"])
        self.answer_nouns = set(lexicon["answer_nouns"])
        self.protest_calls = set(lexicon["protest_call_verbs"])
        self.family_types = set(lexicon["family_types"])
        self.swap_words = set(lexicon["swap_words"])
        self.swap_parts = set(lexicon["swap_parts"])
        self.family_reach: dict[str, int] = lexicon["family_reach"]
        self.crowd_family_types = set(lexicon["crowd_family_types"])
        self.main_parts: dict[str, list[str]] = lexicon["main_event_parts"]
        self.crackdown_causes: dict[str, list[str]] = lexicon["crackdown_causes"]
        self.crowd_actions = set(lexicon["crowd_actions"])
        self.reaction_types = set(lexicon["reaction_types"])
        self.reference_nouns: dict[str, str] = lexicon["reference_nouns"]
        self.reaction_fallback: dict[str, list[str]] = lexicon["reaction_fallback"]
        self.request_nouns: dict[str, str] = lexicon["request_reference_nouns"]
        self.reference_words = set(self.reference_nouns) | set(self.request_nouns)
        self.content_object_types = set(lexicon["content_object_types"])
        self.explained_by: dict[str, list[str]] = lexicon["explained_by"]
        self.purpose_preps = set(lexicon["purpose_preps"])
        self.rewards: dict[str, list[str]] = lexicon["reward_pairs"]
        self.sequence_verbs = set(lexicon["sequence_verbs"])
        self.measure_nouns = set(lexicon["measure_nouns"])
        self.purpose_holders = set(lexicon["purpose_holders"])
        self.not_parts: dict[str, list[str]] = lexicon["not_parts_of"]
        self.cause_verbs = set(lexicon["cause_verbs"])
        self.undoes: dict[str, list[str]] = lexicon["undoes"]
        self.part_only_types: dict[str, list[str]] = lexicon["part_only_types"]

    def __call__(self, doc: Doc) -> Doc:
        parse = _Parse(doc)
        doc._.actor_relations = self.actor_relations(doc, parse)
        doc._.event_relations = self.event_relations(doc, parse)
        return doc

    # ------------------------------------------------------------------ actor relations

    def actor_relations(self, doc: Doc, parse: _Parse | None = None) -> list[ActorRelation]:
        """Relations stated by titles, appositions, possessives and predicates next to names."""
        parse = parse or _Parse(doc)
        actors: dict[str, Actor] = doc._.actors or {}
        index = parse.mentions
        found: dict[tuple[str, str, str], ActorRelation] = {}
        for mention in index.mentions:
            actor = actors.get(mention.actor)
            if actor is None or actor.type not in SUBJECT_TYPES or mention.kind == "pronoun":
                continue
            span = parse.char_span(mention.start, mention.end)
            if span is None or span[0] == span[1]:
                continue
            sent = parse.sentence_of(span[0])
            head = parse.root(*span)
            window = _prefix_window(parse, span, parse.sent_starts[sent])
            window += _title_part(parse, span, mention)
            links = _has_role_links(parse, head)
            if not window and not links:
                continue  # most names: no words around them that could state a relation
            for predicate, obj in self._relations_of(parse, head, window, links, actor, actors):
                if obj == actor.key:
                    continue
                if obj in actors:
                    obj_type = actors[obj].type
                elif obj in self.country_keys:
                    obj_type = "Country"  # "a Russian citizen" in a story that never names Russia
                else:
                    continue
                if obj_type not in OBJECT_TYPES[predicate]:
                    continue
                key = (actor.key, predicate, obj)
                if key not in found:
                    found[key] = ActorRelation(*key, *parse.sentence_bounds(sent))
        self._known_roles(parse, actors, found)
        self._derive_envoys(found, actors)
        return sorted(
            found.values(), key=lambda r: (r.sent_start, r.subject, r.predicate, r.object)
        )

    def _known_roles(
        self,
        parse: _Parse,
        actors: dict[str, Actor],
        found: dict[tuple[str, str, str], ActorRelation],
    ) -> None:
        """Leaders the text titles as such ("President X", "Belarus' X") and state bodies named
        without their country ("the State Department"), from the lexicon's lists of known ones."""
        published = parse.doc._.published or ""
        where: dict[str, Mention] = {}
        counts: dict[str, int] = {}
        for mention in parse.mentions.mentions:
            where.setdefault(mention.actor, mention)
            counts[mention.actor] = counts.get(mention.actor, 0) + 1
        home = self._home_country(counts)
        org_forms: list[tuple[str, list[str]]] | None = None
        for key, actor in actors.items():
            pairs: list[tuple[str, str]] = []
            if actor.type == "Person":
                for table, obj_type in (
                    (self.known_leaders, "Country"),
                    (self.known_org_leaders, "Organization"),
                ):
                    place = table.get(actor.name)
                    if (
                        place
                        and self._in_office(actor.name, published)
                        and self._titled_leader(actor, actors)
                    ):
                        pairs.append(("leaderOf", actor_key(obj_type, place)))
                for alias in actor.aliases:
                    for title, country in self.national_titles.items():
                        if alias.lower().startswith(title + " ") and not self._former(alias):
                            pairs.append(("memberOf", actor_key("Country", country)))
                for title in {t.lower() for t in actor.titles}:
                    for org in self.title_orgs.get(title, []):
                        if actor_key("Organization", org) in actors:
                            pairs.append(("leaderOf", actor_key("Organization", org)))
                            break
            elif actor.type == "Organization":
                for name in (actor.name, *sorted(actor.aliases)):
                    country = self.institutions.get(name) or self._named_state_body(name, actors)
                    if country:
                        pairs.append(("memberOf", actor_key("Country", country)))
                        break
                else:
                    if home and self._domestic_body(actor.name):
                        pairs.append(("memberOf", home))
            elif actor.type == "Group":
                if org_forms is None:
                    org_forms = self._organization_forms(actors)
                pairs += [("memberOf", org) for org in self._body_of_group(actor, org_forms)]
            mention = where.get(key)
            if not pairs or mention is None:
                continue
            span = parse.char_span(mention.start, mention.end)
            if span is None or span[0] == span[1]:
                continue
            bounds = parse.sentence_bounds(parse.sentence_of(span[0]))
            for predicate, obj in pairs:
                if obj in actors and obj != key:
                    rel_key = (key, predicate, obj)
                    found.setdefault(rel_key, ActorRelation(*rel_key, *bounds))

    def _named_state_body(self, name: str, actors: dict[str, Actor]) -> str | None:
        """ "Polish Defense Ministry", "U.S. Embassy", "Managua appeals court": a state body named
        with its country, a demonym or the capital."""
        words = name.split()
        if len(words) < 2 or words[-1].lower() not in self.state_org_heads:
            return None
        first = words[0].lower().replace("’", "'").removesuffix("'s").removesuffix("'")
        if first in self.demonyms:
            return self.demonyms[first]
        for other in actors.values():
            if other.type == "Country" and first in {
                a.lower() for a in (other.name, *other.aliases)
            }:
                return other.name
        return None

    def _home_country(self, counts: dict[str, int]) -> str | None:
        """The country the story is about: named clearly more often than any other (leaving
        out the countries the wires name in every story)."""
        ranked = sorted(
            (n, key)
            for key, n in counts.items()
            if key.startswith("Country:") and key.partition(":")[2] not in self.home_exclude
        )
        if not ranked or (len(ranked) > 1 and ranked[-1][0] == ranked[-2][0]):
            return None
        return ranked[-1][1]

    def _domestic_body(self, name: str) -> bool:
        """ "the Interior Ministry", "Central Election Commission": a state body named without
        its country, so the country of the story."""
        words = name.lower().split()
        if len(words) < 2:
            return False
        head = words[-1]
        if head not in self.domestic_heads and " ".join(words[-2:]) not in self.domestic_heads:
            return False
        return all(w in self.domestic_words for w in words[:-1])

    def _organization_forms(self, actors: dict[str, Actor]) -> list[tuple[str, list[str]]]:
        """Each organisation's key with its name and aliases as `_body_of_group` compares them
        (lower case, no "the"), leaving out organisations named like a demonym."""
        return [
            (key, [_bare_name(form.lower()) for form in (org.name, *org.aliases)])
            for key, org in actors.items()
            if org.type == "Organization" and org.name.lower() not in self.demonyms
        ]

    def _body_of_group(self, group: Actor, forms: list[tuple[str, list[str]]]) -> list[str]:
        """ "EU foreign ministers", "NATO ambassadors", "the bloc's leaders": members of the
        organisation their name starts with (`forms` from `_organization_forms`)."""
        name = group.name.lower().replace("’", "'")
        found = []
        for key, names in forms:
            for form in names:
                if not form or not name.startswith(form):
                    continue
                rest = name[len(form) :].removeprefix("'s").split()
                if rest and rest[-1].rstrip("s") in self.role_heads:
                    found.append(key)
                    break
        return found

    def _titled_leader(self, actor: Actor, actors: dict[str, Actor]) -> bool:
        """The text calls the person a head of state or government now (not "former
        President"), or names them with their country ("China's X")."""
        aliases = [a for a in actor.aliases if self._head_title_in(a)]
        if aliases:
            if any(not self._former(a) for a in aliases):
                return True
        elif any(self._head_title_in(t) and not self._former(t) for t in actor.titles):
            return True
        countries = {
            form.lower()
            for other in actors.values()
            if other.type == "Country"
            for form in (other.name, *other.aliases)
        }
        for alias in actor.aliases:
            owner, sep, _ = alias.replace("’", "'").partition("'")
            if sep and owner.lower() in countries:
                return True
        return False

    def _in_office(self, name: str, published: str) -> bool:
        """Whether the publication date falls in one of the leader's terms ("2021-01/2025-01";
        an open end means still in office); leaders without terms in the lexicon always pass."""
        terms = self.leader_terms.get(name)
        if not terms or not published:
            return True
        for term in terms.split():
            start, _, end = term.partition("/")
            if start <= published[: len(start)] and (not end or published[: len(end)] < end):
                return True
        return False

    def _head_title_in(self, text: str) -> bool:
        padded = f" {text.lower().replace('-', ' ')} "
        return any(f" {t.replace('-', ' ')} " in padded for t in self.head_titles)

    def _former(self, text: str) -> bool:
        """ "former President", "then-President", "President-elect": not in office now."""
        words = text.lower().replace("-", " ").split()
        return bool(words) and (words[0] in self.former_words or "elect" in words)

    def _relations_of(
        self,
        parse: _Parse,
        head: int,
        window: list[int],
        links: bool,
        actor: Actor,
        actors: dict[str, Actor],
    ) -> Iterator[tuple[str, str]]:
        """(predicate, object) stated around a name whose head word is `head`: by the words
        before it (`window`, see `_prefix_window` and `_title_part`) and, when it has role links
        (`links`, see `_has_role_links`), by appositions, predicates and clauses."""
        if window:
            yield from self._from_phrase(parse, window, window, actor, actors)
        if not links:
            return
        for role in _role_nouns(parse, head):
            phrase = _role_phrase(parse, role)
            targets = [
                t
                for t in _role_targets(parse, role, self.role_preps)
                if not self._owner_of_other(parse, t, role, actor, actors)
            ]
            yield from self._from_phrase(parse, phrase, targets, actor, actors)
            demonym_country = self.demonyms.get(parse.lower[role])
            if demonym_country and parse.pos[role] in ("NOUN", "PROPN", "ADJ"):
                yield "citizenOf", actor_key("Country", demonym_country)
        if actor.type == "Person":
            yield from self._led_by_verb(parse, head, actor, actors)
        for prep in parse.with_dep(head, "prep"):
            if parse.lower[prep] != "of":
                continue
            for obj in parse.with_dep(prep, "pobj"):
                key = self._actor_of(parse, obj, actors)
                if key and actors[key].type in ("Organization", "Group"):
                    yield "memberOf", key

    def _owner_of_other(
        self, parse: _Parse, tok: int, role: int, actor: Actor, actors: dict[str, Actor]
    ) -> bool:
        """ "an officer of Russia's security service", "mayor of Turkey's largest city": the
        possessor of the role's object is not what the role is held for."""
        obj = parse.head[tok]
        if parse.dep[tok] != "poss" or parse.dep[obj] != "pobj":
            return False
        return parse.lemma[obj].lower() in self.place_nouns or self._actor_of(
            parse, obj, actors, actor.key
        ) not in (None, self._actor_of(parse, tok, actors, actor.key))

    def _led_by_verb(
        self, parse: _Parse, head: int, actor: Actor, actors: dict[str, Actor]
    ) -> Iterator[tuple[str, str]]:
        """ "X, who has ruled Belarus since 1994" and "an agency headed by X": leaderOf."""
        led: list[int] = []
        for clause in parse.with_dep(head, "relcl"):
            if parse.lemma[clause] in self.leader_verbs:
                led += parse.with_dep(clause, "dobj")
        by = parse.head[head] if parse.dep[head] == "pobj" else None
        if by is not None and parse.dep[by] == "agent":
            verb = parse.head[by]
            if parse.lemma[verb] in self.leader_verbs:
                while parse.dep[verb] == "conj" and parse.head[verb] != verb:
                    verb = parse.head[verb]  # "known as MIT and headed by X"
                noun = parse.head[verb]
                if parse.dep[verb] in ("acl", "relcl") and parse.pos[noun] in ("NOUN", "PROPN"):
                    led.append(noun)
        for tok in led:
            key = self._actor_of(parse, tok, actors, actor.key)
            if key and _type_of(key, actors) in ("Country", "Organization"):
                yield "leaderOf", key

    def _from_phrase(
        self,
        parse: _Parse,
        phrase: list[int],
        targets: list[int],
        actor: Actor,
        actors: dict[str, Actor],
    ) -> Iterator[tuple[str, str]]:
        text = " ".join([parse.lower[t] for t in phrase])
        role_word = self._role_word(text)
        if role_word is None:
            if actor.type == "Organization" and self._state_org(actor):
                objects = self._targets(parse, targets, actors, actor.key)
                yield from (("memberOf", o) for o in objects if _type_of(o, actors) == "Country")
            elif actor.type == "Person" and self._has_leader_title(actor):
                possessors = [t for t in phrase if parse.dep[t] == "poss"]
                for key in self._targets(parse, possessors, actors, actor.key):
                    if _type_of(key, actors) == "Country":
                        yield "leaderOf", key
            return
        role_text, category = role_word
        predicate = CATEGORY_PREDICATE[category]
        if actor.type != "Person" and predicate not in ("memberOf", "allyOf", "envoyOf"):
            return
        objects = self._targets(parse, targets, actors, actor.key)
        role = f" {role_text} "
        by_demonym = {
            actor_key("Country", self.demonyms[parse.lower[t]])
            for t in targets
            if parse.lower[t] in self.demonyms and parse.pos[t] in ("ADJ", "PROPN", "NOUN")
        }
        for key in objects:
            if key in actors and f" {actors[key].name.lower()} " in role:
                continue  # "Secretary of State X": the title's own words are no organisation
            state_role = role_text in self.state_roles or bool(
                set(role_text.split()) & self.state_roles
            )
            if predicate == "memberOf" and key in by_demonym and not state_role:
                yield "citizenOf", key  # "Russian-American journalist X": a citizen, not a member
                continue
            yield predicate, key
        if predicate == "leaderOf":
            yield from self._led_groups(parse, phrase, actors)

    def _role_word(self, text: str) -> tuple[str, str] | None:
        """The first of `role_words` (the longest) that is a run of whole words of `text`, with
        its category: the runs of `text` that start with a role word's first word are looked up,
        not every role word searched for."""
        words = text.split(" ")
        first = len(self.role_words)
        for i, word in enumerate(words):
            if word in self.role_starts:
                for end in range(i + 1, min(i + self.role_size, len(words)) + 1):
                    first = min(first, self.role_positions.get(tuple(words[i:end]), first))
        return self.role_words[first] if first < len(self.role_words) else None

    def _targets(
        self, parse: _Parse, tokens: list[int], actors: dict[str, Actor], subject: str
    ) -> list[str]:
        keys: list[str] = []
        for tok in tokens:
            lower = parse.lower[tok]
            key = self._actor_of(parse, tok, actors, subject)
            if key is None:
                country = self.demonyms.get(lower)
                key = actor_key("Country", country) if country else None
            known = key in actors or (key in self.country_keys and lower in self.demonyms)
            if key is not None and known and key not in keys:
                keys.append(key)
        return keys

    def _actor_of(
        self, parse: _Parse, tok: int, actors: dict[str, Actor], subject: str = ""
    ) -> str | None:
        hits = parse.mentions.at(parse.idx[tok], parse.end[tok])
        hits = [m for m in hits if m.actor in actors and m.actor != subject]
        if not hits:
            return None
        return min(hits, key=lambda m: m.end - m.start).actor

    def _led_groups(
        self, parse: _Parse, phrase: list[int], actors: dict[str, Actor]
    ) -> Iterator[tuple[str, str]]:
        """ "opposition leader X" -> leaderOf the group named "the opposition" when there is one."""
        words = {parse.lower[t] for t in phrase if parse.pos[t] in ("NOUN", "ADJ")}
        for key, other in actors.items():
            if other.type == "Group" and _bare_name(other.name) in words:
                yield "leaderOf", key

    def _state_org(self, actor: Actor) -> bool:
        words = actor.name.lower().split()
        return bool(words) and words[-1] in self.state_org_heads

    def _has_leader_title(self, actor: Actor) -> bool:
        return any(t.lower() in self.leader_words for t in actor.titles) or any(
            w in self.leader_words for t in actor.titles for w in t.lower().split()
        )

    def _derive_envoys(
        self, found: dict[tuple[str, str, str], ActorRelation], actors: dict[str, Actor]
    ) -> None:
        """An envoy of a state's leader is an envoy of the state too."""
        leads = {
            (s, o) for s, p, o in found if p == "leaderOf" and _type_of(o, actors) == "Country"
        }
        for (subj, pred, obj), rel in list(found.items()):
            if pred != "envoyOf":
                continue
            for leader, country in leads:
                if leader == obj:
                    key = (subj, "envoyOf", country)
                    found.setdefault(key, ActorRelation(*key, rel.sent_start, rel.sent_end))

    # ------------------------------------------------------------------ event relations

    def event_relations(self, doc: Doc, parse: _Parse | None = None) -> list[EventRelation]:
        """Relations between events stated by connectives, subordinate clauses and coordination."""
        parse = parse or _Parse(doc)
        events: list[Event] = doc._.events or []
        by_token = _events_by_token(events, parse)
        found: list[EventRelation] = []
        for event in events:
            span = parse.char_span(event.start, event.end)
            if span is None or span[0] == span[1]:
                continue
            trigger = span[0]
            links = [
                *self._linked(parse, trigger, by_token, events),
                *self._misparsed_clause(parse, trigger, by_token),
            ]
            for predicate, other, via in links:
                if other is event:
                    continue
                if via in self.purpose_preps and event.type in self.content_object_types:
                    continue  # "asked for talks", "called for a release": what is wanted
                if predicate == "partOf" and (
                    other.type not in self.whole_types
                    or other.type in self.not_parts.get(event.type, ())
                ):
                    predicate = "causedBy"  # "detained in protests": because of them
                if predicate == "after" and other.type in self.rewards.get(event.type, ()):
                    predicate = "causedBy"  # a release "after" sanctions were eased: a reward
                parts_of_other = self.part_only_types.get(other.type)
                if predicate == "partOf" and parts_of_other and event.type not in parts_of_other:
                    continue  # "announced X at a meeting": said there, not part of it
                if predicate == "inverse":
                    rel = EventRelation(other.key, "after", event.key)
                else:
                    rel = EventRelation(event.key, predicate, other.key)
                if rel not in found:
                    found.append(rel)
        keys = {e.key: e for e in events}
        for rel in list(found):  # "sanctioned after controllers ordered a jet down": because of it
            subject, other = keys.get(rel.subject), keys.get(rel.object)
            if rel.predicate != "after" or subject is None or other is None:
                continue
            if self._kind(other) in self.explained_by.get(subject.type, ()):
                caused = EventRelation(rel.subject, "causedBy", rel.object)
                if caused not in found:
                    found.append(caused)
        for rel in _coordinated(events, by_token, parse, self.main_parts, self.reaction_types):
            if rel not in found and EventRelation(rel.object, "after", rel.subject) not in found:
                found.append(rel)
        linked = {frozenset((r.subject, r.object)) for r in found}
        for rel in self._discourse(events, parse):
            pair = frozenset((rel.subject, rel.object))
            if rel.subject != rel.object and pair not in linked:
                linked.add(pair)
                found.append(rel)
        return found

    # ------------------------------------------------------------------ discourse-level links

    def _discourse(self, events: list[Event], parse: _Parse) -> Iterator[EventRelation]:
        """Links no single sentence states: a person's arrest-trial-release story, parts of
        the article's main event, crackdowns on protests, reactions to what happened."""
        ordered = sorted(events, key=lambda e: (e.start, e.end))
        live = [e for e in ordered if e.modality != "negated"]
        story = _Story(parse, live)
        yield from self._in_return(story)  # stated: before the guesses below
        yield from self._life_stories(story)
        yield from self._swap_parts(story)
        parts = list(self._parts_of_main(story))
        yield from parts
        inside = {r.subject for r in parts}  # parts of a crackdown are not caused anew
        yield from self._crackdowns(story, inside)
        yield from self._participles(story)
        yield from self._reactions(story)
        yield from self._explained(story)
        yield from self._undoings(story)
        yield from self._dated_sequence(story)
        yield from self._came_after(story)
        yield from self._after_orders(story)
        yield from self._called_protests(story)
        yield from self._caused_by_verb(story)
        yield from self._purposes(story)

    def _linked(
        self,
        parse: _Parse,
        trigger: int,
        by_token: dict[int, Event],
        events: Sequence[Event] = (),
    ) -> Iterator[tuple[str, Event, str]]:
        """(relation, other event, connective words) for each link stated around a trigger."""
        dep, verb = parse.dep, parse.head[trigger]
        holders = [trigger]
        if dep[trigger] in ("dobj", "nsubjpass", "nsubj") and parse.pos[verb] in ("VERB", "AUX"):
            holders.append(verb)
        if parse.pos[trigger] == "NOUN":  # "a deal brokered by Qatar after months of talks"
            holders += parse.with_dep(trigger, "acl")
        for holder in holders:
            for child in parse.children[holder]:
                if dep[child] in ("prep", "agent"):
                    yield from self._through_prep(parse, child, by_token, events)
                elif dep[child] == "advcl":
                    marks = [parse.lower[c] for c in parse.with_dep(child, "mark")]
                    predicate = self.connectives.get(" ".join(marks)) if marks else None
                    if not predicate:
                        continue
                    # "after the White House announced it would lift ...": the announced event
                    told = parse.with_dep(child, "ccomp", "xcomp")
                    # "a day after he refused to board a plane that took them into exile"
                    deeper = [
                        t
                        for t in parse.subtree(child)
                        if t in by_token
                        and t != trigger
                        and not any(dep[a] == "ccomp" for a in _path_up(parse, t, child))
                    ][:1]  # not what a clause says ("after he announced talks would stop")
                    for target in (child, *told, *deeper):
                        if target in by_token:
                            yield predicate, by_token[target], " ".join(marks)
                            break
                elif dep[child] == "npadvmod":
                    for prep in parse.with_dep(child, "prep"):
                        yield from self._through_prep(parse, prep, by_token, events)

    def _misparsed_clause(
        self, parse: _Parse, trigger: int, by_token: dict[int, Event]
    ) -> Iterator[tuple[str, Event, str]]:
        """ "was sanctioned after officials ordered a jet to land": the parser often reads
        "after officials" as a phrase and "ordered" as a second verb of the sentence; a subjectless
        verb right after "after NOUN" is the clause the connective introduces."""
        for conj in parse.with_dep(trigger, "conj"):
            if conj not in by_token or parse.with_dep(conj, "nsubj", "nsubjpass"):
                continue
            for prep in self._connective_preps(parse, trigger, conj):
                objs = parse.with_dep(prep, "pobj")
                if objs and parse.doc[objs[0]].right_edge.i + 1 == conj:
                    yield self.connectives[parse.lower[prep]], by_token[conj], parse.lower[prep]

    def _connective_preps(self, parse: _Parse, trigger: int, conj: int) -> list[int]:
        """The prepositions naming a connective in the trigger's subtree before `conj`, in the
        subtree's order: found among the words of the sentence before `conj` by their
        ancestors, the subtree itself made only to order two or more of them."""
        dep, lower = parse.dep, parse.lower
        preps = [
            t
            for t in range(parse.sentence_start(trigger), conj)
            if dep[t] == "prep"
            and self.connectives.get(lower[t])
            and (t == trigger or parse.is_ancestor(trigger, t))
        ]
        if len(preps) < 2:
            return preps
        keep = set(preps)
        return [t for t in parse.subtree(trigger) if t in keep]

    def _through_prep(
        self,
        parse: _Parse,
        prep: int,
        by_token: dict[int, Event],
        events: Sequence[Event] = (),
    ) -> Iterator[tuple[str, Event, str]]:
        """Follow "in exchange for X", "as part of X", "after X" down to the event trigger X."""
        if parse.lower[prep] not in self.connective_starts:
            return  # "of", "by", "to" ...: no connective starts with it, so none is found below
        words = [parse.lower[prep]]
        cur = prep
        for _ in range(5):
            objs = parse.with_dep(cur, "pobj", "pcomp")
            if not objs:
                return
            obj = objs[0]
            if obj not in by_token and events and self._refers_back(parse, obj):
                # "hours after the U.S. announcement": the event that noun names
                predicate = self.connectives.get(" ".join(words))
                if predicate == "partOf":  # "taking part in the protests": no event of its own
                    return
                told = self._referred(parse, obj, list(events)) if predicate else None
                if predicate and told is not None and told.start < parse.idx[prep]:
                    yield predicate, told, " ".join(words)
                return
            if obj in by_token:
                via = " ".join(words)
                predicate = self.connectives.get(via)
                if predicate:
                    for target in [obj, *parse.with_dep(obj, "conj")]:
                        if target in by_token:
                            yield predicate, by_token[target], via
                return
            if parse.pos[obj] == "ADP":
                words.append(parse.lower[obj])
                cur = obj
                continue
            if parse.pos[obj] == "VERB":  # "after announcing plans to run": the announced event
                predicate = self.connectives.get(" ".join(words))
                said = parse.with_dep(obj, "dobj", "ccomp", "xcomp")
                said += [g for c in said for g in parse.with_dep(c, "acl", "xcomp")]
                hits = [c for c in said if c in by_token]
                if predicate and hits:
                    yield predicate, by_token[hits[0]], " ".join(words)
                return
            inner = parse.with_dep(obj, "prep")
            lemma = parse.lemma[obj]
            if inner and parse.lower[inner[0]] == "of" and lemma.lower() in self.measure_nouns:
                cur = inner[0]  # "after months of talks", "in five days of protests"
                continue
            if not inner or lemma not in self.link_nouns:
                return
            words += [lemma, parse.lower[inner[0]]]
            cur = inner[0]

    def _life_stories(self, story: _Story) -> Iterator[EventRelation]:
        """A person's arrest, conviction and release: each step after the one before it."""
        events = story.events
        actors = story.actors
        stories: dict[str, list[Event]] = {}
        for event in events:
            if event.type not in self.life_ranks:
                continue
            for key in _story_people(event, story.parse, actors):
                stories.setdefault(key, []).append(event)
        sent_no = story.sent_no
        dates = _story_dates(events)
        for story in stories.values():
            for later in story:
                reach = self.life_reach.get(later.type, len(sent_no))
                earlier = [
                    e
                    for e in story
                    if e is not later
                    and abs(sent_no[e.sent_start] - sent_no[later.sent_start]) <= reach
                    and self._before(e, later, dates)
                    and not (e.type == later.type and e.sent_start == later.sent_start)
                ]
                for event in earlier:
                    between = (
                        c for c in earlier if c is not event and self._before(event, c, dates)
                    )
                    if not any(True for _ in between):
                        yield EventRelation(later.key, "after", event.key)
        for release in events:  # "freed five people, among them X, who had been jailed since 2020"
            if release.type not in self.told_back or release.modality != "asserted":
                continue
            here = sent_no[release.sent_start]
            for event in events:
                if event.type not in self.told_back[release.type] or event.start < release.end:
                    continue
                if sent_no[event.sent_start] - here > 1 or event.modality != "asserted":
                    continue
                told_earlier = bool(event.date) and (
                    not release.date or event.date < release.date[: len(event.date)]
                )
                if told_earlier:
                    yield EventRelation(release.key, "after", event.key)

    def _before(self, first: Event, second: Event, dates: dict[str, str]) -> bool:
        """Dates decide when both events have them, then the usual order of a case, then text."""
        date_a, date_b = dates.get(first.key), dates.get(second.key)
        if date_a and date_b:
            size = min(len(date_a), len(date_b))
            if date_a[:size] != date_b[:size]:
                return date_a[:size] < date_b[:size]
        rank_a, rank_b = self.life_ranks[first.type], self.life_ranks[second.type]
        if rank_a != rank_b:
            return rank_a < rank_b
        return first.start < second.start

    def _swap_parts(self, story: _Story) -> Iterator[EventRelation]:
        """In a prisoner swap, each release (and the money or sanctions relief that came with it)
        is part of the swap."""
        events = story.events
        swaps = [
            e
            for e in events
            if e.type == "PrisonerRelease"
            and e.modality == "asserted"
            and set(_words(e.trigger)) & self.swap_words
        ]
        if not swaps:
            return
        swap = swaps[0]
        for event in _recent(events, story.year):
            if event is swap or event.type not in self.swap_parts:
                continue
            if event.modality == "asserted" and _same_time(event, swap):
                yield EventRelation(event.key, "partOf", swap.key)

    def _parts_of_main(self, story: _Story) -> Iterator[EventRelation]:
        """Nearby later events of a kind are parts of the first one (single releases of a group
        release, rallies of a protest wave); handovers are part of the release of the same
        people; a release or sanctions relief next to a deal is part of it."""
        events, actors = story.events, story.actors
        sent_no = story.sent_no
        firsts: dict[str, Event] = {}
        masses: dict[str, Event] = {}
        for event in events:
            if event.modality == "asserted":
                firsts.setdefault(event.type, event)
                if _of_crowds(event, actors) or _plural_trigger(event, story.parse):
                    masses.setdefault(event.type, event)  # "3,000 detained", "mass arrests"
        for event in events:
            mass = masses.get(event.type)
            if event.type in self.crowd_family_types and _of_crowds(event, actors):
                near = (
                    mass is not None
                    and 0 < sent_no[event.sent_start] - sent_no[mass.sent_start] <= 4
                )
                if mass is not None and near and _same_time(event, mass):
                    yield EventRelation(event.key, "partOf", mass.key)
                continue
            first = firsts.get(event.type)
            if event.type in self.family_types and first is not None and first is not event:
                reach = self.family_reach.get(event.type, 3)
                near = 0 < sent_no[event.sent_start] - sent_no[first.sent_start] <= reach
                if near and _same_time(event, first):
                    yield EventRelation(event.key, "partOf", first.key)
                    continue
                if first.start < event.start:
                    continue  # a later one of a kind: part of the first or of nothing
                # one told before the first asserted one ("said it would release 300" in the
                # lead) may still be part of a deal below
            for whole_type in self.main_parts.get(event.type, []):
                whole = firsts.get(whole_type)
                if whole is None or not _same_time(event, whole):
                    continue
                shared = set(event.affected) & set(whole.affected)
                distance = abs(sent_no[event.sent_start] - sent_no[whole.sent_start])
                if shared or distance <= 1:
                    yield EventRelation(event.key, "partOf", whole.key)
                    break

    def _crackdowns(self, story: _Story, parts: set[str]) -> Iterator[EventRelation]:
        """Mass arrests and force against crowds are caused by the protest in the same sentence
        or in the few sentences before (not an arrest of one named person, not a part of a
        crackdown already told)."""
        events, actors = story.events, story.actors
        sent_no = story.sent_no
        lead_start = min((e.sent_start for e in events), default=-1)
        for event in events:
            cause_types = self.crackdown_causes.get(event.type)
            if not cause_types or event.key in parts:
                continue
            # a poisoning years ago is no crackdown on this week's rallies
            past = not _recent([event], story.year)
            crowd = _of_crowds(event, actors) or _plural_trigger(event, story.parse)
            if not crowd and (event.affected or event.type not in self.crowd_actions):
                continue  # the arrest of one person is no crackdown on a protest
            here = sent_no[event.sent_start]
            lead = next(
                (e for e in events if e.type == event.type and e.modality == "asserted"), None
            )
            if (
                lead is not None
                and lead.sent_start == lead_start
                and lead.sent_start < event.sent_start
                and (not lead.date or not event.date or lead.date == event.date)
                and any(e.sent_start == lead_start and e.type in cause_types for e in events)
            ):  # "police crushed the protests ..." in the lead, then the details of that night
                yield EventRelation(event.key, "partOf", lead.key)
                continue
            causes = [
                e
                for e in events
                if e.type in cause_types
                and (e.sent_start == event.sent_start or 0 < here - sent_no[e.sent_start] <= 3)
                and not (e.date and event.date and event.date < e.date)
                and not (past and _recent([e], story.year))
            ]
            same = [e for e in causes if e.sent_start == event.sent_start]
            cause = same[0] if same else causes[0] if causes else None
            if cause is not None:
                yield EventRelation(event.key, "causedBy", cause.key)

    def _explained(self, story: _Story) -> Iterator[EventRelation]:
        """Sanctions are explained by the misdeeds told in the same or the next two sentences
        ("The EU barred its airlines. A day earlier, controllers forced a jet down ...")."""
        events = story.events
        sent_no = story.sent_no
        for event in events:
            cause_types = self.explained_by.get(event.type)
            if not cause_types or event.modality != "asserted":
                continue
            here = sent_no[event.sent_start]
            for other in events:
                if self._kind(other) not in cause_types or other.modality != "asserted":
                    continue
                if not 0 <= sent_no[other.sent_start] - here <= 2:
                    continue
                if other.date and event.date and other.date > event.date:
                    continue
                if any(
                    e.type == event.type and e.sent_start == other.sent_start and e is not event
                    for e in events
                ):  # "... sanctioned 88 officials over the crackdown": that sanction's cause
                    continue
                yield EventRelation(event.key, "causedBy", other.key)

    def _kind(self, event: Event) -> str:
        """ "Order" for a request that commands ("ordered the plane to land"), which acts like
        a coercive event: sanctions and condemnations answer it; else the event's type."""
        if event.type == "Request" and set(_words(event.trigger)) & self.order_words:
            return "Order"
        return event.type

    def _in_return(self, story: _Story) -> Iterator[EventRelation]:
        """ "In return, Washington freed eight Russians": an answer with no object answers the
        first event of its kind told before (the other side's release), else the event of the
        sentence before."""
        events, parse = story.events, story.parse
        holders = self._answer_holders(parse)
        if not holders:
            return  # no "in return", "in response" ... in the doc
        sent_no = story.sent_no
        for event in events:
            span = parse.char_span(event.start, event.end)
            if span is None or span[0] == span[1] or event.type in self.reaction_types:
                continue
            root = parse.root(*span)
            if root not in holders and parse.head[root] not in holders:
                continue
            before = [
                e
                for e in events
                if e.start < event.sent_start
                and e.modality == "asserted"
                and e.type not in self.reaction_types
            ]
            same = [e for e in before if e.type == event.type]
            here = sent_no[event.sent_start]
            last = [e for e in before if here - sent_no[e.sent_start] == 1]
            cause = same[0] if same else last[-1] if last else None
            if cause is not None:
                yield EventRelation(event.key, "causedBy", cause.key)

    def _answer_holders(self, parse: _Parse) -> set[int]:
        """The words "in return", "in response" hang from (an answer noun with no prepositional
        phrase of its own): found from the few "in"s of the doc, not by looking below each
        event."""
        head = parse.head
        holders: set[int] = set()
        for prep in _positions(parse.lower, "in"):
            if parse.dep[prep] != "prep" or head[prep] == prep:
                continue
            for obj in parse.with_dep(prep, "pobj"):
                answer = parse.lemma[obj].lower() in self.answer_nouns
                if answer and not parse.with_dep(obj, "prep"):
                    holders.add(head[prep])
        return holders

    def _called_protests(self, story: _Story) -> Iterator[EventRelation]:
        """ "X released a video urging Russians to take to the streets": the article's protest
        is caused by a call to protest made before it (not by "urged them not to protest")."""
        events, parse = story.events, story.parse
        protests = [e for e in events if e.type == "Protest" and e.modality == "asserted"]
        if not protests:
            return
        main = protests[0]
        lemma = parse.lemma
        for event in events:
            if event.type != "Request" or event is main:
                continue
            span = parse.char_span(event.start, event.end)
            if span is None or span[0] == span[1]:
                continue
            calls = [
                c
                for c in parse.with_dep(parse.root(*span), "xcomp", "ccomp")
                if lemma[c].lower() in self.protest_calls
                and not parse.with_dep(c, "neg")
                and (
                    lemma[c].lower() != "take"
                    or any(lemma[t] == "street" for t in parse.subtree(c))
                )
            ]
            if not calls or (event.date and main.date and event.date > main.date):
                continue
            yield EventRelation(main.key, "causedBy", event.key)

    def _after_orders(self, story: _Story) -> Iterator[EventRelation]:
        """ "Once the plane landed, police arrested X": an arrest or deportation told after a
        clause that is no event of its own comes after the order told just before it."""
        events, parse = story.events, story.parse
        sent_no = story.sent_no
        for event in events:
            if event.type not in self.ordered_types:
                continue
            span = parse.char_span(event.start, event.end)
            if span is None or span[0] == span[1]:
                continue
            marked = any(
                parse.lower[g] in self.sequel_marks
                for c in parse.with_dep(parse.root(*span), "advcl")
                for g in parse.with_dep(c, "mark", "advmod")
            )
            if not marked:
                continue
            here = sent_no[event.sent_start]
            orders = [
                e
                for e in events
                if self._kind(e) == "Order"
                and e.start < event.start
                and here - sent_no[e.sent_start] <= self.order_reach
            ]
            if orders:
                yield EventRelation(event.key, "after", orders[-1].key)

    def _came_after(self, story: _Story) -> Iterator[EventRelation]:
        """ "The move came a day after X", "The release followed talks": the event the subject
        refers back to is placed after X."""
        events, parse = story.events, story.parse
        by_token = story.by_token
        for verb in _verbs(parse, self.sequence_verbs):
            subjects = [c for c in parse.with_dep(verb, "nsubj") if self._refers_back(parse, c)]
            if not subjects or subjects[0] in by_token:
                continue
            told = self._referred(parse, subjects[0], events)
            if told is None:
                continue
            found = list(self._linked(parse, verb, by_token))
            if parse.lemma[verb] == "follow":
                found += [
                    ("after", by_token[c], "follow")
                    for c in parse.with_dep(verb, "dobj")
                    if c in by_token
                ]
            for predicate, other, _ in found:
                if other is told or predicate not in ("after", "causedBy"):
                    continue
                if predicate == "after" and other.type in self.rewards.get(told.type, ()):
                    predicate = "causedBy"
                yield EventRelation(told.key, predicate, other.key)

    def _referred(self, parse: _Parse, noun: int, events: list[Event]) -> Event | None:
        """The event a definite noun refers back to ("the move", "the arrest"): the first
        asserted one of its kind told before, preferring one named with the same word."""
        lemma = parse.lemma[noun].lower()
        wanted = self.reference_nouns.get(lemma) or self.reference_nouns.get(parse.lower[noun])
        earlier = [
            e
            for e in events
            if e.end <= parse.idx[noun]
            and e.modality == "asserted"
            and e.type not in self.reaction_types
            and (wanted == "*" or e.type == wanted)
        ]
        stem = lemma[:4]
        same_word = [e for e in earlier if any(w.startswith(stem) for w in _words(e.trigger))]
        if parse.tag[noun] == "NN":  # "the arrest": one, rather than "3,000 were detained"
            actors: dict[str, Actor] = parse.doc._.actors or {}
            single = [e for e in earlier if not _of_crowds(e, actors)]
            earlier = single or earlier
        return (same_word or earlier or [None])[0]

    def _purposes(self, story: _Story) -> Iterator[EventRelation]:
        """ "poured into the streets to protest his reelection and to demand X's release": the
        protest is caused by what it protests, and the demand is part of it."""
        parse = story.parse
        by_token = story.by_token
        for tok, event in by_token.items():
            if event.type not in self.purpose_holders:
                continue
            aims = [
                c
                for c in parse.with_dep(tok, "advcl", "xcomp")
                if any(parse.lower[a] == "to" for a in parse.children[c])
            ]
            aims += [g for c in aims for g in parse.with_dep(c, "conj")]
            for aim in aims:
                part = by_token.get(aim)
                if part is not None and part is not event:
                    yield EventRelation(part.key, "partOf", event.key)
                for obj in parse.with_dep(aim, "dobj"):
                    cause = by_token.get(obj)
                    if cause is not None and cause is not event:
                        yield EventRelation(event.key, "causedBy", cause.key)

    def _participles(self, story: _Story) -> Iterator[EventRelation]:
        """ "imposed sanctions on X, accusing him of ...", "marched, chanting ...": a reaction
        told as a participle of another event is part of that event."""
        parse = story.parse
        by_token = story.by_token
        for tok, event in by_token.items():
            if event.type not in self.reaction_types or parse.dep[tok] != "advcl":
                continue
            if parse.tag[tok] != "VBG" or parse.with_dep(tok, "mark"):
                continue
            whole = by_token.get(parse.head[tok])
            if whole is not None and whole.type not in self.reaction_types:
                yield EventRelation(event.key, "partOf", whole.key)

    def _caused_by_verb(self, story: _Story) -> Iterator[EventRelation]:
        """ "The arrest triggered a wave of protests": the object event is caused by the subject
        event (named there, or referred back to with a definite noun)."""
        events, parse = story.events, story.parse
        by_token = story.by_token
        for verb in _verbs(parse, self.cause_verbs):
            cause = None
            for subj in parse.with_dep(verb, "nsubj"):
                cause = by_token.get(subj)
                if cause is None and self._refers_back(parse, subj):
                    cause = self._referred(parse, subj, events)
            effects = []
            for obj in parse.with_dep(verb, "dobj"):
                for _ in range(3):  # "the largest wave of street demonstrations"
                    if obj in by_token:
                        effects.append(by_token[obj])
                        break
                    of = [c for c in parse.with_dep(obj, "prep") if parse.lower[c] == "of"]
                    pobj = [g for p in of for g in parse.with_dep(p, "pobj")]
                    if parse.lemma[obj].lower() not in self.measure_nouns or not pobj:
                        break
                    obj = pobj[0]
            for effect in effects:
                if cause is not None and effect is not cause:
                    yield EventRelation(effect.key, "causedBy", cause.key)

    def _dated_sequence(self, story: _Story) -> Iterator[EventRelation]:
        """Two dated events of the same people on different days: the later one comes after the
        latest one before it ("detained on Wednesday" ... "jailed on Sunday")."""
        events, actors = story.events, story.actors
        dated = [
            e
            for e in events
            if e.date
            and len(e.date) == 10
            and e.modality == "asserted"
            and e.type not in self.reaction_types
        ]
        for later in dated:
            people = {
                k
                for k in (*later.agent, *later.affected, *later.participants)
                if _type_of(k, actors) in ("Person", "Group")
            }
            before = [
                e
                for e in dated
                if e.date < later.date  # type: ignore[operator]
                and people & {*e.agent, *e.affected, *e.participants}
            ]
            if before:
                latest = max(e.date for e in before)  # type: ignore[type-var]
                for e in before:
                    if e.date == latest:
                        yield EventRelation(later.key, "after", e.key)

    def _undoings(self, story: _Story) -> Iterator[EventRelation]:
        """Lifting sanctions comes after imposing them: an imposition dated earlier, or one told
        in the same or a nearby sentence, on the same target when both name one."""
        events = story.events
        sent_no = story.sent_no
        for event in events:
            for undone_type in self.undoes.get(event.type, []):
                for other in events:
                    if other.type != undone_type:
                        continue
                    targets = set(event.affected) & set(other.affected)
                    if event.affected and other.affected and not targets:
                        continue
                    if other.date and event.date:
                        if not other.date < event.date[: len(other.date)]:
                            continue
                    elif abs(sent_no[event.sent_start] - sent_no[other.sent_start]) > 1:
                        continue
                    yield EventRelation(event.key, "after", other.key)
                    break

    def _reactions(self, story: _Story) -> Iterator[EventRelation]:
        """Statements, accusations and demands are caused by the event they speak about."""
        words: _ReferenceWords | None = None
        for event in story.events:
            if event.type not in self.reaction_types:
                continue
            span = story.parse.char_span(event.start, event.end)
            if span is None or span[0] == span[1]:
                continue
            if words is None:
                words = self._reference_words(story.parse)
            cause = self._spoken_of(span, event, story, words)
            if cause is not None and cause is not event:
                yield EventRelation(event.key, "causedBy", cause.key)

    def _refers_back(self, parse: _Parse, tok: int) -> bool:
        """ "the release", "this decision": a definite event noun names an event told before."""
        nouns = self.reference_nouns
        known = parse.lemma[tok].lower() in nouns or parse.lower[tok] in nouns
        return known and any(
            parse.lower[c] in ("the", "this", "that") for c in parse.with_dep(tok, "det")
        )

    def _reference_words(self, parse: _Parse) -> _ReferenceWords:
        """The words that may name the event a reaction speaks of (see `_ReferenceWords`)."""
        return _ReferenceWords(parse, self.reference_words, self.reference_nouns)

    def _spoken_of(
        self, span: tuple[int, int], event: Event, story: _Story, words: _ReferenceWords
    ) -> Event | None:
        """The event a reaction names: its object or the noun it qualifies ("a verdict he
        rejected"), an event noun in its sentence ("called the release ..."), or the article's
        main event when the sentence names the people it affected (`words`: from
        `_reference_words`)."""
        events, by_token, parse = story.events, story.by_token, story.parse
        trigger = parse.root(*span)
        head = [parse.head[trigger]] if parse.dep[trigger] == "relcl" else []
        near = head + parse.with_dep(trigger, "dobj", "nsubjpass")
        if event.type in self.content_object_types:
            near = head
        for tok in near:
            other = by_token.get(tok)
            if other is not None and other is not event and not self._refers_back(parse, tok):
                return other
        if head and head[0] not in by_token:
            # "two poisonings, in 2015 and 2017, that he blamed on the Kremlin"
            before = [
                e
                for e in events
                if e.sent_start == event.sent_start
                and e.end <= event.start
                and e.type not in self.reaction_types
                and parse.idx[span[0]] - e.end < 60
            ]
            if before:
                return before[-1]
        earlier = [
            e
            for e in events
            if e.start < event.start
            and (e.type not in self.reaction_types or self._kind(e) == "Order")
        ]
        earlier.sort(key=lambda e: e.modality != "asserted")
        sent_no = story.sent_no
        sent = parse.sentence_of(span[0])
        actors = story.actors
        lemma, pos, tag = parse.lemma, parse.pos, parse.tag
        # the sentence's event nouns nearest first: "the deal ... freed X, who was sentenced
        # last year, a verdict that he called a sham" speaks of the verdict
        clause = _clause_among(parse, trigger, words.of(parse.sentence_of(trigger)))
        nearest = sorted(words.of(sent), key=lambda t: abs(t - trigger))
        for tok in dict.fromkeys([*head, *clause, *nearest]):  # a word that failed fails again
            lemma_lower = lemma[tok].lower()
            wanted = self.reference_nouns.get(lemma_lower) or self.reference_nouns.get(
                parse.lower[tok]
            )
            asked_verb = (  # "urged the authorities to release those detained"
                event.type == "Request"
                and pos[tok] == "VERB"
                and lemma_lower in self.request_nouns
                and parse.is_ancestor(trigger, tok)
            )
            if asked_verb:
                wanted = self.request_nouns[lemma_lower]
            if wanted is None or not (pos[tok] == "NOUN" or tag[tok] == "VBG" or asked_verb):
                continue
            if tok in by_token and not self._refers_back(parse, tok):
                continue
            if event.type == "Request":
                wanted = self.request_nouns.get(lemma_lower, wanted)
            pool = [e for e in earlier if wanted in ("*", e.type, self._kind(e))]
            whose = _persons_of(parse, tok, actors)
            if whose:  # "the release of X", "X's release": the arrest of X, not of a crowd
                pool = [e for e in pool if not e.affected or whose & set(e.affected)]
            pool = [e for e in pool if e.modality == "asserted" or _recent([e], story.year)]
            if not pool:
                continue
            same_sentence = [e for e in pool if e.sent_start == event.sent_start]
            if same_sentence:
                return same_sentence[-1]
            pool = _recent(pool, story.year) or pool
            sharing = _sharing_actor(event, pool, sent_no, self.reaction_reach)
            if sharing is not None:  # "she thanked those who made her release possible"
                return sharing
            if pool[0].modality == "asserted":  # "warned that the easing of sanctions ...":
                pool = [e for e in pool if e.modality == "asserted"]  # the one done, not hoped
            if tag[tok] == "NN":  # "the release", "the case": one, not "3,000 were detained"
                pool = [e for e in pool if not _of_crowds(e, actors)] or pool
            stem = lemma_lower[:4]
            same_word = [
                e for e in pool if any(w.startswith(stem) for w in e.trigger.lower().split())
            ]
            if same_word:
                return same_word[0]
            named = [  # "the results" -> "Sunday's vote" rather than "entered the race"
                e
                for e in pool
                if any(self.reference_nouns.get(w) == wanted for w in _words(e.trigger))
            ]
            return (named or pool)[0]
        fallback = self.reaction_fallback.get(event.type)
        if not fallback or not earlier:
            return None
        if event.type == "Accusation":  # "... detained 3,000. The U.S. condemned ..."
            recent = [
                e for e in earlier if e.type in fallback and 0 <= sent - sent_no[e.sent_start] <= 1
            ]
            if recent:
                return max(recent, key=lambda e: e.start)
            sharing = _sharing_actor(
                event, [e for e in earlier if e.type in fallback], sent_no, self.reaction_reach
            )
            if sharing is not None:
                return sharing  # "X called the case a disgrace": the case against X
        if earlier[0].type not in fallback:
            # "Americans who had been imprisoned ... were freed": a past event told in a
            # relative clause of the lead is background, not the main event
            span0 = parse.char_span(earlier[0].start, earlier[0].end)
            if span0 is None or parse.dep[parse.root(*span0)] != "relcl":
                return None
            rest = [e for e in earlier[1:] if e.sent_start == earlier[0].sent_start]
            if not rest or rest[0].type not in fallback:
                return None
            earlier = rest
        main = earlier[0]
        named = {m.actor for m in parse.mentions.at(*parse.sentence_chars(sent))}
        close = sent - sent_no[main.sent_start] <= self.statement_reach
        if event.type in ("Statement", "Accusation") and not (named & set(main.affected) or close):
            return None  # a remark far from the main event, naming none of its people
        return main


class _Parse(ParseView):
    """What the relation rules read of one doc: the shared parse tables (`kg.nlp.parse`), the
    sentences by number (their bounds read from the tables, no `Span` made), and what the
    earlier components left on the doc (mentions), read when relations runs."""

    @cached_property
    def sentence_ends(self) -> list[int]:
        """The token just after each sentence, by sentence number (as `sent_starts`)."""
        return [*self.sent_starts[1:], self.size]

    def sentence_chars(self, sent: int) -> tuple[int, int]:
        """`start_char` and `end_char` of sentence number `sent`, without making its `Span`."""
        return self.idx[self.sent_starts[sent]], self.end[self.sentence_ends[sent] - 1]

    def sentence_bounds(self, sent: int) -> tuple[int, int]:
        """`sentence_bounds` (kg.nlp.spans) of sentence number `sent`."""
        return trimmed_bounds(self.text, *self.sentence_chars(sent))

    @cached_property
    def mentions(self) -> MentionIndex:
        """The doc's mentions by offset."""
        return MentionIndex(self.doc)

    @cached_property
    def shortest_names(self) -> dict[str, int]:
        """Actor key -> length of its shortest mention that is not a title."""
        shortest: dict[str, int] = {}
        for mention in self.mentions.mentions:
            size = mention.end - mention.start
            if mention.kind != "title" and size < shortest.get(mention.actor, size + 1):
                shortest[mention.actor] = size
        return shortest


class _Story:
    """The events the discourse rules link (not negated, in text order) and the lookups they
    share over the doc, each made once per doc rather than once per rule."""

    def __init__(self, parse: _Parse, events: list[Event]) -> None:
        self.parse = parse
        self.doc = parse.doc
        self.events = events

    @cached_property
    def sent_no(self) -> dict[int, int]:
        """Sentence start offset -> sentence number."""
        idx = self.parse.idx
        return {idx[start]: i for i, start in enumerate(self.parse.sent_starts)}

    @cached_property
    def actors(self) -> dict[str, Actor]:
        """The doc's actors by key."""
        return self.doc._.actors or {}

    @cached_property
    def year(self) -> str:
        """The year of publication, or "" when unknown."""
        return (self.doc._.published or "")[:4]

    @cached_property
    def by_token(self) -> dict[int, Event]:
        """The events under the index of their trigger's first token."""
        return _events_by_token(self.events, self.parse)


def _story_people(event: Event, parse: _Parse, actors: dict[str, Actor]) -> list[str]:
    """The persons an arrest, conviction or release happened to: its affected persons, else the
    person (or pronoun) it is said of ("he was arrested, convicted and ...")."""
    people = [k for k in event.affected if k in actors and actors[k].type == "Person"]
    if people or event.affected:
        return people
    span = parse.char_span(event.start, event.end)
    if span is None or span[0] == span[1]:
        return []
    tok = parse.root(*span)
    holders = [tok]
    while parse.dep[tok] == "conj":
        tok = parse.head[tok]
        holders.append(tok)
    for holder in holders:
        for child in parse.with_dep(holder, "nsubjpass", "dobj"):
            for mention in parse.mentions.at(parse.idx[child], parse.end[child]):
                if mention.actor in actors and actors[mention.actor].type == "Person":
                    return [mention.actor]
    return []


def _path_up(parse: _Parse, tok: int, top: int) -> list[int]:
    """The tokens from `tok` up to (not including) its ancestor `top`."""
    path: list[int] = []
    while tok != top:
        path.append(tok)
        tok = parse.head[tok]
    return path


def _persons_of(parse: _Parse, noun: int, actors: dict[str, Actor]) -> set[str]:
    """The persons an event noun is about: "the release of X", "X's release"."""
    holders = parse.with_dep(noun, "poss")
    holders += [
        g for c in parse.with_dep(noun, "prep") if parse.lower[c] == "of" for g in parse.children[c]
    ]
    found: set[str] = set()
    for tok in holders:
        for mention in parse.mentions.at(parse.idx[tok], parse.end[tok]):
            if _type_of(mention.actor, actors) == "Person":
                found.add(mention.actor)
    return found


def _sharing_actor(
    reaction: Event, pool: list[Event], sent_no: dict[int, int], reach: int
) -> Event | None:
    """The nearest asserted event before a reaction, at most `reach` sentences back, that
    happened to the person speaking or spoken of: people react to what was done to them."""
    people = {*reaction.agent, *reaction.affected}
    if all(k.startswith("Group:") for k in people):
        return None  # said by or of groups alone, or of no one: nobody to share an event with
    here = sent_no[reaction.sent_start]
    close = [
        e
        for e in pool
        if e.modality == "asserted"
        and 0 <= here - sent_no[e.sent_start] <= reach
        and people & {*e.affected, *e.participants}
    ]
    return max(close, key=lambda e: e.start) if close else None


def _story_dates(events: list[Event]) -> dict[str, str]:
    """Each event's date, or for an undated one the date of the dated event told before it in
    its sentence: "ran in 2010 but was arrested and convicted" happened around 2010."""
    dates: dict[str, str] = {}
    last: tuple[int, str] | None = None
    for event in sorted(events, key=lambda e: e.start):
        if event.date:
            last = (event.sent_start, event.date)
            dates[event.key] = event.date
        elif last is not None and last[0] == event.sent_start:
            dates[event.key] = last[1]
    return dates


class _ReferenceWords:
    """The tokens that may name the event a reaction speaks of (a reference noun, or a verb
    asking for one), by sentence, in text order: `_spoken_of` need not look at the others.
    Found per sentence on first ask, as only the reactions' sentences are read."""

    def __init__(self, parse: _Parse, lemmas: set[str], nouns: dict[str, str]) -> None:
        """`lemmas`: lower-case lemmas that name one; `nouns`: lower-case words that do."""
        self.parse = parse
        self.lemmas = lemmas
        self.nouns = nouns
        self._found: dict[int, list[int]] = {}

    def of(self, sent: int) -> list[int]:
        """The words in sentence number `sent`."""
        found = self._found.get(sent)
        if found is None:
            parse, lemmas, nouns = self.parse, self.lemmas, self.nouns
            lemma, lower = parse.lemma, parse.lower
            found = self._found[sent] = [
                i
                for i in range(parse.sent_starts[sent], parse.sentence_ends[sent])
                if lemma[i].lower() in lemmas or lower[i] in nouns
            ]
        return found


def _positions(words: list[str], word: str) -> list[int]:
    """Where `word` occurs in `words`, found by `list.index`, which compares in C, rather than
    by a loop over every word."""
    found: list[int] = []
    try:
        at = words.index(word)
        while True:
            found.append(at)
            at = words.index(word, at + 1)
    except ValueError:
        return found


def _clause_among(parse: _Parse, trigger: int, tokens: list[int]) -> list[int]:
    """Those of `tokens` (of the trigger's sentence, which holds its subtree) that the trigger's
    `_clause` holds, in the clause's order: found by their ancestors, the clause itself made
    only to order two or more of them."""
    inside = [t for t in tokens if _in_clause(parse, trigger, t)]
    if len(inside) < 2:
        return inside
    keep = set(inside)
    return [t for t in _clause(parse, trigger) if t in keep]


def _in_clause(parse: _Parse, trigger: int, tok: int) -> bool:
    """Whether the token is in the trigger's `_clause`: the trigger or below it, but not below
    a conjunct of it."""
    child = None  # the trigger's child on the way up
    while tok != trigger:
        if parse.head[tok] == tok:
            return False  # reached the sentence root, not the trigger
        child, tok = tok, parse.head[tok]
    return child is None or parse.dep[child] != "conj"


def _verbs(parse: _Parse, lemmas: set[str]) -> list[int]:
    """The verbs with one of these lemmas, in text order."""
    if lemmas.isdisjoint(parse.lemma):
        return []  # none of the lemmas in the doc: no need to look at each token
    pos = parse.pos
    return [i for i, lemma in enumerate(parse.lemma) if lemma in lemmas and pos[i] == "VERB"]


def _clause(parse: _Parse, trigger: int) -> list[int]:
    """The trigger's own clause: its subtree without coordinated clauses, in text order."""
    skip = {t for c in parse.with_dep(trigger, "conj") for t in parse.subtree(c)}
    return [t for t in parse.subtree(trigger) if t not in skip]


def _recent(events: list[Event], year: str) -> list[Event]:
    """Leave out background events dated in an earlier year than the article (`year`: of its
    publication, or "")."""
    return [e for e in events if not (year and e.date and e.date[:4] < year)]


def _words(text: str) -> list[str]:
    return [w.removesuffix("'s").removesuffix("’s") for w in text.lower().split()]


def _events_by_token(events: list[Event], parse: _Parse) -> dict[int, Event]:
    """Each event under the index of its trigger's first token, for dependency-path lookups."""
    by_token: dict[int, Event] = {}
    for event in events:
        span = parse.char_span(event.start, event.end)
        if span is not None and span[0] < span[1]:
            by_token[span[0]] = event
    return by_token


def _plural_trigger(event: Event, parse: _Parse) -> bool:
    """ "mass arrests", "detentions": a trigger noun in the plural names many events."""
    span = parse.char_span(event.start, event.end)
    return span is not None and span[0] < span[1] and parse.tag[parse.root(*span)] == "NNS"


def _of_crowds(event: Event, actors: dict[str, Actor]) -> bool:
    """Done to unnamed groups ("3,000 people were detained"), not to a named person."""
    return bool(event.affected) and all(_type_of(k, actors) == "Group" for k in event.affected)


def _type_of(key: str, actors: dict[str, Actor]) -> str:
    """The actor's type, or the type named in its key when no record was written for it."""
    actor = actors.get(key)
    return actor.type if actor is not None else key.partition(":")[0]


def _same_time(first: Event, second: Event) -> bool:
    """False when both events carry dates that disagree at the precision they share."""
    if not first.date or not second.date:
        return True
    size = min(len(first.date), len(second.date))
    return first.date[:size] == second.date[:size]


def _prefix_window(parse: _Parse, span: tuple[int, int], sent_start: int) -> list[int]:
    """Modifiers before a name in its noun phrase, within its sentence (starting at token
    `sent_start`): "U.S. President", "Belarus'", "Trump envoy"."""
    first, last = span
    i = first - 1
    while i >= sent_start:
        head = parse.head[i]
        if not (i < head < last) or parse.dep[i] not in WINDOW_DEPS:
            break  # the members are the name and the window, i.e. the tokens i+1 .. last-1
        i -= 1
    return [t for t in range(i + 1, first) if parse.dep[t] != "det"]


def _title_part(parse: _Parse, span: tuple[int, int], mention: Mention) -> list[int]:
    """The title words inside a mention that spans "U.S. President Donald Trump"."""
    size = mention.end - mention.start
    if parse.shortest_names.get(mention.actor, size) >= size:
        return []  # the actor has no shorter name to be inside this mention
    names = [
        m for m in parse.mentions.at(mention.start, mention.end)
        if m.actor == mention.actor and m.end - m.start < size and m.kind != "title"
    ]  # fmt: skip
    if not names:
        return []
    idx = parse.idx
    return [t for t in range(*span) if not any(m.start <= idx[t] < m.end for m in names)]


def _has_role_links(parse: _Parse, head: int) -> bool:
    """Whether the name's head has what `_role_nouns`, `_led_by_verb` and the "of" phrases of
    `_relations_of` read: an apposition or relative clause below it, an "of" phrase, a
    conjunct or apposition role of its own, or a subject of "be" or object of "by". Most names
    have none, and then none of those rules need a look."""
    dep, above = parse.dep, parse.head[head]
    if dep[head] in ("conj", "appos"):
        return True
    if (dep[head] == "nsubj" and parse.lemma[above] == "be") or (
        dep[head] == "pobj" and dep[above] == "agent"
    ):
        return True
    return any(
        dep[child] in ("appos", "relcl") or (dep[child] == "prep" and parse.lower[child] == "of")
        for child in parse.children[head]
    )


def _role_nouns(parse: _Parse, head: int) -> list[int]:
    """Nouns in apposition with a name, or predicated of it ("X is the president of Y")."""
    dep, pos, children = parse.dep, parse.pos, parse.children
    roles: list[int] = []
    conjuncts: list[int] = []
    for child in children[head]:  # in text order: a conjunct before an apposition is seen first
        if dep[child] == "conj":
            conjuncts.append(child)
        elif dep[child] == "appos" and not any(head < i < child for i in conjuncts):
            roles.append(child)
    above = parse.head[head]
    if dep[head] == "conj":  # "Washington and Minsk, a close ally of Russia": of the last one
        later = [c for c in parse.with_dep(above, "conj") if c > head]
        for child in parse.with_dep(above, "appos"):
            if child > head and not any(i < child for i in later):
                roles.append(child)
    if dep[head] == "appos" and pos[above] in ("NOUN", "PROPN"):
        roles.append(above)
    if dep[head] == "nsubj" and parse.lemma[above] == "be":
        roles += parse.with_dep(above, "attr")
    for clause in children[head]:
        if dep[clause] == "relcl" and parse.lemma[clause] == "be":  # "X, who is a citizen of Y"
            roles += parse.with_dep(clause, "attr")
    more = [c for r in roles for c in children[r] if dep[c] == "conj" and pos[c] == "NOUN"]
    return [r for r in roles + more if pos[r] in ("NOUN", "PROPN", "ADJ")]


def _role_phrase(parse: _Parse, role: int) -> list[int]:
    left = [
        c
        for c in parse.children[role]
        if c < role and parse.dep[c] in WINDOW_DEPS and parse.dep[c] != "det"
    ]
    return sorted({t for c in left for t in parse.subtree(c)} | {role})


def _role_targets(parse: _Parse, role: int, preps: set[str]) -> list[int]:
    """Who the role is held for: possessor, prepositional object, or modifier of the role noun."""
    dep = parse.dep
    targets = parse.with_dep(role, "poss", "compound", "amod", "nmod")
    targets += [g for c in targets if dep[c] == "amod" for g in parse.with_dep(c, "amod")]
    role_preps = [c for c in parse.with_dep(role, "prep") if parse.lower[c] in preps]
    role_preps += [
        g for p in role_preps for g in parse.with_dep(p, "conj") if parse.pos[g] == "ADP"
    ]
    for prep in role_preps:  # "an ally of Russia and of its president"
        for obj in parse.with_dep(prep, "pobj"):
            targets.append(obj)
            targets += parse.with_dep(obj, "conj", "poss")
            targets += parse.with_dep(obj, "compound")
    return targets


def _bare_name(name: str) -> str:
    words = name.lower().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _coordinated(
    events: list[Event],
    by_token: dict[int, Event],
    parse: _Parse,
    parts: dict[str, list[str]],
    reactions: set[str],
) -> list[EventRelation]:
    """ "was arrested, convicted and sentenced": each coordinated event after the one before it;
    "released them and deported them": the handover is part of the release."""
    found = []
    for tok, event in by_token.items():
        head = parse.head[tok]
        if parse.dep[tok] != "conj" or head not in by_token or event.modality != "asserted":
            continue
        first = by_token[head]
        if first.type in reactions or event.type in reactions or first.type == event.type:
            continue
        if any(parse.lower[c] == "or" for c in parse.with_dep(head, "cc")):
            continue
        if first.modality == "asserted" and parse.tag[tok] in ("VBD", "VBN"):
            predicate = "partOf" if first.type in parts.get(event.type, ()) else "after"
            found.append(EventRelation(event.key, predicate, first.key))
    return found
