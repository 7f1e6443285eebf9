"""One Rekognition on its own registry and data folder, its models loaded once for the session."""

from __future__ import annotations

import pytest

from core import ocr
from core.model_registry import ModelRegistry
from core.settings import Settings
from vision import SPECS
from vision.rekognition import Rekognition


def registry_for(settings: Settings) -> ModelRegistry:
    models = ModelRegistry(settings)
    for spec in [*SPECS, *ocr.SPECS]:
        models.register(spec)
    return models


@pytest.fixture(scope="session")
def rekognition(tmp_path_factory: pytest.TempPathFactory) -> Rekognition:
    return Rekognition(registry_for(Settings(data_dir=tmp_path_factory.mktemp("rekognition-data"))))
