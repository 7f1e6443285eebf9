"""Personalize's durable state in one SQLite file: resources (dataset groups, schemas, datasets,
solutions, campaigns, filters, event trackers) as their AWS descriptions, and the data imported
into datasets or sent as events. Jobs (imports, training, batch inference) are core.service_jobs
records beside it; trained models are files (personalize/model.py).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core.sqlite_db import transaction

_TABLES = """
CREATE TABLE IF NOT EXISTS resource (arn TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,
    parent TEXT, created TEXT NOT NULL, props TEXT NOT NULL, UNIQUE (kind, name));
CREATE TABLE IF NOT EXISTS interaction (dataset_group TEXT NOT NULL, user_id TEXT NOT NULL,
    item_id TEXT NOT NULL, ts REAL NOT NULL, event_type TEXT, event_value REAL, props TEXT);
CREATE INDEX IF NOT EXISTS interaction_by_user ON interaction (dataset_group, user_id, ts);
CREATE TABLE IF NOT EXISTS record (dataset_group TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL,
    props TEXT NOT NULL, PRIMARY KEY (dataset_group, kind, id));
"""


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        with self._db() as db:
            db.executescript(_TABLES)
        # Bumped whenever items change, so runtimes know to reread item metadata.
        self._generation = 0
        self._lock = threading.Lock()

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.path)

    # Resources

    def put(self, arn: str, kind: str, name: str, parent: str | None, props: dict[str, Any]) -> bool:
        """Insert a resource; False when one of that kind already has the name."""
        with self._db() as db:
            return db.execute(
                "INSERT OR IGNORE INTO resource (arn, kind, name, parent, created, props) VALUES (?, ?, ?, ?, ?, ?)",
                (arn, kind, name, parent, utc_now().isoformat(), json.dumps(props, default=str)),
            ).rowcount == 1

    def update(self, arn: str, props: dict[str, Any]) -> None:
        with self._db() as db:
            db.execute("UPDATE resource SET props = ? WHERE arn = ?", (json.dumps(props, default=str), arn))

    def get(self, kind: str, arn: str) -> dict[str, Any] | None:
        with self._db() as db:
            row = db.execute("SELECT props FROM resource WHERE kind = ? AND arn = ?", (kind, arn)).fetchone()
        return json.loads(row[0]) if row else None

    def find(self, kind: str, parent: str | None = None) -> list[dict[str, Any]]:
        """Resources of a kind (under one parent), oldest first."""
        query, args = "SELECT props FROM resource WHERE kind = ?", [kind]
        if parent is not None:
            query += " AND parent = ?"
            args.append(parent)
        with self._db() as db:
            rows = db.execute(query + " ORDER BY created, arn", args).fetchall()
        return [json.loads(row[0]) for row in rows]

    def delete(self, arn: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM resource WHERE arn = ?", (arn,))

    # Data

    def add_interactions(self, dataset_group: str, rows: Iterable[tuple], *, replace: bool = False) -> None:
        """Rows are (user_id, item_id, ts, event_type, event_value, props JSON or None)."""
        with self._db() as db:
            if replace:
                db.execute("DELETE FROM interaction WHERE dataset_group = ?", (dataset_group,))
            db.executemany("INSERT INTO interaction VALUES (?, ?, ?, ?, ?, ?, ?)",
                           ((dataset_group, *row) for row in rows))

    def interactions(self, dataset_group: str) -> list[tuple]:
        """(user_id, item_id, ts, event_type, event_value, props JSON or None), oldest first."""
        with self._db() as db:
            return db.execute("SELECT user_id, item_id, ts, event_type, event_value, props FROM interaction"
                              " WHERE dataset_group = ? ORDER BY ts", (dataset_group,)).fetchall()

    def history(self, dataset_group: str, user_id: str) -> list[tuple[str, float, str | None]]:
        """A user's (item_id, ts, event_type), oldest first: the index makes this sub-millisecond."""
        with self._db() as db:
            return db.execute("SELECT item_id, ts, event_type FROM interaction WHERE dataset_group = ?"
                              " AND user_id = ? ORDER BY ts", (dataset_group, user_id)).fetchall()

    def put_records(self, dataset_group: str, kind: str, records: Iterable[tuple[str, dict[str, Any]]],
                    *, replace: bool = False) -> None:
        """Items or users by id: a record with a known id replaces its earlier version."""
        with self._db() as db:
            if replace:
                db.execute("DELETE FROM record WHERE dataset_group = ? AND kind = ?", (dataset_group, kind))
            db.executemany("INSERT OR REPLACE INTO record VALUES (?, ?, ?, ?)",
                           ((dataset_group, kind, rid, json.dumps(props)) for rid, props in records))
        with self._lock:
            self._generation += 1

    def records(self, dataset_group: str, kind: str) -> dict[str, dict[str, Any]]:
        with self._db() as db:
            rows = db.execute("SELECT id, props FROM record WHERE dataset_group = ? AND kind = ?",
                              (dataset_group, kind)).fetchall()
        return {rid: json.loads(props) for rid, props in rows}

    @property
    def generation(self) -> int:
        return self._generation

    def drop_data(self, dataset_group: str, kind: str) -> None:
        """A deleted dataset's rows: "Interactions", or the records of "Items"/"Users"."""
        with self._db() as db:
            if kind == "Interactions":
                db.execute("DELETE FROM interaction WHERE dataset_group = ?", (dataset_group,))
            else:
                db.execute("DELETE FROM record WHERE dataset_group = ? AND kind = ?", (dataset_group, kind))
        with self._lock:
            self._generation += 1
