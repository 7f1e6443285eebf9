"""Answers to QUERIES from what the page says: the value of the form key that best matches the
question, else the words that follow the question's terms on the best matching line.

Matching is on content words, lower-cased, so "What is the invoice number?" meets "Invoice No.:"
through "invoice"; no extractive QA model ships offline, so a question with no matching key or
line gets no answer, as Textract answers nothing when it finds nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import InvalidParameter
from core.ocr import OcrLine, OcrWord
from documents.textract.forms import KeyValue

_WORD = re.compile(r"[a-z0-9]+")
QUESTION_WORDS = frozenset(
    "what whats which who whom whose when where why how is are was were the a an of for on in to do does did "
    "this that these those there be by at as it its please give me tell list".split()
)
MIN_SCORE = 0.5  # share of the question's content words a key or line must contain


@dataclass
class Answer:
    text: str
    words: list[OcrWord]
    confidence: float  # 0..100


def _terms(text: str) -> list[str]:
    return [t for t in _WORD.findall(text.lower()) if t not in QUESTION_WORDS]


def _score(question: list[str], text: str) -> float:
    found = set(_terms(text))
    if not question or not found:
        return 0.0
    hits = sum(1 for term in question if term in found or any(f.startswith(term[:4]) for f in found if len(term) > 4))
    return hits / len(question)


def answer(question: str, key_values: list[KeyValue], lines: list[OcrLine]) -> Answer | None:
    terms = _terms(question)
    scored = [(_score(terms, kv.key_text), kv) for kv in key_values if kv.value or kv.selection]
    best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    if best[1] is not None and best[0] >= MIN_SCORE:
        kv = best[1]
        return Answer(kv.value_text, kv.value, 100 * best[0])
    return _from_lines(terms, lines)


def _from_lines(terms: list[str], lines: list[OcrLine]) -> Answer | None:
    """The rest of the line after the last question term, on the line that holds most of them."""
    best_score, best_line = 0.0, None
    for line in lines:
        score = _score(terms, line.text)
        if score > best_score:
            best_score, best_line = score, line
    if best_line is None or best_score < MIN_SCORE:
        return None
    last = max((i for i, w in enumerate(best_line.words) if set(_terms(w.text)) & set(terms)), default=-1)
    rest = best_line.words[last + 1:]
    if not rest:
        return None
    return Answer(" ".join(w.text for w in rest).strip(" :-"), rest, 100 * best_score * 0.8)


def on_page(pages: list[str] | None, number: int) -> bool:
    """Whether a query's Pages ("1", "2-4", "*", "3-*") include page `number`; none means the first page."""
    if not pages:
        return number == 1
    for spec in pages:
        first, dash, last = spec.partition("-")
        if first == "*":
            return True
        try:
            low = int(first)
            high = low if not dash else (number if last == "*" else int(last))
        except ValueError:
            raise InvalidParameter(f"Query page {spec!r} is not a page number, a range or '*'.") from None
        if low <= number <= high:
            return True
    return False
