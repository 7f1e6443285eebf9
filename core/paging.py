"""Listing pages whose NextToken is the offset of the next page (lists that fit in memory)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from core.errors import ClientError, InvalidRequest

Item = TypeVar("Item")


def offset_page(
    items: Sequence[Item],
    token: str | None,
    max_results: int | None,
    *,
    default_size: int,
    error: type[ClientError] = InvalidRequest,
) -> tuple[list[Item], str | None]:
    """One page and the token of the next (None on the last). A token this function did not issue
    raises `error`: services answer it with their own modeled code."""
    start = 0
    if token:
        if not token.isdigit() or int(token) > len(items):
            raise error(f"Invalid NextToken {token!r}: it is not one this service issued.")
        start = int(token)
    end = start + (max_results or default_size)
    return list(items[start:end]), (str(end) if end < len(items) else None)
