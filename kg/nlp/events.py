"""newskg_events: find the events of the 17 types, with roles, date, place, count and modality.

Triggers come from `data/lexicons/events.json` (lemmas with context constraints); roles come from
dependency paths around the trigger and are mapped to actors through `doc._.mentions`. An argument
noun phrase that names no actor but denotes people ("52 political prisoners") becomes a `Group`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date as Date
from datetime import timedelta
from functools import cached_property
from itertools import repeat
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.data import load_json
from kg.nlp.entities import default_gazetteer
from kg.nlp.parse import Parse, parse_of
from kg.nlp.spans import MentionIndex, SentenceIndex, sentence_bounds
from kg.nlp.types import Actor, Event, Mention, TimeExpr, actor_key

#: Parts of speech of a trigger: verbs (and auxiliaries read as verbs) and nouns.
TRIGGER_POS = ("VERB", "AUX", "NOUN")
SUBJ_DEPS = ("nsubj", "csubj")
PASS_SUBJ_DEPS = ("nsubjpass", "csubjpass")
PLACE_PREPS = ("in", "at", "near", "into", "inside", "outside", "across")
GOVERNMENT_NOUNS = (
    "government",
    "authorities",
    "authority",
    "regime",
    "leadership",
    "administration",
)
DELEGATE_NOUNS = ("representative", "delegation", "delegate", "negotiator", "emissary")
COMPASS_WORDS = frozenset({"northern", "southern", "eastern", "western", "central",
    "northeastern", "northwestern", "southeastern", "southwestern", "north", "south", "east",
    "west"})  # fmt: skip
OF_HEADS = ("thousand", "hundred", "dozen", "ten", "million", "number", "group", "team", "member",
            "some", "many", "most", "several", "couple", "all", "both", "each", "one")  # fmt: skip
PLACE_TYPES = ("Country", "Location")
SPEAKER_TYPES = ("Person", "Organization")
QUOTE_RE = re.compile(r"[“\"]([^“”\"]{2,})[”\"]")
PERSON_SUFFIXES = (
    "er",
    "ers",
    "ist",
    "ists",
    "ian",
    "ians",
    "ee",
    "ees",
    "ant",
    "ants",
    "ent",
    "ents",
)
REPEAT_WORDS = ("again", "once more", "anew", "second time", "another")
GIVEN_PREPS = ("over", "after", "before", "following", "since", "despite", "amid", "for", "upon")
QUANTITY_NOUNS = frozenset(OF_HEADS) | {"swath", "range", "raft", "series", "slew", "batch",
    "round", "set", "host", "package", "wave", "portion", "part", "rest", "half", "dozens",
    "hundreds", "thousands"}  # fmt: skip
CAUSE_PREPS = frozenset({"over", "amid", "despite"})
BENEFIT_VERBS = frozenset({"receive", "get", "win", "secure", "obtain", "seek", "want", "gain"})
LATER_WORDS = frozenset({"later", "subsequently", "afterwards", "afterward", "eventually"})
SAME_TIME_MARKS = frozenset({"as", "while", "when", "whilst"})
AGENT_ONLY_TYPES = ("Election",)
ORDER_VERBS = frozenset({"order", "command", "direct", "instruct", "rule"})
CUSTODY_TYPES = frozenset({"Arrest", "Conviction", "Deportation", "PrisonerRelease"})
TIME_UNITS = frozenset({"second", "minute", "hour", "day", "night", "week", "month", "year",
                        "decade", "time", "weekend"})  # fmt: skip
LIST_COUNT_MIN = 3
OWNER_TYPES = frozenset({"SanctionsImposition", "SanctionsRelief", "Accusation", "Threat",
                         "MilitaryAction", "Protest"})  # fmt: skip
HOME_TYPES = ("Election", "Protest", "Arrest", "MilitaryAction")
GIVEN_OF = ("light", "wake", "aftermath", "result", "spite", "view", "because")
TITLE_MAX_WORDS = 20
REPLIES = ("response", "reaction", "reply", "answer")
JUDGING_VERBS = frozenset({"call", "describe", "term", "label", "brand", "welcome", "hail",
    "praise", "applaud", "condemn", "denounce", "criticize", "criticise", "deplore", "decry",
    "slam", "blast", "defend", "justify", "dismiss", "reject"})  # fmt: skip
SPEECH_LEMMAS = frozenset({"say", "tell", "claim", "add", "write", "argue", "insist", "allege"})
MOTION_WORDS = frozenset({"trip", "visit", "journey", "travel", "fly", "return", "go", "come"})
COUNTED_DEPS = ("dobj", "nsubjpass", "nsubj")
EVENT_ROLES = ("agent", "affected", "participants", "mediator")
HEADLINE_ENDS = ".!?\"”’'):;"
#: How far up the tree `_clause_anchor` looks for a verb.
CLAUSE_WALK = 40
NP_LEFT_DEPS = ("det", "amod", "compound", "nummod", "poss", "quantmod", "nmod", "advmod", "case")


class _Word:
    """One token's parse as plain Python attributes, named as on spaCy's `Token`: the rules read
    a token's attributes and walk `head`/`children` many times, and every spaCy attribute read
    costs several times a plain one, every `head`/`children` step a new `Token` object. One
    `_Word` per token, so `==`, `in` and `is` compare positions (spaCy's root is its own head,
    but a new object: `root.head is root` is false there, true here)."""

    __slots__ = ("children", "dep_", "doc", "head", "i", "idx", "lemma_", "lower_", "parse",
                 "pos_", "tag_", "text", "words")  # fmt: skip

    def __init__(
        self,
        doc: Doc,
        parse: Parse,
        words: list[_Word],
        i: int,
        idx: int,
        text: str,
        lower: str,
        lemma: str,
        pos: str,
        tag: str,
        dep: str,
    ) -> None:
        """One argument per attribute, as `_words` maps the doc's columns onto them; `parse`
        and `words` (every word of the doc) let the tree walks run on the shared parse."""
        self.doc = doc
        self.parse = parse
        self.words = words
        self.i = i
        self.idx = idx
        self.text = text
        self.lower_ = lower
        self.lemma_ = lemma
        self.pos_ = pos
        self.tag_ = tag
        self.dep_ = dep
        self.head = self  # until `_words` links the tree
        self.children: list[_Word] = []

    @property
    def subtree(self) -> list[_Word]:
        """The word and its descendants in spaCy's order (left subtrees, self, right ones)."""
        words = self.words
        return [words[i] for i in self.parse.subtree(self.i)]

    @property
    def left_edge_i(self) -> int:
        """The index of the leftmost word of the subtree, as spaCy records it."""
        return self.doc[self.i].left_edge.i


def _words(parse: Parse, doc: Doc) -> list[_Word]:
    """Every token of `doc` as a `_Word`, from the shared parse tables."""
    columns = (parse.idx, parse.words, parse.lower, parse.lemma, parse.pos, parse.tag, parse.dep)
    words: list[_Word] = []
    words += map(_Word, repeat(doc), repeat(parse), repeat(words), range(parse.size), *columns)
    for word, head in zip(words, parse.head, strict=True):
        if head != word.i:
            word.head = words[head]
            word.head.children.append(word)
    return words


@spacy.registry.misc("newskg.event_lexicon.v1")
def event_lexicon(filename: str = "events.json") -> dict[str, Any]:
    """Load the event trigger lexicon shipped in data/lexicons."""
    return load_json("lexicons", filename)


@dataclass
class _Candidate:
    """A token that matched a trigger entry, before roles are read."""

    token: _Word
    entry: dict[str, Any]
    end_token: _Word


@Language.factory(
    "newskg_events",
    default_config={"lexicon": {"@misc": "newskg.event_lexicon.v1"}},
    requires=["token.dep", "token.lemma", "doc._.mentions", "doc._.times"],
    assigns=["doc._.events", "doc._.actors", "doc._.mentions"],
)
def make_events(nlp: Language, name: str, lexicon: dict[str, Any]) -> EventExtractor:
    """Build the newskg_events component from its lexicon."""
    return EventExtractor(nlp, name, lexicon=lexicon)


