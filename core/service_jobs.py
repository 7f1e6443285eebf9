"""A service's asynchronous jobs (Comprehend topics, Transcribe, Textract, video, training, …):
durable records in SQLite and the worker threads that run them.

Every job kind of a service shares one table in a file of the service's choosing (e.g.
`<data_dir>/comprehend/jobs.sqlite3`), so a job survives a restart as a record. The store's statuses
are SUBMITTED, IN_PROGRESS, COMPLETED and FAILED; each service words them as its AWS API does. Each service instance is an *owner* with its own id: only the owner
moves its jobs forward, and when a new instance first opens the store, unfinished jobs of other
owners are failed as interrupted: their threads died with the process that ran them, and a job must
never look alive forever. One process per data_dir runs jobs; workers sharing a data_dir would fail
each other's jobs (that needs heartbeats, which this store does not keep).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core.errors import ServiceError, TooManyRequests
from core.sqlite_db import transaction

log = logging.getLogger(__name__)

REGION = "local"
WORKERS = 2  # jobs fit models on CPU: a couple at once keeps the gateway responsive
MAX_UNFINISHED = 16  # per owner; beyond this, callers are told to retry later rather than queue without bound
INTERRUPTED = "The job was interrupted by a restart of the service before it finished; start it again."
UNFINISHED = ("SUBMITTED", "IN_PROGRESS")
_IS_UNFINISHED = "status IN ('SUBMITTED', 'IN_PROGRESS')"


@dataclass(frozen=True)
class JobRecord:
    job_id: str
    kind: str  # e.g. "TOPICS"
    name: str | None
    status: str
    message: str | None
    submit_time: datetime
    end_time: datetime | None
    params: dict[str, Any]  # the job's own members, as its kind stores them


def now() -> str:
    # One fixed ISO form in UTC, so that text order in SQLite is time order.
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def as_utc_text(moment: datetime) -> str:
    """A datetime in the store's text form; naive ones mean UTC, as on the AWS wire."""
    aware = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    return aware.isoformat(timespec="microseconds")


_SCHEMA = ("CREATE TABLE IF NOT EXISTS job (job_id TEXT PRIMARY KEY, kind TEXT NOT NULL, owner TEXT NOT NULL,"
           " token TEXT, name TEXT, status TEXT NOT NULL, message TEXT, submit_time TEXT NOT NULL,"
           " end_time TEXT, params TEXT NOT NULL, UNIQUE (kind, token))")
_COLUMNS = "job_id, kind, name, status, message, submit_time, end_time, params"


def _record(row: tuple) -> JobRecord:
    job_id, kind, name, status, message, submitted, ended, params = row
    return JobRecord(job_id, kind, name, status, message, datetime.fromisoformat(submitted),
                     datetime.fromisoformat(ended) if ended else None, json.loads(params))


class JobStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.path, _SCHEMA)

    def create(self, job_id: str, kind: str, name: str | None, params: dict[str, Any], owner: str,
               token: str | None, max_unfinished: int) -> tuple[JobRecord, bool]:
        """A new SUBMITTED job, or the job an earlier request with the same token made (and False).
        A retry finds its job even when the owner has `max_unfinished` jobs and refuses new ones."""
        with self._db() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM job WHERE kind = ? AND token = ?", (kind, token)).fetchone()
            if row:
                return _record(row), False
            if db.execute(f"SELECT COUNT(*) FROM job WHERE owner = ? AND {_IS_UNFINISHED}",
                          (owner,)).fetchone()[0] >= max_unfinished:
                raise TooManyRequests(f"{max_unfinished} jobs are already waiting or running; retry later.")
            # OR IGNORE: a concurrent request with the same token may have inserted since the check.
            created = db.execute(
                "INSERT OR IGNORE INTO job (job_id, kind, owner, token, name, status, submit_time, params)"
                " VALUES (?, ?, ?, ?, ?, 'SUBMITTED', ?, ?)",
                (job_id, kind, owner, token, name, now(), json.dumps(params)),
            ).rowcount == 1
            row = db.execute(f"SELECT {_COLUMNS} FROM job WHERE job_id = ? OR (kind = ? AND token = ?)",
                             (job_id, kind, token)).fetchone()
        return _record(row), created

    def get(self, kind: str, job_id: str) -> JobRecord | None:
        with self._db() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM job WHERE kind = ? AND job_id = ?", (kind, job_id)).fetchone()
        return _record(row) if row else None

    def list(self, kind: str, *, name: str | None = None, status: str | None = None,
             submitted_before: datetime | None = None, submitted_after: datetime | None = None,
             after: tuple[str, str] | None = None, limit: int) -> list[JobRecord]:
        """Jobs in submission order; `after` is the (submit_time, job_id) of the previous page's last job,
        so pages stay right while new jobs arrive."""
        where, args = ["kind = ?"], [kind]
        for clause, value in (("name = ?", name), ("status = ?", status),
                              ("submit_time < ?", submitted_before and as_utc_text(submitted_before)),
                              ("submit_time > ?", submitted_after and as_utc_text(submitted_after))):
            if value is not None:
                where.append(clause)
                args.append(value)
        if after is not None:
            where.append("(submit_time, job_id) > (?, ?)")
            args += after
        with self._db() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM job WHERE {' AND '.join(where)}"
                              " ORDER BY submit_time, job_id LIMIT ?", (*args, limit)).fetchall()
        return [_record(row) for row in rows]

    def move(self, job_id: str, owner: str, from_status: str, to_status: str, message: str | None = None) -> bool:
        """Move one of `owner`'s jobs on, if it is still where the owner left it (a restart may have failed it)."""
        ended = now() if to_status not in UNFINISHED else None
        with self._db() as db:
            return db.execute(
                "UPDATE job SET status = ?, message = ?, end_time = ? WHERE job_id = ? AND owner = ? AND status = ?",
                (to_status, message, ended, job_id, owner, from_status),
            ).rowcount == 1

    def delete(self, kind: str, job_id: str) -> bool:
        """Forget a job (Transcribe's DeleteTranscriptionJob), so that its name can be used again."""
        with self._db() as db:
            return db.execute("DELETE FROM job WHERE kind = ? AND job_id = ?", (kind, job_id)).rowcount == 1

    def fail_interrupted(self, owner: str) -> int:
        """Fail the unfinished jobs of every other owner: processes that are gone."""
        with self._db() as db:
            return db.execute(
                f"UPDATE job SET status = 'FAILED', message = ?, end_time = ? WHERE owner != ? AND {_IS_UNFINISHED}",
                (INTERRUPTED, now(), owner),
            ).rowcount


class JobRunner:
    """The jobs of one service instance: a few worker threads and a bound on how many wait."""

    def __init__(self) -> None:
        self.owner = uuid.uuid4().hex
        self._executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="service-job")
        self._recovered: set[Path] = set()
        self._lock = threading.Lock()

    def store(self, path: Path) -> JobStore:
        """The store at `path`, after failing what earlier instances left unfinished there (once per path:
        settings, hence data_dir, may change after the service is built)."""
        store = JobStore(path)
        with self._lock:
            if path not in self._recovered:
                if count := store.fail_interrupted(self.owner):
                    log.warning("Marked %d interrupted job(s) in %s as FAILED.", count, path)
                self._recovered.add(path)
        return store

    def submit(self, store: JobStore, job_id: str, kind: str, name: str | None, params: dict[str, Any],
               token: str | None, work: Callable[[JobRecord], None]) -> JobRecord:
        """Record a job and run `work(record)` on a worker; the same token gives back the first job."""
        record, created = store.create(job_id, kind, name, params, self.owner, token, MAX_UNFINISHED)
        if created:
            self._executor.submit(self._run, store, record, work)
        return record

    def _run(self, store: JobStore, record: JobRecord, work: Callable[[JobRecord], None]) -> None:
        if not store.move(record.job_id, self.owner, "SUBMITTED", "IN_PROGRESS"):
            return
        try:
            work(record)
        except ServiceError as exc:  # the input's or the output's fault, told in the job's Message
            store.move(record.job_id, self.owner, "IN_PROGRESS", "FAILED", exc.message)
        except Exception as exc:  # anything else must end the job FAILED too, never leave it IN_PROGRESS
            log.exception("Job %s (%s) failed", record.job_id, record.kind)
            store.move(record.job_id, self.owner, "IN_PROGRESS", "FAILED", f"{type(exc).__name__}: {exc}")
        else:
            store.move(record.job_id, self.owner, "IN_PROGRESS", "COMPLETED")

_RUNNER_LOCK = threading.Lock()


def runner_of(service: object) -> JobRunner:
    """The job runner of a service instance, made on first use: operation mixins have no __init__."""
    with _RUNNER_LOCK:
        runner = vars(service).get("_job_runner")
        if runner is None:
            runner = service._job_runner = JobRunner()  # type: ignore[attr-defined]
        return runner
