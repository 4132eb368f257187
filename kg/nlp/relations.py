"""newskg_relations: relations between actors (titles, appositions, possessives) and between events.

Actor relations come from the words next to a name: "U.S. President Donald Trump" (leaderOf),
"X, the husband of Y" (spouseOf), "Y's senior adviser X" (advisorOf), "a journalist for Z"
(memberOf), "a Lithuanian who..." (citizenOf). Event relations come from connectives between two
event triggers ("as part of", "in exchange for", "after", "before") and from coordinated triggers.
The words live in `data/lexicons/relations.json`; demonyms come from the countries gazetteer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.nlp.data import load_json, load_tsv
from kg.nlp.spans import MentionIndex, sentence_bounds
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
        self.role_words: list[tuple[str, str]] = []
        for category in CATEGORY_ORDER:
            for phrase in lexicon[f"{category}_words"]:
                self.role_words.append((phrase.lower(), category))
        self.role_words.sort(key=lambda pair: -len(pair[0]))
        self.leader_words = {w.lower() for w in lexicon["leader_words"]}
        self.state_org_heads = set(lexicon["state_org_heads"])
        self.role_preps = set(lexicon["role_preps"])
        self.connectives: dict[str, str] = lexicon["event_connectives"]
        self.link_nouns = set(lexicon["link_nouns"])
        self.whole_types = set(lexicon["partof_whole_types"])

    def __call__(self, doc: Doc) -> Doc:
        doc._.actor_relations = self.actor_relations(doc)
        doc._.event_relations = self.event_relations(doc)
        return doc

    # ------------------------------------------------------------------ actor relations

    def actor_relations(self, doc: Doc) -> list[ActorRelation]:
        """Relations stated by titles, appositions, possessives and predicates next to names."""
        actors: dict[str, Actor] = doc._.actors or {}
        index = MentionIndex(doc)
        found: dict[tuple[str, str, str], ActorRelation] = {}
        for mention in index.mentions:
            actor = actors.get(mention.actor)
            if actor is None or actor.type not in SUBJECT_TYPES or mention.kind == "pronoun":
                continue
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            for predicate, obj in self._relations_of(span, mention, actor, actors, index):
                if obj == actor.key or obj not in actors:
                    continue
                if actors[obj].type not in OBJECT_TYPES[predicate]:
                    continue
                sent = span.sent
                key = (actor.key, predicate, obj)
                found.setdefault(key, ActorRelation(*key, *sentence_bounds(sent)))
        self._derive_envoys(found, actors)
        return sorted(
            found.values(), key=lambda r: (r.sent_start, r.subject, r.predicate, r.object)
        )

    def _relations_of(
        self,
        span: Span,
        mention: Mention,
        actor: Actor,
        actors: dict[str, Actor],
        index: MentionIndex,
    ) -> Iterator[tuple[str, str]]:
        head = span.root
        window = _prefix_window(span) + _title_part(span, mention, index)
        if window:
            yield from self._from_phrase(window, window, actor, actors, index)
        for role in _role_nouns(head):
            phrase = _role_phrase(role)
            targets = _role_targets(role, self.role_preps)
            yield from self._from_phrase(phrase, targets, actor, actors, index)
            demonym_country = self.demonyms.get(role.lower_)
            if demonym_country and role.pos_ in ("NOUN", "PROPN", "ADJ"):
                yield "citizenOf", actor_key("Country", demonym_country)
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
            for obj in (g for g in prep.children if g.dep_ == "pobj"):
                key = self._actor_of(obj, index, actors)
                if key and actors[key].type in ("Organization", "Group"):
                    yield "memberOf", key

    def _from_phrase(
        self,
        phrase: list[Token],
        targets: list[Token],
        actor: Actor,
        actors: dict[str, Actor],
        index: MentionIndex,
    ) -> Iterator[tuple[str, str]]:
        text = " ".join(t.lower_ for t in phrase)
        category = self._category(text)
        objects = self._targets(targets, index, actors, actor.key)
        if category is None:
            if actor.type == "Organization" and self._state_org(actor):
                yield from (("memberOf", o) for o in objects if actors[o].type == "Country")
            elif actor.type == "Person" and self._has_leader_title(actor):
                possessors = [t for t in phrase if t.dep_ == "poss"]
                for key in self._targets(possessors, index, actors, actor.key):
                    if actors[key].type == "Country":
                        yield "leaderOf", key
            return
        predicate = CATEGORY_PREDICATE[category]
        if actor.type != "Person" and predicate not in ("memberOf", "allyOf", "envoyOf"):
            return
        for key in objects:
            yield predicate, key
        if predicate == "leaderOf":
            yield from self._led_groups(phrase, actors)

    def _category(self, text: str) -> str | None:
        padded = f" {text} "
        for phrase, category in self.role_words:
            if f" {phrase} " in padded:
                return category
        return None

    def _targets(
        self, tokens: list[Token], index: MentionIndex, actors: dict[str, Actor], subject: str
    ) -> list[str]:
        keys: list[str] = []
        for tok in tokens:
            key = self._actor_of(tok, index, actors, subject)
            if key is None:
                country = self.demonyms.get(tok.lower_)
                key = actor_key("Country", country) if country else None
            if key is not None and key in actors and key not in keys:
                keys.append(key)
        return keys

    def _actor_of(
        self, tok: Token, index: MentionIndex, actors: dict[str, Actor], subject: str = ""
    ) -> str | None:
        hits = index.at(tok.idx, tok.idx + len(tok.text))
        hits = [m for m in hits if m.actor in actors and m.actor != subject]
        if not hits:
            return None
        return min(hits, key=lambda m: m.end - m.start).actor

    def _led_groups(
        self, phrase: list[Token], actors: dict[str, Actor]
    ) -> Iterator[tuple[str, str]]:
        """ "opposition leader X" -> leaderOf the group named "the opposition" when there is one."""
        words = {t.lower_ for t in phrase if t.pos_ in ("NOUN", "ADJ")}
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
        leads = {(s, o) for s, p, o in found if p == "leaderOf" and actors[o].type == "Country"}
        for (subj, pred, obj), rel in list(found.items()):
            if pred != "envoyOf":
                continue
            for leader, country in leads:
                if leader == obj:
                    key = (subj, "envoyOf", country)
                    found.setdefault(key, ActorRelation(*key, rel.sent_start, rel.sent_end))

    # ------------------------------------------------------------------ event relations

    def event_relations(self, doc: Doc) -> list[EventRelation]:
        """Relations between events stated by connectives, subordinate clauses and coordination."""
        events: list[Event] = doc._.events or []
        by_token: dict[int, Event] = {}
        for event in events:
            span = doc.char_span(event.start, event.end, alignment_mode="expand")
            if span is not None and len(span):
                by_token[span[0].i] = event
        found: list[EventRelation] = []
        for event in events:
            span = doc.char_span(event.start, event.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            trigger = span[0]
            for predicate, other in self._linked(trigger, by_token):
                if other is event:
                    continue
                if predicate == "partOf" and other.type not in self.whole_types:
                    predicate = "causedBy"
                if predicate == "inverse":
                    rel = EventRelation(other.key, "after", event.key)
                else:
                    rel = EventRelation(event.key, predicate, other.key)
                if rel not in found:
                    found.append(rel)
        for rel in _coordinated(events, by_token, doc):
            if rel not in found and EventRelation(rel.object, "after", rel.subject) not in found:
                found.append(rel)
        return found

    def _linked(self, trigger: Token, by_token: dict[int, Event]) -> Iterator[tuple[str, Event]]:
        holders = [trigger]
        if trigger.dep_ in ("dobj", "nsubjpass", "nsubj") and trigger.head.pos_ in ("VERB", "AUX"):
            holders.append(trigger.head)
        for holder in holders:
            for child in holder.children:
                if child.dep_ in ("prep", "agent"):
                    yield from self._through_prep(child, by_token)
                elif child.dep_ == "advcl":
                    marks = [c.lower_ for c in child.children if c.dep_ == "mark"]
                    predicate = self.connectives.get(" ".join(marks)) if marks else None
                    if predicate and child.i in by_token:
                        yield predicate, by_token[child.i]
                elif child.dep_ == "npadvmod":
                    for prep in (c for c in child.children if c.dep_ == "prep"):
                        yield from self._through_prep(prep, by_token)

    def _through_prep(self, prep: Token, by_token: dict[int, Event]) -> Iterator[tuple[str, Event]]:
        """Follow "in exchange for X", "as part of X", "after X" down to the event trigger X."""
        words = [prep.lower_]
        cur = prep
        for _ in range(5):
            objs = [c for c in cur.children if c.dep_ in ("pobj", "pcomp")]
            if not objs:
                return
            obj = objs[0]
            if obj.i in by_token:
                predicate = self.connectives.get(" ".join(words))
                if predicate:
                    for target in [obj, *(c for c in obj.children if c.dep_ == "conj")]:
                        if target.i in by_token:
                            yield predicate, by_token[target.i]
                return
            if obj.pos_ == "ADP":
                words.append(obj.lower_)
                cur = obj
                continue
            inner = [c for c in obj.children if c.dep_ == "prep"]
            if not inner or obj.lemma_ not in self.link_nouns:
                return
            words += [obj.lemma_, inner[0].lower_]
            cur = inner[0]


def _prefix_window(span: Span) -> list[Token]:
    """Modifiers before a name in its noun phrase: "U.S. President", "Belarus'", "Trump envoy"."""
    doc = span.doc
    members = set(range(span.start, span.end))
    window: list[Token] = []
    i = span.start - 1
    while i >= span.sent.start:
        tok = doc[i]
        if tok.head.i not in members or tok.dep_ not in WINDOW_DEPS:
            break
        members.add(i)
        window.insert(0, tok)
        i -= 1
    return [t for t in window if t.dep_ != "det"]


def _title_part(span: Span, mention: Mention, index: MentionIndex) -> list[Token]:
    """The title words inside a mention that spans "U.S. President Donald Trump"."""
    size = mention.end - mention.start
    names = [
        m for m in index.at(mention.start, mention.end)
        if m.actor == mention.actor and m.end - m.start < size and m.kind != "title"
    ]  # fmt: skip
    if not names:
        return []
    return [t for t in span if not any(m.start <= t.idx < m.end for m in names)]


def _role_nouns(head: Token) -> list[Token]:
    """Nouns in apposition with a name, or predicated of it ("X is the president of Y")."""
    roles: list[Token] = []
    for child in head.children:
        if child.dep_ == "appos":
            roles.append(child)
    if head.dep_ == "appos" and head.head.pos_ in ("NOUN", "PROPN"):
        roles.append(head.head)
    if head.dep_ == "nsubj" and head.head.lemma_ == "be":
        roles.extend(c for c in head.head.children if c.dep_ == "attr")
    more = [c for r in roles for c in r.children if c.dep_ == "conj" and c.pos_ == "NOUN"]
    return [r for r in roles + more if r.pos_ in ("NOUN", "PROPN", "ADJ")]


def _role_phrase(role: Token) -> list[Token]:
    left = [c for c in role.children if c.i < role.i and c.dep_ in WINDOW_DEPS and c.dep_ != "det"]
    tokens = [t for c in left for t in c.subtree] + [role]
    return sorted(set(tokens), key=lambda t: t.i)


def _role_targets(role: Token, preps: set[str]) -> list[Token]:
    """Who the role is held for: possessor, prepositional object, or modifier of the role noun."""
    targets = [c for c in role.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
    for prep in (c for c in role.children if c.dep_ == "prep" and c.lower_ in preps):
        for obj in (g for g in prep.children if g.dep_ == "pobj"):
            targets.append(obj)
            targets.extend(c for c in obj.children if c.dep_ in ("conj", "poss"))
            targets.extend(c for c in obj.children if c.dep_ == "compound")
    return targets


def _bare_name(name: str) -> str:
    words = name.lower().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _coordinated(events: list[Event], by_token: dict[int, Event], doc: Doc) -> list[EventRelation]:
    """ "was arrested, convicted and sentenced": each coordinated event after the one before it."""
    found = []
    for tok_i, event in by_token.items():
        tok = doc[tok_i]
        if tok.dep_ != "conj" or tok.head.i not in by_token or event.modality != "asserted":
            continue
        first = by_token[tok.head.i]
        if first.type in ("Statement",) or event.type == "Statement" or first.type == event.type:
            continue
        if first.modality == "asserted" and tok.tag_ in ("VBD", "VBN"):
            found.append(EventRelation(event.key, "after", first.key))
    return found
