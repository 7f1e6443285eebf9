"""Rewriting text around detected spans (Presidio's anonymizer idea, without its engine): mask each
character, tag with the type, or replace with a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from core.errors import ValidationError
from nlp.pii.types import PiiSpan

Mode = Literal["mask", "type", "hash"]
MODES: frozenset[str] = frozenset({"mask", "type", "hash"})
HASH_CHARS = 12  # 48 bits: no collisions among the values of one document, short enough to read

# Hashes are keyed (HMAC-SHA-256), not plain: an unkeyed hash of an SSN or a phone number is undone
# by hashing all 10^9 candidates, seconds of work. The default key lives as long as the process, so
# the same value gets the same token within it (joins across one run still work); pass `hash_key`
# from settings for tokens that stay stable across restarts and machines.
_PROCESS_KEY = secrets.token_bytes(32)


@dataclass(frozen=True)
class RedactionResult:
    text: str
    counts_by_type: dict[str, int]


def redact(
    text: str,
    spans: Iterable[PiiSpan],
    mode: Mode = "mask",
    mask_char: str = "*",
    *,
    hash_key: bytes | None = None,
) -> RedactionResult:
    if mode not in MODES:
        raise ValidationError(f"Unknown redaction mode {mode!r}; use one of {', '.join(sorted(MODES))}.")
    if len(mask_char) != 1:
        raise ValidationError(f"The mask character must be one character, not {mask_char!r}.")
    regions = _merge(spans, len(text))
    key = _PROCESS_KEY if hash_key is None else hash_key
    # Right to left, so each region's offsets still point into the original text when it is
    # replaced; the pieces are joined once at the end rather than copying the text per region.
    pieces: list[str] = []
    cursor = len(text)
    for region in reversed(regions):
        value = text[region.begin : region.end]
        pieces += [text[region.end : cursor], _replacement(value, region.type, mode, mask_char, key)]
        cursor = region.begin
    pieces.append(text[:cursor])
    return RedactionResult("".join(reversed(pieces)), dict(Counter(r.type for r in regions)))


def _replacement(value: str, pii_type: str, mode: str, mask_char: str, key: bytes) -> str:
    if mode == "mask":
        return mask_char * len(value)
    if mode == "type":
        return f"[{pii_type}]"
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:HASH_CHARS]


def _merge(spans: Iterable[PiiSpan], length: int) -> list[PiiSpan]:
    """Overlapping spans become one region, named after its best span (highest score, then longest),
    so no character of either is left showing."""
    regions: list[PiiSpan] = []
    best: PiiSpan | None = None
    for span in sorted(spans, key=lambda s: (s.begin, s.end)):
        if not 0 <= span.begin < span.end <= length:
            raise ValidationError(f"Span {span.begin}-{span.end} is outside a text of {length} characters.")
        if regions and span.begin < regions[-1].end:
            best = max(best, span, key=lambda s: (s.score, s.end - s.begin))
            regions[-1] = PiiSpan(best.type, regions[-1].begin, max(regions[-1].end, span.end), best.score)
        else:
            best = span
            regions.append(span)
    return regions
