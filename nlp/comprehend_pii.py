"""Comprehend's PII operations over nlp.pii's detector (the same detector the gateway's redaction
middleware and Transcribe's redaction use)."""

from __future__ import annotations

from core.model_registry import ModelRegistry
from core.service import operation
from nlp.comprehend_checks import MAX_LANGUAGE_TEXT_BYTES, check_text
from nlp.comprehend_pii_shapes import (
    ContainsPiiEntitiesRequest,
    ContainsPiiEntitiesResponse,
    DetectPiiEntitiesRequest,
    DetectPiiEntitiesResponse,
    EntityLabel,
    PiiEntity,
    PiiRedactionConfig,
    RedactPiiEntitiesRequest,
    RedactPiiEntitiesResponse,
)
from nlp.pii import PiiDetector, redact

# AWS documents 100 KB of UTF-8 for both PII operations, as for DetectDominantLanguage.
MAX_PII_TEXT_BYTES = MAX_LANGUAGE_TEXT_BYTES


class PiiOperations:
    _models: ModelRegistry

    @property
    def _pii(self) -> PiiDetector:
        return PiiDetector(self._models)

    @operation(text_in=("Text",))
    def detect_pii_entities(self, request: DetectPiiEntitiesRequest) -> DetectPiiEntitiesResponse:
        """Find personally identifiable information (names, addresses, card and account numbers, …) with offsets."""
        check_text(request.Text, MAX_PII_TEXT_BYTES)
        spans = self._pii.detect(request.Text, request.LanguageCode)
        return DetectPiiEntitiesResponse(
            Entities=[PiiEntity(Score=s.score, Type=s.type, BeginOffset=s.begin, EndOffset=s.end) for s in spans]
        )

    @operation(text_in=("Text",))
    def contains_pii_entities(self, request: ContainsPiiEntitiesRequest) -> ContainsPiiEntitiesResponse:
        """Which PII types a text contains, each with its best score."""
        check_text(request.Text, MAX_PII_TEXT_BYTES)
        found = self._pii.contains(request.Text, request.LanguageCode)
        labels = sorted(found.items(), key=lambda item: -item[1])
        return ContainsPiiEntitiesResponse(Labels=[EntityLabel(Name=name, Score=score) for name, score in labels])

    @operation(text_in=("Text",), text_out=("RedactedText",))
    def redact_pii_entities(self, request: RedactPiiEntitiesRequest) -> RedactPiiEntitiesResponse:
        """The text with its PII masked or replaced by the type's name. Not an AWS operation: it is what
        StartPiiEntitiesDetectionJob's ONLY_REDACTION mode does per document, offered on its own."""
        check_text(request.Text, MAX_PII_TEXT_BYTES)
        config = request.RedactionConfig or PiiRedactionConfig()
        spans = self._pii.detect(request.Text, request.LanguageCode, types=config.PiiEntityTypes)
        mode = "mask" if config.MaskMode == "MASK" else "type"
        return RedactPiiEntitiesResponse(
            RedactedText=redact(request.Text, spans, mode, config.MaskCharacter).text,
            Entities=[PiiEntity(Score=s.score, Type=s.type, BeginOffset=s.begin, EndOffset=s.end) for s in spans],
        )
