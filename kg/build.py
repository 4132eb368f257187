"""One build: read -> annotate -> map -> validate -> serialize -> write, batch by batch.

Articles stream through in batches: the reader yields them lazily, an executor (this process,
a pool of processes, or a Dask cluster) turns each batch into serialized article chunks, and the
sinks (an output file, a store) take the chunks in input order. No stage holds the collection.
"""

from __future__ import annotations

import gc
import os
import resource
import socket
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Protocol, TextIO

import pyoxigraph as ox
from spacy.language import Language
from spacy.tokens import Doc

from kg.annotate import make_doc
from kg.article import Article
from kg.errors import InputError, KgError, ValidationError
from kg.mapping import IriMinter, RunInfo, article_triples
from kg.read import read_inputs
from kg.settings import Settings
from kg.validate import ShapesValidator
from kg.write import FORMATS, ArticleWriter

if TYPE_CHECKING:
    from kg.store import GraphStore

#: The stages a build's time is split into, in the order data flows through them.
STAGES = ("reading", "spacy", "extractors", "mapping", "shacl", "serialization", "writing")
_OWN_COMPONENT_PREFIX = "newskg_"


class StrictStop(KgError):
    """Raised under `--strict` at the first article that cannot be built."""

    code = "E005"


@dataclass(frozen=True)
class Job:
    """What every worker needs to build batches; small and picklable, sent to each worker once."""

    settings: Settings
    fmt: str | None = "turtle"
    """Output format name of the chunks, None when only a store is written."""
    ntriples: bool = False
    """Also return each article as N-Triples (for stores, and for formats written whole)."""


@dataclass
class ArticleOutcome:
    """One article after a worker is done with it: its serialized graph, or why there is none."""

    iri: str
    source: str
    tokens: int = 0
    triples: int = 0
    chunk: bytes = b""
    ntriples: bytes = b""
    problem: KgError | None = None

    def graph(self) -> tuple[ox.NamedNode, list[ox.Triple]]:
        """The article's IRI and its triples, parsed back from `ntriples`."""
        triples = list(ox.parse(self.ntriples, format=ox.RdfFormat.N_TRIPLES))
        return ox.NamedNode(self.iri), triples


@dataclass
class BatchOutcome:
    """A batch's articles in input order, the seconds each stage took, and the worker's peak."""

    articles: list[ArticleOutcome]
    seconds: dict[str, float]
    worker: str
    peak_rss_kb: int


