"""Transcribe's StartTranscriptionJob and its Get/List/Delete, on the JobEngine.

A transcription job is a single-object engine job of `transcribe.TranscribeMedia` (speech/transcribe/
media.py): its object is the media file, named in the outputs by the job's base name, so that the
engine writes `<base>.json`, `redacted-<base>.json`, `<base>.srt` and `<base>.vtt` where AWS would
(gateway/jobs/aws_transcribe_outputs.py). The language the job found is kept in the object's outcome.
AWS names a job by its name, not a token: the name is the job's token, and a taken name a conflict.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from core.errors import BadRequest, Conflict, NotFound
from core.local_roots import is_inside
from core.paging import offset_page
from core.service import operation
from core.storage import parse
from gateway.jobs.aws_jobs import EngineJobs
from gateway.jobs.aws_transcribe_outputs import outputs_folder, plan
from gateway.jobs.models import JobDescription
from gateway.jobs.outputs import TRANSCRIPTION_FILES
from gateway.jobs.store import JobLayout, JobRecord
from speech.transcribe.media_shapes import MediaContent, TranscribeMediaRequest
from speech.transcribe.shapes import (
    DeleteTranscriptionJobRequest,
    Empty,
    GetTranscriptionJobRequest,
    GetTranscriptionJobResponse,
    ListTranscriptionJobsRequest,
    ListTranscriptionJobsResponse,
    StartTranscriptionJobRequest,
    StartTranscriptionJobResponse,
    SubtitlesOutput,
    TranscriptionJob,
    TranscriptionJobSummary,
    TranscriptLocation,
)

KIND = "TRANSCRIPTION"
OPERATION = "transcribe.TranscribeMedia"
PAGE_SIZE = 5  # AWS's default MaxResults
# What GetTranscriptionJob echoes of the request.
_ECHOED = {"LanguageCode", "MediaSampleRateHertz", "MediaFormat", "Media", "Settings", "ModelSettings",
           "ContentRedaction", "IdentifyLanguage", "IdentifyMultipleLanguages", "LanguageOptions", "Tags",
           "OutputBucketName", "OutputKey", "Subtitles"}
# What TranscribeMedia takes of it.
_PASSED = {"TranscriptionJobName", "LanguageCode", "IdentifyLanguage", "IdentifyMultipleLanguages",
           "LanguageOptions", "Settings", "ModelSettings", "ContentRedaction", "Subtitles"}


def _status(job: JobDescription, failure: str | None) -> str:
    if failure is not None:
        return "FAILED"
    if job.state == "SUBMITTED":
        return "QUEUED"
    return "COMPLETED" if job.finished else "IN_PROGRESS"  # RUNNING until the manifest is written


class TranscriptionJobOperations(EngineJobs):
    check_media_request: Any  # speech's MediaTranscriptionOperations, beside this adapter in Transcribe

    def _media(self, uri: str | None) -> str:
        if not uri:
            raise BadRequest("Media.MediaFileUri is required.")
        if uri.startswith(("http://", "https://")):
            raise BadRequest("Media from http(s) URLs isn't fetched by this gateway; use s3:// or a local path.")
        location = parse(uri)
        if location.scheme == "file" and not is_inside(location.key, self._models.settings.jobs.local_roots):
            raise BadRequest(f"The local path {uri!r} is outside the folders jobs may read (settings "
                             "jobs.local_roots).")
        return str(location)

    @operation
    def start_transcription_job(self, request: StartTranscriptionJobRequest) -> StartTranscriptionJobResponse:
        """Start transcribing a media file; poll GetTranscriptionJob until COMPLETED or FAILED."""
        settings = self._models.settings
        name = request.TranscriptionJobName
        media = self._media(request.Media.MediaFileUri)
        outputs = plan(settings, name, request.OutputBucketName, request.OutputKey)
        parameters = request.model_dump(include=_PASSED, exclude_none=True)
        self.check_media_request(TranscribeMediaRequest(**parameters, Media=MediaContent(Bytes=b"")))
        if self._job_engine().store.get(self._job_id(KIND, name)) is not None:
            raise _taken(name)
        layout = JobLayout(object_key=outputs.base, report=str(outputs_folder(settings, name)))
        job = self._start(KIND, name, media, outputs.folder, OPERATION, parameters,
                          request.model_dump(mode="json", include=_ECHOED, exclude_none=True), layout)
        return StartTranscriptionJobResponse(TranscriptionJob=self._transcription_job(*self._named(job.job_id)))

    def _named(self, job_id: str) -> tuple[JobRecord, JobDescription]:
        return self._job(KIND, job_id, NotFound)

    def _record_of(self, name: str) -> tuple[JobRecord, JobDescription]:
        try:
            return self._named(self._job_id(KIND, name))
        except NotFound:
            raise NotFound(f"The requested job {name!r} couldn't be found. Check the job name and try again.") \
                from None

    def _transcription_job(self, record: JobRecord, job: JobDescription) -> TranscriptionJob:
        details = dict(record.details or {})
        outcome = self._outcome(job.job_id) if job.finished else None
        failure = job.message if job.state in ("FAILED", "CANCELLED") else None
        if outcome is not None and outcome.error is not None:
            failure = outcome.error["message"]
        status = _status(job, failure or ("The job was stopped." if job.state == "CANCELLED" else None))
        completed = status == "COMPLETED"
        name = record.parameters["TranscriptionJobName"]
        outputs = plan(self._models.settings, name, details.pop("OutputBucketName", None),
                       details.pop("OutputKey", None))
        redaction = details.get("ContentRedaction")
        kinds = [] if redaction and redaction["RedactionOutput"] == "redacted" else ["transcript"]
        kinds += ["redacted"] if redaction else []
        wanted = details.pop("Subtitles", None)
        formats = sorted(set((wanted or {}).get("Formats") or []))
        facts = (outcome.result or {}) if completed and outcome else {}
        return TranscriptionJob(
            TranscriptionJobName=name, TranscriptionJobStatus=status,  # type: ignore[arg-type]
            CreationTime=job.created_at, StartTime=job.started_at, CompletionTime=job.ended_at,
            FailureReason=failure if status == "FAILED" else None,
            Transcript=TranscriptLocation(
                TranscriptFileUri=outputs.uri("transcript") if "transcript" in kinds else None,
                RedactedTranscriptFileUri=outputs.uri("redacted") if "redacted" in kinds else None,
            ) if completed else TranscriptLocation(),
            Subtitles=SubtitlesOutput(
                Formats=formats, OutputStartIndex=(wanted or {}).get("OutputStartIndex", 0),
                SubtitleFileUris=[outputs.uri(kind) for kind in formats] if completed else None,
            ) if wanted else None,
            **{**details, **{k: v for k, v in facts.items() if v is not None}},
        )

    @operation
    def get_transcription_job(self, request: GetTranscriptionJobRequest) -> GetTranscriptionJobResponse:
        """A transcription job's status and, once COMPLETED, where its transcript is."""
        return GetTranscriptionJobResponse(
            TranscriptionJob=self._transcription_job(*self._record_of(request.TranscriptionJobName)))

    @operation
    def list_transcription_jobs(self, request: ListTranscriptionJobsRequest) -> ListTranscriptionJobsResponse:
        """Transcription jobs, newest first, filtered by status or by a text in their name."""
        contains = (request.JobNameContains or "").casefold()
        found = [(record, self._transcription_job(record, self._job_engine().get(record.job_id)))
                 for record in reversed(list(self._records(KIND, None)))
                 if contains in record.parameters["TranscriptionJobName"].casefold()]
        found = [(record, job) for record, job in found if request.Status in (None, job.TranscriptionJobStatus)]
        page, token = offset_page(found, request.NextToken, request.MaxResults, default_size=PAGE_SIZE,
                                  error=BadRequest)
        summaries = [TranscriptionJobSummary(
            OutputLocationType="CUSTOMER_BUCKET" if (record.details or {}).get("OutputBucketName")
            else "SERVICE_BUCKET",
            **job.model_dump(include=set(TranscriptionJobSummary.model_fields), exclude_none=True),
        ) for record, job in page]
        return ListTranscriptionJobsResponse(Status=request.Status, NextToken=token,
                                             TranscriptionJobSummaries=summaries)

    @operation
    def delete_transcription_job(self, request: DeleteTranscriptionJobRequest) -> Empty:
        """Delete an ended job's record and the outputs the gateway holds for it (not those in your bucket)."""
        record, _ = self._record_of(request.TranscriptionJobName)
        if not self._job_engine().store.delete(record.job_id):
            raise BadRequest(f"The job {request.TranscriptionJobName!r} is still in progress; delete it once "
                             "it has ended.")
        shutil.rmtree(outputs_folder(self._models.settings, request.TranscriptionJobName), ignore_errors=True)
        return Empty()

    def output_file(self, job_name: str, file_name: str) -> Path:
        """A file the gateway holds for a job (its transcript when no OutputBucketName was given)."""
        record, _ = self._record_of(job_name)
        folder = outputs_folder(self._models.settings, job_name)
        held = {file.name(job_name) for file in TRANSCRIPTION_FILES.values()}
        if (record.details or {}).get("OutputBucketName") is None and file_name in held \
                and (folder / file_name).is_file():
            return folder / file_name
        raise NotFound(f"The job {job_name!r} has no file {file_name!r} held by the gateway.")


def _taken(name: str) -> Conflict:
    return Conflict(f"The requested job name {name!r} already exists. Use a different job name.")
