"""File uploads on the REST door: a `multipart/form-data` request becomes the JSON request it stands for.

A part named `request` carries the request's JSON (optional). Every other part names a member by its
dotted path (`Image.Bytes`, `Document.Bytes`, `Documents.0.Blob`, `MaxLabels`): a file part fills a
blob member with its bytes (base64 in the JSON, as the models read blobs), a text part gives the
member's value as text (the models read "10" as 10). So `curl -F Image.Bytes=@cat.jpg
.../v1/rekognition/detect-labels` works, and routes and services never know a form came in.
"""

from __future__ import annotations

import base64
import json
import types
import typing
from typing import Any

from pydantic import BaseModel
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import ServiceError, ValidationError
from gateway.context import request_id
from gateway.errors import error_response

REQUEST_PART = "request"
MAX_PARTS = 1000


def _is_form(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith("/v1/"):
        return False
    content_type = dict(scope["headers"]).get(b"content-type", b"")
    return content_type.split(b";")[0].strip().lower() == b"multipart/form-data"


def _place(document: dict[str, Any], path: str, value: Any) -> None:
    """Set `value` at a dotted path; numeric segments index lists (`Documents.0.Blob`)."""
    segments = path.split(".")
    node: Any = document
    for position, segment in enumerate(segments):
        key: int | str
        if isinstance(node, list) and segment.isdigit():
            key = int(segment)
            node.extend([None] * (key + 1 - len(node)))
        elif isinstance(node, dict):
            key = segment
        else:
            raise ValidationError(f"Form field {path!r} does not fit the request's other members.")
        if position == len(segments) - 1:
            node[key] = value
            return
        child = node[key] if isinstance(node, list) else node.get(key)
        if child is None:
            child = node[key] = [] if segments[position + 1].isdigit() else {}
        node = child


async def _form_as_json(scope: Scope, receive: Receive) -> bytes:
    try:
        form = await Request(scope, receive).form(max_files=MAX_PARTS, max_fields=MAX_PARTS)
    except ServiceError:  # the body limit, raised while the form streams in
        raise
    except Exception as exc:
        raise ValidationError(f"The multipart/form-data body could not be read: {exc}") from None
    try:
        document: dict[str, Any] = {}
        if isinstance(raw := form.get(REQUEST_PART), UploadFile):
            raw = await raw.read()
        if raw:
            try:
                document = json.loads(raw)
            except ValueError:
                raise ValidationError(f"The form part {REQUEST_PART!r} is not JSON.") from None
            if not isinstance(document, dict):
                raise ValidationError(f"The form part {REQUEST_PART!r} must be a JSON object.")
        for name, value in form.multi_items():
            if name == REQUEST_PART:
                continue
            if not name or any(not segment for segment in name.split(".")):
                raise ValidationError(f"Form field name {name!r} is not a dotted member path.")
            if isinstance(value, UploadFile):
                value = base64.b64encode(await value.read()).decode("ascii")
            _place(document, name, value)
        return json.dumps(document).encode()
    finally:
        await form.close()


class MultipartFormMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_form(scope):
            await self.app(scope, receive, send)
            return
        try:
            body = await _form_as_json(scope, receive)
        except ServiceError as error:
            await error_response(error, request_id(scope))(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k not in (b"content-type", b"content-length")]
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        sent = False

        async def json_receive() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # what follows is a disconnect

        await self.app({**scope, "headers": headers}, json_receive, send)


def _blob_paths(model: type[BaseModel], prefix: str = "", depth: int = 0) -> list[str]:
    """Dotted paths of a request model's blob members, for the OpenAPI description of the form."""
    paths: list[str] = []
    if depth > 4:
        return paths
    for name, field in model.model_fields.items():
        pending = [field.annotation]
        while pending:
            kind = pending.pop()
            origin = typing.get_origin(kind)
            if kind is bytes:
                paths.append(prefix + name)
            elif isinstance(kind, type) and issubclass(kind, BaseModel):
                paths += _blob_paths(kind, f"{prefix}{name}.", depth + 1)
            elif origin is list:
                inner = typing.get_args(kind)[0]
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    paths += _blob_paths(inner, f"{prefix}{name}.0.", depth + 1)
            elif origin in (typing.Union, types.UnionType, typing.Annotated):
                pending += typing.get_args(kind)
    return paths


def form_openapi(model: type[BaseModel]) -> dict[str, Any] | None:
    """The multipart/form-data alternative of an operation's request body, for operations that take files."""
    paths = _blob_paths(model)
    if not paths:
        return None
    properties: dict[str, Any] = {
        REQUEST_PART: {"type": "string", "description": "The rest of the request, as JSON."},
        **{path: {"type": "string", "format": "binary"} for path in paths},
    }
    return {"requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": properties}}}}}
