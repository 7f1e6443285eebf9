"""The recipes this gateway trains, with the names, ARNs and types AWS gives them."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import InvalidInput, ResourceNotFound


@dataclass(frozen=True)
class Recipe:
    name: str
    recipe_type: str  # USER_PERSONALIZATION, RELATED_ITEMS or PERSONALIZED_RANKING, as AWS types them
    description: str
    # Which GetRecommendations input the recipe answers: "userId" or "itemId"; ranking answers neither.
    query: str | None

    @property
    def arn(self) -> str:
        # AWS's own recipes have ARNs with no region or account.
        return f"arn:aws:personalize:::recipe/{self.name}"


RECIPES = [
    Recipe("aws-user-personalization", "USER_PERSONALIZATION",
           "Implicit-feedback matrix factorisation (implicit ALS or BPR) on BM25- and recency-weighted "
           "interactions; new events fold the user in at once; a request's context re-scores by what "
           "training learnt of it; exploration surfaces cold items, new ones placed by their metadata.", "userId"),
    Recipe("aws-similar-items", "RELATED_ITEMS",
           "Item-to-item similarity from co-occurrence in users' histories, blended with item metadata "
           "(alone for items nobody has interacted with, or added since training).",
           "itemId"),
    Recipe("aws-personalized-ranking", "PERSONALIZED_RANKING",
           "Ranks a given list of items for a user with the user-personalization model, context included.",
           None),
    Recipe("aws-popularity-count", "USER_PERSONALIZATION",
           "The items with the most interactions (of the solution's event type), seen ones left out.", "userId"),
    Recipe("aws-trending-now", "USER_PERSONALIZATION",
           "The items whose interactions grew the most between the last two time windows.", "userId"),
]
_BY_ARN = {recipe.arn: recipe for recipe in RECIPES}


def recipe_by_arn(arn: str, *, error: type[Exception] = ResourceNotFound) -> Recipe:
    recipe = _BY_ARN.get(arn)
    if recipe is None:
        raise error(f"No recipe has the ARN {arn!r}; ListRecipes gives the ones served here.")
    return recipe


def check_recipe(arn: str) -> Recipe:
    return recipe_by_arn(arn, error=InvalidInput)


def recipe_named(name: str) -> Recipe:
    return next(recipe for recipe in RECIPES if recipe.name == name)
