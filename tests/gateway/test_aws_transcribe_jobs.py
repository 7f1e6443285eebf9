"""Transcription jobs as engine jobs: listed by the jobs API with a manifest kept beside the user's
bucket, not in it; PII redaction asked by a Start call's headers reaching the transcript files; and a
gateway killed mid-job whose successor resumes the job to a complete transcript."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

import httpx
import pytest

from tests.gateway.test_cli import AIGW
from tests.gateway.test_pii_redaction import boto
from tests.speech.transcribe_audio import librivox, speak, wav_bytes
from tests.speech.transcribe_jobs import wait

TINY = {"LanguageModelName": "whisper-tiny.en"}
BUCKET = "engine-transcripts"
SPOKEN_PII = "My name is John Smith. I work with Mary Jones at the bank."


@pytest.fixture(scope="module")
def media(s3_server) -> str:
    s3 = s3_server.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="media/pii.wav", Body=wav_bytes(*speak(SPOKEN_PII)))
    return f"s3://{BUCKET}/media/pii.wav"


@pytest.fixture(scope="module")
def tx(start_gateway, s3_server):
    return start_gateway(s3_endpoint_url=s3_server.endpoint_url)


def _transcribe(aws_client, url: str, name: str, media: str, headers: dict | None = None, **members) -> dict:
    client = boto(aws_client, url, "transcribe", headers or {})
    client.start_transcription_job(TranscriptionJobName=name, LanguageCode="en-US", ModelSettings=TINY,
                                   Media={"MediaFileUri": media}, **members)
    job = wait(lambda n: client.get_transcription_job(TranscriptionJobName=n)["TranscriptionJob"], name)
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    return job


def _bucket_file(s3_server, key: str) -> str:
    return s3_server.client().get_object(Bucket=BUCKET, Key=key)["Body"].read().decode()


def test_a_transcription_job_is_an_engine_job_with_its_manifest_beside_the_bucket(tx, aws_client, media,
                                                                                  s3_server) -> None:
    _transcribe(aws_client, tx.url, "listed", media, OutputBucketName=BUCKET, OutputKey="calls/",
                Subtitles={"Formats": ["srt"]})
    jobs = httpx.get(f"{tx.url}/v1/jobs").json()["jobs"]
    job = next(j for j in jobs if j["operation"] == "transcribe.TranscribeMedia")
    assert (job["state"], job["done"], job["failed"], job["total"]) == ("COMPLETED", 1, 0, 1)
    assert job["output"] == f"s3://{BUCKET}/calls/"
    keys = {o["Key"] for o in s3_server.client().list_objects_v2(Bucket=BUCKET, Prefix="calls/")["Contents"]}
    assert keys == {"calls/listed.json", "calls/listed.srt"}  # the user's files only: no manifest among them
    report = tx.settings.data_dir / "transcribe" / "outputs" / "listed"
    manifest = [json.loads(line) for line in (report / "manifest.jsonl").read_text().splitlines()]
    assert manifest == [{"key": "listed", "status": "SUCCEEDED", "output_key": f"s3://{BUCKET}/calls/listed.json",
                         "error": None}]


def test_pii_redaction_asked_by_the_start_call_reaches_the_transcript_files(tx, aws_client, media,
                                                                             s3_server) -> None:
    plain = json.loads(_bucket_file(s3_server, "calls/listed.json"))
    said = plain["results"]["transcripts"][0]["transcript"]
    assert "Smith" in said and "Jones" in said, said  # what there is to hide

    _transcribe(aws_client, tx.url, "redacted-by-header", media,
                {"X-Pii-Redaction": "ALL", "X-Pii-Redaction-Mode": "type"}, OutputBucketName=BUCKET,
                Subtitles={"Formats": ["srt", "vtt"]})
    document = json.loads(_bucket_file(s3_server, "redacted-by-header.json"))
    text = document["results"]["transcripts"][0]["transcript"]
    assert text.count("[NAME]") == 2 and "Smith" not in text and "Jones" not in text, text
    assert "work with" in text and "bank" in text  # only the names went
    words = [item["alternatives"][0]["content"] for item in document["results"]["items"]]
    assert not {"John", "Smith", "Mary", "Jones"} & set(words), words
    assert all("Smith" not in segment["transcript"] for segment in document["results"]["audio_segments"])
    for key in ("redacted-by-header.srt", "redacted-by-header.vtt"):
        subtitles = _bucket_file(s3_server, key)
        assert "Smith" not in subtitles and "Jones" not in subtitles and "[NAME]" in subtitles, subtitles
        assert "00:00:0" in subtitles  # the cue times are not taken for PII
    assert len(document["results"]["items"]) == len(plain["results"]["items"])  # times and items kept


def test_pii_redaction_asked_by_the_stream_handshake_reaches_every_event(tx) -> None:
    from websockets.sync.client import connect

    samples, rate = speak(SPOKEN_PII)
    url = tx.url.replace("http://", "ws://") + f"/v1/transcribe/stream?language-code=en-US&sample-rate={rate}"

    def stream(headers: dict) -> list[dict]:
        with connect(url + "&model=whisper-tiny.en", additional_headers=headers) as socket:
            for start in range(0, samples.size, rate // 2):  # half a second a message
                socket.send(samples[start:start + rate // 2].tobytes())
            socket.send(json.dumps({"type": "end"}))
            return [json.loads(message) for message in socket]

    def said(events: list[dict]) -> str:
        return " ".join(alternative["Transcript"] for event in events for result in event["Transcript"]["Results"]
                        for alternative in result["Alternatives"])

    assert "Smith" in said(stream({}))  # what there is to hide
    events = stream({"X-Pii-Redaction": "NAME", "X-Pii-Redaction-Mode": "type"})
    finals = [r for event in events for r in event["Transcript"]["Results"] if not r["IsPartial"]]
    assert finals and "[NAME]" in said(events), said(events)
    assert "Smith" not in said(events) and "Jones" not in said(events)
    contents = [item["Content"] for r in finals for item in r["Alternatives"][0]["Items"]]
    assert not {"John", "Smith", "Mary", "Jones"} & set(contents), contents
    assert all(item["StartTime"] is not None for r in finals for item in r["Alternatives"][0]["Items"]
               if item["Type"] == "pronunciation")  # only texts change


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_a_gateway_killed_mid_job_is_resumed_by_the_next(start_gateway, aws_client, s3_server,
                                                          tmp_path: Path) -> None:
    path, _ = librivox("0870")
    s3_server.client().put_object(Bucket=BUCKET, Key="media/librivox.wav", Body=path.read_bytes())
    data_dir, port = tmp_path / "data", _free_port()
    env = {**os.environ, "AIGW_DATA_DIR": str(data_dir), "AIGW_PORT": str(port),
           "AIGW_S3_ENDPOINT_URL": s3_server.endpoint_url}
    first = subprocess.Popen([AIGW, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{url}/v1/jobs", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and first.poll() is None, "the first gateway did not start"
            time.sleep(0.3)
        client = aws_client("transcribe", url)
        client.start_transcription_job(TranscriptionJobName="interrupted", LanguageCode="en-US",
                                       Media={"MediaFileUri": f"s3://{BUCKET}/media/librivox.wav"})  # seconds of work
        while client.get_transcription_job(TranscriptionJobName="interrupted")["TranscriptionJob"][
                "TranscriptionJobStatus"] == "QUEUED":
            time.sleep(0.05)
    finally:
        first.send_signal(signal.SIGKILL)  # no shutdown: the job is left RUNNING mid-object
        first.wait(10)
    assert not (data_dir / "transcribe" / "outputs" / "interrupted" / "manifest.jsonl").exists()

    second = start_gateway(data_dir=data_dir, s3_endpoint_url=s3_server.endpoint_url)
    client = aws_client("transcribe", second.url)
    job = wait(lambda n: client.get_transcription_job(TranscriptionJobName=n)["TranscriptionJob"], "interrupted")
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    held = urllib.parse.urlsplit(job["Transcript"]["TranscriptFileUri"]).path  # the gateway serves it
    text = httpx.get(f"{second.url}{held}").json()["results"]["transcripts"][0]["transcript"].lower()
    assert text.startswith("and mr"), text
