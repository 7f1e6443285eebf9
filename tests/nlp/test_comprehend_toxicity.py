"""Comprehend DetectToxicContent in process and through boto3."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from core.errors import InvalidRequest, TextSizeLimitExceeded, UnsupportedLanguage
from nlp import Comprehend

SEGMENTS = [{"Text": "You are a pathetic idiot and everyone hates you."},
            {"Text": "Thanks for the quick reply, see you on Monday."}]


def test_scores_and_labels_in_process() -> None:
    result = Comprehend().detect_toxic_content(SEGMENTS, language_code="en").ResultList
    assert len(result) == 2
    toxic, clean = result
    assert toxic.Toxicity > 0.8 > 0.2 > clean.Toxicity
    assert {label.Name for label in toxic.Labels if label.Score > 0.5} >= {"INSULT"}
    assert all(label.Score <= toxic.Toxicity + 1e-9 for label in toxic.Labels)


@pytest.mark.parametrize(
    ("segments", "language", "error"),
    [
        ([{"Text": "fine"}], "de", UnsupportedLanguage),
        ([{"Text": "x" * 1025}], "en", TextSizeLimitExceeded),
        ([{"Text": "hi"}] * 11, "en", InvalidRequest),
        ([{"Text": "   "}], "en", InvalidRequest),
    ],
)
def test_bad_input(segments, language: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        Comprehend().detect_toxic_content(segments, language_code=language)


def test_through_boto3(gateway, aws_client) -> None:
    client = aws_client("comprehend", gateway.url)
    result = client.detect_toxic_content(TextSegments=SEGMENTS, LanguageCode="en")["ResultList"]
    assert result[0]["Toxicity"] > result[1]["Toxicity"]
    with pytest.raises(ClientError) as excinfo:
        client.detect_toxic_content(TextSegments=[{"Text": "x" * 1025}], LanguageCode="en")
    assert excinfo.value.response["Error"]["Code"] == "TextSizeLimitExceededException"
