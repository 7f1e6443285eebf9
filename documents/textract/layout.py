"""Page layout from line geometry (no layout model ships offline): lines in reading order are
grouped into paragraphs, and each paragraph is named by where it sits and how it looks — a title
(the largest text high on the page), section headers (short, larger or numbered lines), headers
and footers (the page's top and bottom margins), page numbers, lists (bullet or number marks),
tables and key-values (found by the other features), and text.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from core.ocr import OcrLine
from documents.textract.geometry import Box

MARGIN_SHARE = 0.06  # top and bottom bands of the page that hold running headers and footers
TITLE_HEIGHT = 1.4  # a title's text is this many times the page's usual line height
HEADER_HEIGHT = 1.15
MAX_HEADER_WORDS = 10
_BULLET = re.compile(r"^([•●▪‣◦*\-–—]|\(?[0-9]{1,2}[.)]|\(?[a-z][.)])\s")
_PAGE_NUMBER = re.compile(r"^((page|p\.)\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$", re.IGNORECASE)
_NUMBERED_HEADING = re.compile(r"^(\d+(\.\d+)*|[IVX]+\.|[A-Z]\.)\s+[A-Z]")


@dataclass
class Region:
    kind: str  # LAYOUT_TEXT, LAYOUT_TITLE, ...
    lines: list[OcrLine]
    items: list[list[OcrLine]] | None = None  # a LAYOUT_LIST's items, each a LAYOUT_TEXT


def _paragraphs(lines: list[OcrLine]) -> list[list[OcrLine]]:
    paragraphs: list[list[OcrLine]] = []
    for line in lines:
        box = Box.of(line)
        if paragraphs:
            last = Box.of(paragraphs[-1][-1])
            same_size = 0.8 <= box.height / max(last.height, 1) <= 1.25
            close_below = 0 <= box.top - last.bottom <= 0.8 * last.height
            aligned = box.left < last.right and box.right > last.left
            starts_item = bool(_BULLET.match(line.text))
            if same_size and close_below and aligned and not starts_item:
                paragraphs[-1].append(line)
                continue
        paragraphs.append([line])
    return paragraphs


def regions(lines: list[OcrLine], page_size: tuple[int, int], page_number: int,
            special: dict[int, str]) -> list[Region]:
    """Layout regions in reading order. `special` names lines already known to be in a table or a
    key-value pair (id(line) -> LAYOUT_TABLE / LAYOUT_KEY_VALUE); consecutive ones form one region."""
    if not lines:
        return []
    width, height = page_size
    usual = statistics.median(Box.of(line).height for line in lines)
    found: list[Region] = []
    plain: list[OcrLine] = []

    def flush() -> None:
        for paragraph in _paragraphs(plain):
            found.append(_classify(paragraph, usual, height))
        plain.clear()

    for line in lines:
        kind = special.get(id(line))
        if kind is None:
            plain.append(line)
            continue
        flush()
        if found and found[-1].kind == kind:
            found[-1].lines.append(line)
        else:
            found.append(Region(kind, [line]))
    flush()
    _merge_lists(found)
    if page_number == 1:
        _pick_title(found, usual, height)
    return found


def _classify(paragraph: list[OcrLine], usual: float, page_height: int) -> Region:
    box = Box.enclosing(paragraph)
    text = " ".join(line.text for line in paragraph).strip()
    in_margin = box.bottom <= MARGIN_SHARE * page_height or box.top >= (1 - MARGIN_SHARE) * page_height
    if len(paragraph) == 1 and _PAGE_NUMBER.match(text) and (in_margin or box.top > 0.85 * page_height):
        return Region("LAYOUT_PAGE_NUMBER", paragraph)
    if in_margin:
        return Region("LAYOUT_HEADER" if box.top < page_height / 2 else "LAYOUT_FOOTER", paragraph)
    if _BULLET.match(text):
        return Region("LAYOUT_LIST", paragraph, [paragraph])
    short = len(paragraph) <= 2 and len(text.split()) <= MAX_HEADER_WORDS and not text.endswith((".", ",", ";"))
    larger = statistics.median(Box.of(line).height for line in paragraph) >= HEADER_HEIGHT * usual
    if short and (larger or _NUMBERED_HEADING.match(text)):
        return Region("LAYOUT_SECTION_HEADER", paragraph)
    return Region("LAYOUT_TEXT", paragraph)


def _merge_lists(found: list[Region]) -> None:
    """Consecutive list items make one LAYOUT_LIST."""
    index = 1
    while index < len(found):
        if found[index].kind == found[index - 1].kind == "LAYOUT_LIST":
            found[index - 1].lines += found[index].lines
            found[index - 1].items += found[index].items  # type: ignore[operator]
            del found[index]
        else:
            index += 1


def _pick_title(found: list[Region], usual: float, page_height: int) -> None:
    """The largest text in the page's upper half, clearly larger than the body, is the title."""
    candidates = [r for r in found if r.kind in ("LAYOUT_SECTION_HEADER", "LAYOUT_TEXT") and len(r.lines) <= 3
                  and Box.of(r.lines[0]).top < page_height / 2]
    tallest = max(candidates, key=_text_height, default=None)
    if tallest is not None and _text_height(tallest) >= TITLE_HEIGHT * usual:
        tallest.kind = "LAYOUT_TITLE"


def _text_height(region: Region) -> float:
    return statistics.median(Box.of(line).height for line in region.lines)
