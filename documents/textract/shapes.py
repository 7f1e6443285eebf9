"""Textract's request and response shapes (botocore textract 2018-06-27), AWS member names."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from core.geometry import BoundingBox, Point
from core.s3_object import InlineOrS3, S3ObjectRef
from core.service import Shape

MODEL_VERSION = "1.0"
FeatureType = Literal["TABLES", "FORMS", "QUERIES", "SIGNATURES", "LAYOUT"]
JobStatus = Literal["IN_PROGRESS", "SUCCEEDED", "FAILED", "PARTIAL_SUCCESS"]


class Geometry(Shape):
    BoundingBox: BoundingBox
    Polygon: list[Point]


GeometryShape = Geometry  # for members named like it, which would resolve to their own default


class Relationship(Shape):
    Type: str  # VALUE, CHILD, COMPLEX_FEATURES, MERGED_CELL, TITLE, ANSWER, TABLE, ...
    Ids: list[str]


class Query(Shape):
    Text: str = Field(min_length=1, max_length=200)
    Alias: str | None = Field(default=None, min_length=1, max_length=200)
    Pages: list[str] | None = Field(default=None, min_length=1)


QueryShape = Query  # for members named like it, which would resolve to their own default



class Block(Shape):
    BlockType: str
    Confidence: float | None = None
    Text: str | None = None
    TextType: str | None = None
    RowIndex: int | None = None
    ColumnIndex: int | None = None
    RowSpan: int | None = None
    ColumnSpan: int | None = None
    Geometry: GeometryShape | None = None
    Id: str
    Relationships: list[Relationship] | None = None
    EntityTypes: list[str] | None = None
    SelectionStatus: str | None = None
    Page: int | None = None
    Query: QueryShape | None = None


class DocumentMetadata(Shape):
    Pages: int


DocumentMetadataShape = DocumentMetadata  # for members named like it, which would resolve to their own default


class Warning(Shape):
    ErrorCode: str | None = None
    Pages: list[int] | None = None


class QueriesConfig(Shape):
    Queries: list[Query] = Field(min_length=1)


QueriesConfigShape = QueriesConfig  # for members named like it, which would resolve to their own default


class HumanLoopConfig(Shape):
    HumanLoopName: str
    FlowDefinitionArn: str
    DataAttributes: dict | None = None


HumanLoopConfigShape = HumanLoopConfig  # for members named like it, which would resolve to their own default


class Adapter(Shape):
    AdapterId: str
    Pages: list[str] | None = None
    Version: str


class AdaptersConfig(Shape):
    Adapters: list[Adapter]


AdaptersConfigShape = AdaptersConfig  # for members named like it, which would resolve to their own default


class DetectDocumentTextRequest(Shape):
    Document: InlineOrS3


class DetectDocumentTextResponse(Shape):
    DocumentMetadata: DocumentMetadata
    Blocks: list[Block]
    DetectDocumentTextModelVersion: str


class AnalyzeDocumentRequest(Shape):
    Document: InlineOrS3
    FeatureTypes: list[FeatureType]
    HumanLoopConfig: HumanLoopConfigShape | None = None  # accepted; no human review loop exists here
    QueriesConfig: QueriesConfigShape | None = None
    AdaptersConfig: AdaptersConfigShape | None = None  # accepted; custom adapters are not trained here


class AnalyzeDocumentResponse(Shape):
    DocumentMetadata: DocumentMetadata
    Blocks: list[Block]
    AnalyzeDocumentModelVersion: str


class DocumentLocation(Shape):
    S3Object: S3ObjectRef | None = None


class NotificationChannel(Shape):
    SNSTopicArn: str
    RoleArn: str


NotificationChannelShape = NotificationChannel  # for members named like it, which would resolve to their own default


class OutputConfig(Shape):
    S3Bucket: str
    S3Prefix: str | None = None


OutputConfigShape = OutputConfig  # for members named like it, which would resolve to their own default


class StartDocumentTextDetectionRequest(Shape):
    DocumentLocation: DocumentLocation
    ClientRequestToken: str | None = Field(default=None, min_length=1, max_length=64)
    JobTag: str | None = Field(default=None, min_length=1, max_length=64)
    NotificationChannel: NotificationChannelShape | None = None  # accepted; no SNS here: poll the Get operation
    OutputConfig: OutputConfigShape | None = None
    KMSKeyId: str | None = None


class StartDocumentAnalysisRequest(StartDocumentTextDetectionRequest):
    FeatureTypes: list[FeatureType]
    QueriesConfig: QueriesConfigShape | None = None
    AdaptersConfig: AdaptersConfigShape | None = None


class StartJobResponse(Shape):
    JobId: str


class GetJobRequest(Shape):
    JobId: str = Field(min_length=1, max_length=64)
    MaxResults: int | None = Field(default=None, ge=1)
    NextToken: str | None = Field(default=None, min_length=1, max_length=1024)


class GetJobResponse(Shape):
    DocumentMetadata: DocumentMetadataShape | None = None
    JobStatus: JobStatus
    NextToken: str | None = None
    Blocks: list[Block] | None = None
    Warnings: list[Warning] | None = None
    StatusMessage: str | None = None


class GetDocumentTextDetectionResponse(GetJobResponse):
    DetectDocumentTextModelVersion: str | None = None


class GetDocumentAnalysisResponse(GetJobResponse):
    AnalyzeDocumentModelVersion: str | None = None


class AnalyzeDocumentPagesRequest(Shape):
    """Not an AWS shape: what StartDocumentTextDetection and StartDocumentAnalysis run per document."""

    Document: InlineOrS3
    FeatureTypes: list[FeatureType] = Field(default_factory=list)  # none: the text only, as text detection
    QueriesConfig: QueriesConfigShape | None = None


class AnalyzeDocumentPagesResponse(Shape):
    DocumentMetadata: DocumentMetadata
    Blocks: list[Block]


class ExpenseType(Shape):
    Text: str
    Confidence: float


class ExpenseDetection(Shape):
    Text: str | None = None
    Geometry: GeometryShape | None = None
    Confidence: float | None = None


class ExpenseCurrency(Shape):
    Code: str
    Confidence: float | None = None


class ExpenseGroupProperty(Shape):
    Types: list[str]
    Id: str


class ExpenseField(Shape):
    Type: ExpenseType
    LabelDetection: ExpenseDetection | None = None
    ValueDetection: ExpenseDetection | None = None
    PageNumber: int | None = None
    Currency: ExpenseCurrency | None = None
    GroupProperties: list[ExpenseGroupProperty] | None = None


class LineItemFields(Shape):
    LineItemExpenseFields: list[ExpenseField]


class LineItemGroup(Shape):
    LineItemGroupIndex: int
    LineItems: list[LineItemFields]


class ExpenseDocument(Shape):
    ExpenseIndex: int
    SummaryFields: list[ExpenseField]
    LineItemGroups: list[LineItemGroup]
    Blocks: list[Block]


class AnalyzeExpenseRequest(Shape):
    Document: InlineOrS3


class AnalyzeExpenseResponse(Shape):
    DocumentMetadata: DocumentMetadata
    ExpenseDocuments: list[ExpenseDocument]
