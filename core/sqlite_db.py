"""SQLite as every embedded store here uses it (job records, collections, classifiers, lexicons, …).

One short-lived connection per call: request threads and job workers read and write concurrently,
and a sqlite3 connection must not be shared between threads. Each call is one transaction,
committed on a clean exit and rolled back on an exception; a writer waits up to 30 s for another.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

BUSY_TIMEOUT_S = 30


@contextmanager
def transaction(path: Path, schema: str | None = None) -> Iterator[sqlite3.Connection]:
    """A transaction on the database at `path`, its folder made if need be. `schema` holds
    `CREATE … IF NOT EXISTS` statements, run first: cheap once the tables exist."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)) as db, db:
        if schema:
            db.executescript(schema)
        yield db
