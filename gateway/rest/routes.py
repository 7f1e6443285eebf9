"""The unified REST door: `POST /v1/<service>/<operation>` for every operation of every service.

Routes are made from the services' `@operation` contracts, so the request and response models are
declared once and the OpenAPI document at /docs is exact.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from core.service import Operation, Service
from gateway.catalog import ServiceCatalog
from gateway.context import set_operation
from gateway.middleware.multipart_form import form_openapi
from gateway.service_call import ServiceCall

PREFIX = "/v1"

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Client fault: `{\"__type\": <AWS error code>, \"message\": ...}`"},
    403: {"description": "Missing or unknown API key"},
    413: {"description": "Request body over the size limit"},
    500: {"description": "Server fault"},
}


def rest_path(service: Service | type[Service], op: Operation) -> str:
    return f"{PREFIX}/{service.name}/{op.slug}"


def _endpoint(service: Service, op: Operation, call: ServiceCall) -> Callable[..., BaseModel]:
    def endpoint(request: Request, body: BaseModel) -> BaseModel:
        set_operation(request.scope, "rest", service.name, op.name)
        return call(request.scope, service, op, body)

    # FastAPI reads parameter types from the signature; give it this operation's request model.
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
            inspect.Parameter("body", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=op.request),
        ],
        return_annotation=op.response,
    )
    endpoint.__name__ = f"{service.name}_{op.method}"
    return endpoint


def build_rest_router(catalog: ServiceCatalog, dependencies: list[Any], call: ServiceCall) -> APIRouter:
    router = APIRouter(dependencies=dependencies, responses=ERROR_RESPONSES)
    for service in catalog:
        for op in service.served_operations().values():
            router.add_api_route(
                rest_path(service, op),
                _endpoint(service, op, call),
                methods=["POST"],
                response_model=op.response,
                response_model_exclude_none=True,
                summary=op.summary or op.name,
                operation_id=f"{service.name}.{op.name}",
                tags=[service.name],
                openapi_extra=form_openapi(op.request),
            )
    return router
