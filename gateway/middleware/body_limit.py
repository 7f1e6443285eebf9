"""Refuse request bodies over the configured size, in the doors' error shape, without reading them whole.

A declared Content-Length over the limit is answered at once; a chunked body is counted as it
streams in and cut off when it crosses the limit.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import RequestTooLarge
from gateway.context import request_id
from gateway.errors import error_response


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _error(self, size: int | None) -> RequestTooLarge:
        seen = f"{size} bytes" if size is not None else "more"
        return RequestTooLarge(f"Request body of {seen} exceeds the limit of {self.max_bytes} bytes.")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = None
                if declared is not None and declared > self.max_bytes:
                    await error_response(self._error(declared), request_id(scope))(scope, receive, send)
                    return
                break

        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised inside the door's body read; its error handler answers 413.
                    raise self._error(None)
            return message

        await self.app(scope, counting_receive, send)
