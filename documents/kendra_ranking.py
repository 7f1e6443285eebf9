"""Hybrid ranking of passages: dense MiniLM cosine fused with BM25, then one round of dense
pseudo-relevance feedback.

Equal-weight reciprocal rank fusion was measured on Python's documentation (MODELS.md and
bench/kendra_bench.py): nDCG@10 .64, far below dense alone (.73), because BM25 (.45 with stems) is
much the weaker ranker there and RRF gives its ranks the same say. Scores carry more than ranks: BM25
is scaled to [0, 1] by the query's best passage and added to the cosine with a small weight, so it
breaks near-ties (exact names, identifiers) without pulling in passages the dense model dislikes.
The top passages of that first ranking then move the query vector towards them (Rocchio feedback),
which finds answer passages that share the top hits' topic but few of the question's words: on 800
and 2000 passages this gave Recall@10 +.011/+.024 and nDCG@10 +.001/+.005 over dense alone, with
MRR@10 .006 lower (bench/kendra_bench.py prints the comparison).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from documents.engines.bm25_index import Bm25Index

BM25_WEIGHT = 0.1
PSEUDO_FEEDBACK_PASSAGES = 3
PSEUDO_FEEDBACK_WEIGHT = 0.2


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

    def fused(self, query: str, query_vector: np.ndarray, allowed: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
        """(hybrid score, first-stage score) of every passage, both on the cosine's scale. The first
        stage (cosine + BM25) says whether a passage matches at all: feedback lifts every passage near
        the top hits, even for a query that matches nothing. Feedback passages come only from `allowed`
        ones (a mask): a passage the caller may not see must not steer their ranking."""
        dense = self.dense(query_vector)
        if not len(dense):
            return dense, dense
        lexical = BM25_WEIGHT * self.lexical(query)
        first = dense + lexical
        candidates = first if allowed is None else np.where(allowed, first, -np.inf)
        feedback = self.vectors[np.argsort(-candidates)[:PSEUDO_FEEDBACK_PASSAGES]].mean(axis=0)
        hybrid = dense + PSEUDO_FEEDBACK_WEIGHT * (self.vectors @ feedback) + lexical
        return hybrid / (1 + PSEUDO_FEEDBACK_WEIGHT), first
