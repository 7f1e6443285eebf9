"""Polly's speech synthesis tasks, a mixin of `Polly`: long texts synthesized on a worker and written
to S3 as `<OutputS3KeyPrefix><TaskId>.<ext>`, recorded durably (core/service_jobs.py) in
`<data_dir>/polly/tasks.sqlite3`. A task is checked like SynthesizeSpeech when it is started, so bad
input fails the call rather than the task.

A local folder takes the bucket's place as Transcribe's local media paths do: `OutputS3BucketName`
is then an absolute path or a `file://` URI inside one of settings.jobs.local_roots (in process, on
the REST door and through the SDK; AWS's bucket-name pattern keeps it off the AWS door), the file is
`<folder>/<OutputS3KeyPrefix><TaskId>.<ext>` and `OutputUri` its `file://` URI.
"""

from __future__ import annotations

import uuid

from pathlib import Path

from core.errors import InvalidNextToken, InvalidS3Bucket, SynthesisTaskNotFound
from core.model_registry import ModelRegistry
from core.paging import offset_page
from core.service import operation
from core.service_jobs import JobRecord, JobStore, runner_of
from core.storage import Location, Storage, parse
from speech.audio_encoding import CONTENT_TYPES
from speech.local_roots import is_inside
from speech.polly import synthesis
from speech.polly.shapes import (
    GetSpeechSynthesisTaskRequest,
    GetSpeechSynthesisTaskResponse,
    ListSpeechSynthesisTasksRequest,
    ListSpeechSynthesisTasksResponse,
    StartSpeechSynthesisTaskRequest,
    StartSpeechSynthesisTaskResponse,
    SynthesizeSpeechRequest,
    Task,
)

KIND = "SPEECH_SYNTHESIS"
PAGE_SIZE = 100
EXTENSIONS = {"mp3": "mp3", "ogg_vorbis": "ogg", "ogg_opus": "ogg", "pcm": "pcm", "json": "marks"}
# The job store's statuses as Polly words them.
STATUSES = {"SUBMITTED": "scheduled", "IN_PROGRESS": "inProgress", "COMPLETED": "completed", "FAILED": "failed"}
_STORE_STATUS = {polly: store for store, polly in STATUSES.items()}
# Members of the request the task keeps and reports.
_SETTINGS = {"Engine", "LanguageCode", "LexiconNames", "OutputFormat", "SampleRate", "SpeechMarkTypes", "Text",
             "TextType", "VoiceId", "SnsTopicArn"}


def _task(record: JobRecord) -> Task:
    params = record.params
    return Task(
        TaskId=record.job_id, TaskStatus=STATUSES[record.status], TaskStatusReason=record.message,
        OutputUri=params["OutputUri"], CreationTime=record.submit_time, RequestCharacters=params["RequestCharacters"],
        **{k: v for k, v in params["Settings"].items() if k != "Text"},
    )


class TaskOperations:
    _models: ModelRegistry

    def _task_store(self) -> JobStore:
        # Read per call: the gateway configures the registry's settings after services are built.
        return runner_of(self).store(self._models.settings.data_dir / "polly" / "tasks.sqlite3")

    def _output(self, bucket: str, key: str) -> Location:
        """The task's file: in S3, or in a local folder named in place of the bucket."""
        if not bucket.startswith(("/", "file://")):
            return Location("s3", bucket, key)
        folder = Path(parse(bucket).key)
        path = (folder / key).resolve()
        if not (is_inside(folder, self._models.settings.jobs.local_roots) and path.is_relative_to(folder.resolve())):
            raise InvalidS3Bucket(f"The folder {bucket!r} (with the key prefix) is outside the folders tasks may "
                                  f"write (settings jobs.local_roots).")
        return Location("file", "", str(path))

    def _output_uri(self, location: Location) -> str:
        if location.scheme == "file":
            return Path(location.key).as_uri()
        settings = self._models.settings
        endpoint = settings.s3_endpoint_url or f"https://s3.{settings.s3_region}.amazonaws.com"
        return f"{endpoint.rstrip('/')}/{location.bucket}/{location.key}"

    def _synthesize_task(self, record: JobRecord) -> None:
        """The task's work, on a worker thread: raises to fail the task with the reason."""
        request = SynthesizeSpeechRequest.model_validate(record.params["Settings"])
        planned = synthesis.plan(request, self._lexicon, synthesis.TASK_LIMITS)  # type: ignore[attr-defined]
        Storage(self._models.settings).write_bytes(
            Location(**record.params["Output"]), synthesis.perform(planned, self._models),
            CONTENT_TYPES[planned.output_format],
        )

    @operation
    def start_speech_synthesis_task(
        self, request: StartSpeechSynthesisTaskRequest
    ) -> StartSpeechSynthesisTaskResponse:
        """Synthesize up to 100,000 characters on a worker, written to S3 or a local folder; poll
        GetSpeechSynthesisTask."""
        planned = synthesis.plan(request, self._lexicon, synthesis.TASK_LIMITS)  # type: ignore[attr-defined]
        task_id = uuid.uuid4().hex
        key = f"{request.OutputS3KeyPrefix or ''}{task_id}.{EXTENSIONS[request.OutputFormat]}"
        output = self._output(request.OutputS3BucketName, key)
        params = {
            "Settings": request.model_dump(include=_SETTINGS, exclude_none=True),
            "Output": {"scheme": output.scheme, "bucket": output.bucket, "key": output.key},
            "OutputUri": self._output_uri(output),
            "RequestCharacters": planned.characters,
        }
        record = runner_of(self).submit(self._task_store(), task_id, KIND, None, params, None,
                                        self._synthesize_task)
        return StartSpeechSynthesisTaskResponse(SynthesisTask=_task(record))

    @operation
    def get_speech_synthesis_task(self, request: GetSpeechSynthesisTaskRequest) -> GetSpeechSynthesisTaskResponse:
        """A synthesis task's status and output location."""
        record = self._task_store().get(KIND, request.TaskId)
        if record is None:
            raise SynthesisTaskNotFound(f"Synthesis task not found: {request.TaskId}.")
        return GetSpeechSynthesisTaskResponse(SynthesisTask=_task(record))

    @operation
    def list_speech_synthesis_tasks(self, request: ListSpeechSynthesisTasksRequest) -> ListSpeechSynthesisTasksResponse:
        """Synthesis tasks in the order they were started, optionally of one status."""
        # Tasks are listed in submission order and new ones come last, so an offset stays valid as
        # a next token while tasks are started.
        records = self._task_store().list(KIND, status=_STORE_STATUS.get(request.Status or ""), limit=-1)
        page, token = offset_page(records, request.NextToken, request.MaxResults, default_size=PAGE_SIZE,
                                  error=InvalidNextToken)
        return ListSpeechSynthesisTasksResponse(SynthesisTasks=[_task(r) for r in page], NextToken=token)
