"""Error responses outside the AWS door's model-aware path (REST door, middleware).

They use the AWS json error shape, `{"__type": code, "message": ..., <members>}` with the
`x-amzn-ErrorType` header, so a client reads one shape whichever door answered and the SDK can
raise the same exception classes as in-process calls.
"""

from __future__ import annotations

import logging

from starlette.responses import Response

from core.errors import ServiceError
from gateway.aws.errors import serialize_error

log = logging.getLogger("aigw.errors")


def error_response(error: ServiceError, request_id: str, *, status: int | None = None) -> Response:
    if error.status >= 500:
        log.error("request %s failed: %s", request_id, error.code)
    default_status, headers, body = serialize_error(error, None, request_id)
    headers["Content-Type"] = "application/json"
    return Response(body, status_code=status or default_status, headers=headers)
