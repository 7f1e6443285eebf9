"""Errors the SDK raises: the same classes as in-process calls (core.errors), found by AWS code."""

from __future__ import annotations

from typing import Any

from core.errors import ClientError, ServiceError


def _all_error_classes() -> dict[str, type[ServiceError]]:
    found: dict[str, type[ServiceError]] = {}
    pending: list[type[ServiceError]] = [ServiceError]
    while pending:
        cls = pending.pop()
        # The most general class wins a shared code (ValidationError over ClientError's default).
        found.setdefault(cls.code, cls)
        pending.extend(cls.__subclasses__())
    return found


_BY_CODE = _all_error_classes()


class TransportError(ServiceError):
    """The gateway could not be reached, or the connection broke."""

    code = "TransportError"
    status = 0


def error_from_response(status: int, body: Any, request_id: str | None) -> ServiceError:
    """Rebuild the error a door sent: `{"__type": code, "message": ...}` plus modeled members."""
    payload = body if isinstance(body, dict) else {}
    fallback = "InternalServerException" if status >= 500 else "ValidationException"
    code = str(payload.get("__type") or "").rpartition("#")[2] or fallback
    message = str(payload.get("message") or payload.get("Message") or f"HTTP {status}")
    fields = {k: v for k, v in payload.items() if k not in ("__type", "message", "Message")}
    cls = _BY_CODE.get(code) or (ClientError if status < 500 else ServiceError)
    error = cls(message, **fields)
    if error.code != code:
        error.code = code  # type: ignore[misc]  # a code this version has no class for keeps its name
    error.status = status  # type: ignore[misc]
    error.request_id = request_id  # type: ignore[attr-defined]
    return error

