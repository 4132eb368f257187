"""Process-level parallelism for `kg build --jobs N`: whole batches built in worker processes.

Each worker loads the pipeline and the shapes once and turns batches of articles into serialized
chunks, so the main process only reads inputs and writes bytes. At most two batches per worker
are in flight: reading never runs ahead of building, and memory stays flat.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from kg.article import Article
from kg.build import BatchBuilder, BatchOutcome, Executor, InProcess, Job
from kg.errors import KgError

_builder: BatchBuilder | KgError | None = None
"""The worker process's builder, made once by `_start_worker` (or why it could not be made)."""


def _start_worker(job: Job) -> None:
    global _builder
    try:
        _builder = BatchBuilder(job)
    except KgError as error:  # e.g. a missing model: reported with the first batch, whole
        _builder = error


def _build_batch(batch: list[Article]) -> BatchOutcome:
    if isinstance(_builder, KgError):
        raise _builder
    assert _builder is not None, "worker not started"
    return _builder.build(batch)


def _preload(job: Job) -> None:
    """Load the pipeline here once, so forked workers share it instead of each loading it."""
    from kg.nlp import build_pipeline

    with contextlib.suppress(KgError):  # each worker reports it again with the first batch
        build_pipeline(job.settings.model)


class ProcessPool:
    """Builds batches in `jobs` worker processes; outcomes come back in input order."""

    def __init__(self, job: Job, jobs: int) -> None:
        # fork shares the already imported modules; spawn where fork does not exist.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        if context.get_start_method() == "fork":
            _preload(job)
        self.jobs = jobs
        self.pool = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_start_worker, initargs=(job,)
        )

    def map_batches(self, batches: Iterable[list[Article]]) -> Iterator[BatchOutcome]:
        pending: deque[Future[BatchOutcome]] = deque()
        try:
            for batch in batches:
                pending.append(self.pool.submit(_build_batch, batch))
                if len(pending) >= 2 * self.jobs:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BrokenProcessPool as error:
            raise KgError(f"a worker process died ({error}); nothing written") from None
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        """Stop the workers; pending batches are dropped."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def make_executor(job: Job, jobs: int) -> Executor:
    """This process for one job, else a pool of `jobs` worker processes."""
    return InProcess(job) if jobs == 1 else ProcessPool(job, jobs)
