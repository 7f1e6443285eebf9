"""Polly's StartSpeechSynthesisTask / GetSpeechSynthesisTask / ListSpeechSynthesisTasks, on the JobEngine.

A task's input is its request's text, not an object: Start writes it to
`<data_dir>/polly/tasks/<TaskId>/input.txt`, the one object of a single-object engine job of
`polly.SynthesizeLongSpeech` (SynthesizeSpeech with a task's limits). The job's object is named
`<TaskId>.<ext>` after the file-name part of OutputS3KeyPrefix, in the output folder the prefix's
folder part names, so that the engine writes `<OutputS3KeyPrefix><TaskId>.<ext>` where Polly does,
with the content type of the format; the manifest and summary stay in the task's folder, out of the
user's bucket. A task is checked like SynthesizeSpeech when it is started, so that bad input fails
the call rather than the task.

A local folder takes the bucket's place as Transcribe's local media paths do: `OutputS3BucketName`
is then an absolute path or a `file://` URI inside one of settings.jobs.local_roots (in process, on
the REST door and through the SDK; AWS's bucket-name pattern keeps it off the AWS door), the file is
`<folder>/<OutputS3KeyPrefix><TaskId>.<ext>` and `OutputUri` its `file://` URI.
"""

from __future__ import annotations

import posixpath
import uuid
from collections.abc import Callable
from pathlib import Path

from core.errors import InvalidNextToken, InvalidS3Bucket, SynthesisTaskNotFound
from core.local_roots import is_inside
from core.paging import offset_page
from core.service import operation
from core.storage import Location, parse
from gateway.jobs.aws_jobs import EngineJobs
from gateway.jobs.models import JobDescription
from gateway.jobs.store import JobLayout, JobRecord, Outcome
from speech.lexicons import Lexicon
from speech.polly import synthesis
from speech.polly.shapes import (
    GetSpeechSynthesisTaskRequest,
    GetSpeechSynthesisTaskResponse,
    ListSpeechSynthesisTasksRequest,
    ListSpeechSynthesisTasksResponse,
    StartSpeechSynthesisTaskRequest,
    StartSpeechSynthesisTaskResponse,
    Task,
)

KIND = "SPEECH_SYNTHESIS"
OPERATION = "polly.SynthesizeLongSpeech"
INPUT = "input.txt"
PAGE_SIZE = 100
EXTENSIONS = {"mp3": "mp3", "ogg_vorbis": "ogg", "ogg_opus": "ogg", "pcm": "pcm", "json": "marks"}
# What SynthesizeLongSpeech takes of the request besides its Text (the job's object), and a Task reports.
_PASSED = {"Engine", "LanguageCode", "LexiconNames", "OutputFormat", "SampleRate", "SpeechMarkTypes", "TextType",
           "VoiceId"}


def _status(job: JobDescription, outcome: Outcome | None) -> tuple[str, str | None]:
    """Polly's TaskStatus and TaskStatusReason of a task's engine job."""
    if not job.finished:  # RUNNING until the manifest is written
        return ("scheduled" if job.state == "SUBMITTED" else "inProgress"), None
    if outcome is not None and outcome.error is not None:
        return "failed", outcome.error["message"]
    if job.state == "COMPLETED" and outcome is not None:
        return "completed", None
    return "failed", job.message or "The task was stopped."


class SpeechSynthesisTaskOperations(EngineJobs):
    _lexicon: Callable[[str], Lexicon]  # the host Polly's stored lexicons, for the Start-time checks

    def _task_folder(self, task_id: str) -> Path:
        return self._models.settings.data_dir / "polly" / "tasks" / task_id

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

    @operation(text_in=("Text",))  # redacted (scope request) before the text is kept for the job
    def start_speech_synthesis_task(
        self, request: StartSpeechSynthesisTaskRequest
    ) -> StartSpeechSynthesisTaskResponse:
        """Synthesize up to 100,000 characters on a worker, written to S3 or a local folder; poll
        GetSpeechSynthesisTask."""
        planned = synthesis.plan(request, self._lexicon, synthesis.TASK_LIMITS)
        token = uuid.uuid4().hex  # Polly takes no client token: every Start is a new task
        task_id = self._job_id(KIND, token)
        output = self._output(request.OutputS3BucketName,
                              f"{request.OutputS3KeyPrefix or ''}{task_id}.{EXTENSIONS[request.OutputFormat]}")
        folder, name = posixpath.split(output.key)
        task_folder = self._task_folder(task_id)
        task_folder.mkdir(parents=True)
        (task_folder / INPUT).write_text(request.Text, encoding="utf-8")
        details = {"OutputUri": self._output_uri(output), "RequestCharacters": planned.characters,
                   **request.model_dump(include={"SnsTopicArn"}, exclude_none=True)}
        job = self._start(KIND, token, str(task_folder / INPUT), str(Location(output.scheme, output.bucket, folder)),
                          OPERATION, request.model_dump(include=_PASSED, exclude_none=True), details,
                          JobLayout(object_key=name, report=str(task_folder)))
        return StartSpeechSynthesisTaskResponse(SynthesisTask=self._task(self._job_engine().record(job.job_id), job))

    def _task(self, record: JobRecord, job: JobDescription) -> Task:
        status, reason = _status(job, self._outcome(job.job_id) if job.finished else None)
        return Task(TaskId=job.job_id, TaskStatus=status, TaskStatusReason=reason,  # type: ignore[arg-type]
                    CreationTime=job.created_at, **record.parameters, **(record.details or {}))

    @operation
    def get_speech_synthesis_task(self, request: GetSpeechSynthesisTaskRequest) -> GetSpeechSynthesisTaskResponse:
        """A synthesis task's status and output location."""
        return GetSpeechSynthesisTaskResponse(SynthesisTask=self._task(*self._job(KIND, request.TaskId,
                                                                                  SynthesisTaskNotFound)))

    @operation
    def list_speech_synthesis_tasks(self, request: ListSpeechSynthesisTasksRequest) -> ListSpeechSynthesisTasksResponse:
        """Synthesis tasks in the order they were started, optionally of one status."""
        # New tasks come last, so an offset stays valid as a next token while tasks are started.
        tasks = [self._task(record, self._job_engine().get(record.job_id)) for record in self._records(KIND, None)]
        page, token = offset_page([task for task in tasks if request.Status in (None, task.TaskStatus)],
                                  request.NextToken, request.MaxResults, default_size=PAGE_SIZE,
                                  error=InvalidNextToken)
        return ListSpeechSynthesisTasksResponse(SynthesisTasks=page, NextToken=token)
