"""Request and response of `TranscribeMedia`, the operation a transcription job runs on its one media
file (not an AWS operation: StartTranscriptionJob on the gateway is a job of it). The transcript is
AWS's transcript file, typed down to its texts, so that the gateway's PII redaction and anything else
that works on texts can reach them; every other member of the file passes through as it is."""

from __future__ import annotations

from pydantic import ConfigDict

from core.service import Blob, Shape
from speech.transcribe.shapes import (
    JobSettings,
    ModelChoice,
    Name,
    RedactionSettings,
    SubtitlesRequest,
)


class MediaContent(Shape):
    Bytes: Blob


class TranscribeMediaRequest(Shape):
    Media: MediaContent
    TranscriptionJobName: Name = "transcript"  # the transcript file's jobName
    LanguageCode: str | None = None
    IdentifyLanguage: bool | None = None
    IdentifyMultipleLanguages: bool | None = None
    LanguageOptions: list[str] | None = None
    Settings: JobSettings | None = None
    ModelSettings: ModelChoice | None = None
    ContentRedaction: RedactionSettings | None = None
    Subtitles: SubtitlesRequest | None = None


class _FileMember(Shape):
    # Members of AWS's transcript file other than the texts are kept as they are.
    model_config = ConfigDict(extra="allow")


class TranscriptText(_FileMember):
    transcript: str


class Alternative(_FileMember):
    content: str


class TranscriptItem(_FileMember):
    alternatives: list[Alternative]


class TranscriptResults(_FileMember):
    transcripts: list[TranscriptText]
    items: list[TranscriptItem]
    audio_segments: list[TranscriptText]


class TranscriptFile(_FileMember):
    jobName: str
    results: TranscriptResults


class SubtitleCue(Shape):
    Start: float
    End: float
    Text: str


class SubtitleTrack(Shape):
    Formats: list[str]
    OutputStartIndex: int = 0
    Cues: list[SubtitleCue]


class LanguageDuration(Shape):
    LanguageCode: str
    DurationInSeconds: float


class TranscribeMediaResponse(Shape):
    LanguageCode: str
    IdentifiedLanguageScore: float | None = None
    LanguageCodes: list[LanguageDuration] | None = None
    Transcript: TranscriptFile | None = None  # None when ContentRedaction asks for the redacted one only
    RedactedTranscript: TranscriptFile | None = None
    Subtitles: SubtitleTrack | None = None  # of the redacted transcript, when redacting
