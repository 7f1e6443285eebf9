"""One file's speech recognition, window by window so that hours of audio never sit in memory:
language identification (one language for the file, from its first window, or one per stretch of
speech with IdentifyMultipleLanguages), Whisper's words with times, and the speaker embeddings that
diarization clusters at the end."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from core.errors import BadRequest
from speech.audio import SAMPLE_RATE
from speech.engines.vad_silero import speech_regions
from speech.engines.speech_model import Segment, SpeechModel
from speech.transcribe.languages import to_aws, to_whisper

WINDOW_SECONDS = 600.0  # audio transcribed at once: about 38 MB of samples
CUT_SEARCH_SECONDS = 5.0  # a window ends at the quietest moment of its last seconds
CUT_FRAME = 1600  # 100 ms
TOP_LANGUAGES = 5  # scores listed in the transcript's language_identification


@dataclass(frozen=True)
class Request:
    language: str | None = None  # Transcribe code, when the caller gave one
    identify: bool = False
    identify_multiple: bool = False
    options: list[str] | None = None  # LanguageOptions
    hotwords: str | None = None


@dataclass
class Recognized:
    language: str  # Transcribe code of the file (the most spoken one with several)
    segments: list[Segment] = field(default_factory=list)
    segment_languages: list[str] | None = None
    score: float | None = None
    identification: list[tuple[str, float]] | None = None
    durations: dict[str, float] = field(default_factory=dict)  # seconds of speech per language
    seconds: float = 0.0


def check(engine: SpeechModel, request: Request) -> None:
    """Refuse up front what this model cannot do, before a job is queued."""
    if request.language is None and not (request.identify or request.identify_multiple):
        raise BadRequest("Give a LanguageCode, or set IdentifyLanguage or IdentifyMultipleLanguages.")
    if request.language is not None and (request.identify or request.identify_multiple):
        raise BadRequest("LanguageCode can't be combined with IdentifyLanguage or IdentifyMultipleLanguages.")
    if request.identify and request.identify_multiple:
        raise BadRequest("Set only one of IdentifyLanguage and IdentifyMultipleLanguages.")
    for code in [request.language] if request.language else request.options or []:
        to_whisper(code, engine.languages)


def _ranked(engine: SpeechModel, audio: np.ndarray, options: list[str] | None) -> list[tuple[str, float]]:
    """(Transcribe code, probability) of the languages the audio may be in, most likely first;
    only `options` when given, renormalised over them."""
    allowed = {to_whisper(code, engine.languages): code for code in options} if options else None
    ranked = []
    for whisper, probability in engine.identify(audio):
        code = allowed.get(whisper) if allowed is not None else to_aws(whisper)
        if code:
            ranked.append((code, probability))
    total = sum(p for _, p in ranked) if allowed is not None else 1.0
    return [(code, p / total if total else 0.0) for code, p in ranked]


def cut_at_pauses(windows: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
    """The same audio, each window ending at the quietest 100 ms of its last seconds instead of
    wherever decoding stopped, so that a word is seldom split between two windows."""
    carry = np.zeros(0, np.float32)
    for window in windows:
        joined = np.concatenate([carry, window])
        tail = joined[-int(CUT_SEARCH_SECONDS * SAMPLE_RATE):]
        frames = tail[: tail.size // CUT_FRAME * CUT_FRAME].reshape(-1, CUT_FRAME)
        if joined.size < 2 * tail.size or not len(frames):
            carry = joined
            continue
        cut = joined.size - tail.size + int(np.argmin((frames ** 2).mean(axis=1))) * CUT_FRAME + CUT_FRAME // 2
        yield joined[:cut]
        carry = joined[cut:]
    if carry.size:
        yield carry


def recognize(engine: SpeechModel, windows: Iterable[np.ndarray], request: Request) -> Recognized:
    result: Recognized | None = None
    offset = 0.0
    for window in cut_at_pauses(windows):
        if result is None:
            result = _first(engine, window, request)
        if request.identify_multiple:
            _recognize_stretches(engine, window, offset, request, result)
        else:
            found = engine.recognize(window, language=to_whisper(result.language, engine.languages),
                                     hotwords=request.hotwords, offset=offset)
            result.segments += found.segments
        offset += window.size / SAMPLE_RATE
    assert result is not None  # audio.stream yields at least one window or raises
    result.seconds = offset
    if request.identify_multiple and result.durations:
        result.language = max(result.durations, key=result.durations.get)
    return result


def _first(engine: SpeechModel, window: np.ndarray, request: Request) -> Recognized:
    """The file's language, from its first window, when it is to be identified."""
    if request.language:
        return Recognized(language=request.language)
    ranked = _ranked(engine, window, request.options)
    if not ranked:
        raise BadRequest("None of the LanguageOptions can be identified by the selected speech model.")
    return Recognized(language=ranked[0][0], score=round(ranked[0][1], 4), identification=ranked[:TOP_LANGUAGES],
                      segment_languages=[] if request.identify_multiple else None)


def _recognize_stretches(engine: SpeechModel, window: np.ndarray, offset: float, request: Request,
                         result: Recognized) -> None:
    for first, last in speech_regions(window):
        stretch = window[first:last]
        language = _ranked(engine, stretch, request.options)[0][0]
        found = engine.recognize(stretch, language=to_whisper(language, engine.languages),
                                 hotwords=request.hotwords, offset=offset + first / SAMPLE_RATE)
        result.segments += found.segments
        result.segment_languages += [language] * len(found.segments)
        result.durations[language] = result.durations.get(language, 0.0) + (last - first) / SAMPLE_RATE
