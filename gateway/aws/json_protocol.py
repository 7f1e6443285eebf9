"""The AWS json protocol: `POST /`, `X-Amz-Target: <prefix>.<Operation>`, JSON bodies both ways.

Its JSON body codec is also rest-json's (and the error body's): same JSON, same blob and timestamp rules.
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from botocore.model import OperationModel, Shape

from core.errors import SerializationError, UnknownOperation
from gateway.aws.service_models import SERVICES, load_service_model
from gateway.aws.validation import parse_params

_SERVICE_BY_PREFIX = {
    service.target_prefix: name for name, service in SERVICES.items() if service.target_prefix
}


@functools.lru_cache(maxsize=256)
def parse_target(header_value: str) -> tuple[str, OperationModel]:
    """`Comprehend_20171127.DetectSentiment` → ("comprehend", its OperationModel)."""
    prefix, _, operation_name = header_value.rpartition(".")
    service_name = _SERVICE_BY_PREFIX.get(prefix)
    if service_name is None:
        raise UnknownOperation(f"Unknown X-Amz-Target: {header_value!r}")
    model = load_service_model(service_name)
    if operation_name not in model.operation_names:
        raise UnknownOperation(f"{service_name} has no operation {operation_name!r}")
    return service_name, model.operation_model(operation_name)


def parse_json_request(operation: OperationModel, body: bytes) -> dict[str, Any]:
    return parse_params(operation.input_shape, load_json_object(body))


def serialize_json_output(operation: OperationModel, output: Mapping[str, Any]) -> bytes:
    shape = operation.output_shape
    return dump_json(encode_members(shape.members, output) if shape is not None else {})


def load_json_object(body: bytes) -> dict[str, Any]:
    if not body or body.isspace():
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        raise SerializationError("The request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise SerializationError("The request body must be a JSON object")
    return data


def dump_json(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def encode_members(members: Mapping[str, Shape], values: Mapping[str, Any]) -> dict[str, Any]:
    """Only modeled members travel, under their wire names; None means absent."""
    encoded = {}
    for name, member in members.items():
        value = values.get(name)
        if value is not None:
            encoded[member.serialization.get("name", name)] = encode_value(member, value)
    return encoded


def encode_value(shape: Shape, value: Any) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return value if shape.is_document_type else encode_members(shape.members, value)
    if kind == "list":
        return [encode_value(shape.member, item) for item in value]
    if kind == "map":
        return {key: encode_value(shape.value, item) for key, item in value.items()}
    if kind == "blob":
        return base64.b64encode(value).decode("ascii")
    if kind == "timestamp" and isinstance(value, datetime):
        return utc(value).timestamp()
    return value


def utc(moment: datetime) -> datetime:
    """Services may hand back naive datetimes; they mean UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
