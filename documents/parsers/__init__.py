"""Text out of the document formats Kendra indexes, one module per family of formats.

`parse(data, content_type)` gives the document's text and, where the format names one, its title.
A document that cannot be read raises `DocumentUnreadable` with the reason: BatchPutDocument turns it
into that document's FailedDocuments entry and goes on with the batch.
"""

from __future__ import annotations

from collections.abc import Callable

from core.errors import ServiceError
from documents.parsers.markup import parse_html, parse_markdown, parse_xml
from documents.parsers.office import parse_docx, parse_pptx, parse_xlsx
from documents.parsers.parsed import DocumentUnreadable, ParsedDocument
from documents.parsers.pdf import OcrReader, parse_pdf
from documents.parsers.plain import parse_csv, parse_json, parse_plain_text, parse_rtf

PARSERS: dict[str, Callable[[bytes], ParsedDocument]] = {
    "PLAIN_TEXT": parse_plain_text,
    "HTML": parse_html,
    "XML": parse_xml,
    "MD": parse_markdown,
    "PDF": parse_pdf,
    "MS_WORD": parse_docx,
    "PPT": parse_pptx,
    "MS_EXCEL": parse_xlsx,
    "CSV": parse_csv,
    "JSON": parse_json,
    "RTF": parse_rtf,
}

# What a file's extension says its content type is (data source syncs have no ContentType member).
EXTENSIONS = {
    ".txt": "PLAIN_TEXT", ".text": "PLAIN_TEXT", ".html": "HTML", ".htm": "HTML", ".xml": "XML", ".md": "MD",
    ".markdown": "MD", ".pdf": "PDF", ".docx": "MS_WORD", ".pptx": "PPT", ".xlsx": "MS_EXCEL", ".csv": "CSV",
    ".json": "JSON", ".rtf": "RTF",
}


def parse(data: bytes, content_type: str, ocr: OcrReader | None = None) -> ParsedDocument:
    """`ocr` reads the pages of scanned PDFs; without it they have no text."""
    parser = PARSERS.get(content_type)
    if parser is None:
        raise DocumentUnreadable(f"The content type {content_type} is not supported.")
    try:
        return parse_pdf(data, ocr) if content_type == "PDF" else parser(data)
    except (DocumentUnreadable, ServiceError):  # ServiceError: the OCR engine for a scan is not installed
        raise
    except Exception as exc:  # each library has its own errors for a corrupt file: all mean the same here
        raise DocumentUnreadable(f"The {content_type} document could not be read: {type(exc).__name__}: {exc}") from None


__all__ = ["EXTENSIONS", "PARSERS", "DocumentUnreadable", "ParsedDocument", "parse"]
