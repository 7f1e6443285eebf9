"""Services and their operations.

A service is a class (`Comprehend`) whose methods are AWS operations in snake_case, each taking
one pydantic request model and returning one response model whose field names are the AWS shape's
members. `@operation` records that contract once; every door (REST, AWS, SDK, CLI) reads it from
here instead of restating routes or types.

In-process callers may pass the request model, or its members as arguments:
`comprehend.detect_sentiment("I love it", language_code="en")`.
"""

from __future__ import annotations

import base64
import functools
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, TypeVar, get_type_hints

import pydantic

from core.errors import ValidationError
from core.text_fields import TextFields

Req = TypeVar("Req", bound=pydantic.BaseModel)
Resp = TypeVar("Resp", bound=pydantic.BaseModel)

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_case(name: str) -> str:
    """`DetectSentiment` -> `detect_sentiment`, `S3Object` -> `s3_object`."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def pascal_case(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


# A blob member (Image.Bytes, Document.Content): bytes in Python, standard base64 in JSON as on the
# AWS wire. pydantic's own "base64" writes the URL-safe alphabet, which AWS clients do not read.
Blob = Annotated[bytes, pydantic.PlainSerializer(lambda b: base64.b64encode(b).decode("ascii"), when_used="json")]


class Shape(pydantic.BaseModel):
    """Base of request/response models: AWS member names, unknown members ignored as AWS does."""

    # Reading base64 accepts both alphabets; writing goes through `Blob`.
    model_config = pydantic.ConfigDict(extra="ignore", ser_json_bytes="base64", val_json_bytes="base64")


@dataclass(frozen=True)
class Operation:
    name: str  # AWS operation name, e.g. "DetectSentiment"
    method: str  # Python method name, e.g. "detect_sentiment"
    request: type[pydantic.BaseModel]
    response: type[pydantic.BaseModel]
    summary: str
    text: TextFields = TextFields()  # where requests and responses carry free text (core/text_fields.py)
    served: bool = True  # False: a step of the gateway's jobs only, which no door offers to clients

    @property
    def slug(self) -> str:
        """The REST path segment and CLI command: `detect-sentiment`."""
        return self.method.replace("_", "-")


def _describe_validation(exc: pydantic.ValidationError) -> str:
    problems = [f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}" for err in exc.errors()]
    return f"{len(problems)} validation error{'s' if len(problems) != 1 else ''} detected: " + "; ".join(problems)


def build_request(model: type[Req], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Req:
    """A request model from a model instance, or from members given positionally (required members
    in declaration order) and by name (AWS or snake_case)."""
    if len(args) == 1 and not kwargs and isinstance(args[0], model):
        return args[0]
    by_snake = {snake_case(name): name for name in model.model_fields}
    required = [name for name, f in model.model_fields.items() if f.is_required()]
    if len(args) > len(required):
        raise TypeError(f"{model.__name__} takes at most {len(required)} positional members, got {len(args)}")
    data: dict[str, Any] = dict(zip(required, args))
    for key, value in kwargs.items():
        member = key if key in model.model_fields else by_snake.get(key)
        if member is None:
            raise TypeError(f"{model.__name__} has no member {key!r}")
        data[member] = value
    return validate_request(model, data)


def validate_request(model: type[Req], data: Any) -> Req:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(_describe_validation(exc)) from None


def operation(
    fn: Callable[[Any, Req], Resp] | None = None,
    *,
    name: str | None = None,
    text_in: tuple[str, ...] = (),
    text_out: tuple[str, ...] = (),
    document_type: str | None = None,
    served: bool = True,
) -> Any:
    """Mark a service method as an AWS operation: `@operation`, or `@operation(name="AnalyzeID")`
    where the AWS name is not the method name in PascalCase (acronyms). `text_in`/`text_out` are the
    paths of the free text the request sends and the response returns (core/text_fields.py).
    `served=False` keeps an operation off the doors: one that reads and writes where its request says
    (a job's last step) must not be a client's way into the server's files."""
    if fn is None:
        return functools.partial(operation, name=name, text_in=text_in, text_out=text_out,
                                 document_type=document_type, served=served)
    hints = get_type_hints(fn)
    params = [p for p in inspect.signature(fn).parameters if p != "self"]
    if len(params) != 1:
        raise TypeError(f"operation {fn.__name__} must take exactly one request model")
    request, response = hints[params[0]], hints["return"]
    text = TextFields(tuple(text_in), tuple(text_out), document_type)
    text.check(request, response)

    @functools.wraps(fn)
    def call(self: Any, *args: Any, **kwargs: Any) -> Resp:
        return fn(self, build_request(request, args, kwargs))

    call.__aws_operation__ = Operation(  # type: ignore[attr-defined]
        name=name or pascal_case(fn.__name__),
        method=fn.__name__,
        request=request,
        response=response,
        summary=inspect.cleandoc(fn.__doc__ or "").split("\n\n")[0],
        text=text,
        served=served,
    )
    return call


class Service:
    """Base of every service class. `name` is the boto3 client name (and REST path segment)."""

    name: ClassVar[str]

    @classmethod
    def operations(cls) -> dict[str, Operation]:
        """AWS operation name -> Operation, in definition order."""
        ops: dict[str, Operation] = {}
        for klass in reversed(cls.__mro__):
            for attr in vars(klass).values():
                op = getattr(attr, "__aws_operation__", None)
                if op is not None:
                    ops[op.name] = op
        return ops

    @classmethod
    def served_operations(cls) -> dict[str, Operation]:
        """The operations the doors offer (all but jobs' internal steps)."""
        return {name: op for name, op in cls.operations().items() if op.served}
