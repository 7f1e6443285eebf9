"""Kendra's durable state: one SQLite file under `<data_dir>/kendra/` holds indexes, documents, their
passages with embeddings, FAQ entries, feedback and data sources, so an index survives a restart.

Search works on an in-memory copy of an index's passages (kendra_search.PassageMatrix) rebuilt when
the index's `generation` moves: every write that changes what a query may see bumps it.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from core.service_jobs import now
from core.sqlite_db import transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS idx (id TEXT PRIMARY KEY, name TEXT NOT NULL, token TEXT UNIQUE, config TEXT NOT NULL,
  status TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL, generation INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS doc (index_id TEXT NOT NULL, doc_id TEXT NOT NULL, title TEXT, content_type TEXT,
  attributes TEXT NOT NULL, acl TEXT NOT NULL, text_bytes INTEGER NOT NULL, status TEXT NOT NULL,
  data_source_id TEXT, content_hash TEXT, created TEXT NOT NULL, PRIMARY KEY (index_id, doc_id));
CREATE TABLE IF NOT EXISTS passage (index_id TEXT NOT NULL, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
  text TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (index_id, doc_id, ordinal));
CREATE TABLE IF NOT EXISTS faq (index_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, config TEXT NOT NULL,
  status TEXT NOT NULL, error TEXT, created TEXT NOT NULL, updated TEXT NOT NULL, PRIMARY KEY (index_id, id));
CREATE TABLE IF NOT EXISTS faq_entry (index_id TEXT NOT NULL, faq_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
  question TEXT NOT NULL, answer TEXT NOT NULL, uri TEXT, vector BLOB NOT NULL, PRIMARY KEY (index_id, faq_id, ordinal));
CREATE TABLE IF NOT EXISTS query_result (query_id TEXT NOT NULL, result_id TEXT NOT NULL, index_id TEXT NOT NULL,
  doc_id TEXT NOT NULL, PRIMARY KEY (query_id, result_id));
CREATE TABLE IF NOT EXISTS feedback (index_id TEXT NOT NULL, doc_id TEXT NOT NULL, net REAL NOT NULL,
  PRIMARY KEY (index_id, doc_id));
CREATE TABLE IF NOT EXISTS query_log (index_id TEXT NOT NULL, text TEXT NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY (index_id, text));
CREATE TABLE IF NOT EXISTS data_source (index_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
  config TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL, PRIMARY KEY (index_id, id));
CREATE TABLE IF NOT EXISTS failure (index_id TEXT NOT NULL, doc_id TEXT NOT NULL, reason TEXT NOT NULL,
  PRIMARY KEY (index_id, doc_id));
CREATE TABLE IF NOT EXISTS sync_metrics (execution_id TEXT PRIMARY KEY, metrics TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS doc_by_source ON doc (index_id, data_source_id);
"""


@dataclass(frozen=True)
class IndexRecord:
    id: str
    name: str
    config: dict[str, Any]  # the CreateIndex/UpdateIndex members, DocumentMetadataConfigurations included
    status: str
    created: datetime
    updated: datetime
    generation: int


@dataclass(frozen=True)
class DocumentRecord:
    doc_id: str
    title: str | None
    content_type: str | None
    attributes: dict[str, Any]  # key -> {"StringValue": ...} as the wire has it (dates as ISO text)
    acl: list[dict[str, Any]]
    text_bytes: int
    status: str
    data_source_id: str | None
    content_hash: str | None


@dataclass(frozen=True)
class Passage:
    doc_id: str
    text: str
    vector: np.ndarray


@dataclass(frozen=True)
class ChildRecord:
    """A FAQ or a data source: a named child of an index with its own configuration."""

    id: str
    name: str
    config: dict[str, Any]
    status: str
    error: str | None
    created: datetime
    updated: datetime


