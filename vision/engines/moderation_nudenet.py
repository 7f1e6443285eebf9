"""Nudity parts with NudeNet's 320n detector (`nudenet==3.4.2`): 18 classes of exposed or covered
body parts with boxes. The wheel's metadata says MIT while its LICENSE file says AGPL-3.0: the
README records both, and users with AGPL concerns can point this capability elsewhere."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.model_registry import EngineSpec
from vision.engines import packaged

CAPABILITY = "rekognition_moderation_parts"


@dataclass(frozen=True)
class BodyPart:
    name: str  # NudeNet's class, e.g. FEMALE_BREAST_EXPOSED
    score: float  # 0..1


class NudeNetDetector:
    def __init__(self, model: Path) -> None:
        from nudenet import NudeDetector

        self._detector = NudeDetector(model_path=str(model))
        self._lock = threading.Lock()

    def parts(self, pixels: np.ndarray) -> list[BodyPart]:
        # NudeNet converts its input from RGBA to BGR: give it RGBA so the channels come out right.
        rgba = np.dstack([pixels, np.full(pixels.shape[:2], 255, dtype=np.uint8)])
        with self._lock:
            found = self._detector.detect(rgba)
        return [BodyPart(d["class"], float(d["score"])) for d in found]


def _embedded_model() -> Path | None:
    return packaged("nudenet", "320n.onnx")


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="nudenet-320n",
    model="NudeNet 320n body-part detector (ONNX)",
    licence="AGPL-3.0 per the wheel's LICENSE file (metadata says MIT)",
    package="nudenet==3.4.2",
    locate=_embedded_model,
    load=NudeNetDetector,
)
