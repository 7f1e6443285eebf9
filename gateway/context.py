"""Per-request facts shared between middleware and doors, kept in the ASGI scope's state."""

from __future__ import annotations

from typing import Any

from starlette.types import Scope

UNKNOWN = "unknown"


def state(scope: Scope) -> dict[str, Any]:
    return scope.setdefault("state", {})


def request_id(scope: Scope) -> str:
    return state(scope).get("request_id", "")


def set_operation(scope: Scope, door: str, service: str, operation: str) -> None:
    """Name what this request is, for metrics and logs (bounded label values only)."""
    st = state(scope)
    st["door"], st["service"], st["operation"] = door, service, operation


def add_response_header(scope: Scope, name: str, value: str) -> None:
    """Ask for a header on this request's response; RequestIdMiddleware writes them at the start."""
    state(scope).setdefault("response_headers", {})[name] = value


def response_headers(scope: Scope) -> dict[str, str]:
    return state(scope).get("response_headers", {})
