"""Evaluation: the team's yardstick, scoring annotated `Doc`s against gold files (eval/FORMAT.md).

`kg eval GOLD.json...` loads each gold file (`load_gold`), reads the article it names with the
wire reader, runs every article through the pipeline in one `nlp.pipe` stream (`evaluate`),
scores each `Doc` (`score_article`) and prints the tables and one final JSON line
(`format_report`).

Conventions (the numbers mean exactly this):

- Text comparison. Evidence sentences and gold `sentence` fragments are compared after NFKC
  normalisation, mapping curly quotes and apostrophes to straight ones, casefolding and removing
  all whitespace (so hard line wraps, reflowing, hyphen joins and double spaces never matter).
  Names are compared after NFKC, mapping quotes, casefolding, squashing whitespace and dropping a
  leading "the ".
- Events. A predicted event matches a gold event when the types are equal and its evidence
  sentence (`doc.text[sent_start:sent_end]`) contains the gold fragment. Matching is one-to-one:
  first every gold event (in file order) takes the earliest free prediction whose trigger shares
  a content word with the gold trigger, then the remaining gold events take the earliest free
  prediction at all. Scores are given with and without Statement events (removed from both
  sides); `events_f1`, `events_p`, `events_r` in the JSON line are *without* Statement.
- An actor's forms are its canonical name, its aliases and the text of every mention resolved
  to it (a mention is a surface form that landed on the actor). A key missing from
  `doc._.actors` falls back to the name inside the key ("Type:Name"). A gold item's forms are
  the entity's name and aliases, or the phrase itself for a role item that is not an entity id.
  They match when some forms are equal; when the gold side is a Group (a Group entity or a
  phrase) they also match when one form contains the other on word boundaries.
- Arguments (agent, affected, participants; gold has no mediator) are scored on matched event
  pairs only, so a missed event is not penalised twice. Per role, gold items and predicted actors
  are matched one-to-one; unmatched predictions are fp, unmatched gold items fn.
- count, date, location are slot scores over matched pairs: tp when both have a value and they
  agree (count: equal integers; date: the same ISO string; location: the predicted place matches
  the gold entity); fp when a predicted value is wrong or gold has none; fn when gold has a value
  and the prediction lacks it or has it wrong (a wrong value is one fp and one fn).
- Actor relations match one-to-one on equal predicate and matching subject and object; spouseOf,
  relativeOf and allyOf are symmetric, so either direction counts.
- Event relations: a prediction is tp when both its events are matched and gold has the same
  predicate between the two matched gold events; otherwise fp. Gold relations not found are fn.
- Entity recall: share of gold entities (all types) matched by some predicted actor; typed: share
  of gold entities matched by an actor of the same type (so typed <= recall). Alias merge: over
  the aliases of non-Group gold entities that differ from the name, the share for which one
  predicted actor has both the gold name and the alias among its forms.
- Modality accuracy: share of matched event pairs with the same modality.
- offsets_ok: share of predicted events whose trigger offsets give the trigger text, inside an
  evidence sentence that lies inside the text, and of mentions whose offsets give their text.
- Empty denominators. Precision with no predictions is 1.0 when there was nothing to find and
  0.0 otherwise; recall with no gold items is 1.0 when nothing was predicted and 0.0 otherwise
  (so nothing expected and nothing predicted is a perfect 1.0). A share with nothing to count is
  1.0 (nothing to find, nothing to get wrong), except modality accuracy, which is 0.0 when gold
  has events but none was matched. Everything is micro-averaged over articles.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from kg.annotate import annotate
from kg.article import Article
from kg.errors import InputError
from kg.nlp.types import (
    ACTOR_RELATIONS,
    ACTOR_TYPES,
    EVENT_RELATIONS,
    EVENT_TYPES,
    MODALITIES,
    Actor,
    Event,
)
from kg.read import parse_wire_text

ROLES = ("agent", "affected", "participants")
SLOTS = ("count", "date", "location")
SYMMETRIC_RELATIONS = frozenset({"spouseOf", "relativeOf", "allyOf"})
STATEMENT = "Statement"
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`"} | {c: '"' for c in "“”„‟″«»"})
_FUNCTION_WORDS = frozenset(
    ("a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "and", "or", "by", "from",
     "into", "as", "his", "her", "its", "their", "he", "she", "it", "they")
)  # fmt: skip

#: Final JSON line key -> what it reports (documented contract of `format_report`).
JSON_KEYS = (
    "events_f1", "events_f1_with_statement", "events_p", "events_r", "arguments_f1", "count_f1",
    "date_f1", "location_f1", "actor_relations_f1", "event_relations_f1", "entity_recall",
    "entity_typed", "alias_merge", "modality_accuracy", "offsets_ok", "articles",
    "seconds_per_article",
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Scores


@dataclass
class Score:
    """Counts of true positives, false positives and false negatives, summed over articles."""

    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); with no predictions 1.0 if there was nothing to find, else 0.0."""
        if self.tp + self.fp:
            return self.tp / (self.tp + self.fp)
        return 0.0 if self.fn else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); with no gold items 1.0 if nothing was predicted, else 0.0."""
        if self.tp + self.fn:
            return self.tp / (self.tp + self.fn)
        return 0.0 if self.fp else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 0.0 when both are 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass
class Share:
    """A proportion kept as counts, so that it can be summed over articles."""

    hits: float = 0.0
    total: float = 0.0
    empty: float = 1.0
    """The value when there is nothing to count."""

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else self.empty

    def __add__(self, other: Share) -> Share:
        """Sum the counts; with nothing counted anywhere, the stricter empty value wins."""
        empty = min(self.empty, other.empty)
        return Share(self.hits + other.hits, self.total + other.total, empty)


@dataclass(frozen=True)
class EventNote:
    """An event missed or predicted in vain, for `--details`."""

    type: str
    trigger: str
    sentence: str


@dataclass(frozen=True)
class Mismatch:
    """A wrong argument, slot or modality on a matched event pair, for `--details`."""

    event: str
    """The gold event: `id type "trigger"`."""
    field: str
    missing: tuple[str, ...]
    """Gold values the prediction lacks (or the gold value of a wrong slot)."""
    extra: tuple[str, ...]
    """Predicted values gold lacks (or the predicted value of a wrong slot)."""


@dataclass
class ArticleDetails:
    """What went wrong in one article."""

    article: str
    missed: list[EventNote] = field(default_factory=list)
    spurious: list[EventNote] = field(default_factory=list)
    wrong: list[Mismatch] = field(default_factory=list)


@dataclass
class ArticleScores:
    """The scores of one article, ready to be summed into an `EvalReport`."""

    per_metric: dict[str, Score]
    per_type: dict[str, Score]
    shares: dict[str, Share]
    """entity_recall, entity_typed, alias_merge, modality_accuracy, offsets_ok."""
    details: ArticleDetails


@dataclass
class EvalReport:
    """Scores summed (micro-averaged) over every evaluated article."""

    per_metric: dict[str, Score]
    """events (without Statement), events_with_statement, arguments, agent, affected,
    participants, count, date, location, actor_relations, event_relations."""
    per_type: dict[str, Score]
    entity_recall: float
    entity_typed: float
    alias_merge: float
    modality_accuracy: float
    offsets_ok: float
    articles: int
    seconds: float
    """Wall time of reading, annotating and scoring (pipeline loading excluded)."""
    details: list[ArticleDetails]
    shares: dict[str, Share] = field(default_factory=dict)
    """The counts behind the five shares above."""


METRICS = (
    "events", "events_with_statement", "arguments", *ROLES, *SLOTS, "actor_relations",
    "event_relations",
)  # fmt: skip
SHARES = ("entity_recall", "entity_typed", "alias_merge", "modality_accuracy", "offsets_ok")


# ---------------------------------------------------------------------------------------------
# Gold files


@dataclass(frozen=True)
class GoldEntity:
    """An entity of a gold file."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldEvent:
    """An event of a gold file; role items are entity ids or short phrases."""

    id: str
    type: str
    trigger: str
    sentence: str
    agent: tuple[str, ...] = ()
    affected: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    count: int | None = None
    date: str | None = None
    location: str | None = None
    modality: str = "asserted"


