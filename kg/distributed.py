"""Scale-out for `kg build --dask local|tcp://HOST:PORT`: article batches built on a Dask cluster.

The design is "merge": the client reads the inputs and ships each batch of articles with its
task (workers read nothing from disk and nothing large is scattered); each worker annotates,
maps, validates and serializes its batch into bytes chunks; the client merges the chunks in
input order into the output file or store, so the bytes equal those of a one-process build.
Every worker process loads the pipeline once and keeps it for the batches that follow, and at
most two batches per worker thread are in flight, so memory stays flat on both sides.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import TYPE_CHECKING

from kg.article import Article
from kg.build import BatchBuilder, BatchOutcome, Job
from kg.errors import KgError

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster

LOCAL = "local"
"""The address that starts a cluster of worker processes on this machine."""
INSTALL_HINT = "pip install 'newskg[dask]'"

_build_lock = threading.Lock()
"""One build at a time per worker process: builders and pipelines are not made for threads."""


@functools.lru_cache(maxsize=8)
def _builder(job: Job) -> BatchBuilder:
    """This worker process's builder for `job`, made by the first batch that needs it.

    The pipeline itself is loaded once per model and process (`build_pipeline` caches it), so
    a long-lived worker serving builds of other jobs keeps only a few small builders besides.
    """
    return BatchBuilder(job)


def _build_batch(job: Job, batch: list[Article]) -> BatchOutcome:
    """The task run on a Dask worker: build `batch` with this process's builder for `job`."""
    with _build_lock:
        return _builder(job).build(batch)


def _distributed() -> ModuleType:
    """The `distributed` package, or a one-line KgError saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise KgError(f"--dask needs Dask: {INSTALL_HINT}") from None
    return distributed


def _start_local(n_workers: int | None) -> LocalCluster:
    """Worker processes on 127.0.0.1, one thread each, no dashboard; one per CPU by default."""
    return _distributed().LocalCluster(
        n_workers=n_workers or os.cpu_count() or 1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        # The scheduler's HTTP routes (health, metrics) even without a dashboard: any free port.
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.ERROR,
    )


def _connect(address: str, timeout: float) -> Client:
    """A client of the scheduler at `address` with at least one worker, else a one-line KgError."""
    distributed = _distributed()
    try:
        # In a thread of its own: the caller may be running an event loop (a notebook).
        with ThreadPoolExecutor(1) as probe:
            probe.submit(asyncio.run, _handshake(distributed, address, timeout)).result()
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except Exception as error:
        raise KgError(_unreachable(address, timeout, error)) from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        client.close()
        message = f"no Dask worker joined the scheduler at {address} within {timeout:g} s"
        raise KgError(message) from None
    return client


async def _handshake(distributed: ModuleType, address: str, timeout: float) -> None:
    """Open and close one connection, all within `timeout`.

    `Client` waits forever for the handshake of a server that is not Dask's (a web server).
    """
    comm = await asyncio.wait_for(distributed.comm.connect(address, timeout=timeout), timeout)
    await comm.close()


def _unreachable(address: str, timeout: float, error: Exception) -> str:
    """Why `address` cannot be used, in one line."""
    if isinstance(error, ValueError):
        return f"bad Dask scheduler address {address!r} (expected tcp://HOST:PORT or local)"
    if isinstance(error, OSError | TimeoutError):
        return f"cannot connect to the Dask scheduler at {address} within {timeout:g} s"
    return f"{address} does not answer as a Dask scheduler ({type(error).__name__})"


class DaskExecutor:
    """Builds batches on a Dask cluster; outcomes come back in input order.

    `address` is "local" (start worker processes here, owned and closed by the executor) or a
    scheduler address such as tcp://host:8786 (workers need the same newskg and model).
    """

    def __init__(
        self, job: Job, address: str, *, n_workers: int | None = None, timeout: float = 10.0
    ) -> None:
        self.job = job
        self.cluster = _start_local(n_workers) if address == LOCAL else None
        try:
            target = self.cluster.scheduler_address if self.cluster is not None else address
            self.client = _connect(target, timeout)
        except BaseException:
            if self.cluster is not None:
                self.cluster.close()
            raise

    def map_batches(self, batches: Iterable[list[Article]]) -> Iterator[BatchOutcome]:
        window = 2 * max(1, sum(self.client.nthreads().values()))
        pending: deque[Future[BatchOutcome]] = deque()
        try:
            for batch in batches:
                pending.append(self.client.submit(_build_batch, self.job, batch, pure=False))
                if len(pending) >= window:
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
        finally:
            if pending:
                self.client.cancel(list(pending))

    @staticmethod
    def _result(future: Future[BatchOutcome]) -> BatchOutcome:
        """The batch's outcome; a worker's own KgError as it is, any other failure as one."""
        try:
            return future.result()
        except KgError:
            raise
        except Exception as error:
            reason = next(iter(str(error).splitlines()), "")
            message = f"a Dask worker failed to build a batch ({type(error).__name__}: {reason})"
            raise KgError(message) from None

    def close(self) -> None:
        """Close the client, and the local cluster if this executor started it."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
