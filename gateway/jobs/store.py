"""Durable job records: a SQLite file, `<data_dir>/jobs/jobs.sqlite3`, or PostgreSQL by a setting
(gateway/jobs/databases.py).

`job` holds one row per job; `item` one row per object once its outcome is known. The item rows are
what a resumed job skips and what the manifest is written from, so counts are read from them rather
than kept twice. Outcomes are written in groups to keep commits off the per-object path.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from gateway.jobs.databases import PostgresDatabase, SqliteDatabase

UNFINISHED = ("SUBMITTED", "RUNNING")
_IS_UNFINISHED = "state IN ('SUBMITTED', 'RUNNING')"

def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class JobRecord:
    job_id: str
    token: str | None
    operation: str
    input: str
    output: str
    parameters: dict[str, Any]
    state: str
    message: str | None
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    listed: int  # keys seen by the listing so far (the total once listing_complete)
    listing_complete: bool
    runs: int  # 1 on the first run; more after restarts resumed it
    run_started: datetime | None
    run_base: int  # objects already processed when the current run began (for its rate)
    pii_redaction: dict[str, Any] | None  # gateway.jobs.models.PiiRedactionRequest, as JSON
    kind: str | None  # the API that started the job when not the native one (an AWS adapter), for its lists
    details: dict[str, Any] | None  # what that API keeps of its request (an AWS job's name, settings, ...)
    layout: JobLayout


@dataclass(frozen=True)
class JobLayout:
    """Where an AWS adapter's job reads and writes, when not as a native job does."""

    object_key: str | None = None  # the input is exactly one object (not a prefix), named so in the output
    report: str | None = None  # where manifest.jsonl and summary.json go, if not the output folder (a bucket
    # shared by many jobs' outputs, as Transcribe's is)
    finish: dict[str, Any] | None = None  # {"operation", "parameters"}: run once over all results (engine.py)
    scratch: bool = False  # the output folder (local) holds only the finish step's inputs: removed once ended

    def as_json(self) -> dict[str, str] | None:
        found = {k: v for k, v in vars(self).items() if v is not None}
        return found or None


@dataclass(frozen=True)
class Outcome:
    """What became of one object. `error` is `{"code", "message"}` for a failed one."""

    key: str
    status: str  # SUCCEEDED or FAILED
    output_key: str | None = None
    error: dict[str, str] | None = None
    result: dict[str, Any] | None = None  # the response members the operation keeps (gateway/jobs/outputs.py)


_COLUMNS = ("job_id, token, operation, input, output, parameters, state, message, created_at, started_at,"
            " ended_at, listed, listing_complete, runs, run_started, run_base, pii_redaction, kind, details, layout")


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _json(text: str | None) -> Any:
    return json.loads(text) if text is not None else None


def _dumps(value: Any) -> str | None:
    return json.dumps(value) if value is not None else None


def _record(row: tuple) -> JobRecord:
    (job_id, token, operation, input_uri, output_uri, parameters, state, message, created, started, ended,
     listed, listing_complete, runs, run_started, run_base, pii_redaction, kind, details, layout) = row
    return JobRecord(job_id, token, operation, input_uri, output_uri, json.loads(parameters), state, message,
                     datetime.fromisoformat(created), _time(started), _time(ended), listed, bool(listing_complete),
                     runs, _time(run_started), run_base, _json(pii_redaction), kind, _json(details),
                     JobLayout(**(_json(layout) or {})))


