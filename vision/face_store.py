"""Face collections on disk: SQLite for collections and face records, one append-only float32
file of embeddings per collection (a face record names its row). Both survive restarts.

Searching reads the collection's live rows into one matrix, kept in memory until the collection
changes (a generation number in SQLite says when), and ranks it with one matrix product: 100k
faces take a few milliseconds (bench/vision_bench.py).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.sqlite_db import transaction

DIMENSIONS = 128
ROW_BYTES = DIMENSIONS * 4

_SCHEMA = """
CREATE TABLE IF NOT EXISTS collections (
    id TEXT PRIMARY KEY, created REAL NOT NULL, generation INTEGER NOT NULL DEFAULT 0, vectors TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS faces (
    face_id TEXT PRIMARY KEY, collection_id TEXT NOT NULL, image_id TEXT NOT NULL, external_image_id TEXT,
    box TEXT NOT NULL, confidence REAL NOT NULL, row INTEGER NOT NULL, added REAL NOT NULL);
CREATE INDEX IF NOT EXISTS faces_by_collection ON faces (collection_id, added);
"""


_OPEN: dict[Path, FaceStore] = {}
_OPEN_LOCK = threading.Lock()


@dataclass(frozen=True)
class Collection:
    id: str
    created: float
    face_count: int


@dataclass(frozen=True)
class StoredFace:
    face_id: str
    image_id: str
    external_image_id: str | None
    box: dict[str, float]  # Rekognition's BoundingBox members
    confidence: float


@dataclass
class _Matrix:
    generation: int
    face_ids: list[str]
    vectors: np.ndarray  # n x 128
    squared_norms: np.ndarray


class FaceStore:
    @classmethod
    def at(cls, folder: Path) -> FaceStore:
        """The process's one store for `folder`, so that its search matrices stay cached between calls."""
        with _OPEN_LOCK:
            store = _OPEN.get(folder)
            if store is None:
                store = _OPEN[folder] = cls(folder)
            return store

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._folder.mkdir(parents=True, exist_ok=True)
        self._path = folder / "collections.sqlite3"
        self._cache: dict[str, _Matrix] = {}
        self._cache_lock = threading.Lock()
        with transaction(self._path, _SCHEMA):
            pass

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self._path)

    def _vectors_path(self, name: str) -> Path:
        return self._folder / name

    def create(self, collection_id: str) -> bool:
        """False when the collection exists already."""
        # A fresh file name per creation: a collection deleted and made again starts empty.
        vectors = f"{collection_id}.{time.time_ns()}.f32"
        with self._db() as db:
            cursor = db.execute("INSERT OR IGNORE INTO collections (id, created, vectors) VALUES (?, ?, ?)",
                                (collection_id, time.time(), vectors))
            created = cursor.rowcount == 1
        if created:
            self._vectors_path(vectors).touch()
        return created

    def delete(self, collection_id: str) -> bool:
        with self._db() as db:
            row = db.execute("SELECT vectors FROM collections WHERE id = ?", (collection_id,)).fetchone()
            if row is None:
                return False
            db.execute("DELETE FROM faces WHERE collection_id = ?", (collection_id,))
            db.execute("DELETE FROM collections WHERE id = ?", (collection_id,))
        self._vectors_path(row[0]).unlink(missing_ok=True)
        with self._cache_lock:
            self._cache.pop(collection_id, None)
        return True

    def collections(self) -> list[Collection]:
        with self._db() as db:
            rows = db.execute("SELECT c.id, c.created, (SELECT COUNT(*) FROM faces f WHERE f.collection_id = c.id) "
                              "FROM collections c ORDER BY c.id").fetchall()
        return [Collection(*row) for row in rows]

    def collection(self, collection_id: str) -> Collection | None:
        return next((c for c in self.collections() if c.id == collection_id), None)

    def add(self, collection_id: str, image_id: str, external_image_id: str | None,
            faces: list[tuple[str, dict[str, float], float]], vectors: np.ndarray) -> bool:
        """faces: (face id, box, confidence) per row of `vectors`. False when the collection is gone."""
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")  # one writer at a time: rows are numbered by the file's length
            row = db.execute("SELECT vectors FROM collections WHERE id = ?", (collection_id,)).fetchone()
            if row is None:
                return False
            path = self._vectors_path(row[0])
            first = path.stat().st_size // ROW_BYTES
            # The vectors are on disk before the records that point at them are committed.
            with path.open("ab") as f:
                f.write(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
                f.flush()
                os.fsync(f.fileno())
            now = time.time()
            db.executemany(
                "INSERT INTO faces (face_id, collection_id, image_id, external_image_id, box, confidence, row, added) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(face_id, collection_id, image_id, external_image_id, json.dumps(box), confidence, first + i, now)
                 for i, (face_id, box, confidence) in enumerate(faces)])
            db.execute("UPDATE collections SET generation = generation + 1 WHERE id = ?", (collection_id,))
        return True

    def faces(self, collection_id: str, face_ids: list[str] | None = None) -> list[StoredFace]:
        query = ("SELECT face_id, image_id, external_image_id, box, confidence FROM faces "
                 "WHERE collection_id = ? ORDER BY added, row")
        with self._db() as db:
            rows = db.execute(query, (collection_id,)).fetchall()
        wanted = set(face_ids) if face_ids is not None else None
        return [StoredFace(r[0], r[1], r[2], json.loads(r[3]), r[4]) for r in rows
                if wanted is None or r[0] in wanted]

    def remove(self, collection_id: str, face_ids: list[str]) -> list[str]:
        """The ids that were there and are now gone."""
        with self._db() as db:
            present = [fid for fid in face_ids if db.execute(
                "SELECT 1 FROM faces WHERE collection_id = ? AND face_id = ?", (collection_id, fid)).fetchone()]
            db.executemany("DELETE FROM faces WHERE collection_id = ? AND face_id = ?",
                           [(collection_id, fid) for fid in present])
            db.execute("UPDATE collections SET generation = generation + 1 WHERE id = ?", (collection_id,))
        return present

    def _matrix(self, collection_id: str) -> _Matrix | None:
        with self._db() as db:
            head = db.execute("SELECT generation, vectors FROM collections WHERE id = ?", (collection_id,)).fetchone()
            if head is None:
                return None
            with self._cache_lock:
                cached = self._cache.get(collection_id)
            if cached is not None and cached.generation == head[0]:
                return cached
            rows = db.execute("SELECT face_id, row FROM faces WHERE collection_id = ? ORDER BY row",
                              (collection_id,)).fetchall()
        stored = np.fromfile(self._vectors_path(head[1]), dtype=np.float32).reshape(-1, DIMENSIONS)
        vectors = stored[[r[1] for r in rows]] if rows else np.zeros((0, DIMENSIONS), np.float32)
        matrix = _Matrix(head[0], [r[0] for r in rows], vectors, np.einsum("ij,ij->i", vectors, vectors))
        with self._cache_lock:
            self._cache[collection_id] = matrix
        return matrix

    def vector(self, collection_id: str, face_id: str) -> np.ndarray | None:
        matrix = self._matrix(collection_id)
        if matrix is None or face_id not in matrix.face_ids:
            return None
        return matrix.vectors[matrix.face_ids.index(face_id)]

    def nearest(self, collection_id: str, query: np.ndarray, max_distance: float,
                limit: int) -> list[tuple[str, float]]:
        """(face id, distance) of the closest faces within `max_distance`, closest first."""
        matrix = self._matrix(collection_id)
        if matrix is None or not matrix.face_ids:
            return []
        q = np.asarray(query, dtype=np.float32)
        # |v - q|^2 = |v|^2 - 2 v.q + |q|^2: one matrix-vector product, and square roots only for the few kept.
        squared = matrix.squared_norms - 2.0 * (matrix.vectors @ q) + float(q @ q)
        inside = np.flatnonzero(squared <= max_distance * max_distance)
        if inside.size > limit:
            inside = inside[np.argpartition(squared[inside], limit - 1)[:limit]]
        order = inside[np.argsort(squared[inside])]
        return [(matrix.face_ids[i], float(np.sqrt(max(squared[i], 0.0)))) for i in order]
