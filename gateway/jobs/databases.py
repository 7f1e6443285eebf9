"""Where job records live: a SQLite file by default, PostgreSQL when `jobs.database_url` names one.

The store (gateway/jobs/store.py) writes one SQL text for both: `?` placeholders, `ON CONFLICT`
upserts and row-value comparisons mean the same in each. What differs is here: how to connect, the
schema's storage clauses, and the two-argument maximum (SQLite's MAX, PostgreSQL's GREATEST).
PostgreSQL lets gateways on several machines share one job table, and survives a lost disk.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from core.errors import InvalidRequest
from core.sqlite_db import transaction

_TABLES = """
CREATE TABLE IF NOT EXISTS job (
    job_id TEXT PRIMARY KEY, token TEXT UNIQUE, operation TEXT NOT NULL, input TEXT NOT NULL,
    output TEXT NOT NULL, parameters TEXT NOT NULL, state TEXT NOT NULL, message TEXT,
    created_at TEXT NOT NULL, started_at TEXT, ended_at TEXT,
    listed INTEGER NOT NULL DEFAULT 0, listing_complete INTEGER NOT NULL DEFAULT 0,
    runs INTEGER NOT NULL DEFAULT 0, run_started TEXT, run_base INTEGER NOT NULL DEFAULT 0,
    pii_redaction TEXT, kind TEXT, details TEXT, layout TEXT);
CREATE TABLE IF NOT EXISTS item (
    job_id TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL, output_key TEXT, error TEXT, result TEXT,
    PRIMARY KEY (job_id, key)){item_storage};
CREATE INDEX IF NOT EXISTS item_status ON item (job_id, status);
"""
# Columns added after the first release, added to tables that predate them.
_ADDED_COLUMNS = {"job": ("pii_redaction", "kind", "details", "layout"), "item": ("result",)}


class Connection(Protocol):
    def execute(self, sql: str, args: tuple | list = ()) -> Any: ...
    def executemany(self, sql: str, rows: list[tuple]) -> Any: ...


class Database(Protocol):
    greatest: str  # the SQL function of the larger of two values

    def exists(self) -> bool: ...
    def connect(self) -> Any: ...  # a context manager giving a Connection that commits on a clean exit


class SqliteDatabase:
    greatest = "MAX"

    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        return self.path.exists()

    def create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")  # the API reads while a job's driver writes
            db.executescript(_TABLES.format(item_storage=" WITHOUT ROWID"))
            for table, columns in _ADDED_COLUMNS.items():
                present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                for column in columns:
                    if column not in present:
                        db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        with transaction(self.path) as db:
            db.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable across a process crash
            yield db


class _PostgresConnection:
    """psycopg's connection with the store's `?` placeholders (its own are `%s`)."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, sql: str, args: tuple | list = ()) -> Any:
        return self._connection.execute(sql.replace("?", "%s"), args)

    def executemany(self, sql: str, rows: list[tuple]) -> Any:
        with self._connection.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), rows)


class PostgresDatabase:
    greatest = "GREATEST"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:
            raise InvalidRequest("jobs.database_url names PostgreSQL, but psycopg is not installed: "
                                 "pip install 'aigw[postgres]'.") from None
        self._psycopg = psycopg
        self.url = url

    def exists(self) -> bool:
        return True  # a server: its tables are made on first use, and resuming over none finds nothing

    def create(self) -> None:
        with self.connect() as db:
            for statement in _TABLES.format(item_storage="").split(";"):
                if statement.strip():
                    db.execute(statement)
            for table, columns in _ADDED_COLUMNS.items():
                for column in columns:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} TEXT")

    @contextmanager
    def connect(self) -> Iterator[_PostgresConnection]:
        # psycopg's connection context commits on a clean exit, rolls back on an exception, then closes.
        with self._psycopg.connect(self.url, connect_timeout=10) as connection:
            yield _PostgresConnection(connection)


def open_database(url: str | None, default_path: Path) -> SqliteDatabase | PostgresDatabase:
    """`postgresql://...` -> PostgreSQL; None -> the SQLite file at `default_path`."""
    if url is None:
        return SqliteDatabase(default_path)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url)
    raise InvalidRequest(f"jobs.database_url must be a postgresql:// URL, not {url.split(':')[0]!r}.")
