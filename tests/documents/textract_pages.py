"""Document pages made here from real text and data on this machine, for Textract's tests and
benchmark: licence paragraphs set in one or two columns, tables of a real CSV (ruled or not, with a
merged header), a filled form with check boxes, born-digital and scanned PDFs, multi-page TIFFs,
and scan-like damage (blur, noise, skew, JPEG artefacts)."""

from __future__ import annotations

import csv
import io
import textwrap
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

LICENCES = Path("/usr/share/common-licenses")
PAGE = (1275, 1650)  # US Letter at 150 dpi
MARGIN = 90


def font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's own bundled TrueType face: present wherever Pillow is."""
    return ImageFont.load_default(size=size)


def licence_paragraphs(name: str = "Apache-2.0", count: int = 6, skip: int = 3) -> list[str]:
    text = (LICENCES / name).read_text()
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return [p for p in paragraphs if len(p.split()) > 12][skip:skip + count]


def text_page(paragraphs: list[str], *, columns: int = 1, size: int = 22, title: str | None = None,
              page: tuple[int, int] = PAGE) -> tuple[Image.Image, list[str]]:
    """A page of paragraphs (in `columns` columns, filled top to bottom then left to right) and its
    lines in reading order."""
    image = Image.new("RGB", page, "white")
    draw = ImageDraw.Draw(image)
    face, pitch = font(size), int(size * 1.35)
    lines: list[str] = []
    top = MARGIN
    if title:
        draw.text((MARGIN, top), title, font=font(int(size * 1.8)), fill="black")
        lines.append(title)
        top += int(size * 1.8 * 2)
    gutter = 60
    column_width = (page[0] - 2 * MARGIN - gutter * (columns - 1)) // columns
    chars = int(column_width / (size * 0.52))
    column, y = 0, top
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, chars):
            if y + pitch > page[1] - MARGIN:
                column, y = column + 1, top
                if column == columns:
                    return image, lines
            draw.text((MARGIN + column * (column_width + gutter), y), line, font=face, fill="black")
            lines.append(line)
            y += pitch
        y += pitch // 2
    return image, lines


def csv_rows(path: Path, count: int) -> list[list[str]]:
    with path.open() as handle:
        return [row for _, row in zip(range(count), csv.reader(handle))]


def table_page(rows: list[list[str]], *, ruled: bool, merged_title: str | None = None,
               size: int = 24) -> Image.Image:
    """A table drawn at the top of a page: ruled (a grid, with `merged_title` spanning every column
    in a first row) or unruled (cells set in aligned columns)."""
    image = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(image)
    face = font(size)
    columns = max(len(row) for row in rows)
    rows = [row + [""] * (columns - len(row)) for row in rows]  # a short header row leaves blank cells
    widths = [max(draw.textlength(row[c], font=face) for row in rows) + 40 for c in range(columns)]
    if not ruled:
        widths = [w + 40 for w in widths]
    row_height = int(size * 1.9)
    left, top = MARGIN, MARGIN + 60
    all_rows = ([[merged_title]] if merged_title else []) + rows
    xs = [left + sum(widths[:c]) for c in range(len(widths) + 1)]
    for r, row in enumerate(all_rows):
        y = top + r * row_height
        if len(row) == 1 and merged_title:
            draw.text((left + 20, y + size // 2), row[0], font=face, fill="black")
        else:
            for c, cell in enumerate(row):
                draw.text((xs[c] + 20, y + size // 2), cell, font=face, fill="black")
        if ruled:
            draw.line([(xs[0], y), (xs[-1], y)], fill="black", width=2)
            for c, x in enumerate(xs):
                if not (merged_title and r == 0 and 0 < c < len(xs) - 1):
                    draw.line([(x, y), (x, y + row_height)], fill="black", width=2)
    if ruled:
        bottom = top + len(all_rows) * row_height
        draw.line([(xs[0], bottom), (xs[-1], bottom)], fill="black", width=2)
    return image


def form_page(fields: list[tuple[str, str]], boxes: list[tuple[str, bool]], size: int = 26) -> Image.Image:
    """`Label: value` lines, then check boxes (drawn squares, checked ones crossed) with labels."""
    image = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(image)
    face = font(size)
    y = MARGIN
    for label, value in fields:
        draw.text((MARGIN, y), f"{label}:", font=face, fill="black")
        draw.text((MARGIN + 380, y), value, font=face, fill="black")
        y += int(size * 2)
    side = int(size * 1.0)
    for label, checked in boxes:
        y += int(size * 0.6)
        draw.rectangle([MARGIN, y, MARGIN + side, y + side], outline="black", width=3)
        if checked:
            draw.line([(MARGIN + 5, y + 5), (MARGIN + side - 5, y + side - 5)], fill="black", width=4)
            draw.line([(MARGIN + 5, y + side - 5), (MARGIN + side - 5, y + 5)], fill="black", width=4)
        draw.text((MARGIN + side + 20, y), label, font=face, fill="black")
        y += int(size * 1.8)
    return image


def degrade(image: Image.Image, *, seed: int = 0, skew: float = 2.5, jpeg_quality: int = 40) -> Image.Image:
    """What a scanner or a phone and a lossy upload do to a page: uneven light (one side at half
    brightness), slight blur, sensor noise, skew, JPEG artefacts."""
    rng = np.random.default_rng(seed)
    blurred = image.convert("L").filter(ImageFilter.GaussianBlur(0.8))
    rows, columns = np.mgrid[0:image.height, 0:image.width]
    light = 0.5 + 0.5 * (columns / image.width) * (0.7 + 0.3 * rows / image.height)
    noisy = np.asarray(blurred, dtype=np.float32) * light + rng.normal(0, 12, (image.height, image.width))
    skewed = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).rotate(
        skew, resample=Image.BICUBIC, expand=False, fillcolor=255)
    buffer = io.BytesIO()
    skewed.save(buffer, "JPEG", quality=jpeg_quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def encode(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def multipage_tiff(images: list[Image.Image]) -> bytes:
    return encode(images[0], "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw")


def scanned_pdf(images: list[Image.Image]) -> bytes:
    """Pages that are only pictures (no text layer), as a scanner writes them."""
    return encode(images[0], "PDF", save_all=True, append_images=images[1:], resolution=150)


def digital_pdf(pages: list[list[str]], *, password: str | None = None) -> bytes:
    """A born-digital PDF (a real text layer) with one page per list of lines."""
    from fpdf import FPDF

    pdf = FPDF(format="letter")
    pdf.set_font("Helvetica", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    return bytes(pdf.output())


def receipt_page(vendor: str, fields: list[tuple[str, str]], items: list[list[str]],
                 totals: list[tuple[str, str]], size: int = 24) -> Image.Image:
    """An invoice: the vendor's name in large type, `Label: value` fields, a ruled table of items
    (its first row the header), and right-aligned totals."""
    image = table_page(items, ruled=True, size=size)
    draw = ImageDraw.Draw(image)
    face = font(size)
    draw.text((MARGIN, 40), vendor, font=font(int(size * 1.6)), fill="black")
    # The table sits at MARGIN + 60; fields go below it, totals below them.
    y = MARGIN + 60 + int(size * 1.9) * len(items) + size * 2
    for label, value in fields:
        draw.text((MARGIN, y), f"{label}: {value}", font=face, fill="black")
        y += int(size * 1.8)
    y += size
    for label, value in totals:
        draw.text((PAGE[0] - 520, y), label, font=face, fill="black")
        draw.text((PAGE[0] - 260, y), value, font=face, fill="black")
        y += int(size * 1.8)
    return image
