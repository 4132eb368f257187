"""Plain records that components write to `Doc` extensions; picklable for multiprocessing."""

from __future__ import annotations

from dataclasses import dataclass, field

ACTOR_TYPES = ("Person", "Organization", "Country", "Location", "Group")
EVENT_TYPES = (
    "PrisonerRelease", "SanctionsRelief", "SanctionsImposition", "Arrest", "Conviction",
    "Deportation", "Meeting", "PhoneCall", "Agreement", "MilitaryAction", "Protest", "Election",
    "Accusation", "Request", "Threat", "Aid", "Statement",
)  # fmt: skip
MODALITIES = ("asserted", "hypothetical", "negated")
ACTOR_RELATIONS = (
    "leaderOf", "memberOf", "spouseOf", "relativeOf", "advisorOf", "envoyOf", "allyOf",
    "citizenOf",
)  # fmt: skip
EVENT_RELATIONS = ("causedBy", "partOf", "after")


def actor_key(type_: str, name: str) -> str:
    """The identity of an actor inside and across articles: its type and canonical name."""
    return f"{type_}:{name}"


@dataclass
class Actor:
    """An entity of the article: a named actor, a place, or an unnamed group."""

    type: str
    """One of ACTOR_TYPES."""
    name: str
    """Canonical name: the actor's one `rdfs:label` ("Alexander Lukashenko", "United States")."""
    aliases: set[str] = field(default_factory=set)
    """Every other surface form seen for it (surname, "U.S.", "Washington", "the Kremlin")."""
    titles: set[str] = field(default_factory=set)
    """Titles and roles seen with it ("President", "opposition leader")."""

    @property
    def key(self) -> str:
        return actor_key(self.type, self.name)


@dataclass(frozen=True)
class Mention:
    """A stretch of text that refers to an actor; offsets index `doc.text`."""

    start: int
    end: int
    text: str
    actor: str
    """The actor's key."""
    kind: str = "name"
    """How it refers: name, alias (surname, acronym), title, pronoun, metonym, group."""


@dataclass(frozen=True)
class TimeExpr:
    """A time expression resolved against the publication date."""

    start: int
    end: int
    text: str
    value: str
    """ISO 8601 at the precision the text gives: 2025-09-11, 2025-08 or 2020."""


@dataclass
class Event:
    """One event mention, at its most informative mention; offsets index `doc.text`."""

    type: str
    """One of EVENT_TYPES."""
    trigger: str
    start: int
    """Trigger start offset."""
    end: int
    """Trigger end offset."""
    sent_start: int
    """Evidence sentence start offset."""
    sent_end: int
    agent: list[str] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    mediator: list[str] = field(default_factory=list)
    """Actor keys for each role."""
    location: str | None = None
    """Actor key of a Country or Location."""
    date: str | None = None
    count: int | None = None
    modality: str = "asserted"
    quote: str | None = None
    """For statements: what was said."""

    @property
    def key(self) -> str:
        """Stable identity inside the article: type and trigger offsets."""
        return f"{self.type}-{self.start}-{self.end}"


@dataclass(frozen=True)
class ActorRelation:
    """`subject predicate object` between actor keys, with the sentence that states it."""

    subject: str
    predicate: str
    object: str
    sent_start: int
    sent_end: int


@dataclass(frozen=True)
class EventRelation:
    """`subject predicate object` between event keys (causedBy, partOf, after)."""

    subject: str
    predicate: str
    object: str
