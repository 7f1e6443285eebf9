"""Trained recommenders: how each recipe learns from interactions, scores items for a user or an
item, and is kept as one .npz file per solution version.

aws-user-personalization and aws-personalized-ranking factorise BM25-weighted, recency-weighted
interactions with `implicit` (ALS, or BPR) and score a user by folding their history into the item
factors at query time: one small least-squares solve, so events sent a moment ago count at once
without retraining, and users the model never saw are scored like any other. They also keep what
the interactions' contextual metadata says of each item (personalize/context.py). Every recipe keeps
the items' categorical metadata, by which items added since training are placed
(personalize/new_items.py).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from core.errors import InvalidInput
from personalize.context import context_lift, in_context
from personalize.one_hot import l2_rows

FACTORS = 64
MIN_FACTORS = 4
INTERACTIONS_PER_FACTOR = 300
REGULARIZATION = 0.05
ITERATIONS = 15
BM25_K1, BM25_B = 100.0, 0.8
SIMILAR_HISTORY = 10  # the latest items whose neighbours make a similar-items user's list
METADATA_SHARE = 0.2  # of item-to-item similarity, where items have metadata
COLD_COUNT = 3  # items with at most this many interactions are explored
# implicit's OpenMP threads use every core: factorisations take turns, and BLAS's own threads are
# limited to one meanwhile (threadpoolctl's limit is process-wide, so overlapping limits would undo
# each other).
_FACTORISING = threading.Lock()


@dataclass
class Interactions:
    """Interactions coded as indices: `item_ids` is the catalogue (interacted and Items-dataset items)."""

    user_ids: list[str]
    item_ids: list[str]
    users: np.ndarray
    items: np.ndarray
    ts: np.ndarray
    features: sparse.csr_matrix | None = None  # items x one-hot categorical metadata
    feature_keys: dict[str, int] = field(default_factory=dict)  # "GENRES=Comedy" -> column
    context: sparse.csr_matrix | None = None  # interactions x one-hot contextual metadata
    context_keys: dict[str, int] = field(default_factory=dict)  # "DEVICE=mobile" -> column

    def subset(self, rows: np.ndarray) -> Interactions:
        """These interactions only (indices), over the same users, items and metadata."""
        context = self.context[rows] if self.context is not None else None
        return Interactions(self.user_ids, self.item_ids, self.users[rows], self.items[rows], self.ts[rows],
                            self.features, self.feature_keys, context, self.context_keys)

    def matrix(self, weights: np.ndarray | None = None) -> sparse.csr_matrix:
        values = np.ones(len(self.users), np.float32) if weights is None else weights.astype(np.float32)
        return sparse.csr_matrix((values, (self.users, self.items)), shape=(len(self.user_ids), len(self.item_ids)))


def recency(ts: np.ndarray, reference: float, half_life: float) -> np.ndarray:
    """1 for old events up to 2 for the newest: recent taste counts more, old taste still counts."""
    return 1.0 + np.power(0.5, np.maximum(reference - ts, 0.0) / half_life)


def bm25_values(values: np.ndarray, row_length: np.ndarray, idf: np.ndarray, avg_len: float) -> np.ndarray:
    """BM25 weights (as implicit's bm25_weight) of interaction values, given the total of their user's
    row and their item's idf: one formula for training and for fold-in."""
    norm = (1.0 - BM25_B) + BM25_B * row_length / avg_len
    return values * (BM25_K1 + 1.0) / (BM25_K1 * norm + values) * idf


def bm25(matrix: sparse.csr_matrix, idf: np.ndarray, avg_len: float) -> sparse.csr_matrix:
    coo = matrix.tocoo()
    length = np.asarray(matrix.sum(axis=1)).ravel()
    data = bm25_values(coo.data, length[coo.row], idf[coo.col], avg_len)
    return sparse.csr_matrix((data.astype(np.float32), (coo.row, coo.col)), shape=matrix.shape)


def _number(params: dict[str, str], name: str, default: float) -> float:
    try:
        return float(params.get(name, default))
    except (TypeError, ValueError):
        raise InvalidInput(f"Hyperparameter {name} must be a number, not {params[name]!r}.") from None


@dataclass
class Model:
    recipe: str
    item_ids: np.ndarray
    counts: np.ndarray  # interactions per item
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    settings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        a = self.arrays
        self.index = {item: i for i, item in enumerate(self.item_ids.tolist())}
        self.popularity = self.counts / max(float(self.counts.max(initial=0.0)), 1.0)
        # Items the version was trained on; any after them were added since (personalize/new_items.py).
        self.trained = int(self.settings.get("trained_items", len(self.item_ids)))
        if "factors" in a:
            factors = a["factors"][:self.trained]
            gram = factors.T.astype(np.float64) @ factors
            self._gram = gram + self.settings["regularization"] * np.eye(factors.shape[1])
        if "co_indptr" in a:
            self._by_user = sparse.csr_matrix((np.ones(len(a["co_indices"]), np.float32), a["co_indices"],
                                               a["co_indptr"]), shape=(int(self.settings["users"]), len(self.item_ids)))
            self._by_item = self._by_user.T.tocsr()
        self.features = (sparse.csr_matrix((a["f_data"], a["f_indices"], a["f_indptr"]),
                                           shape=(len(self.item_ids), len(a["f_keys"])))
                         if "f_indptr" in a else None)
        self._context = {key: row for row, key in enumerate(a["ctx_keys"].tolist())} if "ctx_keys" in a else {}

    # Persistence

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part.npz")
        np.savez(tmp, recipe=self.recipe, item_ids=self.item_ids, counts=self.counts,
                 settings_keys=np.array(list(self.settings), dtype=str),
                 settings_values=np.array(list(self.settings.values()), dtype=np.float64),
                 **{f"a_{k}": v for k, v in self.arrays.items()})
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Model:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k[2:]: npz[k] for k in npz.files if k.startswith("a_")}
            settings = dict(zip(npz["settings_keys"].tolist(), npz["settings_values"].tolist()))
            return cls(str(npz["recipe"]), npz["item_ids"], npz["counts"], arrays, settings)

    # Scoring

    def user_scores(self, history: list[tuple[str, float]]) -> np.ndarray:
        """Scores of every item for a user with this history of (item_id, timestamp); a user with no
        history the model knows gets popularity, as AWS serves cold users."""
        known = [(self.index[item], ts) for item, ts in history if item in self.index]
        if self.recipe == "aws-trending-now":
            return self.arrays["trending"]
        if not known or self.recipe == "aws-popularity-count":
            return self.popularity
        if self.recipe == "aws-similar-items":
            latest = known[-SIMILAR_HISTORY:]
            return sum((1.0 + rank / len(latest)) * self.item_scores(i) for rank, (i, _) in enumerate(latest))
        return self._fold_in(known)

    def _fold_in(self, known: list[tuple[int, float]]) -> np.ndarray:
        """The user's factors given the item factors: the ALS user step for one user, on the same
        BM25 and recency weighting as training."""
        s = self.settings
        weights = recency(np.array([t for _, t in known], dtype=np.float64), s["reference_ts"], s["half_life"])
        items, slot = np.unique(np.array([i for i, _ in known]), return_inverse=True)
        values = np.bincount(slot, weights=weights)  # repeated interactions with an item add up
        confidence = bm25_values(values, values.sum(), self.arrays["idf"][items], s["avg_len"])
        factors = self.arrays["factors"]
        y = factors[items].astype(np.float64)
        a = self._gram + (y.T * (confidence - 1.0)) @ y
        user = np.linalg.solve(a, y.T @ confidence).astype(np.float32)
        # einsum, not BLAS: one 10k x 64 product is faster on one core than handed to BLAS's threads,
        # above all on a busy machine.
        return np.einsum("ij,j->i", factors, user)

    def item_scores(self, item: int) -> np.ndarray:
        """Similarity of every item to one (similar-items)."""
        users = self._by_item[item].indices
        co = np.asarray(self._by_user[users].sum(axis=0)).ravel()
        df = self.counts_binary
        scores = co / np.sqrt(np.maximum(df * max(df[item], 1.0), 1.0))
        if self.features is not None:
            meta = (self.features @ self.features[item].T).toarray().ravel()
            share = 1.0 if df[item] == 0 else METADATA_SHARE
            scores = (1.0 - share) * scores + share * meta
        scores = scores.astype(np.float64)
        scores[item] = -np.inf
        return scores

    @property
    def counts_binary(self) -> np.ndarray:
        return np.diff(self._by_item.indptr).astype(np.float64)

    def in_context(self, scores: np.ndarray, context: dict[str, str]) -> np.ndarray:
        """Scores moved by what training learnt of the context's values (personalize/context.py);
        unchanged for recipes that learn nothing of context."""
        if not context or not self._context:
            return scores
        return in_context(scores, context, self._context, self.arrays["ctx_lift"])

    def explore(self, scores: np.ndarray, weight: float) -> np.ndarray:
        """Lift cold items (at most COLD_COUNT interactions) by `weight` of the scores' spread: AWS's
        explorationWeight, 0 = pure relevance, 1 = cold items first."""
        if weight <= 0:
            return scores
        finite = scores[np.isfinite(scores)]
        spread = float(finite.max() - finite.min()) if finite.size else 0.0
        return scores + weight * spread * (self.counts <= COLD_COUNT)


