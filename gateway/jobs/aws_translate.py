"""Translate's StartTextTranslationJob and its Describe/List/Stop, on the JobEngine."""

from __future__ import annotations

from core.errors import ResourceNotFound
from core.service import operation
from gateway.jobs.aws_jobs import EngineJobs, TimeMembers, aws_status
from gateway.jobs.aws_translate_shapes import (
    DescribeTextTranslationJobResponse,
    JobDetails,
    JobIdRequest,
    ListTextTranslationJobsRequest,
    ListTextTranslationJobsResponse,
    StartTextTranslationJobRequest,
    StartTextTranslationJobResponse,
    StopTextTranslationJobResponse,
    TextTranslationJobProperties,
)
from gateway.jobs.models import JobDescription
from gateway.jobs.store import JobRecord


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
        job = self._start_in_folder(self.KIND, request.ClientToken, request.InputDataConfig.S3Uri,
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
        page, token = self._filtered_list(self.KIND, request, self._properties,
                                          TimeMembers("SubmittedTime", "SubmittedBeforeTime", "SubmittedAfterTime"))
        return ListTextTranslationJobsResponse(TextTranslationJobPropertiesList=page, NextToken=token)

    @operation
    def stop_text_translation_job(self, request: JobIdRequest) -> StopTextTranslationJobResponse:
        """Stop a batch translation job: documents in flight finish, no others start."""
        self._job(self.KIND, request.JobId, ResourceNotFound)
        job = self._job_engine().cancel(request.JobId)
        return StopTextTranslationJobResponse(JobId=job.job_id, JobStatus=aws_status(job))
