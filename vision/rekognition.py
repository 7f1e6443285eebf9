"""Amazon Rekognition, in process: `Rekognition().detect_labels(Path("photo.jpg"))`. Each family of
operations is a mixin in its own file; this class gives them the model registry and the image reader."""

from __future__ import annotations

from core.model_registry import ModelRegistry, registry
from core.service import Service
from vision.face_collections import CollectionOperations
from vision.face_matching import CompareFacesOperations
from vision.faces import FaceOperations
from vision.images import DecodedImage, read_image
from vision.labels import LabelOperations
from vision.moderation import ModerationOperations
from vision.shapes import Image
from vision.text import TextOperations
from vision.video_analysis import VideoAnalysisOperations


class Rekognition(
    LabelOperations,
    FaceOperations,
    CompareFacesOperations,
    CollectionOperations,
    ModerationOperations,
    TextOperations,
    VideoAnalysisOperations,
    Service,
):
    name = "rekognition"

    def __init__(self, models: ModelRegistry | None = None) -> None:
        self._models = models or registry

    def _image(self, image: Image, what: str = "Image") -> DecodedImage:
        return read_image(image, self._models.settings, what)
