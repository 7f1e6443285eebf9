"""In process: the request's `context` re-scores by what training learnt of the interactions' DEVICE
(horror is watched mostly on mobile, comedy mostly on desktop: tests/personalize/conftest.py), PutEvents'
properties count as context at the next training, and items added by PutItems are recommended before
retraining where their metadata places them."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from core.errors import InvalidInput
from tests.personalize.conftest import Data, World, genre_of, train_campaign, user_genre

UP = "aws-user-personalization"


def _genres(items: list[str]) -> dict[str, int]:
    counts = {"Comedy": 0, "Horror": 0, "Drama": 0}
    for item in items:
        counts[genre_of(item)] += 1
    return counts


@pytest.mark.parametrize("user", ["u00", "u01"])  # a comedy fan and a horror fan
def test_context_moves_recommendations_towards_what_is_used_there(world: World, user: str) -> None:
    plain = world.recommend(UP, user_id=user, num_results=10)
    mobile = _genres(world.recommend(UP, user_id=user, num_results=10, context={"DEVICE": "mobile"}))
    desktop = _genres(world.recommend(UP, user_id=user, num_results=10, context={"DEVICE": "desktop"}))
    assert mobile["Horror"] > desktop["Horror"] and desktop["Comedy"] > mobile["Comedy"], (mobile, desktop)
    # Taste still leads: the user's own genre keeps the majority in either context.
    assert mobile[user_genre(user)] >= 6 and desktop[user_genre(user)] >= 6, (mobile, desktop)
    # A field the schema lacks, or a value training never saw, carries no evidence: nothing changes.
    for context in ({"COLOUR": "red"}, {"DEVICE": "television"}, {}):
        assert world.recommend(UP, user_id=user, num_results=10, context=context) == plain


def test_context_reorders_a_personalized_ranking(world: World) -> None:
    def order(context: dict[str, str]) -> list[str]:
        ranked = world.runtime.get_personalized_ranking(
            campaign_arn=world.campaigns["aws-personalized-ranking"], user_id="u02",
            input_list=["h04", "c04", "h07", "c07"], context=context).personalizedRanking
        return [item.itemId for item in ranked]

    on_mobile, on_desktop = order({"DEVICE": "mobile"}), order({"DEVICE": "desktop"})
    assert sorted(on_mobile) == sorted(on_desktop) == ["c04", "c07", "h04", "h07"]
    assert {genre_of(i) for i in on_mobile[:2]} == {"Horror"} and {genre_of(i) for i in on_desktop[:2]} == {"Comedy"}


def test_recipes_without_context_ignore_it(world: World) -> None:
    for recipe in ("aws-popularity-count", "aws-trending-now"):
        plain = world.recommend(recipe, user_id="u00", num_results=10)
        assert world.recommend(recipe, user_id="u00", num_results=10, context={"DEVICE": "mobile"}) == plain


def test_event_properties_are_context_at_the_next_training(world: World, data: Data) -> None:
    # Twelve tablet sessions of two little-watched dramas, sent as live events with a DEVICE property.
    tablet_items = ["d26", "d27"]
    now = datetime.now(timezone.utc)
    for n in range(6):
        world.events.put_events(tracking_id=world.tracking_id, user_id=f"tablet-{n}", session_id=f"t-{n}",
                                event_list=[{"eventType": "click", "itemId": item, "sentAt": now,
                                             "properties": json.dumps({"device": "tablet"})}
                                            for item in tablet_items])
    campaign = train_campaign(world.control, world.group, "films-tablet", UP)
    user = next(f"u{n:02d}" for n in range(2, 60, 3) if not set(tablet_items) & data.seen(f"u{n:02d}"))

    def ranks(context: dict[str, str]) -> list[int]:
        answer = world.runtime.get_recommendations(campaign_arn=campaign, user_id=user, num_results=100,
                                                   context=context).itemList
        order = [item.itemId for item in answer]
        return [order.index(item) for item in tablet_items]

    plain, on_tablet = ranks({}), ranks({"DEVICE": "tablet"})
    assert all(t < p for t, p in zip(on_tablet, plain)), (plain, on_tablet)


def test_new_items_are_similar_to_items_sharing_their_metadata(world: World) -> None:
    world.events.put_items(dataset_arn=world.items, items=[
        {"itemId": "h-new", "properties": json.dumps({"genres": "Horror", "price": 9.0})},
        {"itemId": "c-new", "properties": json.dumps({"genres": "Comedy", "price": 9.0})},
        {"itemId": "x-new", "properties": json.dumps({"genres": "Western", "price": 9.0})}])
    similar = world.recommend("aws-similar-items", item_id="h-new", num_results=10)
    assert len(similar) == 10 and all(genre_of(item) == "Horror" for item in similar), similar
    comedy = world.recommend("aws-similar-items", item_id="c-new", num_results=10)
    assert len(comedy) == 10 and all(genre_of(item) == "Comedy" for item in comedy), comedy
    # No metadata value that training saw: nothing to be similar by, as for an unknown item.
    with pytest.raises(InvalidInput, match="x-new"):
        world.recommend("aws-similar-items", item_id="x-new")


def test_exploration_offers_new_items_to_users_whose_taste_they_fit(world: World) -> None:
    world.events.put_items(dataset_arn=world.items, items=[
        {"itemId": "h-fresh", "properties": json.dumps({"genres": "Horror"})},
        {"itemId": "c-fresh", "properties": json.dumps({"genres": "Comedy"})}])
    explore = world.control.create_campaign(
        name="films-explore-new", solution_version_arn=world.versions[UP],
        campaign_config={"itemExplorationConfig": {"explorationWeight": "0.3"}}).campaignArn

    def top(campaign: str, user: str) -> list[str]:
        answer = world.runtime.get_recommendations(campaign_arn=campaign, user_id=user, num_results=25)
        return [item.itemId for item in answer.itemList]

    for user, fits, other in (("u01", "h-fresh", "c-fresh"), ("u00", "c-fresh", "h-fresh")):
        found = top(explore, user)
        assert fits in found[:10], (user, found)
        assert other not in found or found.index(other) > found.index(fits), (user, found)
    # With explorationWeight 0 only relevance counts, and nothing is known of their relevance yet.
    assert not {"h-fresh", "c-fresh"} & set(top(world.campaigns[UP], "u01") + top(world.campaigns[UP], "u00"))
    # A click on a new item counts at once: it is not offered again, and its genre leads.
    world.events.put_events(tracking_id=world.tracking_id, user_id="fresh-fan", session_id="f-1",
                            event_list=[{"eventType": "click", "itemId": "h-fresh",
                                         "sentAt": datetime.now(timezone.utc)}])
    fan = top(explore, "fresh-fan")
    assert "h-fresh" not in fan and _genres([i for i in fan[:10] if i != "c-fresh"])["Horror"] >= 6, fan
