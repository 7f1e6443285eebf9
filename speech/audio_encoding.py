"""Mono 16-bit speech to the audio formats Polly answers with: mp3, ogg_vorbis, ogg_opus and raw pcm,
at a requested sample rate. PyAV (FFmpeg) encodes and resamples; it is imported on first use so
that `import speech` works before it is installed.
"""

from __future__ import annotations

import io

import numpy as np

CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "ogg_vorbis": "audio/ogg",
    "ogg_opus": "audio/ogg",
    "pcm": "audio/pcm",
    "json": "application/x-json-stream",
}

# format -> (container, codec, channel layout). FFmpeg's own Vorbis encoder (PyAV's wheel has no
# libvorbis) only encodes two channels, so Vorbis gets the mono signal on both.
_CODECS = {
    "mp3": ("mp3", "libmp3lame", "mono"),
    "ogg_vorbis": ("ogg", "vorbis", "stereo"),
    "ogg_opus": ("ogg", "libopus", "mono"),
}


def resample(samples: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """int16 mono at `target_rate`."""
    if source_rate == target_rate or samples.size == 0:
        return samples
    import av

    resampler = av.AudioResampler(format="s16", layout="mono", rate=target_rate)
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = source_rate
    out = [f.to_ndarray().reshape(-1) for f in [*resampler.resample(frame), *resampler.resample(None)]]
    return np.concatenate(out) if out else np.zeros(0, np.int16)


def encode(samples: np.ndarray, source_rate: int, output_format: str, target_rate: int) -> bytes:
    """Encode int16 mono samples; `pcm` is signed 16-bit little-endian mono, as Polly sends it."""
    samples = resample(np.asarray(samples, dtype=np.int16), source_rate, target_rate)
    if output_format == "pcm":
        return samples.astype("<i2").tobytes()
    container, codec, layout = _CODECS[output_format]
    if samples.size == 0:
        # Nothing said (empty text, only a mark): a valid file of a moment's silence; FFmpeg's Vorbis
        # encoder never finishes a stream it was given no samples for.
        samples = np.zeros(target_rate // 50, dtype=np.int16)
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as output:
        stream = output.add_stream(codec, rate=target_rate, layout=layout)
        if codec == "vorbis":
            stream.codec_context.options = {"strict": "experimental"}  # FFmpeg marks its Vorbis encoder so
        # The encoder takes the sample format it prefers; PyAV's resampler converts into it.
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout=layout, rate=target_rate)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = target_rate
        for converted in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(converted):
                output.mux(packet)
        for packet in stream.encode(None):
            output.mux(packet)
    return buffer.getvalue()
