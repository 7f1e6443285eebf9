"""The user's own ONNX object detector through onnxruntime: YOLOv8/YOLO11 and RT-DETR exports
(`(1, 4 + classes, N)` or `(1, N, 4 + classes)`), and YOLOv5/YOLOX exports with an objectness
column (`(1, N, 5 + classes)`). Class names come from the model's `names` metadata (ultralytics
writes it on export) or a `names.txt` beside the file, one name a line.

Settings: `models.rekognition_objects = {engine = "onnx-detector", path = "/models/yolo11n.onnx"}`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

from core.model_registry import EngineSpec
from vision.engines.detector import CAPABILITY, MIN_SCORE, Detection
from vision.engines.faces_mediapipe import Box

DEFAULT_INPUT = 640  # for models exported with a dynamic input size
NMS_IOU = 0.45
LETTERBOX_GREY = 114  # the padding colour YOLO models were trained with


def _class_names(session, model: Path) -> list[str] | None:
    meta = session.get_modelmeta().custom_metadata_map
    if "names" in meta:
        names = ast.literal_eval(meta["names"])  # ultralytics writes a Python dict literal: {0: 'person', ...}
        return [names[i] for i in sorted(names)] if isinstance(names, dict) else list(names)
    sidecar = model.with_name("names.txt")
    if sidecar.exists():
        return [line.strip() for line in sidecar.read_text().splitlines() if line.strip()]
    return None


class OnnxDetector:
    def __init__(self, model: Path) -> None:
        import onnxruntime

        self._session = onnxruntime.InferenceSession(str(model), providers=["CPUExecutionProvider"])
        declared = self._session.get_inputs()[0]
        self._input_name = declared.name
        height, width = declared.shape[2:4]
        self._size = (height if isinstance(height, int) else DEFAULT_INPUT,
                      width if isinstance(width, int) else DEFAULT_INPUT)
        self._names = _class_names(self._session, model)

    def _letterbox(self, pixels: np.ndarray) -> tuple[np.ndarray, float, int, int]:
        import cv2

        height, width = self._size
        scale = min(height / pixels.shape[0], width / pixels.shape[1])
        resized = cv2.resize(pixels, (round(pixels.shape[1] * scale), round(pixels.shape[0] * scale)))
        top, left = (height - resized.shape[0]) // 2, (width - resized.shape[1]) // 2
        canvas = np.full((height, width, 3), LETTERBOX_GREY, dtype=np.uint8)
        canvas[top:top + resized.shape[0], left:left + resized.shape[1]] = resized
        return canvas.transpose(2, 0, 1)[None].astype(np.float32) / 255.0, scale, left, top

    def _rows(self, output: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(boxes as cx, cy, w, h in input pixels; class scores) from any of the supported layouts."""
        rows = output[0]
        classes = len(self._names) if self._names else None
        widths = (4 + classes, 5 + classes) if classes is not None else ()
        # YOLOv8/11 give one column per candidate; without names, candidates outnumber columns.
        if (rows.shape[1] not in widths and rows.shape[0] in widths) or (not widths and rows.shape[0] < rows.shape[1]):
            rows = rows.T
        boxes, rest = rows[:, :4].astype(np.float64), rows[:, 4:]
        if classes is not None and rest.shape[1] == classes + 1:
            rest = rest[:, 1:] * rest[:, :1]  # objectness times class probability (YOLOv5, YOLOX)
        if boxes.size and boxes.max() <= 1.5:  # RT-DETR gives coordinates relative to the input
            boxes *= np.array([self._size[1], self._size[0], self._size[1], self._size[0]])
        return boxes, rest

    def detect(self, pixels: np.ndarray) -> list[Detection]:
        import cv2

        batch, scale, left, top = self._letterbox(pixels)
        boxes, scores = self._rows(self._session.run(None, {self._input_name: batch})[0])
        if not len(boxes):
            return []
        classes, best = scores.argmax(axis=1), scores.max(axis=1)
        keep = best >= MIN_SCORE
        boxes, classes, best = boxes[keep], classes[keep], best[keep]
        # Back to the image's pixels: undo the padding and the scaling.
        xywh = np.column_stack([(boxes[:, 0] - boxes[:, 2] / 2 - left) / scale,
                                (boxes[:, 1] - boxes[:, 3] / 2 - top) / scale,
                                boxes[:, 2] / scale, boxes[:, 3] / scale])
        # One NMS for all classes: offsetting each class far apart keeps classes from suppressing each other.
        offset = classes[:, None] * (max(pixels.shape) + 1.0)
        shifted = np.column_stack([xywh[:, :2] + offset, xywh[:, 2:]])
        chosen = cv2.dnn.NMSBoxes(shifted.tolist(), best.tolist(), MIN_SCORE, NMS_IOU)
        height, width = pixels.shape[:2]
        found = []
        for i in np.asarray(chosen, dtype=int).reshape(-1):
            name = self._names[classes[i]] if self._names and classes[i] < len(self._names) else f"class {classes[i]}"
            box = Box(*(float(v) for v in xywh[i])).clipped(width, height)
            if box.width > 0 and box.height > 0:
                found.append(Detection(name, float(best[i]), box))
        return found


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="onnx-detector",
    model="the user's own ONNX detector (YOLOv5/v8/11, YOLOX, RT-DETR exports)",
    licence="that of the user's weights",
    package="onnxruntime",
    locate=lambda: None,
    load=OnnxDetector,
    optional=True,
)
