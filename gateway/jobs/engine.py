"""The job engine: starts, drives, resumes and cancels batch jobs.

Each running job has one driver thread. It streams the input listing, skips keys that already have
an outcome (a resumed job), feeds the executor, and records outcomes in groups. When the listing is
exhausted it writes `manifest.jsonl` and `summary.json` and ends the job. `close()` stops drivers from
taking new objects and lets in-flight ones finish and be recorded, leaving the jobs RUNNING: the next
engine over the same data_dir resumes them. One process per data_dir runs jobs (as with
core.service_jobs): two engines resuming the same job would each run it.
"""

from __future__ import annotations

import json
import logging
import posixpath
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from core.errors import ClientError, JobNotFound, ServiceError
from core.service import validate_request
from core.settings import Settings
from core.storage import Location, Storage, parse
from gateway.catalog import ServiceCatalog
from gateway.jobs.databases import open_database
from gateway.jobs.executors import Executor, batched, make_executor
from gateway.jobs.models import JobDescription, JobList, PiiRedactionRequest
from gateway.jobs.store import JobLayout, JobRecord, JobStore, Outcome, now
from gateway.jobs.work import ObjectWork, WorkItem, resolve

log = logging.getLogger(__name__)

LIST_PAGE = 500  # keys checked against the store per query when resuming
FLUSH_EVERY = 64  # outcomes per commit ...
FLUSH_SECONDS = 0.5  # ... or sooner, so progress shows while a slow job runs
MANIFEST = "manifest.jsonl"
SUMMARY = "summary.json"


class IdempotentParameterMismatch(ClientError):
    code = "IdempotentParameterMismatchException"


def relative_key(root: Location, found: Location) -> str:
    """The object's key below the input prefix; a single-object input is named by its base name."""
    rest = found.key[len(root.key):].lstrip("/")
    return rest or posixpath.basename(found.key)


def _overlaps(source: Location, target: Location) -> bool:
    """Whether outputs would land in the input listing (and be read back as inputs)."""
    if source.scheme != target.scheme or source.bucket != target.bucket:
        return False
    if source.scheme == "s3":
        return target.key.startswith(source.key)  # S3 prefixes are string prefixes
    return Path(target.key).is_relative_to(source.key)


def describe(record: JobRecord, counts: dict[str, int], at: datetime | None = None) -> JobDescription:
    done, failed = counts.get("SUCCEEDED", 0), counts.get("FAILED", 0)
    rate = eta = None
    if record.run_started is not None:
        elapsed = ((at or record.ended_at or now()) - record.run_started).total_seconds()
        if elapsed > 0:
            rate = (done + failed - record.run_base) / elapsed
    if rate and record.listing_complete and record.ended_at is None:
        eta = max(record.listed - done - failed, 0) / rate
    return JobDescription(
        job_id=record.job_id, operation=record.operation, input=record.input, output=record.output,
        parameters=record.parameters, pii_redaction=record.pii_redaction, state=record.state, message=record.message, created_at=record.created_at,
        started_at=record.started_at, ended_at=record.ended_at, done=done, failed=failed,
        total=record.listed, listing_complete=record.listing_complete, objects_per_second=rate, eta_seconds=eta)


