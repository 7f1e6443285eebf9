"""Subtitle files (SRT and WebVTT) from a transcript's items: cues of at most a few seconds and a
couple of short lines, cut after sentence ends, as AWS's subtitle output is."""

from __future__ import annotations

from speech.transcribe.transcript import Item, text_of

MAX_CUE_SECONDS = 6.0
MAX_CUE_CHARS = 84  # two lines of 42, the usual broadcast limit
_SENTENCE_END = {".", "!", "?", "。", "！", "？"}


def cues(items: list[Item]) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue."""
    out: list[tuple[float, float, str]] = []
    current: list[Item] = []

    def close() -> None:
        timed = [i for i in current if i.start is not None]
        if timed:
            out.append((timed[0].start, timed[-1].end, text_of(current)))
        current.clear()

    for item in items:
        timed = [i for i in current if i.start is not None]
        if item.type == "pronunciation" and timed and (
            item.end - timed[0].start > MAX_CUE_SECONDS or len(text_of(current)) + len(item.content) >= MAX_CUE_CHARS
        ):
            close()
        current.append(item)
        if item.type == "punctuation" and item.content in _SENTENCE_END:
            close()
    close()
    return out


def _clock(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _render(items: list[Item], start_index: int, separator: str) -> str:
    return "\n".join(f"{n}\n{_clock(a, separator)} --> {_clock(b, separator)}\n{text}\n"
                     for n, (a, b, text) in enumerate(cues(items), start=start_index))


def srt(items: list[Item], start_index: int = 0) -> str:
    return _render(items, start_index, ",")


def vtt(items: list[Item], start_index: int = 0) -> str:
    return "WEBVTT\n\n" + _render(items, start_index, ".")


WRITERS = {"srt": srt, "vtt": vtt}
