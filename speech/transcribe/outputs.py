"""Where a job's files go and the URIs that point at them.

With `OutputBucketName` the files go to that bucket (under `OutputKey`: a file name, or a prefix
ending in "/"), and the URIs are the objects' HTTP addresses on the configured S3 endpoint, as
AWS gives `https://s3.<region>.amazonaws.com/<bucket>/<key>`. Without it the gateway keeps them
under `<data_dir>/transcribe/outputs/<job name>/` and serves them at
`/v1/transcribe/outputs/<job name>/<file>` (AWS's service bucket).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from core.errors import BadRequest
from core.settings import Settings
from core.storage import Location

OUTPUTS_ROUTE = "/v1/transcribe/outputs"


@dataclass(frozen=True)
class OutputFile:
    location: str  # where the job writes it: s3://bucket/key or a local path
    uri: str  # what GetTranscriptionJob answers


def outputs_folder(settings: Settings, job_name: str) -> Path:
    return settings.data_dir / "transcribe" / "outputs" / job_name


def _file_names(job_name: str, output_key: str | None) -> tuple[str, str]:
    """(folder prefix, base name) of the job's files in a bucket."""
    if not output_key:
        return "", job_name
    if output_key.endswith("/"):
        return output_key, job_name
    folder, name = posixpath.split(output_key)
    return (folder + "/" if folder else ""), name.removesuffix(".json")


def plan(settings: Settings, job_name: str, bucket: str | None, output_key: str | None,
         kinds: list[str]) -> dict[str, OutputFile]:
    """kind ("transcript", "redacted", "srt", "vtt") -> its file."""
    if output_key and not bucket:
        raise BadRequest("OutputKey needs an OutputBucketName.")
    prefix, base = _file_names(job_name, output_key)
    names = {"transcript": f"{base}.json", "redacted": f"redacted-{base}.json", "srt": f"{base}.srt",
             "vtt": f"{base}.vtt"}
    planned = {}
    for kind in kinds:
        if bucket:
            key = prefix + names[kind]
            location = str(Location("s3", bucket, key))
            endpoint = (settings.s3_endpoint_url or f"https://s3.{settings.s3_region}.amazonaws.com").rstrip("/")
            planned[kind] = OutputFile(location, f"{endpoint}/{bucket}/{key}")
        else:
            planned[kind] = OutputFile(str(outputs_folder(settings, job_name) / names[kind]),
                                       f"http://{settings.host}:{settings.port}{OUTPUTS_ROUTE}/{job_name}/{names[kind]}")
    return planned
