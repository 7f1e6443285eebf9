"""speech.audio: any container and sample rate to 16 kHz mono, with limits, and hours of audio
decoded in bounded memory."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from speech import audio
from tests.speech.transcribe_audio import encode, silence, speak, wav_bytes

REPO = Path(__file__).resolve().parents[2]


def test_formats_and_rates_decode_to_16khz_mono() -> None:
    samples, rate = speak("The quick brown fox jumps over the lazy dog.")
    seconds = len(samples) / rate
    for container, codec in [("mp3", "libmp3lame"), ("ogg", "libopus"), ("flac", "flac"), ("ipod", "aac"),
                             ("webm", "libopus")]:
        decoded = audio.decode(encode(samples, rate, container, codec))
        assert decoded.dtype == np.float32 and abs(decoded.size / audio.SAMPLE_RATE - seconds) < 0.06, container
        assert 0.02 < float(np.sqrt(np.mean(decoded ** 2))) < 0.5  # speech, not silence or clipping
    at_44k = np.interp(np.arange(int(seconds * 44100)) * rate / 44100, np.arange(len(samples)), samples)
    decoded = audio.decode(encode(at_44k.astype(np.int16), 44100, "flac", "flac"))
    assert abs(decoded.size / audio.SAMPLE_RATE - seconds) < 0.06


def test_bad_media_is_a_clear_error() -> None:
    with pytest.raises(audio.InvalidMedia, match="could not be decoded"):
        audio.decode(b"%PDF-1.7 not audio at all" * 40)
    with pytest.raises(audio.InvalidMedia, match="0 seconds"):
        audio.decode(wav_bytes(silence(0), 16000))
    with pytest.raises(audio.MediaTooLong):
        audio.decode(wav_bytes(silence(3), 16000), max_seconds=2)
    assert audio.decode(wav_bytes(silence(1, 8000), 8000)).size == 16000


def _three_hour_wav(path: Path) -> None:
    """8 kHz 16-bit mono, a 440 Hz tone every other second, written a minute at a time."""
    rate, seconds = 8000, 3 * 3600
    t = np.arange(rate * 60) / rate
    minute = (np.sin(2 * np.pi * 440 * t) * 3000 * (t % 2 < 1)).astype("<i2").tobytes()
    with path.open("wb") as out:
        size = rate * seconds * 2
        out.write(b"RIFF" + struct.pack("<I", 36 + size) + b"WAVEfmt " +
                  struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", size))
        for _ in range(seconds // 60):
            out.write(minute)


def test_three_hours_stream_in_bounded_memory(tmp_path: Path) -> None:
    long_file = tmp_path / "three-hours.wav"
    _three_hour_wav(long_file)
    # A fresh process, so that its peak resident memory is this decoding's alone. Whole, the
    # samples would take 691 MB as float32.
    script = (
        "import resource, sys; from speech import audio\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "seconds = sum(chunk.size for chunk in audio.stream(sys.argv[1])) / audio.SAMPLE_RATE\n"
        "grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024\n"
        "print(seconds, grown)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(long_file)], cwd=REPO, capture_output=True, text=True,
                         timeout=300, check=True).stdout.split()
    seconds, grown_mb = float(out[0]), float(out[1])
    assert seconds == 3 * 3600
    assert grown_mb < 100, f"decoding grew memory by {grown_mb:.0f} MB"


def test_long_audio_is_cut_into_windows_at_pauses() -> None:
    from speech.transcribe.recognition import cut_at_pauses

    noise = (np.random.default_rng(0).standard_normal(16000 * 100) * 0.1).astype(np.float32)
    noise[16000 * 28: 16000 * 28 + 3200] = 0  # a 200 ms pause near the end of the first 30 s
    windows = list(cut_at_pauses(noise[n: n + 16000 * 30] for n in range(0, noise.size, 16000 * 30)))
    assert sum(w.size for w in windows) == noise.size and np.array_equal(np.concatenate(windows), noise)
    assert 28.0 <= windows[0].size / 16000 <= 28.2  # inside the pause, not at 30 s
