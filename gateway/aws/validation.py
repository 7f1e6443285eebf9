"""Input side of both JSON protocols: wire values become the params a service receives, checked
against the operation's botocore input shape.

Every violation is collected so that the client sees them all in one ValidationException, worded
the way AWS words them ("Value null at 'text' failed to satisfy constraint: ...").
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from core.errors import SerializationError, ValidationError


def parse_params(shape: StructureShape | None, wire: Mapping[str, Any]) -> dict[str, Any]:
    """`wire` is keyed by wire names (a member's locationName, else its name); the result by member name."""
    if shape is None:
        return {}
    walk = _Walk()
    params = walk.structure(shape, wire, "")
    if walk.violations:
        count = len(walk.violations)
        plural = "error" if count == 1 else "errors"
        raise ValidationError(f"{count} validation {plural} detected: " + "; ".join(walk.violations))
    return params


class _Walk:
    def __init__(self) -> None:
        self.violations: list[str] = []

    def value(self, shape: Shape, value: Any, path: str) -> Any:
        return _BY_TYPE[shape.type_name](self, shape, value, path)

    def fail(self, shape: Shape, value: Any, path: str, constraint: str) -> None:
        # Sensitive values (documents, text to speak) must not echo back into messages and logs;
        # blobs have no useful text.
        if value is None:
            shown = " null"
        elif shape.metadata.get("sensitive") or isinstance(value, bytes):
            shown = ""
        else:
            shown = f" '{_text(value)}'"
        self.violations.append(f"Value{shown} at '{path}' failed to satisfy constraint: {constraint}")

    def wrong_type(self, shape: Shape, value: Any, path: str) -> Any:
        self.fail(shape, value, path, f"Member must be of type {shape.type_name}")
        return value

    def sized(self, shape: Shape, value: Any, path: str, size: float, what: str) -> None:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and size < low:
            self.fail(shape, value, path, f"Member must have {what} greater than or equal to {low}")
        if high is not None and size > high:
            self.fail(shape, value, path, f"Member must have {what} less than or equal to {high}")

    def structure(self, shape: StructureShape, value: Any, path: str) -> Any:
        if shape.is_document_type:
            return value
        if not isinstance(value, Mapping):
            return self.wrong_type(shape, value, path)
        required = shape.required_members
        params = {}
        for name, member in shape.members.items():
            raw = value.get(member.serialization.get("name", name))
            member_path = f"{path}.{_camel(name)}" if path else _camel(name)
            if raw is None:
                if name in required:
                    self.fail(member, None, member_path, "Member must not be null")
                continue
            params[name] = self.value(member, raw, member_path)
        if shape.is_tagged_union and len(params) != 1:
            self.fail(shape, value, path, "Member must have exactly one member set")
        return params

    def sequence(self, shape: ListShape, value: Any, path: str) -> Any:
        if not isinstance(value, list):
            return self.wrong_type(shape, value, path)
        self.sized(shape, value, path, len(value), "length")
        items = []
        for index, item in enumerate(value, start=1):
            item_path = f"{path}.{index}.member"
            if item is None:
                self.fail(shape.member, None, item_path, "Member must not be null")
            else:
                items.append(self.value(shape.member, item, item_path))
        return items

    def mapping(self, shape: MapShape, value: Any, path: str) -> Any:
        if not isinstance(value, Mapping):
            return self.wrong_type(shape, value, path)
        self.sized(shape, value, path, len(value), "length")
        entries = {}
        for key, item in value.items():
            entry_path = f"{path}.{key}"
            entries[self.value(shape.key, key, entry_path)] = (
                self.value(shape.value, item, entry_path) if item is not None else None
            )
        return entries

    def string(self, shape: Shape, value: Any, path: str) -> Any:
        if not isinstance(value, str):
            return self.wrong_type(shape, value, path)
        self.sized(shape, value, path, len(value), "length")
        enum = shape.enum
        if enum and value not in enum:
            self.fail(shape, value, path, f"Member must satisfy enum value set: [{', '.join(enum)}]")
        pattern = shape.metadata.get("pattern")
        compiled = _compile(pattern) if pattern else None
        # AWS's servers match the whole value (Java's matches()), so '^[a-z]+' rejects 'a b'.
        if compiled is not None and not compiled.fullmatch(value):
            self.fail(shape, value, path, f"Member must satisfy regular expression pattern: {pattern}")
        return value

    def integer(self, shape: Shape, value: Any, path: str) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            return self.wrong_type(shape, value, path)
        self.sized(shape, value, path, value, "value")
        return value

    def number(self, shape: Shape, value: Any, path: str) -> Any:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return self.wrong_type(shape, value, path)
        self.sized(shape, value, path, value, "value")
        return float(value)

    def boolean(self, shape: Shape, value: Any, path: str) -> Any:
        return value if isinstance(value, bool) else self.wrong_type(shape, value, path)

    def blob(self, shape: Shape, value: Any, path: str) -> Any:
        # A rest-json payload arrives as raw bytes; inside JSON a blob is base64 text.
        if isinstance(value, str):
            try:
                value = base64.b64decode(value, validate=True)
            except ValueError:  # binascii.Error, or text that is not even ASCII
                raise SerializationError(f"Value at '{path}' is not valid base64") from None
        if not isinstance(value, bytes):
            return self.wrong_type(shape, value, path)
        self.sized(shape, value, path, len(value), "length")
        return value

    def timestamp(self, shape: Shape, value: Any, path: str) -> Any:
        parsed = None if isinstance(value, bool) else _timestamp(value)
        return parsed if parsed is not None else self.wrong_type(shape, value, path)


_BY_TYPE: dict[str, Callable[[_Walk, Any, Any, str], Any]] = {
    "structure": _Walk.structure,
    "list": _Walk.sequence,
    "map": _Walk.mapping,
    "string": _Walk.string,
    "integer": _Walk.integer,
    "long": _Walk.integer,
    "float": _Walk.number,
    "double": _Walk.number,
    "boolean": _Walk.boolean,
    "blob": _Walk.blob,
    "timestamp": _Walk.timestamp,
}


def _camel(name: str) -> str:
    # AWS names members in lowerCamelCase in its messages: 'languageCode', 'image.s3Object'.
    return name[:1].lower() + name[1:]


def _text(value: Any) -> str:
    """Java's toString, which is what AWS's messages show."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_text(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}={_text(item)}" for key, item in value.items()) + "}"
    return str(value)


@functools.lru_cache(maxsize=1024)
def _compile(pattern: str) -> re.Pattern[str] | None:
    # Models write Java regexes; those that Python cannot compile (\p{L}, \P{C}, ...) go unchecked.
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _timestamp(value: Any) -> datetime | None:
    """Epoch seconds (a number, or its text in a header or query), ISO 8601, or an HTTP date."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return _dated_text(value)
    if not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def _dated_text(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
