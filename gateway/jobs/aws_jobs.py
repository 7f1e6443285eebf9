"""What the AWS asynchronous operations share: each is a thin adapter onto the JobEngine.

An AWS job is one engine job: its JobId is the engine's job id, its status is mapped from the engine's
state and counts, and what AWS echoes back (name, languages, settings) is kept in the job's `details`.
The id derives from the client token (which boto3 fills, or the job's name where AWS has no token), so
that the output folder, which AWS names after the JobId, is the same for a retried request and the
engine's idempotency check holds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from core.arns import ACCOUNT_ID
from core.storage import parse
from gateway.jobs.engine import JobEngine
from gateway.jobs.folders import check_folders
from gateway.jobs.models import JobDescription, PiiRedactionRequest
from gateway.jobs.store import JobLayout, JobRecord, Outcome
from gateway.middleware.pii_policy import ASKED_OF_JOBS

P = TypeVar("P")  # an AWS job's properties shape

_TOKEN_IDS = uuid.UUID("6f1c1f55-8d1e-4a55-9d0c-6a0d2f1e9b11")  # namespace of ids made from client tokens
_PAGE = 100  # engine jobs read per query while filtering a list


def aws_status(job: JobDescription) -> str:
    if job.state == "CANCELLED":
        return "STOPPED" if job.finished else "STOP_REQUESTED"
    if job.state == "RUNNING":
        return "IN_PROGRESS"
    if job.state == "COMPLETED" and job.failed:
        return "COMPLETED_WITH_ERROR"
    return job.state  # SUBMITTED, COMPLETED, FAILED: the same words


@dataclass(frozen=True)
class TimeMembers:
    """How one API names submission times: in a job's properties, and a List filter's bounds."""

    submitted: str = "SubmitTime"
    before: str = "SubmitTimeBefore"
    after: str = "SubmitTimeAfter"


def matches_filter(job: Any, where: Any, times: TimeMembers) -> bool:
    """An AWS List*Jobs filter (JobName, JobStatus, submission time bounds): each member given must hold."""
    if where is None:
        return True
    submitted, before, after = getattr(job, times.submitted), getattr(where, times.before), getattr(where, times.after)
    return ((where.JobName is None or job.JobName == where.JobName)
            and (where.JobStatus is None or job.JobStatus == where.JobStatus)
            and (before is None or submitted < before) and (after is None or submitted > after))


def single_object_failure(job: JobDescription, outcome: Outcome | None) -> str:
    """Why a finished single-object job (JobLayout.object_key) has no result: its object's error, or the job's own."""
    if outcome is not None and outcome.error:
        return outcome.error["message"]
    if job.state == "CANCELLED":
        return "The job was cancelled."
    return job.message or "The job ended without a result."


class EngineJobs:
    """Access to the JobEngine for adapter mixins. The gateway attaches its engine (one engine per
    data_dir runs jobs); a service used in process without a gateway makes its own on first use."""

    _models: Any  # the host service's ModelRegistry
    _jobs: JobEngine | None = None

    def attach_jobs(self, engine: JobEngine) -> None:
        self._jobs = engine

    def _job_engine(self) -> JobEngine:
        if self._jobs is None:
            from gateway.catalog import ServiceCatalog

            self._jobs = JobEngine(self._models.settings, ServiceCatalog([self]))  # type: ignore[list-item]
        return self._jobs

    @staticmethod
    def _job_id(kind: str, token: str) -> str:
        return uuid.uuid5(_TOKEN_IDS, f"{kind}:{token}").hex

    def _start(self, kind: str, token: str, source: str, output: str, operation_id: str,
               parameters: dict[str, Any], details: dict[str, Any], layout: JobLayout = JobLayout()) -> JobDescription:
        """The engine job of `kind` for `token` (made by the first request with it); `output` is its folder."""
        asked = ASKED_OF_JOBS.get()  # redaction the call's headers ask, for every object's call
        return self._job_engine().start(operation_id, source, output, parameters, f"{kind}:{token}",
                                        PiiRedactionRequest(**asked) if asked else None, kind=kind,
                                        details=details, job_id=self._job_id(kind, token), layout=layout)

    def _check_folders(self, *uris: str) -> None:
        """Refuse local paths a client gave outside the folders open to jobs (gateway/jobs/folders.py)."""
        check_folders(self._models.settings.jobs.local_roots, *uris)

    def _start_in_folder(self, kind: str, token: str, source: str, output_root: str, operation_id: str,
                         parameters: dict[str, Any], details: dict[str, Any]) -> JobDescription:
        """A job writing into `<output_root>/<account>-<kind>-<JobId>/`, as AWS names Translate's and
        Comprehend's job folders."""
        self._check_folders(source, output_root)
        output = parse(output_root).child(f"{ACCOUNT_ID}-{kind}-{self._job_id(kind, token)}/")
        return self._start(kind, token, source, str(output), operation_id, parameters, details)

    def _job(self, kind: str, job_id: str, missing: type[Exception]) -> tuple[JobRecord, JobDescription]:
        engine = self._job_engine()
        record = engine.store.get(job_id)
        if record is None or record.kind != kind:
            raise missing(f"No {kind} job has the id {job_id!r}.")
        return record, engine.get(job_id)

    def _outcome(self, job_id: str) -> Outcome | None:
        """The outcome of a single-object job's object, once it has one (JobLayout.object_key)."""
        return next(self._job_engine().store.outcomes(job_id, page_size=1), None)

    def _list(self, kind: str, next_token: str | None, max_results: int,
              describe: Callable[[JobRecord, JobDescription], P], keep: Callable[[P], bool]) -> tuple[list[P], str | None]:
        """One page of an AWS List*Jobs answer: the jobs after `next_token` that `keep` accepts, and
        the token of the next page (the last job's id) when more follow."""
        found: list[P] = []
        for record in self._records(kind, next_token):
            properties = describe(record, self._job_engine().get(record.job_id))
            if keep(properties):
                found.append(properties)
                if len(found) > max_results:  # one more than a page: another page follows
                    break
        page = found[:max_results]
        return page, (page[-1].JobId if len(found) > len(page) else None)  # type: ignore[attr-defined]

    def _filtered_list(self, kind: str, request: Any, describe: Callable[[JobRecord, JobDescription], P],
                       times: TimeMembers = TimeMembers()) -> tuple[list[P], str | None]:
        """One page of a List*Jobs answer whose request has NextToken, MaxResults and a job Filter."""
        return self._list(kind, request.NextToken, request.MaxResults, describe,
                          lambda job: matches_filter(job, request.Filter, times))

    def _records(self, kind: str, after: str | None) -> Iterator[JobRecord]:
        """Every job of `kind` after the job `after`, in submission order, read a page at a time."""
        while page := self._job_engine().store.page(after, _PAGE, kind):
            yield from page
            after = page[-1].job_id
