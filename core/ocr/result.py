"""What every OCR engine returns: lines of words, each with a confidence and a 4-point polygon.

Coordinates are pixels of the image that was read, points clockwise from the top-left corner
(as AWS lists polygon points), so rotated text keeps its true outline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Point = tuple[float, float]


@dataclass(frozen=True)
class OcrWord:
    text: str
    confidence: float  # 0..1
    polygon: list[Point]


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float  # 0..1
    polygon: list[Point]
    words: list[OcrWord] = field(default_factory=list)


def box_polygon(left: float, top: float, right: float, bottom: float) -> list[Point]:
    """An axis-aligned box as a polygon, clockwise from the top-left."""
    return [(left, top), (right, top), (right, bottom), (left, bottom)]


def line_of(words: list[OcrWord], polygon: list[Point] | None = None) -> OcrLine:
    """A line made of its words: text joined by spaces (as Textract's LINE), the words' mean
    confidence, and the words' enclosing box unless the engine gave its own outline."""
    if polygon is None:
        xs = [x for w in words for x, _ in w.polygon]
        ys = [y for w in words for _, y in w.polygon]
        polygon = box_polygon(min(xs), min(ys), max(xs), max(ys))
    return OcrLine(
        text=" ".join(w.text for w in words),
        confidence=sum(w.confidence for w in words) / len(words),
        polygon=polygon,
        words=list(words),
    )
