"""What a speech recognition engine gives the Transcribe code, whichever library runs it
(faster-whisper on CTranslate2, or openai-whisper on PyTorch for a user's `.pt` checkpoint): words
with times and confidences grouped in segments, and Whisper's language identification."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class Word:
    text: str  # with Whisper's punctuation attached: " Mr." or " them."
    start: float
    end: float
    probability: float


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Recognition:
    language: str  # Whisper's code: "en"
    language_probability: float
    segments: tuple[Segment, ...]


class SpeechModel(Protocol):
    multilingual: bool
    languages: frozenset[str]  # Whisper's codes the model transcribes

    def recognize(self, audio: np.ndarray, *, language: str | None = None, hotwords: str | None = None,
                  offset: float = 0.0) -> Recognition:
        """Words and segments of 16 kHz mono float audio, speech only (silence skipped by VAD);
        times shifted by `offset` seconds. Without `language`, the model identifies it."""

    def identify(self, audio: np.ndarray) -> list[tuple[str, float]]:
        """(Whisper language code, probability) for every language, most likely first."""
