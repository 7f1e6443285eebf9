"""Live transcription of a PCM stream: partial results while someone speaks, a final result when
they pause (Silero VAD finds the pause) or after 30 s of speech, in the shape of AWS's streaming
`TranscriptEvent` (Results with Alternatives and Items), items built as the batch transcript's are.

Memory stays bounded: only the utterance in progress is kept (at most `MAX_UTTERANCE_SECONDS`).
The door (gateway/streaming) moves bytes; this class holds no network code.
"""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np

from speech.audio import SAMPLE_RATE, pcm16_to_float, resample
from speech.engines.vad_silero import speech_regions
from speech.engines.speech_model import SpeechModel
from speech.transcribe import transcript
from speech.transcribe.languages import to_aws

PARTIAL_EVERY_SECONDS = 2.0  # new audio between two partial results
END_OF_UTTERANCE_SECONDS = 0.6  # a pause this long ends an utterance
MAX_UTTERANCE_SECONDS = 30.0  # one Whisper window


class StreamingSession:
    def __init__(self, engine: SpeechModel, language: str | None, sample_rate: int = SAMPLE_RATE) -> None:
        self._engine = engine
        self._language = language  # Whisper's code, or None to identify it per utterance
        self._rate = sample_rate
        self._buffer = np.zeros(0, np.float32)
        self._offset = 0.0  # stream time of the buffer's first sample
        self._since_partial = 0
        self._result_id = uuid.uuid4().hex

    def feed(self, pcm: bytes) -> list[dict[str, Any]]:
        """Take s16le mono PCM at the session's rate; return the events it completes."""
        samples = resample(pcm16_to_float(pcm), self._rate)
        self._buffer = np.concatenate([self._buffer, samples])
        self._since_partial += samples.size
        if self._since_partial < PARTIAL_EVERY_SECONDS * SAMPLE_RATE:
            return []
        self._since_partial = 0
        regions = speech_regions(self._buffer, min_silence_ms=int(END_OF_UTTERANCE_SECONDS * 1000))
        if not regions:  # silence only: drop it, keeping the stream's clock
            self._advance(self._buffer.size)
            return []
        paused = self._buffer.size - regions[-1][1] >= END_OF_UTTERANCE_SECONDS * SAMPLE_RATE
        if paused or self._buffer.size >= MAX_UTTERANCE_SECONDS * SAMPLE_RATE:
            return self._final(regions[-1][1] if paused else self._buffer.size)
        return [self._event(self._buffer, partial=True)]

    def finish(self) -> list[dict[str, Any]]:
        """The final result of what is left when the stream ends."""
        if not self._buffer.size or not speech_regions(self._buffer):
            return []
        return self._final(self._buffer.size)

    def _final(self, end: int) -> list[dict[str, Any]]:
        event = self._event(self._buffer[:end], partial=False)
        self._advance(end)
        self._result_id = uuid.uuid4().hex
        return [event]

    def _advance(self, samples: int) -> None:
        self._buffer = self._buffer[samples:]
        self._offset += samples / SAMPLE_RATE

    def _event(self, audio: np.ndarray, *, partial: bool) -> dict[str, Any]:
        found = self._engine.recognize(audio, language=self._language, offset=self._offset)
        items = transcript.items_of(list(found.segments))
        alternative = {"Transcript": transcript.text_of(items), "Items": [
            {"Type": item.type, "Content": item.content, "StartTime": item.start, "EndTime": item.end,
             "Confidence": item.confidence, "Stable": not partial, "VocabularyFilterMatch": False}
            for item in items
        ]}
        return {"Transcript": {"Results": [{
            "ResultId": self._result_id, "StartTime": round(self._offset, 3),
            "EndTime": round(self._offset + audio.size / SAMPLE_RATE, 3), "IsPartial": partial,
            "Alternatives": [alternative], "ChannelId": "ch_0", "LanguageCode": to_aws(found.language),
        }]}}
