"""Rekognition's stored-video operations on the JobEngine: StartLabelDetection / GetLabelDetection,
StartFaceDetection / GetFaceDetection and StartPersonTracking / GetPersonTracking.

A job is one engine job over one S3 object (JobLayout.object_key): it runs the domain's
rekognition.AnalyzeVideo on the video and writes the whole answer as JSON to
`<data_dir>/rekognition/video/<JobId>/results.json`, beside the manifest and summary: AWS keeps a
video's results in the service, so they go under the data_dir rather than to a bucket of the
user's. Get reads that file back and pages through it. Start makes the domain's Start-time checks
first, so that a missing or oversized video is an error of the request, as on AWS.
"""

from __future__ import annotations

import json
import posixpath
import uuid
from collections.abc import Callable
from typing import Any

from core.errors import InvalidPaginationToken, ResourceNotFound
from core.paging import offset_page
from core.service import operation
from gateway.jobs.aws_jobs import EngineJobs, single_object_failure
from gateway.jobs.models import JobDescription
from gateway.jobs.store import JobLayout, JobRecord
from vision.video_results import ordered_labels, ordered_persons
from vision.video_shapes import (
    FACES,
    LABELS,
    PERSONS,
    RESULTS_MEMBER,
    AnalyzeVideoRequest,
    GetFaceDetectionResponse,
    GetJobRequest,
    GetJobResponse,
    GetLabelDetectionRequest,
    GetLabelDetectionRequestMetadata,
    GetLabelDetectionResponse,
    GetPersonTrackingRequest,
    GetPersonTrackingResponse,
    StartFaceDetectionRequest,
    StartJobRequest,
    StartJobResponse,
    StartLabelDetectionRequest,
)

OPERATION = "rekognition.AnalyzeVideo"
RESULTS = "results"  # the object's key: its answer is written to results.json
PAGE_SIZE = 1000  # AWS's largest MaxResults for these operations


class RekognitionVideoJobOperations(EngineJobs):
    check_video: Callable[[AnalyzeVideoRequest], None]  # the host Rekognition's Start-time checks

    def _start_video(self, analysis: str, request: StartJobRequest, settings: dict[str, Any]) -> StartJobResponse:
        video = request.Video.S3Object
        parameters = {"Analysis": analysis, "FileName": posixpath.basename(video.Name or ""), **settings}
        self.check_video(AnalyzeVideoRequest.model_validate({"Video": {"S3Object": video.model_dump()}, **parameters}))
        # Without a token every request is a new job, as before.
        token = request.ClientRequestToken or uuid.uuid4().hex
        output = self._models.settings.data_dir / "rekognition" / "video" / self._job_id(analysis, token)
        job = self._start(analysis, token, f"s3://{video.Bucket}/{video.Name}", str(output), OPERATION, parameters,
                          request.model_dump(mode="json", include={"Video", "JobTag"}, exclude_none=True),
                          JobLayout(object_key=RESULTS))
        return StartJobResponse(JobId=job.job_id)

    def _video_job(self, analysis: str, job_id: str) -> tuple[JobRecord, JobDescription]:
        try:
            return self._job(analysis, job_id, ResourceNotFound)
        except ResourceNotFound:
            raise ResourceNotFound(f"There is no {analysis.lower().replace('_', ' ')} job {job_id}.") from None

    def _get_video(self, analysis: str, request: GetJobRequest, response: type[GetJobResponse],
                   order: Callable[[list[dict]], list[dict]]) -> Any:
        record, job = self._video_job(analysis, request.JobId)
        fields = {"JobId": job.job_id, **(record.details or {})}  # Video and JobTag, as Start was asked
        if not job.finished:
            return response.model_validate({**fields, "JobStatus": "IN_PROGRESS"})
        outcome = self._outcome(job.job_id)
        if job.state != "COMPLETED" or outcome is None or outcome.status != "SUCCEEDED":
            return response.model_validate({**fields, "JobStatus": "FAILED",
                                            "StatusMessage": single_object_failure(job, outcome)})
        result = json.loads(self._job_engine().storage.read_bytes(outcome.output_key))  # type: ignore[arg-type]
        member = RESULTS_MEMBER[analysis]
        page, token = offset_page(order(result[member]), request.NextToken, request.MaxResults,
                                  default_size=PAGE_SIZE, error=InvalidPaginationToken)
        return response.model_validate({**fields, "JobStatus": "SUCCEEDED", "VideoMetadata": result["VideoMetadata"],
                                        "NextToken": token, member: page})

    @operation
    def start_label_detection(self, request: StartLabelDetectionRequest) -> StartJobResponse:
        """Labels of a stored video, sampled twice a second, as a job."""
        return self._start_video(LABELS, request, request.model_dump(
            mode="json", include={"MinConfidence", "Settings"}, exclude_none=True))

    @operation
    def get_label_detection(self, request: GetLabelDetectionRequest) -> GetLabelDetectionResponse:
        """A label detection job's status and, once it succeeded, its labels a page at a time."""
        sort_by, aggregate_by = request.SortBy or "TIMESTAMP", request.AggregateBy or "TIMESTAMPS"
        answer = self._get_video(LABELS, request, GetLabelDetectionResponse,
                                 lambda items: ordered_labels(items, sort_by, aggregate_by))
        answer.GetRequestMetadata = GetLabelDetectionRequestMetadata(SortBy=sort_by, AggregateBy=aggregate_by)
        return answer

    @operation
    def start_face_detection(self, request: StartFaceDetectionRequest) -> StartJobResponse:
        """Faces of a stored video, sampled twice a second, as a job."""
        return self._start_video(FACES, request, request.model_dump(include={"FaceAttributes"}, exclude_none=True))

    @operation
    def get_face_detection(self, request: GetJobRequest) -> GetFaceDetectionResponse:
        """A face detection job's status and, once it succeeded, its faces a page at a time."""
        return self._get_video(FACES, request, GetFaceDetectionResponse, lambda items: items)

    @operation
    def start_person_tracking(self, request: StartJobRequest) -> StartJobResponse:
        """People of a stored video followed across samples, each with a stable Index, as a job."""
        return self._start_video(PERSONS, request, {})

    @operation
    def get_person_tracking(self, request: GetPersonTrackingRequest) -> GetPersonTrackingResponse:
        """A person tracking job's status and, once it succeeded, its people a page at a time."""
        return self._get_video(PERSONS, request, GetPersonTrackingResponse,
                               lambda items: ordered_persons(items, request.SortBy))
