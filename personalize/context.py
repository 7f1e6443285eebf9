"""Contextual metadata (GetRecommendations' and GetPersonalizedRanking's `context`, e.g. {"DEVICE":
"mobile"}), as the user-personalization and personalized-ranking recipes use it.

Training counts, for each value of each contextual field of the Interactions dataset, how much more
(or less) often each item is interacted with under that value than its overall share predicts: the
lift n(item, value) / E(item, value), smoothed by PSEUDO_COUNT interactions towards 1 so that a
handful of events proves little. A request's context then adds the log-lifts of the values it names
(naive Bayes: fields count independently) to the scores, scaled to the scores' spread as exploration
is. Context naming a field the schema lacks, or a value training never saw, carries no evidence and
changes nothing: AWS documents no error for it, and recipes that do not use context ignore it too.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from personalize.one_hot import column_key, field_of

PSEUDO_COUNT = 5.0
MIN_SUPPORT = 10  # interactions a value needs before it is kept
MAX_VALUES = 200  # the most frequent values kept, over all fields: lifts are values x items floats
WEIGHT = 0.3  # of the scores' spread per unit of log-lift


def context_lift(context: sparse.csr_matrix, keys: dict[str, int], items: np.ndarray,
                 n_items: int) -> dict[str, np.ndarray]:
    """Model arrays: `ctx_keys` ("DEVICE=mobile") and `ctx_lift`, their log-lifts (values x items)."""
    support = np.asarray(context.sum(axis=0)).ravel()
    order = np.argsort(-support, kind="stable")[:MAX_VALUES]
    kept = np.sort(order[support[order] >= MIN_SUPPORT])
    if not kept.size:
        return {}
    names = np.array(list(keys), dtype=str)[kept]
    by_item = sparse.csr_matrix((np.ones(len(items)), (np.arange(len(items)), items)),
                                shape=(len(items), n_items))
    observed = (context[:, kept].T @ by_item).toarray()  # value x item interaction counts
    lift = np.zeros_like(observed)
    fields = np.array([field_of(key) for key in names])
    for field in np.unique(fields):
        own = np.flatnonzero(fields == field)
        # The interactions that say anything about this field: each item's share among them.
        rows = np.flatnonzero(np.diff(context[:, kept[own]].indptr))
        item_share = np.bincount(items[rows], minlength=n_items) / max(len(rows), 1)
        expected = np.outer(support[kept[own]], item_share)
        lift[own] = np.log((observed[own] + PSEUDO_COUNT) / (expected + PSEUDO_COUNT))
    return {"ctx_keys": names, "ctx_lift": lift.astype(np.float32)}


def in_context(scores: np.ndarray, context: dict[str, str], index: dict[str, int], lift: np.ndarray) -> np.ndarray:
    """Scores moved by the log-lifts of the context's known values; `index` maps `ctx_keys` to rows of
    `lift`, whose items are the first ones of `scores` (items added since training have no lift)."""
    rows = [index[key] for name, value in context.items()
            for key in {column_key(name.upper(), part) for part in str(value).split("|")} if key in index]
    if not rows:
        return scores
    finite = scores[np.isfinite(scores)]
    spread = float(finite.max() - finite.min()) if finite.size else 0.0
    moved = scores.copy()
    moved[:lift.shape[1]] += WEIGHT * spread * lift[rows].sum(axis=0)
    return moved
