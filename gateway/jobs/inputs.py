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

    def request_data(self, parameters: dict[str, Any], content: bytes) -> dict[str, Any]:
        """`parameters` with the object's content placed at `member` (copied: parameters are shared)."""
        if self.text:
            try:
                value: str | bytes = content.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InvalidRequest(f"The object is not UTF-8 text (byte {exc.start}).") from None
        else:
            value = content
        data = dict(parameters)
        *parents, leaf = self.member.split(".")
        node = data
        for name in parents:
            child = dict(node.get(name) or {})
            node[name] = child
            node = child
        node[leaf] = value
        return data

    def conflicts_with(self, parameters: dict[str, Any]) -> bool:
        """Whether the parameters already set the member the object fills."""
        node: Any = parameters
        for name in self.member.split("."):
            if not isinstance(node, dict) or name not in node:
                return False
            node = node[name]
        return True


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
    "translate.TranslateText": TEXT,
    # Document.ContentType (text/plain, text/html, docx) comes from the job's parameters.
    "translate.TranslateDocument": ObjectInput("Document.Content", text=False),
}


def object_input(operation_id: str) -> ObjectInput:
    found = OBJECT_INPUTS.get(operation_id)
    if found is None:
        raise InvalidRequest(f"{operation_id} cannot run as a batch job; operations that take one object: "
                             + ", ".join(sorted(OBJECT_INPUTS)) + ".")
    return found
