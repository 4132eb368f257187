"""newskg_events: find the events of the 17 types, with roles, date, place, count and modality.

Triggers come from `data/lexicons/events.json` (lemmas with context constraints); roles come from
dependency paths around the trigger and are mapped to actors through `doc._.mentions`. An argument
noun phrase that names no actor but denotes people ("52 political prisoners") becomes a `Group`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.nlp.data import load_json
from kg.nlp.entities import default_gazetteer
from kg.nlp.spans import MentionIndex, sentence_bounds
from kg.nlp.types import Actor, Event, Mention, TimeExpr, actor_key

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
NP_LEFT_DEPS = ("det", "amod", "compound", "nummod", "poss", "quantmod", "nmod", "advmod", "case")


@spacy.registry.misc("newskg.event_lexicon.v1")
def event_lexicon(filename: str = "events.json") -> dict[str, Any]:
    """Load the event trigger lexicon shipped in data/lexicons."""
    return load_json("lexicons", filename)


@dataclass
class _Candidate:
    """A token that matched a trigger entry, before roles are read."""

    token: Token
    entry: dict[str, Any]
    end_token: Token


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

    # ------------------------------------------------------------------ pipeline entry

    def __call__(self, doc: Doc) -> Doc:
        state = _DocState(doc)
        candidates = [c for c in (self._match(t) for t in doc) if c is not None]
        candidates = self._filter_statements(candidates, state)
        candidates = self._suppress_objects(candidates)
        events = [self._build(c, state) for c in candidates]
        events = [state.places_out_of_roles(e) for e in events if e is not None]
        events = _dedupe(events, doc)
        doc._.events = sorted(events, key=lambda e: (e.start, e.end, e.type))
        doc._.actors = state.actors
        doc._.mentions = sorted(state.mentions, key=lambda m: (m.start, m.end))
        return doc

    # ------------------------------------------------------------------ triggers

    def _match(self, token: Token) -> _Candidate | None:
        pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN" if token.pos_ == "NOUN" else None
        if pos is None:
            return None
        lemma = token.lemma_.lower()
        for entry in self.by_lemma.get((lemma, pos), []):
            end = self._fits(token, entry)
            if end is not None:
                return _Candidate(token, entry, end)
        return None

    def _fits(self, token: Token, entry: dict[str, Any]) -> Token | None:
        """The trigger's last token when `token` satisfies the entry's constraints, else None."""
        end = token
        if "prt" in entry:
            prts = [c for c in token.children if c.dep_ in ("prt", "advmod", "dobj", "prep")]
            prts = [c for c in prts if c.lower_ == entry["prt"]]
            if not prts:
                return None
            end = max(end, prts[0], key=lambda t: t.i)
        near = _deep_lemmas(token) if entry.get("deep") else _near_lemmas(token)
        if "near" in entry and not near & set(entry["near"]):
            return None
        if near & set(entry.get("not_near", ())):
            return None
        if entry.get("passive") and not _is_passive(token):
            return None
        return end

    # ------------------------------------------------------------------ candidate filters

    def _filter_statements(self, cands: list[_Candidate], state: _DocState) -> list[_Candidate]:
        """Keep a Statement only for a named speaker quoted or reported, not for another event."""
        others = {c.token.i for c in cands if c.entry["type"] != "Statement"}
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
        sent = token.sent
        quote = _quote_span(sent)
        reported = [c for c in token.children if c.dep_ in ("ccomp", "parataxis")]
        if needs == "speech" and quote is None and not reported:
            return False
        if needs == "named_speaker_quote" and quote is None:
            return False
        for clause in reported:
            for t in clause.subtree:
                inside_quote = quote is not None and quote[0] <= t.idx < quote[1]
                if t.i in others and not inside_quote:
                    return False
        return not (token.lemma_ == "call" and quote is None and not reported)

    def _speakers(self, token: Token, state: _DocState) -> list[str]:
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
        kept = []
        for cand in cands:
            gov = _governing_verb(cand.token) if cand.entry["pos"] == "NOUN" else None
            if cand.token.dep_ == "pobj" and cand.token.head.lower_ not in ("for", "of", "on"):
                gov = None
            gov_type = verb_types.get(gov.i) if gov is not None else None
            noun_type = cand.entry["type"]
            absorbed = gov_type is not None and (gov_type == noun_type or gov_type in absorbing)
            kept_anyway = gov_type == "Request" and noun_type in self.symmetric | {"Election"}
            if absorbed and not kept_anyway:
                continue
            kept.append(cand)
        return kept

    # ------------------------------------------------------------------ building events

    def _build(self, cand: _Candidate, state: _DocState) -> Event | None:
        token, etype = cand.token, cand.entry["type"]
        doc = token.doc
        sent = token.sent
        if cand.entry["pos"] == "VERB" and token.dep_ == "amod":
            return None
        roles = self._roles(cand, state)
        if cand.entry.get("needs") == "participants" and not (
            roles["agent"] or roles["affected"] or roles["participants"]
        ):
            return None
        if etype in self.symmetric:
            parts = _unique(roles["agent"] + roles["affected"] + roles["participants"])
            roles["participants"] = [p for p in parts if p not in roles["mediator"]]
            roles["agent"], roles["affected"] = [], []
        start, end = token.idx, cand.end_token.idx + len(cand.end_token.text)
        quote = _quote_span(sent) if etype == "Statement" else None
        sent_start, sent_end = sentence_bounds(sent)
        return Event(
            type=etype,
            trigger=doc.text[start:end],
            start=start,
            end=end,
            sent_start=sent_start,
            sent_end=sent_end,
            agent=roles["agent"],
            affected=roles["affected"],
            participants=roles["participants"],
            mediator=roles["mediator"],
            location=self._location(token, state),
            date=_date(token, state),
            count=self._count(roles["_affected_tokens"], etype),
            modality=self._modality(token),
            quote=doc.text[quote[0] : quote[1]] if quote else None,
        )

    def _roles(self, cand: _Candidate, state: _DocState) -> dict[str, Any]:
        token = cand.token
        if cand.entry["pos"] == "VERB":
            agents, affected, parts, mediators = self._verb_args(token)
        else:
            agents, affected, parts, mediators = self._noun_args(token, cand.entry)
        agents, affected = self._typed_preps(token, cand.entry["type"], agents, affected)
        affected = _with_including(_expand(affected))
        roles: dict[str, Any] = {
            "agent": self._keys(_expand(agents), state),
            "affected": self._keys(affected, state),
            "participants": self._keys(_expand(parts), state),
            "mediator": self._keys(_expand(mediators), state),
            "_affected_tokens": affected,
        }
        if cand.entry["type"] in self.symmetric:
            roles["participants"] += _names_in_subjects(agents, state)
        roles["affected"] = [k for k in roles["affected"] if k not in roles["agent"]]
        return roles

    def _keys(self, tokens: list[Token], state: _DocState) -> list[str]:
        keys: list[str] = []
        for tok in tokens:
            keys.extend(self._actors_for(tok, state, create=True))
        return _unique(keys)

    # ------------------------------------------------------------------ verb arguments

    def _subjects(self, verb: Token) -> tuple[list[Token], list[Token]]:
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
        if verb.dep_ == "conj" and head is not verb:
            h_subj, h_pass = self._subjects(head)
            if _is_passive(verb) or (h_pass and verb.tag_ == "VBN"):
                return [], h_pass or h_subj
            return h_subj, []
        if verb.dep_ in ("xcomp", "advcl") and head.pos_ in ("VERB", "AUX"):
            objs = [c for c in head.children if c.dep_ == "dobj"]
            if verb.dep_ == "xcomp" and objs and head.lemma_ not in ("promise",):
                return objs, []
            h_subj, h_pass = self._subjects(head)
            return (h_subj or h_pass), []
        return [], []

    def _verb_args(self, verb: Token) -> tuple[list[Token], ...]:
        subj, subjpass = self._subjects(verb)
        by = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        dobj = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
        passive = _is_passive(verb) or bool(subjpass)
        agents = by if passive else subj
        affected = subjpass if passive else dobj
        if passive and not subjpass and subj:
            affected = subj
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

    def _noun_args(self, noun: Token, entry: dict[str, Any]) -> tuple[list[Token], ...]:
        agents: list[Token] = []
        affected: list[Token] = []
        poss = [c for c in noun.children if c.dep_ == "poss"]
        if entry.get("poss") == "affected":
            affected += poss
        else:
            agents += poss
        agents += _prep_objects(noun, ("by",))
        affected += _prep_objects(noun, ("of",))
        agents += [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod")]
        parts = _prep_objects(noun, ("with", "between", "among"))
        mediators = _help_of(noun, self.mediator_nouns)
        for acl in (c for c in noun.children if c.dep_ == "acl"):
            if acl.lemma_ in self.mediator_verbs:
                mediators += _prep_objects(acl, ("by",), dep="agent")
        gov = _governing_verb(noun)
        if gov is not None:
            mediators += _help_of(gov, self.mediator_nouns)
        if gov is not None and noun.dep_ in ("dobj", "pobj"):
            gov_subj = self._subjects(gov)[0]
            if gov.lemma_ in self.mediator_verbs:
                mediators += gov_subj
            elif gov.lemma_ in self.light_verbs:
                agents += gov_subj
            if gov.lemma_ in self.light_verbs:
                parts += _prep_objects(gov, ("with", "between"))
        return agents, affected, parts, mediators

    def _typed_preps(
        self, token: Token, etype: str, agents: list[Token], affected: list[Token]
    ) -> tuple[list[Token], list[Token]]:
        """Type-specific prepositional roles: "sanctions on X", "protest against Y"."""
        holders = [token] + [c for c in token.children if c.dep_ == "dobj"]
        if etype in ("SanctionsImposition", "SanctionsRelief"):
            for h in holders:
                affected = affected + _prep_objects(h, ("on", "against", "targeting"))
            if token.pos_ == "NOUN" and not affected:
                affected = affected + _prep_objects(token, ("for",))
        if etype in ("Protest", "Accusation", "MilitaryAction", "Threat"):
            affected = affected + _prep_objects(token, ("against", "on"))
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

    def _actors_for(self, tok: Token, state: _DocState, *, create: bool) -> list[str]:
        tok = _resolve_relative([tok])[0]
        mention = state.index.for_token(tok)
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
                hit = state.index.for_token(obj)
                if hit is not None and hit.actor in state.actors:
                    return [hit.actor]
        if create and self._is_group(tok):
            return [state.add_group(_np_span(tok))]
        return []

    def _is_group(self, tok: Token) -> bool:
        if tok.pos_ not in ("NOUN", "NUM"):
            return False
        lemma = tok.lemma_.lower()
        if lemma in self.group_nouns or tok.lower_ in self.group_nouns:
            return True
        return tok.tag_ == "NNS" and tok.lower_.endswith(PERSON_SUFFIXES)

    # ------------------------------------------------------------------ place, count, modality

    def _location(self, token: Token, state: _DocState) -> str | None:
        holders = [token] + [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        for prep in (c for h in holders for c in h.children):
            if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS:
                continue
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                mention = state.index.for_token(obj)
                actor = state.actors.get(mention.actor) if mention else None
                if actor is not None and actor.type in PLACE_TYPES:
                    return actor.key
        return None

    def _count(self, affected: list[Token], etype: str) -> int | None:
        if etype in self.symmetric or etype == "Statement":
            return None
        for tok in affected:
            if tok.pos_ == "NUM":
                value = self._number([tok])
                if value is not None:
                    return value
            nums = [c for c in tok.children if c.dep_ == "nummod"]
            if not nums:
                continue
            num = nums[0]
            mods = {t.lower_ for t in num.subtree if t.dep_ in ("quantmod", "advmod")}
            if mods & self.count_skip:
                return None
            words = [t for t in num.subtree if t.dep_ not in ("quantmod", "advmod", "punct")]
            return self._number(words)
        return None

    def _number(self, tokens: list[Token]) -> int | None:
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

    def _modality(self, token: Token) -> str:
        if self._negated(token):
            return "negated"
        if self._hypothetical(token):
            return "hypothetical"
        return "asserted"

    def _negated(self, token: Token) -> bool:
        if any(c.dep_ == "neg" or c.lower_ in ("no", "never") for c in token.children):
            return True
        head = token.head
        if token.dep_ == "xcomp" and head.lemma_ in self.neg_governors:
            return True
        if token.dep_ == "xcomp" and any(c.dep_ == "neg" for c in head.children):
            return True
        return token.pos_ == "NOUN" and head.lower_ == "without"

    def _hypothetical(self, token: Token) -> bool:
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
                tok.dep_ not in ("xcomp", "dobj", "pobj", "prep", "ccomp", "advcl")
                or tok.head is tok
            ):
                return False
            head = tok.head
            if head.lemma_ in self.hyp_governors and tok.dep_ != "advcl":
                return True
            if any(c.dep_ == "aux" and c.lower_ in self.modals for c in head.children):
                return tok.dep_ != "advcl"
            if any(c.dep_ == "mark" and c.lower_ in self.hyp_marks for c in head.children):
                return True
            if tok.dep_ in ("ccomp", "advcl"):
                return False
            tok = head
        return False


class _DocState:
    """Actors and mentions of one doc while events add Group actors to them."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.actors: dict[str, Actor] = dict(doc._.actors or {})
        self.mentions: list[Mention] = list(doc._.mentions or [])
        self.index = MentionIndex(doc)
        self.times: list[tuple[TimeExpr, Token]] = []
        for time in doc._.times or []:
            span = doc.char_span(time.start, time.end, alignment_mode="expand")
            if span is not None and len(span):
                self.times.append((time, span.root))

    def add_group(self, span: Span) -> str:
        """Register an unnamed group for a noun phrase and return its key."""
        words = list(span)
        while words and (words[0].pos_ in ("DET", "PRON", "PUNCT") or words[0].dep_ == "poss"):
            words = words[1:]
        if not words:
            words = list(span)
        name = self.doc.text[words[0].idx : words[-1].idx + len(words[-1].text)]
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
        location = event.location
        roles = {}
        for role in ("agent", "affected", "participants", "mediator"):
            keys = []
            for key in getattr(event, role):
                actor = self.actors.get(key)
                if actor is None or actor.type != "Location":
                    keys.append(key)
                elif country := self.country_for_place(actor):
                    keys.append(country)
                elif location is None:
                    location = key
            roles[role] = _unique(keys)
        return replace(event, location=location, **roles)

    def country_for_place(self, place: Actor) -> str | None:
        """The key of the country whose capital or seat of government `place` names, if any."""
        country = default_gazetteer().country_of(place.name)
        if country is None:
            return None
        key = actor_key("Country", country)
        self.actors.setdefault(key, Actor("Country", country)).aliases.add(place.name)
        return key

    def pronoun_antecedent(self, tok: Token) -> str | None:
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


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl", "conj") and verb.head.pos_ != "VERB"
    )


