"""SigV4 verification against real signatures: botocore's signer and boto3 clients, no mocks."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from hashlib import sha256
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth
from botocore.awsrequest import AWSPreparedRequest, AWSRequest, AWSResponse, HTTPHeaders
from botocore.credentials import Credentials
from starlette.datastructures import Headers

from core.errors import (
    IncompleteSignature,
    InvalidSignature,
    MissingAuthenticationToken,
    UnrecognizedClient,
)
from gateway.aws.sigv4 import SigV4Identity, verify_sigv4

ACCESS_KEY = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
CREDENTIALS = {ACCESS_KEY: SECRET, "AKIDOTHER": "other-secret"}
ENDPOINT = "http://localhost:8080"


@dataclass(frozen=True)
class Wire:
    """A request as the gateway receives it: raw path and query, str headers, bytes body."""

    method: str
    path: str
    query_string: str
    headers: dict[str, str]
    body: bytes

    @property
    def signed_at(self) -> datetime:
        return datetime.strptime(self.headers["X-Amz-Date"], SIGV4_TIMESTAMP).replace(
            tzinfo=timezone.utc
        )

    def with_header(self, name: str, value: str | None) -> Wire:
        headers = {k: v for k, v in self.headers.items() if k.lower() != name.lower()}
        if value is not None:
            headers[name] = value
        return replace(self, headers=headers)


def to_wire(request: AWSRequest | AWSPreparedRequest) -> Wire:
    """What an HTTP client puts on the wire; urllib3 adds Host, which botocore leaves out."""
    url = urlsplit(request.url)
    headers = {
        k: v.decode("latin-1") if isinstance(v, bytes) else v for k, v in request.headers.items()
    }
    headers.setdefault("Host", url.netloc)
    body = request.body or b""
    return Wire(request.method, url.path, url.query, headers, body)


def verify(
    wire: Wire,
    *,
    headers: Mapping[str, str] | None = None,
    credentials: Mapping[str, str] = CREDENTIALS,
    now: datetime | None = None,
    max_skew: timedelta = timedelta(minutes=5),
) -> SigV4Identity:
    """Verify `wire` as of the moment it was signed, unless told another `now`."""
    return verify_sigv4(
        method=wire.method,
        path=wire.path,
        query_string=wire.query_string,
        headers=wire.headers if headers is None else headers,
        body=wire.body,
        credentials=credentials,
        now=wire.signed_at if now is None else now,
        max_skew=max_skew,
    )


def botocore_signed(
    method: str,
    url: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    service: str = "comprehend",
    region: str = "us-east-1",
    secret: str = SECRET,
    access_key: str = ACCESS_KEY,
) -> AWSRequest:
    request = AWSRequest(method=method, url=url, data=body, headers=headers or {})
    SigV4Auth(Credentials(access_key, secret), service, region).add_auth(request)
    return request


class _EmptyBody:
    """Stands in for urllib3's response so botocore can read an empty 200 answer."""

    def stream(self) -> Iterator[bytes]:
        yield b""


