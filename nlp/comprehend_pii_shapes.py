"""Request and response models of Comprehend's PII operations; field names are AWS's."""

from __future__ import annotations

from core.service import Shape
from nlp.comprehend_shapes import LanguageCode


class DetectPiiEntitiesRequest(Shape):
    Text: str
    LanguageCode: LanguageCode


class PiiEntity(Shape):
    Score: float
    Type: str
    BeginOffset: int
    EndOffset: int


class DetectPiiEntitiesResponse(Shape):
    Entities: list[PiiEntity]


class ContainsPiiEntitiesRequest(Shape):
    Text: str
    LanguageCode: LanguageCode


class EntityLabel(Shape):
    Name: str
    Score: float


class ContainsPiiEntitiesResponse(Shape):
    Labels: list[EntityLabel]
