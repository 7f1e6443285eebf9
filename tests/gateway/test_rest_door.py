"""The REST door over real HTTP: every operation, OpenAPI, health, metrics, and error shapes."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import API_KEY

MIXED_TEXT = "I love the screen, but the battery life is terrible."


@pytest.fixture(scope="module")
def http(gateway) -> httpx.Client:
    with httpx.Client(base_url=gateway.url, timeout=30) as client:
        yield client


def test_detect_dominant_language(http: httpx.Client) -> None:
    r = http.post("/v1/comprehend/detect-dominant-language", json={"Text": "Bonjour tout le monde, comment allez-vous ?"})
    assert r.status_code == 200, r.text
    assert r.json()["Languages"][0]["LanguageCode"] == "fr"
    assert r.headers["x-amzn-RequestId"]


def test_detect_sentiment(http: httpx.Client) -> None:
    r = http.post("/v1/comprehend/detect-sentiment", json={"Text": MIXED_TEXT, "LanguageCode": "en"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["Sentiment"] == "MIXED"
    assert sum(body["SentimentScore"].values()) == pytest.approx(1.0)


def test_batch_operations(http: httpx.Client) -> None:
    r = http.post("/v1/comprehend/batch-detect-dominant-language",
                  json={"TextList": ["Good morning to all of you", "Guten Morgen an euch alle"]})
    assert r.status_code == 200, r.text
    assert [i["Languages"][0]["LanguageCode"] for i in r.json()["ResultList"]] == ["en", "de"]
    r = http.post("/v1/comprehend/batch-detect-sentiment",
                  json={"TextList": ["I love it", "I hate it"], "LanguageCode": "en"})
    assert [i["Sentiment"] for i in r.json()["ResultList"]] == ["POSITIVE", "NEGATIVE"]


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/v1/comprehend/detect-sentiment", {"Text": "", "LanguageCode": "en"}, 400, "InvalidRequestException"),
        ("/v1/comprehend/detect-sentiment", {"Text": "x" * 5001, "LanguageCode": "en"}, 400,
         "TextSizeLimitExceededException"),
        ("/v1/comprehend/detect-sentiment", {"Text": "Gut", "LanguageCode": "de"}, 400, "UnsupportedLanguageException"),
        ("/v1/comprehend/detect-sentiment", {"Text": "Gut", "LanguageCode": "xx"}, 400, "ValidationException"),
        ("/v1/comprehend/detect-sentiment", {"LanguageCode": "en"}, 400, "ValidationException"),
        ("/v1/comprehend/batch-detect-sentiment", {"TextList": ["a"] * 26, "LanguageCode": "en"}, 400,
         "BatchSizeLimitExceededException"),
    ],
)
def test_errors_carry_aws_codes(http: httpx.Client, path: str, body: dict, status: int, code: str) -> None:
    r = http.post(path, json=body)
    assert r.status_code == status, r.text
    assert r.json()["__type"] == code
    assert r.headers["x-amzn-ErrorType"] == code
    assert r.json()["message"]


def test_malformed_json_is_a_4xx(http: httpx.Client) -> None:
    r = http.post("/v1/comprehend/detect-sentiment", content=b'{"Text": "hi", ', headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["__type"] == "SerializationException"


def test_unknown_route_is_a_clear_4xx(http: httpx.Client) -> None:
    r = http.post("/v1/comprehend/detect-everything", json={})
    assert 400 <= r.status_code < 500
    assert "detect-everything" in r.json()["message"]


def test_openapi_documents_every_operation(http: httpx.Client) -> None:
    spec = http.get("/openapi.json").json()
    for slug in ["detect-dominant-language", "detect-sentiment", "batch-detect-dominant-language",
                 "batch-detect-sentiment"]:
        assert f"/v1/comprehend/{slug}" in spec["paths"]
    schema = spec["components"]["schemas"]["DetectSentimentResponse"]
    assert set(schema["properties"]) == {"Sentiment", "SentimentScore"}
    assert http.get("/docs").status_code == 200


def test_health_ready_and_metrics(http: httpx.Client) -> None:
    assert http.get("/healthz").json() == {"status": "ok"}
    ready = http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["missing"] == []
    http.post("/v1/comprehend/detect-sentiment", json={"Text": "fine", "LanguageCode": "en"})
    metrics = http.get("/metrics").text
    assert 'aigw_requests_total{door="rest",operation="DetectSentiment",service="comprehend",status="200"}' in metrics
    assert "aigw_request_seconds_bucket" in metrics


def test_api_key_auth(secured_gateway) -> None:
    path, body = "/v1/comprehend/detect-sentiment", {"Text": "I love it", "LanguageCode": "en"}
    with httpx.Client(base_url=secured_gateway.url) as http:
        missing = http.post(path, json=body)
        assert missing.status_code == 403 and missing.json()["__type"] == "MissingAuthenticationTokenException"
        wrong = http.post(path, json=body, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403 and wrong.json()["__type"] == "UnrecognizedClientException"
        ok = http.post(path, json=body, headers={"Authorization": f"Bearer {API_KEY}"})
        assert ok.status_code == 200 and ok.json()["Sentiment"] == "POSITIVE"
        assert http.get("/healthz").status_code == 200  # probes stay open for orchestrators


def test_body_limit_answers_413_in_the_error_shape(secured_gateway) -> None:
    big = b'{"Text": "' + b"a" * (300 * 1024) + b'", "LanguageCode": "en"}'
    headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}
    with httpx.Client(base_url=secured_gateway.url) as http:
        declared = http.post("/v1/comprehend/detect-sentiment", content=big, headers=headers)
        assert declared.status_code == 413
        assert declared.json()["__type"] == "RequestEntityTooLargeException"
        assert declared.headers["x-amzn-RequestId"]

        def chunks():  # no Content-Length: the limit is enforced while the body streams in
            for start in range(0, len(big), 64 * 1024):
                yield big[start:start + 64 * 1024]

        streamed = http.post("/v1/comprehend/detect-sentiment", content=chunks(), headers=headers)
        assert streamed.status_code == 413
        assert streamed.json()["__type"] == "RequestEntityTooLargeException"


def test_blobs_travel_as_standard_base64(http: httpx.Client) -> None:
    import base64

    page = b"<html><body><p>Good morning, my friends.</p></body></html>"
    r = http.post("/v1/translate/translate-document", json={
        "Document": {"Content": base64.b64encode(page).decode(), "ContentType": "text/html"},
        "SourceLanguageCode": "en", "TargetLanguageCode": "pt"})
    assert r.status_code == 200, r.text
    translated = base64.b64decode(r.json()["TranslatedDocument"]["Content"], validate=True).decode()
    assert translated.startswith("<html><body><p>") and "amigos" in translated
