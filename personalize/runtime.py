"""Amazon Personalize's runtime client: GetRecommendations and GetPersonalizedRanking on campaigns."""

from __future__ import annotations

import uuid

from core.errors import InvalidInput
from core.model_registry import ModelRegistry
from core.service import Service
from personalize.aws_shapes import RUNTIME, aws_operation
from personalize.personalize import Personalize
from personalize.recipes import recipe_named
from personalize.serving import Query, Serving
from personalize.state import UsesState


class PersonalizeRuntime(UsesState, Service):
    name = "personalize-runtime"

    def __init__(self, models: ModelRegistry | None = None) -> None:
        super().__init__(models)
        self._control = Personalize(self._models)

    def _serving(self, campaign_arn: str | None, query: Query, filter_arn: str | None) -> Serving:
        if not campaign_arn:
            raise InvalidInput("campaignArn is required: recommenders (domain dataset groups) are not served.")
        serving = self._control.campaign_serving(campaign_arn)
        query.filter_expression = self._control.filter_expression(filter_arn, serving.dataset_group)
        return serving

    @aws_operation(RUNTIME, "GetRecommendations")
    def get_recommendations(self, request):
        """Recommended items for a user (user-personalization, popularity, trending) or an item (similar items)."""
        query = Query(user_id=request.userId, num_results=request.numResults, filter_values=request.filterValues or {},
                      context=request.context or {})
        serving = self._serving(request.campaignArn, query, request.filterArn)
        wanted = recipe_named(serving.recipe).query
        if wanted is None:
            raise InvalidInput("This campaign ranks given items: call GetPersonalizedRanking.")
        if not getattr(request, wanted):
            raise InvalidInput(f"A campaign of the {serving.recipe} recipe needs {wanted} in GetRecommendations.")
        if wanted == "itemId":
            query.item_id = request.itemId
        ranked = _recommend(self._state, serving, query)
        return RUNTIME.response("GetRecommendations")(
            itemList=[{"itemId": item, "score": score} for item, score in ranked], recommendationId=_new_id())

    @aws_operation(RUNTIME, "GetPersonalizedRanking")
    def get_personalized_ranking(self, request):
        """The given items, best first for the user."""
        query = Query(user_id=request.userId, candidates=list(request.inputList),
                      filter_values=request.filterValues or {}, context=request.context or {})
        serving = self._serving(request.campaignArn, query, request.filterArn)
        if serving.recipe != "aws-personalized-ranking":
            raise InvalidInput("GetPersonalizedRanking needs a campaign of the aws-personalized-ranking recipe.")
        ranked = _recommend(self._state, serving, query)
        return RUNTIME.response("GetPersonalizedRanking")(
            personalizedRanking=[{"itemId": item, "score": score} for item, score in ranked],
            recommendationId=_new_id())


def _recommend(state, serving: Serving, query: Query) -> list[tuple[str, float]]:
    from personalize.recommend import recommend  # numpy loads with the first recommendation

    return recommend(state, serving, query)


def _new_id() -> str:
    return f"RID-{uuid.uuid4()}"
