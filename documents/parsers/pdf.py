"""PDF text layers with pypdfium2 (1.4–3.5 ms a page); a page without one (a scan) is rendered and read
by OCR (Textract's engine, core.ocr) when the caller gives a reader."""

from __future__ import annotations

from collections.abc import Callable

from documents.parsers.parsed import DocumentUnreadable, ParsedDocument

MAX_PAGES = 5000
OCR_DPI = 200  # Tesseract reads body text best from about 200-300 dpi
OcrReader = Callable[[object], str]  # an HxWx3 uint8 RGB array -> its text


def parse_pdf(data: bytes, ocr: OcrReader | None = None) -> ParsedDocument:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        if len(pdf) > MAX_PAGES:
            raise DocumentUnreadable(f"The PDF has {len(pdf)} pages; at most {MAX_PAGES} are indexed.")
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n")
            textpage.close()
            if not text.strip() and ocr is not None:
                text = ocr(page.render(scale=OCR_DPI / 72).to_numpy()[..., :3])
            pages.append(text)
            page.close()
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
    finally:
        pdf.close()
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise DocumentUnreadable("The PDF has no text layer (a scanned document); it cannot be indexed.")
    return ParsedDocument(text, title)
