"""What a recommendation is asked (Query) and how a campaign serves it (Serving): plain values, kept
apart from the numpy work in personalize/recommend.py so that the services import without it."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_RESULTS = 500
DEFAULT_RESULTS = 25
DEFAULT_EXPLORATION = 0.3  # AWS's default explorationWeight for aws-user-personalization


@dataclass(frozen=True)
class Serving:
    """What a campaign (or batch job) serves: a trained version and how."""

    version_id: str
    recipe: str
    dataset_group: str
    exploration: float = 0.0
    exclude_seen: bool = True


@dataclass
class Query:
    user_id: str | None = None
    item_id: str | None = None
    num_results: int | None = None
    filter_expression: str | None = None
    filter_values: dict[str, str] = field(default_factory=dict)
    candidates: list[str] | None = None  # GetPersonalizedRanking's inputList
    context: dict[str, str] = field(default_factory=dict)  # contextual metadata, e.g. {"DEVICE": "mobile"}