class JobEngine:
    def __init__(self, settings: Settings, catalog: ServiceCatalog | None = None,
                 executor: Executor | None = None) -> None:
        self.settings = settings
        self.catalog = catalog or ServiceCatalog.default()
        self.storage = Storage(settings)
        self._store: JobStore | None = None
        self._executor = executor
        self._lock = threading.Lock()
        self._drivers: dict[str, threading.Thread] = {}
        self._cancelled: set[str] = set()
        self._stopping = threading.Event()
        self._slots = threading.Semaphore(settings.jobs.max_running)
        self._database = open_database(settings.jobs.database_url, settings.data_dir / "jobs" / "jobs.sqlite3")

    # Made on first use: a gateway that never runs a job creates no database and starts no threads.
    @property
    def store(self) -> JobStore:
        with self._lock:
            if self._store is None:
                self._store = JobStore(self._database)
            return self._store

    @property
    def executor(self) -> Executor:
        with self._lock:
            if self._executor is None:
                self._executor = make_executor(self.settings)
            return self._executor

    def resume(self) -> int:
        """Drive every job a previous process left unfinished; returns how many."""
        if not self._database.exists():
            return 0
        pending = self.store.unfinished()
        for job_id in pending:
            self._launch(job_id)
        if pending:
            log.info("Resuming %d batch job(s).", len(pending))
        return len(pending)

    def start(self, operation: str, input: str, output: str, parameters: dict[str, Any] | None = None,
              client_token: str | None = None, pii_redaction: PiiRedactionRequest | None = None, *,
              kind: str | None = None, details: dict[str, Any] | None = None, job_id: str | None = None,
              layout: JobLayout = JobLayout()) -> JobDescription:
        """`kind`, `details`, `job_id` and `layout` serve an API that starts jobs on its own terms
        (gateway/jobs/aws_adapters.py)."""
        parameters = parameters or {}
        redaction = pii_redaction.model_dump() if pii_redaction else None
        source, target = parse(input), parse(output)
        if layout.object_key is None and _overlaps(source, target):
            raise ClientError(f"The output {output} lies inside the input {input}: results would be read as inputs.")
        self._work(operation, parameters, str(target), redaction, resumed=False).check()
        record, created = self.store.create(job_id or uuid.uuid4().hex, client_token, operation, str(source),
                                            str(target), parameters, redaction, kind, details, layout)
        if not created and (record.operation, record.input, record.output, record.parameters, record.pii_redaction,
                            record.layout) != (operation, str(source), str(target), parameters, redaction, layout):
            raise IdempotentParameterMismatch(f"Client token {client_token!r} was used for a different job.")
        if created:
            self._launch(record.job_id)
        return self.get(record.job_id)

    def get(self, job_id: str) -> JobDescription:
        return describe(self.record(job_id), self.store.counts(job_id))

    def record(self, job_id: str) -> JobRecord:
        record = self.store.get(job_id)
        if record is None:
            raise JobNotFound(f"No job {job_id!r}.")
        return record

    def list(self, next_token: str | None = None, max_results: int = 50, kind: str | None = None) -> JobList:
        records = self.store.page(next_token, max_results + 1, kind)
        page = records[:max_results]
        return JobList(jobs=[describe(r, self.store.counts(r.job_id)) for r in page],
                       next_token=page[-1].job_id if len(records) > max_results else None)

    def cancel(self, job_id: str) -> JobDescription:
        """Mark the job CANCELLED; its driver stops taking objects and writes the manifest of what was done."""
        self.get(job_id)
        # The record first, then the flag: a driver halted by the flag must find the job CANCELLED.
        cancelled = self.store.cancel(job_id)
        with self._lock:
            self._cancelled.add(job_id)
            driven = job_id in self._drivers
        if cancelled and not driven:  # no driver here to finish it (a record another process left)
            self._finalize(job_id)
        return self.get(job_id)

    def wait(self, job_id: str, timeout: float | None = None, poll: float = 0.1) -> JobDescription:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not (job := self.get(job_id)).finished:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"Job {job_id} still {job.state} after {timeout} s.")
            time.sleep(poll)
        return job

    def close(self) -> None:
        """Stop taking objects, finish and record those in flight; unfinished jobs stay resumable."""
        self._stopping.set()
        with self._lock:
            drivers = list(self._drivers.values())
        for driver in drivers:
            driver.join()
        if self._executor is not None:
            self._executor.close()

    def _work(self, operation: str, parameters: dict[str, Any], output: str, pii_redaction: dict[str, Any] | None,
              *, resumed: bool) -> ObjectWork:
        return ObjectWork(self.settings, operation, parameters, output, skip_existing=resumed,
                          pii_redaction=pii_redaction, catalog=self.catalog)

    def _launch(self, job_id: str) -> None:
        driver = threading.Thread(target=self._drive, args=(job_id,), name=f"aigw-job-{job_id[:8]}", daemon=True)
        with self._lock:
            self._drivers[job_id] = driver
        driver.start()

    def _halted(self, job_id: str) -> bool:
        return self._stopping.is_set() or job_id in self._cancelled

    def _drive(self, job_id: str) -> None:
        try:
            with self._slots:
                if not self._stopping.is_set():
                    self._run(job_id)
        finally:
            with self._lock:
                self._drivers.pop(job_id, None)

    def _run(self, job_id: str) -> None:
        record = self.store.begin_run(job_id)
        if record is None:  # cancelled while it waited for a slot
            self._finalize(job_id)
            return
        try:
            work = self._work(record.operation, record.parameters, record.output, record.pii_redaction,
                              resumed=record.runs > 1)
            work.check()  # resolves the service once, before the executor's threads share it
            self._record_all(job_id, self.executor.map(work, self._pending(record)))
            finished = self.store.get(job_id)
            if finished and finished.listing_complete and finished.state == "RUNNING" and record.layout.finish:
                self._finish_step(record)
        except ServiceError as exc:  # the input or the output cannot be used at all (no bucket, ...)
            self.store.finish(job_id, "FAILED", exc.message)
            return
        except Exception as exc:
            log.exception("batch job %s failed", job_id)
            self.store.finish(job_id, "FAILED", f"{type(exc).__name__}: {exc}")
            return
        record = self.store.get(job_id)
        if record is not None and (record.state == "CANCELLED" or record.listing_complete):
            self._finalize(job_id)

    def _finish_step(self, record: JobRecord) -> None:
        """The job's last step over all its objects' results (a topic model fit over every document's
        words): an operation whose request names the output folder as `Results`. Run again on resume."""
        step = record.layout.finish
        assert step is not None
        if not self.store.counts(record.job_id).get("SUCCEEDED"):
            raise ClientError("No input object could be read; see manifest.jsonl for each one's error.")
        service, op = resolve(self.catalog, step["operation"])
        getattr(service, op.method)(validate_request(op.request, {**step["parameters"], "Results": record.output}))

    def _pending(self, record: JobRecord) -> Iterator[WorkItem]:
        """The objects still to do, streamed from the listing; stops when the job is halted."""
        root, listed = parse(record.input), 0
        if record.layout.object_key is not None:  # one named object: nothing to list
            self.store.set_listed(record.job_id, 1, complete=True)
            if not self.store.known(record.job_id, [record.layout.object_key]):
                yield WorkItem(record.layout.object_key, root)
            return
        pages = batched(self.storage.list_keys(root), LIST_PAGE)
        for page in pages:
            items = [WorkItem(relative_key(root, found), found) for found in page]
            known = self.store.known(record.job_id, [i.key for i in items]) if record.runs > 1 else set()
            listed += len(items)
            self.store.set_listed(record.job_id, listed, complete=False)
            for item in items:
                if self._halted(record.job_id):
                    return
                if item.key not in known:
                    yield item
        self.store.set_listed(record.job_id, listed, complete=True)

    def _record_all(self, job_id: str, outcomes: Iterable[Outcome]) -> None:
        buffer: list[Outcome] = []
        flushed = time.monotonic()
        try:
            for outcome in outcomes:
                buffer.append(outcome)
                if len(buffer) >= FLUSH_EVERY or time.monotonic() - flushed > FLUSH_SECONDS:
                    self.store.record(job_id, buffer)
                    buffer, flushed = [], time.monotonic()
        finally:  # outcomes already produced are kept even if the listing fails mid-way
            if buffer:
                self.store.record(job_id, buffer)

    def _finalize(self, job_id: str) -> None:
        """Write the manifest and the summary, then end the job (COMPLETED unless cancelled meanwhile)."""
        record = self.store.get(job_id)
        assert record is not None
        target = parse(record.layout.report or record.output)
        try:
            manifest = "".join(json.dumps({"key": o.key, "status": o.status, "output_key": o.output_key,
                                           "error": o.error}) + "\n" for o in self.store.outcomes(job_id))
            self.storage.write_bytes(target.child(MANIFEST), manifest.encode(), "application/x-ndjson")
            ended = now()
            final = "CANCELLED" if record.state == "CANCELLED" else "COMPLETED"
            summary = describe(record, self.store.counts(job_id), at=ended).model_copy(
                update={"state": final, "ended_at": ended})
            self.storage.write_bytes(target.child(SUMMARY), summary.model_dump_json(indent=2).encode(),
                                     "application/json")
        except ServiceError as exc:
            self.store.finish(job_id, "FAILED", f"Could not write the manifest: {exc.message}")
            return
        self.store.finish(job_id, final)
        output = parse(record.output)
        if record.layout.scratch and output.scheme == "file":  # ended: no resumed finish step will read it
            shutil.rmtree(output.key, ignore_errors=True)
