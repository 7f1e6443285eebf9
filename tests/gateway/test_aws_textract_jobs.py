"""Textract's asynchronous operations with real boto3, on the gateway's JobEngine, over a real S3 (moto):
the job as an engine job with its manifest, Start-time errors, a restart resuming a job, a document
deleted after Start, and PII redaction of the blocks. Born-digital PDFs: their text layer is read
exactly and without OCR, so the content can be asserted word for word."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from botocore.exceptions import ClientError

from core.model_registry import ModelRegistry
from core.settings import Settings
from documents import Textract
from gateway.jobs.aws_adapters import with_job_operations
from tests.documents.textract_pages import digital_pdf
from tests.gateway.aws_jobs_testing import attach_stopped_engine, resume_after_restart, wait_for_job

BUCKET = "textract-jobs"
LETTER = ["Dear Maria Garcia,", "Please write to maria.garcia@example.org about the invoice."]
INVOICE = ["Invoice Number: INV-7", "Total: 12.50"]


def lines(blocks: list[dict]) -> list[str]:
    return [b["Text"] for b in blocks if b["BlockType"] == "LINE"]


def location(name: str) -> dict:
    return {"S3Object": {"Bucket": BUCKET, "Name": name}}


@pytest.fixture(scope="module")
def s3(s3_server):
    s3 = s3_server.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="letter.pdf", Body=digital_pdf([LETTER, ["Page two"]]))
    s3.put_object(Bucket=BUCKET, Key="invoice.pdf", Body=digital_pdf([INVOICE]))
    s3.put_object(Bucket=BUCKET, Key="notes.txt", Body=b"just text")
    return s3


@pytest.fixture(scope="module")
def gateway(start_gateway, s3_server, s3):
    return start_gateway(s3_endpoint_url=s3_server.endpoint_url)


def test_job_is_an_engine_job_with_its_output_file_and_manifest(gateway, s3, aws_client) -> None:
    textract = aws_client("textract", gateway.url)
    request = {"DocumentLocation": location("letter.pdf"), "OutputConfig": {"S3Bucket": BUCKET, "S3Prefix": "out/"},
               "ClientRequestToken": "letter-1", "JobTag": "letters"}
    job_id = textract.start_document_text_detection(**request)["JobId"]
    assert textract.start_document_text_detection(**request)["JobId"] == job_id  # the same token, the same job
    with pytest.raises(ClientError) as reused:
        textract.start_document_text_detection(**{**request, "DocumentLocation": location("invoice.pdf")})
    assert reused.value.response["Error"]["Code"] == "IdempotentParameterMismatchException"
    done = wait_for_job(textract.get_document_text_detection, job_id)
    assert done["JobStatus"] == "SUCCEEDED" and done["DocumentMetadata"]["Pages"] == 2
    assert lines(done["Blocks"]) == [*LETTER, "Page two"]
    assert done["DetectDocumentTextModelVersion"] == "1.0"

    written = json.loads(s3.get_object(Bucket=BUCKET, Key=f"out/{job_id}/1")["Body"].read())
    assert written["Blocks"] == done["Blocks"] and written["DocumentMetadata"] == {"Pages": 2}
    manifest = s3.get_object(Bucket=BUCKET, Key=f"out/{job_id}/manifest.jsonl")["Body"].read().decode()
    assert [json.loads(line) for line in manifest.splitlines()] == [
        {"key": "1", "status": "SUCCEEDED", "output_key": f"s3://{BUCKET}/out/{job_id}/1", "error": None}]
    listed = httpx.get(f"{gateway.url}/v1/jobs", params={"max_results": 500}).json()["jobs"]
    engine_job = next(job for job in listed if job["job_id"] == job_id)
    assert engine_job["operation"] == "textract.AnalyzeDocumentPages"
    assert engine_job["input"] == f"s3://{BUCKET}/letter.pdf" and engine_job["state"] == "COMPLETED"
    assert (engine_job["done"], engine_job["failed"]) == (1, 0)


def test_analysis_without_output_config_writes_under_the_data_dir(gateway, aws_client) -> None:
    textract = aws_client("textract", gateway.url)
    job_id = textract.start_document_analysis(
        DocumentLocation=location("invoice.pdf"), FeatureTypes=["QUERIES"],
        QueriesConfig={"Queries": [{"Text": "What is the total?"}]})["JobId"]
    done = wait_for_job(textract.get_document_analysis, job_id)
    assert done["JobStatus"] == "SUCCEEDED", done.get("StatusMessage")
    assert [b["Text"] for b in done["Blocks"] if b["BlockType"] == "QUERY_RESULT"] == ["12.50"]
    stored = json.loads((gateway.settings.data_dir / "textract" / "results" / job_id / "1").read_text())
    assert stored["Blocks"] == done["Blocks"]
    with pytest.raises(ClientError) as bad_token:
        textract.get_document_analysis(JobId=job_id, NextToken="not-a-token")
    assert bad_token.value.response["Error"]["Code"] == "InvalidParameterException"
    with pytest.raises(ClientError) as other_kind:
        textract.get_document_text_detection(JobId=job_id)
    assert other_kind.value.response["Error"]["Code"] == "InvalidJobIdException"


@pytest.mark.parametrize(("name", "extra", "code"), [
    ("missing.pdf", {}, "InvalidS3ObjectException"),
    ("notes.txt", {}, "UnsupportedDocumentException"),
    ("invoice.pdf", {"FeatureTypes": ["QUERIES"]}, "InvalidParameterException"),  # QUERIES needs QueriesConfig
])
def test_bad_documents_and_features_are_refused_at_start(gateway, aws_client, name, extra, code) -> None:
    textract = aws_client("textract", gateway.url)
    with pytest.raises(ClientError) as refused:
        if extra:
            textract.start_document_analysis(DocumentLocation=location(name), **extra)
        else:
            textract.start_document_text_detection(DocumentLocation=location(name))
    assert refused.value.response["Error"]["Code"] == code
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_restart_resumes_jobs_and_a_document_deleted_after_start_fails_its_job(tmp_path: Path, s3_server,
                                                                                  s3) -> None:
    settings = Settings(data_dir=tmp_path, s3_endpoint_url=s3_server.endpoint_url)
    textract = with_job_operations(Textract)(ModelRegistry(settings))
    attach_stopped_engine(settings, textract)
    s3.put_object(Bucket=BUCKET, Key="doomed.pdf", Body=digital_pdf([INVOICE]))
    kept = textract.start_document_text_detection(document_location=location("letter.pdf")).JobId
    doomed = textract.start_document_analysis(document_location=location("doomed.pdf"),
                                              feature_types=["LAYOUT"]).JobId
    assert textract.get_document_text_detection(job_id=kept).JobStatus == "IN_PROGRESS"
    s3.delete_object(Bucket=BUCKET, Key="doomed.pdf")

    resume_after_restart(settings, textract, [kept, doomed], timeout=60)
    done = textract.get_document_text_detection(job_id=kept)
    assert done.JobStatus == "SUCCEEDED" and done.DocumentMetadata.Pages == 2
    assert [b.Text for b in done.Blocks if b.BlockType == "LINE"] == [*LETTER, "Page two"]
    assert (tmp_path / "textract" / "results" / kept / "1").is_file()
    failed = textract.get_document_analysis(job_id=doomed)
    assert failed.JobStatus == "FAILED" and failed.Blocks is None
    assert failed.StatusMessage == f"No object at s3://{BUCKET}/doomed.pdf."


def test_blocks_are_redacted_by_the_job_when_the_settings_ask(start_gateway, s3_server, s3, gateway,
                                                              aws_client) -> None:
    # Only the per-document operation is routed: what Get answers was redacted by the job, at rest.
    enforced = start_gateway(s3_endpoint_url=s3_server.endpoint_url,
                             pii_redaction={"routes": ["textract.AnalyzeDocumentPages"], "mode": "type"})
    textract = aws_client("textract", enforced.url)
    job_id = textract.start_document_text_detection(
        DocumentLocation=location("letter.pdf"), OutputConfig={"S3Bucket": BUCKET, "S3Prefix": "redacted"})["JobId"]
    done = wait_for_job(textract.get_document_text_detection, job_id)
    texts = [b["Text"] for b in done["Blocks"] if "Text" in b]
    assert texts and not [t for t in texts if "maria.garcia" in t.lower()]
    assert any("[EMAIL]" in t for t in texts)
    written = s3.get_object(Bucket=BUCKET, Key=f"redacted/{job_id}/1")["Body"].read().decode()
    assert "maria.garcia@example.org" not in written

    # A job that did not redact: a client asks for it when it reads the blocks, as of any operation.
    plain = aws_client("textract", gateway.url)
    job_id = plain.start_document_text_detection(DocumentLocation=location("letter.pdf"))["JobId"]
    assert "maria.garcia@example.org" in lines(wait_for_job(plain.get_document_text_detection, job_id)["Blocks"])[1]
    asked = httpx.post(f"{gateway.url}/v1/textract/get-document-text-detection", json={"JobId": job_id},
                       headers={"X-Pii-Redaction": "EMAIL", "X-Pii-Redaction-Mode": "type"}, timeout=60)
    assert asked.status_code == 200, asked.text
    assert lines(asked.json()["Blocks"])[1] == "Please write to [EMAIL] about the invoice."
