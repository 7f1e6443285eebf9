"""Request and response models of Amazon Kendra (botocore's `kendra` model, 2019-02-03); only the
members this gateway fills or reads. Limits are the model's, or Kendra's documented quotas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from core.service import Blob as BlobBytes, Shape

IndexId = Annotated[str, Field(min_length=36, max_length=36, pattern=r"^[a-zA-Z0-9][a-zA-Z0-9-]*$")]
ResourceName = Annotated[str, Field(min_length=1, max_length=1000, pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_-]*$")]
ChildId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_-]*$")]
DocumentId = Annotated[str, Field(min_length=1, max_length=2048)]
AttributeKey = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[a-zA-Z0-9_][a-zA-Z0-9_-]*$")]
ValueType = Literal["STRING_VALUE", "STRING_LIST_VALUE", "LONG_VALUE", "DATE_VALUE"]
ContentTypeName = Literal["PDF", "HTML", "MS_WORD", "PLAIN_TEXT", "PPT", "RTF", "XML", "XSLT", "MS_EXCEL", "CSV", "JSON",
                      "MD"]
IndexStatus = Literal["CREATING", "ACTIVE", "DELETING", "FAILED", "UPDATING", "SYSTEM_UPDATING"]
ResultType = Literal["DOCUMENT", "QUESTION_ANSWER", "ANSWER"]
ScoreConfidence = Literal["VERY_HIGH", "HIGH", "MEDIUM", "LOW", "NOT_AVAILABLE"]


class Tag(Shape):
    Key: str
    Value: str


# --- attributes and index configuration ---------------------------------------------------------

class DocumentAttributeValue(Shape):
    StringValue: Annotated[str, Field(min_length=1, max_length=2048)] | None = None
    StringListValue: list[str] | None = None
    LongValue: int | None = None
    DateValue: datetime | None = None


class DocumentAttribute(Shape):
    Key: AttributeKey
    Value: DocumentAttributeValue


class SearchShape(Shape):
    Facetable: bool = False
    Searchable: bool = False
    Displayable: bool = False
    Sortable: bool = False


class RelevanceShape(Shape):
    Freshness: bool | None = None
    Importance: Annotated[int, Field(ge=1, le=10)] | None = None
    Duration: str | None = None
    RankOrder: Literal["ASCENDING", "DESCENDING"] | None = None
    ValueImportanceMap: dict[str, int] | None = None


class DocumentMetadataConfiguration(Shape):
    Name: Annotated[str, Field(min_length=1, max_length=30)]
    Type: ValueType
    Relevance: RelevanceShape | None = None
    Search: SearchShape | None = None


class JsonTokenTypeConfigurationShape(Shape):
    UserNameAttributeField: str
    GroupAttributeField: str


class UserTokenConfiguration(Shape):
    JwtTokenTypeConfiguration: dict[str, Any] | None = None
    JsonTokenTypeConfiguration: JsonTokenTypeConfigurationShape | None = None


class CapacityUnitsConfiguration(Shape):
    StorageCapacityUnits: int
    QueryCapacityUnits: int


class CreateIndexRequest(Shape):
    Name: ResourceName
    Edition: Literal["DEVELOPER_EDITION", "ENTERPRISE_EDITION", "GEN_AI_ENTERPRISE_EDITION"] = "ENTERPRISE_EDITION"
    # AWS requires a role for its own access to CloudWatch; nothing here uses it, so it is only echoed.
    RoleArn: str | None = None
    Description: str | None = None
    ClientToken: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    Tags: list[Tag] | None = None
    UserTokenConfigurations: Annotated[list[UserTokenConfiguration], Field(max_length=1)] | None = None
    UserContextPolicy: Literal["ATTRIBUTE_FILTER", "USER_TOKEN"] = "ATTRIBUTE_FILTER"


class CreateIndexResponse(Shape):
    Id: str


class IndexIdRequest(Shape):
    Id: IndexId


class FaqStatisticsShape(Shape):
    IndexedQuestionAnswersCount: int


class TextDocumentStatisticsShape(Shape):
    IndexedTextDocumentsCount: int
    IndexedTextBytes: int


class IndexStatisticsShape(Shape):
    FaqStatistics: FaqStatisticsShape
    TextDocumentStatistics: TextDocumentStatisticsShape


class DescribeIndexResponse(Shape):
    Name: str
    Id: str
    Edition: str
    RoleArn: str | None = None
    Status: IndexStatus
    Description: str | None = None
    CreatedAt: datetime
    UpdatedAt: datetime
    DocumentMetadataConfigurations: list[DocumentMetadataConfiguration]
    IndexStatistics: IndexStatisticsShape
    ErrorMessage: str | None = None
    UserTokenConfigurations: list[UserTokenConfiguration] | None = None
    UserContextPolicy: str


class ListIndicesRequest(Shape):
    NextToken: str | None = None
    MaxResults: Annotated[int, Field(ge=1, le=100)] | None = None


class IndexConfigurationSummary(Shape):
    Name: str
    Id: str
    Edition: str
    CreatedAt: datetime
    UpdatedAt: datetime
    Status: IndexStatus


class ListIndicesResponse(Shape):
    IndexConfigurationSummaryItems: list[IndexConfigurationSummary]
    NextToken: str | None = None


class UpdateIndexRequest(Shape):
    Id: IndexId
    Name: ResourceName | None = None
    RoleArn: str | None = None
    Description: str | None = None
    DocumentMetadataConfigurationUpdates: Annotated[list[DocumentMetadataConfiguration],
                                                    Field(max_length=500)] | None = None
    UserTokenConfigurations: Annotated[list[UserTokenConfiguration], Field(max_length=1)] | None = None
    UserContextPolicy: Literal["ATTRIBUTE_FILTER", "USER_TOKEN"] | None = None


class Empty(Shape):
    pass


# --- documents ------------------------------------------------------------------------------------

class S3PathShape(Shape):
    Bucket: Annotated[str, Field(min_length=3, max_length=63)]
    Key: Annotated[str, Field(min_length=1, max_length=1024)]


class Principal(Shape):
    Name: Annotated[str, Field(min_length=1, max_length=200)]
    Type: Literal["USER", "GROUP"]
    Access: Literal["ALLOW", "DENY"]
    DataSourceId: str | None = None


class Document(Shape):
    Id: DocumentId
    Title: str | None = None
    Blob: BlobBytes | None = None
    S3Path: S3PathShape | None = None
    Attributes: list[DocumentAttribute] | None = None
    AccessControlList: list[Principal] | None = None
    ContentType: ContentTypeName | None = None


class BatchPutDocumentRequest(Shape):
    IndexId: IndexId
    RoleArn: str | None = None
    Documents: Annotated[list[Document], Field(min_length=1, max_length=10)]


class FailedDocument(Shape):
    Id: str | None = None
    DataSourceId: str | None = None
    ErrorCode: Literal["InternalError", "InvalidRequest"]
    ErrorMessage: str


class BatchPutDocumentResponse(Shape):
    FailedDocuments: list[FailedDocument]


class BatchDeleteDocumentRequest(Shape):
    IndexId: IndexId
    DocumentIdList: Annotated[list[DocumentId], Field(min_length=1, max_length=10)]


class BatchDeleteDocumentResponse(Shape):
    FailedDocuments: list[FailedDocument]


class DocumentInfo(Shape):
    DocumentId: DocumentId
    Attributes: list[DocumentAttribute] | None = None


class BatchGetDocumentStatusRequest(Shape):
    IndexId: IndexId
    DocumentInfoList: Annotated[list[DocumentInfo], Field(min_length=1, max_length=10)]


class DocumentStatus(Shape):
    DocumentId: str
    DocumentStatus: Literal["NOT_FOUND", "PROCESSING", "INDEXED", "UPDATED", "FAILED", "UPDATE_FAILED"]
    FailureCode: str | None = None
    FailureReason: str | None = None


class BatchGetDocumentStatusResponse(Shape):
    Errors: list[FailedDocument]
    DocumentStatusList: list[DocumentStatus]


# --- query and retrieve ---------------------------------------------------------------------------

class AttributeFilterShape(Shape):
    AndAllFilters: list[AttributeFilterShape] | None = None
    OrAllFilters: list[AttributeFilterShape] | None = None
    NotFilter: AttributeFilterShape | None = None
    EqualsTo: DocumentAttribute | None = None
    ContainsAll: DocumentAttribute | None = None
    ContainsAny: DocumentAttribute | None = None
    GreaterThan: DocumentAttribute | None = None
    GreaterThanOrEquals: DocumentAttribute | None = None
    LessThan: DocumentAttribute | None = None
    LessThanOrEquals: DocumentAttribute | None = None


class Facet(Shape):
    DocumentAttributeKey: AttributeKey
    MaxResults: Annotated[int, Field(ge=0, le=5000)] | None = None


class SortingConfigurationShape(Shape):
    DocumentAttributeKey: AttributeKey
    SortOrder: Literal["DESC", "ASC"]


class UserContextShape(Shape):
    Token: Annotated[str, Field(min_length=1, max_length=100_000)] | None = None
    UserId: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    Groups: Annotated[list[str], Field(min_length=1, max_length=2048)] | None = None


class QueryRequest(Shape):
    IndexId: IndexId
    QueryText: str | None = None
    AttributeFilter: AttributeFilterShape | None = None
    Facets: list[Facet] | None = None
    RequestedDocumentAttributes: Annotated[list[AttributeKey], Field(min_length=1, max_length=100)] | None = None
    QueryResultTypeFilter: ResultType | None = None
    PageNumber: Annotated[int, Field(ge=1)] = 1
    PageSize: Annotated[int, Field(ge=1, le=100)] = 10
    SortingConfiguration: SortingConfigurationShape | None = None
    UserContext: UserContextShape | None = None
    VisitorId: str | None = None


class Highlight(Shape):
    BeginOffset: int
    EndOffset: int
    TopAnswer: bool = False
    Type: Literal["STANDARD", "THESAURUS_SYNONYM"] = "STANDARD"


class TextWithHighlights(Shape):
    Text: str
    Highlights: list[Highlight]


class AdditionalResultAttributeValue(Shape):
    TextWithHighlightsValue: TextWithHighlights


class AdditionalResultAttribute(Shape):
    Key: str
    ValueType: Literal["TEXT_WITH_HIGHLIGHTS_VALUE"] = "TEXT_WITH_HIGHLIGHTS_VALUE"
    Value: AdditionalResultAttributeValue


class ScoreAttributesShape(Shape):
    ScoreConfidence: ScoreConfidence


class QueryResultItem(Shape):
    Id: str
    Type: ResultType
    Format: Literal["TABLE", "TEXT"] | None = None
    AdditionalAttributes: list[AdditionalResultAttribute] = []
    DocumentId: str | None = None
    DocumentTitle: TextWithHighlights | None = None
    DocumentExcerpt: TextWithHighlights | None = None
    DocumentURI: str | None = None
    DocumentAttributes: list[DocumentAttribute] = []
    ScoreAttributes: ScoreAttributesShape
    FeedbackToken: str


class DocumentAttributeValueCountPair(Shape):
    DocumentAttributeValue: DocumentAttributeValue
    Count: int


class FacetResult(Shape):
    DocumentAttributeKey: str
    DocumentAttributeValueType: ValueType
    DocumentAttributeValueCountPairs: list[DocumentAttributeValueCountPair]


class QueryResult(Shape):
    QueryId: str
    ResultItems: list[QueryResultItem]
    FacetResults: list[FacetResult]
    TotalNumberOfResults: int


class RetrieveRequest(Shape):
    IndexId: IndexId
    QueryText: str
    AttributeFilter: AttributeFilterShape | None = None
    RequestedDocumentAttributes: Annotated[list[AttributeKey], Field(min_length=1, max_length=100)] | None = None
    PageNumber: Annotated[int, Field(ge=1)] = 1
    PageSize: Annotated[int, Field(ge=1, le=100)] = 10
    UserContext: UserContextShape | None = None


class RetrieveResultItem(Shape):
    Id: str
    DocumentId: str
    DocumentTitle: str | None = None
    Content: str
    DocumentURI: str | None = None
    DocumentAttributes: list[DocumentAttribute] = []
    ScoreAttributes: ScoreAttributesShape


class RetrieveResult(Shape):
    QueryId: str
    ResultItems: list[RetrieveResultItem]


class ClickFeedback(Shape):
    ResultId: Annotated[str, Field(min_length=1, max_length=73)]
    ClickTime: datetime


class RelevanceFeedback(Shape):
    ResultId: Annotated[str, Field(min_length=1, max_length=73)]
    RelevanceValue: Literal["RELEVANT", "NOT_RELEVANT"]


class SubmitFeedbackRequest(Shape):
    IndexId: IndexId
    QueryId: Annotated[str, Field(min_length=1, max_length=36)]
    ClickFeedbackItems: list[ClickFeedback] | None = None
    RelevanceFeedbackItems: list[RelevanceFeedback] | None = None


class GetQuerySuggestionsRequest(Shape):
    IndexId: IndexId
    QueryText: Annotated[str, Field(min_length=1)]
    MaxSuggestionsCount: Annotated[int, Field(ge=1, le=100)] = 10


class SuggestionHighlight(Shape):
    BeginOffset: int
    EndOffset: int


class SuggestionTextWithHighlights(Shape):
    Text: str
    Highlights: list[SuggestionHighlight]


class SuggestionValue(Shape):
    Text: SuggestionTextWithHighlights


class Suggestion(Shape):
    Id: str
    Value: SuggestionValue


class GetQuerySuggestionsResponse(Shape):
    QuerySuggestionsId: str
    Suggestions: list[Suggestion]


# --- FAQs -----------------------------------------------------------------------------------------

FaqFileFormat = Literal["CSV", "CSV_WITH_HEADER", "JSON"]


class CreateFaqRequest(Shape):
    IndexId: IndexId
    Name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_-]*$")]
    Description: str | None = None
    S3Path: S3PathShape
    RoleArn: str | None = None
    Tags: list[Tag] | None = None
    FileFormat: FaqFileFormat = "CSV"
    ClientToken: str | None = None
    LanguageCode: str = "en"


class CreateFaqResponse(Shape):
    Id: str


class FaqIdRequest(Shape):
    Id: ChildId
    IndexId: IndexId


class DescribeFaqResponse(Shape):
    Id: str
    IndexId: str
    Name: str
    Description: str | None = None
    CreatedAt: datetime
    UpdatedAt: datetime
    S3Path: S3PathShape
    Status: Literal["CREATING", "UPDATING", "ACTIVE", "DELETING", "FAILED"]
    RoleArn: str | None = None
    ErrorMessage: str | None = None
    FileFormat: FaqFileFormat
    LanguageCode: str


class ListFaqsRequest(Shape):
    IndexId: IndexId
    NextToken: str | None = None
    MaxResults: Annotated[int, Field(ge=1, le=100)] | None = None


class FaqSummary(Shape):
    Id: str
    Name: str
    Status: str
    CreatedAt: datetime
    UpdatedAt: datetime
    FileFormat: FaqFileFormat
    LanguageCode: str


class ListFaqsResponse(Shape):
    FaqSummaryItems: list[FaqSummary]
    NextToken: str | None = None


# --- data sources ---------------------------------------------------------------------------------

Patterns = Annotated[list[str], Field(max_length=250)]


class DocumentsMetadataConfigurationShape(Shape):
    S3Prefix: Annotated[str, Field(min_length=1, max_length=1024)] | None = None


class S3DataSourceConfiguration(Shape):
    BucketName: Annotated[str, Field(min_length=3, max_length=63)]
    InclusionPrefixes: Patterns | None = None
    InclusionPatterns: Patterns | None = None
    ExclusionPatterns: Patterns | None = None
    DocumentsMetadataConfiguration: DocumentsMetadataConfigurationShape | None = None


class TemplateConfigurationShape(Shape):
    # A JSON document; a local folder is `{"type": "FILESYSTEM", "connectionConfiguration":
    # {"repositoryEndpointMetadata": {"folderPath": ...}}, "additionalProperties": {...}}`.
    Template: dict[str, Any] | None = None


class DataSourceConfiguration(Shape):
    S3Configuration: S3DataSourceConfiguration | None = None
    TemplateConfiguration: TemplateConfigurationShape | None = None


class CreateDataSourceRequest(Shape):
    Name: ResourceName
    IndexId: IndexId
    Type: str
    Configuration: DataSourceConfiguration | None = None
    Description: str | None = None
    RoleArn: str | None = None
    Tags: list[Tag] | None = None
    ClientToken: str | None = None
    LanguageCode: str = "en"


class CreateDataSourceResponse(Shape):
    Id: str


class DataSourceIdRequest(Shape):
    Id: ChildId
    IndexId: IndexId


class DescribeDataSourceResponse(Shape):
    Id: str
    IndexId: str
    Name: str
    Type: str
    Configuration: DataSourceConfiguration
    CreatedAt: datetime
    UpdatedAt: datetime
    Description: str | None = None
    Status: Literal["CREATING", "DELETING", "FAILED", "UPDATING", "ACTIVE"]
    RoleArn: str | None = None
    LanguageCode: str


class ListDataSourcesRequest(Shape):
    IndexId: IndexId
    NextToken: str | None = None
    MaxResults: Annotated[int, Field(ge=1, le=100)] | None = None


class DataSourceSummary(Shape):
    Name: str
    Id: str
    Type: str
    CreatedAt: datetime
    UpdatedAt: datetime
    Status: str
    LanguageCode: str


class ListDataSourcesResponse(Shape):
    SummaryItems: list[DataSourceSummary]
    NextToken: str | None = None


class StartDataSourceSyncJobResponse(Shape):
    ExecutionId: str


class TimeRange(Shape):
    StartTime: datetime | None = None
    EndTime: datetime | None = None


class ListDataSourceSyncJobsRequest(Shape):
    Id: ChildId
    IndexId: IndexId
    NextToken: str | None = None
    MaxResults: Annotated[int, Field(ge=1, le=10)] | None = None
    StartTimeFilter: TimeRange | None = None
    StatusFilter: Literal["FAILED", "SUCCEEDED", "SYNCING", "INCOMPLETE", "STOPPING", "ABORTED",
                          "SYNCING_INDEXING"] | None = None


class DataSourceSyncJobMetrics(Shape):
    DocumentsAdded: str
    DocumentsModified: str
    DocumentsDeleted: str
    DocumentsFailed: str
    DocumentsScanned: str


class DataSourceSyncJob(Shape):
    ExecutionId: str
    StartTime: datetime
    EndTime: datetime | None = None
    Status: str
    ErrorMessage: str | None = None
    ErrorCode: Literal["InternalError", "InvalidRequest"] | None = None
    Metrics: DataSourceSyncJobMetrics | None = None


class ListDataSourceSyncJobsResponse(Shape):
    History: list[DataSourceSyncJob]
    NextToken: str | None = None
