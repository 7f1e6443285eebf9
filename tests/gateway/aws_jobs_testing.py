"""What the AWS job adapters' tests share: polling a Get*Job until it ends, and a gateway's restart (a
job engine closed before it runs anything, as a gateway shutting down leaves its jobs: unfinished,
then the next gateway's engine over the same data_dir resuming them)."""

from __future__ import annotations

import time
from collections.abc import Callable

from core.service import Service
from core.settings import Settings
from gateway.catalog import ServiceCatalog
from gateway.jobs import JobEngine


def attach_stopped_engine(settings: Settings, service: Service) -> None:
    """Jobs the service starts from now on stay unfinished, as after a shutdown."""
    engine = JobEngine(settings, ServiceCatalog([service]))
    engine.close()
    service.attach_jobs(engine)  # type: ignore[attr-defined]


def resume_after_restart(settings: Settings, service: Service, job_ids: list[str], timeout: float) -> None:
    """The next engine resumes every unfinished job; returns once `job_ids` have ended."""
    engine = JobEngine(settings, ServiceCatalog([service]))
    service.attach_jobs(engine)  # type: ignore[attr-defined]
    try:
        assert engine.resume() == len(job_ids)
        for job_id in job_ids:
            engine.wait(job_id, timeout=timeout)
    finally:
        engine.close()


def wait_for_job(get: Callable[..., dict], job_id: str, timeout: float = 120) -> dict:
    """Poll an AWS Get*Job (Textract's, Rekognition's video ones) until its JobStatus leaves IN_PROGRESS."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = get(JobId=job_id)
        if found["JobStatus"] != "IN_PROGRESS":
            return found
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not end")
