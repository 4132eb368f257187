"""A progress bar on stderr for long builds: articles done and articles per second."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from tqdm import tqdm


@contextmanager
def progress_bar(
    err: TextIO, *, quiet: bool, total: int | None = None, min_interval: float = 0.5
) -> Iterator[Callable[[int], None]]:
    """Yield a callback taking the number of articles just done.

    Silent under `--quiet` and when `err` is not a terminal (logs and pipes stay clean).
    """
    disabled = quiet or not _is_terminal(err)
    with tqdm(
        total=total, file=err, unit=" articles", disable=disabled, leave=False,
        dynamic_ncols=True, mininterval=min_interval, desc="kg build",
    ) as bar:  # fmt: skip
        yield bar.update


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
