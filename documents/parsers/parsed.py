"""What a parser gives back, and the one error every parser raises."""

from __future__ import annotations

from dataclasses import dataclass


class DocumentUnreadable(Exception):
    """The bytes are not a readable document of the content type they were given as."""


@dataclass(frozen=True)
class ParsedDocument:
    text: str  # paragraphs separated by blank lines, so passages can follow the document's structure
    title: str | None = None


def decode(data: bytes) -> str:
    """Text bytes as UTF-8 (with or without BOM), falling back to Latin-1, which reads any byte."""
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")
