"""Amazon Transcribe, in process: `Transcribe().start_transcription_job(...)`, then
`get_transcription_job(...)` until the job is COMPLETED. Batch jobs (transcribe/jobs.py) and custom
vocabularies and filters (transcribe/vocabularies.py); the streaming door is gateway/streaming."""

from __future__ import annotations

from core.model_registry import ModelRegistry, registry
from core.service import Service
from speech.transcribe.jobs import TranscriptionJobOperations
from speech.transcribe.vocabularies import VocabularyOperations


class Transcribe(TranscriptionJobOperations, VocabularyOperations, Service):
    name = "transcribe"

    def __init__(self, models: ModelRegistry | None = None) -> None:
        self._models = models or registry
