"""Transcription jobs: Start, Get, List and Delete, run on the service's worker threads and kept as
durable records (core/service_jobs.py) in `<data_dir>/transcribe/jobs.sqlite3`.

A job reads its media (s3://, or a local path under settings.jobs.local_roots), decodes it window
by window, recognizes it, and writes AWS's transcript JSON, the redacted copy and the subtitle
files (transcribe/outputs.py). What the job learns (the language it identified, when it started)
is kept beside its outputs in `job.json`: job records hold only what the request set.
"""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core.errors import BadRequest, Conflict, NotFound, ResourceNotFound
from core.model_registry import ModelRegistry
from core.paging import offset_page
from core.service import operation
from core.service_jobs import JobRecord, JobStore, runner_of
from core.storage import Location, Storage, parse
from nlp.pii.detector import PiiDetector
from speech import audio
from speech.engines import diarization_resemblyzer
from speech.local_roots import is_inside
from speech.transcribe import item_edits, recognition, subtitles, transcript
from speech.transcribe.models import speech_engine
from speech.transcribe.outputs import OutputFile, outputs_folder, plan
from speech.transcribe.shapes import (
    DeleteTranscriptionJobRequest,
    Empty,
    GetTranscriptionJobRequest,
    GetTranscriptionJobResponse,
    LanguageCodeItem,
    ListTranscriptionJobsRequest,
    ListTranscriptionJobsResponse,
    StartTranscriptionJobRequest,
    StartTranscriptionJobResponse,
    SubtitlesOutput,
    TranscriptLocation,
    TranscriptionJob,
    TranscriptionJobSummary,
)
from speech.transcribe.vocabularies import hotwords
from speech.transcribe.word_lists import FILTER, VOCABULARY

KIND = "TRANSCRIPTION"
STATUS = {"SUBMITTED": "QUEUED", "IN_PROGRESS": "IN_PROGRESS", "COMPLETED": "COMPLETED", "FAILED": "FAILED"}
PAGE_SIZE = 5  # AWS's default MaxResults
DEFAULT_MAX_SPEAKERS = 10  # when ShowSpeakerLabels comes without MaxSpeakerLabels
# The request members a job record keeps, to answer GetTranscriptionJob with them.
_KEPT = {"LanguageCode", "MediaSampleRateHertz", "MediaFormat", "Media", "Settings", "ModelSettings",
         "ContentRedaction", "IdentifyLanguage", "IdentifyMultipleLanguages", "LanguageOptions", "Tags",
         "OutputBucketName", "OutputKey", "Subtitles"}


def _media_location(uri: str | None, roots: list[Path]) -> Location:
    if not uri:
        raise BadRequest("Media.MediaFileUri is required.")
    if uri.startswith(("http://", "https://")):
        raise BadRequest("Media from http(s) URLs isn't fetched by this gateway; use s3:// or a local path.")
    location = parse(uri)
    if location.scheme == "file" and not is_inside(location.key, roots):
        raise BadRequest(f"The local path {uri!r} is outside the folders jobs may read (settings jobs.local_roots).")
    return location


def _write(storage: Storage, target: OutputFile, data: bytes, content_type: str) -> None:
    try:
        storage.write_bytes(target.location, data, content_type)
    except ResourceNotFound as exc:
        raise BadRequest(f"The output can't be written: {exc.message}") from None


