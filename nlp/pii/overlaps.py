"""One reading per stretch of text: Comprehend never returns overlapping entities."""

from __future__ import annotations

from bisect import bisect
from collections.abc import Iterable

from nlp.pii.types import PiiSpan


def resolve_overlaps(spans: Iterable[PiiSpan]) -> list[PiiSpan]:
    """Where spans overlap keep the longest, then the higher score: the longest reading ("12 Oak Ave,
    Springfield, IL" over "Springfield", an e-mail over the domain inside it) covers the most PII."""
    kept: list[PiiSpan] = []  # sorted by begin and, since they never overlap, by end too
    for span in sorted(spans, key=lambda s: (s.begin - s.end, -s.score, s.begin)):
        at = bisect(kept, span.begin, key=lambda k: k.begin)
        clashes_before = at > 0 and kept[at - 1].end > span.begin
        clashes_after = at < len(kept) and kept[at].begin < span.end
        if not (clashes_before or clashes_after):
            kept.insert(at, span)
    return kept
