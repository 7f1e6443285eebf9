"""Where a transcription job's files go and the URIs that point at them.

With `OutputBucketName` the files go to that bucket (under `OutputKey`: a file name, or a prefix
ending in "/"), and the URIs are the objects' HTTP addresses on the configured S3 endpoint, as
AWS gives `https://s3.<region>.amazonaws.com/<bucket>/<key>`. Without it the gateway keeps them
under `<data_dir>/transcribe/outputs/<job name>/` and serves them at
`/v1/transcribe/outputs/<job name>/<file>` (AWS's service bucket). That folder also holds the job's
manifest and summary, which never go to the user's bucket, shared by many jobs' files.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from core.errors import BadRequest
from core.settings import Settings
from core.storage import Location
from gateway.jobs.outputs import TRANSCRIPTION_FILES

OUTPUTS_ROUTE = "/v1/transcribe/outputs"


def outputs_folder(settings: Settings, job_name: str) -> Path:
    return settings.data_dir / "transcribe" / "outputs" / job_name


@dataclass(frozen=True)
class JobOutputs:
    folder: str  # where the job's files go: s3://bucket/prefix/ or the gateway's folder
    base: str  # the files' base name: the job's name, or OutputKey's file name
    uri_root: str  # what the files' URIs start with

    def uri(self, kind: str) -> str:
        return f"{self.uri_root}/{TRANSCRIPTION_FILES[kind].name(self.base)}"


def plan(settings: Settings, job_name: str, bucket: str | None, output_key: str | None) -> JobOutputs:
    if output_key and not bucket:
        raise BadRequest("OutputKey needs an OutputBucketName.")
    if not bucket:
        return JobOutputs(str(outputs_folder(settings, job_name)), job_name,
                          f"http://{settings.host}:{settings.port}{OUTPUTS_ROUTE}/{job_name}")
    prefix, base = ("", job_name) if not output_key else \
        (output_key, job_name) if output_key.endswith("/") else posixpath.split(output_key)
    prefix = prefix.strip("/")
    endpoint = (settings.s3_endpoint_url or f"https://s3.{settings.s3_region}.amazonaws.com").rstrip("/")
    return JobOutputs(str(Location("s3", bucket, prefix + "/" if prefix else "")), base.removesuffix(".json"),
                      "/".join(part for part in (endpoint, bucket, prefix) if part))
