"""`TranscribeMedia`: one media file to AWS's transcript file, its redacted copy and subtitles.

It is what a transcription job does with its file (StartTranscriptionJob is a job of it on the
gateway's job engine, gateway/jobs/aws_transcribe.py), and in process a synchronous call. The audio
is decoded and recognized window by window (transcribe/recognition.py).
"""

from __future__ import annotations

from typing import Any

from core.errors import BadRequest
from core.model_registry import ModelRegistry
from core.service import operation
from nlp.pii.detector import PiiDetector
from speech import audio
from speech.engines import diarization_resemblyzer
from speech.transcribe import item_edits, recognition, subtitles, transcript
from speech.transcribe.media_shapes import TranscribeMediaRequest, TranscribeMediaResponse, TranscriptFile
from speech.transcribe.models import speech_engine
from speech.transcribe.vocabularies import hotwords
from speech.transcribe.word_lists import FILTER, VOCABULARY

DEFAULT_MAX_SPEAKERS = 10  # when ShowSpeakerLabels comes without MaxSpeakerLabels

# The transcript's texts: PII redaction reaches them, the subtitles' through their cues.
_TRANSCRIPT_TEXTS = ("results.transcripts[*].transcript", "results.items[*].alternatives[*].content",
                     "results.audio_segments[*].transcript")
TEXT_OUT = (*(f"{file}.{path}" for file in ("Transcript", "RedactedTranscript") for path in _TRANSCRIPT_TEXTS),
            "Subtitles.Cues[*].Text")


class MediaTranscriptionOperations:
    _models: ModelRegistry

    word_list: Any  # VocabularyOperations.word_list, beside this mixin in Transcribe

    def check_media_request(self, request: TranscribeMediaRequest) -> None:
        """Refuse at once what would fail the transcription: an unknown model or language, a missing
        vocabulary or filter, contradictory settings (a job checks this when it is started)."""
        settings = request.Settings
        if settings and settings.VocabularyFilterName:
            if not settings.VocabularyFilterMethod:
                raise BadRequest("VocabularyFilterName needs a VocabularyFilterMethod.")
            self.word_list(FILTER, settings.VocabularyFilterName)
        if settings and settings.ShowSpeakerLabels is False and settings.MaxSpeakerLabels:
            raise BadRequest("MaxSpeakerLabels needs ShowSpeakerLabels.")
        if request.ContentRedaction and (request.LanguageCode or "en-US").split("-")[0] != "en":
            raise BadRequest("ContentRedaction is supported for English transcripts only.")
        recognition.check(self._engine(request), self._recognition_request(request))

    def _engine(self, request: TranscribeMediaRequest) -> Any:
        return speech_engine(self._models, request.ModelSettings and request.ModelSettings.LanguageModelName)

    def _recognition_request(self, request: TranscribeMediaRequest) -> recognition.Request:
        vocabulary = request.Settings and request.Settings.VocabularyName
        return recognition.Request(
            language=request.LanguageCode, identify=bool(request.IdentifyLanguage),
            identify_multiple=bool(request.IdentifyMultipleLanguages), options=request.LanguageOptions,
            hotwords=hotwords(self.word_list(VOCABULARY, vocabulary)) if vocabulary else None,
        )

    @operation(text_out=TEXT_OUT)
    def transcribe_media(self, request: TranscribeMediaRequest) -> TranscribeMediaResponse:
        """Transcribe one media file: AWS's transcript file (and its PII-redacted copy with
        ContentRedaction), subtitle cues, and the language found. Not an AWS operation."""
        self.check_media_request(request)
        settings = request.Settings
        speakers = (settings.MaxSpeakerLabels or DEFAULT_MAX_SPEAKERS) if settings and settings.ShowSpeakerLabels \
            else None
        windows = audio.stream(request.Media.Bytes, chunk_seconds=recognition.WINDOW_SECONDS)
        if speakers:
            windows = diarization_resemblyzer.Recorder(windows, self._models)
        found = recognition.recognize(self._engine(request), windows, self._recognition_request(request))
        items = transcript.items_of(found.segments, found.segment_languages)
        speaker_labels = None
        if speakers:
            times = [(item.start, item.end) for item in items if item.start is not None]
            speaker_labels = transcript.label_speakers(items, windows.speakers(times, speakers))
        if settings and settings.VocabularyFilterName:
            words = self.word_list(FILTER, settings.VocabularyFilterName).words
            items = item_edits.apply_filter(items, words, settings.VocabularyFilterMethod)
        language_codes = sorted(found.durations.items()) if found.segment_languages is not None else None

        def file_of(file_items: list[transcript.Item]) -> TranscriptFile:
            return TranscriptFile.model_validate(transcript.document(
                request.TranscriptionJobName, file_items, speaker_labels=speaker_labels,
                language_identification=found.identification, language_codes=language_codes))

        redaction = request.ContentRedaction
        plain = None if redaction and redaction.RedactionOutput == "redacted" else file_of(items)
        redacted = None
        if redaction:
            items = item_edits.redact(items, PiiDetector(self._models), redaction.PiiEntityTypes)
            redacted = file_of(items)
        wanted = request.Subtitles
        return TranscribeMediaResponse(
            LanguageCode=found.language, IdentifiedLanguageScore=found.score,
            LanguageCodes=[{"LanguageCode": code, "DurationInSeconds": round(seconds, 2)}
                           for code, seconds in language_codes] if language_codes else None,
            Transcript=plain, RedactedTranscript=redacted,
            Subtitles=subtitles.track(items, sorted(set(wanted.Formats)), wanted.OutputStartIndex or 0)
            if wanted and wanted.Formats else None,
        )
