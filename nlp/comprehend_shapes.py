"""Request and response models of the Comprehend operations we serve; field names are AWS's."""

from __future__ import annotations

from typing import Literal

from core.service import Shape

# Comprehend's LanguageCode enum (botocore model); which of them an engine serves is the service's call.
LanguageCode = Literal["en", "es", "fr", "de", "it", "pt", "ar", "hi", "ja", "ko", "zh", "zh-TW"]
SentimentType = Literal["POSITIVE", "NEGATIVE", "NEUTRAL", "MIXED"]


class DetectDominantLanguageRequest(Shape):
    Text: str


class DominantLanguage(Shape):
    LanguageCode: str
    Score: float


class DetectDominantLanguageResponse(Shape):
    Languages: list[DominantLanguage]


class BatchDetectDominantLanguageRequest(Shape):
    TextList: list[str]


class BatchDetectDominantLanguageItemResult(Shape):
    Index: int
    Languages: list[DominantLanguage]


class BatchItemError(Shape):
    Index: int
    ErrorCode: str
    ErrorMessage: str


class BatchDetectDominantLanguageResponse(Shape):
    ResultList: list[BatchDetectDominantLanguageItemResult]
    ErrorList: list[BatchItemError]


class DetectSentimentRequest(Shape):
    Text: str
    LanguageCode: LanguageCode


class SentimentScore(Shape):
    Positive: float
    Negative: float
    Neutral: float
    Mixed: float


class DetectSentimentResponse(Shape):
    Sentiment: SentimentType
    SentimentScore: SentimentScore


class BatchDetectSentimentRequest(Shape):
    TextList: list[str]
    LanguageCode: LanguageCode


class BatchDetectSentimentItemResult(Shape):
    Index: int
    Sentiment: SentimentType
    SentimentScore: SentimentScore


class BatchDetectSentimentResponse(Shape):
    ResultList: list[BatchDetectSentimentItemResult]
    ErrorList: list[BatchItemError]
