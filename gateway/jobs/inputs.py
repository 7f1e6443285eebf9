"""How one stored object becomes one request, declared per operation.

A batch job runs an operation that takes one item; the table says which request member receives the
object's content and in what form. It is written out rather than guessed from the request model:
"the first str member" would be right for DetectSentiment and wrong for ClassifyDocument (whose
first required member is EndpointArn).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import InvalidRequest


@dataclass(frozen=True)
class ObjectInput:
    member: str  # dotted path of the request member, e.g. "Text" or "Document.Content"
    text: bool  # True: the content decoded as UTF-8; False: the raw bytes (a blob member)
    key_member: str | None = None  # the member that receives the object's key, for operations that name
    # what they make after the object (a topic document is named after its file)

    def request_data(self, parameters: dict[str, Any], content: bytes, key: str) -> dict[str, Any]:
        """`parameters` with the object's content placed at `member` (copied: parameters are shared)."""
        if self.text:
            try:
                value: str | bytes = content.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InvalidRequest(f"The object is not UTF-8 text (byte {exc.start}).") from None
        else:
            value = content
        data = _placed(parameters, self.member, value)
        return data if self.key_member is None else _placed(data, self.key_member, key)

    def conflicts_with(self, parameters: dict[str, Any]) -> str | None:
        """The member the object fills that the parameters already set, if any."""
        for path in filter(None, (self.member, self.key_member)):
            node: Any = parameters
            for name in path.split("."):
                if not isinstance(node, dict) or name not in node:
                    break
                node = node[name]
            else:
                return path
        return None


def _placed(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `data` with `value` at the dotted `path`; the dicts on the way are copied, not changed."""
    data = dict(data)
    *parents, leaf = path.split(".")
    node = data
    for name in parents:
        child = dict(node.get(name) or {})
        node[name] = child
        node = child
    node[leaf] = value
    return data


TEXT = ObjectInput("Text", text=True)

OBJECT_INPUTS: dict[str, ObjectInput] = {
    "comprehend.DetectDominantLanguage": TEXT,
    "comprehend.DetectSentiment": TEXT,
    "comprehend.DetectEntities": TEXT,
    "comprehend.DetectKeyPhrases": TEXT,
    "comprehend.DetectSyntax": TEXT,
    "comprehend.DetectTargetedSentiment": TEXT,
    "comprehend.DetectPiiEntities": TEXT,
    "comprehend.ContainsPiiEntities": TEXT,
    "comprehend.RedactPiiEntities": TEXT,
    "comprehend.ClassifyDocument": TEXT,
    "comprehend.ReadTopicDocuments": ObjectInput("Text", text=True, key_member="ObjectKey"),
    "translate.TranslateText": TEXT,
    # Document.ContentType (text/plain, text/html, docx) comes from the job's parameters.
    "translate.TranslateDocument": ObjectInput("Document.Content", text=False),
    "textract.AnalyzeDocumentPages": ObjectInput("Document.Bytes", text=False),
    "rekognition.AnalyzeVideo": ObjectInput("Video.Bytes", text=False),
    "transcribe.TranscribeMedia": ObjectInput("Media.Bytes", text=False),
    "personalize.RecommendJsonLines": ObjectInput("jsonLines", text=True),
    "polly.SynthesizeLongSpeech": TEXT,  # a synthesis task's text, kept as a file (gateway/jobs/aws_polly.py)
}


def object_input(operation_id: str) -> ObjectInput:
    found = OBJECT_INPUTS.get(operation_id)
    if found is None:
        raise InvalidRequest(f"{operation_id} cannot run as a batch job; operations that take one object: "
                             + ", ".join(sorted(OBJECT_INPUTS)) + ".")
    return found
