"""The AWS rest-json protocol: each operation has its own method and URI template; members travel in
the path, the query, headers, a raw payload or a JSON body, as the input/output shapes say.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import format_datetime
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote

from botocore.model import OperationModel, Shape, StructureShape

from gateway.aws.json_protocol import dump_json, encode_members, encode_value, load_json_object, utc
from gateway.aws.service_models import load_service_model
from gateway.aws.validation import parse_params

Body = bytes | Iterable[bytes]


class RouteMatch(NamedTuple):
    service_name: str
    operation: OperationModel
    uri_params: dict[str, str]


@dataclass(frozen=True)
class _Endpoint:
    service_name: str
    operation: OperationModel
    labels: tuple[str, ...]
    # Some requestUris pin query parameters (`/{Bucket}?uploads`, `?x-id=GetObject`); "" = any value.
    fixed_query: tuple[tuple[str, str], ...]

    def accepts(self, query: Sequence[tuple[str, str]]) -> bool:
        return all(any(key == k and value in ("", v) for k, v in query) for key, value in self.fixed_query)


@dataclass
class _Node:
    """One path segment of a trie of URI templates."""

    literals: dict[str, _Node] = field(default_factory=dict)
    label: _Node | None = None
    greedy: _Node | None = None
    endpoints: list[_Endpoint] = field(default_factory=list)


class RestJsonRouter:
    """Finds the operation for a method and path among the given services' URI templates."""

    def __init__(self, service_names: Iterable[str]) -> None:
        self._roots: dict[str, _Node] = {}
        for service_name in service_names:
            model = load_service_model(service_name)
            for operation_name in model.operation_names:
                self._add(service_name, model.operation_model(operation_name))

    def _add(self, service_name: str, operation: OperationModel) -> None:
        path, _, fixed_query = operation.http["requestUri"].partition("?")
        node = self._roots.setdefault(operation.http["method"], _Node())
        labels = []
        for segment in path.split("/"):
            if segment.startswith("{") and segment.endswith("}"):
                label = segment[1:-1]
                greedy = label.endswith("+")
                labels.append(label.rstrip("+"))
                if greedy:
                    node.greedy = node.greedy or _Node()
                    node = node.greedy
                else:
                    node.label = node.label or _Node()
                    node = node.label
            else:
                node = node.literals.setdefault(segment, _Node())
        pinned = tuple(parse_qsl(fixed_query, keep_blank_values=True))
        node.endpoints.append(_Endpoint(service_name, operation, tuple(labels), pinned))
        # The template that pins more of the query is the more specific one.
        node.endpoints.sort(key=lambda endpoint: -len(endpoint.fixed_query))

    def match(self, method: str, path: str, query: Sequence[tuple[str, str]] = ()) -> RouteMatch | None:
        """`path` is the raw, still percent-encoded path: an encoded '/' inside a label stays in it."""
        root = self._roots.get(method.upper())
        found = root and _search(root, path.split("/"), 0, (), query)
        if not found:
            return None
        endpoint, captured = found
        uri_params = {label: unquote(value) for label, value in zip(endpoint.labels, captured)}
        return RouteMatch(endpoint.service_name, endpoint.operation, uri_params)


def _search(
    node: _Node, segments: list[str], index: int, captured: tuple[str, ...], query: Sequence[tuple[str, str]]
) -> tuple[_Endpoint, tuple[str, ...]] | None:
    """Depth-first, literals before labels before greedy labels, backtracking on dead ends."""
    if index == len(segments):
        endpoint = next((endpoint for endpoint in node.endpoints if endpoint.accepts(query)), None)
        return (endpoint, captured) if endpoint else None
    segment = segments[index]
    found = None
    if segment in node.literals:
        found = _search(node.literals[segment], segments, index + 1, captured, query)
    if not found and segment and node.label:
        found = _search(node.label, segments, index + 1, (*captured, segment), query)
    if not found and segment and node.greedy:
        # A greedy label takes one or more segments, as many as still lets the rest match.
        for end in range(len(segments), index, -1):
            value = "/".join(segments[index:end])
            found = _search(node.greedy, segments, end, (*captured, value), query)
            if found:
                break
    return found


