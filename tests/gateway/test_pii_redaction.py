"""PII redaction on every door (REST, AWS with real boto3, the SDK), on real models and servers."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError
from pydantic import BaseModel

from core.service import Operation, Service, Shape, operation
from core.text_fields import slots
from gateway.catalog import ServiceCatalog
from gateway.client import Client
from nlp import Comprehend, Translate
from nlp.pii import PiiDetector, pii_entity_types
from documents import Textract
from vision import Rekognition

TEXT = ("Hi, I'm Maria Garcia. Email me at maria.garcia@example.com or call 415-555-0132 after 6pm. "
        "The new office in the city centre is lovely.")
# The values and pieces of them that must never come back once redacted (a token of a phone
# number, a surname alone).
PII = ["Maria", "Garcia", "maria.garcia@example.com", "415", "555-0132", "0132"]
HTML = (f"<html><body><h1>Contact</h1><p>{TEXT.replace('Maria Garcia', '<b>Maria Garcia</b>')}</p>"
        f'<img src="x.png" alt="Photo of Maria Garcia"></body></html>')
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TRANSLATE_PAIR = {"SourceLanguageCode": "en", "TargetLanguageCode": "es"}



def rendered(text: str) -> bytes:
    """`text` as a PNG, as a scan or a photo of a note would carry it: black on white, a few lines."""
    import io
    import textwrap
    from pathlib import Path

    import matplotlib
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts/ttf/DejaVuSans.ttf"), 30)
    lines = textwrap.wrap(text, 48)
    image = Image.new("RGB", (1000, 60 + 48 * len(lines)), "white")
    for row, line in enumerate(lines):
        ImageDraw.Draw(image).text((30, 30 + 48 * row), line, fill="black", font=font)
    encoded = io.BytesIO()
    image.save(encoded, format="PNG")
    return encoded.getvalue()


# operation -> request members: every operation that returns text today.
CASES: dict[str, tuple[type[Service], str, dict[str, Any]]] = {
    "DetectEntities": (Comprehend, "DetectEntities", {"Text": TEXT, "LanguageCode": "en"}),
    "DetectKeyPhrases": (Comprehend, "DetectKeyPhrases", {"Text": TEXT, "LanguageCode": "en"}),
    "DetectSyntax": (Comprehend, "DetectSyntax", {"Text": TEXT, "LanguageCode": "en"}),
    "DetectTargetedSentiment": (Comprehend, "DetectTargetedSentiment", {"Text": TEXT, "LanguageCode": "en"}),
    "BatchDetectSyntax": (Comprehend, "BatchDetectSyntax", {"TextList": [TEXT, "Call Maria Garcia."],
                                                            "LanguageCode": "en"}),
    "TranslateText": (Translate, "TranslateText", {"Text": TEXT, **TRANSLATE_PAIR}),
    "TranslateDocument-plain": (Translate, "TranslateDocument", {
        "Document": {"Content": TEXT.encode(), "ContentType": "text/plain"}, **TRANSLATE_PAIR}),
    "TranslateDocument-html": (Translate, "TranslateDocument", {
        "Document": {"Content": HTML.encode(), "ContentType": "text/html"}, **TRANSLATE_PAIR}),
    # OCR: LINE texts, and WORD texts that repeat them a word at a time.
    "DetectText": (Rekognition, "DetectText", {"Image": {"Bytes": rendered(TEXT)}}),
    "DetectDocumentText": (Textract, "DetectDocumentText", {"Document": {"Bytes": rendered(TEXT)}}),
}


def texts_out(op: Operation, response: BaseModel) -> list[str]:
    """The response's declared texts, documents decoded."""
    values = [slot.get() for path in op.text.response for slot in slots(response, path)]
    return [v.decode() if isinstance(v, bytes) else v for v in values]


