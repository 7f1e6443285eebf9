"""Plain text, CSV, JSON and RTF: formats whose text is (almost) the bytes themselves."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from documents.parsers.parsed import DocumentUnreadable, ParsedDocument, decode


def parse_plain_text(data: bytes) -> ParsedDocument:
    if b"\x00" in data[:4096]:  # binary content sent as text would index as garbage
        raise DocumentUnreadable("The PLAIN_TEXT document holds binary data.")
    return ParsedDocument(decode(data))


def parse_csv(data: bytes) -> ParsedDocument:
    """One paragraph per row, cells joined by ' | ' so that a row reads as one record."""
    rows = csv.reader(io.StringIO(decode(data)))
    return ParsedDocument("\n\n".join(" | ".join(c.strip() for c in row if c.strip()) for row in rows if any(row)))


def _json_lines(value: Any, path: str = "") -> list[str]:
    """`key: value` lines for every scalar, keys joined with '.': the names carry meaning for search."""
    if isinstance(value, dict):
        return [line for key, item in value.items() for line in _json_lines(item, f"{path}.{key}" if path else key)]
    if isinstance(value, list):
        return [line for item in value for line in _json_lines(item, path)]
    if value is None:
        return []
    return [f"{path}: {value}" if path else str(value)]


def parse_json(data: bytes) -> ParsedDocument:
    try:
        value = json.loads(decode(data))
    except json.JSONDecodeError as exc:
        raise DocumentUnreadable(f"The JSON document is not valid JSON: {exc}") from None
    title = value.get("title") if isinstance(value, dict) and isinstance(value.get("title"), str) else None
    return ParsedDocument("\n".join(_json_lines(value)), title)


def parse_rtf(data: bytes) -> ParsedDocument:
    from striprtf.striprtf import rtf_to_text

    source = decode(data)
    if not source.lstrip().startswith("{\\rtf"):
        raise DocumentUnreadable("The RTF document does not start with {\\rtf.")
    return ParsedDocument(rtf_to_text(source, errors="ignore"))