class EventExtractor:
    """Pipeline step writing `doc._.events` (and Group actors for unnamed role fillers)."""

    def __init__(self, nlp: Language, name: str, *, lexicon: dict[str, Any]) -> None:
        self.name = name
        self.lexicon = lexicon
        self.by_lemma: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for entry in lexicon["triggers"]:
            for lemma in entry["lemmas"]:
                self.by_lemma.setdefault((lemma, entry["pos"]), []).append(entry)
        self.trigger_lemmas = {lemma for lemma, _pos in self.by_lemma}
        self.light_verbs = set(lexicon["light_verbs"])
        self.mediator_verbs = set(lexicon["mediator_verbs"])
        self.mediator_nouns = set(lexicon["mediator_nouns"])
        self.symmetric = set(lexicon["symmetric_types"])
        self.modals = set(lexicon["hypothetical_modals"])
        self.hyp_governors = set(lexicon["hypothetical_governors"])
        self.hyp_adjectives = set(lexicon["hypothetical_adjectives"])
        self.hyp_marks = set(lexicon["hypothetical_marks"])
        self.neg_governors = set(lexicon["negation_governors"])
        self.neg_words = set(lexicon["negation_words"])
        self.group_nouns = set(lexicon["group_nouns"])
        self.count_skip = set(lexicon["count_skip_quantmods"])
        self.number_words: dict[str, int] = lexicon["number_words"]
        self.territory_nouns = set(lexicon["territory_nouns"])
        self.weapon_nouns = set(lexicon["weapon_nouns"])
        self.means_lemmas = set(lexicon["means_lemmas"])
        #: (id(entry), "near" | "not_near" | "clause") -> that word list as a set, made once
        self.entry_words = {
            (id(entry), key): frozenset(entry.get(key, ()))
            for entry in lexicon["triggers"]
            for key in ("near", "not_near", "clause")
        }

    # ------------------------------------------------------------------ pipeline entry

    def __call__(self, doc: Doc) -> Doc:
        state = _DocState(doc)
        candidates = [
            cand
            for word in state.words
            if word.pos_ in TRIGGER_POS  # the others never match
            and word.lemma_.lower() in self.trigger_lemmas
            and (cand := self._match(word)) is not None
        ]
        candidates = self._filter_statements(candidates, state)
        candidates = self._suppress_objects(candidates)
        built: list[tuple[Event, bool]] = []
        entries: dict[str, int] = {}  # event key -> id of its lexicon entry
        for cand in candidates:
            event = self._build(cand, state)
            if event is not None:
                built.append((event, _is_given(cand, state)))
                entries[event.key] = id(cand.entry)
        events = _without_given(built)
        events = [self._blame_attacker(e, events, state) for e in events]
        events = [state.places_out_of_roles(e) for e in events]
        events = [state.default_place(e) for e in _dedupe(events, state, entries)]
        doc._.events = sorted(events, key=lambda e: (e.start, e.end, e.type))
        doc._.actors = state.actors
        doc._.mentions = sorted(state.mentions, key=lambda m: (m.start, m.end))
        return doc

    def _blame_attacker(self, event: Event, events: list[Event], state: _DocState) -> Event:
        """An accusation aimed at an attack accuses the attacker: "denounced an incursion of
        Russian drones" -> Russia; "called the incursion a provocation" -> the country told
        earlier as the attack's agent."""
        token = state.trigger_token(event) if event.type == "Accusation" else None
        if token is None or event.affected:
            return event
        attacks = [
            c
            for c in token.children
            if c.dep_ == "dobj"
            and any(
                e["type"] == "MilitaryAction" for e in self.by_lemma.get((c.lemma_, "NOUN"), [])
            )
        ]
        if not attacks:
            return event
        attack = attacks[0]
        named = [k for o in _prep_objects(attack, ("of", "by")) for k in self._owners_of(o, state)]
        if not named:
            earlier = [
                e
                for e in events
                if e.type == "MilitaryAction" and e.start < event.start and e.agent
            ]
            countries = [
                k for k in (earlier[-1].agent if earlier else []) if k.startswith("Country:")
            ]
            named = countries
        named = [k for k in named if k not in event.agent]
        return replace(event, affected=_unique(named)) if named else event

    def _owners_of(self, tok: _Word, state: _DocState) -> list[str]:
        """The actor a noun names, or the country of a weapon ("Russian drones")."""
        found = self._actors_for(tok, state, create=False)
        if not found and tok.lemma_.lower() in self.weapon_nouns:
            found = self._demonym_country(tok, state)
        return found

    # ------------------------------------------------------------------ triggers

    def _match(self, token: _Word) -> _Candidate | None:
        """The first lexicon entry `token` triggers, if any."""
        pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN" if token.pos_ == "NOUN" else None
        if pos is None:
            return None
        lemma = token.lemma_.lower()
        for entry in self.by_lemma.get((lemma, pos), []):
            end = self._fits(token, entry)
            if end is not None:
                return _Candidate(token, entry, end)
        return None

    def _fits(self, token: _Word, entry: dict[str, Any]) -> _Word | None:
        """The trigger's last token when `token` satisfies the entry's constraints, else None."""
        end = token
        if "prt" in entry:
            deps = ("prt", "advmod", "dobj", "prep", "xcomp", "ccomp")  # "let go of"
            prts = [c for c in token.children if c.dep_ in deps]
            prts = [c for c in prts if c.lower_ == entry["prt"]]
            if not prts:
                return None
            end = max(end, prts[0], key=lambda t: t.i)
        if "near" in entry or "not_near" in entry:  # "say" and others need no neighbours
            near = _deep_lemmas(token) if entry.get("deep") else _near_lemmas(token)
            if "near" in entry and not near & self.entry_words[id(entry), "near"]:
                return None
            if near & self.entry_words[id(entry), "not_near"]:
                return None
        small_clause = token.tag_ == "VBN" and token.dep_ in ("ccomp", "xcomp", "oprd")
        if entry.get("passive") and not (_is_passive(token) or small_clause):  # "ordered him held"
            return None
        if "clause" in entry and not _clause_lemmas(token) & self.entry_words[id(entry), "clause"]:
            return None
        if entry.get("ordered") and not _ordered(token):
            return None
        return end

    # ------------------------------------------------------------------ candidate filters

    def _filter_statements(self, cands: list[_Candidate], state: _DocState) -> list[_Candidate]:
        """Keep a Statement only for a named speaker quoted or reported, not for another event."""
        others = {
            c.token.i
            for c in cands
            if c.entry["type"] != "Statement"
            and not (c.entry["pos"] == "VERB" and c.token.dep_ == "amod")  # "the released men"
        }
        kept = []
        for cand in cands:
            is_statement = cand.entry["type"] == "Statement"
            if not is_statement or self._statement_ok(cand, others, state):
                kept.append(cand)
        return kept

    def _statement_ok(self, cand: _Candidate, others: set[int], state: _DocState) -> bool:
        token, needs = cand.token, cand.entry.get("needs")
        if token.i in others:
            return False
        speakers = self._speakers(token, state)
        if not speakers:
            return False
        sent = state.sentences.of(token)
        quote = state.quote_span(sent)
        reported = [c for c in token.children if c.dep_ in ("ccomp", "parataxis")]
        if needs == "speech" and quote is None and not reported:
            return False
        if needs == "named_speaker_quote" and quote is None:
            return False
        for clause in reported:
            if _holds_unquoted(clause.i, others, quote, state.parse):
                return False
        return not (token.lemma_ == "call" and quote is None and not reported)

    def _speakers(self, token: _Word, state: _DocState) -> list[str]:
        if token.pos_ == "NOUN":
            args = [c for c in token.children if c.dep_ == "poss"]
        else:
            args = self._subjects(token)[0]
        keys = []
        for arg in args:
            for key in self._actors_for(arg, state, create=False):
                if state.actors[key].type in SPEAKER_TYPES:
                    keys.append(key)
        return keys

    def _suppress_objects(self, cands: list[_Candidate]) -> list[_Candidate]:
        """Drop a nominal trigger restating the verb trigger governing it ("imposed sanctions")."""
        verb_types = {c.token.i: c.entry["type"] for c in cands if c.entry["pos"] == "VERB"}
        absorbing = {"SanctionsRelief", "SanctionsImposition", "Request"}
        speech = {c.token.i: c.entry["type"] for c in cands if "clause" in c.entry}
        kept = []
        for cand in cands:
            if cand.entry["type"] == "Request" and _orders_custody(cand.token, verb_types):
                continue
            if _reported_by(cand.token, speech, cand.entry["type"]):
                continue  # "said the vote was rigged": one accusation, the saying
            gov = _governing_verb(cand.token) if cand.entry["pos"] == "NOUN" else None
            if cand.token.dep_ == "pobj" and cand.token.head.lower_ not in ("for", "of", "on"):
                gov = None
            gov_type = verb_types.get(gov.i) if gov is not None else None
            noun_type = cand.entry["type"]
            absorbed = gov_type is not None and (gov_type == noun_type or gov_type in absorbing)
            kept_anyway = gov_type == "Request" and noun_type in ("Agreement", "Election")
            if absorbed and not kept_anyway:
                continue
            if noun_type not in self.symmetric | {"Election", "Request"} and _requested(
                cand.token, verb_types
            ):
                continue
            kept.append(cand)
        return kept

    # ------------------------------------------------------------------ building events

    def _build(self, cand: _Candidate, state: _DocState) -> Event | None:
        """The event a candidate reports; None when it makes none, or when the story does not
        report it (a headline's, a quotation's). Its roles are read first in every case, as
        they add the Group actors; the rest only for the events kept."""
        token, etype = cand.token, cand.entry["type"]
        sent = state.sentences.of(token)
        if cand.entry["pos"] == "VERB" and token.dep_ == "amod":
            return None
        roles = self._roles(cand, state)
        if cand.entry.get("needs") == "participants" and not (
            roles["agent"] or roles["affected"] or roles["participants"]
        ):
            return None
        if etype in self.symmetric:
            parts = roles["agent"] + roles["affected"] + roles["participants"]
            if etype == "Agreement":  # a broker is a party to the deal it brokered, too
                parts += roles["mediator"]
            else:
                parts = [p for p in parts if p not in roles["mediator"]]
            roles["participants"] = _unique(parts)
            roles["agent"], roles["affected"] = [], []
        start, end = token.idx, cand.end_token.idx + len(cand.end_token.text)
        sent_start, sent_end = sentence_bounds(sent, state.text)
        if state.in_title(start) or state.quoted(etype, start, sent_start, sent_end):
            return None
        state.note_trigger(start, end, token)
        quote = state.quote_span(sent) if etype == "Statement" else None
        modality = self._modality(token)
        date = _date(token, state)
        return Event(
            type=etype,
            trigger=state.text[start:end],
            start=start,
            end=end,
            sent_start=sent_start,
            sent_end=sent_end,
            agent=roles["agent"],
            affected=roles["affected"],
            participants=roles["participants"],
            mediator=roles["mediator"],
            location=self._location(token, etype, state),
            date=date,
            count=self._count(roles["_affected_tokens"], etype, state),
            modality=modality,
            quote=state.text[quote[0] : quote[1]] if quote else None,
        )

    def _roles(self, cand: _Candidate, state: _DocState) -> dict[str, Any]:
        token = cand.token
        if cand.entry["pos"] == "VERB":
            agents, affected, parts, mediators = self._verb_args(token)
            if cand.entry["type"] == "Meeting":  # "flew to Moscow for talks with X"
                parts = parts + [
                    o for n in _prep_objects(token, ("for",)) for o in _prep_objects(n, ("with",))
                ]
        else:
            agents, affected, parts, mediators = self._noun_args(token, cand.entry)
        etype = cand.entry["type"]
        if "prt" in cand.entry and not affected and cand.end_token is not token:
            affected = _prep_objects(cand.end_token, ("of",))  # "let go of eight Russians"
        agents, affected = self._typed_preps(token, etype, agents, affected)
        if etype not in self.symmetric:  # "freed five people, among them A and B"
            affected += [t for t in parts if t.head.lower_ == "among"]
            parts = []
        affected = _with_including(_expand(affected))
        if token.lemma_.lower() in self.means_lemmas:  # "jets were scrambled": the agent's own
            means = [t for t in affected if t.lemma_.lower() in self.weapon_nouns]
            affected = [t for t in affected if t not in means]
            agents = agents + means
        if etype == "MilitaryAction" and cand.entry["pos"] == "NOUN":  # "an incursion of jets"
            means = [t for t in affected if t.lemma_.lower() in self.weapon_nouns]
            means = [t for t in means if t.head.lower_ == "of" and t.head.head == token]
            affected = [t for t in affected if t not in means]
            agents = agents + means
        if etype in OWNER_TYPES:
            affected = [self._owner(t, state) for t in affected]
        roles: dict[str, Any] = {
            "agent": self._keys(_expand(agents), state, agent=True),
            "affected": self._keys(affected, state, target=etype == "MilitaryAction"),
            "participants": self._keys(_expand(parts), state),
            "mediator": self._keys(_expand(mediators), state),
            "_affected_tokens": affected,
        }
        if cand.entry["type"] in self.symmetric:
            roles["participants"] += _names_in_subjects(agents, state)
        roles["affected"] = [k for k in roles["affected"] if k not in roles["agent"]]
        return roles

    def _owner(self, tok: _Word, state: _DocState) -> _Word:
        """For a target that names no actor, the actor it belongs to: "sanctions on Venezuela's
        oil sector" -> Venezuela, "Polish airspace" -> Poland, "the conduct of Iran" -> Iran."""
        if self._actors_for(tok, state, create=False) or self._is_group(tok):
            return tok
        owners = [c for c in tok.children if c.dep_ in ("poss", "amod", "compound")]
        owners += _prep_objects(tok, ("of",))
        for owner in owners:
            if self._actors_for(owner, state, create=False):
                return owner
        return tok

    def _keys(
        self, tokens: list[_Word], state: _DocState, *, agent: bool = False, target: bool = False
    ) -> list[str]:
        """Actor keys for role tokens; weapons stand for their country as agents ("Russian
        drones struck" -> Russia) and are a group of their own as targets ("shot down drones")."""
        keys: list[str] = []
        for tok in tokens:
            found = self._actors_for(tok, state, create=True)
            if not found and tok.lemma_.lower() in self.weapon_nouns and tok.pos_ == "NOUN":
                if agent:
                    found = self._demonym_country(tok, state)
                elif target:
                    found = [state.add_group(_np_span(tok))]
            keys.extend(found)
        return _unique(keys)

    def _demonym_country(self, tok: _Word, state: _DocState) -> list[str]:
        """The country a demonym modifier names ("Polish airspace", "Russian drones")."""
        for child in state.words[tok.left_edge_i : tok.i]:
            if child.dep_ in ("amod", "compound"):
                key = state.country_for_demonym(child.text)
                if key is not None:
                    return [key]
        return []

    # ------------------------------------------------------------------ verb arguments

    def _subjects(self, verb: _Word) -> tuple[list[_Word], list[_Word]]:
        """Active and passive subjects of a verb, inherited through conj/xcomp/relcl/acl heads."""
        subj = [c for c in verb.children if c.dep_ in SUBJ_DEPS]
        subjpass = [c for c in verb.children if c.dep_ in PASS_SUBJ_DEPS]
        if subj or subjpass:
            return _resolve_relative(subj), _resolve_relative(subjpass)
        head = verb.head
        if verb.dep_ == "relcl":
            return ([], [head]) if _is_passive(verb) else ([head], [])
        if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN", "PRON"):
            return ([], [head]) if verb.tag_ == "VBN" else ([head], [])
        if (verb.dep_ == "conj" or _bare_participle(verb)) and head is not verb:
            h_subj, h_pass = self._subjects(head)
            objectless = not _has_child(verb, ("dobj", "ccomp", "xcomp"))
            if _is_passive(verb) or (h_pass and (verb.tag_ == "VBN" or objectless)):
                return [], h_pass or h_subj  # "was arrested and found guilty" (VBD misread)
            return h_subj, []
        if verb.dep_ in ("xcomp", "advcl") and head.pos_ in ("VERB", "AUX"):
            objs = [c for c in head.children if c.dep_ == "dobj"]
            if verb.dep_ == "xcomp" and objs and head.lemma_ not in ("promise",):
                return objs, []
            h_subj, h_pass = self._subjects(head)
            return (h_subj or h_pass), []
        return [], []

    def _verb_args(self, verb: _Word) -> tuple[list[_Word], ...]:
        if _ordered(verb):  # "a court ordered him jailed": the court jails him
            order = verb.head.head if verb.dep_ == "acl" else verb.head
            held = [c for c in verb.children if c.dep_ in SUBJ_DEPS + PASS_SUBJ_DEPS]
            held += [verb.head] if verb.dep_ == "acl" else []
            held += [c for c in order.children if c.dep_ == "dobj" and c not in held]
            return self._subjects(order)[0], held, [], []
        subj, subjpass = self._subjects(verb)
        by = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if not by and (_is_passive(verb) or subjpass):  # "rejected as fraudulent by X" misparsed
            by = [
                g
                for t in verb.subtree
                if t.dep_ == "prep" and t.lower_ == "by" and _clause_anchor(t, verb) == verb
                for g in t.children
                if g.dep_ == "pobj"
            ]
        dobj = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
        if not dobj:  # "declared them traitors", "called the vote a farce": a verbless clause
            small = [c for c in verb.children if c.dep_ in ("ccomp", "oprd") and c.pos_ != "VERB"]
            dobj = [g for c in small for g in c.children if g.dep_ in SUBJ_DEPS]
        passive = _is_passive(verb) or bool(subjpass)
        agents = by if passive else subj
        affected = subjpass if passive else dobj
        if passive and not subjpass and subj:
            affected = subj
        if affected:
            affected = affected + _along_with(verb)
        parts = _prep_objects(verb, ("with", "between", "among"))
        mediators = _help_of(verb, self.mediator_nouns)
        for obj in dobj:
            for acl in (
                c for c in obj.children if c.dep_ == "acl" and c.lemma_ in self.mediator_verbs
            ):
                mediators += _prep_objects(acl, ("by",), dep="agent")
        if verb.lemma_ in self.mediator_verbs:
            mediators, agents = mediators + agents, []
            parts += [t for t in affected if t.pos_ in ("PROPN", "PRON")]
            affected = []
        return agents, affected, parts, mediators

    # ------------------------------------------------------------------ noun arguments

    def _noun_args(self, noun: _Word, entry: dict[str, Any]) -> tuple[list[_Word], ...]:
        agents: list[_Word] = []
        affected: list[_Word] = []
        poss = [c for c in noun.children if c.dep_ == "poss"]
        if entry.get("poss") == "affected":
            affected += poss
        else:
            agents += poss
        agents += _prep_objects(noun, ("by",))
        affected += _prep_objects(noun, ("of",))
        modifiers = [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod")]
        if entry["type"] in CUSTODY_TYPES:  # "prisoner release": the prisoners are not agents
            modifiers = [c for c in modifiers if c.pos_ == "PROPN" or c.tag_ == "JJ"]
        agents += modifiers
        parts = _prep_objects(noun, ("with", "between", "among"))
        mediators = _help_of(noun, self.mediator_nouns)
        for acl in (c for c in noun.children if c.dep_ == "acl"):
            if acl.lemma_ in self.mediator_verbs:
                mediators += _prep_objects(acl, ("by",), dep="agent")
        gov = _governing_verb(noun)
        if gov is not None:
            mediators += _help_of(gov, self.mediator_nouns)
        sanctions = entry["type"] in ("SanctionsImposition", "SanctionsRelief")
        if gov is not None and noun.dep_ in ("dobj", "pobj"):
            gov_subj = self._subjects(gov)[0]
            if gov.lemma_ in self.mediator_verbs:
                mediators += gov_subj
            elif sanctions and noun.dep_ == "dobj" and gov.lemma_ in BENEFIT_VERBS:
                affected += gov_subj  # "Iran received sanctions relief": Iran benefits
            elif sanctions and noun.head.lower_ == "under":
                affected += gov_subj  # "has been under Western sanctions for years"
            elif gov.lemma_ in self.light_verbs:
                agents += gov_subj
            if gov.lemma_ in self.light_verbs:
                parts += _prep_objects(gov, ("with", "between"))
            if entry["type"] == "Meeting" and noun.head.lower_ in ("at", "during"):
                agents += gov_subj  # "ministers agreed on it at a summit": they met there
        return agents, affected, parts, mediators

    def _typed_preps(
        self, token: _Word, etype: str, agents: list[_Word], affected: list[_Word]
    ) -> tuple[list[_Word], list[_Word]]:
        """Type-specific prepositional roles: "sanctions on X", "protest against Y"."""
        holders = [token] + [c for c in token.children if c.dep_ == "dobj"]
        if etype in ("SanctionsImposition", "SanctionsRelief"):
            for h in holders:
                affected = affected + _prep_objects(h, ("on", "against", "targeting"))
            if token.pos_ == "NOUN" and not affected:
                affected = affected + _prep_objects(token, ("for",))
        if etype in ("Protest", "Accusation", "MilitaryAction", "Threat"):
            affected = affected + _prep_objects(token, ("against", "on"))
            gov = _governing_verb(token) if token.pos_ == "NOUN" else None
            if gov is not None and token.dep_ == "dobj" and etype == "Protest":
                affected = affected + _prep_objects(gov, ("against",))  # "staged them against X"
        if etype == "Threat" and token.pos_ == "VERB" and not affected:
            # "vowed to impose costs on X": the threatened is the target of the promised step
            for step in (c for c in token.children if c.dep_ == "xcomp"):
                objs = [step] + [c for c in step.children if c.dep_ == "dobj"]
                affected = affected + [t for o in objs for t in _prep_objects(o, ("on", "against"))]
        if etype == "Request":
            affected = affected + _prep_objects(token, ("on", "upon", "to"))
        if etype in ("Request", "Aid", "Threat") and token.pos_ == "NOUN":
            agents = agents + _prep_objects(token, ("from",))
        if etype == "Aid" and token.pos_ == "NOUN":
            affected = affected + _prep_objects(token, ("to", "for"))
            gov = _governing_verb(token)
            if gov is not None and gov.lemma_ in ("rely", "depend", "receive", "get", "seek"):
                affected = affected + self._subjects(gov)[0]
        return agents, affected

    # ------------------------------------------------------------------ actors for tokens

    def _actors_for(self, tok: _Word, state: _DocState, *, create: bool) -> list[str]:
        tok = _resolve_relative([tok])[0]
        if tok.lemma_.lower() in DELEGATE_NOUNS:  # "representatives of A and B" act for A, B
            objs = _expand(_prep_objects(tok, ("of",)))
            keys = [k for o in objs for k in self._actors_for(o, state, create=False)]
            if keys:
                return _unique(keys)
        mention = state.mention_of(tok)
        if mention is not None and mention.actor in state.actors:
            return [mention.actor]
        if tok.pos_ == "PRON":
            key = state.pronoun_antecedent(tok)
            return [key] if key else []
        if tok.pos_ == "PROPN":
            for m in state.index.for_span(_np_span(tok)):
                if m.actor in state.actors:
                    return [m.actor]
            return []
        if tok.lemma_.lower() in GOVERNMENT_NOUNS:
            for obj in _prep_objects(tok, ("of",)):
                hit = state.mention_of(obj)
                if hit is not None and hit.actor in state.actors:
                    return [hit.actor]
            if country := self._demonym_country(tok, state):
                return country  # "the Serbian government" acts for Serbia
        if tok.lemma_.lower() in self.territory_nouns and (
            country := self._demonym_country(tok, state)
        ):
            return country  # "violated Polish airspace": Poland is what was violated
        if create and self._is_group(tok):
            return [state.add_group(_np_span(tok))]
        return []

    def _is_group(self, tok: _Word) -> bool:
        if tok.pos_ not in ("NOUN", "NUM"):
            return False
        lemma = tok.lemma_.lower()
        if lemma in self.group_nouns or tok.lower_ in self.group_nouns:
            return True
        return tok.tag_ == "NNS" and tok.lower_.endswith(PERSON_SUFFIXES)

    # ------------------------------------------------------------------ place, count, modality

    def _location(self, token: _Word, etype: str, state: _DocState) -> str | None:
        """ "in/at/near X" on the trigger or its object; else on another word of the trigger's
        clause ("was detained in a raid on his home in Tehran"); else where a trip in the clause
        went ("detained while on a trip to X")."""
        preps = PLACE_PREPS + (("to",) if etype == "Meeting" else ())
        holders = [token] + [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        gov = _governing_verb(token) if token.pos_ == "NOUN" else None
        if gov is not None and gov.lemma_.lower() in self.light_verbs:
            holders.append(gov)  # "held talks in Sochi"
        place = _place_after(holders, preps, state)
        if place is not None:
            return place
        anchor = token if token.pos_ in ("VERB", "AUX") else _verb_above(token)
        if anchor is not None and token.dep_ not in SUBJ_DEPS + PASS_SUBJ_DEPS:
            # the clause's words with prepositions: no other word of it can name a place
            holders = state.clause_prep_holders(anchor, state.sentences.of(token))
            place = _place_after(holders, preps, state)
            if place is not None:
                return place
            # "detained ... while on a trip to X", "arrested after traveling to X"
            trips = [t for t in holders if t.lemma_.lower() in MOTION_WORDS]
            trips += [c for c in anchor.children if c.dep_ == "advcl" and c.lemma_ in MOTION_WORDS]
            return _place_after(trips, ("to",), state)
        return None

    def _count(self, affected: list[_Word], etype: str, state: _DocState) -> int | None:
        """How many were affected: "30 prisoners", "the five", "A and 13 other prisoners" (14),
        or a list of three or more named people; never a year or "two nights"."""
        if etype in self.symmetric or etype == "Statement":
            return None
        named = [t for t in affected if t.pos_ == "PROPN" and _is_person(t, state)]
        for tok in affected:
            if _in_time(tok, state) or tok.lemma_.lower() in TIME_UNITS:
                continue
            if tok.lower_ in ("them", "they"):
                # "released the 222 and deported them": the count of the people named before
                sent = state.sentences.of(tok)
                words = state.words[sent.start : sent.end]
                before = [t for t in words if t.i < tok.i and t.dep_ in COUNTED_DEPS]
                for antecedent in reversed(before):
                    if antecedent.pos_ == "NUM" or any(
                        c.dep_ == "nummod" for c in antecedent.children
                    ):
                        return self._count([antecedent], etype, state)
                return None
            if tok.pos_ == "NUM":
                value = self._number([tok])
                if value is not None:
                    return value
            nums = [c for c in tok.children if c.dep_ == "nummod"]
            if tok.pos_ == "PROPN":  # "the five -- businessman A, ..."
                nums += [g for c in tok.children if c.dep_ == "compound" for g in c.children
                         if g.dep_ == "nummod"]  # fmt: skip
            if not nums:
                continue
            num = nums[0]
            if _in_time(num, state):
                continue
            mods = {t.lower_ for t in num.subtree if t.dep_ in ("quantmod", "advmod")}
            if mods & self.count_skip:
                return None
            words = [t for t in num.subtree if t.dep_ not in ("quantmod", "advmod", "punct")]
            value = self._number(words)
            others = any(c.lower_ == "other" for c in tok.children)
            if value is not None and others:
                value += len([t for t in named if t.i < tok.i])
            return value
        groups = [t for t in affected if t not in named and self._is_group(t)]
        if len(named) >= LIST_COUNT_MIN and not groups:
            return len(named)
        return None

    def _number(self, tokens: list[_Word]) -> int | None:
        """An integer from digits ("1,200", "1.2 million") or number words ("two dozen")."""
        total, current = 0, 0
        for tok in sorted(tokens, key=lambda t: t.i):
            text = tok.lower_.replace(",", "")
            if re.fullmatch(r"\d+(\.\d+)?", text):
                current = current + float(text) if current == 0 else current * float(text)
            elif text in self.number_words:
                value = self.number_words[text]
                if value >= 1000:
                    total += max(current, 1) * value
                    current = 0
                elif value in (100, 12) and current:
                    current *= value
                else:
                    current += value
            elif text in ("and", "-"):
                continue
            else:
                return None
        value = total + current
        return int(value) if value and value == int(value) else None

    def _modality(self, token: _Word) -> str:
        if self._negated(token):
            return "negated"
        if self._hypothetical(token):
            return "hypothetical"
        return "asserted"

    def _negated(self, token: _Word) -> bool:
        for child in token.children:
            if child.dep_ == "neg" or child.lower_ in ("no", "never"):
                return True
        head = token.head
        if token.dep_ == "xcomp" and head.lemma_ in self.neg_governors:
            return True
        if token.dep_ == "xcomp" and _has_child(head, ("neg",)):
            return True
        return token.pos_ == "NOUN" and head.lower_ == "without"

    def _hypothetical(self, token: _Word) -> bool:
        for child in token.children:
            if child.dep_ == "aux" and child.lower_ in self.modals:
                return True
            if child.dep_ == "mark" and child.lower_ in self.hyp_marks:
                return True
            if (
                token.pos_ == "NOUN"
                and child.dep_ == "amod"
                and child.lower_ in self.hyp_adjectives
            ):
                return True
        tok = token
        for _ in range(3):
            if (
                tok.dep_ not in ("xcomp", "dobj", "pobj", "prep", "ccomp", "advcl", "pcomp", "acl")
                or tok.head is tok
            ):
                return False
            if tok.dep_ == "acl" and tok.head.lemma_ not in self.hyp_governors:
                return False  # "plans to run" yes, "those detained" no
            head = tok.head
            if head.lemma_ in self.hyp_governors and tok.dep_ != "advcl":
                return True
            if _has_child_word(head, "aux", self.modals):
                return tok.dep_ != "advcl"
            if _has_child_word(head, "mark", self.hyp_marks):
                return True
            if tok.dep_ in ("ccomp", "advcl"):
                return False
            tok = head
        return False


class _DocState:
    """Actors and mentions of one doc while events add Group actors to them."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.parse = parse_of(doc)
        self.words = _words(self.parse, doc)
        self.text = self.parse.text
        self.actors: dict[str, Actor] = dict(doc._.actors or {})
        self.mentions: list[Mention] = list(doc._.mentions or [])
        self.index = MentionIndex(doc)
        self.times: list[tuple[TimeExpr, _Word]] = []
        for time in doc._.times or []:
            span = self.parse.char_span(time.start, time.end)
            if span is not None and span[0] < span[1]:
                self.times.append((time, self.words[self.parse.root(*span)]))
        self._home: str | None = None
        self._quotes: dict[int, tuple[int, int] | None] = {}
        self._quotations: dict[int, list[tuple[int, int]]] = {}
        self._triggers: dict[tuple[int, int], _Word | None] = {}
        self._mentions_at: dict[int, Mention | None] = {}
        self._sentence_times: dict[int, list[tuple[TimeExpr, _Word]]] = {}

    @cached_property
    def sentences(self) -> SentenceIndex:
        """The doc's sentences, listed when first asked for."""
        return SentenceIndex(self.doc)

    @cached_property
    def titles(self) -> list[tuple[int, int]]:
        """The character ranges of the headline and subheadings (`_title_spans`)."""
        return _title_spans(self.text)

    def in_title(self, char: int) -> bool:
        """Whether a character offset lies in the headline or a subheading."""
        return any(start <= char < end for start, end in self.titles)

    def quoted(self, etype: str, start: int, sent_start: int, sent_end: int) -> bool:
        """Whether a trigger starting at `start` is inside a quotation: a speaker's words
        ("What's with Russia violating our airspace?"), reported by the statement, not events
        the story reports; accusations are the exception, quoted charges are what they are made
        of. The quotations of a sentence (its bounds given) are searched once."""
        if etype in ("Statement", "Accusation"):
            return False
        spans = self._quotations.get(sent_start)
        if spans is None:
            found = QUOTE_RE.finditer(self.text, sent_start, sent_end)
            spans = self._quotations[sent_start] = [match.span(1) for match in found]
        for quote_start, quote_end in spans:
            if quote_start <= start < quote_end:
                return True
        # else a quotation opened before it that runs past the sentence
        text = self.text
        return text.count("“", sent_start, start) > text.count("”", sent_start, start)

    def quote_span(self, sent: Span) -> tuple[int, int] | None:
        """Character offsets of the first quotation in a sentence, without the quote marks;
        searched once per sentence, in the doc's text (`sent.text` joins the tokens anew)."""
        if sent.start not in self._quotes:
            match = QUOTE_RE.search(self.text, sent.start_char, sent.end_char)
            self._quotes[sent.start] = match.span(1) if match else None
        return self._quotes[sent.start]

    def times_in(self, sent: Span) -> list[tuple[TimeExpr, _Word]]:
        """The time expressions starting in a sentence, with their root words; listed once per
        sentence, as both the date and the presupposition rules ask for them per trigger."""
        if sent.start not in self._sentence_times:
            start, end = sent.start_char, sent.end_char
            self._sentence_times[sent.start] = [x for x in self.times if start <= x[0].start < end]
        return self._sentence_times[sent.start]

    def mention_of(self, word: _Word) -> Mention | None:
        """`index.for_token`, looked up once per word: the role and place rules ask again
        about the same words."""
        if word.i not in self._mentions_at:
            self._mentions_at[word.i] = self.index.for_token(word)
        return self._mentions_at[word.i]

    def note_trigger(self, start: int, end: int, word: _Word) -> None:
        """Record the word an event is built on: `trigger_token` finds it without `char_span`
        (the first token of the trigger's characters is the word they start with)."""
        self._triggers[start, end] = word

    def trigger_token(self, event: Event) -> _Word | None:
        """The first token of an event's trigger, looked up once per trigger: deduplication
        compares every pair of events."""
        where = (event.start, event.end)
        if where not in self._triggers:
            span = self.parse.char_span(event.start, event.end)
            found = span is not None and span[0] < span[1]
            self._triggers[where] = self.words[span[0]] if found else None
        return self._triggers[where]

    def clause_verb(self, i: int) -> int:
        """The index of the first verb at or above token `i` (else where the walk stops: the
        root): `_clause_anchor(token, verb) == verb` exactly when it is `verb.i`."""
        pos, head = self.parse.pos, self.parse.head
        steps = 0
        while steps < CLAUSE_WALK and pos[i] not in ("VERB", "AUX") and head[i] != i:
            i = head[i]
            steps += 1
        return i

    @cached_property
    def preps(self) -> dict[int, list[_Word]]:
        """Head index -> its "prep" dependents in text order, as `head.children` gives them:
        found once for the place rules, which look under every word of a clause."""
        found: dict[int, list[_Word]] = {}
        words, head = self.words, self.parse.head
        for i, dep in enumerate(self.parse.dep):
            if dep == "prep" and head[i] != i:
                found.setdefault(head[i], []).append(words[i])
        return found

    @cached_property
    def _prep_holders(self) -> dict[int, list[_Word]]:
        """Verb index -> the words of its clause that have "prep" dependents, in text order:
        the place rules read nothing else of a clause, so only these words are walked up."""
        members: dict[int, list[_Word]] = {}
        for i in sorted(self.preps):
            members.setdefault(self.clause_verb(i), []).append(self.words[i])
        return members

    def clause_prep_holders(self, verb: _Word, sent: Span) -> list[_Word]:
        """The words of `sent` in the clause of `verb` (a VERB or AUX), in text order, that
        have "prep" dependents: of the tokens for which `_clause_anchor(token, verb) == verb`,
        those `_place_after` can find a place on."""
        return [w for w in self._prep_holders.get(verb.i, ()) if sent.start <= w.i < sent.end]

    def default_place(self, event: Event) -> Event:
        """A place for an event of a type that always happens somewhere and whose text names
        none: an attack's target country, else the country the article is about. Filled after
        deduplication: a guess must not make a re-mention look informative."""
        if event.location is not None or event.type not in HOME_TYPES:
            return event
        people = [k for k in event.affected if k in self.actors]
        if any(self.actors[k].type == "Person" for k in people) and event.type == "Arrest":
            return event  # one person's arrest is told with its place, or without one
        place = None
        if event.type == "MilitaryAction":
            targets = [k for k in event.affected if k in self.actors]
            place = next((k for k in targets if self.actors[k].type == "Country"), None)
        return replace(event, location=place or self.home_country())

    def home_country(self) -> str | None:
        """The country the article is about, where its domestic events (votes, protests) take
        place: the one named most often in the body, counting its cities, not counting
        modifiers ("U.S. envoy"). Computed once per article."""
        if self._home is not None:
            return self._home or None
        counts: dict[str, int] = {}
        start = _headline_end(self.text)
        for mention in self.index.mentions:
            actor = self.actors.get(mention.actor)
            if actor is None or actor.type not in PLACE_TYPES or mention.start < start:
                continue
            span = self.parse.char_span(mention.start, mention.end)
            if span is None:
                continue
            key = None
            if actor.type == "Country" and self.parse.dep[self.parse.root(*span)] != "compound":
                key = actor.key
            elif actor.type == "Location":
                country = default_gazetteer().country_of(actor.name)
                key = actor_key("Country", country) if country else None
            if key is not None and key in self.actors:
                counts[key] = counts.get(key, 0) + 1
        self._home = max(counts, key=lambda k: counts[k]) if counts else ""
        return self._home or None

    def add_group(self, span: Span) -> str:
        """Register an unnamed group for a noun phrase and return its key."""
        words = list(span)
        while words and (
            words[0].pos_ in ("DET", "PRON", "PUNCT")
            or words[0].dep_ == "poss"
            or words[0].tag_ == "POS"  # the "'s" left behind by a possessor
        ):
            words = words[1:]
        if not words:
            words = list(span)
        name = self.text[words[0].idx : words[-1].idx + len(words[-1].text)]
        key = actor_key("Group", name)
        if key not in self.actors:
            self.actors[key] = Actor("Group", name)
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        if not any(m.start == start and m.end == end for m in self.mentions):
            self.mentions.append(Mention(start, end, name, key, "group"))
        return key

    def places_out_of_roles(self, event: Event) -> Event:
        """Only actors fill roles: a capital in a role stands for its country, another place is
        the event's location (the shapes reject a `nkg:Location` as agent or affected)."""
        filled = [getattr(event, role) for role in EVENT_ROLES]
        if all(len(set(keys)) == len(keys) for keys in filled) and not any(
            self._is_place(key) for keys in filled for key in keys
        ):
            return event  # nothing to move or merge: spare the copy
        location = event.location
        roles = {}
        for role in EVENT_ROLES:
            keys = []
            for key in getattr(event, role):
                actor = self.actors.get(key)
                if actor is None or actor.type != "Location":
                    keys.append(key)
                elif country := self.country_for_place(actor):
                    keys.append(country)
                else:
                    if role == "affected" and (region_of := self.country_of_region(actor)):
                        keys.append(region_of)  # "pounded western Ukraine": Ukraine is hit
                    if location is None:
                        location = key
            roles[role] = _unique(keys)
        return replace(event, location=location, **roles)

    def _is_place(self, key: str) -> bool:
        actor = self.actors.get(key)
        return actor is not None and actor.type == "Location"

    def country_of_region(self, place: Actor) -> str | None:
        """The key of the country a compass region names ("western Ukraine"), if any."""
        first, _, rest = place.name.partition(" ")
        if first.lower() not in COMPASS_WORDS or not rest:
            return None
        return self._country(default_gazetteer().country_of(rest))

    def country_for_place(self, place: Actor) -> str | None:
        """The key of the country whose capital or seat of government `place` names, if any."""
        return self._country(default_gazetteer().country_of(place.name), alias=place.name)

    def country_for_demonym(self, word: str) -> str | None:
        """The key of the country a demonym ("Polish") names, added as an actor if missing."""
        return self._country(default_gazetteer().country_for_demonym(word))

    def _country(self, country: str | None, *, alias: str | None = None) -> str | None:
        """The key of a gazetteer country, added as an actor if missing (with `alias`)."""
        if country is None:
            return None
        key = actor_key("Country", country)
        actor = self.actors.setdefault(key, Actor("Country", country))
        if alias:
            actor.aliases.add(alias)
        return key

    def pronoun_antecedent(self, tok: _Word) -> str | None:
        """Fallback for he/she/his/her without a pronoun mention: the nearest earlier person."""
        if tok.lower_ not in ("he", "she", "him", "her", "his", "hers"):
            return None
        earlier = [m for m in self.index.mentions if m.end <= tok.idx]
        for mention in reversed(earlier):
            actor = self.actors.get(mention.actor)
            if actor is not None and actor.type == "Person":
                return actor.key
        return None


# ---------------------------------------------------------------------- helpers


def _is_passive(verb: _Word) -> bool:
    return _has_child(verb, ("auxpass", "nsubjpass")) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl", "conj") and verb.head.pos_ != "VERB"
    )


def _near_lemmas(token: _Word) -> set[str]:
    """Lemmas of the trigger's children and grandchildren (through "a swath of"), of a noun's
    head (through a prep) and of the noun a participle or relative clause modifies."""
    near: set[str] = set()
    for child in token.children:
        near.add(child.lemma_.lower())
        near.add(child.lower_)
        for grand in child.children:
            near.add(grand.lemma_.lower())
            near.add(grand.lower_)
            if grand.lower_ == "of" and child.lemma_.lower() in QUANTITY_NOUNS:
                near.update(g.lemma_.lower() for g in grand.children if g.dep_ == "pobj")
    head = token.head
    if token.dep_ in ("acl", "relcl"):  # "sanctions targeting X"
        near.add(head.lemma_.lower())
    if token.pos_ != "VERB":  # a root noun adds its own lemma: its head is itself
        near.add(head.lemma_.lower())
        if head.pos_ == "ADP":
            near.add(head.head.lemma_.lower())
    return near


def _clause_lemmas(token: _Word) -> set[str]:
    """Lemmas and words of the clauses a speech verb reports ("said the vote was rigged");
    "not/neither ... fair" counts as "unfair"."""
    words: set[str] = set()
    stack = [c for c in token.children if c.dep_ in ("ccomp", "parataxis")]
    while stack:
        tok = stack.pop()
        words.add(tok.lemma_.lower())
        words.add(tok.lower_)
        for child in tok.children:
            if child.dep_ not in ("relcl", "acl"):
                stack.append(child)
    if "fair" in words and words & {"not", "n't", "neither", "nor", "never"}:
        words.add("unfair")
    return words


def _deep_lemmas(token: _Word) -> set[str]:
    """Lemmas and words of the trigger's phrase, without its verb clauses."""
    near = _near_lemmas(token)
    for child in token.children:
        clause = child.dep_ in ("ccomp", "advcl", "relcl", "conj", "parataxis")
        if clause and child.pos_ in ("VERB", "AUX"):  # "called [his arrest a coup]" stays
            continue
        for t in child.subtree:
            near.add(t.lemma_.lower())
            near.add(t.lower_)
    return near


def _place_after(holders: list[_Word], preps: tuple[str, ...], state: _DocState) -> str | None:
    """The first place named by a place preposition on one of `holders` ("in the town of X")."""
    for holder in holders:
        for prep in state.preps.get(holder.i, ()):
            if prep.lower_ not in preps:
                continue
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                for cand in [obj, *_prep_objects(obj, ("of",))]:
                    mention = state.mention_of(cand)
                    actor = state.actors.get(mention.actor) if mention else None
                    if actor is not None and actor.type in PLACE_TYPES:
                        return actor.key
    return None


def _holds_unquoted(top: int, marks: set[int], quote: tuple[int, int] | None, parse: Parse) -> bool:
    """Whether the subtree of token `top` holds one of the tokens `marks` outside the quotation
    `quote`: found by walking up from each mark, not down the whole subtree."""
    for i in marks:
        below = i == top or parse.is_ancestor(top, i)
        if below and (quote is None or not quote[0] <= parse.idx[i] < quote[1]):
            return True
    return False


def _ordered(token: _Word) -> bool:
    """ "ordered him held", "ordered that he be kept": a participle an order verb governs."""
    head = token.head
    if token.dep_ == "acl" and head.dep_ == "dobj":
        head = head.head
    elif token.dep_ not in ("xcomp", "ccomp", "oprd"):
        return False
    return token.tag_ in ("VBN", "VBD") and head.lemma_.lower() in ORDER_VERBS


def _reported_by(token: _Word, speech: dict[int, str], etype: str) -> bool:
    """Whether a trigger sits in the clause a speech trigger of its own type reports."""
    cur = token
    while cur.dep_ in ("ccomp", "parataxis") and cur.head is not cur:
        cur = cur.head
        if speech.get(cur.i) == etype:
            return True
    return False


def _orders_custody(verb: _Word, verb_types: dict[int, str]) -> bool:
    """ "A judge ordered him held for 30 days": an order that is itself an arrest, sentence,
    release or deportation is that event, not a request."""
    if verb.lemma_.lower() not in ORDER_VERBS:
        return False
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    clauses = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp")]
    clauses += [g for o in objects for g in o.children if g.dep_ == "acl"]  # "him held"
    return any(verb_types.get(c.i) in CUSTODY_TYPES for c in clauses)


def _requested(token: _Word, verb_types: dict[int, str]) -> bool:
    """Whether a trigger is what a request asks for ("urged Moscow to release them", "wants to
    win the release of more"): the request is the event, the release only its aim."""
    cur = token if token.pos_ in ("VERB", "AUX") else _governing_verb(token)
    for _ in range(3):
        if cur is None or cur.dep_ not in ("xcomp", "ccomp") or cur.head is cur:
            return False
        cur = cur.head
        if verb_types.get(cur.i) == "Request":
            return cur.lemma_.lower() not in ORDER_VERBS
    return False


def _in_time(token: _Word, state: _DocState) -> bool:
    """Whether a token lies inside a time expression ("in 2021")."""
    return any(t.start <= token.idx < t.end for t, _ in state.times)


def _is_person(token: _Word, state: _DocState) -> bool:
    mention = state.mention_of(token)
    actor = state.actors.get(mention.actor) if mention else None
    return actor is not None and actor.type == "Person"


def _governing_verb(token: _Word) -> _Word | None:
    """The verb a noun is the object of, directly or through one preposition."""
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in QUANTITY_NOUNS:
        return _governing_verb(head.head)  # "lifted a swath of sanctions"
    if token.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and head.pos_ in ("VERB", "AUX"):
        return head
    if token.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        return head.head
    return None


def _prep_objects(token: _Word, preps: tuple[str, ...], dep: str = "prep") -> list[_Word]:
    return [
        g
        for c in token.children
        if c.dep_ == dep and c.lower_ in preps
        for g in c.children
        if g.dep_ == "pobj"
    ]


def _along_with(token: _Word) -> list[_Word]:
    """ "freed A along with 13 other prisoners" -> the 13 other prisoners."""
    found = []
    for prep in (
        c for c in token.children if c.dep_ == "prep" and c.lower_ in ("along", "together")
    ):
        found += _prep_objects(prep, ("with",))
    return found


def _help_of(token: _Word, nouns: set[str]) -> list[_Word]:
    """ "with the help of X", "through the mediation of X" -> X."""
    found = []
    for prep in token.children:
        if prep.dep_ != "prep":
            continue
        for noun in prep.children:
            if noun.dep_ == "pobj" and noun.lemma_ in nouns:
                found += _prep_objects(noun, ("of", "from", "by"))
    return found


def _resolve_relative(tokens: list[_Word]) -> list[_Word]:
    """Replace a relative pronoun by the noun its clause modifies."""
    out = []
    for tok in tokens:
        if tok.tag_ in ("WDT", "WP", "WP$") and tok.head.dep_ == "relcl":
            out.append(tok.head.head)
        else:
            out.append(tok)
    return out


def _expand(tokens: list[_Word]) -> list[_Word]:
    """Follow coordination: "X, Y and Z" -> X, Y, Z."""
    out: list[_Word] = []
    stack = list(tokens)
    while stack:
        tok = stack.pop(0)
        if tok in out:
            continue
        out.append(tok)
        stack += [c for c in tok.children if c.dep_ == "conj"]
    return out


def _with_including(tokens: list[_Word]) -> list[_Word]:
    """Add the members named in "X, including A and B"."""
    extra = [t for tok in tokens for t in _prep_objects(tok, ("including",))]
    return tokens + _expand(extra)


def _np_span(tok: _Word) -> Span:
    """The noun phrase headed by `tok`, without relative clauses, appositions or coordination."""
    keep = [tok]
    for child in tok.children:
        left = child.i < tok.i and child.dep_ in NP_LEFT_DEPS
        quantity = child.i > tok.i and child.lower_ == "of" and tok.lemma_.lower() in OF_HEADS
        if left or quantity:
            keep.extend(child.subtree)
    lo, hi = min(t.i for t in keep), max(t.i for t in keep)
    return tok.doc[lo : hi + 1]


def _clause_anchor(tok: _Word, stop: _Word) -> _Word:
    """The first verb (or `stop`) above a token: the clause a time expression belongs to."""
    cur = tok
    for _ in range(CLAUSE_WALK):
        if cur == stop or cur.pos_ in ("VERB", "AUX"):
            return cur
        if cur.head is cur:
            return cur
        cur = cur.head
    return cur


def _verb_above(token: _Word) -> _Word | None:
    """The first verb above a token (the clause a noun trigger sits in)."""
    cur = token
    for _ in range(40):
        if cur.head is cur:
            return None
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return None


def _bare_participle(verb: _Word) -> bool:
    """A participle the parser hangs as an adverbial clause while it continues a list of verbs
    ("was arrested in 2011, convicted of fraud and sentenced"): no subject, no conjunction."""
    return (
        verb.dep_ == "advcl"
        and verb.tag_ == "VBN"
        and not _has_subject(verb)
        and not _has_child(verb, ("mark", "advmod"))
    )


def _shares_time(verb: _Word) -> bool:
    """Whether a verb takes the time of the word above it: a controlled or coordinated verb
    ("tried to flee", "was arrested in 2011 and convicted"), not a copula's new clause; a
    participle or "in which" clause on a noun shares the noun's time."""
    if _has_child_word(verb, "advmod", LATER_WORDS):
        return False  # "was detained in 2015 and later sentenced": some undated time after
    if (verb.dep_ == "acl" and verb.tag_ == "VBG") or _ordered(verb):
        return True  # "a video urging Russians to ...", "ordered him held": the main time
    if verb.dep_ == "relcl" and _in_which(verb):
        return True  # "an interview in which he praised ...": when the interview was
    if _narrative_relative(verb):
        return True  # "talks with Putin, who brushed off the criticism": the story goes on
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.dep_ == "pobj":
        return True  # "appeared in a video released by ...": the video came out then
    if verb.head.pos_ == "VERB":
        return verb.dep_ in ("xcomp", "conj") or _bare_participle(verb) or _same_time_clause(verb)
    return verb.head.pos_ == "AUX" and verb.dep_ == "conj" and not _has_subject(verb)


def _narrative_relative(verb: _Word) -> bool:
    """A non-restrictive relative clause in the simple past (", which lifted ...", ", who
    dismissed ..."): the lead's next step, told at the time of the clause it hangs in; not a
    perfect or passive background clause (", who had been jailed ...")."""
    if verb.dep_ != "relcl" or verb.tag_ != "VBD":
        return False
    if _has_child(verb, ("aux", "auxpass", "neg")):
        return False
    subject = [c for c in verb.children if c.dep_ in SUBJ_DEPS]
    if not subject or subject[0].lower_ not in ("who", "which"):
        return False
    first = verb.doc[subject[0].i - 1] if subject[0].i > 0 else None
    return first is not None and first.text == ","


def _same_time_clause(verb: _Word) -> bool:
    """An adverbial clause happening with its main clause: "as/while/when ...", or a purpose
    "to demand ..." (never "after/before/since ...")."""
    if verb.dep_ != "advcl":
        return False
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    if marks:
        return marks <= SAME_TIME_MARKS
    if verb.tag_ == "VBG" and not _has_subject(verb):
        return True  # "imposed sanctions on Friday, accusing him of ...": a participial adjunct
    return _has_child_word(verb, "aux", ("to",))


def _in_which(verb: _Word) -> bool:
    """A relative clause opened by "in/during which" or "where": it tells what happened in
    the thing it modifies."""
    for child in verb.children:
        if child.dep_ == "advmod" and child.lower_ == "where":
            return True
        if child.dep_ == "prep" and any(g.lower_ in ("which", "whom") for g in child.children):
            return True
    return False


def _has_subject(verb: _Word) -> bool:
    return _has_child(verb, SUBJ_DEPS + PASS_SUBJ_DEPS)


def _has_child(word: _Word, deps: Collection[str]) -> bool:
    """Whether a child of `word` has one of the labels `deps`: a plain loop, as the modality and
    tense rules ask it per trigger and `any` over a generator costs three times as much."""
    for child in word.children:  # noqa: SIM110  (see above)
        if child.dep_ in deps:
            return True
    return False


def _has_child_word(word: _Word, dep: str, words: Collection[str]) -> bool:
    """Whether a child of `word` labelled `dep` is one of `words` (lowercased); a loop, as in
    `_has_child`."""
    for child in word.children:  # noqa: SIM110  (see above)
        if child.dep_ == dep and child.lower_ in words:
            return True
    return False


def _own_times(anchor: _Word, local: list[tuple[TimeExpr, _Word]]) -> list[TimeExpr]:
    """Time expressions whose path up the tree reaches `anchor` before any other verb; for a
    "when" clause on a time ("in 2018, when police crushed ..."), that time."""
    own = [
        t
        for t, root in local
        if _clause_anchor(root, anchor) == anchor and _dates_clause(t, root, anchor)
    ]
    if not own and anchor.dep_ == "relcl" and any(c.lower_ == "when" for c in anchor.children):
        head = anchor.head
        own = [t for t, _ in local if t.start <= head.idx < t.end]
    return own


def _dates_clause(time: TimeExpr, root: _Word, anchor: _Word) -> bool:
    """Whether a time in the clause of `anchor` dates it. Not the start of a repeated action
    ("has jailed hundreds since 2018"; but "has been jailed since 2020" dates the jailing), nor
    a time that only modifies a noun ("over last year's crackdown", "whose 2018 reelection was
    rejected")."""
    parse = anchor.parse
    span = parse.char_span(time.start, time.end)
    if (
        span is not None
        and span[0] > 0
        and parse.lower[span[0] - 1] == "since"
        and not _has_child(anchor, ("auxpass",))
    ):
        return False
    if root.head == anchor:
        return True
    if root.dep_ == "poss":
        return False
    cur = root.head
    for _ in range(8):  # "jailed over the protests of July 2021": the protests' time
        if cur == anchor or cur.head == cur:
            break
        if cur.dep_ == "prep" and cur.lower_ in CAUSE_PREPS and root.head != cur:
            return False
        cur = cur.head
    return not (
        root.dep_ in ("compound", "nummod", "amod", "nmod")
        and root.head.dep_ in SUBJ_DEPS + PASS_SUBJ_DEPS
    )


def _date(token: _Word, state: _DocState) -> str | None:
    """The time expression of the trigger's clause, nearest first; never the publication date.
    A noun trigger takes its clause's time; a verb coordinated with or controlled by a dated verb
    shares its time ("was arrested in 2010, convicted and sentenced", "tried to flee Monday")."""
    sent = state.sentences.of(token)
    local = state.times_in(sent)
    if not local:
        return None
    own = _own_times(token, local)
    if not own and (near := _near_head_date(token, state)) is not None:
        return near
    cur = token
    for _ in range(4):
        if own:
            break
        if cur.pos_ not in ("VERB", "AUX"):
            above = _verb_above(cur)
        elif cur.dep_ == "conj" and (partner := _conj_partner(cur)) != cur.head:
            above = partner
        else:
            above = cur.head if _shares_time(cur) else None
        if above is None:
            break
        own, cur = _own_times(above, local), above
    if not own and token.pos_ in ("VERB", "AUX"):  # "was freed and allowed to leave last year"
        later = [c for c in token.children if c.dep_ == "conj" and not _has_subject(c)]
        later += [g for c in later for g in c.children if g.dep_ == "xcomp"]
        own = [t for c in later for t in _own_times(c, local)]
    if not own:
        return None
    best = min(own, key=lambda t: abs(t.start - token.idx))
    return best.value


def _conj_partner(verb: _Word) -> _Word:
    """The verb a subjectless conjunct really coordinates with. The parser often hangs it on
    the last verb before it ("demanded that they free him and condemned ...", "insisting he
    acted to protect them and accusing ..."): a past or -ing form joined to a verb of another
    form, or to a "there is" clause, belongs to the nearest verb above of its own form."""
    head = verb.head
    if _has_subject(verb) or verb.tag_ not in ("VBD", "VBG"):
        return head
    mismatched = verb.tag_ != head.tag_ and not (verb.tag_ == "VBD" and head.tag_ == "VBN")
    if not (mismatched or _has_child(head, ("expl",))):
        return head
    cur = head
    for _ in range(6):
        if cur.head == cur:
            return head
        cur = cur.head
        if cur.tag_ == verb.tag_:
            return cur
    return head


def _near_head_date(token: _Word, state: _DocState) -> str | None:
    """ "freed them on Saturday, hours after X": X's day is the main clause's day; "a day
    after X" is the day before it. Only for a main clause dated to the day."""
    if token.dep_ != "advcl" or token.head is token:
        return None
    marks = {c.lower_ for c in token.children if c.dep_ == "mark"}
    if not marks & {"after", "before"}:
        return None
    spans = [c for c in token.children if c.dep_ == "npadvmod"]
    spans += [c for c in token.head.children if c.dep_ == "npadvmod" and c.i < token.i]
    if not spans:
        return None
    unit = spans[-1]
    for time, _root in state.times:
        if unit.lemma_.lower() in TIME_UNITS and time.start <= unit.idx < time.end:
            return time.value  # "a day after X" is already resolved to X's day
    if unit.lemma_.lower() in ("hour", "minute", "moment"):
        shift = 0
    elif unit.lemma_.lower() == "day" and any(c.lower_ in ("a", "one") for c in unit.children):
        shift = -1 if "after" in marks else 1
    else:
        return None
    head_date = _date(token.head, state)
    if head_date is None or len(head_date) != len("2025-01-01"):
        return None
    return (Date.fromisoformat(head_date) + timedelta(days=shift)).isoformat()


def _names_in_subjects(subjects: list[_Word], state: _DocState) -> list[str]:
    """Every named party inside a subject phrase ("Prime Minister A and Chancellor B" misparsed)."""
    keys: list[str] = []
    for subj in subjects:
        if subj.pos_ != "PROPN":
            continue
        span = subj.doc[subj.left_edge_i : subj.i + 1]
        for mention in state.index.for_span(span):
            actor = state.actors.get(mention.actor)
            if actor is not None and actor.type in ("Person", "Organization", "Country"):
                keys.append(actor.key)
    return keys


def _unique(keys: list[str]) -> list[str]:
    seen: list[str] = []
    for key in keys:
        if key not in seen:
            seen.append(key)
    return seen


# ---------------------------------------------------------------------- deduplication


def _is_given(cand: _Candidate, state: _DocState) -> bool:
    """A mention that presupposes its event instead of reporting it: "over his arrest", "the
    release", "prisoners released on Friday" (a participle modifying the people it was done to);
    a time of its own ("his arrest in 2020") makes it a report."""
    token = cand.token
    sent = state.sentences.of(token)
    local = state.times_in(sent)
    if _own_times(token, local):
        return False
    if token.dep_ == "dobj" and _own_times(token.head, local):  # "launched its invasion in 2022"
        return False
    gerund = token.tag_ == "VBG" and token.dep_ in ("dobj", "pobj", "nsubj", "attr", "oprd")
    if cand.entry["pos"] == "VERB" and not gerund:  # "called the jailing X" is a noun use
        small_clause = token.head.dep_ == "dobj" and token.head.pos_ != "PRON"  # "saw X expelled"
        own_time = _has_child(token, ("npadvmod", "tmod"))
        return token.dep_ == "acl" and token.tag_ == "VBN" and not small_clause and not own_time
    if token.dep_ == "pobj" and token.head.lower_ in GIVEN_PREPS:
        return True
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lower_ in GIVEN_OF:
        return True  # "in light of the releases", "in the wake of the arrests"
    if token.dep_ == "pobj" and token.head.lower_ == "to" and token.head.head.lemma_ in REPLIES:
        return True  # "a response to the incursion"
    if token.dep_ in ("dobj", "attr", "oprd") and token.head.lemma_.lower() in JUDGING_VERBS:
        return True  # "called the release a step", "called it the worst violation"
    return _has_child(token, ("poss",))


def _without_given(built: list[tuple[Event, bool]]) -> list[Event]:
    """Drop presupposed mentions of a type the article reports elsewhere: they re-mention it."""
    given = {id(e) for e, g in built if g and e.modality == "asserted"}
    reported = {e.type for e, _ in built if id(e) not in given}
    return [e for e, _ in built if id(e) not in given or e.type not in reported]


def _title_spans(text: str) -> list[tuple[int, int]]:
    """The headline and the subheadings: short paragraphs without final punctuation, which
    announce what the paragraphs after them report ("One prisoner released refuses to go")."""
    spans = []
    start = 0
    text_end = len(text.rstrip())
    for paragraph in text.split("\n\n"):
        body = paragraph.rstrip()
        end = start + len(body)
        words = len(body.split())
        if body and body[-1] not in HEADLINE_ENDS and words <= TITLE_MAX_WORDS and end < text_end:
            spans.append((start, end))
        start += len(paragraph) + 2
    return spans


def _headline_end(text: str) -> int:
    """End offset of a headline paragraph (0 when there is none): a headline only restates the
    lead, so its events are mentioned again, more fully, in the body."""
    first, sep, rest = text.partition("\n\n")
    first = first.rstrip()
    if not sep or not rest.strip() or not first or first[-1] in HEADLINE_ENDS:
        return 0
    return len(first)


def _richness(event: Event) -> int:
    roles = len(event.agent) + len(event.affected) + len(event.participants) + len(event.mediator)
    extras = sum(x is not None for x in (event.date, event.count, event.location))
    return roles + 2 * extras


def _main_args(event: Event) -> frozenset[str]:
    """Who the event is about: the parties, or those it is done to, or for events done to no
    one (a candidacy, a rally) those who do it."""
    if event.type in AGENT_ONLY_TYPES:
        return frozenset(event.agent or event.affected)
    return frozenset(event.participants or event.affected)


def _merge(keep: Event, other: Event) -> Event:
    """Fill what `keep` lacks from another mention of the same event."""
    return replace(
        keep,
        agent=keep.agent or other.agent,
        affected=_unique(keep.affected + other.affected),
        participants=_unique(keep.participants + other.participants),
        mediator=keep.mediator or other.mediator,
        location=keep.location or other.location,
        date=keep.date or other.date,
        count=keep.count if keep.count is not None else other.count,
    )


def _repeated(event: Event, text: str) -> bool:
    sent = text[event.sent_start : event.sent_end].lower()
    return any(word in sent for word in REPEAT_WORDS)


def _bare(event: Event) -> bool:
    """A mention with nothing of its own: no role, date or count ("the release", "the talks")."""
    return _richness(event) == 0


def _restates(a: Event, b: Event, state: _DocState, entries: dict[str, int]) -> bool:
    """Whether a later mention `b` can restate `a`: a noun ("the release"), the same trigger word
    again, a synonym from the same lexicon entry in a later sentence ("sentenced ... was
    convicted"), or a verb after a noun; two different verbs ("pounded ... violated",
    "denounced ... and accused") are two events."""
    ta, tb = state.trigger_token(a), state.trigger_token(b)
    if ta is None or tb is None:
        return True
    if tb.pos_ != "VERB" or ta.lemma_ == tb.lemma_:
        return True
    if a.key in entries and entries.get(a.key) == entries.get(b.key):
        return a.sent_start != b.sent_start  # in one sentence: "denounced X and accused Y"
    return ta.pos_ != "VERB"


def _conjoined(first: _Word, later: _Word) -> bool:
    """Whether `later` is a conjunct of `first` ("denounced X and accused Y")."""
    cur = later
    while cur.dep_ == "conj" and cur.head is not cur:
        cur = cur.head
        if cur == first:
            return True
    return False


def _subject_lemmas(verb: _Word) -> set[str]:
    """A verb's own subjects; none for a relative clause, which describes its antecedent
    ("a crackdown that killed 355")."""
    subjects = [c for c in verb.children if c.dep_ in SUBJ_DEPS + PASS_SUBJ_DEPS]
    if any(c.tag_ in ("WDT", "WP", "WP$") for c in subjects):
        return set()
    return {c.lemma_ for c in subjects}


def _distinct_objects(a: Event, b: Event, state: _DocState) -> bool:
    """Two verbs with different subjects, or coordinated each with a direct object of its own:
    "issued a license and lifted a ban"."""
    ta, tb = state.trigger_token(a), state.trigger_token(b)
    if ta is None or tb is None:
        return False
    subj_a, subj_b = _subject_lemmas(ta), _subject_lemmas(tb)
    same_sentence = a.sent_start == b.sent_start
    if same_sentence and subj_a and subj_b and not subj_a & subj_b:
        return True  # "police fired ... and one man was killed"
    if not (_conjoined(ta, tb) or _conjoined(tb, ta)):
        return False
    objs_a = {c.lemma_ for c in ta.children if c.dep_ == "dobj"}
    objs_b = {c.lemma_ for c in tb.children if c.dep_ == "dobj"}
    return bool(objs_a) and bool(objs_b) and not objs_a & objs_b


def _clash(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both known and nothing shared: two different parties."""
    return bool(a) and bool(b) and not a & b


def _same_event(a: Event, b: Event, state: _DocState, entries: dict[str, int]) -> bool:
    if a.type != b.type or a.type == "Statement":
        return False
    args_a, args_b = _main_args(a), _main_args(b)
    same_sentence = a.sent_start == b.sent_start
    if not _restates(a, b, state, entries):
        if not same_sentence:
            return False
        if _clash(args_a, args_b) or _clash(frozenset(a.agent), frozenset(b.agent)):
            return False
        if _distinct_objects(a, b, state):
            return False
    tb = state.trigger_token(b)
    if _bare(b) and b.modality == "asserted" and (tb is None or tb.pos_ != "VERB"):
        return True  # "the release", "the talks": a bare noun re-mentions
    if a.modality != b.modality:
        return False
    if a.date and b.date and a.date != b.date:
        return False
    if same_sentence:
        return not args_a or not args_b or bool(args_a & args_b)
    if _repeated(b, state.text) or _repeated(a, state.text):
        return False
    if a.count is not None and b.count is not None and a.count != b.count:
        return False
    ta = state.trigger_token(a)
    if not args_a and not args_b and ta is not None and tb is not None:
        nouns = ta.pos_ != "VERB" and tb.pos_ != "VERB"
        if not nouns and ta.lemma_ != tb.lemma_:
            return False  # "plans to run" is not "the 2020 election" again
    return args_a == args_b and (not a.agent or not b.agent or bool(set(a.agent) & set(b.agent)))


def _one_statement_per_speaker(events: list[Event], state: _DocState) -> list[Event]:
    """A speaker makes one statement per sentence: "X said ..., adding/noting/thanking ..."
    continues the first one, and so does "..., adding" after a spoken accusation."""
    seen: set[tuple[int, str]] = set()
    kept = []
    for event in sorted(events, key=lambda e: e.start):
        keys = {(event.sent_start, speaker) for speaker in event.agent}
        if event.type == "Statement":
            if keys & seen:
                continue
            seen |= keys
        elif event.type == "Accusation":
            trigger = state.trigger_token(event)
            if trigger is not None and trigger.lemma_ in SPEECH_LEMMAS:
                seen |= keys
        kept.append(event)
    return kept


def _dedupe(events: list[Event], state: _DocState, entries: dict[str, int]) -> list[Event]:
    """One event per mention cluster, kept at its most informative mention; `entries` maps an
    event key to its lexicon entry, whose words are synonyms."""
    kept: list[Event] = []
    for event in _one_statement_per_speaker(events, state):
        for i, other in enumerate(kept):
            if other.type == event.type and _same_event(other, event, state, entries):
                if _richness(event) > _richness(other) and other.sent_start != event.sent_start:
                    kept[i] = _merge(event, other)
                else:
                    kept[i] = _merge(other, event)
                break
        else:
            kept.append(event)
    return kept
