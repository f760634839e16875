"""`/v1/caching`: explicit context caches and their tags (the platform's older API), served
when the setting `explicit_caching` is on; off (the default, as on the 2026 platform, where
caching is automatic) every such URL answers the gateway's 404 as an unknown URL does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from mock_server.caching import rules
from mock_server.caching.records import CacheRecord, TagRecord
from mock_server.errors import invalid_request
from mock_server.http.call import HttpCall
from mock_server.http.responses import gateway_not_found, json_response

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.services import Services

COUNTED_AS = "moonshot-v1-128k"  # a cache's tokens are counted as its family's largest model's
Handler = Callable[[HttpCall, "Services"], Awaitable["Response"]]
T = TypeVar("T")


def when_enabled(handler: Handler) -> Handler:
    async def guarded(call: HttpCall, services: Services) -> Response:
        if not services.settings.explicit_caching:
            request = call.request
            return gateway_not_found(request.method, request.headers.get("user-agent", ""))
        return await handler(call, services)

    guarded.__name__ = handler.__name__
    return guarded


@when_enabled
async def create_cache(call: HttpCall, services: Services) -> Response:
    body, now = call.body, services.clock.now()
    rules.check_model(body["model"])
    counted_as = services.catalogue.get(COUNTED_AS)
    assert counted_as is not None, f"the catalogue lists {COUNTED_AS}"
    tokens = services.tokens.estimate({"messages": body["messages"], "tools": body.get("tools")},
                                      counted_as)
    rules.check_tokens(tokens)
    expired_at = rules.expiry(body, now)
    assert expired_at is not None
    record = CacheRecord(
        id=services.ids.cache_id(), account=call.caller.account.name, model=body["model"],
        messages=body["messages"], tools=body.get("tools"), name=body.get("name") or "",
        description=body.get("description") or "", metadata=body.get("metadata"),
        tokens=tokens, created=now, ready_at=now + services.settings.caching_ready_seconds,
        expired_at=expired_at)
    return json_response(services.explicit_caches.put(record).wire(now))


@when_enabled
async def list_caches(call: HttpCall, services: Services) -> Response:
    records = services.explicit_caches.list(call.caller.account.name)
    page = paged(call, records, lambda r: r.id)
    now = services.clock.now()
    return json_response({"object": "list", "data": [r.wire(now) for r in page]})


@when_enabled
async def retrieve_cache(call: HttpCall, services: Services) -> Response:
    record = services.explicit_caches.get(call.caller.account.name, call.request.path_params["cache_id"])
    return json_response(record.wire(services.clock.now()))


@when_enabled
async def update_cache(call: HttpCall, services: Services) -> Response:
    account, now = call.caller.account.name, services.clock.now()
    record = services.explicit_caches.get(account, call.request.path_params["cache_id"])
    changes: dict[str, Any] = {}
    if call.body.get("metadata") is not None:
        changes["metadata"] = call.body["metadata"]
    expired_at = rules.expiry(call.body, now, default=None)
    if expired_at is not None:
        changes["expired_at"] = expired_at
    return json_response(services.explicit_caches.put(record.but(**changes)).wire(now))


@when_enabled
async def delete_cache(call: HttpCall, services: Services) -> Response:
    cache_id = call.request.path_params["cache_id"]
    services.explicit_caches.delete(call.caller.account.name, cache_id)
    return json_response({"deleted": True, "id": cache_id,
                          "object": "context_cache_object.deleted"})


@when_enabled
async def create_cache_tag(call: HttpCall, services: Services) -> Response:
    tag, account = call.body["tag"], call.caller.account
    rules.check_tag(tag)
    record = TagRecord(tag=tag, cache_id=call.body["cache_id"], account=account.name,
                       owned_by=account.uid, created_at=int(services.clock.now()))
    return json_response(services.explicit_caches.add_tag(record).wire())


@when_enabled
async def list_cache_tags(call: HttpCall, services: Services) -> Response:
    page = paged(call, services.explicit_caches.tags(call.caller.account.name), lambda t: t.tag)
    return json_response({"object": "list", "data": [t.wire() for t in page]})


@when_enabled
async def retrieve_cache_tag(call: HttpCall, services: Services) -> Response:
    tag = services.explicit_caches.tag(call.caller.account.name, call.request.path_params["tag"])
    return json_response(tag.wire())


@when_enabled
async def retrieve_cache_tag_content(call: HttpCall, services: Services) -> Response:
    account = call.caller.account.name
    tag = services.explicit_caches.tag(account, call.request.path_params["tag"])
    return json_response(services.explicit_caches.get(account, tag.cache_id).wire(services.clock.now()))


@when_enabled
async def delete_cache_tag(call: HttpCall, services: Services) -> Response:
    tag = call.request.path_params["tag"]
    services.explicit_caches.delete_tag(call.caller.account.name, tag)  # succeeds even if absent (docs)
    return json_response({"deleted": True, "object": "cache_object.tag.deleted", "tag": tag})


def paged(call: HttpCall, items: Sequence[T], key: Callable[[T], str]) -> list[T]:
    """`limit` (default 20, 1..1000), `order` (desc by default: newest first), `after` and
    `before` (ids or tags of the listing)."""
    query = call.request.query_params
    order = query.get("order", "desc")
    if order not in ("asc", "desc"):
        raise invalid_request(f"order must be 'asc' or 'desc', got {order!r}")
    ordered = list(items) if order == "asc" else list(reversed(items))
    keys = [key(item) for item in ordered]
    after, before = query.get("after"), query.get("before")
    if after is not None:
        ordered = ordered[keys.index(after) + 1:] if after in keys else []
    if before is not None:
        current = [key(item) for item in ordered]
        ordered = ordered[:current.index(before)] if before in current else ordered
    raw = query.get("limit", "20")
    if not raw.isdigit() or not 1 <= int(raw) <= 1000:
        raise invalid_request(f"limit must be an integer between 1 and 1000, got {raw!r}")
    return ordered[: int(raw)]
