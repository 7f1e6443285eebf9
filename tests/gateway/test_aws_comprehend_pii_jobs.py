"""Comprehend's PII detection jobs with real boto3, on the gateway's JobEngine, over a real S3 (moto);
and RedactPiiEntities, the per-document redaction those jobs run, on the REST door."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::000000000000:role/comprehend"
BUCKET = "pii-jobs"
LETTER = ("Dear Mr. Smith,\nPlease send the invoice to maria.garcia@example.org before Friday.\n"
          "Our card on file is 4111 1111 1111 1111.\n")
NOTES = "Meeting notes: nothing personal here.\n"


@pytest.fixture(scope="module")
def setup(start_gateway, s3_server, aws_client):
    gateway = start_gateway(s3_endpoint_url=s3_server.endpoint_url)
    s3 = s3_server.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="in/letter.txt", Body=LETTER.encode())
    s3.put_object(Bucket=BUCKET, Key="in/sub/notes.txt", Body=NOTES.encode())
    s3.put_object(Bucket=BUCKET, Key="bad/latin1.txt", Body="café".encode("latin-1"))
    return aws_client("comprehend", gateway.url), s3, gateway


def start(comprehend, mode: str, prefix: str = "in/", **extra) -> dict:
    return comprehend.start_pii_entities_detection_job(
        InputDataConfig={"S3Uri": f"s3://{BUCKET}/{prefix}", "InputFormat": "ONE_DOC_PER_FILE"},
        OutputDataConfig={"S3Uri": f"s3://{BUCKET}/out/"}, Mode=mode, DataAccessRoleArn=ROLE,
        LanguageCode="en", JobName=f"pii-{mode.lower()}", **extra)


def wait(comprehend, job_id: str) -> dict:
    for _ in range(600):
        job = comprehend.describe_pii_entities_detection_job(JobId=job_id)["PiiEntitiesDetectionJobProperties"]
        if job["JobStatus"] not in ("SUBMITTED", "IN_PROGRESS", "STOP_REQUESTED"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not end")


def read(s3, key: str) -> str:
    return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode()


def test_redaction_job_writes_redacted_copies_beside_the_input_layout(setup) -> None:
    comprehend, s3, _ = setup
    started = start(comprehend, "ONLY_REDACTION",
                    RedactionConfig={"PiiEntityTypes": ["EMAIL", "CREDIT_DEBIT_NUMBER"], "MaskMode": "MASK",
                                     "MaskCharacter": "#"})
    assert started["JobArn"].endswith(f"pii-entities-detection-job/{started['JobId']}")
    job = wait(comprehend, started["JobId"])
    assert job["JobStatus"] == "COMPLETED" and job["Mode"] == "ONLY_REDACTION"
    assert job["RedactionConfig"]["MaskCharacter"] == "#"
    folder = job["OutputDataConfig"]["S3Uri"].removeprefix(f"s3://{BUCKET}/")
    assert folder == f"out/000000000000-PII-{started['JobId']}/"
    redacted = read(s3, f"{folder}letter.txt.out")
    assert "maria.garcia@example.org" not in redacted and "4111" not in redacted
    assert "#" * len("maria.garcia@example.org") in redacted
    assert "Mr. Smith" in redacted  # NAME was not among the types asked for
    assert redacted.count("\n") == LETTER.count("\n")  # the document's lines stay where they were
    assert read(s3, f"{folder}sub/notes.txt.out") == NOTES
    manifest = [json.loads(line) for line in read(s3, f"{folder}manifest.jsonl").splitlines()]
    assert sorted(m["key"] for m in manifest) == ["letter.txt", "sub/notes.txt"]


def test_offsets_job_writes_entities_that_point_into_each_document(setup) -> None:
    comprehend, s3, _ = setup
    job = wait(comprehend, start(comprehend, "ONLY_OFFSETS")["JobId"])
    assert job["JobStatus"] == "COMPLETED"
    folder = job["OutputDataConfig"]["S3Uri"].removeprefix(f"s3://{BUCKET}/")
    entities = json.loads(read(s3, f"{folder}letter.txt.json"))["Entities"]
    found = {e["Type"]: LETTER[e["BeginOffset"]:e["EndOffset"]] for e in entities}
    assert found["EMAIL"] == "maria.garcia@example.org"
    assert found["CREDIT_DEBIT_NUMBER"] == "4111 1111 1111 1111"


def test_a_document_that_fails_is_reported_and_the_job_completes(setup) -> None:
    comprehend, _, _ = setup
    job = wait(comprehend, start(comprehend, "ONLY_OFFSETS", prefix="bad/")["JobId"])
    assert job["JobStatus"] == "COMPLETED"
    assert "1 of 1 documents failed" in job["Message"]


def test_list_filter_stop_idempotency_and_bad_requests(setup) -> None:
    comprehend, _, _ = setup
    first = start(comprehend, "ONLY_OFFSETS", ClientRequestToken="same")
    assert start(comprehend, "ONLY_OFFSETS", ClientRequestToken="same")["JobId"] == first["JobId"]
    wait(comprehend, first["JobId"])
    listed = comprehend.list_pii_entities_detection_jobs(Filter={"JobName": "pii-only_offsets"})
    assert first["JobId"] in [j["JobId"] for j in listed["PiiEntitiesDetectionJobPropertiesList"]]
    page = comprehend.list_pii_entities_detection_jobs(MaxResults=1)
    assert len(page["PiiEntitiesDetectionJobPropertiesList"]) == 1 and page["NextToken"]
    stopped = comprehend.stop_pii_entities_detection_job(JobId=first["JobId"])
    assert stopped["JobStatus"] == "COMPLETED"  # it had ended: stopping changes nothing
    with pytest.raises(ClientError) as missing:
        comprehend.describe_pii_entities_detection_job(JobId="0" * 32)
    assert missing.value.response["Error"]["Code"] == "JobNotFoundException"
    with pytest.raises(ClientError) as no_config:
        start(comprehend, "ONLY_REDACTION")
    assert no_config.value.response["Error"]["Code"] == "InvalidRequestException"
    with pytest.raises(ClientError) as per_line:
        comprehend.start_pii_entities_detection_job(
            InputDataConfig={"S3Uri": f"s3://{BUCKET}/in/", "InputFormat": "ONE_DOC_PER_LINE"},
            OutputDataConfig={"S3Uri": f"s3://{BUCKET}/out/"}, Mode="ONLY_OFFSETS", DataAccessRoleArn=ROLE,
            LanguageCode="en")
    assert per_line.value.response["Error"]["Code"] == "InvalidRequestException"


def test_redact_pii_entities_on_the_rest_door(setup) -> None:
    _, _, gateway = setup
    r = httpx.post(f"{gateway.url}/v1/comprehend/redact-pii-entities", timeout=60, json={
        "Text": LETTER, "LanguageCode": "en", "RedactionConfig": {"MaskMode": "REPLACE_WITH_PII_ENTITY_TYPE"}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert "[EMAIL]" in body["RedactedText"] and "[CREDIT_DEBIT_NUMBER]" in body["RedactedText"]
    assert {e["Type"] for e in body["Entities"]} >= {"EMAIL", "CREDIT_DEBIT_NUMBER"}
    bad = httpx.post(f"{gateway.url}/v1/comprehend/redact-pii-entities", timeout=60, json={
        "Text": LETTER, "LanguageCode": "en", "RedactionConfig": {"MaskMode": "MASK", "MaskCharacter": "##"}})
    assert bad.status_code == 400 and bad.json()["__type"] == "ValidationException"
