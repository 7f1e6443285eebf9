"""The native jobs API: POST/GET /v1/jobs, GET/DELETE /v1/jobs/{job_id}.

Errors use the same AWS json error shape as the REST door, so the SDK raises the same exceptions.
Handlers are plain `def`: FastAPI runs them in its thread pool, off the event loop, since they touch
SQLite.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from gateway.context import set_operation
from gateway.jobs.engine import JobEngine
from gateway.jobs.folders import check_folders
from gateway.jobs.models import JobDescription, JobList, StartJobRequest
from gateway.rest.routes import ERROR_RESPONSES, PREFIX

JOBS_PATH = f"{PREFIX}/jobs"


def build_jobs_router(engine: JobEngine, dependencies: list[Any]) -> APIRouter:
    router = APIRouter(prefix=JOBS_PATH, dependencies=dependencies, responses=ERROR_RESPONSES, tags=["jobs"])

    def named(request: Request, operation: str) -> None:
        set_operation(request.scope, "rest", "jobs", operation)

    @router.post("", response_model=JobDescription, summary="Start a batch job (or find the one its token made)")
    def start_job(request: Request, body: StartJobRequest) -> JobDescription:
        named(request, "StartJob")
        check_folders(engine.settings.jobs.local_roots, body.input, body.output)
        return engine.start(body.operation, body.input, body.output, body.parameters, body.client_token,
                            body.pii_redaction)

    @router.get("", response_model=JobList, summary="List batch jobs, oldest first")
    def list_jobs(request: Request, next_token: str | None = None,
                  max_results: int = Query(default=50, ge=1, le=500)) -> JobList:
        named(request, "ListJobs")
        return engine.list(next_token, max_results)

    @router.get("/{job_id}", response_model=JobDescription, summary="A job's state, counts, rate and ETA")
    def get_job(request: Request, job_id: str) -> JobDescription:
        named(request, "GetJob")
        return engine.get(job_id)

    @router.delete("/{job_id}", response_model=JobDescription, summary="Cancel a job")
    def cancel_job(request: Request, job_id: str) -> JobDescription:
        named(request, "CancelJob")
        return engine.cancel(job_id)

    return router
