"""Kendra's document operations: BatchPutDocument, BatchDeleteDocument and BatchGetDocumentStatus, and
the ingestion they share with data source syncs.

A document that cannot be indexed (unsupported or corrupt content, too large, an attribute the index
lacks or of the wrong type) becomes one FailedDocuments entry; the rest of the batch is indexed.
Indexing is synchronous here: a document is INDEXED when BatchPutDocument returns.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from core import ocr
from core.errors import ResourceNotFound, ServiceError
from core.service import operation
from core.storage import Location, Storage
from documents import parsers
from documents.kendra_attributes import check_types, stored
from documents.kendra_passages import split_passages
from documents.kendra_shapes import (
    BatchDeleteDocumentRequest,
    BatchDeleteDocumentResponse,
    BatchGetDocumentStatusRequest,
    BatchGetDocumentStatusResponse,
    BatchPutDocumentRequest,
    BatchPutDocumentResponse,
    DocumentAttribute,
    DocumentStatus,
    FailedDocument,
)
from documents.kendra_store import DocumentRecord

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # Kendra's quota for one document's file
MAX_TEXT_BYTES = 5 * 1024 * 1024  # and for the text extracted from it


@dataclass
class Incoming:
    """One document to index, from BatchPutDocument or a data source."""

    doc_id: str
    data: bytes | None  # None when it could not be read; `error` says why
    content_type: str
    title: str | None = None
    attributes: list[DocumentAttribute] = field(default_factory=list)
    acl: list[dict[str, Any]] = field(default_factory=list)
    data_source_id: str | None = None
    error: str | None = None
    fingerprint: str | None = None  # what tells a changed document from an unchanged one; the content's hash

    @property
    def content_hash(self) -> str:
        return self.fingerprint or hashlib.sha256(self.data or b"").hexdigest()


def content_type_of(key: str) -> str:
    return parsers.EXTENSIONS.get(PurePosixPath(key).suffix.lower(), "PLAIN_TEXT")


class DocumentOperations:
    def _read_scan(self, image) -> str:
        """The text of a scanned PDF page, by Textract's OCR engine (loaded only when a scan arrives)."""
        return "\n".join(line.text for line in self._models.get(ocr.CAPABILITY).read(image))

    def ingest(self, index_id: str, batch: list[Incoming]) -> list[FailedDocument]:
        """Index a batch; the documents that could not be indexed, each with its reason."""
        index = self._index(index_id)
        fields = self._fields(index)
        failed: list[FailedDocument] = []
        ready: list[tuple[Incoming, str, list[str]]] = []
        embedder = self._embedder()
        for doc in batch:
            reason = doc.error or check_types(doc.attributes, fields)
            if reason is None and len(doc.data) > MAX_DOCUMENT_BYTES:
                reason = f"The document is {len(doc.data)} bytes; the limit is {MAX_DOCUMENT_BYTES}."
            if reason is None:
                try:
                    parsed = parsers.parse(doc.data, doc.content_type, self._read_scan)
                except parsers.DocumentUnreadable as exc:
                    reason = str(exc)
                except ServiceError as exc:  # no OCR engine installed for a scanned PDF
                    reason = f"The document is a scan and cannot be read: {exc.message}"
            if reason is None:
                size = len(parsed.text.encode("utf-8"))
                if size > MAX_TEXT_BYTES:
                    reason = f"The document's text is {size} bytes; the limit is {MAX_TEXT_BYTES}."
                elif not parsed.text.strip():
                    reason = "The document has no text to index."
            if reason is not None:
                failed.append(FailedDocument(Id=doc.doc_id, DataSourceId=doc.data_source_id,
                                             ErrorCode="InvalidRequest", ErrorMessage=reason))
                continue
            title = doc.title or parsed.title or doc.doc_id
            ready.append((doc, title, split_passages(parsed.text, embedder.count_tokens)))
        store = self._store()
        store.record_failures(index_id, [(f.Id, f.ErrorMessage) for f in failed])
        # One embedding call for the batch: the model is far faster on full batches.
        vectors = embedder.embed([p for _, _, passages in ready for p in passages])
        start = 0
        for doc, title, passages in ready:
            attributes = {a.Key: stored(a) for a in doc.attributes}
            attributes["_document_title"] = {"StringValue": title}
            if doc.data_source_id:
                attributes["_data_source_id"] = {"StringValue": doc.data_source_id}
            record = DocumentRecord(doc.doc_id, title, doc.content_type, attributes, doc.acl,
                                    sum(len(p.encode("utf-8")) for p in passages), "INDEXED", doc.data_source_id,
                                    doc.content_hash)
            store.put_document(index_id, record, list(zip(passages, vectors[start:start + len(passages)])))
            start += len(passages)
        return failed

    @operation
    def batch_put_document(self, request: BatchPutDocumentRequest) -> BatchPutDocumentResponse:
        """Index up to 10 documents given inline (Blob) or by S3Path; failures are reported per document."""
        self._index(request.IndexId)
        storage = Storage(self._models.settings)
        batch = []
        for document in request.Documents:
            acl = [p.model_dump(exclude_none=True) for p in document.AccessControlList or []]
            incoming = Incoming(document.Id, None, document.ContentType or "PLAIN_TEXT", document.Title,
                                document.Attributes or [], acl)
            if (document.Blob is None) == (document.S3Path is None):
                incoming.error = "A document needs exactly one of Blob or S3Path."
            elif document.Blob is not None:
                incoming.data = document.Blob
            else:
                path = document.S3Path
                incoming.content_type = document.ContentType or content_type_of(path.Key)
                try:
                    incoming.data = storage.read_bytes(Location("s3", path.Bucket, path.Key))
                except ResourceNotFound as exc:
                    incoming.error = f"The document's S3Path cannot be read: {exc.message}"
                except Exception as exc:  # unreachable endpoint, denied: still this document's fault only
                    incoming.error = f"The document's S3Path cannot be read: {type(exc).__name__}"
            batch.append(incoming)
        return BatchPutDocumentResponse(FailedDocuments=self.ingest(request.IndexId, batch))

    @operation
    def batch_delete_document(self, request: BatchDeleteDocumentRequest) -> BatchDeleteDocumentResponse:
        """Remove documents from an index; ids it does not hold are not an error, as on AWS."""
        self._index(request.IndexId)
        self._store().delete_documents(request.IndexId, request.DocumentIdList)
        return BatchDeleteDocumentResponse(FailedDocuments=[])

    @operation
    def batch_get_document_status(self, request: BatchGetDocumentStatusRequest
                                  ) -> BatchGetDocumentStatusResponse:
        """Whether each document is indexed: FAILED with the reason when its last put failed (UPDATE_FAILED when
        an earlier version stays indexed), NOT_FOUND for one never indexed or deleted."""
        self._index(request.IndexId)
        ids = [info.DocumentId for info in request.DocumentInfoList]
        store = self._store()
        found, failures = store.documents(request.IndexId, ids), store.failures(request.IndexId, ids)
        statuses = []
        for doc_id in ids:
            if doc_id in failures:
                statuses.append(DocumentStatus(
                    DocumentId=doc_id, DocumentStatus="UPDATE_FAILED" if doc_id in found else "FAILED",
                    FailureCode="InvalidRequest", FailureReason=failures[doc_id]))
            else:
                statuses.append(DocumentStatus(DocumentId=doc_id, DocumentStatus=found[doc_id].status
                                               if doc_id in found else "NOT_FOUND"))
        return BatchGetDocumentStatusResponse(Errors=[], DocumentStatusList=statuses)
