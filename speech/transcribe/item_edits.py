"""Edits of a transcript's items: PII redaction (`ContentRedaction`, with nlp's PII detector) and
vocabulary filters (`mask`, `remove`, `tag`). Both work on items so that the text, the segments and
the subtitles rebuilt from them agree."""

from __future__ import annotations

from collections.abc import Collection

from nlp.pii.detector import ALL_TYPES, PiiDetector
from speech.transcribe.transcript import Item, layout

PII_MASK = "[PII]"
FILTER_MASK = "***"


def redact(items: list[Item], detector: PiiDetector, types: Collection[str] | None) -> list[Item]:
    """A copy of the items with each run of words inside one PII entity replaced by one `[PII]` item
    that spans their times. Detection runs on English text (nlp's detector)."""
    wanted = None if not types or ALL_TYPES in types else set(types)
    text, offsets = layout(items)
    spans = detector.detect(text, "en", types=wanted)
    out: list[Item] = []
    taken: dict[int, int] = {}  # span index -> index in `out` of its [PII] item
    for item, (begin, end) in zip(items, offsets):
        hit = next((n for n, s in enumerate(spans) if item.type == "pronunciation" and begin < s.end and end > s.begin),
                   None)
        if hit is None:
            # Punctuation inside an entity (the dots of an e-mail address) goes with it.
            inside = item.type == "punctuation" and any(s.begin <= begin and end <= s.end for s in spans)
            if not inside:
                out.append(item)
            continue
        if hit in taken:
            out[taken[hit]].end = item.end
            continue
        span = spans[hit]
        taken[hit] = len(out)
        out.append(Item("pronunciation", PII_MASK, 0.0, item.start, item.end, item.segment, item.speaker,
                        item.language, redactions=[{"confidence": f"{span.score:.4f}", "type": span.type,
                                                    "category": "PII"}]))
    return out


def apply_filter(items: list[Item], words: Collection[str], method: str) -> list[Item]:
    """Items with the filter's words (and phrases of several words) masked, removed or tagged."""
    phrases = [w.casefold().split() for w in words if w.strip()]
    spoken = [n for n, item in enumerate(items) if item.type == "pronunciation"]
    matched: set[int] = set()
    for start in range(len(spoken)):
        for phrase in phrases:
            window = spoken[start: start + len(phrase)]
            if len(window) == len(phrase) and all(items[n].content.casefold() == w for n, w in zip(window, phrase)):
                matched.update(window)
    out = []
    for n, item in enumerate(items):
        if n not in matched:
            out.append(item)
        elif method == "mask":
            out.append(Item(item.type, FILTER_MASK, item.confidence, item.start, item.end, item.segment,
                            item.speaker, item.language))
        elif method == "tag":
            item.filter_match = True
            out.append(item)
    return out
