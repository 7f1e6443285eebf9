"""What a text-to-speech engine returns for one stretch of text: samples and the timing of words and
phonemes in it, so that Polly's speech marks can be made for every engine alike; and that timing
estimated for engines that report none (Piper, flite)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

_WORD = re.compile(r"\S+")
_PHONEME_BLOCK = re.compile(r"\[\[.*?\]\]")


@dataclass
class Word:
    start: int  # characters [start, end) of the text the engine was given
    end: int
    ms: int  # when the word begins in the samples


@dataclass
class Rendered:
    samples: np.ndarray  # int16, mono
    sample_rate: int
    words: list[Word] = field(default_factory=list)
    phonemes: list[tuple[int, str]] = field(default_factory=list)  # (ms, IPA phoneme)


def spread_words(text: str, duration_ms: float) -> list[Word]:
    """Words placed by their share of the spoken characters (a phoneme block counts as its letters)."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    weights = [len(_PHONEME_BLOCK.sub("xxxx", text[s:e])) for s, e in words]
    total = sum(weights) or 1
    placed, before = [], 0
    for (start, end), weight in zip(words, weights):
        placed.append(Word(start, end, int(duration_ms * before / total)))
        before += weight
    return placed


def spread_phonemes(phonemes: list[str], duration_ms: float) -> list[tuple[int, str]]:
    step = duration_ms / max(len(phonemes), 1)
    return [(int(i * step), p) for i, p in enumerate(phonemes)]
