"""One object through one operation: read it, build the request, call the service, write the result.

`ObjectWork` is what an executor runs per object. It is picklable (settings, URIs and names only):
a Ray actor unpickles it and resolves the service from the default catalog once, so the model stays
loaded for every object the actor sees; in process it uses the engine's catalog.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from core.errors import InternalServerError, InvalidRequest, ResourceNotFound, ServiceError
from core.service import Operation, Service, validate_request
from core.settings import Settings
from core.storage import Location, Storage, parse
from gateway.catalog import ServiceCatalog
from gateway.jobs.inputs import object_input
from gateway.jobs.store import Outcome

log = logging.getLogger(__name__)

RESULT_SUFFIX = ".json"


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


def output_location(output: str | Location, key: str) -> Location:
    """Where the result of the object `key` goes; refuses keys that would climb out of the output prefix."""
    root = output if isinstance(output, Location) else parse(output)
    return root.child(key + RESULT_SUFFIX)


def _error(exc: ServiceError) -> dict[str, str]:
    return {"code": exc.code, "message": exc.message}


@dataclass
class ObjectWork:
    settings: Settings
    operation_id: str
    parameters: dict[str, Any]
    output: str
    skip_existing: bool  # a resumed run: an output already written means the object was done before the crash
    catalog: ServiceCatalog | None = field(default=None, repr=False)
    _resolved: tuple[Service, Operation, Storage, Location] | None = field(default=None, init=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        # Services hold models and locks: another process builds its own from the default catalog.
        return {**vars(self), "catalog": None, "_resolved": None}

    def _parts(self) -> tuple[Service, Operation, Storage, Location]:
        """Resolved once per process (parsing a local output path resolves it on disk: not per object)."""
        if self._resolved is None:
            service, op = resolve(self.catalog or ServiceCatalog.default(), self.operation_id)
            self._resolved = (service, op, Storage(self.settings), parse(self.output))
        return self._resolved

    def check(self) -> None:
        """Fail the job before any object is read if its parameters cannot make a valid request."""
        op = self._parts()[1]
        adapter = object_input(self.operation_id)
        if adapter.conflicts_with(self.parameters):
            raise InvalidRequest(f"parameters set {adapter.member}, which each object fills.")
        validate_request(op.request, adapter.request_data(self.parameters, b"x"))

    def __call__(self, item: WorkItem) -> Outcome:
        try:
            service, op, storage, output = self._parts()
            target = output_location(output, item.key)
            if self.skip_existing and _exists(storage, target):
                return Outcome(item.key, "SUCCEEDED", str(target))
            data = object_input(self.operation_id).request_data(self.parameters, storage.read_bytes(item.source))
            response = getattr(service, op.method)(validate_request(op.request, data))
            storage.write_bytes(target, response.model_dump_json(exclude_none=True).encode(), "application/json")
            return Outcome(item.key, "SUCCEEDED", str(target))
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
