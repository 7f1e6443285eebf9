"""Personalize resources as the store keeps them: their kinds, ARNs, and the describe/list forms
every operation answers with. A resource is its AWS description (a dict of the AWS members)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.arns import arn
from core.errors import InvalidNextToken, ResourceNotFound
from core.paging import offset_page
from core.service_jobs import REGION
from personalize.aws_shapes import CONTROL
from personalize.store import utc_now

PAGE_SIZE = 100


@dataclass(frozen=True)
class Kind:
    slug: str  # the ARN's resource type: "dataset-group"
    arn_member: str  # "datasetGroupArn"
    shape: str  # "DatasetGroup"
    words: str  # "dataset group", for messages

    def arn(self, *parts: str) -> str:
        return arn("personalize", REGION, "/".join((self.slug, *parts)))


DATASET_GROUP = Kind("dataset-group", "datasetGroupArn", "DatasetGroup", "dataset group")
SCHEMA = Kind("schema", "schemaArn", "DatasetSchema", "schema")
DATASET = Kind("dataset", "datasetArn", "Dataset", "dataset")
DATASET_IMPORT_JOB = Kind("dataset-import-job", "datasetImportJobArn", "DatasetImportJob", "dataset import job")
SOLUTION = Kind("solution", "solutionArn", "Solution", "solution")
SOLUTION_VERSION = Kind("solution", "solutionVersionArn", "SolutionVersion", "solution version")
CAMPAIGN = Kind("campaign", "campaignArn", "Campaign", "campaign")
FILTER = Kind("filter", "filterArn", "Filter", "filter")
EVENT_TRACKER = Kind("event-tracker", "eventTrackerArn", "EventTracker", "event tracker")
BATCH_INFERENCE_JOB = Kind("batch-inference-job", "batchInferenceJobArn", "BatchInferenceJob",
                           "batch inference job")


def new_props(kind: Kind, resource_arn: str, **members: Any) -> dict[str, Any]:
    moment = utc_now().isoformat()
    return {kind.arn_member: resource_arn, "status": "ACTIVE", "creationDateTime": moment,
            "lastUpdatedDateTime": moment, **{k: v for k, v in members.items() if v is not None}}


def not_found(kind: Kind, resource_arn: str) -> ResourceNotFound:
    return ResourceNotFound(f"No {kind.words} has the ARN {resource_arn!r}.")


def listing(operation: str, member: str, found: list[dict[str, Any]], request: Any, kind: Kind | None = None,
            summary: str | None = None) -> Any:
    """A List* response: one page of `found` (a request's nextToken/maxResults), as the kind's
    summaries (or the shape named `summary`), under the response's `member`."""
    model = CONTROL[summary or f"{kind.shape}Summary"]
    items, token = offset_page(found, request.nextToken, request.maxResults, default_size=PAGE_SIZE,
                               error=InvalidNextToken)
    return CONTROL.response(operation)(**{member: [model.model_validate(p) for p in items], "nextToken": token})
