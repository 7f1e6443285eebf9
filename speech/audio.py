"""Audio in any container and sample rate (wav, flac, mp3, ogg, m4a/mp4, webm, ...) decoded with PyAV
into what the speech engines take: 16 kHz mono float32 samples in [-1, 1].

`stream` yields the samples a chunk at a time, so a file of hours is never whole in memory;
`decode` is the whole of a short input. Both stop at `max_seconds` with a clear error instead of
filling memory, and anything that is not audio is a `BadRequest`, never a crash deep in an engine.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

from core.errors import BadRequest

SAMPLE_RATE = 16_000
MAX_SECONDS = 4 * 3600  # AWS Transcribe's limit for one file
CHUNK_SECONDS = 30.0

Source = bytes | str | Path | BinaryIO


class InvalidMedia(BadRequest):
    """The input is not audio PyAV can decode, or it holds no samples."""


class MediaTooLong(BadRequest):
    """The audio lasts longer than the limit."""


def _open(source: Source):
    import av

    target = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    try:
        return av.open(str(target) if isinstance(target, Path) else target, mode="r", metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidMedia(f"The media could not be decoded as audio: {exc}") from None


def stream(source: Source, *, chunk_seconds: float = CHUNK_SECONDS,
           max_seconds: float = MAX_SECONDS) -> Iterator[np.ndarray]:
    """16 kHz mono float32 chunks of about `chunk_seconds` each (the last may be shorter). Raises
    InvalidMedia for input with no audio stream or no samples, MediaTooLong past `max_seconds`."""
    import av

    chunk = int(chunk_seconds * SAMPLE_RATE)
    limit = int(max_seconds * SAMPLE_RATE)
    pending: list[np.ndarray] = []
    held = total = 0

    def take(frames) -> Iterator[np.ndarray]:
        nonlocal pending, held, total
        for out in frames:
            samples = out.to_ndarray().reshape(-1)
            total += samples.size
            if total > limit:
                raise MediaTooLong(f"The audio is longer than the limit of {max_seconds:.0f} seconds.")
            pending.append(samples)
            held += samples.size
        while held >= chunk:
            joined = np.concatenate(pending)
            yield joined[:chunk]
            pending, held = [joined[chunk:]], joined.size - chunk

    with _open(source) as container:
        if not container.streams.audio:
            raise InvalidMedia("The media has no audio stream.")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        # Decoded frames are small (often 1024 samples): resampling them in groups of a chunk is ten
        # times faster than one by one.
        fifo = av.AudioFifo()
        try:
            for frame in container.decode(audio=0):
                frame.pts = None  # the FIFO needs no timestamps, and rejects gaps in them
                fifo.write(frame)
                if fifo.samples >= chunk_seconds * frame.sample_rate:
                    yield from take(resampler.resample(fifo.read()))
            if fifo.samples:
                yield from take(resampler.resample(fifo.read()))
            yield from take(resampler.resample(None))  # drains the resampler's filter delay
        except av.error.FFmpegError as exc:
            raise InvalidMedia(f"The media could not be decoded as audio: {exc}") from None
    rest = np.concatenate(pending) if pending else np.zeros(0, np.float32)
    if total == 0 and rest.size == 0:
        raise InvalidMedia("The media holds no audio samples (0 seconds).")
    if rest.size:
        yield rest


def decode(source: Source, *, max_seconds: float = MAX_SECONDS) -> np.ndarray:
    """The whole input as one 16 kHz mono float32 array."""
    return np.concatenate(list(stream(source, max_seconds=max_seconds)))


def pcm16_to_float(data: bytes) -> np.ndarray:
    """Raw signed 16-bit little-endian mono PCM (the streaming door's input) as float32."""
    if len(data) % 2:
        raise InvalidMedia("PCM audio must be 16-bit samples: the byte count is odd.")
    return np.frombuffer(data, "<i2").astype(np.float32) / 32768.0


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mono float32 samples at `rate` as 16 kHz, by linear interpolation: enough for the speech band
    of a live stream, where a whole-file resampler cannot run."""
    if rate == SAMPLE_RATE or samples.size == 0:
        return samples
    count = int(round(samples.size * SAMPLE_RATE / rate))
    return np.interp(np.arange(count) * (rate / SAMPLE_RATE), np.arange(samples.size), samples).astype(np.float32)
