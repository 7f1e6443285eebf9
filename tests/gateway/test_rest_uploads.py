"""File uploads on the REST door: multipart/form-data requests stand for the JSON request they carry."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from tests.conftest import API_KEY

TEXT = "The library opens at nine in the morning."


@pytest.fixture(scope="module")
def http(gateway) -> httpx.Client:
    with httpx.Client(base_url=gateway.url, timeout=60) as client:
        yield client


def _translated(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return base64.b64decode(response.json()["TranslatedDocument"]["Content"]).decode()


def test_file_part_fills_the_blob_member_and_text_parts_the_rest(http: httpx.Client) -> None:
    form = {"Document.ContentType": "text/plain", "SourceLanguageCode": "en", "TargetLanguageCode": "pt"}
    uploaded = http.post("/v1/translate/translate-document", data=form,
                         files={"Document.Content": ("note.txt", TEXT.encode(), "text/plain")})
    as_json = http.post("/v1/translate/translate-document", json={
        "Document": {"Content": base64.b64encode(TEXT.encode()).decode(), "ContentType": "text/plain"},
        "SourceLanguageCode": "en", "TargetLanguageCode": "pt"})
    translated = _translated(uploaded)
    assert "biblioteca" in translated.lower()
    assert translated == _translated(as_json)


def test_request_part_carries_the_json_members(http: httpx.Client) -> None:
    request = {"Document": {"ContentType": "text/plain"}, "SourceLanguageCode": "en", "TargetLanguageCode": "pt"}
    r = http.post("/v1/translate/translate-document", data={"request": json.dumps(request)},
                  files={"Document.Content": ("note.txt", TEXT.encode())})
    assert "biblioteca" in _translated(r).lower()


@pytest.mark.parametrize(("data", "fragment"), [
    ({"request": "{not json"}, "not JSON"),
    ({"request": "[1, 2]"}, "JSON object"),
    ({"Document..ContentType": "text/plain"}, "dotted member path"),
    ({"SourceLanguageCode": "en", "SourceLanguageCode.x": "y"}, "does not fit"),
])
def test_malformed_forms_are_told_apart_in_the_error_shape(http: httpx.Client, data: dict, fragment: str) -> None:
    r = http.post("/v1/translate/translate-document", data=data, files={"Document.Content": ("a.txt", b"hi")})
    assert r.status_code == 400, r.text
    assert r.json()["__type"] == "ValidationException"
    assert fragment in r.json()["message"]


def test_missing_members_are_a_validation_error(http: httpx.Client) -> None:
    r = http.post("/v1/translate/translate-document", files={"Document.Content": ("a.txt", b"hi")})
    assert r.status_code == 400
    assert r.json()["__type"] == "ValidationException"
    assert "SourceLanguageCode" in r.json()["message"]


def test_an_upload_over_the_body_limit_is_refused_whole(secured_gateway) -> None:
    big = b"x" * (300 * 1024)  # the secured gateway takes 256 KiB
    r = httpx.post(f"{secured_gateway.url}/v1/translate/translate-document", headers={"X-Api-Key": API_KEY},
                   data={"SourceLanguageCode": "en", "TargetLanguageCode": "pt"},
                   files={"Document.Content": ("big.txt", big)})
    assert r.status_code == 413
    assert r.json()["__type"] == "RequestEntityTooLargeException"


def test_openapi_offers_the_form_for_operations_that_take_files(http: httpx.Client) -> None:
    paths = http.get("/openapi.json").json()["paths"]
    body = paths["/v1/translate/translate-document"]["post"]["requestBody"]["content"]
    assert "application/json" in body
    assert body["multipart/form-data"]["schema"]["properties"]["Document.Content"]["format"] == "binary"
    assert "multipart/form-data" not in paths["/v1/comprehend/detect-sentiment"]["post"]["requestBody"]["content"]


def test_documents_and_images_upload_to_their_services(http: httpx.Client) -> None:
    from tests.documents.textract_pages import encode, text_page

    page = encode(text_page(["The quick brown fox jumps over the lazy dog."], title="Upload")[0])
    textract = http.post("/v1/textract/detect-document-text", files={"Document.Bytes": ("page.png", page)})
    assert textract.status_code == 200, textract.text
    lines = [b["Text"] for b in textract.json()["Blocks"] if b["BlockType"] == "LINE"]
    assert any("quick brown fox" in line for line in lines), lines
    rekognition = http.post("/v1/rekognition/detect-text", files={"Image.Bytes": ("page.png", page)})
    assert rekognition.status_code == 200, rekognition.text
    assert any("quick brown fox" in d["DetectedText"] for d in rekognition.json()["TextDetections"])
    corrupt = http.post("/v1/textract/detect-document-text", files={"Document.Bytes": ("page.png", b"\x89PNG broken")})
    assert corrupt.status_code == 400 and corrupt.json()["__type"] in ("UnsupportedDocumentException",
                                                                        "BadDocumentException")
