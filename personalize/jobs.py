"""Personalize's long steps (dataset imports, training) as durable
core.service_jobs records, keyed by their ARN and described with AWS's statuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.errors import ResourceAlreadyExists
from core.service_jobs import JobRecord
from personalize.resources import Kind, not_found
from personalize.state import PersonalizeState

AWS_STATUS = {"SUBMITTED": "CREATE PENDING", "IN_PROGRESS": "CREATE IN_PROGRESS", "COMPLETED": "ACTIVE",
              "FAILED": "CREATE FAILED"}


def props_of(kind: Kind, record: JobRecord) -> dict[str, Any]:
    """The job's AWS description: its own members, with status and times from the record."""
    props = {**record.params, kind.arn_member: record.job_id, "status": AWS_STATUS[record.status],
             "creationDateTime": record.submit_time, "lastUpdatedDateTime": record.end_time or record.submit_time}
    if record.status == "FAILED":
        props["failureReason"] = record.message
    return props


def submit(state: PersonalizeState, kind: Kind, job_arn: str, name: str, params: dict[str, Any],
           work: Callable[[JobRecord], None]) -> None:
    if state.jobs.list(kind.shape, name=name, limit=1):
        raise ResourceAlreadyExists(f"A {kind.words} named {name!r} already exists.")
    state.runner.submit(state.jobs, job_arn, kind.shape, name, params, None, work)


def job(state: PersonalizeState, kind: Kind, job_arn: str) -> dict[str, Any]:
    record = state.jobs.get(kind.shape, job_arn)
    if record is None:
        raise not_found(kind, job_arn)
    return props_of(kind, record)


def jobs(state: PersonalizeState, kind: Kind, **where: str | None) -> list[dict[str, Any]]:
    """Jobs of a kind, oldest first, whose members equal `where`'s (None = any)."""
    records = state.jobs.list(kind.shape, limit=1_000_000)
    found = [props_of(kind, record) for record in records]
    return [props for props in found if all(v is None or props.get(k) == v for k, v in where.items())]
