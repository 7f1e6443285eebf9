"""Prometheus metrics: requests and latency by door, service, operation and status."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.context import UNKNOWN, state

_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Metrics:
    """One set of collectors per app, so several gateways in one process (tests) do not collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ("door", "service", "operation")
        self.requests = Counter(
            "aigw_requests", "Requests answered", (*labels, "status"), registry=self.registry
        )
        self.latency = Histogram(
            "aigw_request_seconds", "Time to answer a request", labels, buckets=_BUCKETS, registry=self.registry
        )


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            st = state(scope)
            labels = (st.get("door", "other"), st.get("service", UNKNOWN), st.get("operation", UNKNOWN))
            self.metrics.requests.labels(*labels, str(status)).inc()
            self.metrics.latency.labels(*labels).observe(time.perf_counter() - started)
