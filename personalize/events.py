"""Amazon Personalize's events client: PutEvents (live interactions, counted by the next
recommendation at once; their properties, such as a DEVICE, count as context at the next training),
PutItems and PutUsers (records added to or replacing those imported)."""

from __future__ import annotations

import json
from typing import Any

from core.errors import InvalidInput
from core.model_registry import ModelRegistry
from core.service import Service, snake_case
from personalize.aws_shapes import EVENTS, aws_operation
from personalize.personalize import Personalize
from personalize.resources import DATASET
from personalize.state import UsesState

MAX_RECORDS = 10  # events, items or users per call, as AWS limits them


def _properties(text: str | None, allowed: set[str] | None, what: str) -> dict[str, Any]:
    """A record's `properties` JSON, with camelCase names turned into the schema's field names
    (checked against `allowed`; None for events, whose extra fields are free)."""
    if not text:
        return {}
    try:
        raw = json.loads(text)
    except ValueError:
        raise InvalidInput(f"The properties of {what} are not JSON.") from None
    if not isinstance(raw, dict):
        raise InvalidInput(f"The properties of {what} must be a JSON object.")
    named = {snake_case(key).upper(): value for key, value in raw.items()}
    unknown = sorted(set(named) - allowed) if allowed is not None else []
    if unknown:
        raise InvalidInput(f"The properties of {what} name fields the schema does not have: {unknown}.")
    return named


class PersonalizeEvents(UsesState, Service):
    name = "personalize-events"

    def __init__(self, models: ModelRegistry | None = None) -> None:
        super().__init__(models)
        self._control = Personalize(self._models)

    @aws_operation(EVENTS, "PutEvents")
    def put_events(self, request):
        """Record a user's (or an anonymous session's) events through an event tracker."""
        group = self._control.tracker_group(request.trackingId)
        user = request.userId or request.sessionId
        if not 1 <= len(request.eventList) <= MAX_RECORDS:
            raise InvalidInput(f"eventList takes 1 to {MAX_RECORDS} events.")
        rows = []
        for event in request.eventList:
            extra = _properties(event.properties, None, f"event {event.eventId or event.eventType}")
            if event.itemId:
                rows.append((user, event.itemId, event.sentAt.timestamp(), event.eventType, event.eventValue,
                             json.dumps(extra) if extra else None))
        self._state.store.add_interactions(group, rows)
        return EVENTS.response("PutEvents")()

    def _records(self, dataset_arn: str, dataset_type: str, records: list, id_member: str) -> None:
        dataset = self._control._get(DATASET, dataset_arn)
        if dataset["datasetType"] != dataset_type:
            raise InvalidInput(f"{dataset_arn} is an {dataset['datasetType']} dataset, not an {dataset_type} one.")
        if not 1 <= len(records) <= MAX_RECORDS:
            raise InvalidInput(f"Put{dataset_type} takes 1 to {MAX_RECORDS} records.")
        fields = {f.name for f in self._control._fields(dataset)}
        id_field = snake_case(id_member).upper()
        rows = []
        for record in records:
            record_id = getattr(record, id_member)
            rows.append((record_id, {id_field: record_id, **_properties(record.properties, fields,
                                                                         f"{id_member} {record_id}")}))
        self._state.store.put_records(dataset["datasetGroupArn"], dataset_type, rows)

    @aws_operation(EVENTS, "PutItems")
    def put_items(self, request):
        """Add or replace items: filters on item metadata see them at once, and similar-items campaigns
        and exploring user-personalization ones recommend new items by their metadata until the next
        training learns them (personalize/new_items.py)."""
        self._records(request.datasetArn, "Items", request.items, "itemId")
        return EVENTS.response("PutItems")()

    @aws_operation(EVENTS, "PutUsers")
    def put_users(self, request):
        """Add or replace users."""
        self._records(request.datasetArn, "Users", request.users, "userId")
        return EVENTS.response("PutUsers")()

