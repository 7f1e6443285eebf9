"""Training a custom classifier: AWS's CSV format, the held-out split, evaluation, the background job.

The CSV is AWS's: one document per row, `label,text`, no header; in MULTI_LABEL mode the first column
holds several labels joined by the LabelDelimiter ("|" unless given). As AWS does, 10% of the
documents (per label, for multi-class) are held out, the model is trained on the rest, and the
evaluation metrics are those of the held-out documents, unless a TestS3Uri names a test set.
"""

from __future__ import annotations

import csv
import io
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.errors import ServiceError
from core.storage import Location, Storage
from nlp.comprehend_classifiers_shapes import (
    ClassifierEvaluationMetrics,
    ClassifierMetadata,
    DocumentClassifierProperties,
)
from nlp.comprehend_classifiers_store import HEARTBEAT_S, ClassifierStore, now
from nlp.engines import text_classifier
from nlp.engines.text_classifier import Embedder

log = logging.getLogger("aigw.comprehend")

TEST_SHARE = 0.1
# Fewer documents than this leave too little to learn a label from and to test it on.
MIN_DOCUMENTS_PER_LABEL = 10

Document = tuple[list[str], str]  # (labels, text)


class TrainingDataError(ValueError):
    """The data cannot train a classifier; the message, meant for the user, says why."""


def parse_csv(data: bytes, source: str, *, multi_label: bool, delimiter: str) -> list[Document]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TrainingDataError(f"{source} is not UTF-8 text (byte {exc.start}).") from None
    documents: list[Document] = []
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < 2:
                raise TrainingDataError(f"Line {reader.line_num} of {source} has one column; rows are label,text.")
            # Unquoted commas split a text into cells: they belong to the text.
            label_cell, document = row[0].strip(), ",".join(row[1:]).strip()
            labels = [label.strip() for label in label_cell.split(delimiter)] if multi_label else [label_cell]
            if not document or not all(labels):
                raise TrainingDataError(f"Line {reader.line_num} of {source} has an empty label or text.")
            documents.append((sorted(set(labels)), document))
    except csv.Error as exc:
        raise TrainingDataError(f"{source} is not valid CSV: {exc}.") from None
    return documents


def _targets(documents: list[Document], labels: list[str]) -> np.ndarray:
    column = {label: j for j, label in enumerate(labels)}
    targets = np.zeros((len(documents), len(labels)), dtype=np.int8)
    for i, (names, _) in enumerate(documents):
        targets[i, [column[name] for name in names]] = 1
    return targets


def _check_labels(targets: np.ndarray, labels: list[str], multi_label: bool) -> None:
    if len(labels) < 2:
        raise TrainingDataError(f"The training data has {len(labels)} label(s); a classifier needs at least 2.")
    for label, count in zip(labels, targets.sum(axis=0)):
        if count < MIN_DOCUMENTS_PER_LABEL:
            raise TrainingDataError(
                f"Label {label!r} has {count} document(s); each label needs at least {MIN_DOCUMENTS_PER_LABEL}."
            )
        if multi_label and count == len(targets):
            raise TrainingDataError(f"Label {label!r} is on every document, so there is nothing to tell it from.")


