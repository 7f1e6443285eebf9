"""Passages: the units Kendra embeds, scores and returns (Retrieve's ≤ 200 tokens each).

Paragraphs are packed into passages of about PASSAGE_WORDS words so that a passage keeps one topic;
a paragraph longer than that is cut at sentence ends, and a sentence longer than that at words.
The token limit is checked with the embedding model's own tokenizer, so code and identifiers
(many word pieces per word) still fit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

PASSAGE_WORDS = 110
MAX_PASSAGE_TOKENS = 200
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])")


def _pieces(paragraph: str) -> list[str]:
    """A paragraph as pieces of at most PASSAGE_WORDS words, cut at sentence ends where it can be."""
    if len(paragraph.split()) <= PASSAGE_WORDS:
        return [paragraph]
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(paragraph):
        words = sentence.split()
        pieces += [" ".join(words[i:i + PASSAGE_WORDS]) for i in range(0, len(words), PASSAGE_WORDS)]
    return pieces


def _pack(pieces: list[str]) -> list[str]:
    passages: list[str] = []
    current: list[str] = []
    size = 0
    for piece in pieces:
        words = len(piece.split())
        if current and size + words > PASSAGE_WORDS:
            passages.append(" ".join(current))
            current, size = [], 0
        current.append(piece)
        size += words
    if current:
        passages.append(" ".join(current))
    return passages


def _fit(passage: str, count_tokens: Callable[[str], int]) -> list[str]:
    if count_tokens(passage) <= MAX_PASSAGE_TOKENS:
        return [passage]
    words = passage.split()
    if len(words) == 1:  # one enormous "word" (base64, a URL): keep its start
        return [passage[:MAX_PASSAGE_TOKENS * 2]]
    middle = len(words) // 2
    return _fit(" ".join(words[:middle]), count_tokens) + _fit(" ".join(words[middle:]), count_tokens)


def split_passages(text: str, count_tokens: Callable[[str], int]) -> list[str]:
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    pieces = [piece for p in paragraphs if p for piece in _pieces(p)]
    return [fitted for passage in _pack(pieces) for fitted in _fit(passage, count_tokens)]


def sentences(passage: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the passage's sentences."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(passage):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(passage)))
    return [(s, e) for s, e in spans if passage[s:e].strip()]
