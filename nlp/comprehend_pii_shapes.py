"""Request and response models of Comprehend's PII operations; field names are AWS's."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

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


class PiiRedactionConfig(Shape):
    """As in StartPiiEntitiesDetectionJob: which types to redact (none given: all) and how."""

    PiiEntityTypes: list[str] | None = None
    MaskMode: Literal["MASK", "REPLACE_WITH_PII_ENTITY_TYPE"] = "REPLACE_WITH_PII_ENTITY_TYPE"
    MaskCharacter: str = Field(default="*", min_length=1, max_length=1)


class RedactPiiEntitiesRequest(Shape):
    Text: str
    LanguageCode: LanguageCode
    RedactionConfig: PiiRedactionConfig | None = None


class RedactPiiEntitiesResponse(Shape):
    RedactedText: str
    Entities: list[PiiEntity]  # what was redacted, with offsets into the original text
