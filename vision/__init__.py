"""Computer-vision services on embedded models: Amazon Rekognition."""

from core import ocr
from core.model_registry import registry
from vision.engines import (
    detector_onnx,
    detector_ultralytics,
    face_embedding_dlib,
    faces_mediapipe,
    labels_efficientnet,
    moderation_nudenet,
    moderation_open_nsfw,
)
from vision.rekognition import Rekognition

SPECS = [
    labels_efficientnet.SPEC,
    faces_mediapipe.SPEC,
    face_embedding_dlib.SPEC,
    moderation_nudenet.SPEC,
    moderation_open_nsfw.SPEC,
    detector_onnx.SPEC,
    detector_ultralytics.SPEC,
]

# The OCR engines are Textract's too: registering them again is harmless (the registry is idempotent).
for _spec in [*SPECS, *ocr.SPECS]:
    registry.register(_spec)

SERVICES = [Rekognition]
__all__ = ["Rekognition", "SERVICES", "SPECS"]
