"""A document's bytes -> its pages, under AWS's rules for what Textract accepts.

Formats are told by their first bytes, not by a name: PNG, JPEG, TIFF (one page per frame) and
PDF. Each page comes as an RGB image, plus, for born-digital PDF pages, the text layer in the same
pixels (read directly: exact and ~1000x cheaper than OCR). Pages are produced one at a time so a
long document never sits in memory whole.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from core.errors import BadDocument, DocumentTooLarge, UnsupportedDocument
from core.ocr import OcrLine

MAX_SIDE_PIXELS = 10_000  # AWS: images up to 10000 pixels on a side
OCR_DPI = 200  # Tesseract and PP-OCR read body text best with an x-height of 10-20 px
MAX_RENDER_PIXELS = 40_000_000  # a 40-inch page at 200 dpi renders a little smaller than asked
SYNC_PAGES = 1  # AWS's synchronous operations take one-page documents
SYNC_BYTES = 10 * 1024 * 1024  # of up to 10 MB, inline or from S3
ASYNC_PAGES = 3000  # and its jobs up to 3000 pages

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_TIFF = (b"II*\x00", b"MM\x00*")


@dataclass
class Page:
    number: int  # 1-based
    image: np.ndarray  # HxWx3 uint8 RGB
    text_layer: list[OcrLine] | None  # a PDF page's own text in the image's pixels; None: to OCR


@dataclass
class Document:
    kind: str  # "PDF", "TIFF", "PNG", "JPEG"
    page_count: int
    size: int  # bytes
    _pages: Callable[[], Iterator[Page]]

    def pages(self) -> Iterator[Page]:
        return self._pages()


def open_document(data: bytes, *, max_pages: int) -> Document:
    """The document's pages, after the checks that can be made without reading them all."""
    if not data:
        raise BadDocument("The document is empty (0 bytes).")
    if data.startswith(_PNG) or data.startswith(_JPEG) or data.startswith(_TIFF):
        document = _open_image(data)
    elif b"%PDF-" in data[:1024]:  # PDF readers accept junk before the header, as Acrobat does
        document = _open_pdf(data)
    else:
        raise UnsupportedDocument("The document is not a PNG, JPEG, TIFF or PDF file.")
    if document.page_count > max_pages:
        if max_pages == SYNC_PAGES:
            raise UnsupportedDocument(
                f"The {document.kind} has {document.page_count} pages; synchronous operations take one page. "
                "Use StartDocumentTextDetection or StartDocumentAnalysis for multi-page documents.")
        raise DocumentTooLarge(f"The {document.kind} has {document.page_count} pages; the limit is {max_pages}.")
    return document


def _open_image(data: bytes) -> Document:
    from PIL import Image, ImageSequence

    try:
        image = Image.open(io.BytesIO(data))
        kind = image.format
        frames = getattr(image, "n_frames", 1)
    except Image.DecompressionBombError:
        raise UnsupportedDocument(f"The image is larger than {MAX_SIDE_PIXELS} pixels on a side.") from None
    except Exception as exc:  # Pillow raises many types for damaged files
        raise BadDocument(f"The image cannot be read: {exc}") from None
    _check_size(image.size, 1)

    def pages() -> Iterator[Page]:
        try:
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                _check_size(frame.size, number)
                yield Page(number, np.asarray(frame.convert("RGB")), None)
        except (UnsupportedDocument, BadDocument):
            raise
        except Exception as exc:
            raise BadDocument(f"The {kind} cannot be decoded: {exc}") from None

    return Document(kind, frames, len(data), pages)


def _check_size(size: tuple[int, int], number: int) -> None:
    if max(size) > MAX_SIDE_PIXELS:
        raise UnsupportedDocument(
            f"Page {number} is {size[0]}x{size[1]} pixels; the limit is {MAX_SIDE_PIXELS} on a side.")
    if min(size) <= 0:
        raise BadDocument(f"Page {number} has no pixels.")


def _open_pdf(data: bytes) -> Document:
    from documents.textract import pdf as pdf_pages

    pdf = pdf_pages.open_pdf(data)

    def pages() -> Iterator[Page]:
        for index in range(len(pdf)):
            try:
                image, scale, page = pdf_pages.render(pdf, index, OCR_DPI, MAX_RENDER_PIXELS)
                lines = pdf_pages.text_layer(page, scale)
            except Exception as exc:
                raise BadDocument(f"Page {index + 1} of the PDF cannot be read: {exc}") from None
            yield Page(index + 1, image, lines)

    return Document("PDF", len(pdf), len(data), pages)