@dataclass(frozen=True)
class GoldRelation:
    """`subject predicate object` between gold entity ids or gold event ids."""

    subject: str
    predicate: str
    object: str


@dataclass(frozen=True)
class Gold:
    """One validated gold file."""

    path: Path
    article: Path
    """The article file it annotates, next to the gold file."""
    published: date
    entities: dict[str, GoldEntity]
    events: tuple[GoldEvent, ...]
    relations: tuple[GoldRelation, ...] = ()
    event_relations: tuple[GoldRelation, ...] = ()


def load_gold(path: Path) -> Gold:
    """Read and validate a gold file; any problem is an `InputError` naming the file."""
    path = Path(path)
    source = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("gold file not found", source=source) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read gold file: {exc}", source=source) from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", source=source
        ) from exc
    try:
        return _parse_gold(path, data)
    except _GoldProblem as exc:
        raise InputError(f"bad gold file: {exc}", source=source) from None


class _GoldProblem(ValueError):
    """A problem inside a gold file, turned into an `InputError` by `load_gold`."""


def _need(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict):
        raise _GoldProblem(f"{where} is not a JSON object")
    if key not in obj:
        raise _GoldProblem(f"{where} lacks key {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _GoldProblem(f"{where}: {key!r} has the wrong type ({type(value).__name__})")
    return value


def _optional(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if obj.get(key) is None:
        return None
    return _need(obj, key, kind, where)


def _strings(obj: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    items = _optional(obj, key, list, where) or []
    if not all(isinstance(item, str) for item in items):
        raise _GoldProblem(f"{where}: {key!r} must be a list of strings")
    return tuple(items)


def _parse_gold(path: Path, data: Any) -> Gold:
    name = _need(data, "article", str, "the file")
    article = path.with_name(name)
    if not article.is_file():
        raise _GoldProblem(f"article {name} is missing (looked for {article})")
    published = _need(data, "published", str, "the file")
    try:
        published_date = date.fromisoformat(published)
    except ValueError:
        raise _GoldProblem(f"published {published!r} is not a YYYY-MM-DD date") from None
    entities = _parse_entities(_need(data, "entities", list, "the file"))
    events = tuple(
        _parse_event(item, entities, i)
        for i, item in enumerate(_need(data, "events", list, "the file"))
    )
    if len({ev.id for ev in events}) != len(events):
        raise _GoldProblem("duplicate event ids")
    relations = _parse_relations(
        _optional(data, "relations", list, "the file") or [],
        ACTOR_RELATIONS,
        set(entities),
        "relation",
    )
    event_relations = _parse_relations(
        _optional(data, "event_relations", list, "the file") or [],
        EVENT_RELATIONS,
        {ev.id for ev in events},
        "event relation",
    )
    return Gold(path, article, published_date, entities, events, relations, event_relations)


def _parse_entities(items: list[Any]) -> dict[str, GoldEntity]:
    entities: dict[str, GoldEntity] = {}
    for i, item in enumerate(items):
        where = f"entity #{i + 1}"
        entity = GoldEntity(
            id=_need(item, "id", str, where),
            name=_need(item, "name", str, where),
            type=_need(item, "type", str, where),
            aliases=_strings(item, "aliases", where),
        )
        if entity.type not in ACTOR_TYPES:
            raise _GoldProblem(f"entity {entity.id}: unknown type {entity.type!r}")
        if entity.id in entities:
            raise _GoldProblem(f"duplicate entity id {entity.id}")
        entities[entity.id] = entity
    return entities


def _parse_event(item: Any, entities: dict[str, GoldEntity], i: int) -> GoldEvent:
    where = f"event #{i + 1}"
    ev_id = _need(item, "id", str, where)
    where = f"event {ev_id}"
    event = GoldEvent(
        id=ev_id,
        type=_need(item, "type", str, where),
        trigger=_need(item, "trigger", str, where),
        sentence=_need(item, "sentence", str, where),
        agent=_strings(item, "agent", where),
        affected=_strings(item, "affected", where),
        participants=_strings(item, "participants", where),
        count=_optional(item, "count", int, where),
        date=_optional(item, "date", str, where),
        location=_optional(item, "location", str, where),
        modality=_need(item, "modality", str, where),
    )
    if event.type not in EVENT_TYPES:
        raise _GoldProblem(f"{where}: unknown event type {event.type!r}")
    if event.modality not in MODALITIES:
        raise _GoldProblem(f"{where}: modality {event.modality!r} is not one of {MODALITIES}")
    if event.date is not None and not _ISO.match(event.date):
        raise _GoldProblem(f"{where}: date {event.date!r} is not ISO 8601")
    if event.location is not None and event.location not in entities:
        raise _GoldProblem(f"{where}: location {event.location} is not an entity id")
    for role in ROLES:
        for role_item in getattr(event, role):
            if re.fullmatch(r"e\d+", role_item) and role_item not in entities:
                raise _GoldProblem(f"{where}: {role} names unknown entity {role_item}")
    return event


def _parse_relations(
    items: list[Any], predicates: Sequence[str], ids: set[str], what: str
) -> tuple[GoldRelation, ...]:
    relations = []
    for i, item in enumerate(items):
        where = f"{what} #{i + 1}"
        rel = GoldRelation(
            subject=_need(item, "subject", str, where),
            predicate=_need(item, "predicate", str, where),
            object=_need(item, "object", str, where),
        )
        if rel.predicate not in predicates:
            raise _GoldProblem(f"{where}: unknown predicate {rel.predicate!r}")
        for end in (rel.subject, rel.object):
            if end not in ids:
                raise _GoldProblem(f"{where}: unknown id {end}")
        relations.append(rel)
    return tuple(relations)


# ---------------------------------------------------------------------------------------------
# Text normalisation and name matching


def squash(text: str) -> str:
    """Collapse every run of whitespace to one space."""
    return " ".join(text.split())


def _fragment_key(text: str) -> str:
    """The form in which sentences and gold fragments are compared: no whitespace at all."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().split())


def norm_name(text: str) -> str:
    """The form in which names are compared: straight quotes, casefolded, squashed, no "the "."""
    name = squash(unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold())
    return name[4:] if name.startswith("the ") else name


def _contains_words(small: str, big: str) -> bool:
    return bool(small) and f" {small} " in f" {big} "


def forms_match(gold_forms: Iterable[str], pred_forms: Iterable[str], *, group: bool) -> bool:
    """Normalised forms match: equal, or (a Group on the gold side) one contains the other."""
    gold_set, pred_set = set(gold_forms) - {""}, set(pred_forms) - {""}
    if gold_set & pred_set:
        return True
    return group and any(
        _contains_words(g, p) or _contains_words(p, g) for g in gold_set for p in pred_set
    )


@dataclass(frozen=True)
class _Forms:
    """The normalised surface forms of a gold item or predicted actor."""

    label: str
    type: str
    forms: frozenset[str]


class _Names:
    """Lookup of normalised forms for the gold items and the predicted actors of one article."""

    def __init__(self, gold: Gold, doc: Doc) -> None:
        self.gold = gold
        self.actors: dict[str, Actor] = doc._.actors or {}
        mention_texts: dict[str, set[str]] = {}
        for mention in doc._.mentions or []:
            mention_texts.setdefault(mention.actor, set()).add(mention.text)
        self._mentions = mention_texts

    def gold_item(self, item: str) -> _Forms:
        entity = self.gold.entities.get(item)
        if entity is None:
            return _Forms(item, "Group", frozenset({norm_name(item)}))
        raw = (entity.name, *entity.aliases)
        return _Forms(entity.name, entity.type, frozenset(norm_name(f) for f in raw))

    def actor(self, key: str) -> _Forms:
        actor = self.actors.get(key)
        if actor is None:
            type_, _, name = key.partition(":")
            return _Forms(name or key, type_, frozenset({norm_name(name or key)}))
        raw = {actor.name, *actor.aliases, *self._mentions.get(key, ())}
        return _Forms(actor.name, actor.type, frozenset(norm_name(f) for f in raw))

    def match(self, item: str, key: str) -> bool:
        gold = self.gold_item(item)
        return forms_match(gold.forms, self.actor(key).forms, group=gold.type == "Group")


# ---------------------------------------------------------------------------------------------
# Matching


def _max_matching(
    n_left: int, n_right: int, ok: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """A maximum one-to-one matching (Kuhn's augmenting paths); lists here are tiny."""
    edges = [[j for j in range(n_right) if ok(i, j)] for i in range(n_left)]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(n_left):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def _content_words(text: str) -> set[str]:
    words = re.findall(r"\w+", text.translate(_QUOTES).casefold())
    return {w for w in words if w not in _FUNCTION_WORDS}


def match_events(
    gold: Sequence[GoldEvent], predicted: Sequence[Event], text: str
) -> dict[int, int]:
    """Gold index -> predicted index, one-to-one, by type and evidence sentence (see module doc)."""
    order = sorted(range(len(predicted)), key=lambda j: (predicted[j].start, predicted[j].end))
    sentences = [_fragment_key(text[ev.sent_start : ev.sent_end]) for ev in predicted]
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for prefer_trigger in (True, False):
        for i, gold_ev in enumerate(gold):
            if i in pairs:
                continue
            fragment = _fragment_key(gold_ev.sentence)
            words = _content_words(gold_ev.trigger)
            for j in order:
                ev = predicted[j]
                if j in taken or ev.type != gold_ev.type or fragment not in sentences[j]:
                    continue
                if prefer_trigger and not words & _content_words(ev.trigger):
                    continue
                pairs[i] = j
                taken.add(j)
                break
    return pairs


# ---------------------------------------------------------------------------------------------
# Scoring one article


def score_article(gold: Gold, article: Article, doc: Doc) -> ArticleScores:
    """Compare the annotations of `doc` (the article's built `Doc`) against its gold file."""
    names = _Names(gold, doc)
    predicted: list[Event] = list(doc._.events or [])
    pairs = match_events(gold.events, predicted, doc.text)
    details = ArticleDetails(article.id)
    per_metric = {name: Score() for name in METRICS}
    per_type = _score_events(gold, predicted, pairs, doc.text, details)
    per_metric["events_with_statement"] = sum(per_type.values(), Score())
    per_metric["events"] = sum(
        (score for type_, score in per_type.items() if type_ != STATEMENT), Score()
    )
    modality = Share(empty=0.0 if gold.events else 1.0)
    for i, j in sorted(pairs.items()):
        gold_ev, pred_ev = gold.events[i], predicted[j]
        label = f'{gold_ev.id} {gold_ev.type} "{gold_ev.trigger}"'
        for role in ROLES:
            score = _score_role(names, gold_ev, pred_ev, role, label, details)
            per_metric[role] += score
            per_metric["arguments"] += score
        for slot in SLOTS:
            per_metric[slot] += _score_slot(names, gold_ev, pred_ev, slot, label, details)
        modality += Share(float(gold_ev.modality == pred_ev.modality), 1.0)
        if gold_ev.modality != pred_ev.modality:
            details.wrong.append(
                Mismatch(label, "modality", (gold_ev.modality,), (pred_ev.modality,))
            )
    per_metric["actor_relations"] = _score_actor_relations(gold, doc, names)
    per_metric["event_relations"] = _score_event_relations(gold, doc, predicted, pairs)
    shares = _entity_shares(gold, names)
    shares["modality_accuracy"] = modality
    shares["offsets_ok"] = offsets_share(doc)
    return ArticleScores(per_metric, per_type, shares, details)


def _score_events(
    gold: Gold, predicted: list[Event], pairs: dict[int, int], text: str, details: ArticleDetails
) -> dict[str, Score]:
    per_type: dict[str, Score] = {}
    for i, gold_ev in enumerate(gold.events):
        score = per_type.setdefault(gold_ev.type, Score())
        if i in pairs:
            score.tp += 1
        else:
            score.fn += 1
            details.missed.append(
                EventNote(gold_ev.type, gold_ev.trigger, squash(gold_ev.sentence))
            )
    matched = set(pairs.values())
    for j, ev in enumerate(predicted):
        if j not in matched:
            per_type.setdefault(ev.type, Score()).fp += 1
            sentence = squash(text[ev.sent_start : ev.sent_end])
            details.spurious.append(EventNote(ev.type, ev.trigger, sentence))
    return per_type


def _score_role(
    names: _Names,
    gold_ev: GoldEvent,
    pred_ev: Event,
    role: str,
    label: str,
    details: ArticleDetails,
) -> Score:
    gold_items = list(dict.fromkeys(getattr(gold_ev, role)))
    pred_keys = list(dict.fromkeys(getattr(pred_ev, role)))
    found = _max_matching(
        len(gold_items), len(pred_keys), lambda i, j: names.match(gold_items[i], pred_keys[j])
    )
    tp = len(found)
    if tp < len(gold_items) or tp < len(pred_keys):
        hit_gold = {i for i, _ in found}
        hit_pred = {j for _, j in found}
        missing = tuple(
            names.gold_item(item).label for i, item in enumerate(gold_items) if i not in hit_gold
        )
        extra = tuple(
            names.actor(key).label for j, key in enumerate(pred_keys) if j not in hit_pred
        )
        details.wrong.append(Mismatch(label, role, missing, extra))
    return Score(tp, len(pred_keys) - tp, len(gold_items) - tp)


def _score_slot(
    names: _Names,
    gold_ev: GoldEvent,
    pred_ev: Event,
    slot: str,
    label: str,
    details: ArticleDetails,
) -> Score:
    gold_value, pred_value = getattr(gold_ev, slot), getattr(pred_ev, slot)
    if gold_value is None and pred_value is None:
        return Score()
    if gold_value is not None and pred_value is not None:
        if slot == "location":
            same = names.match(gold_value, pred_value)
        else:
            same = gold_value == pred_value
    else:
        same = False
    if same:
        return Score(tp=1)
    shown_gold = (
        names.gold_item(gold_value).label if slot == "location" and gold_value else gold_value
    )
    shown_pred = names.actor(pred_value).label if slot == "location" and pred_value else pred_value
    details.wrong.append(
        Mismatch(
            label,
            slot,
            () if gold_value is None else (str(shown_gold),),
            () if pred_value is None else (str(shown_pred),),
        )
    )
    return Score(fp=float(pred_value is not None), fn=float(gold_value is not None))


def _score_actor_relations(gold: Gold, doc: Doc, names: _Names) -> Score:
    gold_rels = list(dict.fromkeys(gold.relations))
    pred_rels = list(
        dict.fromkeys((r.subject, r.predicate, r.object) for r in doc._.actor_relations or [])
    )

    def ok(i: int, j: int) -> bool:
        g, (subj, pred, obj) = gold_rels[i], pred_rels[j]
        if g.predicate != pred:
            return False
        if names.match(g.subject, subj) and names.match(g.object, obj):
            return True
        symmetric = pred in SYMMETRIC_RELATIONS
        return symmetric and names.match(g.subject, obj) and names.match(g.object, subj)

    tp = len(_max_matching(len(gold_rels), len(pred_rels), ok))
    return Score(tp, len(pred_rels) - tp, len(gold_rels) - tp)


def _score_event_relations(
    gold: Gold, doc: Doc, predicted: list[Event], pairs: dict[int, int]
) -> Score:
    gold_id = {predicted[j].key: gold.events[i].id for i, j in pairs.items()}
    wanted = {(r.subject, r.predicate, r.object) for r in gold.event_relations}
    found: set[tuple[str, str, str]] = set()
    fp = 0
    for rel in dict.fromkeys(
        (r.subject, r.predicate, r.object) for r in doc._.event_relations or []
    ):
        subj, pred, obj = rel
        candidate = (gold_id.get(subj, ""), pred, gold_id.get(obj, ""))
        if candidate in wanted and candidate not in found:
            found.add(candidate)
        else:
            fp += 1
    return Score(len(found), fp, len(wanted) - len(found))


def _entity_shares(gold: Gold, names: _Names) -> dict[str, Share]:
    recall, typed, merged = Share(), Share(), Share()
    actors = [names.actor(key) for key in names.actors]
    for entity in gold.entities.values():
        forms = names.gold_item(entity.id)
        group = entity.type == "Group"
        found = [a for a in actors if forms_match(forms.forms, a.forms, group=group)]
        recall += Share(float(bool(found)), 1.0)
        typed += Share(float(any(a.type == entity.type for a in found)), 1.0)
        if group:
            continue
        name = norm_name(entity.name)
        for alias in dict.fromkeys(norm_name(a) for a in entity.aliases):
            if alias and alias != name:
                together = any(name in a.forms and alias in a.forms for a in actors)
                merged += Share(float(together), 1.0)
    return {"entity_recall": recall, "entity_typed": typed, "alias_merge": merged}


def offsets_share(doc: Doc) -> Share:
    """How many predicted events and mentions have offsets that index `doc.text` correctly."""
    text = doc.text
    share = Share()
    for ev in doc._.events or []:
        ok = (
            0 <= ev.sent_start <= ev.start < ev.end <= ev.sent_end <= len(text)
            and text[ev.start : ev.end] == ev.trigger
        )
        share += Share(float(ok), 1.0)
    for mention in doc._.mentions or []:
        ok = 0 <= mention.start < mention.end <= len(text)
        share += Share(float(ok and text[mention.start : mention.end] == mention.text), 1.0)
    return share


# ---------------------------------------------------------------------------------------------
# Whole runs


def evaluate(gold_paths: Sequence[Path], nlp: Language) -> EvalReport:
    """Read, annotate (one `nlp.pipe` stream) and score every gold file's article."""
    golds = [load_gold(Path(p)) for p in gold_paths]
    started = time.perf_counter()
    articles = []
    for gold in golds:
        try:
            raw = gold.article.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read article: {exc}", source=str(gold.article)) from exc
        articles.append(
            parse_wire_text(
                raw, id=gold.article.stem, source=str(gold.article), published=gold.published
            )
        )
    scores = [
        score_article(gold, article, doc)
        for gold, (article, doc) in zip(golds, annotate(nlp, articles), strict=True)
    ]
    return combine(scores, seconds=time.perf_counter() - started)


def combine(scores: Sequence[ArticleScores], *, seconds: float = 0.0) -> EvalReport:
    """Sum article scores into one report (micro-averaging)."""
    per_metric = {name: Score() for name in METRICS}
    per_type: dict[str, Score] = {}
    shares = {name: Share() for name in SHARES}
    for article in scores:
        for name, score in article.per_metric.items():
            per_metric[name] = per_metric.get(name, Score()) + score
        for type_, score in article.per_type.items():
            per_type[type_] = per_type.get(type_, Score()) + score
        for name, share in article.shares.items():
            shares[name] = shares[name] + share
    known = [t for t in EVENT_TYPES if t in per_type]
    ordered_types = {t: per_type[t] for t in [*known, *sorted(set(per_type) - set(known))]}
    return EvalReport(
        per_metric=per_metric,
        per_type=ordered_types,
        entity_recall=shares["entity_recall"].value,
        entity_typed=shares["entity_typed"].value,
        alias_merge=shares["alias_merge"].value,
        modality_accuracy=shares["modality_accuracy"].value,
        offsets_ok=shares["offsets_ok"].value,
        articles=len(scores),
        seconds=seconds,
        details=[article.details for article in scores],
        shares=shares,
    )


# ---------------------------------------------------------------------------------------------
# Report


def report_numbers(report: EvalReport) -> dict[str, float | int]:
    """The numbers of the final JSON line, keyed as `JSON_KEYS`."""
    m = report.per_metric
    per_article = report.seconds / report.articles if report.articles else 0.0
    numbers: dict[str, float | int] = {
        "events_f1": m["events"].f1,
        "events_f1_with_statement": m["events_with_statement"].f1,
        "events_p": m["events"].precision,
        "events_r": m["events"].recall,
        "arguments_f1": m["arguments"].f1,
        "count_f1": m["count"].f1,
        "date_f1": m["date"].f1,
        "location_f1": m["location"].f1,
        "actor_relations_f1": m["actor_relations"].f1,
        "event_relations_f1": m["event_relations"].f1,
        "entity_recall": report.entity_recall,
        "entity_typed": report.entity_typed,
        "alias_merge": report.alias_merge,
        "modality_accuracy": report.modality_accuracy,
        "offsets_ok": report.offsets_ok,
        "articles": report.articles,
        "seconds_per_article": per_article,
    }
    return {k: v if isinstance(v, int) else round(v, 4) for k, v in numbers.items()}


_METRIC_LABELS = {
    "events": "events (without Statement)",
    "events_with_statement": "events (with Statement)",
    "arguments": "arguments (matched events)",
    "agent": "  agent",
    "affected": "  affected",
    "participants": "  participants",
    "count": "count",
    "date": "date",
    "location": "location",
    "actor_relations": "actor relations",
    "event_relations": "event relations",
}
_SHARE_LABELS = {
    "entity_recall": "entity recall",
    "entity_typed": "entity correctly typed",
    "alias_merge": "alias merge",
    "modality_accuracy": "modality accuracy",
    "offsets_ok": "offsets ok",
}


def _score_table(title: str, rows: dict[str, Score]) -> list[str]:
    width = max([len(title), *(len(label) for label in rows)])
    lines = [f"{title:<{width}}  {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for label, s in rows.items():
        lines.append(
            f"{label:<{width}}  {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
            f"{s.tp:5g} {s.fp:5g} {s.fn:5g}"
        )
    return lines


def _share_lines(report: EvalReport) -> list[str]:
    values = {name: getattr(report, name) for name in SHARES}
    width = max(len(label) for label in _SHARE_LABELS.values())
    lines = []
    for name, label in _SHARE_LABELS.items():
        share = report.shares.get(name)
        counts = f"  ({share.hits:g}/{share.total:g})" if share is not None else ""
        lines.append(f"{label:<{width}}  {values[name]:6.3f}{counts}")
    return lines


def _detail_lines(details: Sequence[ArticleDetails]) -> list[str]:
    lines: list[str] = []
    for article in details:
        lines.append(f"== {article.article}")
        for note in article.missed:
            lines.append(f'  missed   {note.type} "{note.trigger}": {note.sentence}')
        for note in article.spurious:
            lines.append(f'  spurious {note.type} "{note.trigger}": {note.sentence}')
        for wrong in article.wrong:
            missing = "; ".join(wrong.missing) or "-"
            extra = "; ".join(wrong.extra) or "-"
            lines.append(
                f"  wrong    {wrong.event} {wrong.field}: gold [{missing}] predicted [{extra}]"
            )
        if not (article.missed or article.spurious or article.wrong):
            lines.append("  all events, arguments and slots right")
    return lines


def format_report(report: EvalReport, *, details: bool = False) -> str:
    """The score tables (and, with `details`, what went wrong), ending with one JSON line."""
    per_article = report.seconds / report.articles if report.articles else 0.0
    lines = [
        f"{report.articles} article(s), {report.seconds:.2f} s ({per_article:.2f} s per article)",
        "",
        *_score_table("metric", {_METRIC_LABELS[k]: report.per_metric[k] for k in METRICS}),
        "",
        *_share_lines(report),
        "",
        *_score_table("event type", dict(report.per_type)),
    ]
    if details:
        lines += ["", *_detail_lines(report.details)]
    lines += ["", json.dumps(report_numbers(report), sort_keys=False)]
    return "\n".join(lines)