def peak_rss_kb() -> int:
    """This process's peak resident set size so far, in KiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def freeze_long_lived() -> None:
    """Move what exists now (model, gazetteers, shapes: it lives as long as the process) out of
    the cyclic collector's reach, so its full collections stop rescanning it for every batch.

    Once per process: later calls (more builders in one process) leave the collector alone.
    """
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


class BatchBuilder:
    """Builds batches of articles in one process: pipeline, shapes and minter are made once."""

    def __init__(self, job: Job, nlp: Language | None = None) -> None:
        from kg.nlp import build_pipeline

        self.job = job
        self.nlp = nlp if nlp is not None else build_pipeline(job.settings.model)
        self.minter = IriMinter(job.settings.base_iri)
        self.run = RunInfo.from_nlp(self.nlp)
        self.validator = ShapesValidator()
        self.chunk = FORMATS[job.fmt].chunk if job.fmt is not None else None
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        freeze_long_lived()

    def build(self, articles: Sequence[Article]) -> BatchOutcome:
        """Annotate, map, validate and serialize `articles`; bad ones carry their problem."""
        seconds = dict.fromkeys(STAGES, 0.0)
        docs = self._annotate(articles, seconds)
        outcomes = [
            ArticleOutcome(str(self.minter.article(a.id)), a.source, tokens=len(doc))
            for a, doc in zip(articles, docs, strict=True)
        ]
        started = time.perf_counter()
        mapped = [self._map(a, doc, o) for a, doc, o in zip(articles, docs, outcomes, strict=True)]
        seconds["mapping"] += time.perf_counter() - started
        started = time.perf_counter()
        self._validate(mapped, outcomes)
        seconds["shacl"] += time.perf_counter() - started
        started = time.perf_counter()
        for outcome, triples in zip(outcomes, mapped, strict=True):
            if outcome.problem is None and triples is not None:
                self._serialize(outcome, triples)
        seconds["serialization"] += time.perf_counter() - started
        return BatchOutcome(outcomes, seconds, self.worker, peak_rss_kb())

    def _annotate(self, articles: Sequence[Article], seconds: dict[str, float]) -> list[Doc]:
        """Run the pipeline component by component, as `nlp.pipe` does, timing each one.

        spaCy's own components count as "spacy", newskg's as "extractors".
        """
        started = time.perf_counter()
        docs = [make_doc(self.nlp, article) for article in articles]
        seconds["spacy"] += time.perf_counter() - started
        size = self.job.settings.batch_size
        for name, component in self.nlp.pipeline:
            started = time.perf_counter()
            if hasattr(component, "pipe"):
                docs = list(component.pipe(docs, batch_size=size))
            else:
                docs = [component(doc) for doc in docs]
            stage = "extractors" if name.startswith(_OWN_COMPONENT_PREFIX) else "spacy"
            seconds[stage] += time.perf_counter() - started
        return docs

    def _map(
        self, article: Article, doc: Doc, outcome: ArticleOutcome
    ) -> Sequence[ox.Triple] | None:
        try:
            return article_triples(article, doc, run=self.run, minter=self.minter)
        except ValueError as exc:
            outcome.problem = KgError(f"cannot map to RDF: {exc}", source=article.source)
            return None

    def _validate(
        self, mapped: list[Sequence[ox.Triple] | None], outcomes: list[ArticleOutcome]
    ) -> None:
        batch = [
            (ox.NamedNode(outcome.iri), triples)
            for outcome, triples in zip(outcomes, mapped, strict=True)
            if triples is not None
        ]
        checked = iter(self.validator.validate_batch(batch))
        for outcome, triples in zip(outcomes, mapped, strict=True):
            if triples is None:
                continue
            result = next(checked)
            if not result.conforms:
                outcome.problem = ValidationError(
                    f"graph does not conform to the SHACL shapes "
                    f"({len(result.errors)} violations); not written",
                    source=outcome.source,
                    report=result.report(),
                )

    def _serialize(self, outcome: ArticleOutcome, triples: Sequence[ox.Triple]) -> None:
        outcome.triples = len(triples)
        if self.chunk is not None:
            outcome.chunk = self.chunk(ox.NamedNode(outcome.iri), triples)
        if self.job.ntriples:
            outcome.ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


class Executor(Protocol):
    """Turns batches of articles into batch outcomes, yielded in the order the batches came."""

    def map_batches(self, batches: Iterable[list[Article]]) -> Iterator[BatchOutcome]: ...

    def close(self) -> None: ...


class InProcess:
    """Builds every batch in this process (`--jobs 1`)."""

    def __init__(self, job: Job, nlp: Language | None = None) -> None:
        self.builder = BatchBuilder(job, nlp)

    def map_batches(self, batches: Iterable[list[Article]]) -> Iterator[BatchOutcome]:
        for batch in batches:
            yield self.builder.build(batch)

    def close(self) -> None:
        """Nothing to release."""


@dataclass
class BuildSummary:
    """What a build wrote, what failed, and where the time went (seconds summed over workers)."""

    articles: int = 0
    triples: int = 0
    tokens: int = 0
    problems: list[KgError] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    worker_peak_rss_kb: dict[str, int] = field(default_factory=dict)
    wall_seconds: float = 0.0

    def add_seconds(self, seconds: dict[str, float]) -> None:
        for stage, value in seconds.items():
            self.seconds[stage] = self.seconds.get(stage, 0.0) + value


class Sink(Protocol):
    """Where built articles go: an output file, a store."""

    def take(self, outcome: ArticleOutcome) -> None: ...


class FileSink:
    """Appends each article's chunk to an `ArticleWriter` (or keeps it, for JSON-LD)."""

    def __init__(self, writer: ArticleWriter) -> None:
        self.writer = writer

    def take(self, outcome: ArticleOutcome) -> None:
        if self.writer.fmt.streams:
            self.writer.add(outcome.chunk)
        else:
            self.writer.keep(*outcome.graph())


