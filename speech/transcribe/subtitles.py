"""Subtitle files (SRT and WebVTT) from a transcript's items, through a track of timed cues (whose
texts PII redaction can reach before the files are written): cues of at most a few seconds and a
couple of short lines, cut after sentence ends, as AWS's subtitle output is."""

from __future__ import annotations

from speech.transcribe.media_shapes import SubtitleCue, SubtitleTrack
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


def track(items: list[Item], formats: list[str], start_index: int) -> SubtitleTrack:
    return SubtitleTrack(Formats=formats, OutputStartIndex=start_index,
                         Cues=[SubtitleCue(Start=a, End=b, Text=text) for a, b, text in cues(items)])


def _clock(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _render(subtitles: SubtitleTrack, separator: str) -> str:
    return "\n".join(f"{n}\n{_clock(cue.Start, separator)} --> {_clock(cue.End, separator)}\n{cue.Text}\n"
                     for n, cue in enumerate(subtitles.Cues, start=subtitles.OutputStartIndex))


def srt(subtitles: SubtitleTrack) -> str | None:
    """The SRT file of a track, or None when its job did not ask for SRT."""
    return _render(subtitles, ",") if "srt" in subtitles.Formats else None


def vtt(subtitles: SubtitleTrack) -> str | None:
    return "WEBVTT\n\n" + _render(subtitles, ".") if "vtt" in subtitles.Formats else None
