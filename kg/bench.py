"""`kg bench`: newskg's throughput next to bare spaCy on the same corpus, model and processes.

In the spirit of `spacy benchmark speed`. Each phase runs in a fresh process, so the peak memory
of one does not hide in the other: first bare `nlp.pipe` over the texts, then the whole build
(reading, spaCy, newskg's extractors, mapping, SHACL, serialization, writing) of the same corpus.
Model loading is outside both timings.
"""

from __future__ import annotations

import json
import multiprocessing
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import cycle, islice
from pathlib import Path
from typing import TextIO

from kg.article import Article
from kg.build import STAGES, Build, BuildSummary, FileSink, Job, freeze_long_lived, peak_rss_kb
from kg.errors import InputError, KgError
from kg.read import read_inputs
from kg.resources import resource_dir
from kg.settings import Settings
from kg.write import ArticleWriter, format_for_path


@dataclass(frozen=True)
class BenchConfig:
    """One benchmark run: which corpus, and how the build is run."""

    corpus: tuple[str, ...]
    settings: Settings
    jobs: int
    output_suffix: str = ".ttl"


def sample_units() -> list[tuple[str, str]]:
    """The shipped sample articles as (file name, content) units: a text file, or one JSON line."""
    units = []
    for path in sorted(resource_dir("articles").iterdir()):
        if path.suffix == ".txt":
            units.append((path.name, path.read_text(encoding="utf-8")))
        elif path.suffix == ".jsonl":
            lines = path.read_text(encoding="utf-8").splitlines()
            units.extend((path.name, line) for line in lines if line.strip())
    return units


def write_sample_corpus(folder: Path, articles: int) -> Path:
    """The sample articles replicated to `articles` files, each copy with its own id."""
    folder.mkdir(parents=True, exist_ok=True)
    units = sample_units()
    for n, (name, content) in enumerate(islice(cycle(units), articles)):
        copy = n // len(units)
        stem, suffix = name.rsplit(".", 1)
        if suffix == "jsonl":
            record = json.loads(content)
            record["id"] = f"{record.get('id') or stem}-copy{copy:05d}"
            content = json.dumps(record, ensure_ascii=False)
        (folder / f"{n:06d}-{stem}-copy{copy:05d}.{suffix}").write_text(content, encoding="utf-8")
    return folder


def _texts(corpus: tuple[str, ...], settings: Settings) -> Iterator[str]:
    for item in read_inputs(corpus, published=settings.published):
        if isinstance(item, Article):
            yield item.text


def bare_spacy(config: BenchConfig) -> dict[str, float]:
    """Bare `nlp.pipe` over the corpus texts: the same model and process count, no newskg."""
    import spacy

    nlp = spacy.load(config.settings.model)
    texts = list(_texts(config.corpus, config.settings))
    freeze_long_lived()  # as `kg build` does once loaded: the ratio compares work, not the GC
    started = time.perf_counter()
    docs = tokens = 0
    pipe = nlp.pipe(texts, batch_size=config.settings.batch_size, n_process=config.jobs)
    for doc in pipe:
        docs += 1
        tokens += len(doc)
    seconds = time.perf_counter() - started
    return {"docs": docs, "tokens": tokens, "seconds": seconds, "peak_rss_kb": peak_rss_kb()}


def kg_build(config: BenchConfig) -> dict[str, object]:
    """The whole build of the corpus into a temporary file, as `kg build --jobs N` runs it."""
    from kg.nlp import build_pipeline
    from kg.parallel import make_executor

    build_pipeline(config.settings.model)  # loaded before the clock starts (workers inherit it)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as folder:
        output = Path(folder) / f"bench{config.output_suffix}"
        fmt = format_for_path(str(output))
        job = Job(config.settings, fmt=fmt.name if fmt.streams else None, ntriples=not fmt.streams)
        executor = make_executor(job, config.jobs)
        try:
            with ArticleWriter(output, fmt) as writer:
                build = Build(config.settings, executor, [FileSink(writer)])
                started = time.perf_counter()
                summary = build.run(list(config.corpus))
                writer.commit()
                seconds = time.perf_counter() - started
            size = output.stat().st_size
        finally:
            executor.close()
    return {"summary": summary, "seconds": seconds, "bytes": size, "peak_rss_kb": peak_rss_kb()}