class TranscriptionJobOperations:
    _models: ModelRegistry

    def _job_store(self) -> JobStore:
        # Read per call: the gateway configures the registry's settings after services are built.
        return runner_of(self).store(self._models.settings.data_dir / "transcribe" / "jobs.sqlite3")

    def _record(self, name: str) -> JobRecord:
        found = self._job_store().list(KIND, name=name, limit=1)
        if not found:
            raise NotFound(f"The requested job {name!r} couldn't be found. Check the job name and try again.")
        return found[0]

    @operation
    def start_transcription_job(self, request: StartTranscriptionJobRequest) -> StartTranscriptionJobResponse:
        """Start transcribing a media file; poll GetTranscriptionJob until COMPLETED or FAILED."""
        settings = self._models.settings
        _media_location(request.Media.MediaFileUri, settings.jobs.local_roots)
        engine = speech_engine(self._models, request.ModelSettings and request.ModelSettings.LanguageModelName)
        recognition.check(engine, self._recognition_request(request.model_dump(), check_lists=True))
        redaction = request.ContentRedaction
        kinds = ([] if redaction and redaction.RedactionOutput == "redacted" else ["transcript"])
        kinds += ["redacted"] if redaction else []
        kinds += sorted(set(request.Subtitles.Formats or [])) if request.Subtitles else []
        if redaction and (request.LanguageCode or "en-US").split("-")[0] != "en":
            raise BadRequest("ContentRedaction is supported for English transcripts only.")
        outputs = plan(settings, request.TranscriptionJobName, request.OutputBucketName, request.OutputKey, kinds)
        params = request.model_dump(include=_KEPT, exclude_none=True)
        params["outputs"] = {kind: [f.location, f.uri] for kind, f in outputs.items()}
        # The job name is the idempotency token too: of two concurrent starts with one name, the
        # second gets the first's record back, and answers a conflict as for a name already taken.
        if self._job_store().list(KIND, name=request.TranscriptionJobName, limit=1):
            raise _taken(request.TranscriptionJobName)
        job_id = uuid.uuid4().hex
        record = runner_of(self).submit(self._job_store(), job_id, KIND, request.TranscriptionJobName, params,
                                        request.TranscriptionJobName, self._transcribe)
        if record.job_id != job_id:
            raise _taken(request.TranscriptionJobName)
        return StartTranscriptionJobResponse(TranscriptionJob=self._job(record))

    def _recognition_request(self, params: dict[str, Any], *, check_lists: bool = False) -> recognition.Request:
        settings = params.get("Settings") or {}
        vocabulary = settings.get("VocabularyName")
        if check_lists and settings.get("VocabularyFilterName"):
            if not settings.get("VocabularyFilterMethod"):
                raise BadRequest("VocabularyFilterName needs a VocabularyFilterMethod.")
            self.word_list(FILTER, settings["VocabularyFilterName"])
        if check_lists and settings.get("ShowSpeakerLabels") is False and settings.get("MaxSpeakerLabels"):
            raise BadRequest("MaxSpeakerLabels needs ShowSpeakerLabels.")
        return recognition.Request(
            language=params.get("LanguageCode"), identify=bool(params.get("IdentifyLanguage")),
            identify_multiple=bool(params.get("IdentifyMultipleLanguages")), options=params.get("LanguageOptions"),
            hotwords=hotwords(self.word_list(VOCABULARY, vocabulary)) if vocabulary else None,
        )

    def _transcribe(self, record: JobRecord) -> None:
        """The job's work, on a worker thread: raises to fail the job with the reason."""
        params = record.params
        settings = self._models.settings
        started = datetime.now(timezone.utc).isoformat()
        location = _media_location(params["Media"]["MediaFileUri"], settings.jobs.local_roots)
        try:
            source = Path(location.key) if location.scheme == "file" else Storage(settings).read_bytes(location)
        except ResourceNotFound as exc:
            raise BadRequest(f"The media can't be read: {exc.message}") from None
        engine = speech_engine(self._models, (params.get("ModelSettings") or {}).get("LanguageModelName"))
        job_settings = params.get("Settings") or {}
        speakers = job_settings.get("MaxSpeakerLabels", DEFAULT_MAX_SPEAKERS) \
            if job_settings.get("ShowSpeakerLabels") else None
        windows = audio.stream(source, chunk_seconds=recognition.WINDOW_SECONDS)
        if speakers:
            windows = diarization_resemblyzer.Recorder(windows, self._models)
        found = recognition.recognize(engine, windows, self._recognition_request(params))
        items = transcript.items_of(found.segments, found.segment_languages)
        speaker_labels = None
        if speakers:
            times = [(item.start, item.end) for item in items if item.start is not None]
            speaker_labels = transcript.label_speakers(items, windows.speakers(times, speakers))
        if job_settings.get("VocabularyFilterName"):
            words = self.word_list(FILTER, job_settings["VocabularyFilterName"]).words
            items = item_edits.apply_filter(items, words, job_settings["VocabularyFilterMethod"])
        language_codes = sorted(found.durations.items()) if found.segment_languages is not None else None
        self._write_outputs(record, items, speaker_labels=speaker_labels, language_identification=found.identification,
                            language_codes=language_codes)
        facts = {"StartTime": started, "LanguageCode": found.language, "IdentifiedLanguageScore": found.score,
                 "LanguageCodes": [{"LanguageCode": c, "DurationInSeconds": round(s, 2)}
                                   for c, s in language_codes or []] or None}
        (outputs_folder(settings, record.name) / "job.json").write_text(json.dumps(facts))

    def _write_outputs(self, record: JobRecord, items: list[transcript.Item], **results: Any) -> None:
        """The transcript, its redacted copy and the subtitles (of the redacted items, when redacting)."""
        storage = Storage(self._models.settings)
        outputs_folder(self._models.settings, record.name).mkdir(parents=True, exist_ok=True)
        outputs = {kind: OutputFile(*where) for kind, where in record.params["outputs"].items()}
        if "transcript" in outputs:
            body = transcript.document(record.name, items, **results)
            _write(storage, outputs["transcript"], json.dumps(body).encode(), "application/json")
        if redaction := record.params.get("ContentRedaction"):
            items = item_edits.redact(items, PiiDetector(self._models), redaction.get("PiiEntityTypes"))
            body = transcript.document(record.name, items, **results)
            _write(storage, outputs["redacted"], json.dumps(body).encode(), "application/json")
        start_index = (record.params.get("Subtitles") or {}).get("OutputStartIndex", 0)
        for kind, writer in subtitles.WRITERS.items():
            if kind in outputs:
                _write(storage, outputs[kind], writer(items, start_index).encode(), "text/plain; charset=utf-8")

    def _job(self, record: JobRecord) -> TranscriptionJob:
        params = dict(record.params)
        outputs = {kind: OutputFile(*where) for kind, where in params.pop("outputs").items()}
        facts_file = outputs_folder(self._models.settings, record.name) / "job.json"
        facts = json.loads(facts_file.read_text()) if record.status == "COMPLETED" and facts_file.is_file() else {}
        completed = record.status == "COMPLETED"
        subtitle_kinds = [kind for kind in subtitles.WRITERS if kind in outputs]
        params.pop("OutputBucketName", None)
        params.pop("OutputKey", None)
        subtitles_request = params.pop("Subtitles", None)
        return TranscriptionJob(
            TranscriptionJobName=record.name, TranscriptionJobStatus=STATUS[record.status],
            CreationTime=record.submit_time, StartTime=facts.get("StartTime"),
            CompletionTime=record.end_time, FailureReason=record.message if record.status == "FAILED" else None,
            Transcript=TranscriptLocation(
                TranscriptFileUri=outputs["transcript"].uri if "transcript" in outputs else None,
                RedactedTranscriptFileUri=outputs["redacted"].uri if "redacted" in outputs else None,
            ) if completed else TranscriptLocation(),
            Subtitles=SubtitlesOutput(
                Formats=subtitle_kinds, OutputStartIndex=(subtitles_request or {}).get("OutputStartIndex", 0),
                SubtitleFileUris=[outputs[kind].uri for kind in subtitle_kinds] if completed else None,
            ) if subtitles_request else None,
            **{**params, **{k: v for k, v in facts.items() if k != "StartTime" and v is not None}},
        )

    @operation
    def get_transcription_job(self, request: GetTranscriptionJobRequest) -> GetTranscriptionJobResponse:
        """A transcription job's status and, once COMPLETED, where its transcript is."""
        return GetTranscriptionJobResponse(TranscriptionJob=self._job(self._record(request.TranscriptionJobName)))

    @operation
    def list_transcription_jobs(self, request: ListTranscriptionJobsRequest) -> ListTranscriptionJobsResponse:
        """Transcription jobs, newest first, filtered by status or by a text in their name."""
        store_status = next((k for k, v in STATUS.items() if v == request.Status), None)
        records = self._job_store().list(KIND, status=store_status, limit=1_000_000)
        contains = (request.JobNameContains or "").casefold()
        records = [r for r in reversed(records) if contains in (r.name or "").casefold()]
        page, token = offset_page(records, request.NextToken, request.MaxResults, default_size=PAGE_SIZE,
                                  error=BadRequest)
        summaries = []
        for record in page:
            job = self._job(record)
            summaries.append(TranscriptionJobSummary(
                OutputLocationType="CUSTOMER_BUCKET" if record.params.get("OutputBucketName") else "SERVICE_BUCKET",
                **job.model_dump(include=set(TranscriptionJobSummary.model_fields), exclude_none=True),
            ))
        return ListTranscriptionJobsResponse(Status=request.Status, NextToken=token,
                                             TranscriptionJobSummaries=summaries)

    @operation
    def delete_transcription_job(self, request: DeleteTranscriptionJobRequest) -> Empty:
        """Delete a job's record and the outputs the gateway holds for it (not those in your bucket)."""
        record = self._record(request.TranscriptionJobName)
        self._job_store().delete(record.kind, record.job_id)
        shutil.rmtree(outputs_folder(self._models.settings, record.name), ignore_errors=True)
        return Empty()

    def output_file(self, job_name: str, file_name: str) -> Path:
        """A file the gateway holds for a job (its transcript when no OutputBucketName was given)."""
        record = self._record(job_name)
        for location, _ in record.params["outputs"].values():
            if Path(location).name == file_name and Path(location).is_file():
                return Path(location)
        raise NotFound(f"The job {job_name!r} has no file {file_name!r} held by the gateway.")


def _taken(name: str) -> Conflict:
    return Conflict(f"The requested job name {name!r} already exists. Use a different job name.")
