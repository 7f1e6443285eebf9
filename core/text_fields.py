"""Where an operation's request and response carry free text: declared once per operation
(`@operation(text_in=..., text_out=...)`) so that cross-cutting work on texts (the gateway's PII
redaction, batch job outputs) reads a contract instead of guessing from member names.

A path names members from the model down, `[*]` meaning every item of a list:
`Text`, `TextList[*]`, `TextSegments[*].Text`, `ResultList[*].Entities[*].Text`. A path ends at a
`str` (a text) or at `bytes` (a document, whose MIME type the request names at `document_type`).
Paths are checked against the models when the operation is declared, so a renamed member fails at
import instead of silently leaving a text out.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

import pydantic

ALL_ITEMS = "[*]"


@dataclass(frozen=True)
class Slot:
    """One value at a path in a model instance, readable and replaceable in place."""

    owner: Any  # a model (key: member name) or a list (key: index)
    key: str | int

    def get(self) -> Any:
        return self.owner[self.key] if isinstance(self.key, int) else getattr(self.owner, self.key)

    def set(self, value: Any) -> None:
        if isinstance(self.key, int):
            self.owner[self.key] = value
        else:
            setattr(self.owner, self.key, value)


@dataclass(frozen=True)
class TextFields:
    request: tuple[str, ...] = ()
    response: tuple[str, ...] = ()
    document_type: str | None = None  # request path of the MIME type of `bytes` fields

    def check(self, request: type[pydantic.BaseModel], response: type[pydantic.BaseModel]) -> None:
        leaves = [_leaf(request, p) for p in self.request] + [_leaf(response, p) for p in self.response]
        if bytes in leaves and (self.document_type is None or _leaf(request, self.document_type) is not str):
            raise TypeError("paths ending at bytes (documents) need document_type: the request's MIME type member")

    def content_type(self, request: pydantic.BaseModel) -> str | None:
        if self.document_type is None:
            return None
        found = slots(request, self.document_type)
        return found[0].get() if found else None


def _steps(path: str) -> list[tuple[str, bool]]:
    return [(step.removesuffix(ALL_ITEMS), step.endswith(ALL_ITEMS)) for step in path.split(".")]


def _unwrap(annotation: Any) -> Any:
    """`Annotated[X, ...]` and `X | None` are X."""
    if get_origin(annotation) is Annotated:
        return _unwrap(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        (inner,) = [a for a in get_args(annotation) if a is not type(None)]
        return _unwrap(inner)
    return annotation


def _leaf(model: type[pydantic.BaseModel], path: str) -> type:
    annotation: Any = model
    for name, many in _steps(path):
        if not (isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel)) \
                or name not in annotation.model_fields:
            raise TypeError(f"text path {path!r}: {name!r} is not a member of {getattr(annotation, '__name__', annotation)}")
        annotation = _unwrap(annotation.model_fields[name].annotation)
        if many != (get_origin(annotation) is list):
            raise TypeError(f"text path {path!r}: {name!r} " + ("is not a list" if many else f"is a list: {name}[*]"))
        if many:
            annotation = _unwrap(get_args(annotation)[0])
    if annotation not in (str, bytes):
        raise TypeError(f"text path {path!r} ends at {annotation!r}, not str or bytes")
    return annotation


def slots(model: pydantic.BaseModel, path: str) -> list[Slot]:
    """The values present at `path` in `model`, in document order (absent optional members skipped)."""
    found: list[Slot] = []
    frontier: list[Any] = [model]
    steps = _steps(path)
    for depth, (name, many) in enumerate(steps):
        last = depth == len(steps) - 1
        below: list[Any] = []
        for owner in frontier:
            value = getattr(owner, name, None)
            if value is None:
                continue
            if last:
                found += [Slot(value, i) for i in range(len(value))] if many else [Slot(owner, name)]
            else:
                below += [item for item in value if item is not None] if many else [value]
        frontier = below
    return [slot for slot in found if slot.get() is not None]
