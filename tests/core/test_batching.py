"""MicroBatcher under real concurrency: real threads, a real event loop, no mocks.

Batch composition is made deterministic with events (a gate that holds the worker inside fn while
the next items queue up) or with a long max_wait that a full batch cuts short, never with sleeps.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, ThreadPoolExecutor

import pytest

from core.batching import BatcherClosed, BatchSizeMismatch, MicroBatcher

TIMEOUT = 5.0


class Recorder:
    """fn = lambda xs: [x * 2 for x in xs], keeping every batch it was called with.

    With `gated`, the first call signals `entered` and blocks until `release` is set, so a test can
    queue items behind a batch that is known to be running.
    """

    def __init__(self, *, gated: bool = False, poison: frozenset[int] = frozenset()) -> None:
        self.batches: list[list[int]] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        self.gated = gated
        self.poison = poison
        self._lock = threading.Lock()

    def __call__(self, xs: list[int]) -> list[int]:
        with self._lock:
            self.batches.append(list(xs))
            first = len(self.batches) == 1
        if self.gated and first:
            self.entered.set()
            assert self.release.wait(TIMEOUT)
        for x in xs:
            if x in self.poison:
                raise ValueError(f"bad item {x}")
        return [x * 2 for x in xs]

    @property
    def items(self) -> list[int]:
        return [x for batch in self.batches for x in batch]


@pytest.fixture
def make() -> Iterator[Callable[..., MicroBatcher[int, int]]]:
    made: list[MicroBatcher[int, int]] = []

    def factory(fn: Callable[[list[int]], list[int]], **kwargs: float) -> MicroBatcher[int, int]:
        batcher: MicroBatcher[int, int] = MicroBatcher(fn, **kwargs)  # type: ignore[arg-type]
        made.append(batcher)
        return batcher

    yield factory
    for batcher in made:
        batcher.close()


def call_from_threads(batcher: MicroBatcher[int, int], items: list[int]) -> list[int]:
    """Calls batcher(x) for every x, each from its own thread, all released at once."""
    barrier = threading.Barrier(len(items))

    def one(x: int) -> int:
        barrier.wait(TIMEOUT)
        return batcher(x)

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(one, items, timeout=TIMEOUT))


def test_concurrent_calls_share_batches_and_get_their_own_results(make) -> None:
    fn = Recorder()
    # A long wait that the full batch cuts short: all 64 callers land in few (usually one) calls.
    batcher = make(fn, max_batch=64, max_wait_ms=1000)
    items = list(range(64))

    assert call_from_threads(batcher, items) == [x * 2 for x in items]
    assert len(fn.batches) < len(items)
    assert sorted(fn.items) == items
    stats = batcher.stats
    assert (stats.batches, stats.items, stats.split_batches) == (len(fn.batches), 64, 0)
    assert stats.largest_batch == max(map(len, fn.batches))


def test_max_batch_is_respected(make) -> None:
    fn = Recorder()
    batcher = make(fn, max_batch=4, max_wait_ms=50)
    items = list(range(40))

    assert call_from_threads(batcher, items) == [x * 2 for x in items]
    assert all(1 <= len(batch) <= 4 for batch in fn.batches)
    assert len(fn.batches) >= 10
    assert sorted(fn.items) == items
    assert batcher.stats.largest_batch <= 4


def test_fn_receives_items_in_arrival_order(make) -> None:
    fn = Recorder()
    batcher = make(fn, max_batch=10, max_wait_ms=5000)

    futures = [batcher.submit(x) for x in [5, 3, 9, 0, 7, 1, 8, 2, 6, 4]]

    assert [f.result(TIMEOUT) for f in futures] == [10, 6, 18, 0, 14, 2, 16, 4, 12, 8]
    assert fn.batches == [[5, 3, 9, 0, 7, 1, 8, 2, 6, 4]]


def test_items_queued_while_fn_runs_form_the_next_batch(make) -> None:
    fn = Recorder(gated=True)
    batcher = make(fn, max_wait_ms=0)

    first = batcher.submit(100)
    assert fn.entered.wait(TIMEOUT)
    queued = [batcher.submit(x) for x in range(5)]
    fn.release.set()

    assert first.result(TIMEOUT) == 200
    assert [f.result(TIMEOUT) for f in queued] == [0, 2, 4, 6, 8]
    assert fn.batches == [[100], [0, 1, 2, 3, 4]]


def test_poisoned_items_fail_only_their_own_callers(make) -> None:
    fn = Recorder(poison=frozenset({3, 7}))
    batcher = make(fn, max_batch=10, max_wait_ms=5000)

    futures = [batcher.submit(x) for x in range(10)]

    for x, future in enumerate(futures):
        if x in (3, 7):
            with pytest.raises(ValueError, match=f"^bad item {x}$"):
                future.result(TIMEOUT)
        else:
            assert future.result(TIMEOUT) == x * 2
    assert fn.batches[0] == list(range(10))
    assert fn.batches[1:] == [[x] for x in range(10)]
    assert batcher.stats.split_batches == 1
    assert batcher.stats.batches == 1


def test_lone_failing_item_is_not_retried(make) -> None:
    fn = Recorder(poison=frozenset({1}))
    batcher = make(fn, max_wait_ms=0)

    with pytest.raises(ValueError, match="bad item 1"):
        batcher(1)
    assert fn.batches == [[1]]
    assert batcher(2) == 4


def test_wrong_length_result_fails_the_whole_batch_clearly(make) -> None:
    calls: list[list[int]] = []

    def short(xs: list[int]) -> list[int]:
        calls.append(xs)
        return [x * 2 for x in xs][:-1]

    batcher = make(short, max_batch=3, max_wait_ms=5000)
    futures = [batcher.submit(x) for x in range(3)]

    for future in futures:
        with pytest.raises(BatchSizeMismatch, match="returned 2 results for 3 items"):
            future.result(TIMEOUT)
    assert calls == [[0, 1, 2]]  # a bug in fn, not in an item: no item-by-item retry


def test_future_cancelled_before_dispatch_never_reaches_fn(make) -> None:
    fn = Recorder(gated=True)
    batcher = make(fn, max_wait_ms=0)

    running = batcher.submit(1)
    assert fn.entered.wait(TIMEOUT)
    keep, drop = batcher.submit(2), batcher.submit(3)
    assert drop.cancel()
    assert not running.cancel()  # already handed to fn
    fn.release.set()

    assert running.result(TIMEOUT) == 2
    assert keep.result(TIMEOUT) == 4
    with pytest.raises(CancelledError):
        drop.result(TIMEOUT)
    assert 3 not in fn.items
    assert batcher.stats.items == 2


def test_close_fails_pending_lets_running_finish_and_rejects_new(make) -> None:
    fn = Recorder(gated=True)
    batcher = make(fn, max_wait_ms=0)

    running = batcher.submit(1)
    assert fn.entered.wait(TIMEOUT)
    pending = [batcher.submit(x) for x in (2, 3)]
    batcher.close(wait=False)

    for future in pending:
        with pytest.raises(BatcherClosed, match="closed"):
            future.result(TIMEOUT)
    with pytest.raises(BatcherClosed):
        batcher.submit(4)
    assert batcher.closed

    fn.release.set()
    assert running.result(TIMEOUT) == 2
    batcher.close()  # idempotent, and joins the worker
    batcher.close()
    assert fn.items == [1]


def test_context_manager_closes() -> None:
    with MicroBatcher(lambda xs: [x + 1 for x in xs], max_wait_ms=0, name="ctx") as batcher:
        assert batcher(1) == 2
    assert batcher.closed
    with pytest.raises(BatcherClosed, match="'ctx'"):
        batcher(1)


def test_acall_many_concurrent_tasks(make) -> None:
    fn = Recorder()
    batcher = make(fn, max_batch=100, max_wait_ms=1000)

    async def main() -> list[int]:
        calls = (batcher.acall(x) for x in range(100))
        return await asyncio.wait_for(asyncio.gather(*calls), TIMEOUT)

    assert asyncio.run(main()) == [x * 2 for x in range(100)]
    assert len(fn.batches) < 100
    assert sorted(fn.items) == list(range(100))


def test_cancelling_one_acall_task_leaves_the_others_fine(make) -> None:
    fn = Recorder(gated=True)
    batcher = make(fn, max_wait_ms=0)

    async def main() -> None:
        first = asyncio.create_task(batcher.acall(100))
        assert await asyncio.to_thread(fn.entered.wait, TIMEOUT)
        tasks = [asyncio.create_task(batcher.acall(x)) for x in range(10)]
        await asyncio.sleep(0)  # let every task submit its item
        tasks[5].cancel()
        with pytest.raises(asyncio.CancelledError):
            await tasks[5]
        fn.release.set()
        others = [t for i, t in enumerate(tasks) if i != 5]
        results = await asyncio.wait_for(asyncio.gather(first, *others), TIMEOUT)
        assert results == [200] + [x * 2 for x in range(10) if x != 5]

    asyncio.run(main())
    assert 5 not in fn.items
    assert fn.batches[1] == [0, 1, 2, 3, 4, 6, 7, 8, 9]


def test_acall_does_not_block_the_event_loop(make) -> None:
    fn = Recorder(gated=True)
    batcher = make(fn, max_wait_ms=0)

    async def main() -> None:
        call = asyncio.create_task(batcher.acall(1))
        # The loop keeps serving while fn is held: this thread-hop could not finish otherwise.
        assert await asyncio.to_thread(fn.entered.wait, TIMEOUT)
        assert not call.done()
        fn.release.set()
        assert await asyncio.wait_for(call, TIMEOUT) == 2

    asyncio.run(main())


@pytest.mark.parametrize("max_wait_ms", [0, 2.0])
def test_lone_call_on_idle_batcher_is_fast(make, max_wait_ms: float) -> None:
    batcher = make(lambda xs: [x * 2 for x in xs], max_wait_ms=max_wait_ms)
    assert batcher(1) == 2  # the worker is now parked waiting for work
    time.sleep(0.01)

    best = float("inf")
    for x in range(5):
        start = time.perf_counter()
        assert batcher(x) == x * 2
        best = min(best, time.perf_counter() - start)
    assert best < 0.05


def test_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="max_batch"):
        MicroBatcher(lambda xs: xs, max_batch=0)
    with pytest.raises(ValueError, match="max_wait_ms"):
        MicroBatcher(lambda xs: xs, max_wait_ms=-1)


# The worker re-raises what killed it so that threading.excepthook reports it; expected here.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_worker_death_fails_callers_instead_of_hanging(make) -> None:
    def fatal(xs: list[int]) -> list[int]:
        raise SystemExit("engine gone")

    batcher = make(fatal, max_wait_ms=0)

    with pytest.raises(BatcherClosed, match="worker died"):
        batcher.submit(1).result(TIMEOUT)
    with pytest.raises(BatcherClosed):
        batcher.submit(2)