def _in_fresh_process(function: object, config: BenchConfig) -> dict:
    """Run one phase in a new process, so each phase's peak memory is its own."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(function, config).result()  # type: ignore[arg-type]


def run_bench(config: BenchConfig) -> dict[str, object]:
    """Both phases; the numbers `kg bench` prints."""
    spacy_run = _in_fresh_process(bare_spacy, config)
    kg_run = _in_fresh_process(kg_build, config)
    summary: BuildSummary = kg_run["summary"]
    if summary.articles == 0:
        raise KgError("no article of the corpus could be built", source=" ".join(config.corpus))
    spacy_docs_per_s = spacy_run["docs"] / spacy_run["seconds"]
    kg_docs_per_s = summary.articles / kg_run["seconds"]
    workers_kb = sum(summary.worker_peak_rss_kb.values()) if config.jobs > 1 else 0
    total_stage = sum(summary.seconds.values()) or 1.0
    return {
        "articles": summary.articles,
        "failed": len(summary.problems),
        "tokens": summary.tokens,
        "jobs": config.jobs,
        "batch_size": config.settings.batch_size,
        "model": config.settings.model,
        "spacy_docs_per_s": round(spacy_docs_per_s, 2),
        "spacy_tokens_per_s": round(spacy_run["tokens"] / spacy_run["seconds"]),
        "kg_docs_per_s": round(kg_docs_per_s, 2),
        "kg_tokens_per_s": round(summary.tokens / kg_run["seconds"]),
        "ratio": round(kg_docs_per_s / spacy_docs_per_s, 3),
        "spacy_seconds": round(spacy_run["seconds"], 2),
        "kg_seconds": round(kg_run["seconds"], 2),
        "triples": summary.triples,
        "triples_per_s": round(summary.triples / kg_run["seconds"]),
        "output_mb": round(kg_run["bytes"] / 2**20, 1),
        "peak_rss_mb": round((kg_run["peak_rss_kb"] + workers_kb) / 1024, 1),
        "main_rss_mb": round(kg_run["peak_rss_kb"] / 1024, 1),
        "spacy_peak_rss_mb": round(spacy_run["peak_rss_kb"] / 1024, 1),
        "stage_seconds": {s: round(summary.seconds.get(s, 0.0), 3) for s in STAGES},
        "stage_share": {s: round(summary.seconds.get(s, 0.0) / total_stage, 4) for s in STAGES},
    }


def format_table(result: dict) -> str:
    """The human-readable table printed above the JSON line."""
    rows = [
        f"corpus: {result['articles']} articles, {result['tokens']:,} tokens; "
        f"model {result['model']}; {result['jobs']} process(es), batch {result['batch_size']}",
        "",
        f"{'':22}{'docs/s':>10}{'tokens/s':>12}{'seconds':>10}",
        f"{'spaCy nlp.pipe':22}{result['spacy_docs_per_s']:>10.2f}"
        f"{result['spacy_tokens_per_s']:>12,}{result['spacy_seconds']:>10.2f}",
        f"{'kg build':22}{result['kg_docs_per_s']:>10.2f}"
        f"{result['kg_tokens_per_s']:>12,}{result['kg_seconds']:>10.2f}",
        f"{'ratio':22}{result['ratio']:>10.3f}",
        "",
        f"{'stage':22}{'seconds':>10}{'share':>10}",
    ]
    for stage in STAGES:
        rows.append(
            f"{stage:22}{result['stage_seconds'][stage]:>10.2f}"
            f"{100 * result['stage_share'][stage]:>9.1f}%"
        )
    rows += [
        "",
        f"triples: {result['triples']:,} ({result['triples_per_s']:,}/s), "
        f"output {result['output_mb']} MB",
        f"peak RSS: {result['peak_rss_mb']} MB (main {result['main_rss_mb']} MB"
        + (", plus the workers'" if result["jobs"] > 1 else "")
        + f"); bare spaCy {result['spacy_peak_rss_mb']} MB",
    ]
    return "\n".join(rows)


def bench(
    *,
    articles: int,
    corpus: tuple[str, ...],
    settings: Settings,
    jobs: int,
    output_suffix: str,
    out: TextIO,
) -> dict[str, object]:
    """Run `kg bench`: print the table, then the JSON line; return the numbers."""
    with tempfile.TemporaryDirectory(prefix="kg-bench-corpus-") as folder:
        if not corpus:
            corpus = (str(write_sample_corpus(Path(folder) / "corpus", articles)),)
        for name in corpus:
            if not Path(name).exists():
                raise InputError("no such file or folder", source=name)
        config = BenchConfig(corpus, settings, jobs, output_suffix)
        result = run_bench(config)
    print(format_table(result), file=out)
    print(json.dumps(result, sort_keys=True), file=out)
    return result