def _near_lemmas(token: Token) -> set[str]:
    """Lemmas of the trigger's children and grandchildren, and of a noun's head (through a prep)."""
    near: set[str] = set()
    for child in token.children:
        near.add(child.lemma_.lower())
        near.add(child.lower_)
        for grand in child.children:
            near.add(grand.lemma_.lower())
            near.add(grand.lower_)
    head = token.head
    if head is not token and token.pos_ != "VERB":
        near.add(head.lemma_.lower())
        if head.pos_ == "ADP" and head.head is not head:
            near.add(head.head.lemma_.lower())
    return near


def _deep_lemmas(token: Token) -> set[str]:
    """Lemmas and words of the trigger's phrase, without its finite clauses."""
    near = _near_lemmas(token)
    for child in token.children:
        if child.dep_ in ("ccomp", "advcl", "relcl", "conj", "parataxis"):
            continue
        for t in child.subtree:
            near.update((t.lemma_.lower(), t.lower_))
    return near


def _governing_verb(token: Token) -> Token | None:
    """The verb a noun is the object of, directly or through one preposition."""
    head = token.head
    if token.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and head.pos_ in ("VERB", "AUX"):
        return head
    if token.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        return head.head
    return None


def _prep_objects(token: Token, preps: tuple[str, ...], dep: str = "prep") -> list[Token]:
    return [
        g
        for c in token.children
        if c.dep_ == dep and c.lower_ in preps
        for g in c.children
        if g.dep_ == "pobj"
    ]


