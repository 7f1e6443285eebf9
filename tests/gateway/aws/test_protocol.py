"""The AWS protocol layer, with botocore itself as the oracle: its serializers build the requests we
parse, its parsers read the responses we write, and a real boto3 client talks to both ends."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlsplit

import boto3
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HeadersDict
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.model import OperationModel
from botocore.parsers import create_parser
from botocore.response import StreamingBody
from botocore.serialize import create_serializer

from core.errors import (
    InvalidRequest,
    ResourceNotFound,
    SerializationError,
    ServiceError,
    Throttling,
    UnknownOperation,
    UnsupportedOperation,
    ValidationError,
)
from gateway.aws.errors import serialize_error
from gateway.aws.json_protocol import parse_json_request, parse_target, serialize_json_output
from gateway.aws.rest_json_protocol import (
    RestJsonRouter,
    parse_rest_json_request,
    serialize_rest_json_output,
)
from gateway.aws.service_models import SERVICES, load_service_model

REST_SERVICES = ["polly", "personalize-runtime", "personalize-events"]
ROUTER = RestJsonRouter(REST_SERVICES)
WHEN = datetime(2024, 5, 17, 12, 30, 45, tzinfo=timezone.utc)
FAILED = "failed to satisfy constraint: "


def operation(service: str, name: str) -> OperationModel:
    return load_service_model(service).operation_model(name)


def botocore_request(service: str, name: str, params: dict) -> dict:
    serializer = create_serializer(SERVICES[service].protocol)
    return serializer.serialize_to_request(params, operation(service, name))


def parse_as_gateway(service: str, name: str, params: dict) -> dict:
    """Serialize with botocore, then route and parse as the gateway does."""
    request = botocore_request(service, name, params)
    if SERVICES[service].protocol == "json":
        service_name, op = parse_target(request["headers"]["X-Amz-Target"])
        assert (service_name, op.name) == (service, name)
        return parse_json_request(op, request["body"])
    found = ROUTER.match(request["method"], request["url_path"])
    assert found is not None and (found.service_name, found.operation.name) == (service, name)
    query = [
        (key, item)
        for key, value in request["query_string"].items()
        for item in (value if isinstance(value, list) else [value])
    ]
    headers = HeadersDict(request["headers"])
    return parse_rest_json_request(found.operation, found.uri_params, query, headers, request["body"])


def botocore_parse(service: str, name: str, status: int, headers: dict, body: bytes) -> dict:
    op = operation(service, name)
    if op.has_streaming_output:
        body = StreamingBody(io.BytesIO(body), len(body))
    response = {"status_code": status, "headers": HeadersDict(headers), "body": body}
    parsed = create_parser(SERVICES[service].protocol).parse(response, op.output_shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


# --- json requests -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "name", "params"),
    [
        ("comprehend", "DetectSentiment", {"Text": "I love it", "LanguageCode": "en"}),
        ("comprehend", "BatchDetectSentiment", {"TextList": ["good", "bad"], "LanguageCode": "es"}),
        (
            "rekognition",
            "DetectLabels",
            {"Image": {"Bytes": b"\x89PNG\x00\xff"}, "MaxLabels": 5, "MinConfidence": 72.5},
        ),
        (
            "transcribe",
            "StartTranscriptionJob",
            {
                "TranscriptionJobName": "job-1",
                "Media": {"MediaFileUri": "s3://bucket/a.wav"},
                "LanguageCode": "en-US",
                "Settings": {"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2},
            },
        ),
        (
            "translate",
            "TranslateText",
            {"Text": "hola", "SourceLanguageCode": "es", "TargetLanguageCode": "en"},
        ),
    ],
)
def test_json_requests_round_trip(service: str, name: str, params: dict) -> None:
    assert parse_as_gateway(service, name, params) == params


def test_parse_target() -> None:
    service_name, op = parse_target("Comprehend_20171127.DetectSentiment")
    assert service_name == "comprehend" and op.name == "DetectSentiment"
    with pytest.raises(UnknownOperation, match="Nope_1.DetectSentiment"):
        parse_target("Nope_1.DetectSentiment")
    with pytest.raises(UnknownOperation, match="Frobnicate"):
        parse_target("Comprehend_20171127.Frobnicate")


def test_unknown_members_are_ignored_and_empty_body_is_empty_input() -> None:
    op = operation("comprehend", "DetectSentiment")
    body = json.dumps({"Text": "x", "LanguageCode": "en", "Extra": 1}).encode()
    assert parse_json_request(op, body) == {"Text": "x", "LanguageCode": "en"}
    assert parse_json_request(operation("polly", "ListLexicons"), b"") == {}


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_malformed_json_is_a_serialization_error(body: bytes) -> None:
    with pytest.raises(SerializationError):
        parse_json_request(operation("comprehend", "DetectSentiment"), body)


@pytest.mark.parametrize("text", ["***", "abc", "\u00e9t\u00e9"])
def test_bad_base64_is_a_serialization_error(text: str) -> None:
    with pytest.raises(SerializationError):
        body = json.dumps({"Image": {"Bytes": text}}).encode()
        parse_json_request(operation("rekognition", "DetectLabels"), body)


def test_timestamps_accept_epoch_and_iso() -> None:
    op = operation("personalize-events", "PutEvents")
    for sent_at in (WHEN.timestamp(), "2024-05-17T12:30:45Z", "2024-05-17T14:30:45+02:00"):
        body = json.dumps(
            {"trackingId": "t", "sessionId": "s", "eventList": [{"eventType": "click", "sentAt": sent_at}]}
        ).encode()
        assert parse_rest_json_request(op, {}, [], HeadersDict(), body)["eventList"][0]["sentAt"] == WHEN


# --- validation --------------------------------------------------------------------------------


def violations(service: str, name: str, body: dict) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_json_request(operation(service, name), json.dumps(body).encode())
    return caught.value.message


def test_missing_required_members_are_all_reported() -> None:
    assert violations("comprehend", "DetectSentiment", {}) == (
        "2 validation errors detected: "
        "Value null at 'text' failed to satisfy constraint: Member must not be null; "
        "Value null at 'languageCode' failed to satisfy constraint: Member must not be null"
    )


def test_bad_enum() -> None:
    assert violations("comprehend", "DetectSentiment", {"Text": "x", "LanguageCode": "xx"}) == (
        "1 validation error detected: Value 'xx' at 'languageCode' failed to satisfy constraint: "
        "Member must satisfy enum value set: [en, es, fr, de, it, pt, ar, hi, ja, ko, zh, zh-TW]"
    )


def test_too_short_sensitive_string_is_not_echoed() -> None:
    assert violations("comprehend", "DetectSentiment", {"Text": "", "LanguageCode": "en"}) == (
        "1 validation error detected: Value at 'text' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )


def test_wrong_types() -> None:
    body = {"Image": "pic.png", "MaxLabels": "5", "MinConfidence": True}
    message = violations("rekognition", "DetectLabels", body)
    assert message.startswith("3 validation errors detected: ")
    assert f"Value 'pic.png' at 'image' {FAILED}Member must be of type structure" in message
    assert f"Value '5' at 'maxLabels' {FAILED}Member must be of type integer" in message
    assert f"Value 'true' at 'minConfidence' {FAILED}Member must be of type float" in message


def test_ranges_list_sizes_and_nested_paths() -> None:
    body = {"Image": {"S3Object": {"Bucket": ""}}, "MaxLabels": -1, "MinConfidence": 101}
    message = violations("rekognition", "DetectLabels", body)
    assert (
        f"Value '' at 'image.s3Object.bucket' {FAILED}Member must have length greater than or equal to 3"
    ) in message
    assert f"Value '-1' at 'maxLabels' {FAILED}Member must have value greater than or equal to 0" in message
    assert (
        f"Value '101' at 'minConfidence' {FAILED}Member must have value less than or equal to 100"
    ) in message
    message = violations("comprehend", "BatchDetectSentiment", {"TextList": [], "LanguageCode": "en"})
    assert f"at 'textList' {FAILED}Member must have length greater than or equal to 1" in message
    body = {"TextList": ["ok", None], "LanguageCode": "en"}
    message = violations("comprehend", "BatchDetectSentiment", body)
    assert f"Value null at 'textList.2.member' {FAILED}Member must not be null" in message


def test_pattern_is_checked_where_python_can_compile_it() -> None:
    message = violations(
        "transcribe", "StartTranscriptionJob", {"TranscriptionJobName": "has space", "Media": {}}
    )
    assert f"Value 'has space' at 'transcriptionJobName' {FAILED}Member must satisfy regular" in message


# --- rest-json requests ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "name", "params"),
    [
        ("polly", "GetLexicon", {"Name": "myLexicon"}),
        ("polly", "PutLexicon", {"Name": "myLexicon", "Content": "<lexicon/>"}),
        ("polly", "DescribeVoices", {"LanguageCode": "en-US", "IncludeAdditionalLanguageCodes": True}),
        ("polly", "ListSpeechSynthesisTasks", {"MaxResults": 7, "Status": "completed"}),
        (
            "polly",
            "SynthesizeSpeech",
            {
                "Text": "Hello",
                "OutputFormat": "mp3",
                "VoiceId": "Joanna",
                "Engine": "neural",
                "LexiconNames": ["a"],
            },
        ),
        (
            "personalize-runtime",
            "GetRecommendations",
            {
                "campaignArn": "arn:aws:personalize:us-east-1:1:campaign/c",
                "userId": "u1",
                "numResults": 3,
                "context": {"DEVICE": "phone"},
            },
        ),
        (
            "personalize-events",
            "PutEvents",
            {
                "trackingId": "t",
                "sessionId": "s",
                "eventList": [
                    {"eventType": "click", "itemId": "i1", "sentAt": WHEN, "properties": '{"n": "1"}'},
                    {"eventType": "rate", "eventValue": 4.5, "sentAt": WHEN.replace(microsecond=250000)},
                ],
            },
        ),
    ],
)
def test_rest_json_requests_round_trip(service: str, name: str, params: dict) -> None:
    assert parse_as_gateway(service, name, params) == params


def test_rest_json_converts_located_text_and_validates_it() -> None:
    op = operation("polly", "ListSpeechSynthesisTasks")
    not_integer = f"Value 'many' at 'maxResults' {FAILED}Member must be of type integer"
    with pytest.raises(ValidationError, match=not_integer):
        parse_rest_json_request(op, {}, [("MaxResults", "many")], HeadersDict(), b"")
    with pytest.raises(ValidationError, match="Value '0' at 'maxResults'.*greater than or equal to 1"):
        parse_rest_json_request(op, {}, [("MaxResults", "0")], HeadersDict(), b"")


def test_located_members_never_come_from_the_body() -> None:
    op = operation("polly", "GetLexicon")
    with pytest.raises(ValidationError, match="Value null at 'name'"):
        parse_rest_json_request(op, {}, [], HeadersDict(), b'{"LexiconName": "sneaky", "Name": "sneaky"}')


# --- router ------------------------------------------------------------------------------------


def test_router_prefers_the_exact_template() -> None:
    found = ROUTER.match("GET", "/v1/lexicons/my%2Flex")
    assert (found.service_name, found.operation.name) == ("polly", "GetLexicon")
    assert found.uri_params == {"LexiconName": "my/lex"}
    assert ROUTER.match("GET", "/v1/lexicons").operation.name == "ListLexicons"
    assert ROUTER.match("PUT", "/v1/lexicons/x").operation.name == "PutLexicon"
    assert ROUTER.match("get", "/v1/listTagsForResource/").operation.name == "ListTagsForResource"


def test_router_personalize_paths() -> None:
    service_name, op, uri_params = ROUTER.match("POST", "/recommendations")
    assert (service_name, op, uri_params) == (
        "personalize-runtime",
        operation("personalize-runtime", "GetRecommendations"),
        {},
    )
    assert ROUTER.match("POST", "/events").service_name == "personalize-events"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/nope"),
        ("GET", "/v1/lexicons/"),
        ("GET", "/v1/lexicons/a/b"),
        ("DELETE", "/recommendations"),
        ("POST", "/"),
    ],
)
def test_router_misses(method: str, path: str) -> None:
    assert ROUTER.match(method, path) is None


def test_router_greedy_labels_and_pinned_query() -> None:
    # No served service uses these; S3's templates do, and the router is model-driven.
    router = RestJsonRouter(["s3"])
    found = router.match("GET", "/bucket/a/b%20c.txt")
    assert (found.operation.name, found.uri_params) == ("GetObject", {"Bucket": "bucket", "Key": "a/b c.txt"})
    assert router.match("GET", "/bucket/a/b", [("acl", "")]).operation.name == "GetObjectAcl"
    assert router.match("GET", "/bucket", [("list-type", "2")]).operation.name == "ListObjectsV2"
    assert router.match("GET", "/bucket", [("list-type", "1")]).operation.name == "ListObjects"


# --- outputs -----------------------------------------------------------------------------------


def test_json_output_round_trips() -> None:
    modeled = {"Sentiment": "POSITIVE", "SentimentScore": {"Positive": 0.9, "Negative": 0.1}}
    output = {**modeled, "Extra": 1, "Gone": None}
    body = serialize_json_output(operation("comprehend", "DetectSentiment"), output)
    assert botocore_parse("comprehend", "DetectSentiment", 200, {}, body) == modeled


def test_json_output_blobs_and_timestamps() -> None:
    output = {"SessionId": "s", "Status": "SUCCEEDED", "ReferenceImage": {"Bytes": b"\x00\xffimg"}}
    body = serialize_json_output(operation("rekognition", "GetFaceLivenessSessionResults"), output)
    assert botocore_parse("rekognition", "GetFaceLivenessSessionResults", 200, {}, body) == output
    naive = WHEN.replace(tzinfo=None, microsecond=123456)
    output = {"TranscriptionJob": {"TranscriptionJobName": "j", "StartTime": naive}}
    body = serialize_json_output(operation("transcribe", "GetTranscriptionJob"), output)
    parsed = botocore_parse("transcribe", "GetTranscriptionJob", 200, {}, body)
    assert parsed["TranscriptionJob"]["StartTime"] == naive.replace(tzinfo=timezone.utc)


def test_json_output_empty() -> None:
    assert serialize_json_output(operation("comprehend", "TagResource"), {}) == b"{}"


def test_polly_audio_stream_payload_and_headers() -> None:
    op = operation("polly", "SynthesizeSpeech")
    output = {"AudioStream": b"ID3\x00\xff", "ContentType": "audio/mpeg", "RequestCharacters": 5}
    status, headers, body = serialize_rest_json_output(op, output)
    assert (status, body) == (200, b"ID3\x00\xff")
    assert headers == {"Content-Type": "audio/mpeg", "x-amzn-RequestCharacters": "5"}
    parsed = botocore_parse("polly", "SynthesizeSpeech", status, headers, body)
    assert parsed["AudioStream"].read() == b"ID3\x00\xff"
    assert (parsed["ContentType"], parsed["RequestCharacters"]) == ("audio/mpeg", 5)
    chunks = iter([b"a", b"b"])
    assert serialize_rest_json_output(op, {**output, "AudioStream": chunks})[2] is chunks


def test_rest_json_body_output_with_timestamp() -> None:
    output = {
        "Lexicon": {"Name": "l", "Content": "<lexicon/>"},
        "LexiconAttributes": {"LastModified": WHEN, "Size": 10},
    }
    status, headers, body = serialize_rest_json_output(operation("polly", "GetLexicon"), output)
    assert (status, headers["Content-Type"]) == (200, "application/json")
    assert botocore_parse("polly", "GetLexicon", status, headers, body) == output


def test_put_events_answers_an_empty_body() -> None:
    assert serialize_rest_json_output(operation("personalize-events", "PutEvents"), {}) == (200, {}, b"")
    assert botocore_parse("personalize-events", "PutEvents", 200, {}, b"") == {}


# --- errors ------------------------------------------------------------------------------------


def parse_error(service: str, name: str, error: ServiceError) -> tuple[int, dict]:
    """Like botocore's endpoint: generic error parse, then the modeled error shape's members."""
    model = load_service_model(service)
    status, headers, body = serialize_error(error, model, "req-1")
    assert (headers["x-amzn-ErrorType"], headers["x-amzn-RequestId"]) == (error.code, "req-1")
    parser = create_parser(SERVICES[service].protocol)
    response = {"status_code": status, "headers": HeadersDict(headers), "body": body}
    parsed = parser.parse(response, operation(service, name).output_shape)
    shape = model.shape_for_error_code(parsed["Error"]["Code"])
    if shape is not None:
        parsed.update(parser.parse(response, shape))
    return status, parsed


def test_json_error_with_modeled_members() -> None:
    error = InvalidRequest("bad text", Reason="INVALID_DOCUMENT")
    status, parsed = parse_error("comprehend", "DetectSentiment", error)
    assert status == 400
    assert parsed["Error"] == {"Code": "InvalidRequestException", "Message": "bad text"}
    assert (parsed["Message"], parsed["Reason"]) == ("bad text", "INVALID_DOCUMENT")
    assert parsed["ResponseMetadata"]["RequestId"] == "req-1"


def test_rest_json_error_status_comes_from_the_model() -> None:
    class LexiconNotFound(ResourceNotFound):
        code = "LexiconNotFoundException"

    status, parsed = parse_error("polly", "GetLexicon", LexiconNotFound("no such lexicon"))
    assert status == 404
    assert parsed["Error"] == {"Code": "LexiconNotFoundException", "Message": "no such lexicon"}


def test_unmodeled_error_uses_its_own_status() -> None:
    status, parsed = parse_error("comprehend", "DetectSentiment", Throttling("slow down"))
    assert status == 429 and parsed["Error"] == {"Code": "ThrottlingException", "Message": "slow down"}
    # Without a model to filter by (the REST door), the error's own members travel as they are.
    status, headers, body = serialize_error(ValidationError("nope", Extra=1), None, "r")
    assert (status, json.loads(body)) == (400, {"__type": "ValidationException", "message": "nope", "Extra": 1})


# --- a real boto3 client against the layer -----------------------------------------------------


class _Raw(io.BytesIO):
    def stream(self, **_: object):
        yield self.getvalue()


Handler = Callable[[OperationModel, dict], dict]


def client_served_by(service: str, handler: Handler):
    """A boto3 client whose requests this layer answers, calling `handler` as a service would."""
    model = load_service_model(service)
    client = boto3.client(
        service,
        endpoint_url="http://gateway.test",
        region_name="us-east-1",
        aws_access_key_id="ak",
        aws_secret_access_key="sk",
        config=Config(retries={"max_attempts": 1}),
    )

    def answer(request: AWSPreparedRequest, **_: object) -> AWSResponse:
        try:
            status, headers, body = serve(request, handler)
        except ServiceError as error:
            status, headers, body = serialize_error(error, model, "req-9")
        chunks = [body] if isinstance(body, bytes) else body
        return AWSResponse(request.url, status, HeadersDict(headers), _Raw(b"".join(chunks)))

    client.meta.events.register("before-send", answer)
    return client


def serve(request: AWSPreparedRequest, handler: Handler) -> tuple[int, dict, bytes]:
    # Prepared requests hold some header values as bytes.
    headers = HeadersDict({key: str(value, "utf-8") if isinstance(value, bytes) else value
                           for key, value in request.headers.items()})
    body = request.body or b""
    if "X-Amz-Target" in headers:
        _, op = parse_target(headers["X-Amz-Target"])
        return 200, {}, serialize_json_output(op, handler(op, parse_json_request(op, body)))
    url = urlsplit(request.url)
    found = ROUTER.match(request.method, url.path)
    query = parse_qsl(url.query, keep_blank_values=True)
    params = parse_rest_json_request(found.operation, found.uri_params, query, headers, body)
    return serialize_rest_json_output(found.operation, handler(found.operation, params))


def test_boto3_json_client_end_to_end() -> None:
    def detect(op: OperationModel, params: dict) -> dict:
        if op.name != "DetectSentiment":
            raise UnsupportedOperation(f"{op.name} is not served here")
        if not params["Text"].strip():
            raise InvalidRequest("empty", Reason="INVALID_DOCUMENT")
        return {"Sentiment": "POSITIVE", "SentimentScore": {"Positive": 0.75}}

    client = client_served_by("comprehend", detect)
    assert client.detect_sentiment(Text="great", LanguageCode="en")["SentimentScore"] == {"Positive": 0.75}
    with pytest.raises(client.exceptions.InvalidRequestException) as caught:
        client.detect_sentiment(Text="   ", LanguageCode="en")
    assert caught.value.response["Reason"] == "INVALID_DOCUMENT"
    assert caught.value.response["Error"]["Message"] == "empty"
    with pytest.raises(ClientError) as caught:
        client.detect_dominant_language(Text="x")
    assert caught.value.response["Error"]["Code"] == "UnsupportedOperationException"


def test_boto3_rest_json_client_end_to_end() -> None:
    def synthesize(op: OperationModel, params: dict) -> dict:
        if params["VoiceId"] != "Joanna":
            raise ValidationError("unknown voice")
        audio = iter([b"ID3", b"\x00\xff"])
        return {"AudioStream": audio, "ContentType": "audio/mpeg", "RequestCharacters": len(params["Text"])}

    client = client_served_by("polly", synthesize)
    reply = client.synthesize_speech(Text="Hello", OutputFormat="mp3", VoiceId="Joanna")
    assert reply["AudioStream"].read() == b"ID3\x00\xff"
    assert (reply["ContentType"], reply["RequestCharacters"]) == ("audio/mpeg", 5)
    with pytest.raises(ClientError) as caught:
        client.synthesize_speech(Text="Hello", OutputFormat="mp3", VoiceId="Matthew")
    assert caught.value.response["Error"] == {"Code": "ValidationException", "Message": "unknown voice"}
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
