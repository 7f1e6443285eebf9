"""Request and response models of Comprehend's custom classification operations (botocore's
`comprehend` model); only the members we read or fill."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from core.service import Blob, Shape
from nlp.comprehend_shapes import LanguageCode

# Names become folder names under data_dir: the model's pattern also keeps them path-safe.
ResourceName = Annotated[str, Field(pattern=r"^[a-zA-Z0-9](-*[a-zA-Z0-9])*$", max_length=63)]
ComprehendEndpointName = Annotated[str, Field(pattern=r"^[a-zA-Z0-9](-*[a-zA-Z0-9])*$", max_length=40)]
ModelStatus = Literal[
    "SUBMITTED", "TRAINING", "DELETING", "STOP_REQUESTED", "STOPPED", "IN_ERROR", "TRAINED", "TRAINED_WITH_WARNING"
]
EndpointStatus = Literal["CREATING", "DELETING", "FAILED", "IN_SERVICE", "UPDATING"]
DocumentClassifierMode = Literal["MULTI_CLASS", "MULTI_LABEL"]
MaxResultsInteger = Annotated[int, Field(ge=1, le=500)]
# Filters compare with stored UTC times; a naive datetime from an in-process caller means UTC.
FilterTime = Annotated[datetime, AfterValidator(lambda t: t if t.tzinfo else t.replace(tzinfo=timezone.utc))]


class Tag(Shape):
    Key: str
    Value: str | None = None


class DocumentClassifierInputDataConfig(Shape):
    DataFormat: Literal["COMPREHEND_CSV", "AUGMENTED_MANIFEST"] = "COMPREHEND_CSV"
    # s3://bucket/key or a prefix; in process also a local file or folder.
    S3Uri: str | None = None
    TestS3Uri: str | None = None
    LabelDelimiter: Annotated[str, Field(pattern=r"^[ ~!@#$%^*\-_+=|\\:;\t>?/]$")] | None = None


class CreateDocumentClassifierRequest(Shape):
    DocumentClassifierName: ResourceName
    VersionName: ResourceName | None = None
    # Required by the AWS model; there is no IAM here, so it is only echoed back.
    DataAccessRoleArn: str | None = None
    Tags: list[Tag] = []
    InputDataConfig: DocumentClassifierInputDataConfig
    LanguageCode: LanguageCode
    Mode: DocumentClassifierMode = "MULTI_CLASS"


class CreateDocumentClassifierResponse(Shape):
    DocumentClassifierArn: str


class ClassifierEvaluationMetrics(Shape):
    Accuracy: float
    Precision: float
    Recall: float
    F1Score: float
    MicroPrecision: float
    MicroRecall: float
    MicroF1Score: float
    HammingLoss: float


class ClassifierMetadata(Shape):
    NumberOfLabels: int
    NumberOfTrainedDocuments: int
    NumberOfTestDocuments: int
    EvaluationMetrics: ClassifierEvaluationMetrics


# The member has its shape's name, which would shadow the class inside the model below.
_ClassifierMetadata = ClassifierMetadata


class DocumentClassifierProperties(Shape):
    DocumentClassifierArn: str
    LanguageCode: LanguageCode
    Status: ModelStatus
    Message: str | None = None
    SubmitTime: datetime
    EndTime: datetime | None = None
    TrainingStartTime: datetime | None = None
    TrainingEndTime: datetime | None = None
    InputDataConfig: DocumentClassifierInputDataConfig
    ClassifierMetadata: _ClassifierMetadata | None = None
    DataAccessRoleArn: str | None = None
    Mode: DocumentClassifierMode
    VersionName: str | None = None


class DocumentClassifierArnRequest(Shape):
    DocumentClassifierArn: str


class DescribeDocumentClassifierResponse(Shape):
    DocumentClassifierProperties: DocumentClassifierProperties


class DocumentClassifierFilter(Shape):
    Status: ModelStatus | None = None
    DocumentClassifierName: str | None = None
    SubmitTimeBefore: FilterTime | None = None
    SubmitTimeAfter: FilterTime | None = None


class ListDocumentClassifiersRequest(Shape):
    Filter: DocumentClassifierFilter | None = None
    NextToken: str | None = None
    MaxResults: MaxResultsInteger = 100


class ListDocumentClassifiersResponse(Shape):
    DocumentClassifierPropertiesList: list[DocumentClassifierProperties]
    NextToken: str | None = None


class Empty(Shape):
    pass


class ClassifyDocumentRequest(Shape):
    Text: str | None = None
    EndpointArn: str
    Bytes: Blob | None = None


class DocumentClass(Shape):
    Name: str
    Score: float


class ClassifyDocumentResponse(Shape):
    Classes: list[DocumentClass] | None = None
    Labels: list[DocumentClass] | None = None  # DocumentLabel: the same members


class CreateEndpointRequest(Shape):
    EndpointName: ComprehendEndpointName
    ModelArn: str | None = None  # optional in the model only because a FlywheelArn may stand for it
    DesiredInferenceUnits: int = Field(ge=1)
    Tags: list[Tag] = []
    DataAccessRoleArn: str | None = None


class CreateEndpointResponse(Shape):
    EndpointArn: str
    ModelArn: str


class EndpointProperties(Shape):
    EndpointArn: str
    Status: EndpointStatus
    Message: str | None = None
    ModelArn: str
    DesiredInferenceUnits: int
    CurrentInferenceUnits: int
    CreationTime: datetime
    LastModifiedTime: datetime
    DataAccessRoleArn: str | None = None


class EndpointArnRequest(Shape):
    EndpointArn: str


class DescribeEndpointResponse(Shape):
    EndpointProperties: EndpointProperties


class EndpointFilter(Shape):
    ModelArn: str | None = None
    Status: EndpointStatus | None = None
    CreationTimeBefore: FilterTime | None = None
    CreationTimeAfter: FilterTime | None = None


class ListEndpointsRequest(Shape):
    Filter: EndpointFilter | None = None
    NextToken: str | None = None
    MaxResults: MaxResultsInteger = 100


class ListEndpointsResponse(Shape):
    EndpointPropertiesList: list[EndpointProperties]
    NextToken: str | None = None
