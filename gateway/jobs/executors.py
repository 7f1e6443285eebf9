"""Executors run `ObjectWork` over a stream of items and stream the outcomes back.

The contract (`Executor.map`) is what keeps memory bounded: items are pulled from the listing only as
fast as outcomes come back, so at most a window of objects is in flight whatever the job's size.
Outcomes come back to the job's driver thread, the only writer of that job's records.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol, TypeVar

from core.settings import Settings
from gateway.jobs.store import Outcome
from gateway.jobs.work import ObjectWork, WorkItem

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Successive lists of `size` items (the last shorter), pulled from `items` only as needed."""
    iterator = iter(items)
    while page := list(itertools.islice(iterator, size)):
        yield page


class Executor(Protocol):
    def map(self, work: ObjectWork, items: Iterable[WorkItem]) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


class LocalExecutor:
    """A thread pool shared by every job of the engine: model calls release the GIL (ONNX, fastText,
    spaCy's Cython) and storage calls wait on I/O, so threads overlap both."""

    def __init__(self, workers: int, window: int) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="aigw-job")
        self._window = max(window, 1)

    def map(self, work: ObjectWork, items: Iterable[WorkItem]) -> Iterator[Outcome]:
        in_flight: deque[Future[Outcome]] = deque()
        for item in items:
            in_flight.append(self._pool.submit(work, item))
            if len(in_flight) >= self._window:
                yield in_flight.popleft().result()
        while in_flight:  # stopping or done: what was started is finished and reported, never dropped
            yield in_flight.popleft().result()

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def make_executor(settings: Settings) -> Executor:
    if settings.jobs.executor == "ray":
        from gateway.jobs.ray_executor import RayExecutor

        return RayExecutor(settings.jobs)
    return LocalExecutor(settings.jobs.workers, settings.jobs.window)