def boto3_wire(service: str, call: Callable[[Any], object], region: str = "eu-west-1") -> Wire:
    """Run a real boto3 call and capture the signed request it would send."""
    client = boto3.client(
        service,
        region_name=region,
        endpoint_url=ENDPOINT,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET,
    )
    captured: list[AWSPreparedRequest] = []

    def before_send(request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        captured.append(request)
        return AWSResponse(request.url, 200, {}, _EmptyBody())

    client.meta.events.register("before-send", before_send)
    call(client)
    return to_wire(captured[0])


@pytest.fixture(scope="module")
def comprehend() -> Wire:
    return boto3_wire(
        "comprehend", lambda c: c.detect_sentiment(Text="I love it", LanguageCode="en")
    )


# --- valid requests -------------------------------------------------------------------------


def test_boto3_json_request_verifies(comprehend: Wire) -> None:
    # Pin what boto3 sends, since the verifier relies on it: no payload hash header.
    assert "x-amz-content-sha256" not in {k.lower() for k in comprehend.headers}
    assert verify(comprehend) == SigV4Identity(ACCESS_KEY, "eu-west-1", "comprehend")


def test_botocore_signed_request_verifies_in_any_region() -> None:
    wire = to_wire(
        botocore_signed(
            "POST",
            f"{ENDPOINT}/",
            body=b'{"Text": "x"}',
            headers={"X-Amz-Target": "Comprehend_20171127.DetectSentiment"},
            region="ap-southeast-2",
        )
    )
    assert verify(wire) == SigV4Identity(ACCESS_KEY, "ap-southeast-2", "comprehend")


def test_header_names_are_case_insensitive(comprehend: Wire) -> None:
    upper = {k.upper(): v for k, v in comprehend.headers.items()}
    lower = {k.lower(): v for k, v in comprehend.headers.items()}
    assert verify(comprehend, headers=upper).service == "comprehend"
    assert verify(comprehend, headers=lower).service == "comprehend"


def test_authorization_spacing_variants(comprehend: Wire) -> None:
    loose = comprehend.headers["Authorization"].replace(", ", " ,  ").replace("=", " = ")
    tight = comprehend.headers["Authorization"].replace(", ", ",")
    assert verify(comprehend.with_header("Authorization", loose)).region == "eu-west-1"
    assert verify(comprehend.with_header("Authorization", tight)).region == "eu-west-1"


def test_rest_json_path_with_encoded_characters() -> None:
    wire = boto3_wire("polly", lambda c: c.get_lexicon(Name="my lex"))
    assert wire.path == "/v1/lexicons/my%20lex"
    assert verify(wire) == SigV4Identity(ACCESS_KEY, "eu-west-1", "polly")
    # The signature covers the path: a different lexicon is refused.
    with pytest.raises(InvalidSignature):
        verify(replace(wire, path="/v1/lexicons/my%20lux"))


def test_rest_json_get_with_query_parameters() -> None:
    wire = boto3_wire(
        "polly",
        lambda c: c.describe_voices(
            LanguageCode="en-US", IncludeAdditionalLanguageCodes=True, NextToken="a b/c+=d"
        ),
    )
    assert wire.method == "GET" and "NextToken=a%20b%2Fc%2B%3Dd" in wire.query_string
    assert verify(wire).service == "polly"
    with pytest.raises(InvalidSignature):
        verify(replace(wire, query_string=wire.query_string.replace("en-US", "en-GB")))


def test_personalize_runtime_signs_as_personalize() -> None:
    wire = boto3_wire(
        "personalize-runtime",
        lambda c: c.get_recommendations(
            campaignArn="arn:aws:personalize:eu-west-1:123456789012:campaign/c", userId="u 1"
        ),
    )
    assert verify(wire) == SigV4Identity(ACCESS_KEY, "eu-west-1", "personalize")


def test_get_with_unsorted_repeated_and_valueless_query_parameters() -> None:
    # The client signs the sorted query but sends it in its own order.
    url = f"{ENDPOINT}/recommendations?userId=u%201&b=2&a=z&a=y&flag"
    wire = to_wire(botocore_signed("GET", url, service="personalize"))
    assert wire.query_string == "userId=u%201&b=2&a=z&a=y&flag"
    assert verify(wire).service == "personalize"


def test_binary_body_verifies() -> None:
    # A body that is not UTF-8 (CBOR, audio) is hashed as raw bytes.
    body = bytes(range(256))
    wire = to_wire(botocore_signed("POST", f"{ENDPOINT}/", body=body, service="transcribe"))
    assert wire.body == body
    assert verify(wire).service == "transcribe"


def test_repeated_header_values_are_joined() -> None:
    request = AWSRequest(method="POST", url=f"{ENDPOINT}/", data=b"{}")
    request.headers["Host"] = "localhost:8080"
    request.headers["X-Amz-Meta-Tag"] = "one"
    request.headers["X-Amz-Meta-Tag"] = "two"  # HTTPHeaders appends: sent twice.
    SigV4Auth(Credentials(ACCESS_KEY, SECRET), "comprehend", "us-east-1").add_auth(request)
    assert "x-amz-meta-tag" in request.headers["Authorization"]
    raw = [(k.lower().encode(), v.encode()) for k, v in request.headers.items()]
    wire = to_wire(request)
    # Starlette's Headers repeats the name in items(), as the gateway will hand it over.
    assert verify(wire, headers=Headers(raw=raw)).service == "comprehend"


def test_http_date_header_instead_of_x_amz_date() -> None:
    request = AWSRequest(
        method="POST", url=f"{ENDPOINT}/", data=b"{}", headers={"Date": "placeholder"}
    )
    SigV4Auth(Credentials(ACCESS_KEY, SECRET), "comprehend", "us-east-1").add_auth(request)
    wire = to_wire(request)
    assert "X-Amz-Date" not in wire.headers and "date" in wire.headers["Authorization"]
    assert verify(wire, now=parsedate_to_datetime(wire.headers["Date"])).service == "comprehend"


def test_matching_payload_hash_header_verifies() -> None:
    body = b'{"Text": "x"}'
    headers = {"X-Amz-Content-SHA256": sha256(body).hexdigest()}
    wire = to_wire(botocore_signed("POST", f"{ENDPOINT}/", body=body, headers=headers))
    assert verify(wire).service == "comprehend"


@pytest.mark.parametrize(
    ("query_string", "signature"),
    [
        ("", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        (
            "Param2=value2&Param1=value1",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        ),
    ],
)
def test_aws_sigv4_test_suite_vectors(query_string: str, signature: str) -> None:
    # get-vanilla and get-vanilla-query-order-key-case from AWS's published SigV4 test suite:
    # a check against AWS itself, not only against botocore agreeing with itself.
    headers = {
        "Host": "example.amazonaws.com",
        "X-Amz-Date": "20150830T123600Z",
        "Authorization": "AWS4-HMAC-SHA256 "
        "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        f"SignedHeaders=host;x-amz-date, Signature={signature}",
    }
    wire = Wire("GET", "/", query_string, headers, b"")
    assert verify(wire) == SigV4Identity("AKIDEXAMPLE", "us-east-1", "service")


class _SignsEveryHeader(SigV4Auth):
    """Signs as SDKs that do not leave out User-Agent do (the Java v1 SDK)."""

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        every = HTTPHeaders()
        for name, value in request.headers.items():
            every[name.lower()] = value
        return every


def test_header_botocore_would_not_sign_is_honoured() -> None:
    request = AWSRequest(
        method="POST",
        url=f"{ENDPOINT}/",
        data=b"{}",
        headers={"Host": "localhost:8080", "User-Agent": "aws-sdk-java/1.12.0"},
    )
    _SignsEveryHeader(Credentials(ACCESS_KEY, SECRET), "comprehend", "us-east-1").add_auth(request)
    wire = to_wire(request)
    assert "user-agent" in wire.headers["Authorization"]
    assert verify(wire).service == "comprehend"
    with pytest.raises(InvalidSignature):
        verify(wire.with_header("User-Agent", "curl/8.0"))


# --- refused requests -----------------------------------------------------------------------


def test_wrong_secret_is_invalid_signature() -> None:
    wire = to_wire(botocore_signed("POST", f"{ENDPOINT}/", body=b"{}", secret="not-the-secret"))
    with pytest.raises(InvalidSignature) as caught:
        verify(wire)
    assert caught.value.message.startswith(
        "The request signature we calculated does not match the signature you provided."
    )
    assert caught.value.code == "InvalidSignatureException" and caught.value.status == 403


def test_unknown_access_key_is_unrecognized_client(comprehend: Wire) -> None:
    with pytest.raises(UnrecognizedClient) as caught:
        verify(comprehend, credentials={"AKIDOTHER": SECRET})
    assert caught.value.message == "The security token included in the request is invalid."
    assert caught.value.code == "UnrecognizedClientException"


def test_no_authorization_header_is_missing_token(comprehend: Wire) -> None:
    with pytest.raises(MissingAuthenticationToken) as caught:
        verify(comprehend.with_header("Authorization", None))
    assert caught.value.code == "MissingAuthenticationTokenException"


@pytest.mark.parametrize(
    "authorization",
    [
        "garbage",
        "Bearer abc.def",
        "AWS4-HMAC-SHA1 Credential=AKIDEXAMPLE/20240101/us-east-1/comprehend/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 nonsense",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/comprehend/aws4_request, "
        "SignedHeaders=host;x-amz-date",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1, "
        "SignedHeaders=host;x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/comprehend/aws5_request, "
        "SignedHeaders=host;x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/comprehend/aws4_request, "
        "SignedHeaders=x-amz-date, Signature=00",
    ],
)
def test_malformed_authorization_is_incomplete_signature(
    comprehend: Wire, authorization: str
) -> None:
    with pytest.raises(IncompleteSignature) as caught:
        verify(comprehend.with_header("Authorization", authorization))
    assert caught.value.code == "IncompleteSignatureException" and caught.value.status == 400


@pytest.mark.parametrize("amz_date", [None, "2024-01-01T00:00:00Z", "20241301T000000Z"])
def test_missing_or_malformed_date_is_incomplete_signature(
    comprehend: Wire, amz_date: str | None
) -> None:
    with pytest.raises(IncompleteSignature):
        verify(comprehend.with_header("X-Amz-Date", amz_date), now=comprehend.signed_at)


def test_tampered_body_is_invalid_signature(comprehend: Wire) -> None:
    with pytest.raises(InvalidSignature):
        verify(replace(comprehend, body=comprehend.body.replace(b"love", b"hate")))


def test_tampered_signed_header_is_invalid_signature(comprehend: Wire) -> None:
    target = comprehend.headers["X-Amz-Target"].replace("DetectSentiment", "DetectEntities")
    with pytest.raises(InvalidSignature):
        verify(comprehend.with_header("X-Amz-Target", target))


def test_missing_signed_header_is_invalid_signature(comprehend: Wire) -> None:
    with pytest.raises(InvalidSignature):
        verify(comprehend.with_header("Content-Type", None))


def test_payload_hash_header_must_match_body() -> None:
    # The header is signed, so without a check a signature over one body would pass another.
    signed_body, sent_body = b'{"Text": "x"}', b'{"Text": "evil"}'
    headers = {"X-Amz-Content-SHA256": sha256(signed_body).hexdigest()}
    wire = to_wire(botocore_signed("POST", f"{ENDPOINT}/", body=signed_body, headers=headers))
    with pytest.raises(InvalidSignature, match="x-amz-content-sha256"):
        verify(replace(wire, body=sent_body))


def test_credential_scope_date_must_match_timestamp(comprehend: Wire) -> None:
    authorization = comprehend.headers["Authorization"]
    scope_date = comprehend.headers["X-Amz-Date"][:8]
    other_day = (comprehend.signed_at - timedelta(days=1)).strftime("%Y%m%d")
    forged = comprehend.with_header("Authorization", authorization.replace(scope_date, other_day))
    with pytest.raises(InvalidSignature, match="Date in Credential scope does not match"):
        verify(forged)


@pytest.mark.parametrize("minutes", [4, -4])
def test_clock_skew_within_limit_is_accepted(comprehend: Wire, minutes: int) -> None:
    assert verify(comprehend, now=comprehend.signed_at + timedelta(minutes=minutes))


def test_signature_older_than_limit_is_expired(comprehend: Wire) -> None:
    with pytest.raises(InvalidSignature, match=r"^Signature expired: \d{8}T\d{6}Z is now earlier"):
        verify(comprehend, now=comprehend.signed_at + timedelta(minutes=6))


def test_signature_from_the_future_is_refused(comprehend: Wire) -> None:
    with pytest.raises(InvalidSignature, match="^Signature not yet current"):
        verify(comprehend, now=comprehend.signed_at - timedelta(minutes=6))


def test_max_skew_is_configurable(comprehend: Wire) -> None:
    later = comprehend.signed_at + timedelta(minutes=4)
    with pytest.raises(InvalidSignature, match=r"- 3 min\.\)$"):
        verify(comprehend, now=later, max_skew=timedelta(minutes=3))


def test_default_clock_is_now() -> None:
    # Signed just now with the real clock, so verifying without `now` must pass.
    wire = to_wire(botocore_signed("POST", f"{ENDPOINT}/", body=b"{}"))
    assert verify_sigv4(
        method=wire.method,
        path=wire.path,
        query_string=wire.query_string,
        headers=wire.headers,
        body=wire.body,
        credentials=CREDENTIALS,
    ) == SigV4Identity(ACCESS_KEY, "us-east-1", "comprehend")
