"""Request and response models of Translate's batch translation jobs (botocore's `translate` model);
only the members we fill or read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from core.service import Shape
from nlp.translate_shapes import TranslationSettings

JobStatusType = Literal["SUBMITTED", "IN_PROGRESS", "COMPLETED", "COMPLETED_WITH_ERROR", "FAILED",
                    "STOP_REQUESTED", "STOPPED"]


class InputDataConfig(Shape):
    S3Uri: str
    ContentType: Literal["text/plain", "text/html"]


class OutputDataConfig(Shape):
    S3Uri: str


class StartTextTranslationJobRequest(Shape):
    JobName: str | None = None
    InputDataConfig: InputDataConfig
    OutputDataConfig: OutputDataConfig
    DataAccessRoleArn: str
    SourceLanguageCode: str
    # One target per job: each object is one TranslateText/TranslateDocument call with one target.
    TargetLanguageCodes: Annotated[list[str], Field(min_length=1, max_length=1)]
    TerminologyNames: list[str] | None = None
    ClientToken: str
    Settings: TranslationSettings | None = None


class StartTextTranslationJobResponse(Shape):
    JobId: str
    JobStatus: JobStatusType


class JobIdRequest(Shape):
    JobId: str


class JobDetails(Shape):
    TranslatedDocumentsCount: int
    DocumentsWithErrorsCount: int
    InputDocumentsCount: int


class TextTranslationJobProperties(Shape):
    JobId: str
    JobName: str | None = None
    JobStatus: JobStatusType
    JobDetails: JobDetails
    SourceLanguageCode: str
    TargetLanguageCodes: list[str]
    TerminologyNames: list[str] | None = None
    Message: str | None = None
    SubmittedTime: datetime
    EndTime: datetime | None = None
    InputDataConfig: InputDataConfig
    OutputDataConfig: OutputDataConfig
    DataAccessRoleArn: str
    Settings: TranslationSettings | None = None


class DescribeTextTranslationJobResponse(Shape):
    TextTranslationJobProperties: TextTranslationJobProperties


class TextTranslationJobFilter(Shape):
    JobName: str | None = None
    JobStatus: JobStatusType | None = None
    SubmittedBeforeTime: datetime | None = None
    SubmittedAfterTime: datetime | None = None


class ListTextTranslationJobsRequest(Shape):
    Filter: TextTranslationJobFilter | None = None
    NextToken: str | None = None
    MaxResults: Annotated[int, Field(ge=1, le=500)] = 100


class ListTextTranslationJobsResponse(Shape):
    TextTranslationJobPropertiesList: list[TextTranslationJobProperties]
    NextToken: str | None = None


class StopTextTranslationJobResponse(Shape):
    JobId: str
    JobStatus: JobStatusType
