"""Request and response models of Comprehend DetectToxicContent; field names are AWS's."""

from __future__ import annotations

from core.service import Shape
from nlp.comprehend_shapes import LanguageCode


class TextSegment(Shape):
    Text: str


class DetectToxicContentRequest(Shape):
    TextSegments: list[TextSegment]
    LanguageCode: LanguageCode


class ToxicContent(Shape):
    Name: str
    Score: float


class ToxicLabels(Shape):
    Labels: list[ToxicContent]
    Toxicity: float


class DetectToxicContentResponse(Shape):
    ResultList: list[ToxicLabels]
