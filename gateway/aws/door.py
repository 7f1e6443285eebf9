"""The AWS-compatible door: unmodified boto3 clients talk to it with `endpoint_url=`.

A request passes a short chain of handlers: authenticate (SigV4) -> resolve the operation
(X-Amz-Target for json services, method + path for rest-json ones) -> parse and validate against
botocore's model -> call the service -> serialize. Services never see HTTP; errors are answered in
the protocol's shape with the status the service's model gives them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from botocore.model import OperationModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from core.errors import InternalServerError, ServiceError, UnknownOperation, UnsupportedOperation
from core.service import validate_request
from core.settings import Settings
from gateway.aws import json_protocol, rest_json_protocol
from gateway.aws.errors import serialize_error
from gateway.aws.service_models import load_service_model
from gateway.aws.sigv4 import verify_sigv4
from gateway.catalog import ServiceCatalog
from gateway.context import request_id, set_operation
from gateway.errors import log_failure
from gateway.service_call import ServiceCall

log = logging.getLogger("aigw.aws")

REST_JSON_SERVICES = ["polly", "personalize-runtime", "personalize-events"]
JSON_CONTENT_TYPE = "application/x-amz-json-1.1"


def _raw_path(request: Request) -> str:
    raw = request.scope.get("raw_path")
    return raw.decode("latin-1") if raw else request.url.path


class AwsDoor:
    def __init__(self, catalog: ServiceCatalog, settings: Settings, call: ServiceCall) -> None:
        self.catalog = catalog
        self.settings = settings
        self.call = call
        self.rest_router = rest_json_protocol.RestJsonRouter(REST_JSON_SERVICES)

    async def handle(self, request: Request) -> Response:
        rid = request_id(request.scope)
        service_name: str | None = None
        try:
            body = await request.body()
            self._authenticate(request, body)
            target = request.headers.get("x-amz-target")
            if target:
                service_name, op_model = json_protocol.parse_target(target)
                set_operation(request.scope, "aws", service_name, op_model.name)
                params = json_protocol.parse_json_request(op_model, body)
                output = await self._call(request, service_name, op_model, params)
                return Response(json_protocol.serialize_json_output(op_model, output), media_type=JSON_CONTENT_TYPE)
            # Percent-encoding is kept for routing so an encoded "/" inside a label stays in it.
            query = request.query_params.multi_items()
            match = self.rest_router.match(request.method, _raw_path(request), query)
            if match is None:
                raise UnknownOperation(f"No AWS operation is routed at {request.method} {request.url.path}.")
            service_name, op_model, uri_params = match
            set_operation(request.scope, "aws", service_name, op_model.name)
            params = rest_json_protocol.parse_rest_json_request(op_model, uri_params, query, request.headers, body)
            output = await self._call(request, service_name, op_model, params)
            status, headers, payload = rest_json_protocol.serialize_rest_json_output(op_model, output)
            if isinstance(payload, bytes | bytearray):
                return Response(payload, status_code=status, headers=headers)
            return StreamingResponse(payload, status_code=status, headers=headers)
        except ServiceError as error:
            return self._error(error, service_name, rid)
        except Exception as exc:  # a bug must still answer in the protocol's shape, never hang the client
            log_failure(log, rid, exc)
            return self._error(InternalServerError("Internal server error."), service_name, rid)

    def _authenticate(self, request: Request, body: bytes) -> None:
        if not self.settings.auth_enabled:
            return
        verify_sigv4(
            method=request.method,
            path=_raw_path(request),
            query_string=request.scope.get("query_string", b"").decode("latin-1"),
            headers=request.headers,
            body=body,
            credentials=self.settings.aws_credentials,
        )

    async def _call(
        self, request: Request, service_name: str, op_model: OperationModel, params: dict[str, Any]
    ) -> Mapping[str, Any]:
        found = self.catalog.operation(service_name, op_model.name)
        if found is None:
            raise UnsupportedOperation(
                f"{service_name}:{op_model.name} is part of the AWS API but is not served by this gateway yet."
            )
        service, op = found
        request_model = validate_request(op.request, params)
        response = await run_in_threadpool(self.call, request.scope, service, op, request_model)
        return response.model_dump(exclude_none=True)

    def _error(self, error: ServiceError, service_name: str | None, rid: str) -> Response:
        model = load_service_model(service_name) if service_name else None
        status, headers, body = serialize_error(error, model, rid)
        return Response(body, status_code=status, headers=headers)