def leaked(texts: list[str]) -> list[str]:
    joined = "\n".join(texts)
    return [value for value in PII if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", joined)]


# --- the three doors, each answering (response model, X-Pii-Redacted header or None) ---------------

def call_rest(url: str, service: type[Service], op: Operation, members: dict, headers: dict) -> tuple:
    body = op.request.model_validate(members).model_dump_json(exclude_none=True)
    r = httpx.post(f"{url}/v1/{service.name}/{op.slug}", content=body, timeout=60,
                   headers={"Content-Type": "application/json", **headers})
    assert r.status_code == 200, r.text
    return op.response.model_validate_json(r.content), r.headers.get("x-pii-redacted")


def boto(aws_client, url: str, service: str, headers: dict) -> Any:
    client = aws_client(service, url)

    def add_headers(request, **kwargs) -> None:  # before signing, so SigV4 covers them
        for name, value in headers.items():
            request.headers[name] = value

    client.meta.events.register(f"before-sign.{service}.*", add_headers)
    return client


def call_aws(aws_client, url: str, service: type[Service], op: Operation, members: dict, headers: dict) -> tuple:
    answer = getattr(boto(aws_client, url, service.name, headers), op.method)(**members)
    return op.response.model_validate(answer), answer["ResponseMetadata"]["HTTPHeaders"].get("x-pii-redacted")


def call_sdk(url: str, service: type[Service], op: Operation, members: dict, headers: dict) -> tuple:
    assert not headers, "the SDK sends no extra headers: its redaction comes from the server's settings"
    with Client(url) as client:
        return getattr(getattr(client, service.name), op.method)(**members), None


@pytest.fixture(scope="session", autouse=True)
def detector_loaded() -> None:
    PiiDetector().detect("warm up")  # load once, not inside the first timed request


@pytest.fixture(scope="module")
def enforced(start_gateway):
    """Redaction enforced by settings on every text operation, type mode: no header needed."""
    return start_gateway(pii_redaction={"routes": ["comprehend.*", "translate.*", "rekognition.*",
                                                          "textract.*"], "mode": "type"})


@pytest.fixture(scope="module")
def some_routes(start_gateway):
    return start_gateway(pii_redaction={"routes": ["comprehend.DetectEntities", "translate.*"]})


def resolve(case: str) -> tuple[type[Service], Operation, dict]:
    service, name, members = CASES[case]
    return service, service.operations()[name], members


@pytest.mark.parametrize("case", CASES)
def test_off_by_default(gateway, case: str) -> None:
    service, op, members = resolve(case)
    response, header = call_rest(gateway.url, service, op, members, {})
    assert header is None
    assert leaked(texts_out(op, response)), "the unredacted answer should quote some PII, or the case tests nothing"


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("door", ["rest", "aws"])
def test_every_text_operation_on_header_request(gateway, aws_client, door: str, case: str) -> None:
    service, op, members = resolve(case)
    headers = {"X-Pii-Redaction": "ALL", "X-Pii-Redaction-Mode": "type"}
    if door == "rest":
        response, header = call_rest(gateway.url, service, op, members, headers)
    else:
        response, header = call_aws(aws_client, gateway.url, service, op, members, headers)
    texts = texts_out(op, response)
    assert not leaked(texts), texts
    assert any("[NAME]" in t or "[EMAIL]" in t or "[PHONE]" in t for t in texts), texts
    counts = dict(item.split("=") for item in header.split(","))
    assert counts and set(counts) <= pii_entity_types() and all(int(n) >= 1 for n in counts.values()), header


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("door", ["rest", "aws", "sdk"])
def test_every_text_operation_enforced_by_settings(enforced, aws_client, door: str, case: str) -> None:
    service, op, members = resolve(case)
    if door == "rest":
        response, header = call_rest(enforced.url, service, op, members, {})
    elif door == "aws":
        response, header = call_aws(aws_client, enforced.url, service, op, members, {})
    else:
        response, header = call_sdk(enforced.url, service, op, members, {})
    texts = texts_out(op, response)
    assert not leaked(texts), texts
    assert door == "sdk" or "NAME=" in header


def test_modes(gateway) -> None:
    service, op, members = resolve("TranslateText")
    redacted = {}
    for mode in ("mask", "type", "hash"):
        response, _ = call_rest(gateway.url, service, op, members, {"X-Pii-Redaction": "EMAIL",
                                                                     "X-Pii-Redaction-Mode": mode})
        redacted[mode] = response.TranslatedText
    assert "*" * len("maria.garcia@example.com") in redacted["mask"]
    assert "[EMAIL]" in redacted["type"]
    token = re.search(r"\b[0-9a-f]{12}\b", redacted["hash"])
    assert token, redacted["hash"]
    again, _ = call_rest(gateway.url, service, op, members, {"X-Pii-Redaction": "EMAIL", "X-Pii-Redaction-Mode": "hash"})
    assert token[0] in again.TranslatedText, "one value, one token: joins on hashed values keep working"


def test_types_filter_and_counts_header(gateway, aws_client) -> None:
    service, op, members = resolve("DetectEntities")
    response, header = call_aws(aws_client, gateway.url, service, op, members, {"X-Pii-Redaction": "email, phone"})
    texts = texts_out(op, response)
    assert "Maria Garcia" in texts, "NAME was not asked for"
    assert not leaked([t for t in texts if t != "Maria Garcia"]), texts
    assert header == "PHONE=1" or header.startswith("PHONE="), header  # the entity quoting the phone number


def test_request_scope_hides_pii_from_the_engine(gateway, aws_client) -> None:
    comprehend = boto(aws_client, gateway.url, "comprehend",
                      {"X-Pii-Redaction": "ALL", "X-Pii-Redaction-Scope": "request"})
    answer = comprehend.detect_pii_entities(Text=TEXT, LanguageCode="en")
    assert answer["Entities"] == []
    counts = answer["ResponseMetadata"]["HTTPHeaders"]["x-pii-redacted"]
    assert {"NAME", "EMAIL", "PHONE"} <= {item.split("=")[0] for item in counts.split(",")}
    plain = aws_client("comprehend", gateway.url).detect_pii_entities(Text=TEXT, LanguageCode="en")
    assert {e["Type"] for e in plain["Entities"]} >= {"NAME", "EMAIL", "PHONE"}
    assert "x-pii-redacted" not in plain["ResponseMetadata"]["HTTPHeaders"]


def test_nothing_found_is_an_empty_header(gateway) -> None:
    service, op, _ = resolve("DetectEntities")
    _, header = call_rest(gateway.url, service, op, {"Text": "The weather is lovely today.", "LanguageCode": "en"},
                          {"X-Pii-Redaction": "ALL"})
    assert header == ""


def test_settings_policy_is_per_route_and_headers_cannot_narrow_it(some_routes) -> None:
    service, op, members = resolve("DetectEntities")
    response, header = call_rest(some_routes.url, service, op, members, {})
    assert not leaked(texts_out(op, response)) and header
    # A client asking for less (EMAIL only) still gets what the settings enforce (ALL).
    response, _ = call_rest(some_routes.url, service, op, members, {"X-Pii-Redaction": "EMAIL"})
    assert not leaked(texts_out(op, response))
    service, op, members = resolve("DetectKeyPhrases")  # not an enforced route
    response, header = call_rest(some_routes.url, service, op, members, {})
    assert leaked(texts_out(op, response)) and header is None


@pytest.mark.parametrize(("headers", "fragment"), [
    ({"X-Pii-Redaction": "NAME,SHOE_SIZE"}, "SHOE_SIZE"),
    ({"X-Pii-Redaction": ","}, "names no PII type"),
    ({"X-Pii-Redaction": "ALL", "X-Pii-Redaction-Mode": "blur"}, "X-Pii-Redaction-Mode"),
    ({"X-Pii-Redaction-Scope": "everything"}, "X-Pii-Redaction-Scope"),
])
def test_bad_headers_are_a_validation_error(gateway, aws_client, headers: dict, fragment: str) -> None:
    r = httpx.post(f"{gateway.url}/v1/comprehend/detect-entities", json={"Text": TEXT, "LanguageCode": "en"},
                   headers=headers)
    assert r.status_code == 400 and r.json()["__type"] == "ValidationException" and fragment in r.json()["message"]
    with pytest.raises(ClientError) as excinfo:
        boto(aws_client, gateway.url, "comprehend", headers).detect_entities(Text=TEXT, LanguageCode="en")
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_docx_is_refused_rather_than_passed_through(gateway, aws_client) -> None:
    translate = boto(aws_client, gateway.url, "translate", {"X-Pii-Redaction": "ALL"})
    with pytest.raises(ClientError) as excinfo:
        translate.translate_document(Document={"Content": b"PK\x03\x04", "ContentType": DOCX}, **TRANSLATE_PAIR)
    assert excinfo.value.response["Error"]["Code"] == "InvalidRequestException"
    assert "text/plain and text/html" in excinfo.value.response["Error"]["Message"]


# --- logs ---------------------------------------------------------------------------------------

class SentimentRequest(Shape):
    Text: str
    LanguageCode: str


class SentimentResponse(Shape):
    Sentiment: str


class Exploding(Service):
    """Comprehend's DetectSentiment with a bug whose message quotes the input, as real bugs do."""

    name = "comprehend"

    @operation(text_in=("Text",))
    def detect_sentiment(self, request: SentimentRequest) -> SentimentResponse:
        raise RuntimeError(f"cannot score {request.Text!r}")


CLIENT_LOGGERS = ("botocore", "boto3", "urllib3", "httpx", "httpcore", "s3transfer")
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def test_no_pii_in_the_gateway_logs_at_debug(start_gateway, aws_client, caplog: pytest.LogCaptureFixture) -> None:
    normal = start_gateway(pii_redaction={"routes": ["translate.*"]})
    exploding = start_gateway(catalog=ServiceCatalog([Exploding()]))
    caplog.set_level(logging.DEBUG)
    # uvicorn's loggers do not propagate to the root logger that caplog listens on.
    server_loggers = [logging.getLogger(name) for name in SERVER_LOGGERS]
    saved = [(lg.level, lg.handlers[:]) for lg in server_loggers]
    for lg in server_loggers:
        lg.setLevel(logging.DEBUG)
        lg.addHandler(caplog.handler)
    try:
        pii_headers = {"X-Pii-Redaction": "ALL", "X-Pii-Redaction-Scope": "both"}
        for case in ("DetectEntities", "TranslateText", "TranslateDocument-html"):
            service, op, members = resolve(case)
            call_rest(normal.url, service, op, members, pii_headers)
            call_aws(aws_client, normal.url, service, op, members, {})
        # Errors whose messages quote the input: a validation error, a bad header, two bugs.
        httpx.post(f"{normal.url}/v1/comprehend/detect-entities", json={"Text": TEXT, "LanguageCode": TEXT})
        httpx.post(f"{normal.url}/v1/comprehend/detect-entities", json={"Text": TEXT, "LanguageCode": "en"},
                   headers={"X-Pii-Redaction": "maria.garcia@example.com"})
        r = httpx.post(f"{exploding.url}/v1/comprehend/detect-sentiment", json={"Text": TEXT, "LanguageCode": "en"})
        assert r.status_code == 500 and r.json()["__type"] == "InternalServerException"
        with pytest.raises(ClientError):
            aws_client("comprehend", exploding.url).detect_sentiment(Text=TEXT, LanguageCode="en")
    finally:
        for lg, (level, handlers) in zip(server_loggers, saved):
            lg.setLevel(level)
            lg.handlers[:] = handlers
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    gateway_records = [r for r in caplog.records if not r.name.startswith(CLIENT_LOGGERS)]
    logged = "\n".join(formatter.format(r) for r in gateway_records)
    assert "RuntimeError" in logged, "the bug is logged (without its message)"
    assert any(r.name.startswith("uvicorn") for r in gateway_records), "the server's own logs are captured too"
    assert not leaked([logged]), logged


def test_search_excerpts_and_passages_are_redacted(gateway, aws_client) -> None:
    """Kendra quotes indexed documents back: its excerpts, titles and passages go through redaction."""
    kendra = aws_client("kendra", gateway.url)
    index = kendra.create_index(Name="pii-search", RoleArn="arn:aws:iam::000000000000:role/kendra")["Id"]
    for _ in range(600):
        if kendra.describe_index(Id=index)["Status"] == "ACTIVE":
            break
        time.sleep(0.1)
    kendra.batch_put_document(IndexId=index, Documents=[{
        "Id": "contact", "Title": "Contact details of Maria Garcia", "ContentType": "PLAIN_TEXT",
        "Blob": TEXT.encode()}])
    redacting = boto(aws_client, gateway.url, "kendra", {"X-Pii-Redaction": "ALL", "X-Pii-Redaction-Mode": "type"})
    plain = kendra.query(IndexId=index, QueryText="how do I email the new office")
    assert leaked([json.dumps(item) for item in plain["ResultItems"]]), "the unredacted answer quotes the document"
    for answer in (redacting.query(IndexId=index, QueryText="how do I email the new office"),
                   redacting.retrieve(IndexId=index, QueryText="how do I email the new office")):
        texts = [json.dumps(item) for item in answer["ResultItems"]]
        assert texts and not leaked(texts), texts
        assert "[EMAIL]" in "".join(texts) or "[NAME]" in "".join(texts)
