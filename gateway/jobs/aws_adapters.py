"""AWS asynchronous operations as thin adapters onto the JobEngine, composed onto the domain services
by the gateway (gateway/catalog.py): domain packages never import the gateway, so they cannot host them.

An AWS job is one engine job: its JobId is the engine's job id, its status is mapped from the engine's
state and counts, and what AWS echoes back (name, languages, settings) is kept in the job's `details`.
The id derives from the ClientToken (which boto3 always fills), so that the output folder, which AWS
names after the JobId, is the same for a retried request and the engine's idempotency check holds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, TypeVar

from core.arns import ACCOUNT_ID, arn
from core.errors import InvalidRequest, JobNotFound, ResourceNotFound
from core.service import Service, operation
from core.storage import parse
from gateway.jobs.aws_comprehend_shapes import (
    DescribePiiEntitiesDetectionJobResponse,
    ListPiiEntitiesDetectionJobsRequest,
    ListPiiEntitiesDetectionJobsResponse,
    PiiEntitiesDetectionJobFilter,
    PiiEntitiesDetectionJobProperties,
    StartPiiEntitiesDetectionJobRequest,
    StartPiiEntitiesDetectionJobResponse,
    StopPiiEntitiesDetectionJobResponse,
)
from gateway.jobs.aws_comprehend_shapes import JobIdRequest as ComprehendJobIdRequest
from gateway.jobs.aws_comprehend_shapes import PiiJobStatus
from gateway.jobs.aws_translate_shapes import (
    DescribeTextTranslationJobResponse,
    JobDetails,
    JobIdRequest,
    JobStatusType,
    ListTextTranslationJobsRequest,
    ListTextTranslationJobsResponse,
    StartTextTranslationJobRequest,
    StartTextTranslationJobResponse,
    StopTextTranslationJobResponse,
    TextTranslationJobFilter,
    TextTranslationJobProperties,
)
from gateway.jobs.engine import JobEngine
from gateway.jobs.models import JobDescription
from gateway.jobs.store import JobRecord

P = TypeVar("P")  # an AWS job's properties shape

_TOKEN_IDS = uuid.UUID("6f1c1f55-8d1e-4a55-9d0c-6a0d2f1e9b11")  # namespace of ids made from client tokens
_PAGE = 100  # engine jobs read per query while filtering a list


def aws_status(job: JobDescription) -> JobStatusType:
    if job.state == "CANCELLED":
        return "STOPPED" if job.finished else "STOP_REQUESTED"
    if job.state == "RUNNING":
        return "IN_PROGRESS"
    if job.state == "COMPLETED" and job.failed:
        return "COMPLETED_WITH_ERROR"
    return job.state  # SUBMITTED, COMPLETED, FAILED: the same words


class EngineJobs:
    """Access to the JobEngine for adapter mixins. The gateway attaches its engine (one engine per
    data_dir runs jobs); a service used in process without a gateway makes its own on first use."""

    _models: Any  # the host service's ModelRegistry
    _jobs: JobEngine | None = None

    def attach_jobs(self, engine: JobEngine) -> None:
        self._jobs = engine

    def _job_engine(self) -> JobEngine:
        if self._jobs is None:
            from gateway.catalog import ServiceCatalog

            self._jobs = JobEngine(self._models.settings, ServiceCatalog([self]))  # type: ignore[list-item]
        return self._jobs

    def _start(self, kind: str, token: str, source: str, output_root: str, operation_id: str,
               parameters: dict[str, Any], details: dict[str, Any]) -> JobDescription:
        job_id = uuid.uuid5(_TOKEN_IDS, f"{kind}:{token}").hex
        output = parse(output_root).child(f"{ACCOUNT_ID}-{kind}-{job_id}/")
        return self._job_engine().start(operation_id, source, str(output), parameters, f"{kind}:{token}",
                                    kind=kind, details=details, job_id=job_id)

    def _job(self, kind: str, job_id: str, missing: type[Exception]) -> tuple[JobRecord, JobDescription]:
        engine = self._job_engine()
        record = engine.store.get(job_id)
        if record is None or record.kind != kind:
            raise missing(f"No {kind} job has the id {job_id!r}.")
        return record, engine.get(job_id)

    def _list(self, kind: str, next_token: str | None, max_results: int,
              describe: Callable[[JobRecord, JobDescription], P], keep: Callable[[P], bool]) -> tuple[list[P], str | None]:
        """One page of an AWS List*Jobs answer: the jobs after `next_token` that `keep` accepts, and
        the token of the next page (the last job's id) when more follow."""
        found: list[P] = []
        for record in self._records(kind, next_token):
            properties = describe(record, self._job_engine().get(record.job_id))
            if keep(properties):
                found.append(properties)
                if len(found) > max_results:  # one more than a page: another page follows
                    break
        page = found[:max_results]
        return page, (page[-1].JobId if len(found) > len(page) else None)  # type: ignore[attr-defined]

    def _records(self, kind: str, after: str | None) -> Iterator[JobRecord]:
        """Every job of `kind` after the job `after`, in submission order, read a page at a time."""
        while page := self._job_engine().store.page(after, _PAGE, kind):
            yield from page
            after = page[-1].job_id


class TranslateJobOperations(EngineJobs):
    KIND = "TranslateText"  # AWS's word in the output folder's name

    def _properties(self, record: JobRecord, job: JobDescription) -> TextTranslationJobProperties:
        return TextTranslationJobProperties(
            **record.details, JobId=job.job_id, JobStatus=aws_status(job), Message=job.message,
            JobDetails=JobDetails(TranslatedDocumentsCount=job.done, DocumentsWithErrorsCount=job.failed,
                                  InputDocumentsCount=job.total),
            SubmittedTime=job.created_at, EndTime=job.ended_at, OutputDataConfig={"S3Uri": f"{job.output}/"})  # a folder, as AWS writes it

    @operation
    def start_text_translation_job(self, request: StartTextTranslationJobRequest) -> StartTextTranslationJobResponse:
        """Translate every document under an S3 prefix (plain text or HTML); poll DescribeTextTranslationJob."""
        html = request.InputDataConfig.ContentType == "text/html"
        parameters = request.model_dump(include={"SourceLanguageCode", "TerminologyNames", "Settings"},
                                        exclude_none=True)
        parameters["TargetLanguageCode"] = request.TargetLanguageCodes[0]
        if html:
            parameters["Document"] = {"ContentType": "text/html"}
        details = request.model_dump(mode="json", exclude={"ClientToken", "OutputDataConfig"}, exclude_none=True)
        job = self._start(self.KIND, request.ClientToken, request.InputDataConfig.S3Uri,
                          request.OutputDataConfig.S3Uri,
                          "translate.TranslateDocument" if html else "translate.TranslateText", parameters, details)
        return StartTextTranslationJobResponse(JobId=job.job_id, JobStatus=aws_status(job))

    @operation
    def describe_text_translation_job(self, request: JobIdRequest) -> DescribeTextTranslationJobResponse:
        """The status, document counts and settings of a batch translation job."""
        return DescribeTextTranslationJobResponse(
            TextTranslationJobProperties=self._properties(*self._job(self.KIND, request.JobId, ResourceNotFound)))

    @operation
    def list_text_translation_jobs(self, request: ListTextTranslationJobsRequest) -> ListTextTranslationJobsResponse:
        """Batch translation jobs in submission order, filtered by name, status or submission time."""
        where = request.Filter or TextTranslationJobFilter()
        page, token = self._list(self.KIND, request.NextToken, request.MaxResults, self._properties,
                                 lambda job: _matches(job.JobName, job.JobStatus, job.SubmittedTime, where.JobName,
                                                      where.JobStatus, where.SubmittedBeforeTime,
                                                      where.SubmittedAfterTime))
        return ListTextTranslationJobsResponse(TextTranslationJobPropertiesList=page, NextToken=token)

    @operation
    def stop_text_translation_job(self, request: JobIdRequest) -> StopTextTranslationJobResponse:
        """Stop a batch translation job: documents in flight finish, no others start."""
        self._job(self.KIND, request.JobId, ResourceNotFound)
        job = self._job_engine().cancel(request.JobId)
        return StopTextTranslationJobResponse(JobId=job.job_id, JobStatus=aws_status(job))


def _matches(name: str | None, status: str, submitted: datetime, want_name: str | None, want_status: str | None,
             before: datetime | None, after: datetime | None) -> bool:
    """An AWS List*Jobs filter: each member given must hold."""
    return ((want_name is None or name == want_name) and (want_status is None or status == want_status)
            and (before is None or submitted < before) and (after is None or submitted > after))


class ComprehendJobOperations(EngineJobs):
    """StartPiiEntitiesDetectionJob and its Describe/List/Stop: ONLY_OFFSETS runs DetectPiiEntities on
    every document (`<key>.json`), ONLY_REDACTION writes each document's redacted copy (`<key>.out`)."""

    PII = "PII"  # AWS's word in the output folder's name

    def _pii_properties(self, record: JobRecord, job: JobDescription) -> PiiEntitiesDetectionJobProperties:
        status = aws_status(job)
        message = job.message
        if status == "COMPLETED_WITH_ERROR":  # Comprehend has no such status: it says so in the message
            status, message = "COMPLETED", f"{job.failed} of {job.total} documents failed; see manifest.jsonl."
        return PiiEntitiesDetectionJobProperties(
            **record.details, JobId=job.job_id, JobArn=_pii_job_arn(job.job_id), JobStatus=status,
            Message=message, SubmitTime=job.created_at, EndTime=job.ended_at,
            OutputDataConfig={"S3Uri": f"{job.output}/"})

    @operation
    def start_pii_entities_detection_job(
        self, request: StartPiiEntitiesDetectionJobRequest
    ) -> StartPiiEntitiesDetectionJobResponse:
        """Find (ONLY_OFFSETS) or redact (ONLY_REDACTION) PII in every document under an S3 prefix or folder."""
        parameters: dict[str, Any] = {"LanguageCode": request.LanguageCode}
        if request.Mode == "ONLY_OFFSETS":
            if request.InputDataConfig.InputFormat == "ONE_DOC_PER_LINE":
                raise InvalidRequest("ONLY_OFFSETS jobs take ONE_DOC_PER_FILE input: offsets count from each "
                                     "file's start. Redaction (ONLY_REDACTION) takes either format.")
            operation_id = "comprehend.DetectPiiEntities"
        else:
            if request.RedactionConfig is None:
                raise InvalidRequest("RedactionConfig is required when Mode is ONLY_REDACTION.")
            # Redacting a file redacts each of its lines: one call per file serves both input formats.
            operation_id = "comprehend.RedactPiiEntities"
            parameters["RedactionConfig"] = request.RedactionConfig.model_dump(exclude_none=True)
        details = request.model_dump(mode="json", exclude={"ClientRequestToken", "OutputDataConfig"},
                                     exclude_none=True)
        job = self._start(self.PII, request.ClientRequestToken, request.InputDataConfig.S3Uri,
                          request.OutputDataConfig.S3Uri, operation_id, parameters, details)
        status = self._pii_properties(*self._job(self.PII, job.job_id, JobNotFound)).JobStatus
        return StartPiiEntitiesDetectionJobResponse(JobId=job.job_id, JobArn=_pii_job_arn(job.job_id),
                                                    JobStatus=status)

    @operation
    def describe_pii_entities_detection_job(
        self, request: ComprehendJobIdRequest
    ) -> DescribePiiEntitiesDetectionJobResponse:
        """The status and settings of a PII detection job."""
        return DescribePiiEntitiesDetectionJobResponse(
            PiiEntitiesDetectionJobProperties=self._pii_properties(*self._job(self.PII, request.JobId, JobNotFound)))

    @operation
    def list_pii_entities_detection_jobs(
        self, request: ListPiiEntitiesDetectionJobsRequest
    ) -> ListPiiEntitiesDetectionJobsResponse:
        """PII detection jobs in submission order, filtered by name, status or submission time."""
        where = request.Filter or PiiEntitiesDetectionJobFilter()
        page, token = self._list(self.PII, request.NextToken, request.MaxResults, self._pii_properties,
                                 lambda job: _matches(job.JobName, job.JobStatus, job.SubmitTime, where.JobName,
                                                      where.JobStatus, where.SubmitTimeBefore, where.SubmitTimeAfter))
        return ListPiiEntitiesDetectionJobsResponse(PiiEntitiesDetectionJobPropertiesList=page, NextToken=token)

    @operation
    def stop_pii_entities_detection_job(self, request: ComprehendJobIdRequest) -> StopPiiEntitiesDetectionJobResponse:
        """Stop a PII detection job: documents in flight finish, no others start."""
        self._job(self.PII, request.JobId, JobNotFound)
        job = self._job_engine().cancel(request.JobId)
        status: PiiJobStatus = self._pii_properties(*self._job(self.PII, job.job_id, JobNotFound)).JobStatus
        return StopPiiEntitiesDetectionJobResponse(JobId=job.job_id, JobStatus=status)


def _pii_job_arn(job_id: str) -> str:
    return arn("comprehend", "local", f"pii-entities-detection-job/{job_id}")


ADAPTERS: dict[str, type[EngineJobs]] = {"translate": TranslateJobOperations, "comprehend": ComprehendJobOperations}


def with_job_operations(service_class: type[Service]) -> type[Service]:
    """The service class with its AWS job operations, when it has any: `TranslateWithJobs`."""
    adapter = ADAPTERS.get(service_class.name)
    if adapter is None:
        return service_class
    return type(f"{service_class.__name__}WithJobs", (adapter, service_class), {})
