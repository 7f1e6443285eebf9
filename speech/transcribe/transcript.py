"""The transcript file of a job in AWS's format: Whisper's words split into `pronunciation` and
`punctuation` items, the full text rebuilt from the items (so redaction and vocabulary filters,
which edit items, also edit the text), `audio_segments`, and, when asked for, `speaker_labels`
and `language_identification`. Times and confidences are strings, as in AWS's files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.arns import ACCOUNT_ID
from speech.engines.speech_model import Segment

# Punctuation Whisper attaches to words: closing marks after a word, opening ones before it.
_CLOSING = set(".,!?;:…。，！？、)]}\"'”’»")
_OPENING = set("¿¡([{\"'“‘«")
# A word that starts with one of these continues the word before it.
_JOINING = {"-", "'", "’"}
# Abbreviations keep their full stop, as AWS writes them ("Mr.").
_ABBREVIATIONS = {"mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "sr.", "vs.", "etc.", "e.g.", "i.e.", "a.m.", "p.m."}


@dataclass
class Item:
    type: str  # "pronunciation" or "punctuation"
    content: str
    confidence: float
    start: float | None = None
    end: float | None = None
    segment: int = 0  # index of the Whisper segment it came from
    speaker: str | None = None
    language: str | None = None  # AWS code, with IdentifyMultipleLanguages
    filter_match: bool = False  # a vocabulary filter's word, with method "tag"
    redactions: list[dict[str, str]] | None = None  # the PII this item replaces


def _split(token: str) -> tuple[str, str, str]:
    """(opening punctuation, word, closing punctuation) of one Whisper word."""
    word = token.strip()
    if word.lower() in _ABBREVIATIONS:
        return "", word, ""
    head = 0
    while head < len(word) and word[head] in _OPENING:
        head += 1
    tail = len(word)
    while tail > head and word[tail - 1] in _CLOSING:
        tail -= 1
    return word[:head], word[head:tail], word[tail:]


def items_of(segments: list[Segment], languages: list[str | None] | None = None) -> list[Item]:
    """The items of Whisper's segments; `languages` gives each segment's AWS code."""
    items: list[Item] = []
    for index, segment in enumerate(segments):
        language = languages[index] if languages else None
        for word in segment.words:
            previous = items[-1] if items else None
            if word.text[:1] in _JOINING and previous and previous.type == "pronunciation":
                # "ill" + "-disposed", "don" + "'t": Whisper's pieces of one written word.
                _, text, closing = _split(word.text)
                previous.content += text
                previous.end = round(word.end, 3)
                previous.confidence = min(previous.confidence, round(word.probability, 3))
                items += [Item("punctuation", mark, 0.0, segment=index, language=language) for mark in closing]
                continue
            opening, text, closing = _split(word.text)
            items += [Item("punctuation", mark, 0.0, segment=index, language=language) for mark in opening]
            if text:
                items.append(Item("pronunciation", text, round(word.probability, 3), round(word.start, 3),
                                  round(word.end, 3), index, language=language))
            items += [Item("punctuation", mark, 0.0, segment=index, language=language) for mark in closing]
    return items


def layout(items: list[Item]) -> tuple[str, list[tuple[int, int]]]:
    """The transcript text and each item's (begin, end) in it: words spaced, closing marks attached
    to the word before, opening marks to the word after."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    glue_next = True
    for item in items:
        closing = item.type == "punctuation" and item.content not in _OPENING
        if parts and not glue_next and not closing:
            parts.append(" ")
            length += 1
        parts.append(item.content)
        spans.append((length, length + len(item.content)))
        length += len(item.content)
        glue_next = item.type == "punctuation" and item.content in _OPENING
    return "".join(parts), spans


def text_of(items: list[Item]) -> str:
    return layout(items)[0]


def _number(value: float) -> str:
    """AWS's string form: "0.34", "1.0", "0.0"."""
    text = f"{value:.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _item_json(number: int, item: Item) -> dict[str, Any]:
    alternative: dict[str, Any] = {"confidence": _number(item.confidence), "content": item.content}
    if item.redactions:
        alternative["redactions"] = item.redactions
    out: dict[str, Any] = {"id": number, "type": item.type, "alternatives": [alternative]}
    if item.type == "pronunciation":
        out["start_time"], out["end_time"] = _number(item.start or 0.0), _number(item.end or 0.0)
    if item.speaker:
        out["speaker_label"] = item.speaker
    if item.language:
        out["language_code"] = item.language
    if item.filter_match:
        out["vocabulary_filter_match"] = True
    return out


def _audio_segments(items: list[Item]) -> list[dict[str, Any]]:
    by_segment: dict[int, list[int]] = {}
    for number, item in enumerate(items):
        by_segment.setdefault(item.segment, []).append(number)
    segments = []
    for numbers in by_segment.values():
        timed = [items[n] for n in numbers if items[n].start is not None]
        if not timed:
            continue
        segments.append({"id": len(segments), "transcript": text_of([items[n] for n in numbers]),
                         "start_time": _number(timed[0].start), "end_time": _number(timed[-1].end),
                         "items": numbers})
    return segments


def label_speakers(items: list[Item], speakers: list[str]) -> dict[str, Any]:
    """Give the timed items their speakers (one per timed item, in order) and return AWS's
    `speaker_labels`: runs of one speaker's words; punctuation takes the speaker before it."""
    timed = iter(speakers)
    current = speakers[0] if speakers else "spk_0"
    segments: list[dict[str, Any]] = []
    for item in items:
        if item.start is None:
            item.speaker = current
            continue
        item.speaker = current = next(timed)
        entry = {"start_time": _number(item.start), "end_time": _number(item.end), "speaker_label": current}
        if segments and segments[-1]["speaker_label"] == current:
            segments[-1]["end_time"] = entry["end_time"]
            segments[-1]["items"].append(entry)
        else:
            segments.append({**entry, "items": [entry]})
    return {"channel_label": "ch_0", "speakers": len(set(speakers)) or 1, "segments": segments}


def document(job_name: str, items: list[Item], *, speaker_labels: dict[str, Any] | None = None,
             language_identification: list[tuple[str, float]] | None = None,
             language_codes: list[tuple[str, float]] | None = None) -> dict[str, Any]:
    """The transcript file's JSON."""
    results: dict[str, Any] = {
        "transcripts": [{"transcript": text_of(items)}],
        "items": [_item_json(n, item) for n, item in enumerate(items)],
        "audio_segments": _audio_segments(items),
    }
    if speaker_labels is not None:
        results["speaker_labels"] = speaker_labels
    if language_identification is not None:
        results["language_identification"] = [{"code": code, "score": f"{score:.4f}"}
                                              for code, score in language_identification]
    if language_codes is not None:
        results["language_codes"] = [{"language_code": code, "duration_in_seconds": round(seconds, 2)}
                                     for code, seconds in language_codes]
    return {"jobName": job_name, "accountId": ACCOUNT_ID, "status": "COMPLETED", "results": results}
