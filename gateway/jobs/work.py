"""One object through one operation: read it, build the request, call the service, write the result.

`ObjectWork` is what an executor runs per object. It is picklable (settings, URIs and names only):
a Ray actor unpickles it and resolves the service from the default catalog once, so the model stays
loaded for every object the actor sees; in process it uses the engine's catalog.

PII redaction runs around the call exactly as on the doors, through the doors' policy rule and
redactor (gateway/middleware): the job's `pii_redaction` widened by the routes the settings enforce.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from core.errors import InternalServerError, InvalidRequest, ResourceNotFound, ServiceError
from core.model_registry import registry
from core.service import Operation, Service, validate_request
from core.settings import Settings
from core.storage import Location, Storage, parse
from gateway.catalog import ServiceCatalog
from gateway.jobs.inputs import object_input
from gateway.jobs.outputs import object_output
from gateway.jobs.store import Outcome
from gateway.middleware.pii_policy import PiiPolicies, Policy, parse_types
from gateway.middleware.pii_redactor import Redactor, check_documents
from nlp.pii import PiiDetector

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class WorkItem:
    key: str  # relative to the input prefix: the manifest's key and the output's name
    source: Location  # where the object is read from, exactly as listed


def resolve(catalog: ServiceCatalog, operation_id: str) -> tuple[Service, Operation]:
    """`"comprehend.DetectSentiment"` -> the service instance and its operation."""
    service_name, _, operation_name = operation_id.partition(".")
    found = catalog.operation(service_name, operation_name)
    if found is None:
        raise InvalidRequest(f"Unknown operation {operation_id!r}; name it as <service>.<Operation>, "
                             "e.g. comprehend.DetectSentiment.")
    return found


def _error(exc: ServiceError) -> dict[str, str]:
    return {"code": exc.code, "message": exc.message}


@dataclass(frozen=True)
class _Parts:
    service: Service
    op: Operation
    storage: Storage
    output: Location
    policy: Policy | None  # None: nothing to redact
    redactor: Redactor | None


@dataclass
class ObjectWork:
    settings: Settings
    operation_id: str
    parameters: dict[str, Any]
    output: str
    skip_existing: bool  # a resumed run: an output already written means the object was done before the crash
    pii_redaction: dict[str, Any] | None = None  # gateway.jobs.models.PiiRedactionRequest, as JSON
    catalog: ServiceCatalog | None = field(default=None, repr=False)
    _resolved: _Parts | None = field(default=None, init=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        # Services hold models and locks: another process builds its own from the default catalog.
        return {**vars(self), "catalog": None, "_resolved": None}

    def _policy(self, service: Service, op: Operation) -> Policy | None:
        asked = self.pii_redaction
        types = parse_types(asked["types"], "pii_redaction.types") if asked else None
        return PiiPolicies(self.settings.pii_redaction).combine(
            service.name, op.name, asked is not None, types, asked and asked["mode"], asked and asked["scope"])

    def _parts(self) -> _Parts:
        """Resolved once per process (parsing a local output path resolves it on disk: not per object)."""
        if self._resolved is None:
            service, op = resolve(self.catalog or ServiceCatalog.default(), self.operation_id)
            policy = self._policy(service, op)
            # The registry the default catalog's services use; the detector loads its model on first use.
            redactor = Redactor.from_settings(self.settings.pii_redaction, PiiDetector(registry)) if policy else None
            self._resolved = _Parts(service, op, Storage(self.settings), parse(self.output), policy, redactor)
        return self._resolved

    def check(self) -> None:
        """Fail the job before any object is read if its parameters cannot make a valid request."""
        parts = self._parts()
        adapter = object_input(self.operation_id)
        if conflict := adapter.conflicts_with(self.parameters):
            raise InvalidRequest(f"parameters set {conflict}, which each object fills.")
        request = validate_request(parts.op.request, adapter.request_data(self.parameters, b"x", "x"))
        if parts.policy:
            check_documents(parts.op.text, request)

    def _call(self, parts: _Parts, request: BaseModel) -> BaseModel:
        method = getattr(parts.service, parts.op.method)
        if parts.redactor is None or parts.policy is None:
            return method(request)
        return parts.redactor.run(parts.op.text, request, parts.policy, method)[0]

    def __call__(self, item: WorkItem) -> Outcome:
        try:
            parts = self._parts()
            storage = parts.storage
            output = object_output(self.operation_id)
            target = output.location(parts.output, item.key)
            # An object whose records keep members is done again: its outputs alone cannot give them back.
            if self.skip_existing and not output.kept and _exists(storage, target):
                return Outcome(item.key, "SUCCEEDED", str(target))
            data = object_input(self.operation_id).request_data(self.parameters, storage.read_bytes(item.source),
                                                                   item.key)
            response = self._call(parts, validate_request(parts.op.request, data))
            for location, content, content_type in output.written(parts.output, item.key, response):
                storage.write_bytes(location, content, content_type)
                target = location  # the manifest names the main file the response made
            return Outcome(item.key, "SUCCEEDED", str(target), result=output.kept_of(response))
        except ServiceError as exc:  # the object's fault (or its storage's): recorded, and the job goes on
            return Outcome(item.key, "FAILED", None, _error(exc))
        except Exception as exc:  # a bug must fail one object, never the job or the worker
            log.exception("batch object %s failed", item.key)
            return Outcome(item.key, "FAILED", None, _error(InternalServerError(f"{type(exc).__name__}: {exc}")))


def _exists(storage: Storage, location: Location) -> bool:
    # Storage has no HEAD; results are small JSON documents, so reading one back is cheap.
    try:
        storage.read_bytes(location)
    except ResourceNotFound:
        return False
    return True
