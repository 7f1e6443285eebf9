"""API-key authentication for the REST door: `Authorization: Bearer <key>`."""

from __future__ import annotations

import hmac

from fastapi import Request

from core.errors import MissingAuthenticationToken, UnrecognizedClient
from core.settings import Settings


def api_key_dependency(settings: Settings):
    keys = [key.encode() for key in settings.api_keys]

    def require_api_key(request: Request) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise MissingAuthenticationToken("Missing API key: send 'Authorization: Bearer <key>'.")
        # Compare against every key so timing does not reveal which prefix matched.
        matched = False
        for key in keys:
            matched |= hmac.compare_digest(key, token.strip().encode())
        if not matched:
            raise UnrecognizedClient("The API key is not recognised.")

    return require_api_key
