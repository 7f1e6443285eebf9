"""Offline metrics of a solution version, split as AWS splits them: a tenth of the users are test
users; the newest tenth of each test user's interactions are held out and the model, trained on
everything else, ranks all items from the rest of their history (seen items left out)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from personalize.model import Interactions, Model

TEST_USER_SHARE = 0.1
HOLDOUT_SHARE = 0.1
TOP = 25
MIN_TEST_USERS = 1


def holdout(data: Interactions, seed: int = 0) -> tuple[Interactions, dict[int, tuple[list[int], set[int]]]]:
    """Training data, and per test user (their input items in time order, their held-out items)."""
    users = np.unique(data.users)
    rng = np.random.default_rng(seed)
    test_users = rng.choice(users, size=max(MIN_TEST_USERS, int(len(users) * TEST_USER_SHARE)), replace=False)
    is_test = np.isin(data.users, test_users)
    keep = ~is_test
    cases = {}
    for user in test_users:
        rows = np.flatnonzero(data.users == user)
        rows = rows[np.argsort(data.ts[rows], kind="stable")]
        held = max(1, int(round(len(rows) * HOLDOUT_SHARE)))
        if len(rows) <= held:
            continue
        keep[rows[:-held]] = True
        # Only items new to the user count as hits: seen items are never recommended.
        truth = set(data.items[rows[-held:]].tolist()) - set(data.items[rows[:-held]].tolist())
        cases[int(user)] = (rows[:-held].tolist(), truth)
    cases = {u: c for u, c in cases.items() if c[1]}
    return data.subset(np.flatnonzero(keep)), cases


def ranking_metrics(ranked: list[list[int]], relevant: list[set[int]], n_items: int) -> dict[str, float]:
    """precision_at_k, normalized_discounted_cumulative_gain_at_k (k = 5, 10, 25),
    mean_reciprocal_rank_at_25 and coverage, with AWS's metric names."""
    sums: dict[str, float] = {}
    discounts = 1.0 / np.log2(np.arange(2, TOP + 2))
    for top, truth in zip(ranked, relevant):
        hits = np.array([item in truth for item in top[:TOP]], dtype=float)
        for k in (5, 10, 25):
            ideal = discounts[:min(k, len(truth))].sum()
            sums[f"precision_at_{k}"] = sums.get(f"precision_at_{k}", 0.0) + hits[:k].sum() / k
            ndcg = f"normalized_discounted_cumulative_gain_at_{k}"
            sums[ndcg] = sums.get(ndcg, 0.0) + (hits[:k] @ discounts[:len(hits[:k])]) / ideal
        first = np.flatnonzero(hits)
        sums["mean_reciprocal_rank_at_25"] = sums.get("mean_reciprocal_rank_at_25", 0.0) + (
            1.0 / (first[0] + 1) if first.size else 0.0)
    count = max(len(ranked), 1)
    metrics = {name: round(value / count, 4) for name, value in sorted(sums.items())}
    metrics["coverage"] = round(len({item for top in ranked for item in top[:TOP]}) / max(n_items, 1), 4)
    return metrics


def top_items(model: Model, history: list[tuple[str, float]], k: int) -> list[int]:
    scores = np.array(model.user_scores(history), dtype=np.float64, copy=True)
    seen = [model.index[item] for item, _ in history if item in model.index]
    scores[seen] = -np.inf
    top = np.argpartition(-scores, min(k, len(scores) - 1))[:k]
    return top[np.argsort(-scores[top])].tolist()


def evaluate(data: Interactions, fit: Callable[[Interactions], Model]) -> dict[str, float]:
    train, cases = holdout(data)
    if not cases:
        return {}
    model = fit(train)
    item_ids = data.item_ids
    ranked, relevant = [], []
    for user, (rows, truth) in cases.items():
        history = [(item_ids[data.items[r]], float(data.ts[r])) for r in rows]
        ranked.append(top_items(model, history, TOP))
        relevant.append(truth)
    return ranking_metrics(ranked, relevant, len(item_ids))
