"""A chat request's explicit context cache (setting `explicit_caching`): named by the
`X-Msh-Context-Cache` header (the request's leading messages and tools must equal the cache's)
or by a leading `{"role": "cache", "content": "cache_id=...;reset_ttl=..."}` message (the
cache's messages and tools take its place; the request's `tools` must be null). The cache must
be ready; `reset_ttl` moves its expiry; the answer reports the cache's tokens as
`usage.cached_tokens` (billed at the cached price) and names the cache in `Msh-Context-Cache-*`
headers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mock_server.caching.records import CacheRecord, mismatch, not_usable
from mock_server.caching.rules import CacheUse, cache_use, parse_cache_message
from mock_server.errors import invalid_request

if TYPE_CHECKING:
    from mock_server.engine.call import Call
    from mock_server.services import Services

HEADER = "x-msh-context-cache"


@dataclass(frozen=True)
class CacheHit:
    cache_id: str
    tokens: int
    expired_at: int

    def headers(self) -> dict[str, str]:
        return {"Msh-Context-Cache-Id": self.cache_id,
                "Msh-Context-Cache-Token-Saved": str(self.tokens),
                "Msh-Context-Cache-Token-Exp": str(self.expired_at)}


def apply_cache(call: Call, body: Any, services: Services) -> tuple[Any, CacheHit | None]:
    """The conversation the engine answers (expanded for a `cache` message) and the cache it
    used."""
    headers = call.headers
    messages = body["messages"]
    roles = [m.get("role") if isinstance(m, Mapping) else None for m in messages]
    if "cache" in roles[1:]:
        raise invalid_request("a message with role 'cache' must be the first message")
    if roles[:1] == ["cache"]:
        if body.get("tools") is not None:
            raise invalid_request("tools must be null when the first message has role 'cache'")
        use = parse_cache_message(messages[0].get("content"))
        record = usable(call, services, use)
        body = {**body, "messages": [*record.messages, *messages[1:]]}
        if record.tools:
            body["tools"] = record.tools
    elif HEADER in headers:
        use = cache_use(headers[HEADER], None, headers.get("x-msh-context-cache-reset-ttl"),
                        headers.get("x-msh-context-cache-dryrun"))
        record = usable(call, services, use)
        if (messages[:len(record.messages)] != record.messages
                or (body.get("tools") or None) != (record.tools or None)):
            raise mismatch(record.id)
    else:
        return body, None
    if use.reset_ttl is not None:
        now = services.clock.now()
        record = services.explicit_caches.put(record.but(expired_at=int(now) + use.reset_ttl))
    return body, CacheHit(record.id, record.tokens, record.expired_at)


def usable(call: Call, services: Services, use: CacheUse) -> CacheRecord:
    """The named cache (by id or tag), which must be ready."""
    account, now = call.caller.account.name, services.clock.now()
    cache_id = use.cache_id or services.explicit_caches.tag(account, str(use.tag)).cache_id
    record = services.explicit_caches.get(account, cache_id)
    if record.status(now) != "ready":
        raise not_usable(record, now)
    return record
