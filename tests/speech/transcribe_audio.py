"""Audio for the Transcribe tests: real recordings from Debian's test-data packages, speech
synthesized with espeak-ng (espeakng-loader), and files encoded with PyAV in the formats clients send."""

from __future__ import annotations

import io
import re
import wave
from functools import cache
from pathlib import Path

import numpy as np
import pytest

LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
ASTERISK = Path("/usr/share/asterisk/sounds")


def librivox(clip: str) -> tuple[Path, str]:
    """A LibriVox excerpt (16 kHz) and its reference transcript, from pocketsphinx-testdata."""
    if not LIBRIVOX.is_dir():
        pytest.skip("Debian's pocketsphinx-testdata is not installed (make installs it)")
    name = f"sense_and_sensibility_01_austen_64kb-{clip}"
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        if line.endswith(f"({name})"):
            return LIBRIVOX / f"{name}.wav", re.sub(r"</?s>|\(.*\)", "", line).strip()
    raise KeyError(clip)


def asterisk_prompt(voice: str, prompt: str) -> Path:
    """An 8 kHz telephone prompt from asterisk-core-sounds-{en,es,fr}-wav."""
    path = ASTERISK / voice / f"{prompt}.wav"
    if not path.is_file():
        pytest.skip(f"Debian's asterisk-core-sounds for {voice} are not installed (make installs them)")
    return path


def samples_of(path: Path, rate: int = 16000) -> np.ndarray:
    """int16 mono samples of a file, resampled to `rate` with PyAV."""
    import av

    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        frames = [out.to_ndarray().reshape(-1) for frame in container.decode(audio=0)
                  for out in resampler.resample(frame)]
        frames += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    return np.concatenate(frames)


@cache
def _espeak():
    import espeakng_loader

    from speech.engines.tts_espeak import EspeakEngine

    return EspeakEngine(Path(espeakng_loader.get_data_path()))


def speak(text: str, voice: str = "en-us") -> tuple[np.ndarray, int]:
    """int16 samples and their rate of `text` spoken by espeak-ng."""
    rendered = _espeak().render(text, voice)
    return rendered.samples, rendered.sample_rate


def wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return out.getvalue()


def silence(seconds: float, rate: int = 16000) -> np.ndarray:
    return np.zeros(int(seconds * rate), np.int16)


def encode(samples: np.ndarray, rate: int, container: str, codec: str) -> bytes:
    """int16 mono samples in another container and codec (mp3, ogg/opus, flac, m4a/aac, webm/opus)."""
    import av

    out = io.BytesIO()
    with av.open(out, "w", format=container) as target:
        stream = target.add_stream(codec, rate=48000 if codec == "libopus" else rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1).astype(np.int16), format="s16", layout="mono")
        frame.sample_rate = rate
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono",
                                      rate=stream.codec_context.sample_rate)
        fifo = av.AudioFifo()
        for piece in resampler.resample(frame) + resampler.resample(None):
            fifo.write(piece)
        size = stream.codec_context.frame_size or 1024
        while fifo.samples:
            for packet in stream.encode(fifo.read(min(size, fifo.samples))):
                target.mux(packet)
        for packet in stream.encode(None):
            target.mux(packet)
    return out.getvalue()
