"""Hybrid ranking of passages: dense MiniLM cosine, lifted by each passage's nearest neighbour, plus
a share of BM25.

A question and the passage that answers it often share few words, and an answer cut into several
passages leaves most of them without the question's topic words: their cosine to the question is low
although the passage beside them matches well. So a candidate's cosine is averaged with the better of
its own and its nearest passage's (by embedding) cosine to the query: a passage next to one that
matches rises, and a neighbour never pulls a passage below its own cosine, so a lone passage (a
one-passage document, a small index) keeps its score and the score stays on the cosine's scale
(ScoreConfidence). BM25 (scaled to [0, 1] by the query's best passage) is added with a small weight:
on Python's documentation it is much the weaker ranker, and equal-weight reciprocal rank fusion fell
below dense alone (bench/kendra_bench.py).

Measured there (bench/kendra_bench.py; weights chosen on the even-numbered questions at 800 and 2500
passages, figures from the odd-numbered ones): nDCG@10 .761 and .702 against dense alone .737 and
.662. Min-max, z-score and weighted-RRF mixes of the two score lists, cosine + BM25 alone, BM25
query expansion from the dense top hits (RM3), dense Rocchio feedback and the mean of two or three
neighbours were measured too. The mean of the two nearest neighbours did .008 better on the tuning
half but pulls a passage with unrelated neighbours below its own cosine; the others did less well
on the tuning half, or (RM3 on top) gained less than .01 there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from documents.engines.bm25_index import Bm25Index

BM25_WEIGHT = 0.15
MATCH_BM25_WEIGHT = 0.1  # of BM25 in the score that decides whether a passage matches at all
# Only the best candidates look for a neighbour: it costs a (candidates × passages) product per query,
# and on 800 and 2500 passages doing it for the top 50 or for all of them gave nDCG@10 within .003.
LIFTED_CANDIDATES = 50


@dataclass
class PassageMatrix:
    """An index's passages in memory: their documents, text, embeddings and a BM25 index."""

    doc_ids: list[str]
    texts: list[str]
    vectors: np.ndarray  # (passages, dimensions), unit rows
    bm25: Bm25Index

    @classmethod
    def build(cls, doc_ids: list[str], texts: list[str], vectors: Sequence[np.ndarray],
              lexical_texts: list[str] | None = None) -> PassageMatrix:
        """`lexical_texts` are what BM25 reads when it should see more than the passage (its title)."""
        matrix = np.vstack(vectors).astype(np.float32) if len(vectors) else np.zeros((0, 1), dtype=np.float32)
        return cls(doc_ids, texts, matrix, Bm25Index(lexical_texts if lexical_texts is not None else texts))

    def dense(self, query_vector: np.ndarray) -> np.ndarray:
        if not len(self.texts):
            return np.zeros(0, dtype=np.float32)
        return self.vectors @ query_vector.astype(np.float32)

    def lexical(self, query: str) -> np.ndarray:
        """BM25 scaled by the best passage's score: 1 for the best lexical match, 0 for no shared term."""
        scores = self.bm25.scores(query)
        top = float(scores.max()) if len(scores) else 0.0
        return scores / top if top > 0 else scores

    def _lifted(self, dense: np.ndarray, candidates: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        """Each candidate's cosine, or its nearest allowed passage's where that is higher; a passage
        without a neighbour, or outside the candidates, stands for itself."""
        similarity = self.vectors[candidates] @ self.vectors.T
        similarity[:, ~allowed] = -np.inf
        similarity[np.arange(len(candidates)), candidates] = -np.inf
        nearest = similarity.argmax(axis=1)
        found = np.isfinite(similarity[np.arange(len(candidates)), nearest])
        lifted = dense.copy()
        lifted[candidates] = np.where(found, np.maximum(dense[candidates], dense[nearest]), dense[candidates])
        return lifted

    def fused(self, query: str, query_vector: np.ndarray, allowed: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
        """(hybrid score, match score) of every passage, both on the cosine's scale. The match score
        (cosine + a share of BM25) says whether a passage matches at all: a neighbour lifts a passage
        even for a query that matches nothing. Neighbours come only from `allowed` passages (a mask):
        a passage the caller may not see must not steer their ranking."""
        dense = self.dense(query_vector)
        if not len(dense):
            return dense, dense
        allowed = np.ones(len(dense), dtype=bool) if allowed is None else allowed
        lexical = self.lexical(query)
        first = dense + BM25_WEIGHT * lexical
        candidates = np.argsort(-np.where(allowed, first, -np.inf))[:min(LIFTED_CANDIDATES, int(allowed.sum()))]
        return (first + self._lifted(dense, candidates, allowed)) / 2, dense + MATCH_BM25_WEIGHT * lexical
