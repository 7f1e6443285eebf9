"""Comprehend DetectToxicContent over the classifier in nlp.toxicity (see its classifier.py for
what each label's score means and which labels are left out)."""

from __future__ import annotations

from core.errors import InvalidRequest, TextSizeLimitExceeded, UnsupportedLanguage
from core.model_registry import ModelRegistry
from core.service import operation
from nlp.comprehend_toxicity_shapes import (
    DetectToxicContentRequest,
    DetectToxicContentResponse,
    ToxicContent,
    ToxicLabels,
)
from nlp.toxicity import CAPABILITY

# AWS's documented limits: up to 10 segments of at most 1 KB each. The model is English.
MAX_SEGMENTS = 10
MAX_SEGMENT_BYTES = 1024
LANGUAGES = frozenset({"en"})


class ToxicityOperations:
    _models: ModelRegistry

    @operation(text_in=("TextSegments[*].Text",))
    def detect_toxic_content(self, request: DetectToxicContentRequest) -> DetectToxicContentResponse:
        """Score up to 10 text segments for toxicity, with per-category labels where they can be told apart."""
        if request.LanguageCode not in LANGUAGES:
            raise UnsupportedLanguage(f"Toxicity detection is not available for language {request.LanguageCode!r}; "
                                      f"supported: {', '.join(sorted(LANGUAGES))}.")
        if not 1 <= len(request.TextSegments) <= MAX_SEGMENTS:
            raise InvalidRequest(f"TextSegments must hold 1 to {MAX_SEGMENTS} segments, "
                                 f"not {len(request.TextSegments)}.")
        texts = [segment.Text for segment in request.TextSegments]
        for index, text in enumerate(texts):
            if not text.strip():
                raise InvalidRequest(f"Text segment {index} is empty.", Reason="INVALID_DOCUMENT")
            if len(text.encode("utf-8")) > MAX_SEGMENT_BYTES:
                raise TextSizeLimitExceeded(f"Text segment {index} exceeds {MAX_SEGMENT_BYTES} bytes.")
        results = self._models.get(CAPABILITY).score(texts)
        return DetectToxicContentResponse(ResultList=[
            ToxicLabels(Toxicity=r.toxicity,
                        Labels=[ToxicContent(Name=name, Score=score) for name, score in r.labels.items()])
            for r in results
        ])
