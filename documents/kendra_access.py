"""Who asks, and which documents they may see: Kendra's UserContext against document ACLs.

A document without an AccessControlList is public. With one, a user sees it when an ALLOW entry names
them or one of their groups and no DENY entry does (DENY wins). A query without UserContext sees every
document under the ATTRIBUTE_FILTER policy (AWS's default) and only public ones under USER_TOKEN.
Tokens are read under the index's JsonTokenTypeConfiguration: a JSON object, or a JWT whose payload
is one, naming the user and groups in the configured fields. Signed JWTs are not verified here
(Kendra fetches keys from a URL or Secrets Manager, neither of which an offline gateway has), so an
index that configures JwtTokenTypeConfiguration refuses tokens rather than trusting them unchecked.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from core.errors import AccessDenied, ValidationError
from documents.kendra_shapes import UserContextShape


@dataclass(frozen=True)
class Principal:
    user: str | None
    groups: frozenset[str]


def _token_claims(token: str) -> dict[str, Any]:
    text = token
    parts = token.split(".")
    if len(parts) == 3:  # a JWT: header.payload.signature, the payload base64url
        payload = parts[1] + "=" * (-len(parts[1]) % 4)
        try:
            text = base64.urlsafe_b64decode(payload).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise AccessDenied("The user token is not a readable JWT.") from None
    try:
        claims = json.loads(text)
    except json.JSONDecodeError:
        raise AccessDenied("The user token is neither a JSON object nor a JWT.") from None
    if not isinstance(claims, dict):
        raise AccessDenied("The user token is not a JSON object.")
    return claims


def principal_of(context: UserContextShape | None, index_config: dict[str, Any]) -> Principal | None:
    """The asking user, or None for a query that sees what the index's policy gives everyone."""
    if context is None:
        return None
    if context.Token is not None:
        configs = index_config.get("UserTokenConfigurations") or []
        json_config = next((c["JsonTokenTypeConfiguration"] for c in configs if c.get("JsonTokenTypeConfiguration")),
                           None)
        if json_config is None:
            raise ValidationError("UserContext.Token needs an index with a JsonTokenTypeConfiguration "
                                  "(UpdateIndex UserTokenConfigurations); this index has none.")
        claims = _token_claims(context.Token)
        user = claims.get(json_config["UserNameAttributeField"])
        groups = claims.get(json_config["GroupAttributeField"]) or []
        if not isinstance(user, str) or not isinstance(groups, list):
            raise AccessDenied("The user token lacks the configured user name or group fields.")
        return Principal(user, frozenset(map(str, groups)))
    return Principal(context.UserId, frozenset(context.Groups or []))


def may_see(acl: list[dict[str, Any]], principal: Principal | None, policy: str) -> bool:
    if not acl:
        return True
    if principal is None:
        return policy == "ATTRIBUTE_FILTER"

    def names(entry: dict[str, Any]) -> bool:
        if entry["Type"] == "USER":
            return principal.user is not None and entry["Name"] == principal.user
        return entry["Name"] in principal.groups

    if any(entry["Access"] == "DENY" and names(entry) for entry in acl):
        return False
    allowed = [entry for entry in acl if entry["Access"] == "ALLOW"]
    return not allowed or any(names(entry) for entry in allowed)  # a list of DENY entries only bars just them
