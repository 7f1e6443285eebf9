"""Give every request an id and put it on every response, whichever door answered, with the headers
the request's handling asked for (gateway.context.add_response_header)."""

from __future__ import annotations

import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.context import response_headers, state

HEADER = "x-amzn-RequestId"


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = str(uuid.uuid4())
        state(scope)["request_id"] = rid

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if HEADER.lower() not in headers:
                    headers.append(HEADER, rid)
                for name, value in response_headers(scope).items():
                    headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_id)
