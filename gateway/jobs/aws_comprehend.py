"""Comprehend's StartPiiEntitiesDetectionJob and its Describe/List/Stop, on the JobEngine."""

from __future__ import annotations

from typing import Any

from core.arns import arn
from core.errors import InvalidRequest, JobNotFound
from core.service import operation
from gateway.jobs.aws_comprehend_shapes import (
    DescribePiiEntitiesDetectionJobResponse,
    JobIdRequest,
    ListPiiEntitiesDetectionJobsRequest,
    ListPiiEntitiesDetectionJobsResponse,
    PiiEntitiesDetectionJobProperties,
    PiiJobStatus,
    StartPiiEntitiesDetectionJobRequest,
    StartPiiEntitiesDetectionJobResponse,
    StopPiiEntitiesDetectionJobResponse,
)
from gateway.jobs.aws_jobs import EngineJobs, aws_status
from gateway.jobs.models import JobDescription
from gateway.jobs.store import JobRecord


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
        job = self._start_in_folder(self.PII, request.ClientRequestToken, request.InputDataConfig.S3Uri,
                          request.OutputDataConfig.S3Uri, operation_id, parameters, details)
        status = self._pii_properties(*self._job(self.PII, job.job_id, JobNotFound)).JobStatus
        return StartPiiEntitiesDetectionJobResponse(JobId=job.job_id, JobArn=_pii_job_arn(job.job_id),
                                                    JobStatus=status)

    @operation
    def describe_pii_entities_detection_job(
        self, request: JobIdRequest
    ) -> DescribePiiEntitiesDetectionJobResponse:
        """The status and settings of a PII detection job."""
        return DescribePiiEntitiesDetectionJobResponse(
            PiiEntitiesDetectionJobProperties=self._pii_properties(*self._job(self.PII, request.JobId, JobNotFound)))

    @operation
    def list_pii_entities_detection_jobs(
        self, request: ListPiiEntitiesDetectionJobsRequest
    ) -> ListPiiEntitiesDetectionJobsResponse:
        """PII detection jobs in submission order, filtered by name, status or submission time."""
        page, token = self._filtered_list(self.PII, request, self._pii_properties)
        return ListPiiEntitiesDetectionJobsResponse(PiiEntitiesDetectionJobPropertiesList=page, NextToken=token)

    @operation
    def stop_pii_entities_detection_job(self, request: JobIdRequest) -> StopPiiEntitiesDetectionJobResponse:
        """Stop a PII detection job: documents in flight finish, no others start."""
        self._job(self.PII, request.JobId, JobNotFound)
        job = self._job_engine().cancel(request.JobId)
        status: PiiJobStatus = self._pii_properties(*self._job(self.PII, job.job_id, JobNotFound)).JobStatus
        return StopPiiEntitiesDetectionJobResponse(JobId=job.job_id, JobStatus=status)


def _pii_job_arn(job_id: str) -> str:
    return arn("comprehend", "local", f"pii-entities-detection-job/{job_id}")