class JobStore:
    def __init__(self, database: SqliteDatabase | PostgresDatabase) -> None:
        self.database = database
        database.create()

    def create(self, job_id: str, token: str | None, operation: str, input_uri: str, output_uri: str,
               parameters: dict[str, Any], pii_redaction: dict[str, Any] | None = None, kind: str | None = None,
               details: dict[str, Any] | None = None, layout: JobLayout = JobLayout()) -> tuple[JobRecord, bool]:
        """A new SUBMITTED job, or the one an earlier request with the same token made (and False)."""
        with self.database.connect() as db:
            # DO NOTHING: a concurrent request with the same token may insert first; then its job is the job.
            created = db.execute(
                "INSERT INTO job (job_id, token, operation, input, output, parameters, state, created_at,"
                " pii_redaction, kind, details, layout) VALUES (?, ?, ?, ?, ?, ?, 'SUBMITTED', ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (job_id, token, operation, input_uri, output_uri, json.dumps(parameters), now().isoformat(),
                 _dumps(pii_redaction), kind, _dumps(details), _dumps(layout.as_json())),
            ).rowcount == 1
            row = db.execute(f"SELECT {_COLUMNS} FROM job WHERE job_id = ? OR token = ?", (job_id, token)).fetchone()
        return _record(row), created

    def get(self, job_id: str) -> JobRecord | None:
        with self.database.connect() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM job WHERE job_id = ?", (job_id,)).fetchone()
        return _record(row) if row else None

    def page(self, after: str | None, limit: int, kind: str | None = None) -> list[JobRecord]:
        """Jobs in creation order, of one `kind` if given; `after` is the previous page's last job id, so
        pages stay right as jobs arrive."""
        conditions, args = ["kind = ?"] if kind else [], [kind] if kind else []
        if after:
            conditions.append("(created_at, job_id) > (SELECT created_at, job_id FROM job WHERE job_id = ?)")
            args.append(after)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        with self.database.connect() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM job {where} ORDER BY created_at, job_id LIMIT ?",
                              (*args, limit)).fetchall()
        return [_record(row) for row in rows]

    def unfinished(self) -> list[str]:
        """Jobs not ended: running or queued, or cancelled before their manifest was written."""
        with self.database.connect() as db:
            return [r[0] for r in db.execute("SELECT job_id FROM job WHERE ended_at IS NULL ORDER BY created_at")
                    .fetchall()]

    def begin_run(self, job_id: str) -> JobRecord | None:
        """Mark the job RUNNING for one more run; None if it was cancelled or finished meanwhile."""
        stamp = now().isoformat()
        with self.database.connect() as db:
            processed = db.execute("SELECT COUNT(*) FROM item WHERE job_id = ?", (job_id,)).fetchone()[0]
            moved = db.execute(
                f"UPDATE job SET state = 'RUNNING', runs = runs + 1, run_started = ?, run_base = ?,"
                f" started_at = COALESCE(started_at, ?) WHERE job_id = ? AND {_IS_UNFINISHED}",
                (stamp, processed, stamp, job_id)).rowcount == 1
        return self.get(job_id) if moved else None

    def set_listed(self, job_id: str, listed: int, complete: bool) -> None:
        with self.database.connect() as db:
            db.execute(f"UPDATE job SET listed = {self.database.greatest}(listed, ?), listing_complete = ?"
                       " WHERE job_id = ?", (listed, int(complete), job_id))

    def known(self, job_id: str, keys: list[str]) -> set[str]:
        """Which of `keys` already have an outcome."""
        with self.database.connect() as db:
            marks = ",".join("?" * len(keys))
            return {r[0] for r in db.execute(f"SELECT key FROM item WHERE job_id = ? AND key IN ({marks})",
                                             (job_id, *keys)).fetchall()}

    def record(self, job_id: str, outcomes: Iterable[Outcome]) -> None:
        with self.database.connect() as db:
            db.executemany(
                "INSERT INTO item (job_id, key, status, output_key, error, result) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (job_id, key) DO UPDATE SET status = excluded.status,"
                " output_key = excluded.output_key, error = excluded.error, result = excluded.result",
                [(job_id, o.key, o.status, o.output_key, _dumps(o.error), _dumps(o.result)) for o in outcomes])

    def counts(self, job_id: str) -> dict[str, int]:
        with self.database.connect() as db:
            return dict(db.execute("SELECT status, COUNT(*) FROM item WHERE job_id = ? GROUP BY status",
                                   (job_id,)).fetchall())

    def outcomes(self, job_id: str, page_size: int = 1000) -> Iterator[Outcome]:
        """Every outcome in key order, read page by page (a manifest of a million objects is never one query)."""
        after = ""
        while True:
            with self.database.connect() as db:
                rows = db.execute("SELECT key, status, output_key, error, result FROM item WHERE job_id = ?"
                                  " AND key > ? ORDER BY key LIMIT ?", (job_id, after, page_size)).fetchall()
            for key, status, output_key, error, result in rows:
                yield Outcome(key, status, output_key, _json(error), _json(result))
            if len(rows) < page_size:
                return
            after = rows[-1][0]

    def delete(self, job_id: str) -> bool:
        """Forget an ended job and its objects' outcomes (so that an AWS job name can be used again)."""
        with self.database.connect() as db:
            if db.execute("DELETE FROM job WHERE job_id = ? AND ended_at IS NOT NULL", (job_id,)).rowcount != 1:
                return False
            db.execute("DELETE FROM item WHERE job_id = ?", (job_id,))
            return True

    def cancel(self, job_id: str) -> bool:
        with self.database.connect() as db:
            return db.execute(f"UPDATE job SET state = 'CANCELLED' WHERE job_id = ? AND {_IS_UNFINISHED}",
                              (job_id,)).rowcount == 1

    def finish(self, job_id: str, state: str, message: str | None = None) -> None:
        """End the job in `state`; a job cancelled meanwhile stays CANCELLED and only gets its end time."""
        with self.database.connect() as db:
            db.execute(f"UPDATE job SET state = CASE WHEN {_IS_UNFINISHED} THEN ? ELSE state END,"
                       " message = COALESCE(?, message), ended_at = ? WHERE job_id = ?",
                       (state, message, now().isoformat(), job_id))
