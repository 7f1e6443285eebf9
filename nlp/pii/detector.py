"""`PiiDetector`: the one entry point for finding PII (Comprehend DetectPiiEntities and
ContainsPiiEntities, the gateway's redaction middleware, Transcribe's redaction)."""

from __future__ import annotations

from collections.abc import Collection

from core.errors import UnsupportedLanguage, ValidationError
from core.model_registry import ModelRegistry, registry
from nlp.pii.engine import CAPABILITY
from nlp.pii.overlaps import resolve_overlaps
from nlp.pii.types import PiiSpan, pii_entity_types

LANGUAGES = frozenset({"en"})
ALL_TYPES = "ALL"  # Comprehend's and Transcribe's way to ask for every type


class PiiDetector:
    def __init__(self, models: ModelRegistry | None = None) -> None:
        self._models = models or registry

    def detect(
        self,
        text: str,
        language_code: str = "en",
        *,
        types: Collection[str] | None = None,
        min_score: float = 0.0,
    ) -> list[PiiSpan]:
        """PII spans in `text`, by offset, never overlapping. `types` filters the answer, not the
        search: every recognizer runs, so a URL inside an e-mail address stays part of the e-mail
        even when only URLs are asked for. Candidates under engine.EVIDENCE_FLOOR are never
        returned; `min_score` can only raise that bar."""
        wanted = _wanted(types)
        if language_code not in LANGUAGES:
            raise UnsupportedLanguage(
                f"PII detection is not available for language {language_code!r}; supported: "
                f"{', '.join(sorted(LANGUAGES))}."
            )
        results = self._models.get(CAPABILITY).analyze(text=text, language=language_code)
        spans = resolve_overlaps(PiiSpan(r.entity_type, r.start, r.end, r.score) for r in results)
        return [s for s in spans if s.score >= min_score and (wanted is None or s.type in wanted)]

    def contains(
        self,
        text: str,
        language_code: str = "en",
        *,
        types: Collection[str] | None = None,
        min_score: float = 0.0,
    ) -> dict[str, float]:
        """Each PII type present, with its best score (ContainsPiiEntities' labels)."""
        best: dict[str, float] = {}
        for span in self.detect(text, language_code, types=types, min_score=min_score):
            best[span.type] = max(best.get(span.type, 0.0), span.score)
        return best

    def supported_types(self) -> frozenset[str]:
        """The types this detector can find: a subset of Comprehend's. Loads the pipeline."""
        return frozenset(self._models.get(CAPABILITY).get_supported_entities("en"))


def _wanted(types: Collection[str] | None) -> frozenset[str] | None:
    if types is None or ALL_TYPES in types:
        return None
    unknown = set(types) - pii_entity_types()
    if unknown:
        raise ValidationError(f"Unknown PII entity types: {', '.join(sorted(unknown))}.")
    return frozenset(types)
