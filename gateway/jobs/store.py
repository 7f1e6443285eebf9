"""Durable job records: one SQLite file, `<data_dir>/jobs/jobs.sqlite3`.

`job` holds one row per job; `item` one row per object once its outcome is known. The item rows are
what a resumed job skips and what the manifest is written from, so counts are read from them rather
than kept twice. WAL lets the API read while a job's driver writes; outcomes are written in groups
to keep commits off the per-object path.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

UNFINISHED = ("SUBMITTED", "RUNNING")
_IS_UNFINISHED = "state IN ('SUBMITTED', 'RUNNING')"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS job (
    job_id TEXT PRIMARY KEY, token TEXT UNIQUE, operation TEXT NOT NULL, input TEXT NOT NULL,
    output TEXT NOT NULL, parameters TEXT NOT NULL, state TEXT NOT NULL, message TEXT,
    created_at TEXT NOT NULL, started_at TEXT, ended_at TEXT,
    listed INTEGER NOT NULL DEFAULT 0, listing_complete INTEGER NOT NULL DEFAULT 0,
    runs INTEGER NOT NULL DEFAULT 0, run_started TEXT, run_base INTEGER NOT NULL DEFAULT 0,
    pii_redaction TEXT, kind TEXT, details TEXT);
CREATE TABLE IF NOT EXISTS item (
    job_id TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL, output_key TEXT, error TEXT,
    PRIMARY KEY (job_id, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS item_status ON item (job_id, status);
"""
# Columns added after the first release, added to job tables that predate them.
_ADDED_COLUMNS = ("pii_redaction", "kind", "details")


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


@dataclass(frozen=True)
class Outcome:
    """What became of one object. `error` is `{"code", "message"}` for a failed one."""

    key: str
    status: str  # SUCCEEDED or FAILED
    output_key: str | None = None
    error: dict[str, str] | None = None


_COLUMNS = ("job_id, token, operation, input, output, parameters, state, message, created_at, started_at,"
            " ended_at, listed, listing_complete, runs, run_started, run_base, pii_redaction, kind, details")


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _json(text: str | None) -> Any:
    return json.loads(text) if text is not None else None


def _dumps(value: Any) -> str | None:
    return json.dumps(value) if value is not None else None


def _record(row: tuple) -> JobRecord:
    (job_id, token, operation, input_uri, output_uri, parameters, state, message, created, started, ended,
     listed, listing_complete, runs, run_started, run_base, pii_redaction, kind, details) = row
    return JobRecord(job_id, token, operation, input_uri, output_uri, json.loads(parameters), state, message,
                     datetime.fromisoformat(created), _time(started), _time(ended), listed, bool(listing_complete),
                     runs, _time(run_started), run_base, _json(pii_redaction), kind, _json(details))


class JobStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            present = {row[1] for row in db.execute("PRAGMA table_info(job)")}
            for column in _ADDED_COLUMNS:
                if column not in present:
                    db.execute(f"ALTER TABLE job ADD COLUMN {column} TEXT")

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        # A connection per call: request threads and job drivers use the store concurrently.
        with closing(sqlite3.connect(self.path, timeout=30)) as db, db:
            db.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable across a process crash
            yield db

    def create(self, job_id: str, token: str | None, operation: str, input_uri: str, output_uri: str,
               parameters: dict[str, Any], pii_redaction: dict[str, Any] | None = None, kind: str | None = None,
               details: dict[str, Any] | None = None) -> tuple[JobRecord, bool]:
        """A new SUBMITTED job, or the one an earlier request with the same token made (and False)."""
        with self._db() as db:
            # OR IGNORE: a concurrent request with the same token may insert first; then its job is the job.
            created = db.execute(
                "INSERT OR IGNORE INTO job (job_id, token, operation, input, output, parameters, state, created_at,"
                " pii_redaction, kind, details) VALUES (?, ?, ?, ?, ?, ?, 'SUBMITTED', ?, ?, ?, ?)",
                (job_id, token, operation, input_uri, output_uri, json.dumps(parameters), now().isoformat(),
                 _dumps(pii_redaction), kind, _dumps(details)),
            ).rowcount == 1
            row = db.execute(f"SELECT {_COLUMNS} FROM job WHERE job_id = ? OR token = ?", (job_id, token)).fetchone()
        return _record(row), created

    def get(self, job_id: str) -> JobRecord | None:
        with self._db() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM job WHERE job_id = ?", (job_id,)).fetchone()
        return _record(row) if row else None

    def page(self, after: str | None, limit: int, kind: str | None = None) -> list[JobRecord]:
        """Jobs in creation order, of one `kind` if given; `after` is the previous page's last job id, so
        pages stay right as jobs arrive."""
        conditions, args = ["kind IS ?"] if kind else [], [kind] if kind else []
        if after:
            conditions.append("(created_at, job_id) > (SELECT created_at, job_id FROM job WHERE job_id = ?)")
            args.append(after)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        with self._db() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM job {where} ORDER BY created_at, job_id LIMIT ?",
                              (*args, limit)).fetchall()
        return [_record(row) for row in rows]

    def unfinished(self) -> list[str]:
        """Jobs not ended: running or queued, or cancelled before their manifest was written."""
        with self._db() as db:
            return [r[0] for r in db.execute("SELECT job_id FROM job WHERE ended_at IS NULL ORDER BY created_at")]

    def begin_run(self, job_id: str) -> JobRecord | None:
        """Mark the job RUNNING for one more run; None if it was cancelled or finished meanwhile."""
        stamp = now().isoformat()
        with self._db() as db:
            processed = db.execute("SELECT COUNT(*) FROM item WHERE job_id = ?", (job_id,)).fetchone()[0]
            moved = db.execute(
                f"UPDATE job SET state = 'RUNNING', runs = runs + 1, run_started = ?, run_base = ?,"
                f" started_at = COALESCE(started_at, ?) WHERE job_id = ? AND {_IS_UNFINISHED}",
                (stamp, processed, stamp, job_id)).rowcount == 1
        return self.get(job_id) if moved else None

    def set_listed(self, job_id: str, listed: int, complete: bool) -> None:
        with self._db() as db:
            db.execute("UPDATE job SET listed = MAX(listed, ?), listing_complete = ? WHERE job_id = ?",
                       (listed, int(complete), job_id))

    def known(self, job_id: str, keys: list[str]) -> set[str]:
        """Which of `keys` already have an outcome."""
        with self._db() as db:
            marks = ",".join("?" * len(keys))
            return {r[0] for r in db.execute(f"SELECT key FROM item WHERE job_id = ? AND key IN ({marks})",
                                             (job_id, *keys))}

    def record(self, job_id: str, outcomes: Iterable[Outcome]) -> None:
        with self._db() as db:
            db.executemany(
                "INSERT OR REPLACE INTO item (job_id, key, status, output_key, error) VALUES (?, ?, ?, ?, ?)",
                [(job_id, o.key, o.status, o.output_key, json.dumps(o.error) if o.error else None) for o in outcomes])

    def counts(self, job_id: str) -> dict[str, int]:
        with self._db() as db:
            return dict(db.execute("SELECT status, COUNT(*) FROM item WHERE job_id = ? GROUP BY status", (job_id,)))

    def outcomes(self, job_id: str, page_size: int = 1000) -> Iterator[Outcome]:
        """Every outcome in key order, read page by page (a manifest of a million objects is never one query)."""
        after = ""
        while True:
            with self._db() as db:
                rows = db.execute("SELECT key, status, output_key, error FROM item WHERE job_id = ? AND key > ?"
                                  " ORDER BY key LIMIT ?", (job_id, after, page_size)).fetchall()
            for key, status, output_key, error in rows:
                yield Outcome(key, status, output_key, json.loads(error) if error else None)
            if len(rows) < page_size:
                return
            after = rows[-1][0]

    def cancel(self, job_id: str) -> bool:
        with self._db() as db:
            return db.execute(f"UPDATE job SET state = 'CANCELLED' WHERE job_id = ? AND {_IS_UNFINISHED}",
                              (job_id,)).rowcount == 1

    def finish(self, job_id: str, state: str, message: str | None = None) -> None:
        """End the job in `state`; a job cancelled meanwhile stays CANCELLED and only gets its end time."""
        with self._db() as db:
            db.execute(f"UPDATE job SET state = CASE WHEN {_IS_UNFINISHED} THEN ? ELSE state END,"
                       " message = COALESCE(?, message), ended_at = ? WHERE job_id = ?",
                       (state, message, now().isoformat(), job_id))
