import json

import botocore.session
import numpy as np
import pytest

from core.model_registry import registry
from nlp.toxicity import CAPABILITY, LABELS, ToxicityClassifier
from nlp.toxicity.classifier import MODEL_DIR
from nlp.toxicity.data import csv_path, file_sha256, load_split

TOXIC = [
    "You are a fucking idiot",
    "shut up you stupid bitch",
    "I will kill you and your whole family",
    "go fuck yourself, moron",
    "what a worthless piece of shit you are",
]
CLEAN = [
    "Thanks for fixing the references in this article.",
    "The meeting is moved to Thursday at 10am.",
    "Could you add a source for the population figure?",
    "Have a nice weekend!",
    "The recipe needs two eggs and a cup of flour.",
]


@pytest.fixture(scope="module")
def clf() -> ToxicityClassifier:
    return registry.get(CAPABILITY)


def _auc(labels: np.ndarray, scores: np.ndarray) -> float:
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    ranks = (np.cumsum(counts) - (counts - 1) / 2)[inverse]  # average rank of ties
    pos = labels == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def test_shipped_artifact_reproduces_recorded_heldout_auc(clf):
    try:
        path = csv_path()
    except FileNotFoundError as e:
        pytest.skip(str(e))
    card = json.loads((MODEL_DIR / "model.json").read_text())
    assert file_sha256(path) == card["data"]["sha256"], "corpus differs from the one the model was trained on"
    _, _, texts, labels = load_split(path)
    assert len(texts) == card["data"]["heldout_rows"]
    sample = np.random.default_rng(0).choice(len(texts), size=5000, replace=False)
    scores = np.array([r.toxicity for r in clf.score([texts[i] for i in sample])])
    assert _auc(labels[sample], scores) == pytest.approx(card["heldout"]["auc"], abs=0.01)


def test_obviously_toxic_outranks_obviously_clean(clf):
    toxic = [r.toxicity for r in clf.score(TOXIC)]
    clean = [r.toxicity for r in clf.score(CLEAN)]
    assert min(toxic) > 0.5 > max(clean)


def test_category_follows_the_words_and_strength_follows_the_model(clf):
    threat, chore, slur = clf.score(["I will kill you", "kill the process and restart it", "you dirty faggot"])
    assert threat.labels["VIOLENCE_OR_THREAT"] > 0.5 > chore.labels["VIOLENCE_OR_THREAT"]
    assert threat.labels["HATE_SPEECH"] == 0.0
    assert slur.labels["HATE_SPEECH"] > 0.5


def test_empty_batch_gives_empty_result(clf):
    assert clf.score([]) == []


def test_very_long_text_and_degenerate_texts_score(clf):
    long_text = "This sentence is about gardening and tomatoes. " * 20_000 + "You idiot."
    results = clf.score([long_text, "", "   ", "🙂🙂🙂", "a"])
    assert len(results) == 5
    assert all(0.0 <= r.toxicity <= 1.0 for r in results)


def test_scores_are_probabilities_and_labels_never_exceed_toxicity(clf):
    for r in clf.score(TOXIC + CLEAN):
        assert 0.0 <= r.toxicity <= 1.0
        assert set(r.labels) == set(LABELS)
        assert all(0.0 <= s <= r.toxicity for s in r.labels.values())


def test_batch_scoring_matches_one_by_one(clf):
    texts = TOXIC + CLEAN
    batched = [r.toxicity for r in clf.score(texts)]
    single = [clf.score([t])[0].toxicity for t in texts]
    assert batched == pytest.approx(single, abs=1e-12)


def test_aws_shape_uses_comprehends_label_names(clf):
    enum = botocore.session.get_session().get_service_model("comprehend").shape_for("ToxicContentType").enum
    entry = clf.score(["you stupid idiot"])[0].to_aws()
    assert {label["Name"] for label in entry["Labels"]} <= set(enum)
    assert 0.0 <= entry["Toxicity"] <= 1.0
