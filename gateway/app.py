"""The gateway's app factory: three doors over one service layer.

- REST: `POST /v1/<service>/<operation>` (OpenAPI at /docs).
- AWS: `POST /` with X-Amz-Target (json services) and the rest-json routes of Polly and
  Personalize, for boto3 with `endpoint_url=`.
- Batch jobs: /v1/jobs (gateway.jobs), resumed when the server starts, stopped cleanly when it stops.
- Operations: /healthz, /readyz, /metrics.
The SDK (gateway.client) speaks the REST door.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from core.errors import (
    InternalServerError,
    ResourceNotFound,
    SerializationError,
    ServiceError,
    ValidationError,
)
from core.model_registry import ModelRegistry, registry
from core.settings import Settings, get_settings
from gateway.aws.door import AwsDoor
from gateway.catalog import ServiceCatalog
from gateway.context import request_id
from gateway.errors import error_response
from gateway.jobs import JobEngine
from gateway.jobs.api import build_jobs_router
from gateway.middleware.body_limit import BodyLimitMiddleware
from gateway.middleware.metrics import Metrics, MetricsMiddleware
from gateway.middleware.multipart_form import MultipartFormMiddleware
from gateway.middleware.pii_redaction import PiiRedaction
from gateway.middleware.request_id import RequestIdMiddleware
from gateway.middleware.unexpected_errors import UnexpectedErrorMiddleware
from gateway.rest.auth import api_key_dependency
from gateway.rest.routes import build_rest_router
from gateway.streaming import build_streaming_router
from nlp.pii import PiiDetector

# Presidio (under nlp.pii) logs the words around each match at DEBUG: pieces of the texts served.
# The gateway's logs carry no PII at any level, so its logger stops at warnings.
QUIET_LOGGERS = ["presidio-analyzer"]

ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]


def _validation_error(exc: RequestValidationError) -> ServiceError:
    errors = exc.errors()
    if any(err.get("type") == "json_invalid" for err in errors):
        return SerializationError("The request body is not valid JSON.")
    problems = [f"{'.'.join(str(p) for p in err['loc'][1:]) or 'body'}: {err['msg']}" for err in errors]
    return ValidationError(f"{len(problems)} validation error{'s' if len(problems) != 1 else ''} detected: "
                           + "; ".join(problems))


def _install_error_handlers(app: FastAPI) -> None:
    async def on_service_error(request: Request, exc: ServiceError) -> Response:
        return error_response(exc, request_id(request.scope))

    async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(_validation_error(exc), request_id(request.scope))

    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # FastAPI wraps errors raised while reading the body (our size limit among them).
        cause = exc.__cause__
        if isinstance(cause, ServiceError):
            return error_response(cause, request_id(request.scope))
        if exc.status_code == 404:
            return error_response(ResourceNotFound(f"No route for {request.url.path}."), request_id(request.scope))
        error = ValidationError(str(exc.detail)) if exc.status_code < 500 else InternalServerError(str(exc.detail))
        return error_response(error, request_id(request.scope), status=exc.status_code)

    app.add_exception_handler(ServiceError, on_service_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)


def create_app(
    settings: Settings | None = None,
    catalog: ServiceCatalog | None = None,
    models: ModelRegistry | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    models = models or registry
    models.configure(settings)
    catalog = catalog or ServiceCatalog.default(models)
    metrics = Metrics()
    pii = PiiRedaction(settings.pii_redaction, PiiDetector(models))
    aws = AwsDoor(catalog, settings, pii)
    jobs = JobEngine(settings, catalog)
    catalog.attach_jobs(jobs)  # the AWS job operations run on this engine, not one of their own

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        jobs.resume()
        yield
        jobs.close()  # in-flight objects finish and are recorded; the next start resumes the rest

    app = FastAPI(
        lifespan=lifespan,
        title="aigw — self-hosted AI services",
        version="0.1.0",
        description="AWS-shaped AI services on open models. Every operation is also served on the "
        "AWS-compatible endpoint (`POST /` with X-Amz-Target) for boto3 with `endpoint_url=`.",
    )
    _install_error_handlers(app)

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"])
    def readyz() -> Response:
        selected = [m for m in models.describe() if m.selected]
        missing = [f"{m.capability} ({m.package})" for m in selected if not m.installed and not m.optional]
        body = {"status": "ok" if not missing else "missing-models", "missing": missing,
                "loaded": [m.capability for m in selected if m.loaded]}
        return JSONResponse(body, status_code=200 if not missing else 503)

    @app.get("/metrics", tags=["operations"])
    def prometheus_metrics() -> Response:
        return PlainTextResponse(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    rest_dependencies = [Depends(api_key_dependency(settings))] if settings.auth_enabled else []
    app.include_router(build_rest_router(catalog, rest_dependencies, pii))
    app.include_router(build_jobs_router(jobs, rest_dependencies))
    # Transcribe's WebSocket stream and the transcripts the gateway holds: before the AWS door's catch-all.
    app.include_router(build_streaming_router(catalog, settings, models, pii, rest_dependencies))

    # The AWS door: json services on POST /, rest-json services on their modeled paths.
    app.add_api_route("/", aws.handle, methods=["POST"], include_in_schema=False)
    app.add_api_route("/{path:path}", aws.handle, methods=ALL_METHODS, include_in_schema=False)

    app.add_middleware(MultipartFormMiddleware)  # inside the body limit: a form is counted as sent
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestIdMiddleware)
    app.state.settings = settings
    app.state.catalog = catalog
    app.state.jobs = jobs
    return app
