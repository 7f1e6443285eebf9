"""What to redact for one request: the settings enforce redaction per route, and a client may ask
for it per request with headers. A client can widen what the settings enforce (more types, both
scopes) and pick the mode, never narrow it: a header must not undo the operator's policy."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from starlette.datastructures import Headers

from core.errors import ValidationError
from core.settings import PiiRedactionSettings
from nlp.pii import pii_entity_types
from nlp.pii.detector import ALL_TYPES
from nlp.pii.redaction import MODES

TYPES_HEADER = "X-Pii-Redaction"
MODE_HEADER = "X-Pii-Redaction-Mode"
SCOPE_HEADER = "X-Pii-Redaction-Scope"
# scope -> (redact the request, redact the response)
SCOPES: dict[str, tuple[bool, bool]] = {"response": (False, True), "request": (True, False), "both": (True, True)}
# What the headers of the call being served ask, as a batch job's `pii_redaction` ({"types", "mode", "scope"}):
# an AWS Start*Job call hands it to the job it starts, whose every object's call then redacts as asked.
ASKED_OF_JOBS: ContextVar[dict[str, Any] | None] = ContextVar("asked_of_jobs", default=None)


@dataclass(frozen=True)
class Policy:
    types: frozenset[str] | None  # None: every type
    mode: str
    request: bool
    response: bool


def parse_types(names: Iterable[str], source: str) -> frozenset[str] | None:
    wanted = {name.strip().upper() for name in names} - {""}
    if not wanted:
        raise ValidationError(f"{source} names no PII type; use {ALL_TYPES} or a comma-separated list of types.")
    if ALL_TYPES in wanted:
        return None
    unknown = wanted - pii_entity_types()
    if unknown:
        raise ValidationError(f"{source}: unknown PII entity types {', '.join(sorted(unknown))}.")
    return frozenset(wanted)


def _choice(headers: Headers, name: str, allowed: Iterable[str]) -> str | None:
    value = headers.get(name)
    if value is None:
        return None
    if value.strip().lower() not in allowed:
        raise ValidationError(f"{name} must be one of {', '.join(sorted(allowed))}.")
    return value.strip().lower()


class PiiPolicies:
    def __init__(self, settings: PiiRedactionSettings) -> None:
        self._routes = settings.routes
        # Parsed now, so that a bad setting stops the gateway at start rather than failing requests.
        self._enforced = Policy(parse_types(settings.types, "pii_redaction.types"), settings.mode,
                                *SCOPES[settings.scope])

    def enforced(self, service: str, operation: str) -> Policy | None:
        route = f"{service}.{operation}"
        return self._enforced if any(fnmatchcase(route, pattern) for pattern in self._routes) else None

    def for_request(self, headers: Headers, service: str, operation: str) -> Policy | None:
        """The policy of one call, None when nothing is to be redacted. Invalid headers are a
        ValidationError even where they would change nothing: a typo must not pass for consent."""
        mode = _choice(headers, MODE_HEADER, MODES)
        scope = _choice(headers, SCOPE_HEADER, SCOPES)
        asked = headers.get(TYPES_HEADER)
        asked_types = parse_types(asked.split(","), TYPES_HEADER) if asked is not None else None
        return self.combine(service, operation, asked is not None, asked_types, mode, scope)

    def asked(self, headers: Headers) -> dict[str, Any] | None:
        """What the headers ask (checked by for_request), as a batch job's `pii_redaction`; None: nothing."""
        asked = headers.get(TYPES_HEADER)
        if asked is None:
            return None
        return {"types": [t.strip().upper() for t in asked.split(",") if t.strip()],
                "mode": _choice(headers, MODE_HEADER, MODES),
                "scope": _choice(headers, SCOPE_HEADER, SCOPES) or "response"}

    def combine(self, service: str, operation: str, asked: bool, asked_types: frozenset[str] | None,
                mode: str | None, scope: str | None) -> Policy | None:
        """What the client asked (`asked`: it named types, `asked_types` None being all; `mode` and
        `scope` None where it named none) widened by what the settings enforce on the route. Shared
        by the doors (headers) and batch jobs (the job's `pii_redaction`), so both follow one rule."""
        enforced = self.enforced(service, operation)
        if enforced is None and not asked:
            return None
        if enforced is None:
            request, response = SCOPES[scope or "response"]
            return Policy(asked_types, mode or self._enforced.mode, request, response)
        wider = SCOPES[scope] if scope else (False, False)
        types = enforced.types
        if asked:
            types = None if types is None or asked_types is None else types | asked_types
        return Policy(types, mode or enforced.mode, enforced.request or wider[0], enforced.response or wider[1])
