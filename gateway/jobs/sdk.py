"""The SDK's `client.jobs` (sync) and its async mirror, over /v1/jobs.

    job = client.jobs.start("comprehend.DetectSentiment", "s3://in/", "s3://out/", {"LanguageCode": "en"},
                            pii_redaction={"types": ["ALL"], "mode": "mask"})
    job.wait(timeout=600)
    print(job.state, job.done, job.failed)

Requests are described once (`_Calls`); the sync and async classes differ only in awaiting them.
A job's fields (`state`, `done`, `failed`, `total`, `eta_seconds`, ...) read from its last description.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from gateway.jobs.api import JOBS_PATH
from gateway.jobs.models import JobDescription, JobList, PiiRedactionRequest, StartJobRequest

DEFAULT_POLL = 0.5
Redaction = PiiRedactionRequest | dict[str, Any] | None  # {"types": [...], "mode": ..., "scope": ...}


class _Calls:
    @staticmethod
    def start(operation: str, input: str, output: str, parameters: dict[str, Any] | None,
              client_token: str | None, pii_redaction: Redaction) -> tuple[str, str, dict[str, Any]]:
        body = StartJobRequest(operation=operation, input=input, output=output, parameters=parameters or {},
                               client_token=client_token, pii_redaction=pii_redaction)
        return "POST", JOBS_PATH, {"content": body.model_dump_json(exclude_none=True),
                                   "headers": {"Content-Type": "application/json"}}

    @staticmethod
    def get(job_id: str) -> tuple[str, str, dict[str, Any]]:
        return "GET", f"{JOBS_PATH}/{job_id}", {}

    @staticmethod
    def cancel(job_id: str) -> tuple[str, str, dict[str, Any]]:
        return "DELETE", f"{JOBS_PATH}/{job_id}", {}

    @staticmethod
    def list(next_token: str | None, max_results: int) -> tuple[str, str, dict[str, Any]]:
        params: dict[str, Any] = {"max_results": max_results} | ({"next_token": next_token} if next_token else {})
        return "GET", JOBS_PATH, {"params": params}


def _timed_out(job: JobDescription, timeout: float | None) -> TimeoutError:
    return TimeoutError(f"Job {job.job_id} still {job.state} after {timeout} s ({job.done + job.failed} objects).")


class _JobBase:
    def __init__(self, description: JobDescription) -> None:
        self.description = description

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["description"], name)

    def __repr__(self) -> str:
        d = self.description
        return f"<Job {d.job_id} {d.state} done={d.done} failed={d.failed} total={d.total}>"


class Job(_JobBase):
    def __init__(self, jobs: JobsClient, description: JobDescription) -> None:
        super().__init__(description)
        self._jobs = jobs

    def refresh(self) -> Job:
        self.description = self._jobs.get(self.job_id).description
        return self

    def cancel(self) -> Job:
        self.description = self._jobs.cancel(self.job_id).description
        return self

    def wait(self, timeout: float | None = None, poll: float = DEFAULT_POLL) -> Job:
        """Until the job has ended (its manifest and summary written); TimeoutError after `timeout` s."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.refresh().finished:
            if deadline is not None and time.monotonic() > deadline:
                raise _timed_out(self.description, timeout)
            time.sleep(poll)
        return self


class JobsClient:
    def __init__(self, request: Callable[..., httpx.Response]) -> None:
        self._request = request

    def _call(self, method: str, path: str, kwargs: dict[str, Any]) -> bytes:
        return self._request(method, path, **kwargs).content

    def start(self, operation: str, input: str, output: str, parameters: dict[str, Any] | None = None,
              client_token: str | None = None, pii_redaction: Redaction = None) -> Job:
        body = self._call(*_Calls.start(operation, input, output, parameters, client_token, pii_redaction))
        return Job(self, JobDescription.model_validate_json(body))

    def get(self, job_id: str) -> Job:
        return Job(self, JobDescription.model_validate_json(self._call(*_Calls.get(job_id))))

    def cancel(self, job_id: str) -> Job:
        return Job(self, JobDescription.model_validate_json(self._call(*_Calls.cancel(job_id))))

    def list(self, next_token: str | None = None, max_results: int = 50) -> JobList:
        return JobList.model_validate_json(self._call(*_Calls.list(next_token, max_results)))


class AsyncJob(_JobBase):
    def __init__(self, jobs: AsyncJobsClient, description: JobDescription) -> None:
        super().__init__(description)
        self._jobs = jobs

    async def refresh(self) -> AsyncJob:
        self.description = (await self._jobs.get(self.job_id)).description
        return self

    async def cancel(self) -> AsyncJob:
        self.description = (await self._jobs.cancel(self.job_id)).description
        return self

    async def wait(self, timeout: float | None = None, poll: float = DEFAULT_POLL) -> AsyncJob:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not (await self.refresh()).finished:
            if deadline is not None and time.monotonic() > deadline:
                raise _timed_out(self.description, timeout)
            await asyncio.sleep(poll)
        return self


class AsyncJobsClient:
    def __init__(self, request: Callable[..., Awaitable[httpx.Response]]) -> None:
        self._request = request

    async def _call(self, method: str, path: str, kwargs: dict[str, Any]) -> bytes:
        return (await self._request(method, path, **kwargs)).content

    async def start(self, operation: str, input: str, output: str, parameters: dict[str, Any] | None = None,
                    client_token: str | None = None, pii_redaction: Redaction = None) -> AsyncJob:
        body = await self._call(*_Calls.start(operation, input, output, parameters, client_token, pii_redaction))
        return AsyncJob(self, JobDescription.model_validate_json(body))

    async def get(self, job_id: str) -> AsyncJob:
        return AsyncJob(self, JobDescription.model_validate_json(await self._call(*_Calls.get(job_id))))

    async def cancel(self, job_id: str) -> AsyncJob:
        return AsyncJob(self, JobDescription.model_validate_json(await self._call(*_Calls.cancel(job_id))))

    async def list(self, next_token: str | None = None, max_results: int = 50) -> JobList:
        return JobList.model_validate_json(await self._call(*_Calls.list(next_token, max_results)))
