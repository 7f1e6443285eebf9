"""botocore's service models: the single source of the AWS wire contract (shapes, routes, errors)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import botocore.loaders
from botocore.model import ServiceModel

# boto3 client names served by the AWS door.
SERVICE_NAMES = (
    "rekognition",
    "transcribe",
    "polly",
    "translate",
    "comprehend",
    "textract",
    "kendra",
    "personalize",
    "personalize-runtime",
    "personalize-events",
)

_loader = botocore.loaders.create_loader()


@functools.cache
def load_service_model(service_name: str) -> ServiceModel:
    """The newest API version botocore ships, as a boto3 client of that name would use it."""
    return ServiceModel(_loader.load_service_model(service_name, "service-2"), service_name=service_name)


@dataclass(frozen=True)
class AwsService:
    name: str
    signing_name: str
    protocol: str
    target_prefix: str | None


def _protocol_of(model: ServiceModel) -> str:
    # Some models list smithy-rpc-v2-cbor first; resolved_protocol picks what boto3 actually sends
    # (json). Older botocore has only `protocol`.
    return getattr(model, "resolved_protocol", model.protocol)


def _describe(service_name: str) -> AwsService:
    model = load_service_model(service_name)
    protocol = _protocol_of(model)
    target_prefix = model.metadata["targetPrefix"] if protocol == "json" else None
    return AwsService(service_name, model.signing_name, protocol, target_prefix)


SERVICES: dict[str, AwsService] = {name: _describe(name) for name in SERVICE_NAMES}
