"""The documented rules of cache creation and update, of tags, and of the `cache` message."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mock_server.caching.records import DEFAULT_TTL, MAX_TOKENS, MAX_TTL
from mock_server.errors import invalid_request

FAMILY = "moonshot-v1"  # the only model family caches are made for (docs)
TAG = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,127}$")
CACHE_FIELDS = ("cache_id", "tag", "reset_ttl", "dry_run")


def check_model(model: str) -> None:
    if model != FAMILY:
        raise invalid_request(f"model must be {FAMILY!r} for context caching, got {model!r}")


def check_tokens(tokens: int) -> None:
    if tokens > MAX_TOKENS:
        raise invalid_request(f"a cache holds at most {MAX_TOKENS} tokens, got {tokens}")


def expiry(body: Mapping[str, Any], now: float, default: int | None = DEFAULT_TTL) -> int | None:
    """`expired_at`, or now + `ttl`, or now + the default; at most an hour ahead, in the future."""
    if body.get("expired_at") is not None:
        expired_at = int(body["expired_at"])
    elif body.get("ttl") is not None:
        expired_at = int(now) + int(body["ttl"])
    elif default is None:
        return None
    else:
        expired_at = int(now) + default
    if not int(now) < expired_at <= int(now) + MAX_TTL:
        raise invalid_request(f"expired_at must be in the future and at most {MAX_TTL} seconds "
                              f"ahead, got {expired_at} (now {int(now)})")
    return expired_at


def check_tag(tag: str) -> None:
    if not TAG.fullmatch(tag):
        raise invalid_request("tag must be 1 to 128 characters, a letter first, then letters, "
                              f"digits, '_', '-' or '.', got {tag!r}")


@dataclass(frozen=True)
class CacheUse:
    """What a request asks of a cache: by id or tag, a new TTL, a dry run."""

    cache_id: str | None = None
    tag: str | None = None
    reset_ttl: int | None = None
    dry_run: bool = False


def parse_cache_message(content: Any) -> CacheUse:
    """`cache_id=xxx;reset_ttl=3600;dry_run=1` or `tag=xxx;reset_ttl=300` (docs)."""
    if not isinstance(content, str):
        raise invalid_request("the content of a 'cache' message must be a string such as "
                              "'cache_id=...;reset_ttl=3600'")
    fields: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in content.split(";"))):
        name, sep, value = part.partition("=")
        if not sep or name.strip() not in CACHE_FIELDS:
            raise invalid_request(f"the 'cache' message has an unknown field {part!r} "
                                  f"(known: {', '.join(CACHE_FIELDS)})")
        fields[name.strip()] = value.strip()
    return cache_use(fields.get("cache_id"), fields.get("tag"), fields.get("reset_ttl"),
                     fields.get("dry_run"))


def cache_use(cache_id: str | None, tag: str | None, reset_ttl: str | None,
              dry_run: str | None) -> CacheUse:
    if bool(cache_id) == bool(tag):
        raise invalid_request("a cache is named by exactly one of cache_id or tag")
    try:
        ttl = None if reset_ttl in (None, "") else int(reset_ttl)
    except ValueError:
        raise invalid_request(f"reset_ttl must be a number of seconds, got {reset_ttl!r}") from None
    if ttl is not None and not 0 < ttl <= MAX_TTL:
        raise invalid_request(f"reset_ttl must be between 1 and {MAX_TTL} seconds, got {ttl}")
    return CacheUse(cache_id or None, tag or None, ttl, dry_run in ("1", "true"))
