"""Personalize schemas (Avro records) and the CSV rows checked against them.

A schema is an Avro `record` whose fields are the dataset's columns: reserved USER_ID, ITEM_ID
(strings) and TIMESTAMP (long), EVENT_TYPE/EVENT_VALUE, and typed metadata fields (`"categorical":
true` strings hold several values joined by "|"). A field may be nullable (`["null", "string"]`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from core.errors import InvalidInput

_TYPES = {"string", "int", "long", "float", "double", "boolean"}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# The columns each dataset type needs, with the types AWS allows them.
REQUIRED = {
    "Interactions": {"USER_ID": {"string"}, "ITEM_ID": {"string"}, "TIMESTAMP": {"long", "int"}},
    "Items": {"ITEM_ID": {"string"}},
    "Users": {"USER_ID": {"string"}},
}
MAX_REPORTED_ROWS = 10


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    nullable: bool
    categorical: bool


def parse_schema(text: str) -> list[Field]:
    """The fields of an Avro record schema, or InvalidInputException saying what is wrong."""
    try:
        schema = json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"The schema is not valid JSON: {exc}.") from None
    if not isinstance(schema, dict) or schema.get("type") != "record":
        raise InvalidInput('The schema must be an Avro record: {"type": "record", "name": ..., "fields": [...]}.')
    if not isinstance(schema.get("name"), str) or not isinstance(schema.get("fields"), list) or not schema["fields"]:
        raise InvalidInput("An Avro record schema needs a name and a non-empty list of fields.")
    fields = [_field(raw) for raw in schema["fields"]]
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        raise InvalidInput(f"The schema names a field more than once: {names}.")
    if not {"USER_ID", "ITEM_ID"} & set(names):
        raise InvalidInput("A Personalize schema needs a USER_ID or an ITEM_ID field.")
    for field in fields:
        for columns in REQUIRED.values():
            if field.name in columns and field.type not in columns[field.name]:
                raise InvalidInput(f"Field {field.name} must be of type {' or '.join(sorted(columns[field.name]))},"
                                   f" not {field.type}.")
    return fields


def _field(raw: Any) -> Field:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or "type" not in raw:
        raise InvalidInput(f"Every Avro field needs a name and a type: {raw!r}.")
    name, kind = raw["name"], raw["type"]
    if not _NAME.match(name):
        raise InvalidInput(f"Field name {name!r} is not a valid Avro name.")
    nullable = isinstance(kind, list) and "null" in kind
    if isinstance(kind, list):
        rest = [k for k in kind if k != "null"]
        kind = rest[0] if len(rest) == 1 else None
    if kind not in _TYPES:
        raise InvalidInput(f"Field {name} has type {raw['type']!r}; Personalize takes {sorted(_TYPES)},"
                           " optionally in a union with null.")
    return Field(name, kind, nullable, bool(raw.get("categorical")) and kind == "string")


def check_dataset_type(fields: list[Field], dataset_type: str) -> None:
    names = {f.name for f in fields}
    missing = [name for name in REQUIRED[dataset_type] if name not in names]
    if missing:
        raise InvalidInput(f"A schema for an {dataset_type} dataset needs the fields {missing}.")


def _typed(field: Field, text: str) -> Any:
    if field.type in ("int", "long"):
        return int(text)
    if field.type in ("float", "double"):
        return float(text)
    if field.type == "boolean":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"{text!r} is not a boolean")
        return text.lower() == "true"
    return text


def read_csv(data: bytes, fields: list[Field], source: str) -> list[dict[str, Any]]:
    """Typed rows of a CSV file with a header naming the schema's fields. Bad rows are reported
    (InvalidInputException naming their lines), never dropped: an import is all or nothing."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{source} is not UTF-8 text.") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise InvalidInput(f"{source} is empty: a CSV with a header row is expected.")
    by_name = {f.name.upper(): f for f in fields}
    header = [column.strip() for column in header]
    unknown = [c for c in header if c.upper() not in by_name]
    missing = [f.name for f in fields if not f.nullable and f.name.upper() not in {c.upper() for c in header}]
    if unknown or missing:
        raise InvalidInput(f"The columns of {source} do not match the schema: "
                           + "; ".join(filter(None, [unknown and f"not in the schema: {unknown}",
                                                     missing and f"missing: {missing}"])) + ".")
    columns = [by_name[c.upper()] for c in header]
    rows, problems, bad = [], [], 0
    for line, values in enumerate(reader, start=2):
        if not values:
            continue
        try:
            rows.append(_row(columns, values))
        except ValueError as exc:
            bad += 1
            if len(problems) < MAX_REPORTED_ROWS:
                problems.append(f"line {line}: {exc}")
    if bad:
        raise InvalidInput(f"{bad} row(s) of {source} do not match the schema, so nothing was imported: "
                           + "; ".join(problems) + ("; ..." if bad > len(problems) else "") + ".")
    return rows


def _row(columns: list[Field], values: list[str]) -> dict[str, Any]:
    if len(values) != len(columns):
        raise ValueError(f"{len(values)} values for {len(columns)} columns")
    row = {}
    for field, text in zip(columns, values):
        if text == "":
            if not field.nullable:
                raise ValueError(f"{field.name} is empty but not nullable")
            row[field.name] = None
            continue
        try:
            row[field.name] = _typed(field, text)
        except ValueError:
            raise ValueError(f"{field.name} = {text!r} is not a {field.type}") from None
    return row
