"""What a text-to-speech engine returns for one stretch of text: samples and the timing of words and
phonemes in it, so that Polly's speech marks can be made for every engine alike."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


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
