"""The jobs API's shapes, shared by the routes, the SDK and the CLI."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

JobState = Literal["SUBMITTED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]


class PiiRedactionRequest(BaseModel):
    """PII redaction of every object's call, as the X-Pii-Redaction headers ask it of a door; the
    routes the settings enforce apply to jobs as well, and this can widen them, never narrow them."""

    types: list[str] = Field(default_factory=lambda: ["ALL"], description="Comprehend PII types, or ALL.")
    mode: Literal["mask", "type", "hash"] | None = Field(default=None, description="Default: the settings' mode.")
    scope: Literal["response", "request", "both"] = "response"


class StartJobRequest(BaseModel):
    operation: str = Field(description="`<service>.<Operation>`, e.g. `comprehend.DetectSentiment`.",
                           examples=["comprehend.DetectDominantLanguage"])
    input: str = Field(description="`s3://bucket/prefix/` or a folder on the gateway's machine.")
    output: str = Field(description="Where results go: `<output>/<key>.json`, `manifest.jsonl`, `summary.json`.")
    parameters: dict[str, Any] = Field(default_factory=dict,
                                       description="Request members every object's request gets (AWS names).")
    client_token: str | None = Field(default=None, min_length=1, max_length=64,
                                     description="The same token gives back the same job instead of a new one.")
    pii_redaction: PiiRedactionRequest | None = None


class JobDescription(BaseModel):
    job_id: str
    operation: str
    input: str
    output: str
    parameters: dict[str, Any]
    pii_redaction: PiiRedactionRequest | None = None
    state: JobState
    message: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    ended_at: datetime | None = Field(default=None, description="Set once the manifest and summary are written.")
    done: int = Field(description="Objects whose results are written.")
    failed: int = Field(description="Objects recorded as failed (see the manifest's errors).")
    total: int = Field(description="Objects listed so far; final once `listing_complete`.")
    listing_complete: bool
    objects_per_second: float | None = None
    eta_seconds: float | None = None

    @property
    def finished(self) -> bool:
        return self.ended_at is not None


class JobList(BaseModel):
    jobs: list[JobDescription]
    next_token: str | None = None
