"""How one response becomes stored objects, declared per operation.

By default the whole response is written as JSON beside the object's key (`<key>.json`). Operations
whose answer *is* a document — a redacted copy, a transcript, subtitles — write those members as-is,
as AWS's asynchronous jobs do (`<key>.out`, `redacted-<key>.json`), so the output folder mirrors the
input folder. A member that is None writes no file (a transcript without subtitles). Members an AWS
Describe/Get answer needs later (the language a transcription identified) are `kept` in the object's
record rather than written as files of the user's.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from core.storage import Location, parse
from speech.transcribe import subtitles


def member(response: BaseModel, path: str) -> Any:
    """The value at a dotted path of the response ("RedactedText", "Transcript.results")."""
    value: Any = response
    for name in path.split("."):
        value = value.get(name) if isinstance(value, dict) else getattr(value, name)
        if value is None:
            return None
    return value


def _content(value: Any) -> bytes:
    if isinstance(value, BaseModel):
        return value.model_dump_json(exclude_none=True).encode()
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    return json.dumps(value).encode()


@dataclass(frozen=True)
class OutputFile:
    suffix: str
    content_type: str
    member: str | None = None  # dotted path of the response member written; None: the response as JSON
    prefix: str = ""  # put before the key's file name: "redacted-" for a redacted transcript
    render: Callable[[Any], str | bytes | None] | None = None  # the member's value -> the file, if any
    type_member: str | None = None  # the response member giving the content type, where it varies (Polly's formats)

    def name(self, key: str) -> str:
        """The file's key below the output folder, for the object `key`."""
        folder, name = posixpath.split(key)
        return posixpath.join(folder, self.prefix + name + self.suffix)

    def location(self, root: Location, key: str) -> Location:
        return root.child(self.name(key))

    def content(self, response: BaseModel) -> bytes | None:
        value = response if self.member is None else member(response, self.member)
        if value is not None and self.render is not None:
            value = self.render(value)  # None: no such file for this response (a format not asked for)
        return None if value is None else _content(value)

    def content_type_of(self, response: BaseModel) -> str:
        return (self.type_member and member(response, self.type_member)) or self.content_type


@dataclass(frozen=True)
class ObjectOutput:
    files: tuple[OutputFile, ...]  # the first is the object's main output, named in the manifest
    kept: tuple[str, ...] = ()  # response members kept in the job's records

    def location(self, output: str | Location, key: str) -> Location:
        """Where the main result of the object `key` goes; refuses keys that climb out of the output prefix."""
        root = output if isinstance(output, Location) else parse(output)
        return self.files[0].location(root, key)

    def written(self, output: Location, key: str, response: BaseModel) -> Iterator[tuple[Location, bytes, str]]:
        """(where, content, content type) of each file the response makes, the main one last: a resumed
        job takes an existing main output as proof that the object's files were all written."""
        for file in reversed(self.files):
            content = file.content(response)
            if content is not None:
                yield file.location(output, key), content, file.content_type_of(response)

    def kept_of(self, response: BaseModel) -> dict[str, Any] | None:
        if not self.kept:
            return None
        return {name: _plain(member(response, name)) for name in self.kept}


def _plain(value: Any) -> Any:
    return to_jsonable_python(value, exclude_none=True)


_SUBTITLES = "text/plain; charset=utf-8"
JSON_RESULT = ObjectOutput((OutputFile(".json", "application/json"),))
# A transcription's files by kind, named as AWS names a transcription job's (gateway/jobs/aws_transcribe_outputs.py).
TRANSCRIPTION_FILES = {
    "transcript": OutputFile(".json", "application/json", "Transcript"),
    "redacted": OutputFile(".json", "application/json", "RedactedTranscript", prefix="redacted-"),
    "srt": OutputFile(".srt", _SUBTITLES, "Subtitles", render=subtitles.srt),
    "vtt": OutputFile(".vtt", _SUBTITLES, "Subtitles", render=subtitles.vtt),
}

OBJECT_OUTPUTS: dict[str, ObjectOutput] = {
    "comprehend.RedactPiiEntities": ObjectOutput(
        (OutputFile(".out", "text/plain; charset=utf-8", "RedactedText"),)),
    # Named "1", as AWS names a Textract job's output file: the object key is "1" (gateway/jobs/aws_textract.py).
    "textract.AnalyzeDocumentPages": ObjectOutput((OutputFile("", "application/json"),)),
    "transcribe.TranscribeMedia": ObjectOutput(tuple(TRANSCRIPTION_FILES.values()),
                                               kept=("LanguageCode", "IdentifiedLanguageScore", "LanguageCodes")),
    "personalize.RecommendJsonLines": ObjectOutput((OutputFile(".out", "application/json", "results"),)),
    # Named "<TaskId>.<ext>" by the task's object key (gateway/jobs/aws_polly.py), of its format's content type.
    "polly.SynthesizeLongSpeech": ObjectOutput(
        (OutputFile("", "application/octet-stream", "AudioStream", type_member="ContentType"),)),
}


def object_output(operation_id: str) -> ObjectOutput:
    return OBJECT_OUTPUTS.get(operation_id, JSON_RESULT)
