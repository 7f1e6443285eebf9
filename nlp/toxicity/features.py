"""TF-IDF + logistic-regression scoring in plain numpy.

Re-implements exactly what scikit-learn's ``TfidfVectorizer`` (default word analyzer, ``char_wb``
analyzer, ``sublinear_tf=True``, L2 norm per block) feeds into ``LogisticRegression``, so serving
needs no scikit-learn and no pickle: the artifact is vocabularies, idf weights and coefficients.
``train.py`` fails unless this code and scikit-learn agree on every held-out row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np

_WORD = re.compile(r"(?u)\b\w\w+\b")


def word_ngrams(text: str, max_n: int) -> list[str]:
    tokens = _WORD.findall(text.lower())
    grams = list(tokens)
    for n in range(2, max_n + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def padded_char_ngrams(word: str, min_n: int, max_n: int) -> list[str]:
    """scikit-learn's ``char_wb`` n-grams of one already-lowercased word."""
    w = f" {word} "
    grams = []
    for n in range(min_n, max_n + 1):
        if n >= len(w):
            # scikit-learn emits a padded word no longer than n once, then stops growing n.
            grams.append(w)
            break
        grams += [w[i : i + n] for i in range(len(w) - n + 1)]
    return grams


@dataclass(frozen=True)
class Block:
    """One vectoriser's share of the linear model."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray


class LinearTfidfModel:
    def __init__(self, word: Block, char: Block, intercept: float, word_max_n: int, char_range: tuple[int, int]):
        self.word, self.char, self.intercept = word, char, intercept
        self.word_max_n, self.char_range = word_max_n, char_range
        # Texts repeat words heavily; caching a word's char-n-gram ids is most of the speed.
        self._char_ids = lru_cache(maxsize=1 << 17)(self._char_ids_uncached)

    def _char_ids_uncached(self, word: str) -> tuple[int, ...]:
        vocab = self.char.vocabulary
        return tuple(vocab[g] for g in padded_char_ngrams(word, *self.char_range) if g in vocab)

    def _word_ids(self, text: str) -> list[int]:
        vocab = self.word.vocabulary
        return [vocab[g] for g in word_ngrams(text, self.word_max_n) if g in vocab]

    def _char_ids_of_text(self, text: str) -> list[int]:
        ids: list[int] = []
        for word in text.lower().split():
            ids.extend(self._char_ids(word))
        return ids

    def decision(self, texts: list[str]) -> np.ndarray:
        """Logits for a batch; vectorised across the batch after tokenising."""
        logits = np.full(len(texts), self.intercept, dtype=np.float64)
        logits += _block_dot(self.word, [self._word_ids(t) for t in texts], len(texts))
        logits += _block_dot(self.char, [self._char_ids_of_text(t) for t in texts], len(texts))
        return logits

    def proba(self, texts: list[str]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.decision(texts)))


def _block_dot(block: Block, ids_per_doc: list[list[int]], n_docs: int) -> np.ndarray:
    """Row-wise ``l2_normalise((1 + log tf) * idf) @ coef`` without building a sparse matrix."""
    lengths = np.fromiter(map(len, ids_per_doc), dtype=np.int64, count=n_docs)
    total = int(lengths.sum())
    if not total:
        return np.zeros(n_docs)
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    feat = np.fromiter(chain.from_iterable(ids_per_doc), dtype=np.int64, count=total)
    keys, counts = np.unique(doc * len(block.idf) + feat, return_counts=True)
    doc, feat = np.divmod(keys, len(block.idf))
    value = (1.0 + np.log(counts)) * block.idf[feat]
    norm = np.sqrt(np.bincount(doc, weights=value * value, minlength=n_docs))
    dot = np.bincount(doc, weights=value * block.coef[feat], minlength=n_docs)
    return np.divide(dot, norm, out=np.zeros(n_docs), where=norm > 0)
