"""Comprehend DetectPiiEntities / ContainsPiiEntities in process, through boto3 and through REST."""

from __future__ import annotations

import httpx
import pytest
from botocore.exceptions import ClientError

from core.errors import TextSizeLimitExceeded, UnsupportedLanguage
from nlp import Comprehend

NOTE = ("Patient Maria Gonzalez (DOB 03/14/1962) was seen on 2024-05-02. "
        "Contact: maria.gonzalez@example.org, phone 415-555-0132. SSN 219-09-9999.")


def _found(entities, text: str) -> set[tuple[str, str]]:
    return {(e["Type"], text[e["BeginOffset"]:e["EndOffset"]]) for e in entities}


def test_in_process_offsets_and_types() -> None:
    result = Comprehend().detect_pii_entities(NOTE, language_code="en")
    found = _found([e.model_dump() for e in result.Entities], NOTE)
    assert {("NAME", "Maria Gonzalez"), ("EMAIL", "maria.gonzalez@example.org"), ("PHONE", "415-555-0132"),
            ("SSN", "219-09-9999")} <= found
    assert any(t == "DATE_TIME" for t, _ in found)
    offsets = [(e.BeginOffset, e.EndOffset) for e in result.Entities]
    assert offsets == sorted(offsets)
    assert all(0 < e.Score <= 1 for e in result.Entities)


def test_in_process_contains_and_bad_input() -> None:
    comprehend = Comprehend()
    labels = {label.Name for label in comprehend.contains_pii_entities(NOTE, language_code="en").Labels}
    assert {"NAME", "EMAIL", "PHONE", "SSN"} <= labels
    assert comprehend.contains_pii_entities("The weather is lovely today.", language_code="en").Labels == []
    with pytest.raises(UnsupportedLanguage):
        comprehend.detect_pii_entities("Hola María", language_code="es")
    with pytest.raises(TextSizeLimitExceeded):
        comprehend.detect_pii_entities("a" * 100_001, language_code="en")


def test_through_boto3(gateway, aws_client) -> None:
    client = aws_client("comprehend", gateway.url)
    entities = client.detect_pii_entities(Text=NOTE, LanguageCode="en")["Entities"]
    assert ("SSN", "219-09-9999") in _found(entities, NOTE)
    labels = client.contains_pii_entities(Text=NOTE, LanguageCode="en")["Labels"]
    assert "EMAIL" in {label["Name"] for label in labels}
    with pytest.raises(ClientError) as excinfo:
        client.detect_pii_entities(Text="Hallo", LanguageCode="de")
    assert excinfo.value.response["Error"]["Code"] == "UnsupportedLanguageException"


def test_through_rest(gateway) -> None:
    r = httpx.post(f"{gateway.url}/v1/comprehend/detect-pii-entities", json={"Text": NOTE, "LanguageCode": "en"})
    assert r.status_code == 200, r.text
    assert ("EMAIL", "maria.gonzalez@example.org") in _found(r.json()["Entities"], NOTE)
