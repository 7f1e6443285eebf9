"""Fixtures shared by the speech tests."""

from __future__ import annotations

import pytest

from core.model_registry import ModelRegistry
from core.settings import Settings
from speech.polly import TTS_SPECS, Polly


@pytest.fixture(scope="module")
def polly(tmp_path_factory: pytest.TempPathFactory) -> Polly:
    models = ModelRegistry(Settings(data_dir=tmp_path_factory.mktemp("polly-data")))
    for spec in TTS_SPECS:
        models.register(spec)
    return Polly(models)
