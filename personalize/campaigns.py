"""Campaigns (a trained version, served), filters and event trackers."""

from __future__ import annotations

import uuid
from typing import Any

from core.arns import ACCOUNT_ID
from core.errors import InvalidInput
from personalize.aws_shapes import CONTROL, aws_operation
from personalize.filters import parse_filter
from personalize.recipes import recipe_by_arn
from personalize.resources import (
    CAMPAIGN,
    DATASET_GROUP,
    EVENT_TRACKER,
    FILTER,
    listing,
)
from personalize.serving import DEFAULT_EXPLORATION, Serving
from personalize.solutions import SolutionOperations, version_id
from personalize.store import utc_now


def _hyper(version: dict[str, Any]) -> dict[str, str]:
    return (version.get("solutionConfig") or {}).get("algorithmHyperParameters") or {}


def serving_of(version: dict[str, Any], campaign_config: dict[str, Any] | None) -> Serving:
    """How a version is served: exploration (aws-user-personalization only) from the campaign's
    itemExplorationConfig, and whether seen items may come back (hyperparameter exclude_seen_items)."""
    recipe = recipe_by_arn(version["recipeArn"]).name
    exploration = 0.0
    if recipe == "aws-user-personalization":
        config = (campaign_config or {}).get("itemExplorationConfig") or {}
        try:
            exploration = float(config.get("explorationWeight", DEFAULT_EXPLORATION))
        except ValueError:
            raise InvalidInput("itemExplorationConfig.explorationWeight must be a number from 0 to 1.") from None
        if not 0.0 <= exploration <= 1.0:
            raise InvalidInput("itemExplorationConfig.explorationWeight must be from 0 to 1.")
    exclude_seen = _hyper(version).get("exclude_seen_items", "true").lower() != "false"
    return Serving(version_id(version["solutionVersionArn"]), recipe, version["datasetGroupArn"], exploration,
                   exclude_seen)


