"""Stored-video jobs: Start/GetLabelDetection, Start/GetFaceDetection, Start/GetPersonTracking.

Each Start records a durable job (core/service_jobs.py) whose worker samples the video
(vision/video.py), runs the image operations' own code on each sampled frame and writes the
results to `<data_dir>/rekognition/video/<JobId>.json`; Get pages through that file.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from collections.abc import Callable
from typing import Any, Literal

import pydantic

from core.errors import InvalidPaginationToken, ResourceNotFound
from core.paging import offset_page
from core.s3_object import S3ObjectRef
from core.service import Shape, operation
from core.service_jobs import JobRecord, JobStore, runner_of
from vision.engines import faces_mediapipe
from vision.face_details import ratio_box
from vision.images import DecodedImage
from vision.labels import LABEL_MODEL_VERSION, GeneralLabelsSettings, Label
from vision.shapes import BoundingBox, FaceDetail
from vision.video import SAMPLE_INTERVAL_MS, SampledVideo, read_video

DEFAULT_PAGE = 1000  # AWS's largest MaxResults for these operations
JOB_STATUS = {"SUBMITTED": "IN_PROGRESS", "IN_PROGRESS": "IN_PROGRESS", "COMPLETED": "SUCCEEDED", "FAILED": "FAILED"}
LABELS, FACES, PERSONS = "LABEL_DETECTION", "FACE_DETECTION", "PERSON_TRACKING"
FIRST_SIGHTING_IOU = 0.3
FrameResults = Callable[[int, DecodedImage], list[dict]]  # (timestamp in ms, frame) -> the job's items


class Video(Shape):
    S3Object: S3ObjectRef


class NotificationChannel(Shape):
    SNSTopicArn: str
    RoleArn: str


# Optional members named after their own shape would resolve to their default: these names stand for them.
NotificationChannelShape = NotificationChannel


class StartJobRequest(Shape):
    Video: Video
    ClientRequestToken: str | None = pydantic.Field(default=None, min_length=1, max_length=64)
    NotificationChannel: NotificationChannelShape | None = None  # accepted; there is no SNS here to notify
    JobTag: str | None = pydantic.Field(default=None, min_length=1, max_length=256)


class LabelDetectionSettings(Shape):
    GeneralLabels: GeneralLabelsSettings | None = None


class StartLabelDetectionRequest(StartJobRequest):
    MinConfidence: float | None = pydantic.Field(default=None, ge=0, le=100)
    Features: list[Literal["GENERAL_LABELS"]] | None = None
    Settings: LabelDetectionSettings | None = None


class StartFaceDetectionRequest(StartJobRequest):
    FaceAttributes: Literal["DEFAULT", "ALL"] | None = None


class StartJobResponse(Shape):
    JobId: str


class GetJobRequest(Shape):
    JobId: str = pydantic.Field(min_length=1, max_length=64)
    MaxResults: int | None = pydantic.Field(default=None, ge=1)
    NextToken: str | None = None


class GetLabelDetectionRequest(GetJobRequest):
    SortBy: Literal["NAME", "TIMESTAMP"] | None = None
    AggregateBy: Literal["TIMESTAMPS", "SEGMENTS"] | None = None


class GetPersonTrackingRequest(GetJobRequest):
    SortBy: Literal["INDEX", "TIMESTAMP"] | None = None


class VideoMetadata(Shape):
    Codec: str
    DurationMillis: int
    Format: str
    FrameRate: float
    FrameHeight: int
    FrameWidth: int


VideoMetadataShape = VideoMetadata


class GetJobResponse(Shape):
    JobStatus: str
    StatusMessage: str | None = None
    VideoMetadata: VideoMetadataShape | None = None
    NextToken: str | None = None
    JobId: str
    Video: Video
    JobTag: str | None = None


class LabelDetection(Shape):
    Timestamp: int
    Label: Label
    StartTimestampMillis: int | None = None
    EndTimestampMillis: int | None = None
    DurationMillis: int | None = None


class GetLabelDetectionRequestMetadata(Shape):
    SortBy: str
    AggregateBy: str


class GetLabelDetectionResponse(GetJobResponse):
    Labels: list[LabelDetection] = []
    LabelModelVersion: str = LABEL_MODEL_VERSION
    GetRequestMetadata: GetLabelDetectionRequestMetadata | None = None


class FaceDetection(Shape):
    Timestamp: int
    Face: FaceDetail


class GetFaceDetectionResponse(GetJobResponse):
    Faces: list[FaceDetection] = []


class PersonDetail(Shape):
    Index: int
    BoundingBox: BoundingBox
    Face: FaceDetail | None = None


class PersonDetection(Shape):
    Timestamp: int
    Person: PersonDetail


class GetPersonTrackingResponse(GetJobResponse):
    Persons: list[PersonDetection] = []


def _segments(items: list[dict]) -> list[dict]:
    """Consecutive samples of the same label joined into one segment (AWS's AggregateBy=SEGMENTS)."""
    by_name: dict[str, list[dict]] = {}
    for item in items:
        by_name.setdefault(item["Label"]["Name"], []).append(item)
    segments = []
    for samples in by_name.values():
        current: dict | None = None
        for item in sorted(samples, key=lambda i: i["Timestamp"]):
            if current is not None and item["Timestamp"] - current["EndTimestampMillis"] <= SAMPLE_INTERVAL_MS:
                current["EndTimestampMillis"] = item["Timestamp"]
                current["Label"]["Confidence"] = max(current["Label"]["Confidence"], item["Label"]["Confidence"])
                continue
            current = {"Timestamp": item["Timestamp"], "Label": dict(item["Label"]),
                       "StartTimestampMillis": item["Timestamp"], "EndTimestampMillis": item["Timestamp"]}
            segments.append(current)
    for segment in segments:
        segment["DurationMillis"] = segment["EndTimestampMillis"] - segment["StartTimestampMillis"]
    return segments


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - width * height
    return width * height / union if union > 0 else 0.0


class PersonTracks:
    """Person indexes across frames: ByteTrack (`trackers`) over the people found in each sample.

    ByteTrack names a track from its second sighting on; the first sighting gets the name back
    when the next sample's box overlaps it, so a person's first appearance is not lost."""

    def __init__(self) -> None:
        from trackers import ByteTrackTracker

        # Samples come SAMPLE_INTERVAL_MS apart: a person may move far between two of them.
        self._tracker = ByteTrackTracker(frame_rate=1000 / SAMPLE_INTERVAL_MS, minimum_consecutive_frames=1,
                                         track_activation_threshold=0.5, lost_track_buffer=4)
        self._unnamed: list[tuple[tuple[float, ...], dict]] = []  # last sample's (box, item) without a track yet

    def name(self, boxes: list[tuple[float, float, float, float]], scores: list[float], items: list[dict]) -> None:
        """Sets each item's Person.Index from its box (x0, y0, x1, y1 in pixels); -1 while unnamed."""
        indexes = self._indexes(boxes, scores)
        for box, index, item in zip(boxes, indexes, items):
            item["Person"]["Index"] = index
            if index < 0:
                continue
            for earlier_box, earlier in self._unnamed:
                if earlier["Person"]["Index"] < 0 and _iou(earlier_box, box) >= FIRST_SIGHTING_IOU:
                    earlier["Person"]["Index"] = index
        self._unnamed = [(box, item) for box, index, item in zip(boxes, indexes, items) if index < 0]

    def _indexes(self, boxes: list[tuple[float, float, float, float]], scores: list[float]) -> list[int]:
        import numpy as np
        import supervision as sv

        detections = sv.Detections(xyxy=np.array(boxes, dtype=np.float32).reshape(-1, 4),
                                   confidence=np.array(scores, dtype=np.float32))
        tracked = self._tracker.update(detections)
        # ByteTrack answers its own (Kalman-smoothed) boxes: each input box takes the nearest one's id.
        found = []
        for box in boxes:
            gaps = [(float(np.abs(np.array(box) - t).sum()), int(i)) for t, i in zip(tracked.xyxy, tracked.tracker_id)]
            found.append(min(gaps)[1] if gaps else -1)
        return found


class VideoOperations:
    _models: Any

    def _labels(self, image: DecodedImage, general: GeneralLabelsSettings | None, min_confidence: float | None,
                max_labels: int | None) -> list[Label]:
        raise NotImplementedError

    def _face_details(self, image: DecodedImage, attributes: list[str] | None) -> list[FaceDetail]:
        raise NotImplementedError

    def _video_folder(self) -> Path:
        return self._models.settings.data_dir / "rekognition" / "video"

    def _video_jobs(self) -> JobStore:
        return runner_of(self).store(self._models.settings.data_dir / "rekognition" / "jobs.sqlite3")

    def _start(self, kind: str, request: StartJobRequest, per_frame: Callable[[], FrameResults]) -> StartJobResponse:
        """Record the job; its worker calls `per_frame()` once and the function it returns on every
        sample. The video is read here, so a missing or oversized one is this call's error, as on AWS."""
        ref = request.Video.S3Object
        data = read_video(ref, self._models.settings)
        params = {"Video": request.Video.model_dump(exclude_none=True), "JobTag": request.JobTag}

        def work(record: JobRecord) -> None:
            video = SampledVideo(data, suffix=Path(ref.Name or "").suffix)
            frame_results = per_frame()
            try:
                items = [item for at, pixels in video.frames() for item in frame_results(at, DecodedImage(pixels))]
                result = {"VideoMetadata": video.info.metadata(), "Items": items}
            finally:
                video.close()
            folder = self._video_folder()
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{record.job_id}.json").write_text(json.dumps(result))

        record = runner_of(self).submit(self._video_jobs(), uuid.uuid4().hex, kind, request.JobTag, params,
                                        request.ClientRequestToken, work)
        return StartJobResponse(JobId=record.job_id)

    def _get(self, kind: str, request: GetJobRequest, response: type[GetJobResponse], member: str,
             order: Any = None) -> Any:
        record = self._video_jobs().get(kind, request.JobId)
        if record is None:
            raise ResourceNotFound(f"There is no {kind.lower().replace('_', ' ')} job {request.JobId}.")
        fields: dict[str, Any] = {"JobStatus": JOB_STATUS[record.status], "StatusMessage": record.message,
                                  "JobId": record.job_id, "Video": record.params["Video"],
                                  "JobTag": record.params.get("JobTag")}
        path = self._video_folder() / f"{record.job_id}.json"
        if record.status == "COMPLETED" and path.exists():
            result = json.loads(path.read_text())
            items = order(result["Items"]) if order else result["Items"]
            page, token = offset_page(items, request.NextToken, request.MaxResults, default_size=DEFAULT_PAGE,
                                      error=InvalidPaginationToken)
            fields.update({"VideoMetadata": result["VideoMetadata"], "NextToken": token, member: page})
        return response.model_validate(fields)

    @operation
    def start_label_detection(self, request: StartLabelDetectionRequest) -> StartJobResponse:
        """Labels of a stored video, sampled twice a second, as a job."""
        general = request.Settings.GeneralLabels if request.Settings else None

        def labels(at: int, image: DecodedImage) -> list[dict]:
            return [{"Timestamp": at, "Label": label.model_dump(exclude_none=True)}
                    for label in self._labels(image, general, request.MinConfidence, None)]

        return self._start(LABELS, request, lambda: labels)

    @operation
    def get_label_detection(self, request: GetLabelDetectionRequest) -> GetLabelDetectionResponse:
        """A label detection job's status and, once it succeeded, its labels a page at a time."""
        sort_by, aggregate_by = request.SortBy or "TIMESTAMP", request.AggregateBy or "TIMESTAMPS"

        def order(items: list[dict]) -> list[dict]:
            chosen = _segments(items) if aggregate_by == "SEGMENTS" else items
            key = (lambda i: (i["Label"]["Name"], i["Timestamp"])) if sort_by == "NAME" else (
                lambda i: (i["Timestamp"], -i["Label"]["Confidence"]))
            return sorted(chosen, key=key)

        answer = self._get(LABELS, request, GetLabelDetectionResponse, "Labels", order)
        answer.GetRequestMetadata = GetLabelDetectionRequestMetadata(SortBy=sort_by, AggregateBy=aggregate_by)
        return answer

    @operation
    def start_face_detection(self, request: StartFaceDetectionRequest) -> StartJobResponse:
        """Faces of a stored video, sampled twice a second, as a job."""
        attributes = [request.FaceAttributes or "DEFAULT"]

        def faces(at: int, image: DecodedImage) -> list[dict]:
            return [{"Timestamp": at, "Face": face.model_dump(exclude_none=True)}
                    for face in self._face_details(image, attributes)]

        return self._start(FACES, request, lambda: faces)

    @operation
    def get_face_detection(self, request: GetJobRequest) -> GetFaceDetectionResponse:
        """A face detection job's status and, once it succeeded, its faces a page at a time."""
        return self._get(FACES, request, GetFaceDetectionResponse, "Faces")

    @operation
    def start_person_tracking(self, request: StartJobRequest) -> StartJobResponse:
        """People of a stored video followed across samples, each with a stable Index, as a job."""
        def tracking() -> FrameResults:
            tracks, engine = PersonTracks(), self._models.get(faces_mediapipe.CAPABILITY)

            def persons(at: int, image: DecodedImage) -> list[dict]:
                faces = engine.faces(image.pixels, with_mesh=False)
                # A person whose body BlazePose cannot find is still there: their face box stands for them.
                bodies = [engine.person(image.pixels, face.box) or face.box for face in faces]
                items = [{"Timestamp": at, "Person": {"BoundingBox": ratio_box(
                    body, image.width, image.height).model_dump()}} for body in bodies]
                # Indexes are set in place, and may still be set by the next sample: the items are kept by reference.
                tracks.name([(b.left, b.top, b.left + b.width, b.top + b.height) for b in bodies],
                            [face.score for face in faces], items)
                return items

            return persons

        return self._start(PERSONS, request, tracking)

    @operation
    def get_person_tracking(self, request: GetPersonTrackingRequest) -> GetPersonTrackingResponse:
        """A person tracking job's status and, once it succeeded, its people a page at a time."""
        by_index = request.SortBy == "INDEX"

        def order(items: list[dict]) -> list[dict]:
            tracked = [i for i in items if i["Person"]["Index"] >= 0]  # seen once and never again: no track
            return sorted(tracked, key=lambda i: (i["Person"]["Index"], i["Timestamp"]) if by_index else
                          (i["Timestamp"], i["Person"]["Index"]))

        return self._get(PERSONS, request, GetPersonTrackingResponse, "Persons", order)
