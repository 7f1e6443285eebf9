"""Error responses outside the AWS door's model-aware path (REST door, middleware).

They use the AWS json error shape, `{"__type": code, "message": ..., <members>}` with the
`x-amzn-ErrorType` header, so a client reads one shape whichever door answered and the SDK can
raise the same exception classes as in-process calls.
"""

from __future__ import annotations

import logging
import traceback

from starlette.responses import Response

from core.errors import ServiceError
from gateway.aws.errors import serialize_error

log = logging.getLogger("aigw.errors")


def log_failure(logger: logging.Logger, request_id: str, exc: BaseException) -> None:
    """A failed request's exception type and stack, without its message: messages often quote the
    input (a text, a name), and the gateway's logs must hold no PII."""
    stack = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("request %s failed: %s\n%s", request_id, type(exc).__name__, stack)


def error_response(error: ServiceError, request_id: str, *, status: int | None = None) -> Response:
    if error.status >= 500:
        log.error("request %s failed: %s", request_id, error.code)
    default_status, headers, body = serialize_error(error, None, request_id)
    headers["Content-Type"] = "application/json"
    return Response(body, status_code=status or default_status, headers=headers)
