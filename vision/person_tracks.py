"""People followed across a video's samples: each person found in a sample gets the stable Index
of their track, as Rekognition's person tracking answers it."""

from __future__ import annotations

from vision.video import SAMPLE_INTERVAL_MS

FIRST_SIGHTING_IOU = 0.3


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - width * height
    return width * height / union if union > 0 else 0.0


class PersonTracks:
    """Person indexes across frames: ByteTrack (`trackers`) over the people found in each sample.

    ByteTrack names a track from its second sighting on; the first sighting gets the name back
    when the next sample's box overlaps it, so a person's first appearance is not lost."""

    def __init__(self) -> None:
        from trackers import ByteTrackTracker

        # Samples come SAMPLE_INTERVAL_MS apart: a person may move far between two of them.
        self._tracker = ByteTrackTracker(frame_rate=1000 / SAMPLE_INTERVAL_MS, minimum_consecutive_frames=1,
                                         track_activation_threshold=0.5, lost_track_buffer=4)
        self._unnamed: list[tuple[tuple[float, ...], dict]] = []  # last sample's (box, item) without a track yet

    def name(self, boxes: list[tuple[float, float, float, float]], scores: list[float], items: list[dict]) -> None:
        """Sets each item's Person.Index from its box (x0, y0, x1, y1 in pixels); -1 while unnamed."""
        indexes = self._indexes(boxes, scores)
        for box, index, item in zip(boxes, indexes, items):
            item["Person"]["Index"] = index
            if index < 0:
                continue
            for earlier_box, earlier in self._unnamed:
                if earlier["Person"]["Index"] < 0 and _iou(earlier_box, box) >= FIRST_SIGHTING_IOU:
                    earlier["Person"]["Index"] = index
        self._unnamed = [(box, item) for box, index, item in zip(boxes, indexes, items) if index < 0]

    def _indexes(self, boxes: list[tuple[float, float, float, float]], scores: list[float]) -> list[int]:
        import numpy as np
        import supervision as sv

        detections = sv.Detections(xyxy=np.array(boxes, dtype=np.float32).reshape(-1, 4),
                                   confidence=np.array(scores, dtype=np.float32))
        tracked = self._tracker.update(detections)
        # ByteTrack answers its own (Kalman-smoothed) boxes: each input box takes the nearest one's id.
        found = []
        for box in boxes:
            gaps = [(float(np.abs(np.array(box) - t).sum()), int(i)) for t, i in zip(tracked.xyxy, tracked.tracker_id)]
            found.append(min(gaps)[1] if gaps else -1)
        return found