def train(recipe: str, data: Interactions, params: dict[str, str]) -> Model:
    counts = np.bincount(data.items, minlength=len(data.item_ids)).astype(np.float64)
    item_ids = np.array(data.item_ids, dtype=str)
    arrays = _feature_arrays(data)
    if recipe in ("aws-user-personalization", "aws-personalized-ranking"):
        return _factorise(recipe, data, params, item_ids, counts, arrays)
    if recipe == "aws-similar-items":
        return _co_occurrence(data, item_ids, counts, arrays)
    if recipe == "aws-trending-now":
        arrays["trending"] = _trending(data, params)
    return Model(recipe, item_ids, counts, arrays)


def _feature_arrays(data: Interactions) -> dict[str, np.ndarray]:
    """The items' metadata, kept with every recipe: similar-items blends it in, and items added since
    training are placed by it (personalize/new_items.py)."""
    if data.features is None or not data.features.nnz:
        return {}
    features = l2_rows(data.features)
    return {"f_data": features.data, "f_indices": features.indices, "f_indptr": features.indptr,
            "f_keys": np.array(list(data.feature_keys), dtype=str)}


def _factorise(recipe: str, data: Interactions, params: dict[str, str], item_ids: np.ndarray,
               counts: np.ndarray, arrays: dict[str, np.ndarray]) -> Model:
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.cpu.bpr import BayesianPersonalizedRanking
    from threadpoolctl import threadpool_limits

    span = float(data.ts.max() - data.ts.min()) if len(data.ts) else 0.0
    settings = {
        "regularization": _number(params, "regularization", REGULARIZATION),
        "reference_ts": float(data.ts.max()) if len(data.ts) else 0.0,
        "half_life": _number(params, "recency_half_life_seconds", max(span / 4, 1.0)),
    }
    weights = recency(data.ts, settings["reference_ts"], settings["half_life"])
    raw = data.matrix(weights)
    raw.sum_duplicates()
    n_users = max(raw.shape[0], 1)
    idf = (np.log(n_users) - np.log1p(np.diff(raw.tocsc().indptr))).astype(np.float64)
    settings["avg_len"] = float(np.asarray(raw.sum(axis=1)).mean()) or 1.0
    weighted = bm25(raw, idf, settings["avg_len"])
    # Fewer factors for less data, where 64 would fit noise: one factor per INTERACTIONS_PER_FACTOR.
    fitting = min(FACTORS, max(MIN_FACTORS, raw.nnz // INTERACTIONS_PER_FACTOR))
    factors = int(_number(params, "hidden_dimension", fitting))
    algorithm = params.get("training_algorithm", "als").lower()
    with _FACTORISING, threadpool_limits(1, "blas"):
        if algorithm == "bpr":
            fit = BayesianPersonalizedRanking(factors=factors, iterations=100, random_state=0)
        elif algorithm == "als":
            fit = AlternatingLeastSquares(factors=factors, regularization=settings["regularization"],
                                          iterations=int(_number(params, "iterations", ITERATIONS)), random_state=0)
        else:
            raise InvalidInput(f"training_algorithm must be als or bpr, not {algorithm!r}.")
        fit.fit(weighted, show_progress=False)
    arrays.update(factors=np.asarray(fit.item_factors, dtype=np.float32), idf=idf)
    if data.context is not None:
        arrays.update(context_lift(data.context, data.context_keys, data.items, len(item_ids)))
    return Model(recipe, item_ids, counts, arrays, settings)


def _co_occurrence(data: Interactions, item_ids: np.ndarray, counts: np.ndarray,
                   arrays: dict[str, np.ndarray]) -> Model:
    binary = data.matrix()
    binary.sum_duplicates()
    binary.data[:] = 1.0
    arrays.update(co_indptr=binary.indptr, co_indices=binary.indices)
    return Model("aws-similar-items", item_ids, counts, arrays, {"users": float(binary.shape[0])})


def _trending(data: Interactions, params: dict[str, str]) -> np.ndarray:
    """Interactions in the latest window minus those in the window before it (a tenth of the data's
    time span by default): the items gaining attention, not the always-popular ones."""
    n = len(data.item_ids)
    if not len(data.ts):
        return np.zeros(n)
    end = float(data.ts.max())
    window = _number(params, "trend_window_seconds", max((end - float(data.ts.min())) / 10, 1.0))
    recent = np.bincount(data.items[data.ts > end - window], minlength=n).astype(np.float64)
    before = np.bincount(data.items[(data.ts <= end - window) & (data.ts > end - 2 * window)], minlength=n)
    # Ties in growth go to the item with more recent interactions.
    return recent - before + 1e-3 * recent
