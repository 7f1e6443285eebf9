"""Polly's synthesis tasks on the gateway's JobEngine, with real boto3 and a real S3 (moto): a task as an
engine job whose manifest stays out of the user's bucket, a restart resuming a task, and PII redaction
of the text asked for at Start. Speech marks name the words spoken, so what was synthesized can be
asserted word for word."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from core.model_registry import ModelRegistry
from core.settings import Settings
from gateway.catalog import ServiceCatalog
from gateway.jobs.aws_adapters import with_job_operations
from speech.polly import TTS_SPECS, Polly
from tests.gateway.aws_jobs_testing import attach_stopped_engine, resume_after_restart

BUCKET = "polly-tasks"
HARVARD = "Glue the sheet to the dark blue background."


def finished(get, task_id: str) -> dict:
    for _ in range(600):
        task = get(TaskId=task_id)["SynthesisTask"]
        if task["TaskStatus"] not in ("scheduled", "inProgress"):
            return task
        time.sleep(0.1)
    raise AssertionError(f"task {task_id} did not end")


def words(marks: bytes | str) -> list[str]:
    text = marks.decode() if isinstance(marks, bytes) else marks
    return [json.loads(line)["value"] for line in text.splitlines()]


@pytest.fixture(scope="module")
def s3(s3_server):
    s3 = s3_server.client()
    s3.create_bucket(Bucket=BUCKET)
    return s3


@pytest.fixture(scope="module")
def gateway(start_gateway, s3_server, s3):
    # Polly alone: these tests do not depend on the other services' models.
    return start_gateway(catalog=ServiceCatalog([with_job_operations(Polly)()]), s3_endpoint_url=s3_server.endpoint_url)


def test_task_is_an_engine_job_with_its_manifest_kept_out_of_the_bucket(gateway, s3, aws_client) -> None:
    polly = aws_client("polly", gateway.url, signed=False)
    started = polly.start_speech_synthesis_task(Text=HARVARD, VoiceId="Joanna", OutputFormat="ogg_opus",
                                                OutputS3BucketName=BUCKET, OutputS3KeyPrefix="book/chapter-")
    task_id = started["SynthesisTask"]["TaskId"]
    task = finished(polly.get_speech_synthesis_task, task_id)
    assert task["TaskStatus"] == "completed", task.get("TaskStatusReason")
    key = f"book/chapter-{task_id}.ogg"  # a prefix that ends in part of a file name, as AWS writes it
    assert task["OutputUri"] == f"{gateway.settings.s3_endpoint_url}/{BUCKET}/{key}"
    assert (task["RequestCharacters"], task["VoiceId"], task["OutputFormat"]) == (len(HARVARD), "Joanna", "ogg_opus")
    assert s3.head_object(Bucket=BUCKET, Key=key)["ContentType"] == "audio/ogg"
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read(4) == b"OggS"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="book/")["Contents"]] == [key]

    folder = Path(gateway.settings.data_dir).resolve() / "polly" / "tasks" / task_id
    manifest = [json.loads(line) for line in (folder / "manifest.jsonl").read_text().splitlines()]
    assert manifest == [{"key": f"chapter-{task_id}.ogg", "status": "SUCCEEDED",
                         "output_key": f"s3://{BUCKET}/{key}", "error": None}]
    assert json.loads((folder / "summary.json").read_text())["state"] == "COMPLETED"
    listed = httpx.get(f"{gateway.url}/v1/jobs", params={"max_results": 500}).json()["jobs"]
    job = next(job for job in listed if job["job_id"] == task_id)
    assert (job["operation"], job["input"], job["output"]) == (
        "polly.SynthesizeLongSpeech", str(folder / "input.txt"), f"s3://{BUCKET}/book")
    assert (job["state"], job["done"], job["failed"]) == ("COMPLETED", 1, 0)
    assert (folder / "input.txt").read_text() == HARVARD


def test_a_restart_resumes_an_unfinished_task(tmp_path: Path) -> None:
    out = tmp_path / "out"
    settings = Settings(data_dir=tmp_path / "data", jobs={"local_roots": [out]})  # type: ignore[arg-type]
    models = ModelRegistry(settings)
    for spec in TTS_SPECS:
        models.register(spec)
    polly = with_job_operations(Polly)(models)
    attach_stopped_engine(settings, polly)
    task_id = polly.start_speech_synthesis_task(  # type: ignore[attr-defined]
        text=HARVARD, voice_id="Brian", output_format="json", speech_mark_types=["word"],
        output_s3_bucket_name=str(out), output_s3_key_prefix="resumed/").SynthesisTask.TaskId
    assert polly.get_speech_synthesis_task(task_id=task_id).SynthesisTask.TaskStatus == "scheduled"  # type: ignore[attr-defined]
    scheduled = polly.list_speech_synthesis_tasks(status="scheduled").SynthesisTasks  # type: ignore[attr-defined]
    assert [t.TaskId for t in scheduled] == [task_id]

    resume_after_restart(settings, polly, [task_id], timeout=60)
    task = polly.get_speech_synthesis_task(task_id=task_id).SynthesisTask  # type: ignore[attr-defined]
    path = out / "resumed" / f"{task_id}.marks"
    assert (task.TaskStatus, task.OutputUri) == ("completed", path.as_uri())
    assert words(path.read_text()) == HARVARD.rstrip(".").split()
    assert polly.list_speech_synthesis_tasks(status="scheduled").SynthesisTasks == []  # type: ignore[attr-defined]


def test_redaction_asked_at_start_synthesizes_the_redacted_text(gateway, s3, aws_client) -> None:
    text = "Please write to maria.garcia@example.org about the invoice."
    reply = httpx.post(f"{gateway.url}/v1/polly/start-speech-synthesis-task", json={
        "Text": text, "VoiceId": "Joanna", "OutputFormat": "json", "SpeechMarkTypes": ["word"],
        "OutputS3BucketName": BUCKET, "OutputS3KeyPrefix": "redacted/"},
        headers={"X-Pii-Redaction": "ALL", "X-Pii-Redaction-Scope": "request", "X-Pii-Redaction-Mode": "type"},
        timeout=60)
    assert reply.status_code == 200, reply.text
    task_id = reply.json()["SynthesisTask"]["TaskId"]
    polly = aws_client("polly", gateway.url, signed=False)
    assert finished(polly.get_speech_synthesis_task, task_id)["TaskStatus"] == "completed"
    spoken = words(s3.get_object(Bucket=BUCKET, Key=f"redacted/{task_id}.marks")["Body"].read())
    assert spoken == ["Please", "write", "to", "EMAIL", "about", "the", "invoice"]  # "[EMAIL]" is read as "EMAIL"
    job = httpx.get(f"{gateway.url}/v1/jobs/{task_id}").json()
    assert job["pii_redaction"] == {"types": ["ALL"], "mode": "type", "scope": "request"}
    kept = (Path(gateway.settings.data_dir) / "polly" / "tasks" / task_id / "input.txt").read_text()
    assert "@" not in kept and "[EMAIL]" in kept, kept  # redacted before the gateway kept the text
