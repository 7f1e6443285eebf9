"""The services this gateway serves, one instance each, looked up by boto3 client name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from core.model_registry import ModelRegistry, registry
from core.service import Operation, Service

if TYPE_CHECKING:
    from gateway.jobs.engine import JobEngine


def default_service_classes() -> list[type[Service]]:
    """Every service class the domain packages offer (imported on demand: engines load lazily), with the
    AWS job operations the gateway adds onto them (gateway/jobs/aws_adapters.py)."""
    import documents
    import nlp
    import personalize
    import speech
    import vision
    from gateway.jobs.aws_adapters import with_job_operations

    domains = (vision, speech, nlp, documents, personalize)
    return [with_job_operations(service_class) for domain in domains for service_class in domain.SERVICES]


class ServiceCatalog:
    def __init__(self, services: Iterable[Service]) -> None:
        self._services = {service.name: service for service in services}

    @classmethod
    def default(cls, models: ModelRegistry | None = None) -> ServiceCatalog:
        return cls(service_class(models or registry) for service_class in default_service_classes())

    def __iter__(self):
        return iter(self._services.values())

    def attach_jobs(self, engine: JobEngine) -> None:
        """Give the services whose operations run as batch jobs the gateway's one engine."""
        from gateway.jobs.aws_jobs import EngineJobs  # here: the adapters import the engine, which imports us

        for service in self._services.values():
            if isinstance(service, EngineJobs):
                service.attach_jobs(engine)

    def get(self, name: str) -> Service | None:
        return self._services.get(name)

    def operation(self, service_name: str, operation_name: str) -> tuple[Service, Operation] | None:
        service = self._services.get(service_name)
        if service is None:
            return None
        op = service.operations().get(operation_name)
        return (service, op) if op else None
