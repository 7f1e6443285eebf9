"""One recommendation, as campaigns (GetRecommendations, GetPersonalizedRanking) and batch inference
jobs serve it: score with the version's model (and the items added since that it can place) from the
user's history as stored right now (so events sent a moment ago count), weigh in the request's
context, explore cold items, leave seen items out, apply the filter, take the top."""

from __future__ import annotations

import functools
import threading
from typing import Any

import numpy as np

from core.errors import InvalidInput
from personalize.filters import FilterContext, apply_filter, parse_filter, parse_values
from personalize.model import Model
from personalize.new_items import serves_new_items, with_new_items
from personalize.serving import DEFAULT_RESULTS, MAX_RESULTS, Query, Serving
from personalize.state import PersonalizeState

@functools.lru_cache(maxsize=256)
def _parsed(expression: str):
    return parse_filter(expression)


CATALOGUES = 8  # catalogues kept (a version as a campaign serves it, per items generation): a few campaigns
_catalogue_lock = threading.Lock()


class Catalogue:
    """What a version serves while the Items records stay as they are: its model (with the items added
    since, where the serving can place them) and, read when a filter first needs it, their metadata."""

    def __init__(self, state: PersonalizeState, serving: Serving) -> None:
        self._state, self._group = state, serving.dataset_group
        self.model = state.model(serving.version_id)
        if serves_new_items(serving):
            self.model = with_new_items(self.model, self.records, serving)

    @functools.cached_property
    def records(self) -> dict[str, dict[str, Any]]:
        return self._state.store.records(self._group, "Items")

    @functools.cached_property
    def metadata(self) -> dict[str, list[Any]]:
        """Item metadata by field, aligned with the model's items."""
        records = self.records
        names = {name for record in records.values() for name in record}
        return {name: [records.get(item, {}).get(name) for item in self.model.item_ids.tolist()] for name in names}


def catalogue(state: PersonalizeState, serving: Serving) -> Catalogue:
    """The serving's catalogue, built again when items change (PutItems, imports)."""
    key = (serving.version_id, serves_new_items(serving), serving.exploration, state.store.generation)
    with _catalogue_lock:
        found = state.catalogues.get(key)
    if found is None:
        found = Catalogue(state, serving)
        with _catalogue_lock:
            state.catalogues[key] = found
            while len(state.catalogues) > CATALOGUES:
                del state.catalogues[next(iter(state.catalogues))]
    return found


def _filter_mask(found: Catalogue, query: Query, history: list[tuple[str, float, str | None]]) -> np.ndarray | None:
    if not query.filter_expression:
        return None
    model = found.model
    interacted: dict[str, list[int]] = {}
    for item, _, event_type in history:
        if item in model.index:
            interacted.setdefault(event_type or "", []).append(model.index[item])
    values = {}
    for name, text in (query.filter_values or {}).items():
        values[name.upper()] = parse_values(text)
    context = FilterContext(len(model.item_ids), {k: np.array(v) for k, v in interacted.items()},
                            found.metadata, values)
    return apply_filter(_parsed(query.filter_expression), context)


def _normalised(scores: np.ndarray, chosen: np.ndarray) -> list[float]:
    """Scores as AWS gives them: relative, a softmax over every candidate item."""
    finite = np.isfinite(scores)
    if not finite.any():
        return [0.0] * len(chosen)
    shifted = np.where(finite, scores - scores[finite].max(), -np.inf)
    weights = np.exp(shifted)
    total = weights.sum()
    return [round(float(weights[i] / total), 7) for i in chosen]


def recommend(state: PersonalizeState, serving: Serving, query: Query) -> list[tuple[str, float]]:
    """(itemId, score) best first, for a user or an item; or the candidates ranked for a user."""
    found = catalogue(state, serving)
    model = found.model
    n = DEFAULT_RESULTS if query.num_results is None else query.num_results
    if not 0 <= n <= MAX_RESULTS:
        raise InvalidInput(f"numResults must be between 0 and {MAX_RESULTS}, not {n}.")
    history = state.store.history(serving.dataset_group, query.user_id) if query.user_id else []
    if query.item_id is not None:
        if query.item_id not in model.index:
            raise InvalidInput(f"Item {query.item_id!r} is not in the solution version's training data, nor"
                               " an item added since with metadata it knows.")
        scores = model.item_scores(model.index[query.item_id])
    else:
        # A copy: popularity and trending scores are the model's own arrays.
        scores = np.array(model.user_scores([(item, ts) for item, ts, _ in history]), dtype=np.float64)
    scores = model.in_context(scores, query.context)
    if query.candidates is None:  # a ranking request asks about given items, seen or cold alike
        scores = model.explore(scores, serving.exploration)
        if serving.exclude_seen:
            scores[[model.index[item] for item, _, _ in history if item in model.index]] = -np.inf
    mask = _filter_mask(found, query, history)
    if mask is not None:
        scores[~mask] = -np.inf
    if query.candidates is not None:
        return _rank(model, scores, query.candidates)
    candidates = int(np.isfinite(scores).sum())
    n = min(n, candidates)
    if n == 0:
        return []
    top = np.argpartition(-scores, n - 1)[:n]
    top = top[np.argsort(-scores[top], kind="stable")]
    return list(zip(model.item_ids[top].tolist(), _normalised(scores, top)))


def _rank(model: Model, scores: np.ndarray, candidates: list[str]) -> list[tuple[str, float]]:
    """The candidates best first; ones the model does not know go last in their given order, and
    ones the filter removes are left out."""
    unique = list(dict.fromkeys(candidates))
    kept = np.array([model.index[item] for item in unique
                     if item in model.index and np.isfinite(scores[model.index[item]])], dtype=int)
    order = kept[np.argsort(-scores[kept], kind="stable")]
    ranked = list(zip(model.item_ids[order].tolist(), _normalised(scores[order], np.arange(len(order)))))
    return ranked + [(item, 0.0) for item in unique if item not in model.index]
