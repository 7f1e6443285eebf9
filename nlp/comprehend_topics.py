"""Comprehend's topic detection jobs: Start, Describe and List, run on background threads.

A mixin of `Comprehend`: it reads settings through the host's model registry (`self._models`), so
the gateway's settings (data_dir, S3 endpoint) apply even though they are set after the service
is built. A job reads every object under its input prefix, models topics (nlp.topic_model) and
writes AWS's `output.tar.gz` under `<output prefix>/<account>-TOPICS-<JobId>/output/`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Iterator

from core.errors import InvalidRequest, JobNotFound, ResourceNotFound
from core.model_registry import ModelRegistry
from core.service import operation
from core.storage import Location, Storage, parse
from nlp import topic_model
from core.arns import ACCOUNT_ID, arn
from core.service_jobs import REGION, JobRecord, JobStore, runner_of
from nlp.comprehend_topics_shapes import (
    DescribeTopicsDetectionJobRequest,
    DescribeTopicsDetectionJobResponse,
    ListTopicsDetectionJobsRequest,
    ListTopicsDetectionJobsResponse,
    StartTopicsDetectionJobRequest,
    StartTopicsDetectionJobResponse,
    TopicsDetectionJobFilter,
    TopicsDetectionJobProperties,
)

KIND = "TOPICS"
# AWS ends a line at LF, CR or CRLF, and only there (not at U+2028, as str.splitlines would).
_LINE_END = re.compile(r"\r\n|\r|\n")


def _arn(job_id: str) -> str:
    return arn("comprehend", REGION, f"topics-detection-job/{job_id}")


def _properties(record: JobRecord) -> TopicsDetectionJobProperties:
    return TopicsDetectionJobProperties(
        JobId=record.job_id, JobArn=_arn(record.job_id), JobName=record.name, JobStatus=record.status,
        Message=record.message, SubmitTime=record.submit_time, EndTime=record.end_time, **record.params,
    )


def _documents(storage: Storage, prefix: Location, line_per_document: bool) -> Iterator[tuple[str, str]]:
    """(docname, text) of every non-empty document, one object in memory at a time. The docname is the
    file name, with the 0-based line number for one document per line, as AWS names them."""
    for location in storage.list_keys(prefix):
        name = location.key.rsplit("/", 1)[-1]
        text = storage.read_bytes(location).decode("utf-8", errors="replace")
        if not line_per_document:
            if text.strip():
                yield name, text
            continue
        for number, line in enumerate(_LINE_END.split(text)):
            if line.strip():
                yield f"{name}:{number}", line


def _page_token(record: JobRecord) -> str:
    key = json.dumps([record.submit_time.isoformat(timespec="microseconds"), record.job_id])
    return base64.urlsafe_b64encode(key.encode()).decode()


def _after(token: str | None) -> tuple[str, str] | None:
    if token is None:
        return None
    try:
        submitted, job_id = json.loads(base64.urlsafe_b64decode(token.encode()))
        return str(submitted), str(job_id)
    except (binascii.Error, ValueError, TypeError):
        raise InvalidRequest("NextToken is not one that ListTopicsDetectionJobs returned.") from None


class TopicsOperations:
    _models: ModelRegistry

    def _job_store(self) -> JobStore:
        # Read per call: the gateway configures the registry's settings after services are built.
        return runner_of(self).store(self._models.settings.data_dir / "comprehend" / "jobs.sqlite3")

    def _detect_topics(self, record: JobRecord) -> None:
        """The job's work, on a worker thread: raises to fail the job with the reason."""
        storage = Storage(self._models.settings)
        source = record.params["InputDataConfig"]
        documents = _documents(storage, parse(source["S3Uri"]), source["InputFormat"] == "ONE_DOC_PER_LINE")
        topics = topic_model.detect(documents, record.params["NumberOfTopics"])
        storage.write_bytes(record.params["OutputDataConfig"]["S3Uri"], topics.archive(), "application/gzip")

    @operation
    def start_topics_detection_job(self, request: StartTopicsDetectionJobRequest) -> StartTopicsDetectionJobResponse:
        """Start finding the topics of the documents under an S3 prefix; poll DescribeTopicsDetectionJob."""
        storage = Storage(self._models.settings)
        source = parse(request.InputDataConfig.S3Uri)
        # Fail what can be known now up front, instead of as a FAILED job: one listed key suffices.
        try:
            if next(iter(storage.list_keys(source)), None) is None:
                raise InvalidRequest(f"There are no input documents under {request.InputDataConfig.S3Uri}.")
        except ResourceNotFound as exc:
            raise InvalidRequest(f"The input data cannot be read: {exc.message}") from None
        job_id = uuid.uuid4().hex
        output = parse(request.OutputDataConfig.S3Uri).child(f"{ACCOUNT_ID}-{KIND}-{job_id}/output/output.tar.gz")
        params = request.model_dump(include={"InputDataConfig", "NumberOfTopics", "DataAccessRoleArn"})
        params["OutputDataConfig"] = request.OutputDataConfig.model_copy(update={"S3Uri": str(output)}).model_dump()
        record = runner_of(self).submit(self._job_store(), job_id, KIND, request.JobName, params,
                                        request.ClientRequestToken, self._detect_topics)
        return StartTopicsDetectionJobResponse(JobId=record.job_id, JobArn=_arn(record.job_id),
                                               JobStatus=record.status)

    @operation
    def describe_topics_detection_job(
        self, request: DescribeTopicsDetectionJobRequest
    ) -> DescribeTopicsDetectionJobResponse:
        """The status and settings of a topic detection job."""
        record = self._job_store().get(KIND, request.JobId)
        if record is None:
            raise JobNotFound(f"No topic detection job has the id {request.JobId!r}.")
        return DescribeTopicsDetectionJobResponse(TopicsDetectionJobProperties=_properties(record))

    @operation
    def list_topics_detection_jobs(self, request: ListTopicsDetectionJobsRequest) -> ListTopicsDetectionJobsResponse:
        """Topic detection jobs in the order they were submitted, filtered by name, status or submit time."""
        where = request.Filter or TopicsDetectionJobFilter()
        # One more than a page tells whether another page follows.
        records = self._job_store().list(
            KIND, name=where.JobName, status=where.JobStatus, submitted_before=where.SubmitTimeBefore,
            submitted_after=where.SubmitTimeAfter, after=_after(request.NextToken), limit=request.MaxResults + 1,
        )
        page = records[:request.MaxResults]
        return ListTopicsDetectionJobsResponse(
            TopicsDetectionJobPropertiesList=[_properties(r) for r in page],
            NextToken=_page_token(page[-1]) if len(records) > len(page) else None,
        )
