"""Custom vocabularies and vocabulary filters: named lists of words in SQLite, one table for both
kinds (they differ only in how a job uses them)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from core.sqlite_db import transaction

VOCABULARY = "vocabulary"
FILTER = "filter"


@dataclass(frozen=True)
class WordList:
    kind: str
    name: str
    language: str
    words: list[str]
    modified: datetime


_SCHEMA = ("CREATE TABLE IF NOT EXISTS word_list (kind TEXT NOT NULL, name TEXT NOT NULL,"
           " language TEXT NOT NULL, words TEXT NOT NULL, modified TEXT NOT NULL, PRIMARY KEY (kind, name))")


class WordListStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.path, _SCHEMA)

    def create(self, kind: str, name: str, language: str, words: list[str]) -> WordList | None:
        """The new list, or None when the name is taken."""
        modified = datetime.now(timezone.utc)
        with self._db() as db:
            created = db.execute("INSERT OR IGNORE INTO word_list VALUES (?, ?, ?, ?, ?)",
                                 (kind, name, language, json.dumps(words), modified.isoformat())).rowcount
        return WordList(kind, name, language, words, modified) if created else None

    def get(self, kind: str, name: str) -> WordList | None:
        with self._db() as db:
            row = db.execute("SELECT kind, name, language, words, modified FROM word_list WHERE kind = ? AND name = ?",
                             (kind, name)).fetchone()
        return _word_list(row) if row else None

    def list(self, kind: str, name_contains: str | None) -> list[WordList]:
        with self._db() as db:
            rows = db.execute("SELECT kind, name, language, words, modified FROM word_list WHERE kind = ?"
                              " AND instr(lower(name), lower(?)) > 0 ORDER BY name", (kind, name_contains or "")).fetchall()
        return [_word_list(row) for row in rows]

    def delete(self, kind: str, name: str) -> bool:
        with self._db() as db:
            return db.execute("DELETE FROM word_list WHERE kind = ? AND name = ?", (kind, name)).rowcount == 1


def _word_list(row: tuple) -> WordList:
    kind, name, language, words, modified = row
    return WordList(kind, name, language, json.loads(words), datetime.fromisoformat(modified))
