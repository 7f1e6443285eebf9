"""How one response becomes one stored object, declared per operation.

By default the whole response is written as JSON beside the object's key (`<key>.json`). Operations
whose answer *is* a document — a redacted copy — write that member as-is, as AWS's asynchronous jobs
do (`<key>.out`), so the output folder mirrors the input folder.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from core.storage import Location, parse


@dataclass(frozen=True)
class ObjectOutput:
    suffix: str
    content_type: str
    member: str | None = None  # dotted path of the response member written as-is; None: the response as JSON

    def location(self, output: str | Location, key: str) -> Location:
        """Where the result of the object `key` goes; refuses keys that would climb out of the output prefix."""
        root = output if isinstance(output, Location) else parse(output)
        return root.child(key + self.suffix)

    def content(self, response: BaseModel) -> bytes:
        if self.member is None:
            return response.model_dump_json(exclude_none=True).encode()
        value: object = response
        for name in self.member.split("."):
            value = getattr(value, name)
        return value.encode("utf-8") if isinstance(value, str) else bytes(value)  # type: ignore[arg-type]


JSON_RESULT = ObjectOutput(".json", "application/json")

OBJECT_OUTPUTS: dict[str, ObjectOutput] = {
    "comprehend.RedactPiiEntities": ObjectOutput(".out", "text/plain; charset=utf-8", "RedactedText"),
}


def object_output(operation_id: str) -> ObjectOutput:
    return OBJECT_OUTPUTS.get(operation_id, JSON_RESULT)
