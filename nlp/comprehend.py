"""Amazon Comprehend, in process: `Comprehend().detect_sentiment("I love it", language_code="en")`."""

from __future__ import annotations

from core.model_registry import ModelRegistry, registry
from core.service import Service, operation
from nlp.comprehend_checks import (
    MAX_LANGUAGE_TEXT_BYTES,
    MAX_TEXT_BYTES,
    check_batch,
    check_sentiment_language,
    check_text,
    run_batch,
)
from nlp.comprehend_classifiers import CustomClassificationOperations
from nlp.comprehend_pii import PiiOperations
from nlp.comprehend_shapes import (
    BatchDetectDominantLanguageItemResult,
    BatchDetectDominantLanguageRequest,
    BatchDetectDominantLanguageResponse,
    BatchDetectSentimentItemResult,
    BatchDetectSentimentRequest,
    BatchDetectSentimentResponse,
    DetectDominantLanguageRequest,
    DetectDominantLanguageResponse,
    DetectSentimentRequest,
    DetectSentimentResponse,
    DominantLanguage,
    SentimentScore,
)
from nlp.comprehend_text_analysis import TextAnalysisOperations
from nlp.comprehend_topics import TopicModellingOperations
from nlp.comprehend_toxicity import ToxicityOperations
from nlp.engines import langid_fasttext, sentiment_vader


class Comprehend(
    TextAnalysisOperations,
    PiiOperations,
    ToxicityOperations,
    CustomClassificationOperations,
    TopicModellingOperations,
    Service,
):
    name = "comprehend"

    def __init__(self, models: ModelRegistry | None = None) -> None:
        self._models = models or registry

    def _languages(self, text: str) -> list[DominantLanguage]:
        check_text(text, MAX_LANGUAGE_TEXT_BYTES)
        engine = self._models.get(langid_fasttext.CAPABILITY)
        return [DominantLanguage(LanguageCode=s.code, Score=s.score) for s in engine.identify(text)]

    def _sentiment(self, text: str, language_code: str) -> DetectSentimentResponse:
        check_sentiment_language(language_code)
        check_text(text, MAX_TEXT_BYTES)
        scores = self._models.get(sentiment_vader.CAPABILITY).score(text)
        return DetectSentimentResponse(
            Sentiment=scores.label,
            SentimentScore=SentimentScore(
                Positive=scores.positive, Negative=scores.negative, Neutral=scores.neutral, Mixed=scores.mixed
            ),
        )

    @operation(text_in=("Text",))
    def detect_dominant_language(self, request: DetectDominantLanguageRequest) -> DetectDominantLanguageResponse:
        """Detect the dominant language of a text, with scores for each candidate language."""
        return DetectDominantLanguageResponse(Languages=self._languages(request.Text))

    @operation(text_in=("TextList[*]",))
    def batch_detect_dominant_language(
        self, request: BatchDetectDominantLanguageRequest
    ) -> BatchDetectDominantLanguageResponse:
        """Detect the dominant language of up to 25 documents."""
        check_batch(request.TextList)
        results, errors = run_batch(request.TextList, self._languages)
        return BatchDetectDominantLanguageResponse(
            ResultList=[BatchDetectDominantLanguageItemResult(Index=i, Languages=langs) for i, langs in results],
            ErrorList=errors,
        )

    @operation(text_in=("Text",))
    def detect_sentiment(self, request: DetectSentimentRequest) -> DetectSentimentResponse:
        """Detect the sentiment of a text: POSITIVE, NEGATIVE, NEUTRAL or MIXED, with scores summing to 1."""
        return self._sentiment(request.Text, request.LanguageCode)

    @operation(text_in=("TextList[*]",))
    def batch_detect_sentiment(self, request: BatchDetectSentimentRequest) -> BatchDetectSentimentResponse:
        """Detect the sentiment of up to 25 documents in one language."""
        check_batch(request.TextList)
        check_sentiment_language(request.LanguageCode)
        results, errors = run_batch(request.TextList, lambda text: self._sentiment(text, request.LanguageCode))
        return BatchDetectSentimentResponse(
            ResultList=[
                BatchDetectSentimentItemResult(Index=i, Sentiment=r.Sentiment, SentimentScore=r.SentimentScore)
                for i, r in results
            ],
            ErrorList=errors,
        )
