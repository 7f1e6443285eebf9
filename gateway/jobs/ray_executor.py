"""The Ray executor (`AIGW_JOBS__EXECUTOR=ray`, the `[ray]` extra): Ray Data `map_batches` over an
actor pool, each actor holding one `ObjectWork` whose service keeps its model loaded between batches.

The listing is cut into chunks of `ray_chunk` keys, one dataset each, so the driver never holds a
whole listing and cancellation takes effect at the next chunk. Actors are started per chunk: a model
load is paid once per chunk and actor, not per object. Actors ask for a fraction of a CPU
(`ray_num_cpus`): whole CPUs on a 2-core machine would leave none for Ray Data's read tasks, and
the pipeline would wait forever for resources.

`ray.init()` connects to RAY_ADDRESS when set (a cluster whose nodes have aigw installed) and
otherwise starts a local Ray; workers find this checkout through PYTHONPATH.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from core.settings import JobSettings
from core.storage import Location
from gateway.jobs.executors import batched
from gateway.jobs.store import Outcome
from gateway.jobs.work import ObjectWork, WorkItem

BATCH_SIZE = 16  # objects per actor call: large enough to amortise Ray's per-call overhead
PROJECT_ROOT = str(Path(__file__).resolve().parents[2])


class _Worker:
    """One Ray actor: builds its service once, then runs every batch it is given."""

    def __init__(self, work: ObjectWork) -> None:
        self.work = work
        work.check()  # resolves the service in this process

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {"key": [], "status": [], "output_key": [], "error": []}
        for key, scheme, bucket, source in zip(batch["key"], batch["scheme"], batch["bucket"], batch["source"]):
            outcome = self.work(WorkItem(str(key), Location(str(scheme), str(bucket), str(source))))
            out["key"].append(outcome.key)
            out["status"].append(outcome.status)
            out["output_key"].append(outcome.output_key or "")
            out["error"].append(json.dumps(outcome.error) if outcome.error else "")
        return out


class RayExecutor:
    def __init__(self, settings: JobSettings) -> None:
        self._settings = settings

    def _ray(self) -> Any:
        import ray

        if not ray.is_initialized():
            path = os.pathsep.join(p for p in (PROJECT_ROOT, os.environ.get("PYTHONPATH")) if p)
            ray.init(runtime_env={"env_vars": {"PYTHONPATH": path}}, include_dashboard=False,
                     log_to_driver=False, ignore_reinit_error=True)
            ray.data.DataContext.get_current().enable_progress_bars = False
        return ray

    def map(self, work: ObjectWork, items: Iterable[WorkItem]) -> Iterator[Outcome]:
        ray = self._ray()
        s = self._settings
        for chunk in batched(items, s.ray_chunk):
            rows = [{"key": i.key, "scheme": i.source.scheme, "bucket": i.source.bucket, "source": i.source.key}
                    for i in chunk]
            results = ray.data.from_items(rows).map_batches(
                _Worker, fn_constructor_args=(work,), batch_size=BATCH_SIZE, batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=s.ray_actors), num_cpus=s.ray_num_cpus)
            for row in results.iter_rows():
                yield Outcome(row["key"], row["status"], row["output_key"] or None,
                              json.loads(row["error"]) if row["error"] else None)

    def close(self) -> None:
        """Ray stays up for the process (starting it takes seconds); `ray.shutdown()` is the owner's call."""
