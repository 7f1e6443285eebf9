"""A dataset group's stored data as a recipe trains on it: interactions coded as indices over a
catalogue of every item (interacted, or listed in the Items dataset), and the items' categorical
metadata as one-hot features."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse

from core.errors import InvalidInput
from personalize.model import Interactions
from personalize.schema import Field

MIN_INTERACTIONS = 2  # AWS asks for far more; below this there is nothing to learn from


def training_data(interactions: list[tuple], items: dict[str, dict[str, Any]], item_fields: list[Field],
                  event_type: str | None) -> Interactions:
    """`interactions` are the store's (user_id, item_id, ts, event_type, event_value), oldest first."""
    if event_type:
        interactions = [row for row in interactions if row[3] == event_type]
    if len(interactions) < MIN_INTERACTIONS:
        raise InvalidInput(f"The dataset group has {len(interactions)} interactions"
                           + (f" of event type {event_type!r}" if event_type else "")
                           + f"; training needs at least {MIN_INTERACTIONS}. Import interactions first.")
    user_ids = sorted({row[0] for row in interactions})
    item_ids = sorted({row[1] for row in interactions} | set(items))
    user_index = {u: i for i, u in enumerate(user_ids)}
    item_index = {item: i for i, item in enumerate(item_ids)}
    users = np.fromiter((user_index[row[0]] for row in interactions), np.int64, len(interactions))
    coded = np.fromiter((item_index[row[1]] for row in interactions), np.int64, len(interactions))
    ts = np.fromiter((row[2] for row in interactions), np.float64, len(interactions))
    return Interactions(user_ids, item_ids, users, coded, ts, _features(item_ids, items, item_fields))


def _features(item_ids: list[str], items: dict[str, dict[str, Any]], fields: list[Field]) -> sparse.csr_matrix | None:
    categorical = [f.name for f in fields if f.categorical]
    if not items or not categorical:
        return None
    columns: dict[tuple[str, str], int] = {}
    rows, cols = [], []
    for row, item in enumerate(item_ids):
        record = items.get(item, {})
        for name in categorical:
            for value in str(record.get(name) or "").split("|"):
                if value:
                    rows.append(row)
                    cols.append(columns.setdefault((name, value), len(columns)))
    return sparse.csr_matrix((np.ones(len(rows), np.float64), (rows, cols)), shape=(len(item_ids), len(columns)))
