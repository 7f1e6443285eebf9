"""Comprehend in process, on the embedded models (fastText lid.176, VADER)."""

from __future__ import annotations

import pytest

from core.errors import (
    BatchSizeLimitExceeded,
    InvalidRequest,
    TextSizeLimitExceeded,
    UnsupportedLanguage,
    ValidationError,
)
from nlp import Comprehend
from nlp.comprehend_shapes import DetectSentimentRequest


@pytest.fixture(scope="module")
def comprehend() -> Comprehend:
    return Comprehend()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The quick brown fox jumps over the lazy dog near the river bank.", "en"),
        ("Le renard brun rapide saute par-dessus le chien paresseux.", "fr"),
        ("El rápido zorro marrón salta sobre el perro perezoso.", "es"),
        ("Der schnelle braune Fuchs springt über den faulen Hund.", "de"),
        ("Il veloce volpe marrone salta sopra il cane pigro nel giardino.", "it"),
        ("Быстрая коричневая лиса перепрыгивает через ленивую собаку.", "ru"),
        ("今天天气很好，我们一起去公园散步吧。我很喜欢这个城市。", "zh"),
        ("素早い茶色の狐がのろまな犬を飛び越える。", "ja"),
    ],
)
def test_dominant_language(comprehend: Comprehend, text: str, code: str) -> None:
    languages = comprehend.detect_dominant_language(text).Languages
    assert languages[0].LanguageCode == code
    assert languages[0].Score > 0.5
    scores = [lang.Score for lang in languages]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)


def test_dominant_language_ignores_line_breaks(comprehend: Comprehend) -> None:
    text = "Hello there.\nThis is a letter\nwritten over several lines in plain English."
    assert comprehend.detect_dominant_language(text).Languages[0].LanguageCode == "en"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I absolutely love this phone, the screen is gorgeous!", "POSITIVE"),
        ("This was the worst purchase I have ever made. Terrible quality.", "NEGATIVE"),
        ("The package was delivered on Tuesday at noon.", "NEUTRAL"),
        ("I love the screen, but the battery life is terrible.", "MIXED"),
        ("The food was delicious. The service was awful and rude.", "MIXED"),
        ("Excellent hotel, friendly staff, great breakfast. The wifi was a little slow.", "POSITIVE"),
    ],
)
def test_sentiment(comprehend: Comprehend, text: str, expected: str) -> None:
    result = comprehend.detect_sentiment(text, language_code="en")
    assert result.Sentiment == expected
    score = result.SentimentScore
    parts = {"POSITIVE": score.Positive, "NEGATIVE": score.Negative, "NEUTRAL": score.Neutral, "MIXED": score.Mixed}
    assert sum(parts.values()) == pytest.approx(1.0, abs=1e-6)
    assert all(0.0 <= v <= 1.0 for v in parts.values())
    assert max(parts, key=parts.__getitem__) == expected


def test_request_model_and_keyword_forms_agree(comprehend: Comprehend) -> None:
    text = "What a wonderful day."
    by_model = comprehend.detect_sentiment(DetectSentimentRequest(Text=text, LanguageCode="en"))
    by_aws_names = comprehend.detect_sentiment(Text=text, LanguageCode="en")
    by_snake = comprehend.detect_sentiment(text, language_code="en")
    assert by_model == by_aws_names == by_snake


def test_batch_sentiment_keeps_order_and_reports_item_errors(comprehend: Comprehend) -> None:
    texts = ["I love it.", "   ", "I hate it.", "It is a chair."]
    result = comprehend.batch_detect_sentiment(texts, language_code="en")
    assert [(r.Index, r.Sentiment) for r in result.ResultList] == [(0, "POSITIVE"), (2, "NEGATIVE"), (3, "NEUTRAL")]
    assert [(e.Index, e.ErrorCode) for e in result.ErrorList] == [(1, "InvalidRequestException")]


def test_batch_dominant_language(comprehend: Comprehend) -> None:
    texts = ["Good morning, how are you today?", "Buenos días, ¿cómo estás hoy?"]
    result = comprehend.batch_detect_dominant_language(texts)
    assert [r.Languages[0].LanguageCode for r in result.ResultList] == ["en", "es"]
    assert result.ErrorList == []


def test_limits_and_bad_input(comprehend: Comprehend) -> None:
    with pytest.raises(TextSizeLimitExceeded):
        comprehend.detect_sentiment("word " * 1001, language_code="en")  # 5005 bytes > 5000
    # Multi-byte text is measured in UTF-8 bytes, not characters: 2000 'é' = 4000 bytes passes, 2600 fails.
    comprehend.detect_sentiment("é" * 2000, language_code="en")
    with pytest.raises(TextSizeLimitExceeded):
        comprehend.detect_sentiment("é" * 2600, language_code="en")
    with pytest.raises(TextSizeLimitExceeded):
        comprehend.detect_dominant_language("a" * 100_001)
    with pytest.raises(UnsupportedLanguage):
        comprehend.detect_sentiment("Das ist gut.", language_code="de")
    with pytest.raises(ValidationError):
        comprehend.detect_sentiment("hello", language_code="xx")
    with pytest.raises(InvalidRequest):
        comprehend.detect_sentiment("", language_code="en")
    with pytest.raises(BatchSizeLimitExceeded):
        comprehend.batch_detect_sentiment(["hello"] * 26, language_code="en")
    with pytest.raises(InvalidRequest):
        comprehend.batch_detect_dominant_language([])
    with pytest.raises(UnsupportedLanguage):
        comprehend.batch_detect_sentiment(["Hola"], language_code="es")
