"""Batch jobs: the engine against a real S3 (moto) and local folders, restarts, cancellation, and the
REST, SDK and CLI doors over it."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from core.errors import ClientError, InvalidRequest, JobNotFound, ValidationError
from core.service import operation
from core.settings import Settings
from gateway.catalog import ServiceCatalog
from gateway.client import AsyncClient, Client
from gateway.jobs import JobEngine
from gateway.jobs.engine import IdempotentParameterMismatch
from nlp import Comprehend, Translate
from nlp.comprehend_shapes import DetectDominantLanguageRequest, DetectDominantLanguageResponse
from tests.gateway.test_cli import AIGW, run as run_cli

SAMPLES = {"en": "The weather is lovely today and we are going for a walk",
           "es": "Hoy hace muy buen tiempo y vamos a dar un paseo por el parque",
           "fr": "Il fait très beau aujourd'hui et nous allons faire une promenade",
           "de": "Das Wetter ist heute sehr schön und wir gehen im Park spazieren"}
LANGUAGES = list(SAMPLES)


def text_of(i: int) -> str:
    return f"{SAMPLES[LANGUAGES[i % 4]]} ({i})"  # unique per object, so calls count per object


class CountingComprehend(Comprehend):
    """Comprehend that counts DetectDominantLanguage calls per text; optionally slow, and signalling
    once it has been called `signal_after` times (for stopping or cancelling mid-job)."""

    def __init__(self, delay: float = 0.0, signal_after: int | None = None) -> None:
        super().__init__()
        self.calls: Counter[str] = Counter()
        self.delay, self.signal_after = delay, signal_after
        self.reached = threading.Event()
        self._lock = threading.Lock()

    @operation
    def detect_dominant_language(self, request: DetectDominantLanguageRequest) -> DetectDominantLanguageResponse:
        with self._lock:
            self.calls[request.Text] += 1
            if self.signal_after is not None and sum(self.calls.values()) >= self.signal_after:
                self.reached.set()
        time.sleep(self.delay)
        return super().detect_dominant_language(request)


@pytest.fixture
def engines(tmp_path: Path) -> Iterator[Callable[..., JobEngine]]:
    made: list[JobEngine] = []

    def make(service: Comprehend | None = None, **overrides: object) -> JobEngine:
        settings = Settings(**{"data_dir": tmp_path / "data", **overrides})
        engine = JobEngine(settings, ServiceCatalog([service or Comprehend(), Translate()]))
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.close()


def write_folder(folder: Path, count: int) -> Path:
    for i in range(count):
        path = folder / f"batch{i % 3}" / f"{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text_of(i))
    return folder


def manifest(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "manifest.jsonl").read_text().splitlines()]


def test_300_objects_from_s3(s3_server, engines) -> None:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="corpus")
    for i in range(300):
        s3.put_object(Bucket="corpus", Key=f"in/docs/{i:04d}.txt", Body=text_of(i).encode())
    service = CountingComprehend()
    engine = engines(service, s3_endpoint_url=s3_server.endpoint_url)
    job = engine.start("comprehend.DetectDominantLanguage", "s3://corpus/in/", "s3://corpus/out/")
    job = engine.wait(job.job_id, timeout=60)
    assert (job.state, job.done, job.failed, job.total, job.listing_complete) == ("COMPLETED", 300, 0, 300, True)
    assert job.objects_per_second and job.objects_per_second > 0
    assert len(service.calls) == 300 and set(service.calls.values()) == {1}

    lines = s3.get_object(Bucket="corpus", Key="out/manifest.jsonl")["Body"].read().decode().splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["key"] for r in rows] == [f"docs/{i:04d}.txt" for i in range(300)]
    assert all(r["status"] == "SUCCEEDED" and r["error"] is None for r in rows)
    assert rows[7]["output_key"] == "s3://corpus/out/docs/0007.txt.json"
    for i in (0, 1, 2, 3, 299):
        result = json.loads(s3.get_object(Bucket="corpus", Key=f"out/docs/{i:04d}.txt.json")["Body"].read())
        assert result["Languages"][0]["LanguageCode"] == LANGUAGES[i % 4]
    summary = json.loads(s3.get_object(Bucket="corpus", Key="out/summary.json")["Body"].read())
    assert (summary["state"], summary["done"], summary["total"]) == ("COMPLETED", 300, 300)
    assert summary["ended_at"] and summary["objects_per_second"] > 0


def test_local_folder_with_poisoned_objects(tmp_path: Path, engines) -> None:
    source = write_folder(tmp_path / "in", 20)
    (source / "latin1.txt").write_bytes("café à la crème".encode("latin-1"))
    (source / "empty.txt").write_bytes(b"")
    engine = engines()
    job = engine.wait(engine.start("comprehend.DetectDominantLanguage", str(source), str(tmp_path / "out")).job_id, 30)
    assert (job.state, job.done, job.failed, job.total) == ("COMPLETED", 20, 2, 22)
    failed = {r["key"]: r for r in manifest(tmp_path / "out") if r["status"] == "FAILED"}
    assert failed["latin1.txt"]["error"]["code"] == "InvalidRequestException"
    assert "UTF-8" in failed["latin1.txt"]["error"]["message"]
    assert failed["empty.txt"]["error"]["code"] == "InvalidRequestException"
    assert not (tmp_path / "out" / "empty.txt.json").exists()
    result = json.loads((tmp_path / "out" / "batch1" / "0004.txt.json").read_text())
    assert result["Languages"][0]["LanguageCode"] == "en"


def test_restart_resumes_without_repeating_or_losing_objects(tmp_path: Path, engines) -> None:
    source = write_folder(tmp_path / "in", 300)
    first = CountingComprehend(delay=0.002, signal_after=100)
    engine = engines(first)
    job_id = engine.start("comprehend.DetectDominantLanguage", str(source), str(tmp_path / "out")).job_id
    assert first.reached.wait(30)
    engine.close()  # the "crash": stops taking objects; what was in flight is recorded
    stopped = engine.get(job_id)
    assert stopped.state == "RUNNING" and 100 <= stopped.done < 300
    # A harder crash: results written, but their records lost. The resumed run must find the outputs.
    db = sqlite3.connect(tmp_path / "data" / "jobs" / "jobs.sqlite3")
    with db:
        lost = db.execute("DELETE FROM item WHERE job_id = ? AND key IN"
                          " (SELECT key FROM item WHERE job_id = ? ORDER BY key LIMIT 5)", (job_id, job_id)).rowcount
    db.close()
    assert lost == 5

    second = CountingComprehend()
    restarted = engines(second)
    assert restarted.resume() == 1
    job = restarted.wait(job_id, timeout=60)
    assert (job.state, job.done, job.failed, job.total) == ("COMPLETED", 300, 0, 300)
    both = first.calls + second.calls
    assert len(both) == 300 and set(both.values()) == {1}, "an object was processed twice or never"
    assert len(manifest(tmp_path / "out")) == 300


def test_keys_that_climb_out_never_escape_the_output_prefix(s3_server, engines) -> None:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="sneaky")
    for key in ("in/../escape.txt", "in/a/../../x.txt", "in/fine.txt"):
        s3.put_object(Bucket="sneaky", Key=key, Body=b"Just an ordinary English sentence here")
    engine = engines(s3_endpoint_url=s3_server.endpoint_url)
    job = engine.wait(engine.start("comprehend.DetectDominantLanguage", "s3://sneaky/in/", "s3://sneaky/out/").job_id, 30)
    assert (job.state, job.done, job.failed) == ("COMPLETED", 1, 2)
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="sneaky")["Contents"]}
    written = keys - {"in/../escape.txt", "in/a/../../x.txt", "in/fine.txt"}
    assert written == {"out/fine.txt.json", "out/manifest.jsonl", "out/summary.json"}


def test_cancel_stops_taking_objects(tmp_path: Path, engines) -> None:
    source = write_folder(tmp_path / "in", 300)
    service = CountingComprehend(delay=0.01, signal_after=10)
    engine = engines(service)
    job_id = engine.start("comprehend.DetectDominantLanguage", str(source), str(tmp_path / "out")).job_id
    assert service.reached.wait(30)
    assert engine.cancel(job_id).state == "CANCELLED"
    job = engine.wait(job_id, timeout=30)
    calls = sum(service.calls.values())
    time.sleep(0.2)
    assert sum(service.calls.values()) == calls  # nothing taken after the in-flight window drained
    assert job.state == "CANCELLED" and job.done + job.failed == calls < 300
    assert len(manifest(tmp_path / "out")) == calls
    assert engine.cancel(job_id).state == "CANCELLED"  # cancelling an ended job changes nothing


def test_client_token_gives_back_the_same_job(tmp_path: Path, engines) -> None:
    source = write_folder(tmp_path / "in", 3)
    engine = engines()
    args = ("comprehend.DetectSentiment", str(source), str(tmp_path / "out"), {"LanguageCode": "en"})
    first = engine.start(*args, client_token="nightly-1")
    assert engine.start(*args, client_token="nightly-1").job_id == first.job_id
    assert engine.start(*args, client_token="nightly-2").job_id != first.job_id
    with pytest.raises(IdempotentParameterMismatch):
        engine.start(*args[:3], {"LanguageCode": "es"}, client_token="nightly-1")
    assert len(engine.list().jobs) == 2


def test_jobs_that_cannot_run_are_refused_or_failed(tmp_path: Path, engines) -> None:
    source = write_folder(tmp_path / "in", 2)
    engine = engines()
    with pytest.raises(InvalidRequest, match="Unknown operation"):
        engine.start("comprehend.DetectEverything", str(source), str(tmp_path / "out"))
    with pytest.raises(InvalidRequest, match="cannot run as a batch job"):
        engine.start("comprehend.BatchDetectSentiment", str(source), str(tmp_path / "out"))
    with pytest.raises(ValidationError, match="LanguageCode"):
        engine.start("comprehend.DetectSentiment", str(source), str(tmp_path / "out"))
    with pytest.raises(InvalidRequest, match="Text"):
        engine.start("comprehend.DetectSentiment", str(source), str(tmp_path / "out"), {"Text": "x", "LanguageCode": "en"})
    with pytest.raises(ClientError, match="inside the input"):
        engine.start("comprehend.DetectDominantLanguage", str(source), str(source / "results"))
    with pytest.raises(JobNotFound):
        engine.get("nope")
    missing = engine.start("comprehend.DetectDominantLanguage", str(tmp_path / "absent"), str(tmp_path / "out"))
    job = engine.wait(missing.job_id, timeout=10)
    assert job.state == "FAILED" and "No folder" in job.message


def test_translate_document_fills_a_blob_member(tmp_path: Path, engines) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "note.txt").write_text("The weather is lovely today.")
    engine = engines()
    job = engine.start("translate.TranslateDocument", str(tmp_path / "in"), str(tmp_path / "out"),
                       {"Document": {"ContentType": "text/plain"}, "SourceLanguageCode": "en",
                        "TargetLanguageCode": "pt"})
    assert engine.wait(job.job_id, timeout=60).done == 1
    result = json.loads((tmp_path / "out" / "note.txt.json").read_text())
    assert result["TargetLanguageCode"] == "pt" and result["TranslatedDocument"]["Content"]


def test_rest_and_sdk_round_trip(s3_server, start_gateway, secured_gateway) -> None:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="sdk")
    for i in range(12):
        s3.put_object(Bucket="sdk", Key=f"reviews/{i:02d}.txt", Body=text_of(i).encode())
    gateway = start_gateway(s3_endpoint_url=s3_server.endpoint_url)
    with Client(gateway.url) as client:
        job = client.jobs.start("comprehend.DetectDominantLanguage", "s3://sdk/reviews/", "s3://sdk/langs/")
        job.wait(timeout=30, poll=0.05)
        assert (job.state, job.done, job.total) == ("COMPLETED", 12, 12)
        assert [j.job_id for j in client.jobs.list().jobs] == [job.job_id]
        assert client.jobs.cancel(job.job_id).state == "COMPLETED"
        with pytest.raises(JobNotFound) as excinfo:
            client.jobs.get("missing")
        assert excinfo.value.status == 404
        with pytest.raises(ClientError, match="LanguageCode") as refused:
            client.jobs.start("comprehend.DetectSyntax", "s3://sdk/reviews/", "s3://sdk/out/")
        assert refused.value.code == "ValidationException"
    body = httpx.post(f"{gateway.url}/v1/jobs", json={"operation": "comprehend.DetectDominantLanguage"}).json()
    assert body["__type"] == "ValidationException" and "input" in body["message"]
    refused = httpx.post(f"{gateway.url}/v1/jobs", json={"operation": "comprehend.DetectDominantLanguage",
                                                         "input": "/etc", "output": "s3://sdk/etc/"})
    assert refused.status_code == 403 and refused.json()["__type"] == "AccessDeniedException"
    assert httpx.get(f"{secured_gateway.url}/v1/jobs").status_code == 403  # the REST door's API keys apply

    async def run_async() -> tuple[str, int]:
        async with AsyncClient(gateway.url) as client:
            job = await client.jobs.start("comprehend.DetectSentiment", "s3://sdk/reviews/", "s3://sdk/sentiment/",
                                          {"LanguageCode": "en"}, client_token="async-1")
            await job.wait(timeout=30, poll=0.05)
            page = await client.jobs.list(max_results=1)
            assert page.next_token and len(page.jobs) == 1
            return job.state, job.done

    assert asyncio.run(run_async()) == ("COMPLETED", 12)
    results = s3.list_objects_v2(Bucket="sdk", Prefix="sentiment/")["Contents"]
    assert len(results) == 14  # 12 results, the manifest and the summary


def test_cli_in_process_and_against_a_gateway(tmp_path: Path, start_gateway) -> None:
    source = write_folder(tmp_path / "in", 5)
    gateway = start_gateway(jobs={"local_roots": [tmp_path]})
    env = {**os.environ, "AIGW_DATA_DIR": str(tmp_path / "data")}
    local = subprocess.run([AIGW, "batch", "comprehend.DetectSentiment", str(source), str(tmp_path / "out"),
                            "--param", "LanguageCode=en"], capture_output=True, text=True, timeout=120, env=env)
    assert local.returncode == 0, local.stderr
    assert json.loads(local.stdout)["done"] == 5 and len(manifest(tmp_path / "out")) == 5
    remote = run_cli("--endpoint", gateway.url, "batch", "comprehend.DetectDominantLanguage", str(source),
                     str(tmp_path / "remote"))
    assert remote.returncode == 0, remote.stderr
    assert json.loads(remote.stdout)["state"] == "COMPLETED" and "failed)" in remote.stderr  # the progress line
    bad = run_cli("batch", "comprehend.DetectSentiment", str(source), str(tmp_path / "x"))
    assert bad.returncode == 1 and json.loads(bad.stderr)["__type"] == "ValidationException"
    outside = run_cli("--endpoint", gateway.url, "batch", "comprehend.DetectDominantLanguage", str(source), "/tmp/x")
    assert outside.returncode == 1 and json.loads(outside.stderr)["__type"] == "AccessDeniedException"
