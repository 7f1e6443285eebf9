"""The AWS door with real boto3 clients: signed and unsigned, every served operation, and errors."""

from __future__ import annotations

import json

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.conftest import ACCESS_KEY

MIXED_TEXT = "I love the screen, but the battery life is terrible."


@pytest.fixture(scope="module")
def comprehend(gateway, aws_client):
    return aws_client("comprehend", gateway.url)


@pytest.fixture(scope="module")
def signed_comprehend(secured_gateway, aws_client):
    return aws_client("comprehend", secured_gateway.url)


def _code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return excinfo.value.response["Error"]["Code"]


def test_all_four_operations_unsigned_when_auth_is_off(gateway, aws_client) -> None:
    client = aws_client("comprehend", gateway.url, signed=False)
    langs = client.detect_dominant_language(Text="Dies ist ein ganz normaler deutscher Satz.")["Languages"]
    assert langs[0]["LanguageCode"] == "de"
    assert client.detect_sentiment(Text=MIXED_TEXT, LanguageCode="en")["Sentiment"] == "MIXED"
    batch = client.batch_detect_dominant_language(TextList=["Hello, how are you?", "Ciao, come stai oggi?"])
    assert [r["Languages"][0]["LanguageCode"] for r in batch["ResultList"]] == ["en", "it"]
    sentiments = client.batch_detect_sentiment(TextList=["Wonderful!", "Awful."], LanguageCode="en")
    assert [r["Sentiment"] for r in sentiments["ResultList"]] == ["POSITIVE", "NEGATIVE"]
    assert sentiments["ErrorList"] == []


def test_all_four_operations_signed(signed_comprehend) -> None:
    result = signed_comprehend.detect_sentiment(Text="This is great news!", LanguageCode="en")
    assert result["Sentiment"] == "POSITIVE"
    assert result["ResponseMetadata"]["RequestId"]
    assert sum(result["SentimentScore"].values()) == pytest.approx(1.0)
    langs = signed_comprehend.detect_dominant_language(Text="Esta es una frase en español.")["Languages"]
    assert langs[0]["LanguageCode"] == "es"
    assert len(signed_comprehend.batch_detect_dominant_language(TextList=["one two three"] * 25)["ResultList"]) == 25
    assert signed_comprehend.batch_detect_sentiment(TextList=["bad"], LanguageCode="en")["ResultList"][0]["Sentiment"] == "NEGATIVE"


def test_wrong_secret_unknown_key_and_unsigned_are_refused(secured_gateway, aws_client) -> None:
    wrong = aws_client("comprehend", secured_gateway.url, secret="not-the-secret")
    with pytest.raises(ClientError) as excinfo:
        wrong.detect_sentiment(Text="hello", LanguageCode="en")
    assert _code(excinfo) == "InvalidSignatureException"
    unknown = aws_client("comprehend", secured_gateway.url, access_key="AKIDUNKNOWN")
    with pytest.raises(ClientError) as excinfo:
        unknown.detect_sentiment(Text="hello", LanguageCode="en")
    assert _code(excinfo) == "UnrecognizedClientException"
    unsigned = aws_client("comprehend", secured_gateway.url, signed=False)
    with pytest.raises(ClientError) as excinfo:
        unsigned.detect_sentiment(Text="hello", LanguageCode="en")
    assert _code(excinfo) == "MissingAuthenticationTokenException"


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda c: c.batch_detect_sentiment(TextList=["hi"] * 26, LanguageCode="en"), "BatchSizeLimitExceededException"),
        (lambda c: c.batch_detect_dominant_language(TextList=["hi"] * 26), "BatchSizeLimitExceededException"),
        (lambda c: c.detect_sentiment(Text="x" * 5001, LanguageCode="en"), "TextSizeLimitExceededException"),
        (lambda c: c.detect_sentiment(Text="Das ist gut", LanguageCode="de"), "UnsupportedLanguageException"),
        (lambda c: c.detect_sentiment(Text="   ", LanguageCode="en"), "InvalidRequestException"),
    ],
)
def test_service_errors_reach_boto3_with_their_codes(signed_comprehend, call, code: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        call(signed_comprehend)
    assert _code(excinfo) == code
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert excinfo.value.response["Error"]["Message"]


def test_model_validation_when_the_client_does_not_validate(gateway, aws_client) -> None:
    client = aws_client("comprehend", gateway.url, validate=False)
    with pytest.raises(ClientError) as excinfo:
        client.detect_sentiment(Text="", LanguageCode="en")
    assert _code(excinfo) == "ValidationException"
    assert "text" in excinfo.value.response["Error"]["Message"].lower()
    with pytest.raises(ClientError) as excinfo:
        client.detect_sentiment(Text="fine", LanguageCode="klingon")
    assert _code(excinfo) == "ValidationException"
    assert "enum" in excinfo.value.response["Error"]["Message"]


def test_modeled_but_unserved_operation_is_a_clear_4xx(comprehend) -> None:
    with pytest.raises(ClientError) as excinfo:
        comprehend.list_flywheels()
    assert _code(excinfo) == "UnsupportedOperationException"
    assert "ListFlywheels" in excinfo.value.response["Error"]["Message"]
    assert 400 <= excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] < 500