def _split(targets: np.ndarray, multi_label: bool) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) row indices; the same every run, so that metrics are reproducible."""
    order = np.random.default_rng(0).permutation(len(targets))
    if multi_label:
        test = order[: max(1, round(TEST_SHARE * len(order)))]
    else:  # per class, so that every class is tested and trained on
        classes = targets.argmax(axis=1)[order]
        test = np.concatenate([
            members[: max(1, round(TEST_SHARE * len(members)))]
            for members in (order[classes == c] for c in range(targets.shape[1]))
        ])
    return np.setdiff1d(order, test), np.sort(test)


def evaluate(
    model: text_classifier.TextClassifier, texts: list[str], targets: np.ndarray
) -> ClassifierEvaluationMetrics:
    from sklearn.metrics import accuracy_score, hamming_loss, precision_recall_fscore_support

    scores = model.scores(texts)
    # Multi-label compares indicator matrices: Accuracy is the share of documents given exactly their labels.
    if model.multi_label:
        truth, predicted = targets, (scores >= text_classifier.LABEL_THRESHOLD).astype(np.int8)
    else:
        truth, predicted = targets.argmax(axis=1), scores.argmax(axis=1)
    labels = list(range(targets.shape[1]))
    macro = precision_recall_fscore_support(truth, predicted, labels=labels, average="macro", zero_division=0)
    micro = precision_recall_fscore_support(truth, predicted, labels=labels, average="micro", zero_division=0)
    return ClassifierEvaluationMetrics(
        Accuracy=accuracy_score(truth, predicted),
        Precision=macro[0], Recall=macro[1], F1Score=macro[2],
        MicroPrecision=micro[0], MicroRecall=micro[1], MicroF1Score=micro[2],
        HammingLoss=hamming_loss(truth, predicted),
    )


@dataclass
class TrainingJob:
    resource_id: str
    properties: DocumentClassifierProperties
    engine: str
    train_files: list[Location]
    test_files: list[Location]
    store: ClassifierStore
    storage: Storage
    embedder: Callable[[], Embedder]

    def start(self) -> None:
        # Daemon: a shutdown does not wait for training; the stopped heartbeat turns the job IN_ERROR.
        threading.Thread(target=self.run, name=f"train {self.resource_id}", daemon=True).start()

    def run(self) -> None:
        stopped = threading.Event()
        threading.Thread(target=self._beat, args=(stopped,), daemon=True).start()
        props = self.properties
        try:
            props = self._record(props, Status="TRAINING", TrainingStartTime=now())
            metadata = self._train(props)
            self._record(props, ClassifierMetadata=metadata, Status="TRAINED", TrainingEndTime=now(), EndTime=now())
        except _Abandoned:
            log.warning("training %s outlived its record, which a reader declared dead", self.resource_id)
        except (TrainingDataError, ServiceError) as exc:
            self._fail(props, str(exc))
        except Exception as exc:  # a bug must still end the job, never leave it TRAINING
            log.exception("training %s failed", self.resource_id)
            self._fail(props, f"Training failed: {exc}")
        finally:
            stopped.set()

    def _fail(self, props: DocumentClassifierProperties, message: str) -> None:
        failed = props.model_copy(update={"Status": "IN_ERROR", "Message": message, "EndTime": now()})
        self.store.update_in_flight(self.resource_id, failed)

    def _beat(self, stopped: threading.Event) -> None:
        while not stopped.wait(HEARTBEAT_S):
            self.store.beat(self.resource_id)

    def _record(self, props: DocumentClassifierProperties, **update: object) -> DocumentClassifierProperties:
        props = props.model_copy(update=update)
        if not self.store.update_in_flight(self.resource_id, props):
            raise _Abandoned(self.resource_id)
        return props

    def _read(self, files: list[Location]) -> list[Document]:
        config = self.properties.InputDataConfig
        return [
            document
            for location in files
            for document in parse_csv(
                self.storage.read_bytes(location), str(location),
                multi_label=self.properties.Mode == "MULTI_LABEL", delimiter=config.LabelDelimiter or "|",
            )
        ]

    def _train(self, props: DocumentClassifierProperties) -> ClassifierMetadata:
        multi_label = props.Mode == "MULTI_LABEL"
        documents = self._read(self.train_files)
        if not documents:
            raise TrainingDataError(f"The training data at {props.InputDataConfig.S3Uri} has no documents.")
        labels = sorted({label for names, _ in documents for label in names})
        targets = _targets(documents, labels)
        _check_labels(targets, labels, multi_label)
        if self.test_files:
            train, test = documents, self._read(self.test_files)
            unknown = {label for names, _ in test for label in names} - set(labels)
            if not test or unknown:
                raise TrainingDataError(
                    f"The test data is empty or has labels the training data lacks: {sorted(unknown)}."
                )
            train_targets, test_targets = targets, _targets(test, labels)
        else:
            train_rows, test_rows = _split(targets, multi_label)
            train, test = [documents[i] for i in train_rows], [documents[i] for i in test_rows]
            train_targets, test_targets = targets[train_rows], targets[test_rows]
        if multi_label and (train_targets.min(axis=0) == train_targets.max(axis=0)).any():
            raise TrainingDataError("After holding out test documents, a label is on all or none of the rest.")
        model = text_classifier.fit(
            [text for _, text in train], train_targets, labels, multi_label=multi_label, engine=self.engine,
            language=props.LanguageCode, embedder=self.embedder,
        )
        metrics = evaluate(model, [text for _, text in test], test_targets)
        model.save(self.store.model_folder(self.resource_id))
        return ClassifierMetadata(
            NumberOfLabels=len(labels), NumberOfTrainedDocuments=len(train), NumberOfTestDocuments=len(test),
            EvaluationMetrics=metrics,
        )


class _Abandoned(Exception):
    """The job's record was declared dead by a reader (its heartbeat stalled): stop writing to it."""
