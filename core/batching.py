"""Micro-batching: many concurrent single-item calls become one batched engine call.

Engines (model forward passes) cost far less per item on a batch than one by one, while the gateway
serves requests one at a time from worker threads. A `MicroBatcher` sits between them: callers hand
it one item each and block on (or await) their own result; one worker thread gathers what is waiting
into a batch and calls the engine once.

    embed = MicroBatcher(model.embed_many, max_batch=64, max_wait_ms=2, name="embed")
    vector = embed(text)                # from a worker thread
    vector = await embed.acall(text)    # from the event loop, without blocking it
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger(__name__)


class BatcherClosed(RuntimeError):
    """The batcher was closed before the item was dispatched, or the item came after close()."""


class BatchSizeMismatch(RuntimeError):
    """The batch function returned a different number of results than it was given items.

    A bug in the engine wrapper, not a fault of any one request, so every item of the batch fails.
    """


@dataclass(frozen=True, slots=True)
class BatchStats:
    batches: int
    """Batches dispatched (a batch retried item by item still counts once)."""
    items: int
    """Items dispatched; `items / batches` is the mean batch size."""
    largest_batch: int
    split_batches: int
    """Batches whose call raised and were retried item by item (each such batch costs n+1 calls)."""


@dataclass(slots=True)
class _Pending(Generic[T, R]):
    item: T
    future: Future[R]
    arrived: float


class MicroBatcher(Generic[T, R]):
    """Collects single items into calls of `fn(items) -> results` (same length, same order).

    A batch is dispatched when it holds `max_batch` items or `max_wait_ms` after its first item
    arrived, whichever comes first. `max_wait_ms=0` dispatches whatever is queued as soon as the
    worker is free, so items that arrive while `fn` runs form the next batch (continuous batching).
    """

    def __init__(
        self,
        fn: Callable[[list[T]], Sequence[R]],
        *,
        max_batch: int = 32,
        max_wait_ms: float = 2.0,
        name: str = "",
    ) -> None:
        if max_batch < 1:
            raise ValueError(f"max_batch must be at least 1, got {max_batch}")
        if max_wait_ms < 0:
            raise ValueError(f"max_wait_ms must not be negative, got {max_wait_ms}")
        self.fn = fn
        self.max_batch = max_batch
        self.max_wait_s = max_wait_ms / 1000.0
        self.name = name or getattr(fn, "__qualname__", "batcher")
        self._queue: deque[_Pending[T, R]] = deque()
        self._cond = threading.Condition(threading.Lock())
        self._closed = False
        self._batches = self._items = self._largest = self._split = 0
        self._worker = threading.Thread(target=self._run, name=f"batcher-{self.name}", daemon=True)
        self._worker.start()

    def __repr__(self) -> str:
        return (
            f"MicroBatcher({self.name!r}, max_batch={self.max_batch},"
            f" max_wait_ms={self.max_wait_s * 1000:g})"
        )

    # -- callers ---------------------------------------------------------------------------------

    def submit(self, item: T) -> Future[R]:
        future: Future[R] = Future()
        with self._cond:
            if self._closed:
                raise BatcherClosed(f"batcher {self.name!r} is closed")
            self._queue.append(_Pending(item, future, time.monotonic()))
            # The worker only waits for "something queued" or "a full batch"; waking it for any
            # other arrival would just cost a context switch per item under load.
            if len(self._queue) == 1 or len(self._queue) >= self.max_batch:
                self._cond.notify()
        return future

    def __call__(self, item: T) -> R:
        return self.submit(item).result()

    async def acall(self, item: T) -> R:
        # wrap_future cancels the concurrent future when the awaiting task is cancelled, so a
        # cancelled request that is still queued never reaches fn.
        return await asyncio.wrap_future(self.submit(item))

    @property
    def stats(self) -> BatchStats:
        with self._cond:
            return BatchStats(self._batches, self._items, self._largest, self._split)

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self, *, wait: bool = True) -> None:
        """Stop taking items and fail the queued ones. A batch already inside fn still completes.

        `wait` joins the worker, i.e. waits for that in-flight batch (never from fn itself).
        """
        self._shutdown(BatcherClosed(f"batcher {self.name!r} was closed before the item ran"))
        if wait and threading.current_thread() is not self._worker:
            self._worker.join()

    def __enter__(self) -> MicroBatcher[T, R]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- worker ----------------------------------------------------------------------------------

    def _shutdown(self, error: BaseException) -> None:
        with self._cond:
            self._closed = True
            stranded = list(self._queue)
            self._queue.clear()
            self._cond.notify_all()
        for pending in stranded:
            if pending.future.set_running_or_notify_cancel():
                pending.future.set_exception(error)

    def _run(self) -> None:
        batch: list[_Pending[T, R]] | None = None
        try:
            while (batch := self._next_batch()) is not None:
                self._dispatch(batch)
        except BaseException as exc:
            # Only reachable through a bug here or a BaseException (SystemExit, ...) out of fn;
            # without this every caller would block forever on a future that nobody resolves.
            error = BatcherClosed(f"batcher {self.name!r} worker died: {exc!r}")
            for pending in batch or ():
                if not pending.future.done():
                    pending.future.set_exception(error)
            self._shutdown(error)
            raise

    def _next_batch(self) -> list[_Pending[T, R]] | None:
        """Blocks until a batch is due; None once closed."""
        with self._cond:
            while True:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return None
                # Measured from the first item's arrival, not from when the worker got free, so an
                # item that waited behind a running batch is dispatched at once.
                deadline = self._queue[0].arrived + self.max_wait_s
                while len(self._queue) < self.max_batch and not self._closed:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(remaining)
                if self._closed:
                    return None
                batch: list[_Pending[T, R]] = []
                while self._queue and len(batch) < self.max_batch:
                    pending = self._queue.popleft()
                    # Marks the future running, so it can no longer be cancelled; a cancelled one
                    # is dropped here and does not take a slot in the batch.
                    if pending.future.set_running_or_notify_cancel():
                        batch.append(pending)
                if batch:
                    self._batches += 1
                    self._items += len(batch)
                    self._largest = max(self._largest, len(batch))
                    return batch

    def _dispatch(self, batch: list[_Pending[T, R]]) -> None:
        # Futures are resolved outside the lock: their callbacks run synchronously here and may
        # well submit again.
        try:
            results = self._call([p.item for p in batch])
        except BatchSizeMismatch as exc:
            for pending in batch:
                pending.future.set_exception(exc)
            return
        except Exception as exc:
            if len(batch) == 1:
                batch[0].future.set_exception(exc)
                return
            # One bad item (too long, undecodable, ...) must not fail the requests that happened
            # to share its batch: find the culprits by running each item alone.
            log.warning(
                # The type only: an exception's message may quote an item (a text), never to be logged.
                "batcher %r: batch of %d raised %s; retrying items one by one",
                self.name,
                len(batch),
                type(exc).__name__,
            )
            with self._cond:
                self._split += 1
            for pending in batch:
                try:
                    (result,) = self._call([pending.item])
                except Exception as item_exc:
                    pending.future.set_exception(item_exc)
                else:
                    pending.future.set_result(result)
            return
        for pending, result in zip(batch, results, strict=True):
            pending.future.set_result(result)

    def _call(self, items: list[T]) -> list[R]:
        results = list(self.fn(items))
        if len(results) != len(items):
            raise BatchSizeMismatch(
                f"batcher {self.name!r}: fn returned {len(results)} results for {len(items)} items"
            )
        return results
