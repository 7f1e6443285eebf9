"""Speech recognition with openai-whisper (Whisper on PyTorch, float32 on CPU) for a user's own
`.pt` checkpoint, of any size or fine-tune: the file openai-whisper's `load_model` reads,
`{"dims": ..., "model_state_dict": ...}`. No such checkpoint ships on a registry, so this engine has
no embedded weights: select it by settings (`AIGW_MODELS__TRANSCRIBE_SPEECH__ENGINE=openai-whisper`
and `__PATH=/models/large-v3.pt`) or per request (`ModelSettings.LanguageModelName` naming a `.pt`
under model_dir). Its tokenizer files and mel filters ship inside the package: nothing is fetched.

It gives the same words and segments as the faster-whisper engine: Silero VAD picks the speech
(given to Whisper as `clip_timestamps`, as faster-whisper's `vad_filter` does), word timestamps come
from Whisper's cross-attention alignment, and a vocabulary's phrases bias it as an initial prompt
(openai-whisper has no hotwords).
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from core.errors import ModelUnavailable
from core.model_registry import EngineSpec
from speech.audio import SAMPLE_RATE
from speech.engines.speech_model import Recognition, Segment, Word
from speech.engines.vad_silero import speech_regions
from speech.engines.whisper_ct2 import BEAM_SIZE, CAPABILITY

ENGINE = "openai-whisper"
_WINDOW_SAMPLES = 30 * SAMPLE_RATE  # what Whisper hears at once, and identifies the language from
_HOP = 160  # samples per mel frame


def _clips(regions: list[tuple[int, int]], samples: int) -> list[float]:
    """Whisper's `clip_timestamps` (start, end, start, end... in seconds): stretches of speech joined
    while they fit one 30 s window, so each window is decoded once. No clip may end past the audio's
    last whole mel frame: openai-whisper never leaves a clip whose end it cannot reach."""
    joined: list[list[int]] = []
    for first, last in regions:
        if joined and last - joined[-1][0] <= _WINDOW_SAMPLES:
            joined[-1][1] = last
        else:
            joined.append([first, last])
    end = samples // _HOP * _HOP
    return [min(at, end) / SAMPLE_RATE for first, last in joined if first < end for at in (first, last)]


class OpenAIWhisperEngine:
    def __init__(self, path: Path) -> None:
        try:
            import whisper
        except ImportError as exc:
            raise ModelUnavailable(f"{CAPABILITY} on {ENGINE} needs openai-whisper: {exc}") from None
        if not path.is_file():
            raise ModelUnavailable(f"{path} is not an openai-whisper checkpoint file (.pt).")
        try:
            self._model = whisper.load_model(str(path), device="cpu")
        # The file is the user's: whatever it holds instead of a checkpoint (not a torch file, a
        # dict without "dims", weights of other shapes) is a model that cannot be used, not a crash.
        except Exception as exc:  # noqa: BLE001
            raise ModelUnavailable(f"{path.name} is not a loadable openai-whisper checkpoint "
                                   f"({type(exc).__name__}: {str(exc)[:200]}).") from None
        self.path = path
        self.multilingual = bool(self._model.is_multilingual)
        from whisper.tokenizer import LANGUAGES

        self.languages = frozenset(list(LANGUAGES)[:self._model.num_languages]) if self.multilingual \
            else frozenset({"en"})
        # Whisper's decoder and alignment install hooks on the model for the length of a call.
        self._lock = threading.Lock()

    def recognize(self, audio: np.ndarray, *, language: str | None = None, hotwords: str | None = None,
                  offset: float = 0.0) -> Recognition:
        """Words and segments of 16 kHz mono audio; times are shifted by `offset` seconds. Without
        `language`, Whisper identifies it from the first 30 s of speech."""
        import whisper

        regions = speech_regions(audio)
        if not regions:  # silence only: an empty transcript
            return Recognition(language or "en", 1.0, ())
        probability = 1.0
        if not self.multilingual:
            language = "en"
        elif language is None:
            language, probability = self.identify(audio)[0]
        with self._lock:
            result = whisper.transcribe(
                self._model, audio.astype(np.float32), language=language, beam_size=BEAM_SIZE, fp16=False,
                word_timestamps=True, condition_on_previous_text=False, initial_prompt=hotwords or None,
                clip_timestamps=_clips(regions, audio.size), verbose=None,
            )
        found = tuple(
            Segment(float(s["start"]) + offset, float(s["end"]) + offset, s["text"].strip(), tuple(
                Word(w["word"], float(w["start"]) + offset, float(w["end"]) + offset, float(w["probability"]))
                for w in s.get("words") or ()))
            for s in result["segments"]
        )
        return Recognition(language, probability, found)

    def identify(self, audio: np.ndarray) -> list[tuple[str, float]]:
        """(Whisper language code, probability) for every language, most likely first, from the
        first 30 s of speech."""
        if not self.multilingual:
            return [("en", 1.0)]
        import whisper

        regions = speech_regions(audio)
        speech = np.concatenate([audio[first:last] for first, last in regions]) if regions else audio
        window = whisper.pad_or_trim(speech[:_WINDOW_SAMPLES].astype(np.float32))
        mel = whisper.log_mel_spectrogram(window, self._model.dims.n_mels)
        with self._lock:
            _, probabilities = self._model.detect_language(mel)
        return sorted(((code, float(p)) for code, p in probabilities.items()), key=lambda cp: -cp[1])


SPEC = EngineSpec(capability=CAPABILITY, engine=ENGINE, model="a user's openai-whisper checkpoint (.pt)",
                  licence="MIT (openai-whisper); the checkpoint's own", package="openai-whisper==20250625",
                  locate=lambda: None, load=OpenAIWhisperEngine, default=False, optional=True)
