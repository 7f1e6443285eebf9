"""How a door calls a service: one callable, given to every door, so that work around the call on typed
models (PII redaction) is written once and every door, and so the SDK, gets it identically."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel
from starlette.types import Scope

from core.service import Operation, Service


class ServiceCall(Protocol):
    def __call__(self, scope: Scope, service: Service, op: Operation, request: BaseModel) -> BaseModel: ...
