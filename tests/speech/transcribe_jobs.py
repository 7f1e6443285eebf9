"""Running a transcription job in a test: start it, poll it until it ends, read the files the gateway
holds for it."""

from __future__ import annotations

import time
import urllib.parse

from speech import Transcribe


def wait(get, name: str, timeout: float = 120) -> dict:
    """Poll a job (a callable answering GetTranscriptionJob as a dict) until it ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = get(name)
        if job["TranscriptionJobStatus"] in ("COMPLETED", "FAILED"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {name} did not finish")


def run_job(service: Transcribe, **request) -> dict:
    service.start_transcription_job(**request)

    def get(name: str) -> dict:
        return service.get_transcription_job(name).TranscriptionJob.model_dump(exclude_none=True)

    return wait(get, request["transcription_job_name"])


def held(service: Transcribe, uri: str) -> bytes:
    job_name, file_name = urllib.parse.urlsplit(uri).path.split("/")[-2:]
    return service.output_file(job_name, file_name).read_bytes()
