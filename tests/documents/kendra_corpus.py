"""Documents for the Kendra tests, from real text on this machine (Debian's licence texts and the
shared-mime-info spec PDF), written in each format Kendra indexes."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

LICENCES = Path("/usr/share/common-licenses")
MIME_SPEC_PDF = Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf")


def paragraphs(name: str, count: int, skip: int = 0) -> list[str]:
    """The first `count` paragraphs of 15+ words of a licence, whitespace folded."""
    found = [" ".join(p.split()) for p in re.split(r"\n\s*\n", (LICENCES / name).read_text())]
    return [p for p in found if len(p.split()) >= 15][skip:skip + count]


def html(title: str, texts: list[str]) -> bytes:
    body = "".join(f"<p>{t}</p>" for t in texts)
    return (f"<html><head><title>{title}</title><style>p {{color: red}}</style></head>"
            f"<body><h1>{title}</h1>{body}<script>var hidden = 'scriptword';</script></body></html>").encode()


def docx(title: str, texts: list[str]) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_heading(title, level=1)
    for text in texts:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Licence", title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx(title: str, texts: list[str]) -> bytes:
    import pptx as python_pptx

    deck = python_pptx.Presentation()
    for text in texts:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = text
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Licences"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(rows: list[list[str]]) -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def rtf(texts: list[str]) -> bytes:
    body = "".join("{\\pard " + t.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}") + "\\par}\n"
                   for t in texts)
    return ("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\n" + body + "}").encode()


def json_doc(title: str, texts: list[str]) -> bytes:
    return json.dumps({"title": title, "sections": [{"body": t} for t in texts]}).encode()


def scanned_pdf(source: Path, page: int) -> bytes:
    """One page of a born-digital PDF as a scan: rendered to an image and saved as an image-only PDF."""
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(source)[page].render(scale=200 / 72).to_pil().convert("L")
    out = io.BytesIO()
    image.save(out, "PDF", resolution=200)
    return out.getvalue()
