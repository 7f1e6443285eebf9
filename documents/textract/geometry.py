"""Boxes of lines and words in page pixels, for the analysis features' layout reasoning."""

from __future__ import annotations

from dataclasses import dataclass

from core.ocr import OcrLine, OcrWord
from core.ocr.result import Point, box_polygon


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    @classmethod
    def of(cls, item: OcrLine | OcrWord | list[Point]) -> Box:
        points = item if isinstance(item, list) else item.polygon
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        return cls(min(xs), min(ys), max(xs), max(ys))

    @classmethod
    def around(cls, boxes: list[Box]) -> Box:
        return cls(min(b.left for b in boxes), min(b.top for b in boxes),
                   max(b.right for b in boxes), max(b.bottom for b in boxes))

    @classmethod
    def enclosing(cls, items: list[OcrLine] | list[OcrWord]) -> Box:
        return cls.around([cls.of(item) for item in items])

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2

    @property
    def polygon(self) -> list[Point]:
        return box_polygon(self.left, self.top, self.right, self.bottom)

    def contains(self, point: tuple[float, float]) -> bool:
        x, y = point
        return self.left <= x <= self.right and self.top <= y <= self.bottom

    def vertical_overlap(self, other: Box) -> float:
        """The shared height as a share of the smaller one's."""
        shared = min(self.bottom, other.bottom) - max(self.top, other.top)
        return max(shared, 0.0) / max(min(self.height, other.height), 1.0)
