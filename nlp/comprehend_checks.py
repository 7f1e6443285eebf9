"""Comprehend's request limits and checks, shared by its operation mixins."""

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
from nlp.comprehend_shapes import BatchItemError

# AWS's documented limits, in UTF-8 bytes.
MAX_LANGUAGE_TEXT_BYTES = 100_000
MAX_TEXT_BYTES = 5_000
MAX_BATCH_ITEMS = 25
SENTIMENT_LANGUAGES = frozenset({"en"})

Result = TypeVar("Result")


def check_text(text: str, max_bytes: int) -> None:
    if not text.strip():
        raise InvalidRequest("Text must contain at least one non-whitespace character.", Reason="INVALID_DOCUMENT")
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise TextSizeLimitExceeded(f"Input text size {size} bytes exceeds the limit of {max_bytes} bytes.")


def check_batch(texts: list[str]) -> None:
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


def check_sentiment_language(language_code: str) -> None:
    if language_code not in SENTIMENT_LANGUAGES:
        raise UnsupportedLanguage(
            f"Sentiment is not available for language {language_code!r}; "
            f"supported: {', '.join(sorted(SENTIMENT_LANGUAGES))}."
        )


def run_batch(texts: list[str], one: Callable[[str], Result]) -> tuple[list[tuple[int, Result]], list[BatchItemError]]:
    """Per-item results and per-item errors: one bad document does not fail the others."""
    results: list[tuple[int, Result]] = []
    errors: list[BatchItemError] = []
    for index, text in enumerate(texts):
        try:
            results.append((index, one(text)))
        except ServiceError as exc:
            errors.append(BatchItemError(Index=index, ErrorCode=exc.code, ErrorMessage=exc.message))
    return results, errors
