"""The catalog of custom classifiers and their endpoints: one SQLite file under
`<data_dir>/comprehend/classifiers/`, beside each trained model's folder.

Records are keyed by resource id (`document-classifier/<name>[/version/<v>]`), not the whole ARN, so a
client that writes another region or account into an ARN still finds its classifier.

Training runs in a thread of the process that accepted it, and that thread writes a heartbeat. A
record still SUBMITTED or TRAINING whose heartbeat has stopped belongs to a process that is gone (a
restart, a crash): any reader turns it IN_ERROR, so no job stays in flight forever. A heartbeat,
rather than "every in-flight job at start-up", lets several workers share one data_dir.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path

from core.sqlite_db import transaction
from nlp.comprehend_classifiers_shapes import DocumentClassifierProperties, EndpointProperties

IN_FLIGHT = ("SUBMITTED", "TRAINING")
HEARTBEAT_S = 5.0
# Several missed heartbeats: a busy machine may delay one, not twelve.
STALE_AFTER_S = 60.0
INTERRUPTED = (
    "Training was interrupted: the service stopped before it finished. Delete the classifier and create it again."
)


def now() -> datetime:
    return datetime.now(timezone.utc)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS classifier (id TEXT PRIMARY KEY, submitted REAL NOT NULL, status TEXT NOT NULL,
    heartbeat REAL NOT NULL, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS endpoint (id TEXT PRIMARY KEY, created REAL NOT NULL, record TEXT NOT NULL);
"""


class ClassifierStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._path = root / "catalog.sqlite3"

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self._path, _SCHEMA)

    def model_folder(self, resource_id: str) -> Path:
        # "<name>/_" for an unversioned classifier: versions match [a-zA-Z0-9-]+, so "_" is never one of them,
        # and deleting one version's folder never touches another's.
        _, name, *version = resource_id.split("/")
        return self.root / "models" / name / (version[-1] if version else "_")

    # Classifiers

    def add_classifier(self, resource_id: str, props: DocumentClassifierProperties) -> bool:
        """False when the id is taken."""
        try:
            with self._db() as db:
                db.execute(
                    "INSERT INTO classifier VALUES (?, ?, ?, ?, ?)",
                    (resource_id, props.SubmitTime.timestamp(), props.Status, time.time(), props.model_dump_json()),
                )
        except sqlite3.IntegrityError:
            return False
        return True

    def update_in_flight(self, resource_id: str, props: DocumentClassifierProperties) -> bool:
        """Write a training job's progress, unless the job was meanwhile declared dead: False then."""
        with self._db() as db:
            return db.execute(
                f"UPDATE classifier SET status = ?, heartbeat = ?, record = ? WHERE id = ? AND status IN {IN_FLIGHT}",
                (props.Status, time.time(), props.model_dump_json(), resource_id),
            ).rowcount > 0

    def beat(self, resource_id: str) -> None:
        with self._db() as db:
            db.execute(
                f"UPDATE classifier SET heartbeat = ? WHERE id = ? AND status IN {IN_FLIGHT}",
                (time.time(), resource_id),
            )

    def classifier(self, resource_id: str) -> DocumentClassifierProperties | None:
        with self._db() as db:
            self._fail_abandoned(db)
            row = db.execute("SELECT record FROM classifier WHERE id = ?", (resource_id,)).fetchone()
        return DocumentClassifierProperties.model_validate_json(row[0]) if row else None

    def classifiers(self) -> list[DocumentClassifierProperties]:
        with self._db() as db:
            self._fail_abandoned(db)
            rows = db.execute("SELECT record FROM classifier ORDER BY submitted, id").fetchall()
        return [DocumentClassifierProperties.model_validate_json(r[0]) for r in rows]

    def delete_classifier(self, resource_id: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM classifier WHERE id = ?", (resource_id,))
        shutil.rmtree(self.model_folder(resource_id), ignore_errors=True)

    @staticmethod
    def _fail_abandoned(db: sqlite3.Connection) -> None:
        rows = db.execute(
            f"SELECT id, record FROM classifier WHERE status IN {IN_FLIGHT} AND heartbeat < ?",
            (time.time() - STALE_AFTER_S,),
        ).fetchall()
        for resource_id, record in rows:
            props = DocumentClassifierProperties.model_validate_json(record)
            failed = props.model_copy(update={"Status": "IN_ERROR", "Message": INTERRUPTED, "EndTime": now()})
            db.execute(
                "UPDATE classifier SET status = ?, record = ? WHERE id = ?",
                (failed.Status, failed.model_dump_json(), resource_id),
            )

    # Endpoints

    def add_endpoint(self, resource_id: str, props: EndpointProperties) -> bool:
        try:
            with self._db() as db:
                db.execute(
                    "INSERT INTO endpoint VALUES (?, ?, ?)",
                    (resource_id, props.CreationTime.timestamp(), props.model_dump_json()),
                )
        except sqlite3.IntegrityError:
            return False
        return True

    def endpoint(self, resource_id: str) -> EndpointProperties | None:
        with self._db() as db:
            row = db.execute("SELECT record FROM endpoint WHERE id = ?", (resource_id,)).fetchone()
        return EndpointProperties.model_validate_json(row[0]) if row else None

    def endpoints(self) -> list[EndpointProperties]:
        with self._db() as db:
            rows = db.execute("SELECT record FROM endpoint ORDER BY created, id").fetchall()
        return [EndpointProperties.model_validate_json(r[0]) for r in rows]

    def delete_endpoint(self, resource_id: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM endpoint WHERE id = ?", (resource_id,))
