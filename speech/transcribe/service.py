"""Amazon Transcribe, in process: `Transcribe().transcribe_media(...)` turns one media file into AWS's
transcript file (transcribe/media.py); custom vocabularies and filters (transcribe/vocabularies.py).
Transcription jobs (StartTranscriptionJob, ...) run it on the gateway's job engine
(gateway/jobs/aws_transcribe.py); the streaming door is gateway/streaming."""

from __future__ import annotations

from core.model_registry import ModelRegistry, registry
from core.service import Service
from speech.transcribe.media import MediaTranscriptionOperations
from speech.transcribe.vocabularies import VocabularyOperations


class Transcribe(MediaTranscriptionOperations, VocabularyOperations, Service):
    name = "transcribe"

    def __init__(self, models: ModelRegistry | None = None) -> None:
        self._models = models or registry
