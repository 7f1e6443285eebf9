"""Textract's asynchronous operations: StartDocumentTextDetection / GetDocumentTextDetection and
StartDocumentAnalysis / GetDocumentAnalysis, for documents of up to 3000 pages.

A mixin of `Textract`. Start checks what can be checked at once (the S3 object, its format, size
and page count) so such faults answer as errors, as AWS's do; the pages are read on a worker thread
of core.service_jobs. The job record is durable (SQLite); the blocks go to a JSON file beside it,
and also to `s3://<OutputConfig.S3Bucket>/<S3Prefix>/<JobId>/1` when an OutputConfig is given.
Get pages through the blocks with MaxResults/NextToken.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from core.errors import DocumentTooLarge, InvalidJobId, InvalidParameter
from core.model_registry import ModelRegistry
from core.paging import offset_page
from core.s3_object import InlineOrS3
from core.service import operation
from core.service_jobs import JobRecord, JobStore, runner_of
from core.storage import Location, Storage
from documents.textract.analysis import check_features
from documents.textract.document import ASYNC_PAGES, Document
from documents.textract.shapes import (
    MODEL_VERSION,
    Block,
    DocumentLocation,
    DocumentMetadata,
    GetDocumentAnalysisResponse,
    GetDocumentTextDetectionResponse,
    GetJobRequest,
    GetJobResponse,
    QueriesConfig,
    StartDocumentAnalysisRequest,
    StartDocumentTextDetectionRequest,
    StartJobResponse,
)

TEXT_DETECTION = "TEXT_DETECTION"
ANALYSIS = "ANALYSIS"
ASYNC_BYTES = 500 * 1024 * 1024  # AWS: PDF and TIFF jobs up to 500 MB
ASYNC_IMAGE_BYTES = 10 * 1024 * 1024  # and images up to 10 MB, as in the synchronous operations
PAGE_SIZE = 1000  # AWS's default and largest MaxResults
_STATUS = {"SUBMITTED": "IN_PROGRESS", "IN_PROGRESS": "IN_PROGRESS", "COMPLETED": "SUCCEEDED", "FAILED": "FAILED"}


class JobOperations:
    _models: ModelRegistry

    def _folder(self) -> Path:
        return self._models.settings.data_dir / "textract"

    def _job_store(self) -> JobStore:
        # Read per call: the gateway configures the registry's settings after services are built.
        return runner_of(self).store(self._folder() / "jobs.sqlite3")

    def _open_job_document(self, location: DocumentLocation) -> Document:
        if location.S3Object is None:
            raise InvalidParameter("DocumentLocation needs an S3Object.")
        return self._open(InlineOrS3(S3Object=location.S3Object), max_bytes=ASYNC_BYTES,  # type: ignore[attr-defined]
                          max_pages=ASYNC_PAGES)

    def _start(self, kind: str, request: StartDocumentTextDetectionRequest, features: list[str],
               queries: QueriesConfig | None) -> StartJobResponse:
        document = self._open_job_document(request.DocumentLocation)
        if document.kind in ("PNG", "JPEG") and document.size > ASYNC_IMAGE_BYTES:
            raise DocumentTooLarge(f"The {document.kind} image is {document.size} bytes; images may be 10 MB.")
        job_id = uuid.uuid4().hex
        params = {"JobTag": request.JobTag, "OutputConfig": request.OutputConfig and request.OutputConfig.model_dump()}

        def work(record: JobRecord) -> None:
            blocks = [block for page in document.pages()
                      for block in self.page_blocks(page, features, queries)]  # type: ignore[attr-defined]
            result = {"Pages": document.page_count, "Blocks": [b.model_dump(exclude_none=True) for b in blocks]}
            self._save(record, result)

        record = runner_of(self).submit(self._job_store(), job_id, kind, None, params, request.ClientRequestToken, work)
        return StartJobResponse(JobId=record.job_id)

    def _save(self, record: JobRecord, result: dict) -> None:
        text = json.dumps(result)
        path = self._folder() / "results" / f"{record.job_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        output = record.params.get("OutputConfig")
        if output:
            prefix = (output.get("S3Prefix") or "").strip("/")
            key = "/".join(part for part in (prefix, record.job_id, "1") if part)
            response = {"DocumentMetadata": {"Pages": result["Pages"]}, "JobStatus": "SUCCEEDED", **result}
            Storage(self._models.settings).write_bytes(Location("s3", output["S3Bucket"], key),
                                                       json.dumps(response).encode(), "application/json")

    def _get(self, kind: str, request: GetJobRequest) -> GetJobResponse:
        record = self._job_store().get(kind, request.JobId)
        if record is None:
            raise InvalidJobId(f"No {kind.lower().replace('_', ' ')} job has the id {request.JobId!r}.")
        status = _STATUS[record.status]
        if status != "SUCCEEDED":
            return GetJobResponse(JobStatus=status, StatusMessage=record.message)
        result = json.loads((self._folder() / "results" / f"{record.job_id}.json").read_text())
        size = min(request.MaxResults or PAGE_SIZE, PAGE_SIZE)  # AWS returns at most 1000, whatever is asked
        blocks, token = offset_page(result["Blocks"], request.NextToken, size, default_size=PAGE_SIZE,
                                    error=InvalidParameter)
        return GetJobResponse(JobStatus=status, DocumentMetadata=DocumentMetadata(Pages=result["Pages"]),
                              Blocks=[Block.model_validate(b) for b in blocks], NextToken=token)

    @operation
    def start_document_text_detection(self, request: StartDocumentTextDetectionRequest) -> StartJobResponse:
        """Start detecting the text of a document in S3 (PDF or TIFF up to 3000 pages, or an image)."""
        return self._start(TEXT_DETECTION, request, [], None)

    @operation(text_out=("Blocks[*].Text",))
    def get_document_text_detection(self, request: GetJobRequest) -> GetDocumentTextDetectionResponse:
        """The status of a text detection job and, once it succeeded, its blocks a page of results at a time."""
        found = self._get(TEXT_DETECTION, request)
        return GetDocumentTextDetectionResponse(**dict(found), DetectDocumentTextModelVersion=MODEL_VERSION)

    @operation
    def start_document_analysis(self, request: StartDocumentAnalysisRequest) -> StartJobResponse:
        """Start analysing a document in S3 for tables, forms, queries and layout."""
        features = check_features(request.FeatureTypes, request.QueriesConfig)
        return self._start(ANALYSIS, request, features, request.QueriesConfig)

    @operation(text_out=("Blocks[*].Text",))
    def get_document_analysis(self, request: GetJobRequest) -> GetDocumentAnalysisResponse:
        """The status of a document analysis job and, once it succeeded, its blocks a page of results at a time."""
        found = self._get(ANALYSIS, request)
        return GetDocumentAnalysisResponse(**dict(found), AnalyzeDocumentModelVersion=MODEL_VERSION)
