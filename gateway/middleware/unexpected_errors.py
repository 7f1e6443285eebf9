"""The last resort for a bug: log it without its message and answer 500 in the error shape.

A pure ASGI middleware rather than an exception handler for `Exception`: Starlette re-raises after
such a handler so that the server logs the traceback, and the server's log then carries the
exception's message, which often quotes the input (a text, a name): PII in the logs.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import InternalServerError
from gateway.context import request_id
from gateway.errors import error_response, log_failure

log = logging.getLogger("aigw")


class UnexpectedErrorMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log_failure(log, request_id(scope), exc)
            if not started:  # once the status is sent, the connection's end is all the client learns
                await error_response(InternalServerError("Internal server error."), request_id(scope))(
                    scope, receive, send)
