"""Redacting the texts an operation declares (core/text_fields.py), in place, with nlp's detector.

Texts are found in one detector call per side (request, response), joined: a DetectSyntax answer
of 300 tokens costs one call, not 300. Response texts are often fragments of the request (an
entity's or a token's `Text`): "415" of a phone number, "Maria" alone, which no detector
recognizes out of context. So the PII values found in the request, and their pieces, are also
looked for in the response ("quoted" below); and so are those found in the response's other texts
(an OCR LINE and the WORDs that repeat it).

Documents (bytes fields): text/plain whole, text/html by text nodes and alt/title attributes,
through TranslateDocument's own readers. Other types (.docx) are refused, not passed through: a
.docx writer that rewrites paragraphs would lose their formatting, and an unredacted document
under a redaction policy would be a leak that looks like compliance.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from core.errors import InvalidRequest
from core.settings import PiiRedactionSettings
from core.text_fields import Slot, TextFields, slots
from gateway.middleware.pii_policy import Policy
from nlp.pii import PiiDetector, PiiSpan, redact
from nlp.translate_documents import HTML, PLAIN, read_html, read_plain

DOCUMENT_READERS = {PLAIN: read_plain, HTML: read_html}
_JOIN = "\n"
# Where tokenizers split a value: "415-555-0132" comes back as the tokens 415, -, 555, -, 0132.
_PIECE_BREAK = re.compile(r"[\s\-]+")
_MIN_PIECE = 2  # one letter of a name identifies no one; masking every "J" would wreck the text


@dataclass
class _Field:
    """One declared value: its texts, and how to rebuild the value from their redacted forms."""

    slot: Slot
    texts: list[str]
    rebuild: Callable[[list[str]], Any]


def check_documents(text: TextFields, request: BaseModel) -> None:
    """Refuse, before any engine runs, a document that redaction could not cover."""
    content_type = text.content_type(request)
    if content_type is not None and content_type not in DOCUMENT_READERS:
        raise InvalidRequest(f"PII redaction covers {' and '.join(DOCUMENT_READERS)} documents, not {content_type}.")


def _fields(model: BaseModel, paths: tuple[str, ...], content_type: str | None) -> list[_Field]:
    fields = []
    for path in paths:
        for slot in slots(model, path):
            value = slot.get()
            if isinstance(value, bytes):
                texts, write = DOCUMENT_READERS[content_type](value)  # type: ignore[index]
                fields.append(_Field(slot, texts, write))
            else:
                fields.append(_Field(slot, [value], lambda texts: texts[0]))
    return fields


class _Quoted:
    """PII values of the request and their pieces, found wherever they appear whole in a text."""

    def __init__(self, texts: list[str], spans: list[list[PiiSpan]]) -> None:
        self.sources = texts
        self._types: dict[str, str] = {}
        for text, found in zip(texts, spans):
            for span in found:
                value = text[span.begin : span.end]
                for piece in [value, *_PIECE_BREAK.split(value)]:
                    if len(piece) >= _MIN_PIECE:
                        self._types.setdefault(piece, span.type)
        # Longest first, so that a whole value wins over its pieces.
        alternatives = "|".join(re.escape(v) for v in sorted(self._types, key=len, reverse=True))
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if self._types else None

    def spans(self, text: str) -> list[PiiSpan]:
        if self._pattern is None:
            return []
        return [PiiSpan(self._types[m[0]], m.start(), m.end(), 1.0) for m in self._pattern.finditer(text)]


class Redactor:
    def __init__(self, detector: PiiDetector, hash_key: bytes | None = None) -> None:
        self._detector = detector
        self._hash_key = hash_key

    @classmethod
    def from_settings(cls, settings: PiiRedactionSettings, detector: PiiDetector) -> Redactor:
        return cls(detector, settings.hash_key.get_secret_value().encode() if settings.hash_key else None)

    def _detect(self, texts: list[str], types: frozenset[str] | None) -> list[list[PiiSpan]]:
        """Spans of each text from one detector call over all of them joined; a span that crosses
        a join (a name split over two tokens) is cut there, each part redacted in its own text."""
        starts = [0]
        for text in texts:
            starts.append(starts[-1] + len(text) + len(_JOIN))
        joined = _JOIN.join(texts)
        found: list[list[PiiSpan]] = [[] for _ in texts]
        if not joined.strip():
            return found
        for span in self._detector.detect(joined, types=types):
            index = bisect_right(starts, span.begin) - 1
            while index < len(texts) and starts[index] < span.end:
                begin = max(span.begin, starts[index]) - starts[index]
                end = min(span.end, starts[index] + len(texts[index])) - starts[index]
                if begin < end:
                    found[index].append(PiiSpan(span.type, begin, end, span.score))
                index += 1
        return found

    def _apply(self, fields: list[_Field], spans: list[list[PiiSpan]], mode: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        position = 0
        for field in fields:
            redacted = []
            for text in field.texts:
                result = redact(text, spans[position], mode, hash_key=self._hash_key)  # type: ignore[arg-type]
                counts.update(result.counts_by_type)
                redacted.append(result.text)
                position += 1
            if redacted != field.texts:
                field.slot.set(field.rebuild(redacted))
        return counts

    def run(self, text: TextFields, request: BaseModel, policy: Policy,
            call: Callable[[BaseModel], BaseModel]) -> tuple[BaseModel, Counter[str]]:
        """`call(request)` with the request's and the response's declared texts redacted as the
        policy says, in place; also the number of values redacted, by type."""
        check_documents(text, request)
        content_type = text.content_type(request)
        counts: Counter[str] = Counter()
        quoted = _Quoted([], [])
        if policy.request or (policy.response and text.response):
            inputs = _fields(request, text.request, content_type)
            texts = [t for field in inputs for t in field.texts]
            spans = self._detect(texts, policy.types)
            quoted = _Quoted(texts, spans)
            if policy.request:
                counts += self._apply(inputs, spans, policy.mode)
        response = call(request)
        if policy.response and text.response:
            outputs = _fields(response, text.response, content_type)
            texts = [t for field in outputs for t in field.texts]
            # A text quoted verbatim from the request (an entity, a token) was already searched, in
            # its full context: only new texts (a translation) need the detector.
            new = [i for i, t in enumerate(texts) if not any(t in source for source in quoted.sources)]
            spans = [quoted.spans(t) for t in texts]
            for i, found in zip(new, self._detect([texts[i] for i in new], policy.types)):
                spans[i] += found
            # A value found in one text of the answer is hidden wherever else the answer repeats it or
            # its pieces: OCR's WORD blocks quote their LINE one word at a time, out of context.
            answered = _Quoted(texts, spans)
            spans = [found + answered.spans(t) for found, t in zip(spans, texts)]
            counts += self._apply(outputs, spans, policy.mode)
        return response, counts
