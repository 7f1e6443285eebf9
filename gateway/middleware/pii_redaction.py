"""PII redaction for every door: around the service call, on typed models, once.

Why at the service call and not as body-rewriting ASGI middleware: there the request and response
are the operation's pydantic models, whatever the door (json, rest-json, REST); ASGI middleware
would re-parse and re-serialize each protocol's bodies and still need to know which members hold
text. The response header is asked for through gateway.context.add_response_header.

`X-Pii-Redacted: NAME=2,EMAIL=1` says what was redacted from the request and the response
together; it is present, and empty, when redaction ran and found nothing, absent when it did not run.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel
from starlette.datastructures import Headers
from starlette.types import Scope

from core.service import Operation, Service
from core.settings import PiiRedactionSettings
from gateway.context import add_response_header
from gateway.middleware.pii_policy import ASKED_OF_JOBS, PiiPolicies
from gateway.middleware.pii_redactor import Redactor
from nlp.pii import PiiDetector

REDACTED_HEADER = "X-Pii-Redacted"


def format_counts(counts: Counter[str]) -> str:
    return ",".join(f"{kind}={n}" for kind, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


class PiiRedaction:
    """A `ServiceCall` (gateway/service_call.py) that redacts what the policy of the call asks."""

    def __init__(self, settings: PiiRedactionSettings, detector: PiiDetector) -> None:
        self.policies = PiiPolicies(settings)
        self.redactor = Redactor.from_settings(settings, detector)

    def __call__(self, scope: Scope, service: Service, op: Operation, request: BaseModel) -> BaseModel:
        method = getattr(service, op.method)
        headers = Headers(scope=scope)
        policy = self.policies.for_request(headers, service.name, op.name)
        asked = ASKED_OF_JOBS.set(self.policies.asked(headers))
        try:
            if policy is None:
                return method(request)
            response, counts = self.redactor.run(op.text, request, policy, method)
        finally:
            ASKED_OF_JOBS.reset(asked)
        add_response_header(scope, REDACTED_HEADER, format_counts(counts))
        return response
