"""Routes beside the three doors for what a request/response operation cannot carry: Transcribe's
live WebSocket stream, and the transcript files the gateway holds for jobs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from core.model_registry import ModelRegistry
from core.settings import Settings
from gateway.catalog import ServiceCatalog
from gateway.jobs.aws_transcribe_outputs import OUTPUTS_ROUTE
from gateway.middleware.pii_redaction import PiiRedaction
from gateway.streaming.transcribe_outputs import transcribe_outputs_endpoint
from gateway.streaming.transcribe_stream import transcribe_stream_endpoint

STREAM_ROUTE = "/v1/transcribe/stream"


def build_streaming_router(catalog: ServiceCatalog, settings: Settings, models: ModelRegistry, pii: PiiRedaction,
                           dependencies: list[Any]) -> APIRouter:
    """Mount before the AWS door's catch-all route. `dependencies` (the REST door's API-key check)
    guard the HTTP routes; the WebSocket checks the same key itself (dependencies take a Request)."""
    router = APIRouter(tags=["transcribe"])
    router.add_api_websocket_route(STREAM_ROUTE, transcribe_stream_endpoint(settings, models, pii))
    router.add_api_route(OUTPUTS_ROUTE + "/{job_name}/{file_name}", transcribe_outputs_endpoint(catalog),
                         methods=["GET"], dependencies=dependencies)
    return router
