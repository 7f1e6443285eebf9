"""PDF pages through PDFium (pypdfium2): the text layer of born-digital pages, read directly with
its geometry, and rendered images of every page.

PDFium is not thread-safe, so every call into it holds one process-wide lock; OCR of the rendered
pages runs outside it.
"""

from __future__ import annotations

import threading
import unicodedata

import numpy as np

from core.errors import BadDocument, UnsupportedDocument
from core.ocr import OcrLine, OcrWord
from core.ocr.result import box_polygon, line_of

PDFIUM_LOCK = threading.RLock()
MAX_PAGE_POINTS = 40 * 72  # AWS: a PDF page may be at most 40 inches on a side
# A page whose "text" is mostly not letters or digits has fonts without a Unicode map: OCR it instead.
MIN_READABLE_SHARE = 0.5
_SOFT_HYPHEN = "\ufffe"  # PDFium marks a hyphen that breaks a word at a line end with U+FFFE


def open_pdf(data: bytes):
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise UnsupportedDocument(
                    "The PDF is encrypted; Textract reads only PDFs without a password.") from None
            raise BadDocument(f"The PDF cannot be read: {exc}") from None
        if len(pdf) == 0:
            raise BadDocument("The PDF has no pages.")
        for index in range(len(pdf)):
            width, height = pdf.get_page_size(index)
            if max(width, height) > MAX_PAGE_POINTS or min(width, height) <= 0:
                raise UnsupportedDocument(
                    f"Page {index + 1} is {width / 72:.0f}x{height / 72:.0f} inches; pages may be at most 40 inches "
                    "on a side.")
    return pdf


def render(pdf, index: int, dpi: float, max_pixels: int) -> tuple[np.ndarray, float, object]:
    """The page as an RGB array, the points-to-pixels scale used, and the open page."""
    with PDFIUM_LOCK:
        page = pdf[index]
        width, height = page.get_size()
        scale = min(dpi / 72, (max_pixels / (width * height)) ** 0.5)
        bitmap = page.render(scale=scale, rev_byteorder=True, fill_color=(255, 255, 255, 255))
        image = np.array(bitmap.to_numpy()[:, :, :3])
    return image, scale, page


def text_layer(page, scale: float) -> list[OcrLine] | None:
    """The page's own text as lines of words in pixels at `scale`, or None when the page has no
    usable text layer (a scan) and must be read by OCR."""
    import pypdfium2.raw as pdfium_c

    with PDFIUM_LOCK:
        if page.get_rotation() != 0:  # char boxes are in unrotated page space: let OCR read what is seen
            return None
        textpage = page.get_textpage()
        left, _, _, top = page.get_cropbox()
        chars = []
        for index in range(textpage.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
            box = textpage.get_charbox(index) if not char.isspace() else None
            chars.append((char, box))
    printable = [c for c, _ in chars if not c.isspace()]
    readable = sum(1 for c in printable if unicodedata.category(c)[0] in "LNP")
    if not printable or readable < MIN_READABLE_SHARE * len(printable):
        return None

    def to_pixels(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """PDF points (left, bottom, right, top; y up) -> pixels (left, top, right, bottom; y down)."""
        x0, y0, x1, y1 = box
        return (x0 - left) * scale, (top - y1) * scale, (x1 - left) * scale, (top - y0) * scale

    return _lines([(c, to_pixels(box) if box else None) for c, box in chars])


def _lines(chars: list[tuple[str, tuple[float, float, float, float] | None]]) -> list[OcrLine]:
    """Characters in content order -> words (split at spaces) -> lines (split at line breaks, and
    wherever the next character jumps back left or off the line, which PDFs do not always mark)."""
    lines: list[list[OcrWord]] = [[]]
    word: list[tuple[str, tuple[float, float, float, float]]] = []

    def end_word() -> None:
        if word:
            text = "".join(c for c, _ in word)
            box = (min(b[0] for _, b in word), min(b[1] for _, b in word),
                   max(b[2] for _, b in word), max(b[3] for _, b in word))
            lines[-1].append(OcrWord(text, 1.0, box_polygon(*box)))
            word.clear()

    def end_line() -> None:
        end_word()
        if lines[-1]:
            lines.append([])

    for char, box in chars:
        if box is None:
            end_line() if char in "\r\n" else end_word()
            continue
        if word:
            previous = word[-1][1]
            height = max(previous[3] - previous[1], box[3] - box[1], 1.0)
            off_the_line = box[1] > previous[3] or box[3] < previous[1]  # no shared height (quotes ride high)
            if box[0] < previous[0] - height or off_the_line:
                end_line()
        word.append(("-" if char == _SOFT_HYPHEN else char, box))
    end_word()
    return [line_of(words) for words in lines if words]
