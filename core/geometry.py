"""Geometry members shared by Rekognition and Textract answers: boxes and points as ratios of the
image's width and height (0..1), from its top-left corner, as AWS gives them."""

from __future__ import annotations

from core.service import Shape


class BoundingBox(Shape):
    Width: float
    Height: float
    Left: float
    Top: float


class Point(Shape):
    X: float
    Y: float
