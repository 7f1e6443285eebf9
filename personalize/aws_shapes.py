"""Request and response models of the three Personalize clients, built from botocore's own service
models instead of restated by hand: Personalize has some sixty shapes whose member names, nesting
and required members must match AWS exactly, and botocore is the source of truth the AWS door
already validates against. Each model is an ordinary `core.service.Shape` subclass.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from datetime import datetime
from typing import Any

import pydantic

from core.service import Blob, Shape, operation

_SCALARS: dict[str, Any] = {
    "string": str, "integer": int, "long": int, "float": float, "double": float, "boolean": bool,
    "timestamp": datetime, "blob": Blob, "document": Any,
}


@functools.cache
def _service_model(service: str):
    import botocore.session

    return botocore.session.get_session().get_service_model(service)


def _annotation(shape, cache: dict[str, type[Shape]], module: str) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return _model(shape, cache, module)
    if kind == "list":
        return list[_annotation(shape.member, cache, module)]
    if kind == "map":
        return dict[str, _annotation(shape.value, cache, module)]
    return _SCALARS[kind]


def _model(shape, cache: dict[str, type[Shape]], module: str) -> type[Shape]:
    """`module` tells apart the clients' shapes of one name (and other services' models) in OpenAPI."""
    if shape.name not in cache:
        required = set(shape.required_members)
        fields = {
            name: (_annotation(member, cache, module), ...) if name in required
            else (_annotation(member, cache, module) | None, None)
            for name, member in shape.members.items()
        }
        with warnings.catch_warnings():
            # CreateSchemaRequest has a member named `schema`, as BaseModel has a (deprecated) method.
            warnings.simplefilter("ignore", UserWarning)
            cache[shape.name] = pydantic.create_model(shape.name, __base__=Shape, __module__=module, **fields)
    return cache[shape.name]


class AwsShapes:
    """The models of one boto3 client: `shapes.request("CreateSchema")`, `shapes["DatasetGroup"]`."""

    def __init__(self, service: str) -> None:
        self._service = _service_model(service)
        self._cache: dict[str, type[Shape]] = {}
        self._module = f"{__name__}.{service.replace('-', '_')}"

    def __getitem__(self, shape_name: str) -> type[Shape]:
        return _model(self._service.shape_for(shape_name), self._cache, self._module)

    def request(self, operation: str) -> type[Shape]:
        shape = self._service.operation_model(operation).input_shape
        return _model(shape, self._cache, self._module)

    def response(self, operation: str) -> type[Shape]:
        """The output model; an operation with no output (PutEvents) answers an empty one."""
        shape = self._service.operation_model(operation).output_shape
        if shape is None:
            empty = pydantic.create_model(f"{operation}Response", __base__=Shape, __module__=self._module)
            return self._cache.setdefault(f"{operation}Response", empty)
        return _model(shape, self._cache, self._module)


def aws_operation(shapes: AwsShapes, name: str):
    """`@operation` with the request and response models of AWS operation `name`:
    `@aws_operation(CONTROL, "CreateSchema") def create_schema(self, request): ...`."""
    def decorate(fn):
        param = [p for p in inspect.signature(fn).parameters if p != "self"][0]
        fn.__annotations__ = {param: shapes.request(name), "return": shapes.response(name)}
        return operation(fn, name=name)

    return decorate


CONTROL = AwsShapes("personalize")
RUNTIME = AwsShapes("personalize-runtime")
EVENTS = AwsShapes("personalize-events")