class StoreSink:
    """Replaces each article's named graph in a store as soon as the article is built."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def take(self, outcome: ArticleOutcome) -> None:
        self.store.replace_triples(*outcome.graph())


def batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Consecutive lists of at most `size` items, read lazily."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Build:
    """Streams inputs through an executor into sinks, reporting bad articles as it goes."""

    def __init__(
        self,
        settings: Settings,
        executor: Executor,
        sinks: Sequence[Sink],
        *,
        err: TextIO = sys.stderr,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.settings = settings
        self.executor = executor
        self.sinks = sinks
        self.err = err
        self.progress = progress
        self.summary = BuildSummary()

    def run(self, inputs: Sequence[str], *, stdin: TextIO | None = None) -> BuildSummary:
        """Build every readable article of `inputs`; raises StrictStop under `--strict`."""
        started = time.perf_counter()
        items = read_inputs(inputs, published=self.settings.published, stdin=stdin)
        batches = batched(self._articles(items), self.settings.batch_size)
        for outcome in self.executor.map_batches(batches):
            self._take(outcome)
        self.summary.wall_seconds = time.perf_counter() - started
        return self.summary

    def _articles(self, items: Iterable[Article | InputError]) -> Iterator[Article]:
        """The readable articles; reading time is what it takes to produce each item."""
        iterator = iter(items)
        while True:
            started = time.perf_counter()
            item = next(iterator, None)
            self.summary.seconds["reading"] += time.perf_counter() - started
            if item is None:
                return
            if isinstance(item, InputError):
                self._problem(item)
            else:
                yield item

    def _take(self, batch: BatchOutcome) -> None:
        summary = self.summary
        summary.add_seconds(batch.seconds)
        summary.worker_peak_rss_kb[batch.worker] = batch.peak_rss_kb
        started = time.perf_counter()
        for outcome in batch.articles:
            if outcome.problem is not None:
                self._problem(outcome.problem)
                continue
            for sink in self.sinks:
                sink.take(outcome)
            summary.articles += 1
            summary.triples += outcome.triples
            summary.tokens += outcome.tokens
        summary.seconds["writing"] += time.perf_counter() - started
        if self.progress is not None:
            self.progress(len(batch.articles))

    def _problem(self, problem: KgError) -> None:
        self.summary.problems.append(problem)
        print(f"kg: error: {problem}", file=self.err)
        if isinstance(problem, ValidationError) and problem.report:
            for line in problem.report.splitlines():
                print(f"  {line}", file=self.err)
        if self.settings.strict:
            raise StrictStop(f"stopped at the first bad article ({problem})")


class _Collect:
    """A sink that keeps each article's triples, for callers that want graphs in memory."""

    def __init__(self) -> None:
        self.articles: list[tuple[ox.NamedNode, list[ox.Triple]]] = []

    def take(self, outcome: ArticleOutcome) -> None:
        self.articles.append(outcome.graph())


def build_in_memory(
    inputs: Sequence[str],
    settings: Settings,
    nlp: Language | None = None,
    *,
    err: TextIO = sys.stderr,
    stdin: TextIO | None = None,
) -> tuple[list[tuple[ox.NamedNode, list[ox.Triple]]], BuildSummary]:
    """Build small inputs in this process and return every conforming article's triples."""
    collect = _Collect()
    executor = InProcess(Job(settings, fmt=None, ntriples=True), nlp)
    summary = Build(settings, executor, [collect], err=err).run(inputs, stdin=stdin)
    return collect.articles, summary
