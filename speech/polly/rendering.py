"""A script said by an engine: one stream of samples and Polly's speech marks (sentence, word,
viseme, ssml) with times in ms and byte offsets into the input.

Speech is rendered a sentence at a time, so a sentence mark's time is where its audio begins for
every engine, and Piper's estimated word times stay within their sentence.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from speech.polly.phonemes import viseme
from speech.ssml import Mark, Pause, Prosody, Script, SentenceBreak, Speech, Tone

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_TAG = re.compile(r"<[^>]*>")
_PUNCTUATION = set(string.punctuation) | set("¿¡«»“”‘’…。、，？！")
_TONE_HZ = 1000
_MARK_ORDER = {"sentence": 0, "ssml": 1, "word": 2, "viseme": 3}


@dataclass
class Rendering:
    samples: np.ndarray  # int16 mono
    sample_rate: int
    marks: list[dict[str, Any]]  # every kind, in time order


@dataclass
class _Utterance:
    """Text for the engine, with each character's input bytes [starts[i], ends[i])."""

    text: str
    starts: list[int]
    ends: list[int]
    prosody: Prosody
    opens_sentence: bool


def _spoken(item: Speech, phoneme_text) -> tuple[str, list[int], list[int]]:
    text, starts, ends = [], [], []
    for piece in item.pieces:
        said = phoneme_text(piece.phonemes) if piece.phonemes else piece.text
        text.append(said)
        if piece.exact and not piece.phonemes:
            at = piece.start
            for char in said:
                size = len(char.encode())
                starts.append(at)
                ends.append(at + size)
                at += size
        else:  # made-up text stands for the whole span it replaces
            starts += [piece.start] * len(said)
            ends += [piece.end] * len(said)
    return "".join(text), starts, ends


def _utterances(script: Script, phoneme_text) -> Iterator[_Utterance | Pause | Tone | Mark]:
    opens_sentence = True
    for item in script.items:
        if isinstance(item, SentenceBreak):
            opens_sentence = True
        elif not isinstance(item, Speech):
            yield item
        else:
            text, starts, ends = _spoken(item, phoneme_text)
            at = 0
            for boundary in [*_SENTENCE_END.finditer(text), None]:
                stop, resume = (boundary.start(), boundary.end()) if boundary else (len(text), len(text))
                if text[at:stop].strip():
                    yield _Utterance(text[at:stop], starts[at:stop], ends[at:stop], item.prosody, opens_sentence)
                    opens_sentence = boundary is not None or text[at:stop].rstrip()[-1:] in ".!?"
                at = resume


class _Marks:
    def __init__(self, source: bytes, ssml: bool) -> None:
        self.source = source
        self.ssml = ssml
        self.marks: list[dict[str, Any]] = []
        self.sentence: dict[str, Any] | None = None
        self.last_word: tuple[int, int] | None = None
        self.last_viseme: str | None = None

    def value(self, start: int, end: int) -> str:
        text = self.source[start:end].decode("utf-8", errors="replace")
        return " ".join(html.unescape(_TAG.sub("", text)).split()) if self.ssml else text

    def open_sentence(self, ms: int, start: int, end: int) -> None:
        self.sentence = {"time": ms, "type": "sentence", "start": start, "end": end, "value": ""}
        self.marks.append(self.sentence)

    def extend_sentence(self, end: int) -> None:
        if self.sentence is not None:
            self.sentence["end"] = max(self.sentence["end"], end)
            self.sentence["value"] = self.value(self.sentence["start"], self.sentence["end"])

    def word(self, ms: int, start: int, end: int) -> None:
        # Engines may read one written token as several words ("123", a say-as date); Polly marks it once.
        if (self.last_word is None or start != self.last_word[0]) and end > start:
            self.marks.append({"time": ms, "type": "word", "start": start, "end": end,
                               "value": self.value(start, end)})
        self.last_word = (start, end)

    def viseme(self, ms: int, name: str) -> None:
        if name != self.last_viseme:
            self.marks.append({"time": ms, "type": "viseme", "value": name})
        self.last_viseme = name

    def ssml_mark(self, ms: int, mark: Mark) -> None:
        self.marks.append({"time": ms, "type": "ssml", "start": mark.start, "end": mark.end, "value": mark.name})


def _token(text: str, at: int) -> tuple[int, int] | None:
    """The written token around character `at`, without its outer punctuation: Polly marks "W3C" and
    "2020." once, as "W3C" and "2020", where engines may report several words or include the stop.
    None where the engine's word starts on a space."""
    if not 0 <= at < len(text) or text[at].isspace():
        return None
    first, end = at, at + 1
    while first > 0 and not text[first - 1].isspace():
        first -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    if all(c in _PUNCTUATION for c in text[first:end]):  # a said symbol ("&"): the token itself
        return first, end
    while text[first] in _PUNCTUATION:
        first += 1
    while text[end - 1] in _PUNCTUATION:
        end -= 1
    return first, end


def _gain(samples: np.ndarray, volume_db: float) -> np.ndarray:
    if volume_db == 0:
        return samples
    scaled = samples.astype(np.float32) * (10 ** (volume_db / 20))
    return np.clip(scaled, -32768, 32767).astype(np.int16)


def render(script: Script, engine: Any, voice: str, source: bytes, *, ssml: bool) -> Rendering:
    """`engine` has `sample_rate`, `phoneme_text(ipa)` and `render(text, voice, rate, pitch)`."""
    rate = engine.sample_rate
    parts: list[np.ndarray] = []
    done = 0  # samples so far
    marks = _Marks(source, ssml)

    def silence(ms: int) -> np.ndarray:
        return np.zeros(int(rate * ms / 1000), dtype=np.int16)

    for unit in _utterances(script, engine.phoneme_text):
        now = int(1000 * done / rate)
        if isinstance(unit, Mark):
            marks.ssml_mark(now, unit)
            continue
        if isinstance(unit, Pause):
            samples = silence(unit.ms)
            marks.viseme(now, "sil")
        elif isinstance(unit, Tone):
            t = np.arange(int(rate * unit.ms / 1000)) / rate
            samples = (np.sin(2 * np.pi * _TONE_HZ * t) * 8000).astype(np.int16)
        else:
            rendered = engine.render(unit.text, voice, unit.prosody.rate, unit.prosody.pitch)
            samples = _gain(rendered.samples, unit.prosody.volume_db)
            spoken = [i for i, c in enumerate(unit.text) if not c.isspace()]
            if unit.opens_sentence:
                marks.open_sentence(now, unit.starts[spoken[0]], unit.ends[spoken[-1]])
            marks.extend_sentence(unit.ends[spoken[-1]])
            for word in rendered.words:
                token = _token(unit.text, word.start)
                if token:
                    first, end = token
                    marks.word(now + word.ms, unit.starts[first], max(unit.ends[first:end]))
            for ms, phoneme in rendered.phonemes:
                if shape := viseme(phoneme):
                    marks.viseme(now + ms, shape)
        parts.append(samples)
        done += len(samples)
    if marks.marks:
        marks.viseme(int(1000 * done / rate), "sil")
    ordered = sorted(marks.marks, key=lambda m: (m["time"], _MARK_ORDER[m["type"]]))
    return Rendering(np.concatenate(parts) if parts else np.zeros(0, np.int16), rate, ordered)
