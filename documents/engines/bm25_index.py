"""Lexical retrieval with BM25 (bm25s: sparse matrices, ~1 s to index 10k passages) over Snowball
stems (PyStemmer): "licensed"/"licence" meet "license"; on Python's docs this took BM25's nDCG@10 from
.37 to .41 (bench/kendra_bench.py).

An index is rebuilt in memory from the passages' text when they change: that is cheaper than
keeping bm25s's files in step with deletions, and the text is the durable copy (kendra_store).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_TOKEN = re.compile(r"[a-z0-9]+(?:['_][a-z0-9]+)*")
# A short English stop list: BM25 gives these little weight anyway, but they cost time.
STOPWORDS = frozenset(
    "a an and are as at be by for from has have how i in is it its of on or that the this to was what when "
    "where which who why will with do does can you your".split()
)


def terms(text: str) -> list[str]:
    """Lower-case word tokens without stop words; the same for passages, queries and highlights."""
    return [t for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS]


class Bm25Index:
    def __init__(self, texts: Sequence[str]) -> None:
        import bm25s
        import Stemmer

        self._stem = Stemmer.Stemmer("english").stemWords
        self._size = len(texts)
        self._retriever = bm25s.BM25()
        if texts:
            tokens = [self._stem(terms(t)) or ["\x00"] for t in texts]  # bm25s needs a token per document
            self._retriever.index(tokens, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage, in the order the texts were given."""
        query_terms = self._stem(terms(query))
        if not self._size or not query_terms:  # bm25s fails on a query of stop words only
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(query_terms), dtype=np.float32)
