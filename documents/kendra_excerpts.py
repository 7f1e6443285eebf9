"""What a result shows: an excerpt of its best passage and the highlights of the query's words in it."""

from __future__ import annotations

import re

from documents.engines.bm25_index import terms
from documents.kendra_passages import sentences
from documents.kendra_shapes import Highlight, TextWithHighlights

EXCERPT_CHARS = 300  # about what Kendra shows under a result


def highlights(text: str, query: str) -> list[Highlight]:
    """Every whole-word occurrence of the query's (non-stop) words, in text order."""
    words = sorted(set(terms(query)), key=len, reverse=True)
    if not words:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
    return [Highlight(BeginOffset=m.start(), EndOffset=m.end()) for m in pattern.finditer(text)]


def _window(text: str, start: int) -> tuple[int, int]:
    """About EXCERPT_CHARS characters from `start`, ended at a word boundary."""
    end = min(len(text), start + EXCERPT_CHARS)
    if end < len(text) and " " in text[start:end]:
        end = text.rindex(" ", start, end)
    return start, end


def excerpt(passage: str, query: str, answer: tuple[int, int] | None = None) -> TextWithHighlights:
    """The passage's window that holds the answer sentence, or else the sentence with most query words;
    the answer, when given, is highlighted as the TopAnswer."""
    if answer is not None:
        start = answer[0]
    else:
        marks = highlights(passage, query)
        spans = sentences(passage)
        start = max(spans, key=lambda s: sum(s[0] <= h.BeginOffset < s[1] for h in marks))[0] if marks else 0
    if len(passage) <= EXCERPT_CHARS:
        start = 0
    begin, end = _window(passage, start)
    text = passage[begin:end]
    marks = [Highlight(BeginOffset=h.BeginOffset, EndOffset=h.EndOffset) for h in highlights(text, query)]
    if answer is not None:
        top = Highlight(BeginOffset=answer[0] - begin, EndOffset=min(answer[1], end) - begin, TopAnswer=True)
        marks = [top, *(h for h in marks if h.EndOffset <= top.BeginOffset or h.BeginOffset >= top.EndOffset)]
    return TextWithHighlights(Text=text, Highlights=marks)
