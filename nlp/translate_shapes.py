"""Request and response models of the Translate operations we serve; field names are AWS's (botocore `translate`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from core.service import Blob, Shape

# botocore's ResourceName: names also become file names of exports, so in-process callers are held to it too.
ResourceName = Annotated[str, Field(min_length=1, max_length=256, pattern=r"^([A-Za-z0-9-]_?)+$")]
LanguageCodeString = Annotated[str, Field(min_length=2, max_length=5)]
FileFormat = Literal["CSV", "TMX", "TSV"]
DirectionalityValue = Literal["UNI", "MULTI"]
DisplayLanguage = Literal["de", "en", "es", "fr", "it", "ja", "ko", "pt", "zh", "zh-TW"]
MaxResultsInteger = Annotated[int, Field(ge=1, le=500)]


class TranslationSettings(Shape):
    Formality: Literal["FORMAL", "INFORMAL"] | None = None
    Profanity: Literal["MASK"] | None = None
    Brevity: Literal["ON"] | None = None


class TranslateTextRequest(Shape):
    Text: Annotated[str, Field(min_length=1)]
    SourceLanguageCode: LanguageCodeString
    TargetLanguageCode: LanguageCodeString
    TerminologyNames: list[ResourceName] | None = None
    Settings: TranslationSettings | None = None


# botocore's DocumentContent: "The document size must not exceed 100 KB", whatever its type.
MAX_DOCUMENT_BYTES = 102_400


class Document(Shape):
    Content: Annotated[bytes, Field(max_length=MAX_DOCUMENT_BYTES)]
    # Any MIME type botocore accepts; the service says which ones it reads.
    ContentType: Annotated[str, Field(max_length=256, pattern=r"^[-\w.]+\/[-\w.+]+$")]


class TranslateDocumentRequest(Shape):
    Document: Document
    SourceLanguageCode: LanguageCodeString
    TargetLanguageCode: LanguageCodeString
    TerminologyNames: list[ResourceName] | None = None
    Settings: TranslationSettings | None = None


class TranslatedDocument(Shape):
    Content: Blob


class Term(Shape):
    SourceText: str
    TargetText: str


class AppliedTerminology(Shape):
    Name: str
    Terms: list[Term]


class TranslateTextResponse(Shape):
    TranslatedText: str
    SourceLanguageCode: str
    TargetLanguageCode: str
    AppliedTerminologies: list[AppliedTerminology] | None = None
    AppliedSettings: TranslationSettings | None = None


class TranslateDocumentResponse(Shape):
    TranslatedDocument: TranslatedDocument
    SourceLanguageCode: str
    TargetLanguageCode: str
    AppliedTerminologies: list[AppliedTerminology] | None = None
    AppliedSettings: TranslationSettings | None = None


class ListLanguagesRequest(Shape):
    DisplayLanguageCode: DisplayLanguage | None = None
    NextToken: str | None = None
    MaxResults: MaxResultsInteger | None = None


class Language(Shape):
    LanguageName: str
    LanguageCode: str


class ListLanguagesResponse(Shape):
    Languages: list[Language]
    DisplayLanguageCode: DisplayLanguage
    NextToken: str | None = None


class TerminologyData(Shape):
    File: Annotated[bytes, Field(max_length=10 * 1024 * 1024)]
    Format: FileFormat
    Directionality: DirectionalityValue | None = None


class KmsKey(Shape):
    Type: Literal["KMS"]
    Id: str


class Tag(Shape):
    Key: str
    Value: str


class ImportTerminologyRequest(Shape):
    Name: ResourceName
    MergeStrategy: Literal["OVERWRITE"]
    Description: str | None = None
    TerminologyData: TerminologyData
    EncryptionKey: KmsKey | None = None
    Tags: list[Tag] | None = None


class TerminologyProperties(Shape):
    Name: str
    Description: str | None = None
    Arn: str
    SourceLanguageCode: str
    TargetLanguageCodes: list[str]
    SizeBytes: int
    TermCount: int
    CreatedAt: datetime
    LastUpdatedAt: datetime
    Directionality: DirectionalityValue
    SkippedTermCount: int
    Format: FileFormat


class TerminologyDataLocation(Shape):
    RepositoryType: str
    Location: str


class ImportTerminologyResponse(Shape):
    TerminologyProperties: TerminologyProperties


class GetTerminologyRequest(Shape):
    Name: ResourceName
    TerminologyDataFormat: FileFormat | None = None


class GetTerminologyResponse(Shape):
    TerminologyProperties: TerminologyProperties
    TerminologyDataLocation: TerminologyDataLocation


class ListTerminologiesRequest(Shape):
    NextToken: str | None = None
    MaxResults: MaxResultsInteger | None = None


class ListTerminologiesResponse(Shape):
    TerminologyPropertiesList: list[TerminologyProperties]
    NextToken: str | None = None


class DeleteTerminologyRequest(Shape):
    Name: ResourceName


class DeleteTerminologyResponse(Shape):
    """AWS answers DeleteTerminology with an empty body."""
