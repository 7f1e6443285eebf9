"""Request and response models of Comprehend's PII detection jobs (botocore's `comprehend` model);
only the members we fill or read."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from core.service import Shape
from nlp.comprehend_pii_shapes import PiiRedactionConfig
from nlp.comprehend_shapes import LanguageCode

# Every Comprehend job shares these shapes' members: the topics jobs' models serve the PII jobs too.
from nlp.comprehend_topics_shapes import InputDataConfig
from nlp.comprehend_topics_shapes import JobStatusType as PiiJobStatus
from nlp.comprehend_topics_shapes import ListTopicsDetectionJobsRequest as ListPiiEntitiesDetectionJobsRequest
from nlp.comprehend_topics_shapes import TopicsDetectionJobFilter as PiiEntitiesDetectionJobFilter

PiiMode = Literal["ONLY_REDACTION", "ONLY_OFFSETS"]


class PiiOutputDataConfig(Shape):
    S3Uri: str


class StartPiiEntitiesDetectionJobRequest(Shape):
    InputDataConfig: InputDataConfig
    OutputDataConfig: PiiOutputDataConfig
    Mode: PiiMode
    RedactionConfig: PiiRedactionConfig | None = None
    DataAccessRoleArn: str
    JobName: str | None = None
    LanguageCode: LanguageCode
    ClientRequestToken: str


class StartPiiEntitiesDetectionJobResponse(Shape):
    JobId: str
    JobArn: str
    JobStatus: PiiJobStatus


class JobIdRequest(Shape):
    JobId: str


class PiiEntitiesDetectionJobProperties(Shape):
    JobId: str
    JobArn: str
    JobName: str | None = None
    JobStatus: PiiJobStatus
    Message: str | None = None
    SubmitTime: datetime
    EndTime: datetime | None = None
    InputDataConfig: InputDataConfig
    OutputDataConfig: PiiOutputDataConfig
    RedactionConfig: PiiRedactionConfig | None = None
    LanguageCode: LanguageCode
    DataAccessRoleArn: str
    Mode: PiiMode


class DescribePiiEntitiesDetectionJobResponse(Shape):
    PiiEntitiesDetectionJobProperties: PiiEntitiesDetectionJobProperties


class ListPiiEntitiesDetectionJobsResponse(Shape):
    PiiEntitiesDetectionJobPropertiesList: list[PiiEntitiesDetectionJobProperties]
    NextToken: str | None = None


class StopPiiEntitiesDetectionJobResponse(Shape):
    JobId: str
    JobStatus: PiiJobStatus


__all__ = [
    "DescribePiiEntitiesDetectionJobResponse", "InputDataConfig", "JobIdRequest", "ListPiiEntitiesDetectionJobsRequest",
    "ListPiiEntitiesDetectionJobsResponse", "PiiEntitiesDetectionJobFilter", "PiiEntitiesDetectionJobProperties",
    "PiiJobStatus", "PiiMode", "PiiOutputDataConfig", "StartPiiEntitiesDetectionJobRequest",
    "StartPiiEntitiesDetectionJobResponse", "StopPiiEntitiesDetectionJobResponse",
]
