"""What Polly tests check in audio: decoded with PyAV as a client would, its rate, channels, length
and loudness."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np


@dataclass
class Decoded:
    samples: np.ndarray  # float in [-1, 1], first channel
    sample_rate: int
    channels: int
    codec: str

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.sample_rate

    @property
    def rms(self) -> float:
        return float(np.sqrt(np.mean(self.samples ** 2))) if self.samples.size else 0.0


def decode(data: bytes, output_format: str, sample_rate: int | None = None) -> Decoded:
    """`pcm` is headerless s16le mono at `sample_rate`; the other formats carry their own headers."""
    if output_format == "pcm":
        return Decoded(np.frombuffer(data, "<i2").astype(np.float32) / 32768, sample_rate, 1, "pcm_s16le")
    import av

    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        frames = [frame.to_ndarray() for frame in container.decode(stream)]
        context = stream.codec_context
        # Planar frames are (channels, n); packed ones (1, n * channels).
        channels = context.channels
        joined = np.concatenate(frames, axis=1)
        first = joined[0] if joined.shape[0] == channels else joined[0, ::channels]
        scale = 32768.0 if first.dtype == np.int16 else 1.0
        return Decoded(first.astype(np.float32) / scale, context.sample_rate, channels, context.name)
