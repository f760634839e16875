"""Cache and tag records, their wire forms, and the errors that name them.

A cache is `pending` for `caching_ready_seconds` after creation (the docs: "typically 40s-60s"),
then `ready` until `expired_at`, then `inactive` (the docs list pending, ready, error and
inactive; the fake never errs).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from mock_server.errors import MoonshotError, invalid_request

OBJECT = "context-cache"
DEFAULT_TTL = 3600
MAX_TTL = 3600  # expired_at may be at most an hour ahead (docs)
MAX_TOKENS = 128 * 1024  # per cache (docs)


@dataclass(frozen=True)
class CacheRecord:
    id: str
    account: str
    model: str
    messages: list[Any]
    tools: list[Any] | None
    name: str
    description: str
    metadata: dict[str, str] | None
    tokens: int
    created: float
    ready_at: float
    expired_at: int

    def status(self, now: float) -> str:
        if now >= self.expired_at:
            return "inactive"
        return "ready" if now >= self.ready_at else "pending"

    def but(self, **changes: Any) -> CacheRecord:
        return dataclasses.replace(self, **changes)

    def wire(self, now: float) -> dict[str, Any]:
        """The cache object, in the documented key order."""
        return {"id": self.id, "status": self.status(now), "object": OBJECT,
                "created_at": int(self.created), "tokens": self.tokens,
                "expired_at": self.expired_at, "model": self.model, "messages": self.messages,
                "tools": self.tools, "name": self.name, "description": self.description,
                "metadata": self.metadata}


@dataclass(frozen=True)
class TagRecord:
    tag: str
    cache_id: str
    account: str
    owned_by: str  # the account's user id (an xid, as Msh-Uid)
    created_at: int

    def wire(self) -> dict[str, Any]:
        return {"cache_id": self.cache_id, "created_at": self.created_at,
                "object": "cache_object.tag", "owned_by": self.owned_by, "tag": self.tag}


def cache_not_found(cache_id: str) -> MoonshotError:
    """The real text is unknown; this follows the model and file templates."""
    return MoonshotError("resource_not_found_error",
                         f"Not found the cache {cache_id} or Permission denied")


def tag_not_found(tag: str) -> MoonshotError:
    return MoonshotError("resource_not_found_error", f"Not found the tag {tag} or Permission denied")


def not_usable(record: CacheRecord, now: float) -> MoonshotError:
    return invalid_request(f"the cache {record.id} cannot be used in status "
                           f"{record.status(now)!r}; only a ready cache can be used")


def mismatch(cache_id: str) -> MoonshotError:
    return invalid_request(f"the leading messages and tools of the request do not match the "
                           f"cache {cache_id}")
