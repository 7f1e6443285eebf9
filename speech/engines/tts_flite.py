"""CMU flite, Debian's `flite` package, run as its command-line program: a few more US English
standard voices (slt, rms, kal16) when it is installed, and none, with nothing failing, when not.

flite reports no word timing on its command line, so words are placed in proportion to their length
over the rendered sentence (as for Piper); it reads no phoneme input, so an SSML <phoneme> is said
as nothing, and SSML pitch is not honoured. Rate is its `duration_stretch`.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

from core.model_registry import EngineSpec
from speech.audio import SAMPLE_RATE, resample
from speech.engines.tts_rendered import Rendered, spread_words

CAPABILITY = "polly_flite"
_TIMEOUT_S = 120


class FliteEngine:
    sample_rate = SAMPLE_RATE  # kal speaks at 8 kHz, the others at 16 kHz: all are given at 16 kHz

    def __init__(self, binary: Path) -> None:
        self._binary = binary
        listed = subprocess.run([str(binary), "-lv"], capture_output=True, text=True, timeout=_TIMEOUT_S).stdout
        self.voices = frozenset(listed.split(":", 1)[-1].split())

    @staticmethod
    def phoneme_text(ipa: str) -> str:
        return ""

    def render(self, text: str, voice: str, rate: float = 1.0, pitch: float = 0.0) -> Rendered:
        """`voice` is a flite voice name ("slt")."""
        if voice not in self.voices:
            raise RuntimeError(f"flite has no voice {voice!r} (it has {', '.join(sorted(self.voices))}).")
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "said.wav"
            subprocess.run([str(self._binary), "-voice", voice, "--setf", f"duration_stretch={1 / max(rate, 0.1):.3f}",
                            "-t", text, "-o", str(out)], check=True, capture_output=True, timeout=_TIMEOUT_S)
            with wave.open(str(out)) as said:
                rate_hz = said.getframerate()
                pcm = np.frombuffer(said.readframes(said.getnframes()), dtype="<i2")
        samples = resample(pcm.astype(np.float32) / 32768, rate_hz)
        samples = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16)
        return Rendered(samples, self.sample_rate, spread_words(text, 1000 * samples.size / self.sample_rate))


def _installed() -> Path | None:
    found = shutil.which("flite")
    return Path(found) if found else None


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="flite",
    model="CMU flite 2.2 voices (slt, rms, kal16; US English)",
    licence="BSD-like (CMU flite)",
    package="Debian flite (apt)",
    locate=_installed,
    load=FliteEngine,
    optional=True,
)