def _help_of(token: Token, nouns: set[str]) -> list[Token]:
    """ "with the help of X", "through the mediation of X" -> X."""
    found = []
    for prep in (c for c in token.children if c.dep_ == "prep"):
        for noun in (g for g in prep.children if g.dep_ == "pobj" and g.lemma_ in nouns):
            found += _prep_objects(noun, ("of", "from", "by"))
    return found


def _resolve_relative(tokens: list[Token]) -> list[Token]:
    """Replace a relative pronoun by the noun its clause modifies."""
    out = []
    for tok in tokens:
        if tok.tag_ in ("WDT", "WP", "WP$") and tok.head.dep_ == "relcl":
            out.append(tok.head.head)
        else:
            out.append(tok)
    return out


def _expand(tokens: list[Token]) -> list[Token]:
    """Follow coordination: "X, Y and Z" -> X, Y, Z."""
    out: list[Token] = []
    stack = list(tokens)
    while stack:
        tok = stack.pop(0)
        if tok in out:
            continue
        out.append(tok)
        stack.extend(c for c in tok.children if c.dep_ == "conj")
    return out


def _with_including(tokens: list[Token]) -> list[Token]:
    """Add the members named in "X, including A and B"."""
    extra = [t for tok in tokens for t in _prep_objects(tok, ("including",))]
    return tokens + _expand(extra)


