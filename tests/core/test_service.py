"""Operations: the contract every door reads, and the argument forms in-process callers may use."""

from __future__ import annotations

import base64

import pytest

from core.errors import ValidationError
from core.service import Blob, Service, Shape, build_request, operation, snake_case


class EchoRequest(Shape):
    Text: str
    LanguageCode: str
    MaxResults: int | None = None


class EchoResponse(Shape):
    Echo: str


class Echo(Service):
    name = "echo"

    @operation
    def echo_text(self, request: EchoRequest) -> EchoResponse:
        """Echo the text back.

        More details that are not the summary."""
        return EchoResponse(Echo=f"{request.Text}/{request.LanguageCode}/{request.MaxResults}")

    @operation(name="AnalyzeID")
    def analyze_id(self, request: EchoRequest) -> EchoResponse:
        return EchoResponse(Echo="id")


def test_operations_are_recorded_once_with_their_types() -> None:
    ops = Echo.operations()
    assert list(ops) == ["EchoText", "AnalyzeID"]
    op = ops["EchoText"]
    assert (op.method, op.slug, op.request, op.response) == ("echo_text", "echo-text", EchoRequest, EchoResponse)
    assert op.summary == "Echo the text back."


def test_argument_forms() -> None:
    echo = Echo()
    assert echo.echo_text("hi", "en").Echo == "hi/en/None"
    assert echo.echo_text("hi", language_code="en", max_results=3).Echo == "hi/en/3"
    assert echo.echo_text(Text="hi", LanguageCode="en").Echo == "hi/en/None"
    assert echo.echo_text(EchoRequest(Text="hi", LanguageCode="en")).Echo == "hi/en/None"


def test_bad_arguments() -> None:
    with pytest.raises(ValidationError, match="LanguageCode"):
        Echo().echo_text("hi")
    with pytest.raises(ValidationError, match="MaxResults"):
        build_request(EchoRequest, ("hi", "en"), {"max_results": "many"})
    with pytest.raises(TypeError, match="no member"):
        build_request(EchoRequest, ("hi",), {"colour": "red"})
    with pytest.raises(TypeError, match="at most 2"):
        build_request(EchoRequest, ("a", "b", "c"), {})


@pytest.mark.parametrize(("name", "snake"), [("DetectSentiment", "detect_sentiment"), ("S3Object", "s3_object"),
                                             ("TextList", "text_list"), ("IPAddress", "ip_address")])
def test_snake_case(name: str, snake: str) -> None:
    assert snake_case(name) == snake


class BlobShape(Shape):
    Content: Blob


def test_blobs_are_standard_base64_in_json() -> None:
    data = b"<html>\xff\xfe?>"  # encodes to '+' and '/' in the standard alphabet
    dumped = BlobShape(Content=data).model_dump_json()
    assert dumped == '{"Content":"%s"}' % base64.b64encode(data).decode()
    assert "+" in dumped or "/" in dumped
    assert BlobShape.model_validate_json(dumped).Content == data
    assert BlobShape(Content=data).model_dump()["Content"] == data  # Python stays bytes
