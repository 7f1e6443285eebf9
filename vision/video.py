"""Stored videos for Rekognition's video analyses: read from S3 (or the configured storage), sampled
at a fixed interval with OpenCV's bundled FFmpeg, each frame an upright RGB array with its time."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from core.errors import InvalidParameter, VideoTooLarge
from core.s3_object import InlineOrS3, read_input
from core.settings import Settings

SAMPLE_INTERVAL_MS = 500  # two frames a second: people and objects rarely come and go faster
MAX_VIDEO_BYTES = 1024 * 1024 * 1024  # the job holds the file on local disk while it runs
MAX_SAMPLES = 3600  # 30 minutes at the sampling interval


@dataclass(frozen=True)
class VideoInfo:
    codec: str
    format: str
    duration_ms: int
    frame_rate: float
    width: int
    height: int

    def metadata(self) -> dict:
        """Rekognition's VideoMetadata members."""
        return {"Codec": self.codec, "Format": self.format, "DurationMillis": self.duration_ms,
                "FrameRate": self.frame_rate, "FrameWidth": self.width, "FrameHeight": self.height}


def read_video(video: InlineOrS3, settings: Settings) -> bytes:
    """The video's bytes, read as every S3Object input is (a missing object: InvalidS3ObjectException).
    Inline bytes are what a job hands over of the object it read: they have the same limit."""
    return read_input(video, settings, what="Video", max_inline_bytes=MAX_VIDEO_BYTES,
                      max_s3_bytes=MAX_VIDEO_BYTES, too_large=VideoTooLarge)


class SampledVideo:
    """A video's metadata and its frames every SAMPLE_INTERVAL_MS; the file lives while this does."""

    def __init__(self, data: bytes, suffix: str = "") -> None:
        import cv2

        self._file = tempfile.NamedTemporaryFile(suffix=suffix)
        self._file.write(data)
        self._file.flush()
        self._capture = cv2.VideoCapture(self._file.name)
        if not self._capture.isOpened() or not self._capture.read()[0]:
            self.close()
            raise InvalidParameter("The video could not be decoded: it is not a video format FFmpeg reads.")
        self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
        fps = self._capture.get(cv2.CAP_PROP_FPS) or 0.0
        frames = self._capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0
        fourcc = int(self._capture.get(cv2.CAP_PROP_FOURCC))
        self.info = VideoInfo(
            codec="".join(chr((fourcc >> (8 * i)) & 0xFF) for i in range(4)).strip("\0 ").lower() or "unknown",
            format=suffix.lstrip(".") or "video",  # the file's extension: ".avi" -> "avi"
            duration_ms=int(frames / fps * 1000) if fps > 0 else 0,
            frame_rate=float(fps),
            width=int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
            height=int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        )

    def frames(self) -> Iterator[tuple[int, np.ndarray]]:
        """(timestamp in ms, RGB pixels) at the sampling interval, decoding every frame in order
        (seeking is inexact in many codecs) and keeping those whose time has come."""
        import cv2

        next_at, index, kept = 0.0, 0, 0
        fps = self.info.frame_rate or 25.0
        while kept < MAX_SAMPLES:
            ok, frame = self._capture.read()
            if not ok:
                return
            at = index * 1000.0 / fps
            index += 1
            if at + 1e-6 >= next_at:
                kept += 1
                next_at += SAMPLE_INTERVAL_MS
                yield int(round(at)), cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)

    def close(self) -> None:
        self._capture.release()
        self._file.close()