def _index(row: tuple) -> IndexRecord:
    id_, name, config, status, created, updated, generation = row
    return IndexRecord(id_, name, json.loads(config), status, datetime.fromisoformat(created),
                       datetime.fromisoformat(updated), generation)


def _document(row: tuple) -> DocumentRecord:
    doc_id, title, content_type, attributes, acl, text_bytes, status, source, content_hash = row
    return DocumentRecord(doc_id, title, content_type, json.loads(attributes), json.loads(acl), text_bytes, status,
                          source, content_hash)


_DOC_COLUMNS = "doc_id, title, content_type, attributes, acl, text_bytes, status, data_source_id, content_hash"


class KendraStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        with transaction(path, _SCHEMA):
            pass

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.path)

    # --- indexes ---

    def create_index(self, id_: str, name: str, config: dict[str, Any], token: str | None) -> tuple[IndexRecord, bool]:
        """A new index, or the one an earlier request with the same ClientToken made (and False)."""
        with self._db() as db:
            if token and (row := db.execute("SELECT id FROM idx WHERE token = ?", (token,)).fetchone()):
                return self.index(row[0]), False
            stamp = now()
            db.execute("INSERT INTO idx (id, name, token, config, status, created, updated) VALUES (?,?,?,?,?,?,?)",
                       (id_, name, token, json.dumps(config), "CREATING", stamp, stamp))
        return self.index(id_), True

    def index(self, id_: str) -> IndexRecord | None:
        with self._db() as db:
            row = db.execute("SELECT id, name, config, status, created, updated, generation FROM idx WHERE id = ?",
                             (id_,)).fetchone()
        return _index(row) if row else None

    def indexes(self) -> list[IndexRecord]:
        with self._db() as db:
            rows = db.execute("SELECT id, name, config, status, created, updated, generation FROM idx"
                              " ORDER BY created, id").fetchall()
        return [_index(r) for r in rows]

    def update_index(self, id_: str, *, name: str | None = None, config: dict[str, Any] | None = None,
                     status: str | None = None) -> None:
        with self._db() as db:
            db.execute("UPDATE idx SET name = COALESCE(?, name), config = COALESCE(?, config),"
                       " status = COALESCE(?, status), updated = ?, generation = generation + 1 WHERE id = ?",
                       (name, json.dumps(config) if config is not None else None, status, now(), id_))

    def delete_index(self, id_: str) -> None:
        with self._db() as db:
            for table in ("doc", "passage", "faq", "faq_entry", "query_result", "feedback", "query_log", "data_source",
                          "failure"):
                db.execute(f"DELETE FROM {table} WHERE index_id = ?", (id_,))
            db.execute("DELETE FROM idx WHERE id = ?", (id_,))

    def _bump(self, db: sqlite3.Connection, index_id: str) -> None:
        db.execute("UPDATE idx SET generation = generation + 1 WHERE id = ?", (index_id,))

    # --- documents ---

    def put_document(self, index_id: str, doc: DocumentRecord, passages: list[tuple[str, np.ndarray]]) -> None:
        """Insert or replace a document and its passages in one transaction: a query sees the old
        version or the new one, never half of each."""
        with self._db() as db:
            db.execute("DELETE FROM passage WHERE index_id = ? AND doc_id = ?", (index_id, doc.doc_id))
            db.execute("DELETE FROM failure WHERE index_id = ? AND doc_id = ?", (index_id, doc.doc_id))
            db.execute(
                f"INSERT OR REPLACE INTO doc (index_id, {_DOC_COLUMNS}, created) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (index_id, doc.doc_id, doc.title, doc.content_type, json.dumps(doc.attributes), json.dumps(doc.acl),
                 doc.text_bytes, doc.status, doc.data_source_id, doc.content_hash, now()))
            db.executemany("INSERT INTO passage (index_id, doc_id, ordinal, text, vector) VALUES (?,?,?,?,?)",
                           [(index_id, doc.doc_id, n, text, vector.astype(np.float32).tobytes())
                            for n, (text, vector) in enumerate(passages)])
            self._bump(db, index_id)

    def documents(self, index_id: str, doc_ids: list[str] | None = None, *,
                  data_source_id: str | None = None) -> dict[str, DocumentRecord]:
        where, args = "index_id = ?", [index_id]
        if doc_ids is not None:
            where += f" AND doc_id IN ({','.join('?' * len(doc_ids))})"
            args += doc_ids
        if data_source_id is not None:
            where += " AND data_source_id = ?"
            args.append(data_source_id)
        with self._db() as db:
            rows = db.execute(f"SELECT {_DOC_COLUMNS} FROM doc WHERE {where}", args).fetchall()
        return {row[0]: _document(row) for row in rows}

    def record_failures(self, index_id: str, failures: list[tuple[str, str]]) -> None:
        """(document id, reason) of documents that could not be indexed; an earlier version stays indexed."""
        with self._db() as db:
            db.executemany("INSERT OR REPLACE INTO failure (index_id, doc_id, reason) VALUES (?, ?, ?)",
                           [(index_id, doc_id, reason) for doc_id, reason in failures])

    def failures(self, index_id: str, doc_ids: list[str]) -> dict[str, str]:
        with self._db() as db:
            rows = db.execute(f"SELECT doc_id, reason FROM failure WHERE index_id = ? AND doc_id IN "
                              f"({','.join('?' * len(doc_ids))})", (index_id, *doc_ids)).fetchall()
        return dict(rows)

    def delete_documents(self, index_id: str, doc_ids: list[str]) -> None:
        with self._db() as db:
            for table in ("doc", "passage", "feedback", "failure"):
                db.executemany(f"DELETE FROM {table} WHERE index_id = ? AND doc_id = ?",
                               [(index_id, d) for d in doc_ids])
            self._bump(db, index_id)

    def passages(self, index_id: str) -> list[Passage]:
        with self._db() as db:
            rows = db.execute("SELECT doc_id, text, vector FROM passage WHERE index_id = ? ORDER BY doc_id, ordinal",
                              (index_id,)).fetchall()
        return [Passage(doc_id, text, np.frombuffer(vector, dtype=np.float32)) for doc_id, text, vector in rows]

    def statistics(self, index_id: str) -> tuple[int, int, int]:
        """(indexed documents, their text bytes, indexed FAQ entries)."""
        with self._db() as db:
            docs, size = db.execute("SELECT COUNT(*), COALESCE(SUM(text_bytes), 0) FROM doc WHERE index_id = ?",
                                    (index_id,)).fetchone()
            faqs = db.execute("SELECT COUNT(*) FROM faq_entry WHERE index_id = ?", (index_id,)).fetchone()[0]
        return docs, size, faqs

    # --- FAQs and data sources: children of an index ---

    def put_child(self, table: str, index_id: str, record: ChildRecord) -> None:
        with self._db() as db:
            db.execute(f"INSERT OR REPLACE INTO {table} (index_id, id, name, config, status, "
                       f"{'error, ' if table == 'faq' else ''}created, updated) VALUES "
                       f"(?,?,?,?,?,{'?,' if table == 'faq' else ''}?,?)",
                       (index_id, record.id, record.name, json.dumps(record.config), record.status,
                        *((record.error,) if table == "faq" else ()), record.created.isoformat(), now()))
            self._bump(db, index_id)

    def children(self, table: str, index_id: str) -> list[ChildRecord]:
        error = "error" if table == "faq" else "NULL"
        with self._db() as db:
            rows = db.execute(f"SELECT id, name, config, status, {error}, created, updated FROM {table}"
                              " WHERE index_id = ? ORDER BY created, id", (index_id,)).fetchall()
        return [ChildRecord(id_, name, json.loads(config), status, err, datetime.fromisoformat(created),
                            datetime.fromisoformat(updated)) for id_, name, config, status, err, created, updated in rows]

    def delete_child(self, table: str, index_id: str, id_: str) -> None:
        with self._db() as db:
            db.execute(f"DELETE FROM {table} WHERE index_id = ? AND id = ?", (index_id, id_))
            if table == "faq":
                db.execute("DELETE FROM faq_entry WHERE index_id = ? AND faq_id = ?", (index_id, id_))
            self._bump(db, index_id)

    def put_faq_entries(self, index_id: str, faq_id: str, entries: list[tuple[str, str, str | None, np.ndarray]]) -> None:
        with self._db() as db:
            db.executemany("INSERT INTO faq_entry (index_id, faq_id, ordinal, question, answer, uri, vector)"
                           " VALUES (?,?,?,?,?,?,?)",
                           [(index_id, faq_id, n, q, a, uri, v.astype(np.float32).tobytes())
                            for n, (q, a, uri, v) in enumerate(entries)])
            self._bump(db, index_id)

    def faq_entries(self, index_id: str) -> list[tuple[str, str, str | None, np.ndarray]]:
        with self._db() as db:
            rows = db.execute("SELECT question, answer, uri, vector FROM faq_entry WHERE index_id = ?"
                              " ORDER BY faq_id, ordinal", (index_id,)).fetchall()
        return [(q, a, uri, np.frombuffer(v, dtype=np.float32)) for q, a, uri, v in rows]

    # --- queries, feedback and suggestions ---

    def record_query(self, index_id: str, query_id: str, text: str | None, results: list[tuple[str, str]]) -> None:
        with self._db() as db:
            db.executemany("INSERT INTO query_result (query_id, result_id, index_id, doc_id) VALUES (?,?,?,?)",
                           [(query_id, result_id, index_id, doc_id) for result_id, doc_id in results])
            if text and text.strip():
                db.execute("INSERT INTO query_log (index_id, text, count) VALUES (?, ?, 1)"
                           " ON CONFLICT (index_id, text) DO UPDATE SET count = count + 1",
                           (index_id, " ".join(text.split()).lower()))

    def result_documents(self, index_id: str, query_id: str) -> dict[str, str]:
        with self._db() as db:
            rows = db.execute("SELECT result_id, doc_id FROM query_result WHERE index_id = ? AND query_id = ?",
                              (index_id, query_id)).fetchall()
        return dict(rows)

    def add_feedback(self, index_id: str, votes: list[tuple[str, float]]) -> None:
        with self._db() as db:
            db.executemany("INSERT INTO feedback (index_id, doc_id, net) VALUES (?, ?, ?)"
                           " ON CONFLICT (index_id, doc_id) DO UPDATE SET net = net + excluded.net",
                           [(index_id, doc_id, vote) for doc_id, vote in votes])
            self._bump(db, index_id)

    def feedback(self, index_id: str) -> dict[str, float]:
        with self._db() as db:
            return dict(db.execute("SELECT doc_id, net FROM feedback WHERE index_id = ?", (index_id,)).fetchall())

    def logged_queries(self, index_id: str, prefix: str) -> list[tuple[str, int]]:
        with self._db() as db:
            return db.execute("SELECT text, count FROM query_log WHERE index_id = ? AND text LIKE ? ESCAPE '\\'"
                              " ORDER BY count DESC, text LIMIT 200",
                              (index_id, prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"),
                              ).fetchall()

    # --- data source sync metrics ---

    def put_sync_metrics(self, execution_id: str, metrics: dict[str, int]) -> None:
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO sync_metrics (execution_id, metrics) VALUES (?, ?)",
                       (execution_id, json.dumps(metrics)))

    def sync_metrics(self, execution_id: str) -> dict[str, int] | None:
        with self._db() as db:
            row = db.execute("SELECT metrics FROM sync_metrics WHERE execution_id = ?", (execution_id,)).fetchone()
        return json.loads(row[0]) if row else None
