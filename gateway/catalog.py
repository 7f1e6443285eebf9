"""The services this gateway serves, one instance each, looked up by boto3 client name."""

from __future__ import annotations

from collections.abc import Iterable

from core.model_registry import ModelRegistry, registry
from core.service import Operation, Service


def default_service_classes() -> list[type[Service]]:
    """Every service class the domain packages offer (imported on demand: engines load lazily)."""
    import nlp

    return [*nlp.SERVICES]


class ServiceCatalog:
    def __init__(self, services: Iterable[Service]) -> None:
        self._services = {service.name: service for service in services}

    @classmethod
    def default(cls, models: ModelRegistry | None = None) -> ServiceCatalog:
        return cls(service_class(models or registry) for service_class in default_service_classes())

    def __iter__(self):
        return iter(self._services.values())

    def get(self, name: str) -> Service | None:
        return self._services.get(name)

    def operation(self, service_name: str, operation_name: str) -> tuple[Service, Operation] | None:
        service = self._services.get(service_name)
        if service is None:
            return None
        op = service.operations().get(operation_name)
        return (service, op) if op else None
