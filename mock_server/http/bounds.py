"""Bounds on what one request may make the fake hold: its headers, its JSON body's size and
nesting. Each check is cheap on an ordinary request and raises the envelope's 400 when a limit
(a setting, docs/bounds.md) is passed, before the work it would cost is done."""

from __future__ import annotations

from typing import Any

from starlette.types import Scope

from mock_server.errors import MoonshotError, invalid_request
from mock_server.settings import Settings


def check_headers(scope: Scope, settings: Settings) -> None:
    headers = scope["headers"]
    if len(headers) > settings.header_max_count:
        raise invalid_request(f"the request has {len(headers)} headers; at most "
                              f"{settings.header_max_count} are accepted")
    size = sum(len(name) + len(value) for name, value in headers)
    if size > settings.header_max_bytes:
        raise invalid_request(f"the request's headers hold {size} bytes; at most "
                              f"{settings.header_max_bytes} are accepted")


def body_too_large(limit: int) -> MoonshotError:
    return invalid_request(f"the request body is larger than {limit} bytes, the most accepted")


def declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def json_depth(value: Any, limit: int) -> int:
    """The nesting depth of a parsed JSON value, counted without recursion, up to `limit` + 1."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values()
                         if isinstance(child, dict | list))
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node if isinstance(child, dict | list))
    return deepest


def check_json_depth(raw: bytes, value: Any, limit: int) -> None:
    """Only a body with more than `limit` brackets can be nested deeper: most are never walked."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return
    if json_depth(value, limit) > limit:
        raise invalid_request(f"the request body is nested deeper than {limit} levels, "
                              "the most accepted")
