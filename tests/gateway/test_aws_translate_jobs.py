"""Translate's batch translation jobs with real boto3, on the gateway's JobEngine, over a real S3 (moto)."""

from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::000000000000:role/translate"
DOCS = {"a.txt": "Good morning.", "b.txt": "The house is big."}


@pytest.fixture(scope="module")
def setup(start_gateway, s3_server, aws_client):
    gateway = start_gateway(s3_endpoint_url=s3_server.endpoint_url)
    s3 = s3_server.client()
    s3.create_bucket(Bucket="translate-jobs")
    for key, text in DOCS.items():
        s3.put_object(Bucket="translate-jobs", Key=f"in/{key}", Body=text.encode())
    s3.put_object(Bucket="translate-jobs", Key="html/page.html", Body=b"<html><body><p>Good morning.</p></body></html>")
    return aws_client("translate", gateway.url), s3


def start(translate, prefix: str = "in/", content_type: str = "text/plain", **extra):
    return translate.start_text_translation_job(
        JobName="nightly", InputDataConfig={"S3Uri": f"s3://translate-jobs/{prefix}", "ContentType": content_type},
        OutputDataConfig={"S3Uri": "s3://translate-jobs/out/"}, DataAccessRoleArn=ROLE, SourceLanguageCode="en",
        TargetLanguageCodes=["es"], **extra)


def wait(translate, job_id: str) -> dict:
    for _ in range(600):
        job = translate.describe_text_translation_job(JobId=job_id)["TextTranslationJobProperties"]
        if job["JobStatus"] not in ("SUBMITTED", "IN_PROGRESS", "STOP_REQUESTED"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not end")


def test_start_describe_outputs_and_list(setup) -> None:
    translate, s3 = setup
    started = start(translate)
    assert started["JobStatus"] in ("SUBMITTED", "IN_PROGRESS")
    job = wait(translate, started["JobId"])
    assert job["JobStatus"] == "COMPLETED" and job["JobName"] == "nightly"
    assert job["JobDetails"] == {"TranslatedDocumentsCount": 2, "DocumentsWithErrorsCount": 0,
                                 "InputDocumentsCount": 2}
    assert job["TargetLanguageCodes"] == ["es"] and job["EndTime"] >= job["SubmittedTime"]
    folder = f"out/000000000000-TranslateText-{started['JobId']}/"
    assert job["OutputDataConfig"]["S3Uri"] == f"s3://translate-jobs/{folder}"
    result = json.loads(s3.get_object(Bucket="translate-jobs", Key=f"{folder}a.txt.json")["Body"].read())
    assert result["TranslatedText"].lower().startswith("buen")
    listed = translate.list_text_translation_jobs(Filter={"JobName": "nightly", "JobStatus": "COMPLETED"})
    assert started["JobId"] in [j["JobId"] for j in listed["TextTranslationJobPropertiesList"]]
    assert translate.list_text_translation_jobs(Filter={"JobName": "other"})["TextTranslationJobPropertiesList"] == []


def test_html_runs_translate_document(setup) -> None:
    translate, s3 = setup
    job = wait(translate, start(translate, "html/", "text/html")["JobId"])
    assert job["JobDetails"]["TranslatedDocumentsCount"] == 1
    folder = job["OutputDataConfig"]["S3Uri"].removeprefix("s3://translate-jobs/")
    assert s3.get_object(Bucket="translate-jobs", Key=f"{folder}page.html.json")["Body"].read()


def test_client_token_idempotency_stop_and_pagination(setup) -> None:
    translate, _ = setup
    first = start(translate, ClientToken="same-token")
    assert start(translate, ClientToken="same-token")["JobId"] == first["JobId"]
    stopped = translate.stop_text_translation_job(JobId=start(translate, ClientToken="to-stop")["JobId"])
    assert stopped["JobStatus"] in ("STOP_REQUESTED", "STOPPED", "COMPLETED")
    assert wait(translate, stopped["JobId"])["JobStatus"] in ("STOPPED", "COMPLETED")
    page = translate.list_text_translation_jobs(MaxResults=1)
    assert len(page["TextTranslationJobPropertiesList"]) == 1 and page["NextToken"]
    following = translate.list_text_translation_jobs(MaxResults=1, NextToken=page["NextToken"])
    assert following["TextTranslationJobPropertiesList"][0]["JobId"] != \
        page["TextTranslationJobPropertiesList"][0]["JobId"]


def test_unknown_job_is_resource_not_found(setup) -> None:
    translate, _ = setup
    for call in (translate.describe_text_translation_job, translate.stop_text_translation_job):
        with pytest.raises(ClientError) as caught:
            call(JobId="0" * 32)
        assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
