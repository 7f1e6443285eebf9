"""A dataset group's stored data as a recipe trains on it: interactions coded as indices over a
catalogue of every item (interacted, or listed in the Items dataset), the items' categorical
metadata as one-hot features, and the interactions' contextual metadata (DEVICE, LOCATION...) as
one-hot rows."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from core.errors import InvalidInput
from personalize.model import Interactions
from personalize.one_hot import one_hot
from personalize.schema import Field

MIN_INTERACTIONS = 2  # AWS asks for far more; below this there is nothing to learn from
# Interactions fields that are never context: who, what, and how the event was served.
NOT_CONTEXT = {"USER_ID", "ITEM_ID", "EVENT_TYPE", "IMPRESSION", "RECOMMENDATION_ID"}


def context_fields(interaction_fields: list[Field]) -> dict[str, bool]:
    """The Interactions schema's string metadata fields (name -> categorical): the keys
    GetRecommendations' `context` may name."""
    return {f.name: f.categorical for f in interaction_fields if f.type == "string" and f.name not in NOT_CONTEXT}


def training_data(interactions: list[tuple], items: dict[str, dict[str, Any]], item_fields: list[Field],
                  event_type: str | None, interaction_fields: list[Field] | None = None) -> Interactions:
    """`interactions` are the store's (user_id, item_id, ts, event_type, event_value, props JSON),
    oldest first; props hold imported metadata columns and PutEvents' properties alike."""
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
    data = Interactions(user_ids, item_ids, users, coded, ts)
    categorical = {f.name: True for f in item_fields if f.categorical}
    if items and categorical:
        data.features = one_hot((items.get(item, {}) for item in item_ids), categorical, data.feature_keys,
                                grow=True)
    fields = context_fields(interaction_fields or [])
    if fields:
        data.context = one_hot((json.loads(row[5]) if row[5] else {} for row in interactions), fields,
                               data.context_keys, grow=True)
    return data
