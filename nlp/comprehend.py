"""Amazon Comprehend, in process: `Comprehend().detect_sentiment("I love it", language_code="en")`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from core.errors import (
    BatchSizeLimitExceeded,
    InvalidRequest,
    ServiceError,
    TextSizeLimitExceeded,
    UnsupportedLanguage,
)
from core.model_registry import ModelRegistry, registry
from core.service import Service, operation
from nlp.comprehend_shapes import (
    BatchDetectDominantLanguageItemResult,
    BatchDetectDominantLanguageRequest,
    BatchDetectDominantLanguageResponse,
    BatchDetectSentimentItemResult,
    BatchDetectSentimentRequest,
    BatchDetectSentimentResponse,
    BatchItemError,
    DetectDominantLanguageRequest,
    DetectDominantLanguageResponse,
    DetectSentimentRequest,
    DetectSentimentResponse,
    DominantLanguage,
    SentimentScore,
)
from nlp.engines import langid_fasttext, sentiment_vader

# AWS's documented limits, in UTF-8 bytes.
MAX_LANGUAGE_TEXT_BYTES = 100_000
MAX_TEXT_BYTES = 5_000
MAX_BATCH_ITEMS = 25
SENTIMENT_LANGUAGES = frozenset({"en"})

Result = TypeVar("Result")


def _check_text(text: str, max_bytes: int) -> None:
    if not text.strip():
        raise InvalidRequest("Text must contain at least one non-whitespace character.", Reason="INVALID_DOCUMENT")
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise TextSizeLimitExceeded(f"Input text size {size} bytes exceeds the limit of {max_bytes} bytes.")


def _check_batch(texts: list[str]) -> None:
    if not texts:
        raise InvalidRequest("TextList must contain at least one document.")
    if len(texts) > MAX_BATCH_ITEMS:
        raise BatchSizeLimitExceeded(
            f"The number of documents in the request ({len(texts)}) exceeds the limit of {MAX_BATCH_ITEMS}."
        )
    for text in texts:
        size = len(text.encode("utf-8"))
        if size > MAX_TEXT_BYTES:
            raise TextSizeLimitExceeded(f"A document of {size} bytes exceeds the limit of {MAX_TEXT_BYTES} bytes.")


def _check_sentiment_language(language_code: str) -> None:
    if language_code not in SENTIMENT_LANGUAGES:
        raise UnsupportedLanguage(
            f"Sentiment is not available for language {language_code!r}; "
            f"supported: {', '.join(sorted(SENTIMENT_LANGUAGES))}."
        )


def _run_batch(texts: list[str], one: Callable[[str], Result]) -> tuple[list[tuple[int, Result]], list[BatchItemError]]:
    """Per-item results and per-item errors: one bad document does not fail the others."""
    results: list[tuple[int, Result]] = []
    errors: list[BatchItemError] = []
    for index, text in enumerate(texts):
        try:
            results.append((index, one(text)))
        except ServiceError as exc:
            errors.append(BatchItemError(Index=index, ErrorCode=exc.code, ErrorMessage=exc.message))
    return results, errors


class Comprehend(Service):
    name = "comprehend"

    def __init__(self, models: ModelRegistry | None = None) -> None:
        self._models = models or registry

    def _languages(self, text: str) -> list[DominantLanguage]:
        _check_text(text, MAX_LANGUAGE_TEXT_BYTES)
        engine = self._models.get(langid_fasttext.CAPABILITY)
        return [DominantLanguage(LanguageCode=s.code, Score=s.score) for s in engine.identify(text)]

    def _sentiment(self, text: str, language_code: str) -> DetectSentimentResponse:
        _check_sentiment_language(language_code)
        _check_text(text, MAX_TEXT_BYTES)
        scores = self._models.get(sentiment_vader.CAPABILITY).score(text)
        return DetectSentimentResponse(
            Sentiment=scores.label,
            SentimentScore=SentimentScore(
                Positive=scores.positive, Negative=scores.negative, Neutral=scores.neutral, Mixed=scores.mixed
            ),
        )

    @operation
    def detect_dominant_language(self, request: DetectDominantLanguageRequest) -> DetectDominantLanguageResponse:
        """Detect the dominant language of a text, with scores for each candidate language."""
        return DetectDominantLanguageResponse(Languages=self._languages(request.Text))

    @operation
    def batch_detect_dominant_language(
        self, request: BatchDetectDominantLanguageRequest
    ) -> BatchDetectDominantLanguageResponse:
        """Detect the dominant language of up to 25 documents."""
        _check_batch(request.TextList)
        results, errors = _run_batch(request.TextList, self._languages)
        return BatchDetectDominantLanguageResponse(
            ResultList=[BatchDetectDominantLanguageItemResult(Index=i, Languages=langs) for i, langs in results],
            ErrorList=errors,
        )

    @operation
    def detect_sentiment(self, request: DetectSentimentRequest) -> DetectSentimentResponse:
        """Detect the sentiment of a text: POSITIVE, NEGATIVE, NEUTRAL or MIXED, with scores summing to 1."""
        return self._sentiment(request.Text, request.LanguageCode)

    @operation
    def batch_detect_sentiment(self, request: BatchDetectSentimentRequest) -> BatchDetectSentimentResponse:
        """Detect the sentiment of up to 25 documents in one language."""
        _check_batch(request.TextList)
        _check_sentiment_language(request.LanguageCode)
        results, errors = _run_batch(request.TextList, lambda text: self._sentiment(text, request.LanguageCode))
        return BatchDetectSentimentResponse(
            ResultList=[
                BatchDetectSentimentItemResult(Index=i, Sentiment=r.Sentiment, SentimentScore=r.SentimentScore)
                for i, r in results
            ],
            ErrorList=errors,
        )
