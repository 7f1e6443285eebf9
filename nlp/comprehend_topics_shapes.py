"""Request and response models of Comprehend's topic detection jobs (botocore's `comprehend` model;
only the members we fill or read), and of the two steps a job runs: ReadTopicDocuments per input
object, FitTopics over all of them (not AWS operations)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from core.service import Shape

InputFormatType = Literal["ONE_DOC_PER_FILE", "ONE_DOC_PER_LINE"]
JobStatusType = Literal["SUBMITTED", "IN_PROGRESS", "COMPLETED", "FAILED", "STOP_REQUESTED", "STOPPED"]


class InputDataConfig(Shape):
    # An s3:// prefix on the AWS door (its model's pattern); in process a local folder or file works too.
    S3Uri: str
    InputFormat: InputFormatType = "ONE_DOC_PER_FILE"


class OutputDataConfig(Shape):
    S3Uri: str
    KmsKeyId: str | None = None


class StartTopicsDetectionJobRequest(Shape):
    InputDataConfig: InputDataConfig
    OutputDataConfig: OutputDataConfig
    # AWS requires a role for its own access to S3; we use the gateway's credentials, so it is only echoed.
    DataAccessRoleArn: str | None = None
    JobName: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    NumberOfTopics: Annotated[int, Field(ge=1, le=100)] = 10
    ClientRequestToken: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class StartTopicsDetectionJobResponse(Shape):
    JobId: str
    JobArn: str
    JobStatus: JobStatusType


class TopicsDetectionJobProperties(Shape):
    JobId: str
    JobArn: str
    JobName: str | None = None
    JobStatus: JobStatusType
    Message: str | None = None
    SubmitTime: datetime
    EndTime: datetime | None = None
    InputDataConfig: InputDataConfig
    # As AWS answers it: S3Uri is the job's output file, not the prefix the request gave.
    OutputDataConfig: OutputDataConfig
    NumberOfTopics: int
    DataAccessRoleArn: str | None = None


class DescribeTopicsDetectionJobRequest(Shape):
    JobId: Annotated[str, Field(min_length=1, max_length=32)]


class DescribeTopicsDetectionJobResponse(Shape):
    TopicsDetectionJobProperties: TopicsDetectionJobProperties


class TopicsDetectionJobFilter(Shape):
    JobName: str | None = None
    JobStatus: JobStatusType | None = None
    SubmitTimeBefore: datetime | None = None
    SubmitTimeAfter: datetime | None = None


class ListTopicsDetectionJobsRequest(Shape):
    Filter: TopicsDetectionJobFilter | None = None
    NextToken: Annotated[str, Field(min_length=1)] | None = None
    MaxResults: Annotated[int, Field(ge=1, le=500)] = 100


class ListTopicsDetectionJobsResponse(Shape):
    TopicsDetectionJobPropertiesList: list[TopicsDetectionJobProperties]
    NextToken: str | None = None


class ReadTopicDocumentsRequest(Shape):
    Text: str  # one input object's text; empty or blank: no documents
    InputFormat: InputFormatType = "ONE_DOC_PER_FILE"
    # The object's key: its file name names the documents, as AWS names them in doc-topics.csv.
    ObjectKey: Annotated[str, Field(min_length=1)]


class TopicDocument(Shape):
    Name: str  # "<file name>", or "<file name>:<0-based line number>" for ONE_DOC_PER_LINE
    Text: str


class ReadTopicDocumentsResponse(Shape):
    Documents: list[TopicDocument]


class FitTopicsRequest(Shape):
    # A folder (s3:// prefix or local) of ReadTopicDocuments responses as JSON, one file per input object.
    Results: str
    NumberOfTopics: Annotated[int, Field(ge=1, le=100)] = 10
    OutputUri: str  # where output.tar.gz (topic-terms.csv, doc-topics.csv) is written


class FitTopicsResponse(Shape):
    OutputUri: str
    DocumentsCount: int  # documents modelled
