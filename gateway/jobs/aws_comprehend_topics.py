"""Comprehend's StartTopicsDetectionJob and its Describe/List, on the JobEngine (AWS has no Stop for it).

A job maps `comprehend.ReadTopicDocuments` over every input object into a folder of the job's own
(`<data_dir>/comprehend/topics/<JobId>/`, one JSON of documents per object, removed once the job has
ended), then its finish step, `comprehend.FitTopics`, models topics over all of them and writes AWS's
archive to `<output prefix>/<account>-TOPICS-<JobId>/output/output.tar.gz`. manifest.jsonl and
summary.json go beside `output/`: an object that cannot be read (not UTF-8) fails alone and is named
there.
"""

from __future__ import annotations

import uuid

from core.arns import ACCOUNT_ID, arn
from core.errors import InvalidRequest, JobNotFound, ResourceNotFound
from core.service import operation
from core.storage import parse
from gateway.jobs.aws_jobs import EngineJobs, aws_status
from gateway.jobs.models import JobDescription
from gateway.jobs.store import JobLayout, JobRecord
from nlp.comprehend_topics_shapes import (
    DescribeTopicsDetectionJobRequest,
    DescribeTopicsDetectionJobResponse,
    ListTopicsDetectionJobsRequest,
    ListTopicsDetectionJobsResponse,
    StartTopicsDetectionJobRequest,
    StartTopicsDetectionJobResponse,
    TopicsDetectionJobProperties,
)


def _topics_job_arn(job_id: str) -> str:
    return arn("comprehend", "local", f"topics-detection-job/{job_id}")


class ComprehendTopicsJobOperations(EngineJobs):
    TOPICS = "TOPICS"  # AWS's word in the output folder's name

    def _topics_properties(self, record: JobRecord, job: JobDescription) -> TopicsDetectionJobProperties:
        status, message = aws_status(job), job.message
        if status == "COMPLETED_WITH_ERROR":  # Comprehend has no such status: it says so in the message
            status = "COMPLETED"
            message = (f"{job.failed} of {job.total} input files could not be read and were left out; "
                       f"see {record.layout.report}manifest.jsonl.")
        return TopicsDetectionJobProperties(
            **record.details, JobId=job.job_id, JobArn=_topics_job_arn(job.job_id), JobStatus=status,
            Message=message, SubmitTime=job.created_at, EndTime=job.ended_at)

    def _check_input(self, uri: str) -> None:
        """Fail what can be known now up front, instead of as a FAILED job: one listed key suffices."""
        try:
            if next(iter(self._job_engine().storage.list_keys(uri)), None) is None:
                raise InvalidRequest(f"There are no input documents under {uri}.")
        except ResourceNotFound as exc:
            raise InvalidRequest(f"The input data cannot be read: {exc.message}") from None

    @operation
    def start_topics_detection_job(self, request: StartTopicsDetectionJobRequest) -> StartTopicsDetectionJobResponse:
        """Start finding the topics of the documents under an S3 prefix; poll DescribeTopicsDetectionJob."""
        self._check_folders(request.InputDataConfig.S3Uri, request.OutputDataConfig.S3Uri)
        self._check_input(request.InputDataConfig.S3Uri)
        token = request.ClientRequestToken or uuid.uuid4().hex  # no token: a job of its own
        job_id = self._job_id(self.TOPICS, token)
        job_folder = parse(request.OutputDataConfig.S3Uri).child(f"{ACCOUNT_ID}-{self.TOPICS}-{job_id}/")
        archive = str(job_folder.child("output/output.tar.gz"))
        documents = self._job_engine().settings.data_dir / "comprehend" / "topics" / job_id
        details = request.model_dump(mode="json", include={"InputDataConfig", "NumberOfTopics", "DataAccessRoleArn",
                                                           "JobName"}, exclude_none=True)
        # As AWS answers it: the output's S3Uri is the archive, not the prefix the request gave.
        details["OutputDataConfig"] = request.OutputDataConfig.model_copy(update={"S3Uri": archive}).model_dump(
            exclude_none=True)
        layout = JobLayout(report=f"{job_folder}/", finish={
            "operation": "comprehend.FitTopics",
            "parameters": {"NumberOfTopics": request.NumberOfTopics, "OutputUri": archive}}, scratch=True)
        job = self._start(self.TOPICS, token, request.InputDataConfig.S3Uri, str(documents),
                          "comprehend.ReadTopicDocuments", {"InputFormat": request.InputDataConfig.InputFormat},
                          details, layout)
        status = self._topics_properties(*self._job(self.TOPICS, job.job_id, JobNotFound)).JobStatus
        return StartTopicsDetectionJobResponse(JobId=job.job_id, JobArn=_topics_job_arn(job.job_id), JobStatus=status)

    @operation
    def describe_topics_detection_job(
        self, request: DescribeTopicsDetectionJobRequest
    ) -> DescribeTopicsDetectionJobResponse:
        """The status and settings of a topic detection job."""
        return DescribeTopicsDetectionJobResponse(
            TopicsDetectionJobProperties=self._topics_properties(*self._job(self.TOPICS, request.JobId, JobNotFound)))

    @operation
    def list_topics_detection_jobs(self, request: ListTopicsDetectionJobsRequest) -> ListTopicsDetectionJobsResponse:
        """Topic detection jobs in the order they were submitted, filtered by name, status or submit time."""
        if request.NextToken is not None:
            found = self._job_engine().store.get(request.NextToken)
            if found is None or found.kind != self.TOPICS:
                raise InvalidRequest("NextToken is not one that ListTopicsDetectionJobs returned.")
        page, token = self._filtered_list(self.TOPICS, request, self._topics_properties)
        return ListTopicsDetectionJobsResponse(TopicsDetectionJobPropertiesList=page, NextToken=token)
