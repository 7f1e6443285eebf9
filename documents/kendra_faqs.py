"""Kendra FAQs: CreateFaq, DescribeFaq, ListFaqs and DeleteFaq. A FAQ file's questions are embedded, and
a query close enough to one gets its answer as a QUESTION_ANSWER result (kendra_query).

File formats as Kendra defines them: CSV (question, answer[, source URI] per row, no header),
CSV_WITH_HEADER (columns `_question`, `_answer`, `_source_uri`), and JSON
(`{"SchemaVersion": 1, "FaqDocuments": [{"Question", "Answer", "Attributes": {"_source_uri"}}]}`).
The file is read when the FAQ is created; one that cannot be read leaves the FAQ FAILED with the reason.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import datetime, timezone


from core.errors import ResourceNotFound, ServiceError, ValidationError
from core.paging import offset_page
from core.service import operation
from core.storage import Location, Storage
from documents.parsers.parsed import decode
from documents.kendra_shapes import (
    CreateFaqRequest,
    CreateFaqResponse,
    DescribeFaqResponse,
    Empty,
    FaqIdRequest,
    FaqSummary,
    ListFaqsRequest,
    ListFaqsResponse,
)
from documents.kendra_store import ChildRecord

FaqEntry = tuple[str, str, str | None]  # question, answer, source URI


class FaqUnreadable(Exception):
    pass


def _rows(rows: list[list[str]]) -> list[FaqEntry]:
    entries = []
    for number, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise FaqUnreadable(f"Row {number} of the FAQ file needs a question and an answer.")
        entries.append((cells[0], cells[1], cells[2] if len(cells) > 2 and cells[2] else None))
    return entries


def parse_faq(data: bytes, file_format: str) -> list[FaqEntry]:
    text = decode(data)
    if file_format == "CSV":
        entries = _rows(list(csv.reader(io.StringIO(text))))
    elif file_format == "CSV_WITH_HEADER":
        reader = csv.DictReader(io.StringIO(text))
        if not {"_question", "_answer"} <= set(reader.fieldnames or []):
            raise FaqUnreadable("A CSV_WITH_HEADER FAQ file needs the columns _question and _answer.")
        entries = _rows([[r["_question"] or "", r["_answer"] or "", r.get("_source_uri") or ""] for r in reader])
    else:
        try:
            documents = json.loads(text)["FaqDocuments"]
            entries = [(d["Question"].strip(), d["Answer"].strip(), (d.get("Attributes") or {}).get("_source_uri"))
                       for d in documents]
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            raise FaqUnreadable('A JSON FAQ file needs {"FaqDocuments": [{"Question": ..., "Answer": ...}]}.') from None
    if not entries:
        raise FaqUnreadable("The FAQ file has no question and answer.")
    return entries


def _faq(self, index_id: str, faq_id: str) -> ChildRecord:
    self._index(index_id)
    faq = next((f for f in self._store().children("faq", index_id) if f.id == faq_id), None)
    if faq is None:
        raise ResourceNotFound(f"The index {index_id} has no FAQ with the id {faq_id}.")
    return faq


class FaqOperations:
    @operation
    def create_faq(self, request: CreateFaqRequest) -> CreateFaqResponse:
        """Add the questions and answers of a FAQ file in S3 to an index."""
        self._index(request.IndexId)
        store = self._store()
        created = datetime.now(timezone.utc)
        config = request.model_dump(mode="json", exclude={"IndexId", "Name", "ClientToken"}, exclude_none=True)
        faq_id = str(uuid.uuid4())
        status, error = "ACTIVE", None
        try:
            data = Storage(self._models.settings).read_bytes(Location("s3", request.S3Path.Bucket, request.S3Path.Key))
            entries = parse_faq(data, request.FileFormat)
        except (ServiceError, FaqUnreadable) as exc:
            status, error = "FAILED", getattr(exc, "message", None) or str(exc)
        except Exception as exc:  # an unreachable S3 endpoint: the FAQ fails, the service does not
            status, error = "FAILED", f"The FAQ file cannot be read: {type(exc).__name__}"
        if status == "ACTIVE":
            vectors = self._embedder().embed([q for q, _, _ in entries])
            store.put_faq_entries(request.IndexId, faq_id, [(*e, v) for e, v in zip(entries, vectors)])
        store.put_child("faq", request.IndexId, ChildRecord(faq_id, request.Name, config, status, error, created, created))
        return CreateFaqResponse(Id=faq_id)

    @operation
    def describe_faq(self, request: FaqIdRequest) -> DescribeFaqResponse:
        """A FAQ's settings and status (FAILED with the reason when its file could not be read)."""
        faq = _faq(self, request.IndexId, request.Id)
        return DescribeFaqResponse(Id=faq.id, IndexId=request.IndexId, Name=faq.name, CreatedAt=faq.created,
                                   UpdatedAt=faq.updated, Status=faq.status, ErrorMessage=faq.error, **faq.config)

    @operation
    def list_faqs(self, request: ListFaqsRequest) -> ListFaqsResponse:
        """An index's FAQs in the order they were created."""
        self._index(request.IndexId)
        page, token = offset_page(self._store().children("faq", request.IndexId), request.NextToken,
                                  request.MaxResults, default_size=100, error=ValidationError)
        return ListFaqsResponse(NextToken=token, FaqSummaryItems=[
            FaqSummary(Id=f.id, Name=f.name, Status=f.status, CreatedAt=f.created, UpdatedAt=f.updated,
                       FileFormat=f.config["FileFormat"], LanguageCode=f.config["LanguageCode"]) for f in page])

    @operation
    def delete_faq(self, request: FaqIdRequest) -> Empty:
        """Remove a FAQ and its answers from an index."""
        _faq(self, request.IndexId, request.Id)
        self._store().delete_child("faq", request.IndexId, request.Id)
        return Empty()
