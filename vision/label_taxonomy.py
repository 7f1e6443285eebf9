"""ImageNet classes as Rekognition labels: a name, Parents and a Category per class, read from
label_taxonomy.json (built from WordNet by vision/tools/build_label_taxonomy.py).

A parent's confidence is the summed probability of the classes under it, so a photo the
classifier splits between "Tabby" and "Tiger Cat" is still a confident "Cat".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

TAXONOMY_FILE = Path(__file__).resolve().parent / "label_taxonomy.json"
CONSIDERED_CLASSES = 50  # the rest of the 1000 carry too little probability to change any label


@dataclass(frozen=True)
class ClassLabel:
    name: str
    parents: tuple[str, ...]
    category: str


@dataclass
class ScoredLabel:
    name: str
    confidence: float  # 0..100
    parents: tuple[str, ...]
    category: str
    instances: list = field(default_factory=list)


@lru_cache(maxsize=1)
def classes() -> tuple[ClassLabel, ...]:
    entries = json.loads(TAXONOMY_FILE.read_text())
    return tuple(ClassLabel(e["Name"], tuple(e["Parents"]), e["Category"]) for e in entries)


def labels_from_probabilities(probabilities: np.ndarray) -> dict[str, ScoredLabel]:
    """Every class among the most probable and every parent of theirs, by name. A label's Parents
    and Category come from its most probable contributor."""
    table = classes()
    scored: dict[str, ScoredLabel] = {}

    def add(name: str, probability: float, parents: tuple[str, ...], category: str) -> None:
        label = scored.setdefault(name, ScoredLabel(name, 0.0, parents, category))
        label.confidence = min(100.0, label.confidence + probability * 100)

    for index in np.argsort(probabilities)[::-1][:CONSIDERED_CLASSES]:
        entry, probability = table[index], float(probabilities[index])
        add(entry.name, probability, entry.parents, entry.category)
        for position, parent in enumerate(entry.parents):
            add(parent, probability, entry.parents[position + 1:], entry.category)
    return scored
