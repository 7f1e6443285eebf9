"""The shared OCR engines on lines of a real licence rendered here: both engines read them, give
word polygons clockwise from the top-left inside their line, and settings pick the engine or a
user's own model folder."""

from __future__ import annotations

import difflib
import shutil
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from core.errors import ModelUnavailable
from core.model_registry import ModelRegistry
from core.ocr import CAPABILITY, SPECS, OcrLine
from core.settings import ModelChoice, Settings

LICENCE = Path("/usr/share/common-licenses/Apache-2.0")


@pytest.fixture(scope="module")
def licence_lines() -> list[str]:
    if not LICENCE.is_file():
        pytest.skip(f"{LICENCE} is missing")
    paragraph = " ".join(LICENCE.read_text().split("\n\n")[4].split())
    return textwrap.wrap(paragraph, 60)[:3]


@pytest.fixture(scope="module")
def strip(licence_lines: list[str]) -> np.ndarray:
    font = ImageFont.load_default(size=26)
    image = Image.new("RGB", (900, 60 + 40 * len(licence_lines)), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(licence_lines):
        draw.text((30, 30 + 40 * i), line, font=font, fill="black")
    return np.asarray(image)


def _registry(**choice: object) -> ModelRegistry:
    models = ModelRegistry(Settings(models={CAPABILITY: ModelChoice(**choice)} if choice else {}))
    for spec in SPECS:
        models.register(spec)
    return models


def _similarity(found: str, expected: str) -> float:
    return difflib.SequenceMatcher(None, found, expected).ratio()


def _check_geometry(lines: list[OcrLine], shape: tuple[int, ...]) -> None:
    height, width = shape[:2]
    for line in lines:
        (x0, y0), (x1, _), (x2, y2), (_, y3) = line.polygon
        assert x1 > x0 and y2 > y0 and y3 > y0, line.polygon  # clockwise from the top-left
        assert 0 <= line.confidence <= 1
        for word in line.words:
            assert 0 <= word.confidence <= 1
            assert word.text in line.text
            xs = [x for x, _ in word.polygon]
            ys = [y for _, y in word.polygon]
            assert min(xs) >= x0 - 3 and max(xs) <= x1 + 3 and 0 <= min(ys) and max(ys) <= height
            assert max(xs) <= width


@pytest.mark.parametrize("engine", ["tesseract", pytest.param("rapidocr", marks=pytest.mark.slow)])
def test_engines_read_rendered_licence_text(engine: str, strip: np.ndarray, licence_lines: list[str]) -> None:
    lines = _registry(engine=engine).get(CAPABILITY).read(strip)
    assert len(lines) == len(licence_lines)
    for line, expected in zip(lines, licence_lines):
        assert _similarity(line.text, expected) > 0.95, (line.text, expected)
        assert line.text == " ".join(w.text for w in line.words)
    _check_geometry(lines, strip.shape)
    # Lines come top to bottom.
    tops = [line.polygon[0][1] for line in lines]
    assert tops == sorted(tops)


def test_blank_image_has_no_lines() -> None:
    assert _registry().get(CAPABILITY).read(np.full((300, 400, 3), 255, np.uint8)) == []


def test_default_engine_and_unknown_engine() -> None:
    assert type(_registry().get(CAPABILITY)).__name__ == "RapidOcr"
    with pytest.raises(ModelUnavailable, match="no engine 'nope'"):
        _registry(engine="nope").get(CAPABILITY)


def test_users_own_tessdata_folder(tmp_path: Path, strip: np.ndarray, licence_lines: list[str]) -> None:
    """A folder of the user's *.traineddata loads through the same spec (here a copy of the embedded one)."""
    embedded = next(s for s in SPECS if s.engine == "tesseract").locate()
    shutil.copy(embedded / "eng.traineddata", tmp_path / "eng.traineddata")
    engine = _registry(engine="tesseract", path=tmp_path).get(CAPABILITY)
    assert _similarity(engine.read(strip)[0].text, licence_lines[0]) > 0.95
    with pytest.raises(ModelUnavailable, match="not installed"):
        _registry(engine="tesseract", path=tmp_path / "missing").get(CAPABILITY)
