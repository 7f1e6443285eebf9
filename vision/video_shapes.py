"""The shapes of Rekognition's stored-video operations: the AWS Start*/Get* requests and answers of
label detection, face detection and person tracking, and AnalyzeVideo's, which they run per video."""

from __future__ import annotations

from typing import Literal

import pydantic

from core.s3_object import InlineOrS3, S3ObjectRef
from core.service import Shape
from vision.labels import LABEL_MODEL_VERSION, GeneralLabelsSettings, Label
from vision.shapes import BoundingBox, FaceDetail

LABELS, FACES, PERSONS = "LABEL_DETECTION", "FACE_DETECTION", "PERSON_TRACKING"
VideoAnalysis = Literal["LABEL_DETECTION", "FACE_DETECTION", "PERSON_TRACKING"]
# The member of AnalyzeVideo's answer, and of the Get operation's, that holds each analysis's results.
RESULTS_MEMBER = {LABELS: "Labels", FACES: "Faces", PERSONS: "Persons"}


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


class AnalyzeVideoRequest(Shape):
    """Not an AWS shape: what StartLabelDetection, StartFaceDetection and StartPersonTracking run on their
    video. The settings of the other analyses are ignored."""

    Video: InlineOrS3
    Analysis: VideoAnalysis
    FileName: str | None = None  # its extension names the container (VideoMetadata.Format); an S3Object's
    # Name stands for it
    MinConfidence: float | None = pydantic.Field(default=None, ge=0, le=100)  # labels
    Settings: LabelDetectionSettings | None = None  # labels
    FaceAttributes: Literal["DEFAULT", "ALL"] | None = None  # faces


class AnalyzeVideoResponse(Shape):
    """The video's metadata and every result of the analysis asked for, in time order."""

    VideoMetadata: VideoMetadata
    Labels: list[LabelDetection] | None = None
    Faces: list[FaceDetection] | None = None
    Persons: list[PersonDetection] | None = None
