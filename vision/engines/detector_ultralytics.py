"""The user's own ultralytics checkpoint (`.pt`: YOLOv8/11, RT-DETR) through the ultralytics
package. ultralytics imports torchvision at start-up, and PyPI's torchvision does not run beside
this project's torch (shared/MODELS.md), so neither is in the default install: users who have
both use this engine; everyone else exports once (`yolo export model=best.pt format=onnx`) and uses
the ONNX engine (detector_onnx.py).

Settings: `models.rekognition_objects = {engine = "ultralytics", path = "/models/best.pt"}`.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from core.model_registry import EngineSpec
from vision.engines.detector import CAPABILITY, MIN_SCORE, Detection
from vision.engines.faces_mediapipe import Box


class UltralyticsDetector:
    def __init__(self, checkpoint: Path) -> None:
        from ultralytics import YOLO

        self._model = YOLO(str(checkpoint))
        self._lock = threading.Lock()

    def detect(self, pixels: np.ndarray) -> list[Detection]:
        # ultralytics takes numpy images as BGR, as OpenCV reads them.
        with self._lock:
            (result,) = self._model.predict(np.ascontiguousarray(pixels[:, :, ::-1]), conf=MIN_SCORE, verbose=False)
        names = result.names
        return [Detection(names[int(c)], float(s), Box(x0, y0, x1 - x0, y1 - y0))
                for (x0, y0, x1, y1), s, c in zip(result.boxes.xyxy.tolist(), result.boxes.conf.tolist(),
                                                  result.boxes.cls.tolist())]


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="ultralytics",
    model="the user's own ultralytics checkpoint (.pt)",
    licence="AGPL-3.0 (ultralytics) and that of the user's weights",
    package="ultralytics (with torchvision; not in the default install)",
    locate=lambda: None,
    load=UltralyticsDetector,
    default=False,
    optional=True,
)
