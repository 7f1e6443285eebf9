"""Request and response models of Amazon Transcribe's batch operations (botocore's `transcribe`
model, 2017-10-26); only the members we fill or read. Enum-valued members are plain strings here:
the AWS door checks them against the model, and in process the service checks what it uses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from core.service import Shape

Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[0-9a-zA-Z._-]+$")]
JobStatus = Literal["QUEUED", "IN_PROGRESS", "FAILED", "COMPLETED"]
VocabularyState = Literal["PENDING", "READY", "FAILED"]
PAGE = Annotated[int, Field(ge=1, le=100)]


class MediaLocation(Shape):
    # s3:// on the AWS door (its model's pattern); in process and on the REST door, also a local
    # path under settings.jobs.local_roots.
    MediaFileUri: str | None = None
    RedactedMediaFileUri: str | None = None


class JobSettings(Shape):
    VocabularyName: Name | None = None
    ShowSpeakerLabels: bool | None = None
    MaxSpeakerLabels: Annotated[int, Field(ge=2, le=30)] | None = None
    ChannelIdentification: bool | None = None
    ShowAlternatives: bool | None = None
    MaxAlternatives: Annotated[int, Field(ge=2, le=10)] | None = None
    VocabularyFilterName: Name | None = None
    VocabularyFilterMethod: Literal["remove", "mask", "tag"] | None = None


class ModelChoice(Shape):
    # An embedded model ("whisper-base", "whisper-tiny.en") or a faster-whisper folder under model_dir.
    LanguageModelName: Name | None = None


class RedactionSettings(Shape):
    RedactionType: Literal["PII"]
    RedactionOutput: Literal["redacted", "redacted_and_unredacted"]
    PiiEntityTypes: list[str] | None = None


class SubtitlesRequest(Shape):
    Formats: list[Literal["vtt", "srt"]] | None = None
    OutputStartIndex: Annotated[int, Field(ge=0, le=1)] | None = None


class SubtitlesOutput(Shape):
    Formats: list[str] | None = None
    SubtitleFileUris: list[str] | None = None
    OutputStartIndex: int | None = None


class Tag(Shape):
    Key: str
    Value: str


class LanguageIdChoice(Shape):
    VocabularyName: Name | None = None
    VocabularyFilterName: Name | None = None
    LanguageModelName: Name | None = None


class TranscriptLocation(Shape):
    TranscriptFileUri: str | None = None
    RedactedTranscriptFileUri: str | None = None


class LanguageCodeItem(Shape):
    LanguageCode: str | None = None
    DurationInSeconds: float | None = None


class StartTranscriptionJobRequest(Shape):
    TranscriptionJobName: Name
    Media: MediaLocation
    LanguageCode: str | None = None
    MediaSampleRateHertz: Annotated[int, Field(ge=8000, le=48000)] | None = None
    MediaFormat: str | None = None
    OutputBucketName: str | None = None
    OutputKey: Annotated[str, Field(min_length=1, max_length=1024)] | None = None
    OutputEncryptionKMSKeyId: str | None = None  # accepted and echoed: outputs are not encrypted here
    Settings: JobSettings | None = None
    ModelSettings: ModelChoice | None = None
    ContentRedaction: RedactionSettings | None = None
    IdentifyLanguage: bool | None = None
    IdentifyMultipleLanguages: bool | None = None
    LanguageOptions: list[str] | None = None
    Subtitles: SubtitlesRequest | None = None
    Tags: list[Tag] | None = None
    LanguageIdSettings: dict[str, LanguageIdChoice] | None = None


class TranscriptionJob(Shape):
    TranscriptionJobName: str
    TranscriptionJobStatus: JobStatus
    LanguageCode: str | None = None
    MediaSampleRateHertz: int | None = None
    MediaFormat: str | None = None
    Media: MediaLocation | None = None
    Transcript: TranscriptLocation | None = None
    StartTime: datetime | None = None
    CreationTime: datetime | None = None
    CompletionTime: datetime | None = None
    FailureReason: str | None = None
    Settings: JobSettings | None = None
    ModelSettings: ModelChoice | None = None
    ContentRedaction: RedactionSettings | None = None
    IdentifyLanguage: bool | None = None
    IdentifyMultipleLanguages: bool | None = None
    LanguageOptions: list[str] | None = None
    IdentifiedLanguageScore: float | None = None
    LanguageCodes: list[LanguageCodeItem] | None = None
    Tags: list[Tag] | None = None
    Subtitles: SubtitlesOutput | None = None


class StartTranscriptionJobResponse(Shape):
    TranscriptionJob: TranscriptionJob


class GetTranscriptionJobRequest(Shape):
    TranscriptionJobName: Name


class GetTranscriptionJobResponse(Shape):
    TranscriptionJob: TranscriptionJob


class ListTranscriptionJobsRequest(Shape):
    Status: JobStatus | None = None
    JobNameContains: Name | None = None
    NextToken: str | None = None
    MaxResults: PAGE | None = None


class TranscriptionJobSummary(Shape):
    TranscriptionJobName: str
    CreationTime: datetime | None = None
    StartTime: datetime | None = None
    CompletionTime: datetime | None = None
    LanguageCode: str | None = None
    TranscriptionJobStatus: JobStatus
    FailureReason: str | None = None
    OutputLocationType: Literal["CUSTOMER_BUCKET", "SERVICE_BUCKET"] | None = None
    ContentRedaction: RedactionSettings | None = None
    ModelSettings: ModelChoice | None = None
    IdentifyLanguage: bool | None = None
    IdentifyMultipleLanguages: bool | None = None
    IdentifiedLanguageScore: float | None = None
    LanguageCodes: list[LanguageCodeItem] | None = None


class ListTranscriptionJobsResponse(Shape):
    Status: JobStatus | None = None
    NextToken: str | None = None
    TranscriptionJobSummaries: list[TranscriptionJobSummary]


class DeleteTranscriptionJobRequest(Shape):
    TranscriptionJobName: Name


class Empty(Shape):
    pass


class CreateVocabularyRequest(Shape):
    VocabularyName: Name
    LanguageCode: str
    Phrases: list[Annotated[str, Field(max_length=256)]] | None = None
    VocabularyFileUri: str | None = None
    Tags: list[Tag] | None = None
    DataAccessRoleArn: str | None = None


class VocabularyResponse(Shape):
    VocabularyName: str
    LanguageCode: str
    VocabularyState: VocabularyState
    LastModifiedTime: datetime
    FailureReason: str | None = None


class GetVocabularyRequest(Shape):
    VocabularyName: Name


class GetVocabularyResponse(VocabularyResponse):
    DownloadUri: str | None = None


class ListVocabulariesRequest(Shape):
    NextToken: str | None = None
    MaxResults: PAGE | None = None
    StateEquals: VocabularyState | None = None
    NameContains: Name | None = None


class VocabularyInfo(Shape):
    VocabularyName: str
    LanguageCode: str
    LastModifiedTime: datetime
    VocabularyState: VocabularyState


class ListVocabulariesResponse(Shape):
    Status: VocabularyState | None = None
    NextToken: str | None = None
    Vocabularies: list[VocabularyInfo]


class DeleteVocabularyRequest(Shape):
    VocabularyName: Name


class CreateVocabularyFilterRequest(Shape):
    VocabularyFilterName: Name
    LanguageCode: str
    Words: list[Annotated[str, Field(min_length=1, max_length=256)]] | None = None
    VocabularyFilterFileUri: str | None = None
    Tags: list[Tag] | None = None
    DataAccessRoleArn: str | None = None


class CreateVocabularyFilterResponse(Shape):
    VocabularyFilterName: str
    LanguageCode: str
    LastModifiedTime: datetime


class GetVocabularyFilterRequest(Shape):
    VocabularyFilterName: Name


class GetVocabularyFilterResponse(CreateVocabularyFilterResponse):
    DownloadUri: str | None = None


class ListVocabularyFiltersRequest(Shape):
    NextToken: str | None = None
    MaxResults: PAGE | None = None
    NameContains: Name | None = None


class VocabularyFilterInfo(Shape):
    VocabularyFilterName: str
    LanguageCode: str
    LastModifiedTime: datetime


class ListVocabularyFiltersResponse(Shape):
    NextToken: str | None = None
    VocabularyFilters: list[VocabularyFilterInfo]


class DeleteVocabularyFilterRequest(Shape):
    VocabularyFilterName: Name
