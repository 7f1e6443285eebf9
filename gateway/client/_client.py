"""`Client` and `AsyncClient`: the typed SDK over the REST door. They mirror each other; only the
transport differs, so the services and their argument handling are written once."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Iterable
from typing import Any, Generic, Literal, TypeVar

import httpx
from pydantic import BaseModel

from core.service import Operation, Service, build_request
from gateway.catalog import default_service_classes
from gateway.client._errors import TransportError, error_from_response
from gateway.jobs.sdk import AsyncJobsClient, JobsClient
from gateway.middleware.pii_policy import MODE_HEADER, SCOPE_HEADER, TYPES_HEADER
from gateway.rest.routes import rest_path

DEFAULT_URL = "http://127.0.0.1:8080"
DEFAULT_TIMEOUT = 60.0

Result = TypeVar("Result")
Self = TypeVar("Self", bound="_BaseClient")


def _raise_for_error(response: httpx.Response) -> httpx.Response:
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            body = None
        raise error_from_response(response.status_code, body, response.headers.get("x-amzn-RequestId"))
    return response


class ServiceClient(Generic[Result]):
    """One service's operations as methods: `client.comprehend.detect_sentiment("text", language_code="en")`.

    Arguments are the operation's request members: positionally (required members in order), by
    AWS name or in snake_case, or a request model instance. The result is the response model."""

    def __init__(self, owner: _BaseClient, service: type[Service]) -> None:
        self._owner = owner
        self._service = service
        self._operations = {op.method: op for op in service.served_operations().values()}

    def __getattr__(self, method: str) -> Any:
        op = self._operations.get(method)
        if op is None:
            raise AttributeError(f"{self._service.name} has no operation {method!r}")

        def call(*args: Any, **kwargs: Any) -> Result:
            request = build_request(op.request, args, kwargs)
            return self._owner._send(op, rest_path(self._service, op), request)

        call.__name__ = method
        call.__doc__ = op.summary
        return call

    def __dir__(self) -> list[str]:
        return sorted(self._operations)


class _BaseClient:
    def __init__(self, api_key: str | None) -> None:
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._call_headers: dict[str, str] = {}  # what every operation call of this view adds
        self._bind_services()

    def _bind_services(self) -> None:
        # `personalize-runtime` is reached as `client.personalize_runtime`.
        for service in default_service_classes():
            setattr(self, service.name.replace("-", "_"), ServiceClient(self, service))

    def with_pii_redaction(self: Self, types: str | Iterable[str] = "ALL", *,
                           mode: Literal["mask", "type", "hash"] | None = None,
                           scope: Literal["response", "request", "both"] | None = None) -> Self:
        """A view of this client whose operation calls ask the gateway to redact PII (the
        X-Pii-Redaction headers): `client.with_pii_redaction(["NAME", "EMAIL"], mode="type")`. It
        shares this client's connection; the gateway's own policy can be widened, never narrowed."""
        view = copy.copy(self)
        headers = {TYPES_HEADER: types if isinstance(types, str) else ",".join(types)}
        if mode:
            headers[MODE_HEADER] = mode
        if scope:
            headers[SCOPE_HEADER] = scope
        view._call_headers = {**self._call_headers, **headers}
        view._bind_services()
        return view

    def _send(self, op: Operation, path: str, request: BaseModel) -> Any:
        raise NotImplementedError


class Client(_BaseClient):
    comprehend: ServiceClient[BaseModel]
    translate: ServiceClient[BaseModel]

    def __init__(self, base_url: str = DEFAULT_URL, *, api_key: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(api_key)
        self._http = httpx.Client(base_url=base_url, timeout=timeout, headers=self._headers, transport=transport)
        self.jobs = JobsClient(self._request)

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return _raise_for_error(self._http.request(method, path, **kwargs))
        except httpx.TransportError as exc:
            raise TransportError(f"Cannot reach the gateway: {exc}") from exc

    def _send(self, op: Operation, path: str, request: BaseModel) -> BaseModel:
        response = self._request("POST", path, content=request.model_dump_json(exclude_none=True),
                                 headers={"Content-Type": "application/json", **self._call_headers})
        return op.response.model_validate_json(response.content)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_BaseClient):
    comprehend: ServiceClient[Awaitable[BaseModel]]
    translate: ServiceClient[Awaitable[BaseModel]]

    def __init__(self, base_url: str = DEFAULT_URL, *, api_key: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, transport: httpx.AsyncBaseTransport | None = None) -> None:
        super().__init__(api_key)
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout, headers=self._headers, transport=transport)
        self.jobs = AsyncJobsClient(self._request)

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return _raise_for_error(await self._http.request(method, path, **kwargs))
        except httpx.TransportError as exc:
            raise TransportError(f"Cannot reach the gateway: {exc}") from exc

    async def _send(self, op: Operation, path: str, request: BaseModel) -> BaseModel:
        response = await self._request("POST", path, content=request.model_dump_json(exclude_none=True),
                                       headers={"Content-Type": "application/json", **self._call_headers})
        return op.response.model_validate_json(response.content)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
