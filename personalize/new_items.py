"""Items added since a version was trained (PutItems, or a later Items import) made recommendable
before the next training, where the recipe can place them honestly by their categorical metadata:

- aws-similar-items: a new item is similar to the items sharing its metadata (cosine of one-hot
  metadata, as for the catalogue's never-interacted items), both when asked about and as a
  candidate for other items.
- aws-user-personalization with an explorationWeight above 0: a new item takes the mean factors of
  the interacted items sharing each of its metadata values, times the weight, so a user's score for
  it is their taste for such items, trusted as far as the campaign explores; exploration then gives
  it the chance AWS gives cold items. With explorationWeight 0 AWS serves relevance alone, so new
  items wait for training there, as they do with the other recipes.

An item none of whose metadata values training saw has nothing to be placed by, and waits as well.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse

from personalize.model import Model
from personalize.one_hot import field_of, l2_rows, one_hot
from personalize.serving import Serving


def serves_new_items(serving: Serving) -> bool:
    return serving.recipe == "aws-similar-items" or (
        serving.recipe == "aws-user-personalization" and serving.exploration > 0)


def with_new_items(model: Model, records: dict[str, dict[str, Any]], serving: Serving) -> Model:
    """The model with the Items records it was not trained on appended to its catalogue (as items
    with no interactions), or the model itself when there are none it can place."""
    if model.features is None:
        return model
    new = sorted(item for item in records if item not in model.index)
    columns = {key: column for column, key in enumerate(model.arrays["f_keys"].tolist())}
    rows = one_hot((records[item] for item in new), {field_of(key): True for key in columns}, columns, grow=False)
    placed = np.flatnonzero(np.diff(rows.indptr))
    if not placed.size:
        return model
    rows = l2_rows(rows[placed])
    features = sparse.vstack([model.features, rows]).tocsr()
    arrays = {**model.arrays, "f_data": features.data, "f_indices": features.indices, "f_indptr": features.indptr}
    if "factors" in arrays:
        arrays["factors"] = np.vstack([arrays["factors"], serving.exploration * _placed_factors(model, rows)])
        # Nobody has interacted with them: the weight of the rarest items.
        arrays["idf"] = np.concatenate([arrays["idf"], np.full(len(placed), arrays["idf"].max())])
    item_ids = np.concatenate([model.item_ids, np.array([new[i] for i in placed], dtype=str)])
    return Model(model.recipe, item_ids, np.concatenate([model.counts, np.zeros(len(placed))]), arrays,
                 {**model.settings, "trained_items": float(model.trained)})


def _placed_factors(model: Model, rows: sparse.csr_matrix) -> np.ndarray:
    """Each new item's factors: the mean, over its metadata values, of the mean factors of the
    interacted items having that value."""
    interacted = (sparse.diags((model.counts > 0).astype(np.float64)) @ model.features) > 0
    sizes = np.asarray(interacted.sum(axis=0)).ravel()
    centroids = (interacted.T.astype(np.float64) @ model.arrays["factors"]) / np.maximum(sizes, 1.0)[:, None]
    weights = ((rows > 0).astype(np.float64) @ sparse.diags((sizes > 0).astype(np.float64))).tocsr()
    totals = np.maximum(np.asarray(weights.sum(axis=1)).ravel(), 1.0)
    return (np.asarray(weights @ centroids) / totals[:, None]).astype(np.float32)
