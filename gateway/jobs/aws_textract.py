"""Textract's StartDocumentTextDetection / GetDocumentTextDetection and StartDocumentAnalysis /
GetDocumentAnalysis, on the JobEngine.

A job is one engine job over one S3 object (JobLayout.object_key): it runs the domain's
textract.AnalyzeDocumentPages on the document and writes the whole response as JSON to `<output>/1`,
the file name AWS gives a job's first output file. The output is
`s3://<OutputConfig.S3Bucket>/<S3Prefix>/<JobId>/` as AWS names it, or a folder under the data_dir
without an OutputConfig; the manifest and summary go beside `1`. Get reads that file back and pages
through its blocks. Start makes the domain's Start-time checks first, so that a bad document is an
error of the request, as AWS's is, rather than a failed job.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from core.errors import InvalidJobId, InvalidParameter
from core.paging import offset_page
from core.service import operation
from documents.textract.analysis import check_features
from documents.textract.shapes import (
    MODEL_VERSION,
    AnalyzeDocumentPagesRequest,
    Block,
    DocumentMetadata,
    GetDocumentAnalysisResponse,
    GetDocumentTextDetectionResponse,
    GetJobRequest,
    GetJobResponse,
    OutputConfig,
    StartDocumentAnalysisRequest,
    StartDocumentTextDetectionRequest,
    StartJobResponse,
)
from gateway.jobs.aws_jobs import EngineJobs, single_object_failure
from gateway.jobs.store import JobLayout

PAGES_OPERATION = "textract.AnalyzeDocumentPages"
RESULT = "1"  # AWS names a job's output files 1, 2, ...: one file holds all the blocks here
PAGE_SIZE = 1000  # AWS's default and largest MaxResults


class TextractJobOperations(EngineJobs):
    TEXT_DETECTION = "DocumentTextDetection"
    ANALYSIS = "DocumentAnalysis"

    check_document_pages: Callable[[AnalyzeDocumentPagesRequest], None]  # the host Textract's Start-time checks

    def _output(self, config: OutputConfig | None, job_id: str) -> str:
        if config is None:
            return str(self._models.settings.data_dir / "textract" / "results" / job_id)
        prefix = (config.S3Prefix or "").strip("/")
        return f"s3://{config.S3Bucket}/" + "/".join(part for part in (prefix, job_id) if part) + "/"

    def _start_pages(self, kind: str, request: StartDocumentTextDetectionRequest,
                     parameters: dict[str, Any]) -> StartJobResponse:
        document = request.DocumentLocation.S3Object
        if document is None:
            raise InvalidParameter("DocumentLocation needs an S3Object.")
        self.check_document_pages(AnalyzeDocumentPagesRequest.model_validate(
            {"Document": {"S3Object": document.model_dump()}, **parameters}))
        # Without a token every request is a new job; the object's current version is read (as before).
        token = request.ClientRequestToken or uuid.uuid4().hex
        details = request.model_dump(mode="json", include={"JobTag", "OutputConfig"}, exclude_none=True)
        job = self._start(kind, token, f"s3://{document.Bucket}/{document.Name}",
                          self._output(request.OutputConfig, self._job_id(kind, token)), PAGES_OPERATION,
                          parameters, details, JobLayout(object_key=RESULT))
        return StartJobResponse(JobId=job.job_id)

    def _get_pages(self, kind: str, request: GetJobRequest) -> GetJobResponse:
        _, job = self._job(kind, request.JobId, InvalidJobId)
        if not job.finished:
            return GetJobResponse(JobStatus="IN_PROGRESS")
        outcome = self._outcome(job.job_id)
        if job.state != "COMPLETED" or outcome is None or outcome.status != "SUCCEEDED":
            return GetJobResponse(JobStatus="FAILED", StatusMessage=single_object_failure(job, outcome))
        result = json.loads(self._job_engine().storage.read_bytes(outcome.output_key))  # type: ignore[arg-type]
        size = min(request.MaxResults or PAGE_SIZE, PAGE_SIZE)  # AWS returns at most 1000, whatever is asked
        blocks, token = offset_page(result["Blocks"], request.NextToken, size, default_size=PAGE_SIZE,
                                    error=InvalidParameter)
        return GetJobResponse(JobStatus="SUCCEEDED", DocumentMetadata=DocumentMetadata(**result["DocumentMetadata"]),
                              Blocks=[Block.model_validate(b) for b in blocks], NextToken=token)

    @operation
    def start_document_text_detection(self, request: StartDocumentTextDetectionRequest) -> StartJobResponse:
        """Start detecting the text of a document in S3 (PDF or TIFF up to 3000 pages, or an image)."""
        return self._start_pages(self.TEXT_DETECTION, request, {})

    @operation(text_out=("Blocks[*].Text",))
    def get_document_text_detection(self, request: GetJobRequest) -> GetDocumentTextDetectionResponse:
        """The status of a text detection job and, once it succeeded, its blocks a page of results at a time."""
        found = self._get_pages(self.TEXT_DETECTION, request)
        return GetDocumentTextDetectionResponse(**dict(found), DetectDocumentTextModelVersion=MODEL_VERSION)

    @operation
    def start_document_analysis(self, request: StartDocumentAnalysisRequest) -> StartJobResponse:
        """Start analysing a document in S3 for tables, forms, queries and layout."""
        check_features(request.FeatureTypes, request.QueriesConfig)  # none would be text detection in the job
        parameters = request.model_dump(mode="json", include={"FeatureTypes", "QueriesConfig"}, exclude_none=True)
        return self._start_pages(self.ANALYSIS, request, parameters)

    @operation(text_out=("Blocks[*].Text",))
    def get_document_analysis(self, request: GetJobRequest) -> GetDocumentAnalysisResponse:
        """The status of a document analysis job and, once it succeeded, its blocks a page of results at a time."""
        found = self._get_pages(self.ANALYSIS, request)
        return GetDocumentAnalysisResponse(**dict(found), AnalyzeDocumentModelVersion=MODEL_VERSION)