def test_rest_json_services_are_routed(gateway, aws_client) -> None:
    polly = aws_client("polly", gateway.url)
    with pytest.raises(ClientError) as excinfo:
        polly.list_tags_for_resource(ResourceArn="arn:aws:polly:us-east-1:000000000000:lexicon/x")
    assert _code(excinfo) == "UnsupportedOperationException"
    assert "polly:ListTagsForResource" in excinfo.value.response["Error"]["Message"]
    runtime = aws_client("personalize-runtime", gateway.url)
    with pytest.raises(ClientError) as excinfo:  # routed to the service, which knows no such campaign
        runtime.get_recommendations(campaignArn="arn:aws:personalize:us-east-1:000000000000:campaign/x", userId="u1")
    assert _code(excinfo) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        runtime.get_action_recommendations(campaignArn="arn:aws:personalize:us-east-1:000000000000:campaign/x",
                                           userId="u1")
    assert _code(excinfo) == "UnsupportedOperationException"


def test_raw_protocol_errors(gateway) -> None:
    headers = {"X-Amz-Target": "Comprehend_20171127.DetectSentiment", "Content-Type": "application/x-amz-json-1.1"}
    with httpx.Client(base_url=gateway.url) as http:
        malformed = http.post("/", content=b"{not json", headers=headers)
        assert malformed.status_code == 400
        assert malformed.json()["__type"] == "SerializationException"
        assert malformed.headers["x-amzn-ErrorType"] == "SerializationException"
        unknown = http.post("/", content=b"{}", headers={**headers, "X-Amz-Target": "Comprehend_20171127.MakeCoffee"})
        assert unknown.status_code == 400
        assert unknown.json()["__type"] == "UnknownOperationException"
        missing = http.post("/", content=json.dumps({"LanguageCode": "en"}).encode(), headers=headers)
        assert missing.json()["__type"] == "ValidationException"
        assert "Member must not be null" in missing.json()["message"]


def test_oversized_body_is_refused_in_the_aws_shape(secured_gateway, aws_client) -> None:
    client = aws_client("comprehend", secured_gateway.url)
    with pytest.raises(ClientError) as excinfo:
        client.detect_dominant_language(Text="a" * (300 * 1024))
    assert _code(excinfo) == "RequestEntityTooLargeException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413


def test_metrics_label_the_aws_door(gateway, comprehend) -> None:
    comprehend.detect_sentiment(Text="fine", LanguageCode="en")
    metrics = httpx.get(f"{gateway.url}/metrics").text
    assert 'door="aws",operation="DetectSentiment",service="comprehend",status="200"' in metrics
    assert ACCESS_KEY not in metrics
