"""`kg build --dask`: batches built on a Dask cluster give the bytes of a one-process build."""

from __future__ import annotations

import json
import re
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import distributed
import pyoxigraph as ox
import pytest

import kg.distributed
from kg.article import Article
from kg.build import Build, BuildSummary, Executor, FileSink, InProcess, Job
from kg.distributed import INSTALL_HINT, DaskExecutor
from kg.errors import KgError, ModelError
from kg.read import read_inputs
from kg.settings import Settings
from kg.write import FORMATS, ArticleWriter

# One article per batch, so that five batches spread over both workers.
SETTINGS = Settings(batch_size=1)
JOB = Job(SETTINGS, fmt="nquads")

ARTICLES = [
    {
        "id": "harbor-arrest",
        "headline": "Police in Chile arrest Danish sailor",
        "published": "2025-04-03",
        "text": "VALPARAISO, Chile (AP) — Chilean police arrested Danish sailor Jens Mortensen "
        "on Tuesday after a brawl in the port, a police spokeswoman, Carla Fuentes, said. "
        "Denmark's embassy in Santiago asked to see him.",
    },
    {
        "id": "lakeside-talks",
        "headline": "Kenyan and Ugandan ministers meet over fishing rights",
        "published": "2025-05-19",
        "text": "KAMPALA, Uganda (AP) — Kenya's Foreign Minister Amina Otieno met Ugandan "
        "Foreign Minister Henry Okello in Kampala on Monday to settle a dispute over fishing "
        "on Lake Victoria. The two agreed to meet again in Nairobi in June.",
    },
    {
        "id": "border-detention",
        "headline": "Georgia detains Armenian journalist at border",
        "published": "2025-06-07",
        "text": "TBILISI, Georgia (AP) — Georgian border guards detained Armenian journalist "
        "Anahit Sargsyan on Friday as she tried to enter the country, her editor, Levon "
        "Petrosyan, said. Armenia demanded her release.",
    },
    {
        "id": "summit-visit",
        "headline": "Portuguese president visits Brazil",
        "published": "2025-07-22",
        "text": "BRASILIA, Brazil (AP) — Portuguese President Miguel Tavares met Brazilian "
        "President Lucia Andrade in Brasilia on Tuesday, and the two leaders signed a trade "
        "agreement. Tavares will travel to Sao Paulo on Wednesday.",
    },
]
TEXT_ARTICLE = """Polish court sentences Belarusian activist
[August 14, 2025]
WARSAW, Poland (AP) — A court in Warsaw sentenced Belarusian activist Pavel Lenski to
two years in prison on Thursday for attacking a police officer, his lawyer, Ewa Nowak,
said. Belarus called the verdict political.
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("articles")
    lines = "".join(json.dumps(article) + "\n" for article in ARTICLES)
    (folder / "briefs.jsonl").write_text(lines, encoding="utf-8")
    (folder / "warsaw-verdict.txt").write_text(TEXT_ARTICLE, encoding="utf-8")
    return [str(folder)]


@pytest.fixture(scope="module")
def local() -> Iterator[DaskExecutor]:
    """A local cluster of two worker processes, shared by the tests (each loads the model once)."""
    executor = DaskExecutor(JOB, "local", n_workers=2)
    yield executor
    executor.close()


@pytest.fixture(scope="module")
def one_process(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("one") / "out.nq"
    executor = InProcess(JOB)
    summary = build(executor, inputs, out)
    assert summary.articles == 5 and not summary.problems
    return out.read_bytes()


@pytest.fixture(scope="module")
def read(inputs: list[str]) -> list[Article]:
    items = list(read_inputs(inputs))
    assert all(isinstance(item, Article) for item in items)
    return items


def build(executor: Executor, inputs: list[str], out: Path) -> BuildSummary:
    with ArticleWriter(out, FORMATS["nquads"]) as writer:
        summary = Build(SETTINGS, executor, [FileSink(writer)]).run(inputs)
        writer.commit()
    return summary


def quads(data: bytes) -> set[ox.Quad]:
    return set(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def test_local_cluster_gives_the_bytes_of_one_process(
    local: DaskExecutor, inputs: list[str], one_process: bytes, tmp_path: Path
) -> None:
    summary = build(local, inputs, tmp_path / "out.nq")
    data = (tmp_path / "out.nq").read_bytes()
    assert summary.articles == 5 and not summary.problems
    assert len(summary.worker_peak_rss_kb) == 2, "both workers built batches"
    assert quads(data) == quads(one_process)
    assert data == one_process


def test_a_scheduler_address_gives_the_same_bytes_on_warm_workers(
    local: DaskExecutor, inputs: list[str], one_process: bytes, tmp_path: Path
) -> None:
    """A second client of a running cluster: its workers build with the builders they made."""
    build(local, inputs, tmp_path / "warm.nq")
    builders_made = local.client.run(lambda: kg.distributed._builder.cache_info().misses)
    remote = DaskExecutor(JOB, local.client.scheduler.address)
    try:
        assert remote.cluster is None
        build(remote, inputs, tmp_path / "out.nq")
    finally:
        remote.close()
    assert (tmp_path / "out.nq").read_bytes() == one_process
    assert local.client.run(lambda: kg.distributed._builder.cache_info().misses) == builders_made
    assert local.client.nthreads(), "closing a client leaves the cluster it joined running"


def test_a_model_that_cannot_load_on_the_workers_is_a_kg_error(
    local: DaskExecutor, read: list[Article]
) -> None:
    address = local.client.scheduler.address
    broken = DaskExecutor(Job(Settings(model="no_such_pipeline_xyz"), fmt="nquads"), address)
    try:
        with pytest.raises(ModelError, match="no_such_pipeline_xyz"):
            list(broken.map_batches([read[:1], read[1:2]]))
    finally:
        broken.close()


def test_any_other_worker_failure_is_one_kg_error(local: DaskExecutor, read: list[Article]) -> None:
    address = local.client.scheduler.address
    broken = DaskExecutor(Job(SETTINGS, fmt="no-such-format"), address)
    try:
        with pytest.raises(KgError, match="Dask worker failed to build a batch") as caught:
            list(broken.map_batches([read[:2]]))
    finally:
        broken.close()
    assert type(caught.value) is KgError and "\n" not in str(caught.value)


def test_no_scheduler_at_the_address_is_one_kg_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(KgError, match="cannot connect to the Dask scheduler") as caught:
        DaskExecutor(JOB, f"tcp://127.0.0.1:{port}", timeout=1)
    assert "\n" not in str(caught.value)


def test_a_server_that_never_answers_is_a_kg_error_not_a_hang() -> None:
    """Dask's own handshake waits forever on, say, a web server that awaits a request line."""
    with socket.create_server(("127.0.0.1", 0)) as silent:
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(KgError, match="cannot connect to the Dask scheduler"):
            DaskExecutor(JOB, address, timeout=1)


def test_an_address_that_is_not_one_is_a_kg_error() -> None:
    with pytest.raises(KgError, match="bad Dask scheduler address 'udp://host:1'"):
        DaskExecutor(JOB, "udp://host:1")


def test_a_scheduler_without_workers_is_one_kg_error() -> None:
    with (
        distributed.LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=None) as empty,
        pytest.raises(KgError, match="no Dask worker joined"),
    ):
        DaskExecutor(JOB, empty.scheduler_address, timeout=1)


def test_without_dask_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(KgError, match=re.escape(INSTALL_HINT)):
        DaskExecutor(JOB, "local")