def _np_span(tok: Token) -> Span:
    """The noun phrase headed by `tok`, without relative clauses, appositions or coordination."""
    keep = [tok]
    for child in tok.children:
        left = child.i < tok.i and child.dep_ in NP_LEFT_DEPS
        quantity = child.i > tok.i and child.lower_ == "of" and tok.lemma_.lower() in OF_HEADS
        if left or quantity:
            keep.extend(child.subtree)
    lo, hi = min(t.i for t in keep), max(t.i for t in keep)
    return tok.doc[lo : hi + 1]


def _quote_span(sent: Span) -> tuple[int, int] | None:
    """Character offsets of the first quotation in a sentence, without the quote marks."""
    match = QUOTE_RE.search(sent.text)
    if match is None:
        return None
    return sent.start_char + match.start(1), sent.start_char + match.end(1)


def _clause_anchor(tok: Token, stop: Token) -> Token:
    """The first verb (or `stop`) above a token: the clause a time expression belongs to."""
    cur = tok
    for _ in range(40):
        if cur == stop or cur.pos_ in ("VERB", "AUX"):
            return cur
        if cur.head is cur:
            return cur
        cur = cur.head
    return cur


def _date(token: Token, state: _DocState) -> str | None:
    """The time expression of the trigger's clause, nearest first; never the publication date."""
    sent = token.sent
    local = [(t, root) for t, root in state.times if sent.start_char <= t.start < sent.end_char]
    if not local:
        return None
    own = [t for t, root in local if _clause_anchor(root, token) == token]
    if not own and token.pos_ == "NOUN":
        anchor = _clause_anchor(token.head, token.head) if token.head is not token else None
        if anchor is not None:
            own = [t for t, root in local if _clause_anchor(root, anchor) == anchor]
    if not own:
        return None
    best = min(own, key=lambda t: abs(t.start - token.idx))
    return best.value


