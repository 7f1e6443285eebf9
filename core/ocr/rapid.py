"""RapidOCR 3 (PP-OCRv6 detection and recognition, ONNX Runtime); the weights ship in the wheel.

Word boxes come from the recogniser's character positions (`return_word_box`). RapidOCR's own
defaults scale every image so that its *shorter* side is 736 px, which turns a 1000x200 strip into
a 3680x736 one (7 s on two cores); pages are read at their own size, capped, and only small images
are enlarged so that their text reaches the detector's working size.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from core.ocr.result import OcrLine, OcrWord, line_of

MAX_SIDE = 1600  # detection input cap: past it a page costs more and reads no better
MIN_SIDE = 960  # images whose longer side is smaller are enlarged to this first
_MODEL_ROLES = {"det": "Det.model_path", "rec": "Rec.model_path"}


def embedded_models() -> Path | None:
    try:
        import rapidocr
    except ImportError:
        return None
    return Path(rapidocr.__file__).parent / "models"


def _model_params(folder: Path) -> dict[str, str]:
    """The det/rec ONNX files of a folder (the wheel's, or a user's own PP-OCR export)."""
    params = {}
    for role, key in _MODEL_ROLES.items():
        found = sorted(p for p in folder.glob("*.onnx") if f"_{role}_" in p.name or p.name.startswith(f"{role}"))
        if found:
            params[key] = str(found[-1])
    if "Det.model_path" not in params or "Rec.model_path" not in params:
        raise FileNotFoundError(f"{folder} needs a *_det_*.onnx and a *_rec_*.onnx model")
    return params


class RapidOcr:
    def __init__(self, folder: Path) -> None:
        from rapidocr import RapidOCR

        self._engine = RapidOCR(params={
            **_model_params(folder),
            "Global.return_word_box": True,
            "Global.log_level": "critical",
            # The text-direction classifier turned upright lines that open with a quote mark upside
            # down, and they came back as garbage: CER 6.8% with it, 0.1% without, on clean pages.
            "Global.use_cls": False,
            "Det.limit_type": "max",
            "Det.limit_side_len": MAX_SIDE,
        })
        self._lock = threading.Lock()  # one inference at a time already uses every core

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Lines top to bottom, as the detector sorts them."""
        import cv2

        scale = max(1.0, MIN_SIDE / max(image.shape[:2]))
        if scale > 1.0:
            image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        with self._lock:
            result = self._engine(image)
        if result.boxes is None:
            return []
        lines = []
        for box, text, score, words in zip(result.boxes, result.txts, result.scores, result.word_results):
            outline = [(float(x) / scale, float(y) / scale) for x, y in box]
            found = [
                OcrWord(word, float(word_score), [(x / scale, y / scale) for x, y in points])
                for word, word_score, points in words if word.strip()
            ]
            # The word splitter sometimes loses characters the line recogniser read (lines with
            # quotes): the line's text wins, its words placed along the line by character count.
            if "".join(w.text for w in found) != "".join(text.split()):
                found = _spread(text, float(score), outline)
            if found:
                lines.append(line_of(found, outline))
        return lines


def _spread(text: str, confidence: float, outline: list[tuple[float, float]]) -> list[OcrWord]:
    """The words of a line's text, each given the stretch of the line's outline its characters take."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = outline
    top = lambda t: (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)  # noqa: E731
    bottom = lambda t: (x3 + (x2 - x3) * t, y3 + (y2 - y3) * t)  # noqa: E731
    words, start = [], 0
    for word in text.split():
        start = text.index(word, start)
        a, b = start / len(text), (start + len(word)) / len(text)
        words.append(OcrWord(word, confidence, [top(a), top(b), bottom(b), bottom(a)]))
        start += len(word)
    return words
