"""Voice activity detection with Silero VAD v6, the ONNX copy inside faster-whisper (onnxruntime,
no torch): where in 16 kHz audio people speak."""

from __future__ import annotations

import numpy as np


def speech_regions(audio: np.ndarray, *, max_seconds: float = 30.0, min_silence_ms: int = 500) -> list[tuple[int, int]]:
    """(first sample, end sample) of each stretch of speech, none longer than `max_seconds`."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(max_speech_duration_s=max_seconds, min_silence_duration_ms=min_silence_ms)
    return [(found["start"], found["end"]) for found in get_speech_timestamps(audio, options)]
