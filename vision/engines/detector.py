"""The user's own object detector: what both backends (detector_onnx.py, detector_ultralytics.py)
return. No package ships COCO detector weights, so this capability is absent until settings name
a weights file: `models.rekognition_objects = {engine = "onnx-detector", path = "yolo11n.onnx"}`."""

from __future__ import annotations

from dataclasses import dataclass

from vision.engines.faces_mediapipe import Box

CAPABILITY = "rekognition_objects"
MIN_SCORE = 0.25  # below this, YOLO-family detectors mostly return noise


@dataclass(frozen=True)
class Detection:
    name: str
    score: float  # 0..1
    box: Box  # pixels
