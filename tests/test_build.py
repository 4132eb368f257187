"""The streaming build: batches, worker processes, order, bounded reading, atomic output."""

from __future__ import annotations

import io
import json
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.article import Article
from kg.bench import format_table, write_sample_corpus
from kg.build import Build, FileSink, InProcess, Job, StrictStop, batched
from kg.cli import main
from kg.errors import KgError, ModelError, ValidationError
from kg.parallel import ProcessPool
from kg.progress import progress_bar
from kg.read import read_inputs
from kg.settings import Settings
from kg.write import FORMATS, ArticleWriter

STORIES = {
    "harbour-strike": (
        "PORTVALE, Estonia (AP) — Dockworkers in Portvale went on strike on Monday, and police "
        "arrested 14 protesters outside the harbour office, officials said."
    ),
    "ministers-meet": (
        "VILNIUS, Lithuania (AP) — Lithuanian Foreign Minister Rasa Kelmė met her Latvian "
        "counterpart in Vilnius on Tuesday to discuss energy links."
    ),
    "aid-pledge": (
        "GENEVA (AP) — The European Union pledged 40 million euros in aid to Sudan on Wednesday, "
        "the European Commission said."
    ),
    "envoy-call": (
        "ANKARA, Turkey (AP) — Turkey's president spoke by phone with the Iraqi prime minister "
        "on Thursday about water rights, his office said."
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for n, (name, text) in enumerate(STORIES.items()):
        (folder / f"{name}.txt").write_text(f"[March {n + 3}, 2025]\n\n{text}\n", encoding="utf-8")
    return folder


def build_bytes(tmp_path: Path, corpus: Path, name: str, *options: str) -> bytes:
    out = tmp_path / name
    assert main(["build", str(corpus), "-o", str(out), "-q", *options]) == 0
    return out.read_bytes()


def test_two_processes_and_any_batch_size_give_the_same_bytes(tmp_path: Path, corpus: Path) -> None:
    one = build_bytes(tmp_path, corpus, "one.nq")
    assert one.count(b"\n") > 100
    assert build_bytes(tmp_path, corpus, "two.nq", "--jobs", "2", "--batch-size", "1") == one
    assert build_bytes(tmp_path, corpus, "small.nq", "--batch-size", "3") == one


def test_articles_come_out_in_input_order(tmp_path: Path, corpus: Path) -> None:
    text = build_bytes(tmp_path, corpus, "out.ttl", "--jobs", "2", "--batch-size", "1").decode()
    order = [
        line.split("/article/")[1].rstrip(">")
        for line in text.splitlines()
        if line.startswith("# article ")
    ]
    assert order == sorted(STORIES)  # files are read in sorted order


class Recording:
    """Batches handed out, counted, so a test sees how far reading runs ahead of building."""

    def __init__(self, batches: Iterator[list[Article]]) -> None:
        self.batches = batches
        self.pulled = 0

    def __iter__(self) -> Iterator[list[Article]]:
        for batch in self.batches:
            self.pulled += 1
            yield batch


def test_a_pool_reads_at_most_two_batches_per_worker_ahead(corpus: Path) -> None:
    articles = [a for a in read_inputs([str(corpus)]) if isinstance(a, Article)] * 3
    batches = Recording(batched(articles, 1))
    pool = ProcessPool(Job(Settings(), fmt="nquads"), 2)
    try:
        ahead = []
        for n, outcome in enumerate(pool.map_batches(batches), start=1):
            assert outcome.articles[0].problem is None
            ahead.append(batches.pulled - n)
    finally:
        pool.close()
    assert len(ahead) == len(articles)
    assert max(ahead) <= 3  # 2 x 2 workers in flight, one of them just returned


def test_a_missing_model_in_a_worker_is_one_error_not_a_hang(corpus: Path) -> None:
    articles = [a for a in read_inputs([str(corpus)]) if isinstance(a, Article)]
    pool = ProcessPool(Job(Settings(model="no_such_model_xyz"), fmt="nquads"), 2)
    try:
        with pytest.raises(ModelError, match="no_such_model_xyz"):
            list(pool.map_batches(batched(articles, 1)))
    finally:
        pool.close()


class FailingSink:
    """Takes two articles, then fails like a full disk."""

    def __init__(self) -> None:
        self.taken = 0

    def take(self, outcome: object) -> None:
        self.taken += 1
        if self.taken > 2:
            raise KgError("disk full", source="sink")


def test_a_failure_mid_build_leaves_the_old_output_and_no_temporary(
    tmp_path: Path, corpus: Path
) -> None:
    out = tmp_path / "out.nq"
    out.write_bytes(b"old\n")
    settings = Settings(batch_size=1)
    with pytest.raises(KgError, match="disk full"), ArticleWriter(out, FORMATS["nquads"]) as writer:
        sinks = [FileSink(writer), FailingSink()]
        Build(settings, InProcess(Job(settings, fmt="nquads")), sinks).run([str(corpus)])
        writer.commit()
    assert out.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nq"]


def test_strict_stops_at_a_bad_article_and_writes_nothing(tmp_path: Path, corpus: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for path in corpus.iterdir():
        (inputs / path.name).write_bytes(path.read_bytes())
    (inputs / "broken.txt").write_bytes(b"\xff\xfe not text")
    out = tmp_path / "out.ttl"
    err = io.StringIO()
    assert main(["build", str(inputs), "-o", str(out), "--strict"], err=err) == 2
    assert not out.exists() and "broken.txt" in err.getvalue()
    assert main(["build", str(inputs), "-o", str(out), "-q"], err=io.StringIO()) == 1
    assert out.read_bytes().count(b"# article ") == len(STORIES)


def test_strict_stop_is_raised_by_the_build(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"text": 3}\n', encoding="utf-8")
    settings = Settings(strict=True)
    build = Build(settings, InProcess(Job(settings, fmt=None)), [], err=io.StringIO())
    with pytest.raises(StrictStop):
        build.run([str(tmp_path / "bad.jsonl"), str(corpus)])


def test_json_ld_is_written_whole_and_parses(tmp_path: Path, corpus: Path) -> None:
    data = build_bytes(tmp_path, corpus, "out.jsonld", "--jobs", "2")
    triples = set(ox.parse(data, format=ox.RdfFormat.JSON_LD))
    nq = build_bytes(tmp_path, corpus, "out.nq")
    assert {q.triple for q in triples} == {
        q.triple for q in ox.parse(nq, format=ox.RdfFormat.N_QUADS)
    }
    assert set(json.loads(data)) == {"@context", "@graph"}


def test_errors_survive_the_trip_from_a_worker() -> None:
    error = pickle.loads(pickle.dumps(ValidationError("bad", source="a.txt", report="x\ny")))
    assert isinstance(error, ValidationError)
    assert (str(error), error.report, error.source) == ("a.txt: bad", "x\ny", "a.txt")


FREEZE_CHECK = """
import gc
from kg.build import BatchBuilder, Job, freeze_long_lived
from kg.settings import Settings
assert gc.get_freeze_count() == 0
BatchBuilder(Job(Settings()))
frozen = gc.get_freeze_count()
assert frozen > 10_000, frozen  # the model and the shapes
garbage = [[] for _ in range(1000)]
freeze_long_lived()
assert gc.get_freeze_count() == frozen, "froze a second time"
"""


def test_a_builder_freezes_the_long_lived_objects_once_per_process() -> None:
    done = subprocess.run([sys.executable, "-c", FREEZE_CHECK], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only() -> None:
    for stream, quiet, shown in (
        (Terminal(), False, True),
        (Terminal(), True, False),
        (io.StringIO(), False, False),
    ):
        with progress_bar(stream, quiet=quiet, min_interval=0) as advance:
            advance(3)
            advance(2)
        assert ("3 articles [" in stream.getvalue()) == shown, stream.getvalue()
        assert ("articles/s" in stream.getvalue()) == shown


def test_sample_corpus_replicates_with_distinct_ids(tmp_path: Path) -> None:
    folder = write_sample_corpus(tmp_path / "c", 25)
    articles = [a for a in read_inputs([str(folder)]) if isinstance(a, Article)]
    assert len(articles) == 25
    assert len({a.id for a in articles}) == 25
    assert not any(a.id.endswith("-2") for a in articles)  # no id needed disambiguating


def test_bench_table_shows_every_stage() -> None:
    stages = ("reading", "spacy", "extractors", "mapping", "shacl", "serialization", "writing")
    result = {
        "articles": 10, "tokens": 4000, "model": "m", "jobs": 1, "batch_size": 32,
        "spacy_docs_per_s": 20.0, "spacy_tokens_per_s": 8000, "spacy_seconds": 0.5,
        "kg_docs_per_s": 10.0, "kg_tokens_per_s": 4000, "kg_seconds": 1.0, "ratio": 0.5,
        "stage_seconds": dict.fromkeys(stages, 0.1), "stage_share": dict.fromkeys(stages, 1 / 7),
        "triples": 900, "triples_per_s": 900, "output_mb": 0.1, "peak_rss_mb": 300.0,
        "main_rss_mb": 300.0, "spacy_peak_rss_mb": 250.0,
    }  # fmt: skip
    table = format_table(result)
    for stage in stages:
        assert f"\n{stage} " in table
    assert "ratio" in table and "0.500" in table and "14.3%" in table


def test_kg_bench_runs_both_phases_and_ends_with_the_json_line(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    assert main(["bench", str(corpus), "--output-format", ".nq"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["articles"] == len(STORIES) and result["failed"] == 0
    assert result["ratio"] == pytest.approx(
        result["kg_docs_per_s"] / result["spacy_docs_per_s"], rel=0.01
    )
    assert sum(result["stage_share"].values()) == pytest.approx(1.0, abs=0.01)
    assert result["stage_seconds"]["spacy"] > 0 and result["peak_rss_mb"] > 50
    assert result["triples"] > 100 and any("spaCy nlp.pipe" in line for line in lines)


def test_kg_build_on_a_local_dask_cluster_writes_the_same_bytes(
    tmp_path: Path, corpus: Path
) -> None:
    one = build_bytes(tmp_path, corpus, "one.ttl")
    assert build_bytes(tmp_path, corpus, "dask.ttl", "--dask", "local", "--jobs", "2") == one
