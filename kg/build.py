"""One build: read -> annotate -> map -> validate -> write, reporting bad articles as it goes."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from rdflib import Graph, URIRef
from spacy.language import Language

from kg.annotate import annotate
from kg.article import Article
from kg.errors import InputError, KgError, ValidationError
from kg.mapping import IriMinter, RunInfo, article_graph
from kg.read import read_inputs
from kg.settings import Settings
from kg.validate import ShapesValidator
from kg.write import OutputFormat, serialize, write_atomic


class StrictStop(KgError):
    """Raised under `--strict` at the first article that cannot be built."""

    code = "E005"


@dataclass
class BuildReport:
    """What a build produced: the conforming article graphs and the problems met on the way."""

    graphs: list[tuple[URIRef, Graph]] = field(default_factory=list)
    problems: list[KgError] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(len(graph) for _, graph in self.graphs)


class Builder:
    """Builds conforming article graphs from inputs with one pipeline and one shapes graph."""

    def __init__(self, settings: Settings, nlp: Language, *, err: TextIO = sys.stderr) -> None:
        self.settings = settings
        self.nlp = nlp
        self.err = err
        self.minter = IriMinter(settings.base_iri)
        self.run = RunInfo.from_nlp(nlp)
        self.validator = ShapesValidator()

    def build(self, inputs: Sequence[str], *, stdin: TextIO | None = None) -> BuildReport:
        """Build every readable article of `inputs`; bad ones are reported and skipped."""
        report = BuildReport()
        items = read_inputs(inputs, published=self.settings.published, stdin=stdin)
        articles = self._articles(items, report)
        pairs = annotate(
            self.nlp,
            articles,
            n_process=self.settings.n_process,
            batch_size=self.settings.batch_size,
        )
        for article, doc in pairs:
            try:
                graph = article_graph(article, doc, run=self.run, minter=self.minter)
            except ValueError as exc:
                self._problem(report, KgError(f"cannot map to RDF: {exc}", source=article.source))
                continue
            result = self.validator.validate(graph)
            if not result.conforms:
                self._problem(
                    report,
                    ValidationError(
                        f"graph does not conform to the SHACL shapes "
                        f"({len(result.errors)} violations); not written",
                        source=article.source,
                        report=result.report(),
                    ),
                )
                continue
            report.graphs.append((self.minter.article(article.id), graph))
        return report

    def _articles(
        self, items: Iterable[Article | InputError], report: BuildReport
    ) -> Iterator[Article]:
        for item in items:
            if isinstance(item, InputError):
                self._problem(report, item)
            else:
                yield item

    def _problem(self, report: BuildReport, problem: KgError) -> None:
        report.problems.append(problem)
        print(f"kg: error: {problem}", file=self.err)
        if isinstance(problem, ValidationError) and problem.report:
            for line in problem.report.splitlines():
                print(f"  {line}", file=self.err)
        if self.settings.strict:
            raise StrictStop(f"stopped at the first bad article ({problem})")


def write_report(report: BuildReport, output: str, fmt: OutputFormat) -> None:
    """Serialize the conforming graphs and write them atomically; nothing is written on failure."""
    if not report.graphs:
        raise KgError("no article could be built; nothing written", source=output)
    write_atomic(output, serialize(report.graphs, fmt))