@dataclass(frozen=True)
class _Layout:
    """Where each member of a rest-json shape travels."""

    located: tuple[tuple[str, str, str, Shape], ...]  # (member, location, wire name, shape)
    body: dict[str, Shape]  # members of the JSON body when there is no payload member
    payload: str | None


@functools.cache
def _layout(shape: StructureShape) -> _Layout:
    located, body = [], {}
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        if location:
            located.append((name, location, member.serialization.get("name", name), member))
        else:
            body[name] = member
    return _Layout(tuple(located), body, shape.serialization.get("payload"))


def parse_rest_json_request(
    operation: OperationModel,
    uri_params: Mapping[str, str],
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
) -> dict[str, Any]:
    """`headers` must look names up case-insensitively (as Starlette's and botocore's do)."""
    shape = operation.input_shape
    if shape is None:
        return {}
    layout = _layout(shape)
    if layout.payload is None:
        wire = load_json_object(body)
    else:
        member = shape.members[layout.payload]
        wire = {member.serialization.get("name", layout.payload): _payload(member, body)}
    query_values: dict[str, list[str]] = {}
    for key, value in query:
        query_values.setdefault(key, []).append(value)
    for _, location, wire_name, member in layout.located:
        if location == "uri":
            texts = [uri_params[wire_name]] if wire_name in uri_params else []
        elif location == "querystring":
            texts = query_values.get(wire_name, [])
        elif location == "header" and wire_name in headers:
            header = headers[wire_name]
            # A list travels in one header, comma-joined.
            texts = [item.strip() for item in header.split(",")] if member.type_name == "list" else [header]
        else:
            texts = []
        # A located member never comes from the body, even when the body has a key of that name.
        wire.pop(wire_name, None)
        if texts:
            wire[wire_name] = _from_texts(member, texts)
    return parse_params(shape, wire)


def _payload(member: Shape, body: bytes) -> Any:
    if not body:
        return None
    return load_json_object(body) if member.type_name == "structure" else body


def _from_texts(shape: Shape, texts: list[str]) -> Any:
    if shape.type_name == "list":
        return [_from_text(shape.member, text) for text in texts]
    return _from_text(shape, texts[0])


def _from_text(shape: Shape, text: str) -> Any:
    """Text from a path, query or header, typed as JSON would carry it; what fails stays text so
    that the validator names the member and its type."""
    kind = shape.type_name
    try:
        if kind in ("integer", "long"):
            return int(text)
        if kind in ("float", "double"):
            return float(text)
    except ValueError:
        return text
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    return text


def serialize_rest_json_output(
    operation: OperationModel, output: Mapping[str, Any]
) -> tuple[int, dict[str, str], Body]:
    status = operation.http.get("responseCode", 200)
    shape = operation.output_shape
    if shape is None:
        return status, {}, b""
    layout = _layout(shape)
    headers = {
        wire_name: _to_text(member, output[name])
        for name, location, wire_name, member in layout.located
        if location == "header" and output.get(name) is not None
    }
    if layout.payload is None:
        headers["Content-Type"] = "application/json"
        return status, headers, dump_json(encode_members(layout.body, output))
    member, value = shape.members[layout.payload], output.get(layout.payload)
    if member.type_name == "structure":
        headers["Content-Type"] = "application/json"
        return status, headers, dump_json(encode_value(member, value) if value is not None else {})
    # A blob payload is the raw body; a streaming one may be an iterator of chunks, passed through.
    return status, headers, b"" if value is None else value


def _to_text(shape: Shape, value: Any) -> str:
    kind = shape.type_name
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "timestamp":
        return format_datetime(utc(value), usegmt=True)
    if kind == "list":
        return ",".join(_to_text(shape.member, item) for item in value)
    return str(value)