class CampaignOperations(SolutionOperations):
    # Campaigns

    def _config(self, config) -> dict[str, Any] | None:
        return config.model_dump(exclude_none=True) if config else None

    @aws_operation(CONTROL, "CreateCampaign")
    def create_campaign(self, request):
        """Serve a trained solution version (ACTIVE) for GetRecommendations / GetPersonalizedRanking."""
        version = self._active_version(request.solutionVersionArn)
        config = self._config(request.campaignConfig)
        serving_of(version, config)
        campaign_arn = CAMPAIGN.arn(request.name)
        self._create(CAMPAIGN, campaign_arn, request.name, None, solutionVersionArn=request.solutionVersionArn,
                     minProvisionedTPS=request.minProvisionedTPS or 1, campaignConfig=config)
        return CONTROL.response("CreateCampaign")(campaignArn=campaign_arn)

    @aws_operation(CONTROL, "UpdateCampaign")
    def update_campaign(self, request):
        """Serve another trained version, or the same one with another configuration."""
        props = self._get(CAMPAIGN, request.campaignArn)
        version_arn = request.solutionVersionArn or props["solutionVersionArn"]
        version = self._active_version(version_arn)
        config = self._config(request.campaignConfig) or props.get("campaignConfig")
        serving_of(version, config)
        moment = utc_now().isoformat()
        props.update(solutionVersionArn=version_arn, campaignConfig=config, lastUpdatedDateTime=moment,
                     minProvisionedTPS=request.minProvisionedTPS or props["minProvisionedTPS"])
        props["latestCampaignUpdate"] = {"solutionVersionArn": version_arn, "minProvisionedTPS":
                                         props["minProvisionedTPS"], "campaignConfig": config, "status": "ACTIVE",
                                         "creationDateTime": moment, "lastUpdatedDateTime": moment}
        self._state.store.update(request.campaignArn, props)
        self._state.servings.pop(request.campaignArn, None)
        return CONTROL.response("UpdateCampaign")(campaignArn=request.campaignArn)

    @aws_operation(CONTROL, "DescribeCampaign")
    def describe_campaign(self, request):
        """Describe a campaign."""
        return CONTROL.response("DescribeCampaign")(campaign=self._get(CAMPAIGN, request.campaignArn))

    @aws_operation(CONTROL, "ListCampaigns")
    def list_campaigns(self, request):
        """Campaigns (of one solution's versions, or all), oldest first."""
        found = self._state.store.find(CAMPAIGN.slug)
        if request.solutionArn:
            found = [c for c in found if c["solutionVersionArn"].startswith(request.solutionArn + "/")]
        return listing("ListCampaigns", "campaigns", found, request, kind=CAMPAIGN)

    @aws_operation(CONTROL, "DeleteCampaign")
    def delete_campaign(self, request):
        """Stop serving a campaign."""
        self._get(CAMPAIGN, request.campaignArn)
        self._state.store.delete(request.campaignArn)
        self._state.servings.pop(request.campaignArn, None)
        return CONTROL.response("DeleteCampaign")()

    def campaign_serving(self, campaign_arn: str) -> Serving:
        servings = self._state.servings
        if campaign_arn not in servings:
            campaign = self._get(CAMPAIGN, campaign_arn)
            servings[campaign_arn] = serving_of(self._version(campaign["solutionVersionArn"]),
                                                campaign.get("campaignConfig"))
        return servings[campaign_arn]

    # Filters

    @aws_operation(CONTROL, "CreateFilter")
    def create_filter(self, request):
        """Create a filter from an expression (EXCLUDE/INCLUDE ItemID WHERE ...) for a dataset group."""
        self._get(DATASET_GROUP, request.datasetGroupArn)
        parse_filter(request.filterExpression)
        filter_arn = FILTER.arn(request.name)
        self._create(FILTER, filter_arn, request.name, request.datasetGroupArn,
                     datasetGroupArn=request.datasetGroupArn, filterExpression=request.filterExpression)
        return CONTROL.response("CreateFilter")(filterArn=filter_arn)

    @aws_operation(CONTROL, "DescribeFilter")
    def describe_filter(self, request):
        """Describe a filter, with its expression."""
        return CONTROL.response("DescribeFilter")(filter=self._get(FILTER, request.filterArn))

    @aws_operation(CONTROL, "ListFilters")
    def list_filters(self, request):
        """The filters of a dataset group (or all), oldest first."""
        found = self._state.store.find(FILTER.slug, request.datasetGroupArn)
        return listing("ListFilters", "Filters", found, request, kind=FILTER)

    @aws_operation(CONTROL, "DeleteFilter")
    def delete_filter(self, request):
        """Delete a filter."""
        self._get(FILTER, request.filterArn)
        self._state.store.delete(request.filterArn)
        return CONTROL.response("DeleteFilter")()

    def filter_expression(self, filter_arn: str | None, dataset_group: str) -> str | None:
        if not filter_arn:
            return None
        found = self._get(FILTER, filter_arn)
        if found["datasetGroupArn"] != dataset_group:
            raise InvalidInput(f"Filter {filter_arn} belongs to another dataset group than the campaign's.")
        return found["filterExpression"]

    # Event trackers

    @aws_operation(CONTROL, "CreateEventTracker")
    def create_event_tracker(self, request):
        """Create an event tracker: its trackingId lets PutEvents add live interactions to the dataset group."""
        self._get(DATASET_GROUP, request.datasetGroupArn)
        if self._state.store.find(EVENT_TRACKER.slug, request.datasetGroupArn):
            raise InvalidInput(f"Dataset group {request.datasetGroupArn} already has an event tracker.")
        tracking_id = str(uuid.uuid4())
        tracker_arn = EVENT_TRACKER.arn(tracking_id)
        self._create(EVENT_TRACKER, tracker_arn, request.name, request.datasetGroupArn,
                     datasetGroupArn=request.datasetGroupArn, trackingId=tracking_id, accountId=ACCOUNT_ID)
        return CONTROL.response("CreateEventTracker")(eventTrackerArn=tracker_arn, trackingId=tracking_id)

    @aws_operation(CONTROL, "DescribeEventTracker")
    def describe_event_tracker(self, request):
        """Describe an event tracker, with its trackingId."""
        return CONTROL.response("DescribeEventTracker")(eventTracker=self._get(EVENT_TRACKER, request.eventTrackerArn))

    @aws_operation(CONTROL, "ListEventTrackers")
    def list_event_trackers(self, request):
        """The event trackers of a dataset group (or all)."""
        found = self._state.store.find(EVENT_TRACKER.slug, request.datasetGroupArn)
        return listing("ListEventTrackers", "eventTrackers", found, request, kind=EVENT_TRACKER)

    @aws_operation(CONTROL, "DeleteEventTracker")
    def delete_event_tracker(self, request):
        """Delete an event tracker: its trackingId stops being accepted."""
        self._get(EVENT_TRACKER, request.eventTrackerArn)
        self._state.store.delete(request.eventTrackerArn)
        return CONTROL.response("DeleteEventTracker")()

    def tracker_group(self, tracking_id: str) -> str:
        for tracker in self._state.store.find(EVENT_TRACKER.slug):
            if tracker["trackingId"] == tracking_id:
                return tracker["datasetGroupArn"]
        raise InvalidInput(f"No event tracker has the tracking id {tracking_id!r}.")
