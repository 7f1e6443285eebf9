"""Office Open XML: Word (.docx), PowerPoint (.pptx) and Excel (.xlsx)."""

from __future__ import annotations

import io

from documents.parsers.parsed import ParsedDocument


def parse_docx(data: bytes) -> ParsedDocument:
    import docx

    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text.strip() for p in document.paragraphs]
    for table in document.tables:
        paragraphs += [" | ".join(cell.text.strip() for cell in row.cells) for row in table.rows]
    title = (document.core_properties.title or "").strip() or next(
        (p.text.strip() for p in document.paragraphs if p.style is not None and p.style.name in ("Title", "Heading 1")
         and p.text.strip()), None)
    return ParsedDocument("\n\n".join(p for p in paragraphs if p), title)


def parse_pptx(data: bytes) -> ParsedDocument:
    """One paragraph per slide: a slide is one unit of meaning, its title first."""
    import pptx

    deck = pptx.Presentation(io.BytesIO(data))
    slides, title = [], (deck.core_properties.title or "").strip() or None
    for slide in deck.slides:
        texts = [shape.text_frame.text.strip() for shape in slide.shapes if shape.has_text_frame]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text.strip())
        slides.append(" ".join(t for t in texts if t))
        if title is None and slide.shapes.title is not None and slide.shapes.title.text.strip():
            title = slide.shapes.title.text.strip()
    return ParsedDocument("\n\n".join(s for s in slides if s), title)


def parse_xlsx(data: bytes) -> ParsedDocument:
    """One paragraph per row, prefixed by its sheet's name."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = []
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = [str(v).strip() for v in row if v is not None and str(v).strip()]
                if cells:
                    rows.append(f"{sheet.title}: " + " | ".join(cells))
        title = (book.properties.title or "").strip() or None
    finally:
        book.close()
    return ParsedDocument("\n\n".join(rows), title)