def _names_in_subjects(subjects: list[Token], state: _DocState) -> list[str]:
    """Every named party inside a subject phrase ("Prime Minister A and Chancellor B" misparsed)."""
    keys: list[str] = []
    for subj in subjects:
        if subj.pos_ != "PROPN":
            continue
        span = subj.doc[subj.left_edge.i : subj.i + 1]
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


def _richness(event: Event) -> int:
    roles = len(event.agent) + len(event.affected) + len(event.participants) + len(event.mediator)
    extras = sum(x is not None for x in (event.date, event.count, event.location))
    return roles + 2 * extras


def _main_args(event: Event) -> frozenset[str]:
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


def _repeated(event: Event, doc: Doc) -> bool:
    sent = doc.text[event.sent_start : event.sent_end].lower()
    return any(word in sent for word in REPEAT_WORDS)


def _bare(event: Event) -> bool:
    """A mention with nothing of its own: no role, date or count ("the release", "the talks")."""
    return _richness(event) == 0


def _same_event(a: Event, b: Event, doc: Doc) -> bool:
    if a.type != b.type or a.type == "Statement":
        return False
    if _bare(b) and b.modality == "asserted":
        return True
    if a.modality != b.modality:
        return False
    if a.date and b.date and a.date != b.date:
        return False
    same_sentence = a.sent_start == b.sent_start
    args_a, args_b = _main_args(a), _main_args(b)
    if same_sentence:
        return not args_a or not args_b or bool(args_a & args_b)
    if _repeated(b, doc) or _repeated(a, doc):
        return False
    if a.count is not None and b.count is not None and a.count != b.count:
        return False
    return args_a == args_b and (not a.agent or not b.agent or bool(set(a.agent) & set(b.agent)))


def _dedupe(events: list[Event], doc: Doc) -> list[Event]:
    """One event per mention cluster, kept at its most informative mention."""
    kept: list[Event] = []
    for event in sorted(events, key=lambda e: e.start):
        for i, other in enumerate(kept):
            if _same_event(other, event, doc):
                if _richness(event) > _richness(other) and other.sent_start != event.sent_start:
                    kept[i] = _merge(event, other)
                else:
                    kept[i] = _merge(other, event)
                break
        else:
            kept.append(event)
    return kept
