"""128-d face embeddings from dlib's ResNet (`dlib-bin` + `face_recognition_models==0.3.0`, CC0
weights): the face is aligned on dlib's 5-point landmarks found inside the box our detector gives,
so dlib's own (slower, frontal-only) HOG detector is never run."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from core.model_registry import EngineSpec
from vision.engines import packaged
from vision.engines.faces_mediapipe import Box

CAPABILITY = "rekognition_face_embedding"
MODEL_VERSION = "dlib_face_recognition_resnet_model_v1"
SHAPE_MODEL = "shape_predictor_5_face_landmarks.dat"
EMBEDDING_MODEL = "dlib_face_recognition_resnet_model_v1.dat"
# dlib's landmark model was trained on boxes from its HOG detector, which sit a little lower and
# tighter on the face than MediaPipe's: this maps one onto the other.
BOX_SHIFT_DOWN = 0.08
BOX_SHRINK = 0.06


class DlibFaceEmbedder:
    def __init__(self, models_dir: Path) -> None:
        import dlib

        self._dlib = dlib
        self._shape = dlib.shape_predictor(str(models_dir / SHAPE_MODEL))
        self._net = dlib.face_recognition_model_v1(str(models_dir / EMBEDDING_MODEL))
        self._lock = threading.Lock()

    def embed(self, pixels: np.ndarray, boxes: list[Box]) -> np.ndarray:
        """One unit-free 128-d row per box; distances under 0.6 are dlib's "same person"."""
        if not boxes:
            return np.zeros((0, 128), dtype=np.float32)
        rows = []
        with self._lock:
            for box in boxes:
                dx, dy = box.width * BOX_SHRINK, box.height * (BOX_SHIFT_DOWN)
                rect = self._dlib.rectangle(int(box.left + dx), int(box.top + dy + dx),
                                            int(box.left + box.width - dx), int(box.top + box.height + dy - dx))
                shape = self._shape(pixels, rect)
                rows.append(np.asarray(self._net.compute_face_descriptor(pixels, shape), dtype=np.float32))
        return np.stack(rows)


def _embedded_models() -> Path | None:
    return packaged("face_recognition_models", "models")


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="dlib-resnet",
    model="dlib ResNet face embedding (128-d) with the 5-point aligner",
    licence="CC0-1.0 (models), BSL-1.0 (dlib)",
    package="face_recognition_models==0.3.0, dlib-bin==20.0.1.post1",
    locate=_embedded_models,
    load=DlibFaceEmbedder,
)
