"""Explicit caching's rules as plain data: the `cache` message's syntax, expiry, tags, statuses."""

from __future__ import annotations

import pytest

from mock_server.caching.records import CacheRecord
from mock_server.caching.rules import CacheUse, check_tag, expiry, parse_cache_message
from mock_server.errors import MoonshotError


def test_cache_message_syntax() -> None:
    assert parse_cache_message("cache_id=cache-1;reset_ttl=3600;dry_run=1") == CacheUse(
        "cache-1", None, 3600, True)
    assert parse_cache_message(" tag=sys ; ") == CacheUse(None, "sys", None, False)


@pytest.mark.parametrize("content", ["", "cache_id=a;tag=b", "id=1", "cache_id=a;reset_ttl=x",
                                     "cache_id=a;reset_ttl=0", "cache_id=a;reset_ttl=3601",
                                     "cache_id", 7])
def test_bad_cache_messages(content: object) -> None:
    with pytest.raises(MoonshotError) as refused:
        parse_cache_message(content)
    assert refused.value.status == 400


def test_expiry() -> None:
    assert expiry({}, 1000.5) == 4600
    assert expiry({"ttl": 10}, 1000.5) == 1010
    assert expiry({"expired_at": 2000}, 1000.0) == 2000
    assert expiry({}, 1000.0, default=None) is None
    for body in ({"expired_at": 1000}, {"expired_at": 4601}, {"ttl": 3601}):
        with pytest.raises(MoonshotError):
            expiry(body, 1000.0)


def test_tags_and_statuses() -> None:
    check_tag("a" + "b" * 127)
    for bad in ("", "1a", "a b", "a" * 129, "-a"):
        with pytest.raises(MoonshotError):
            check_tag(bad)
    record = CacheRecord("cache-1", "acme", "moonshot-v1", [], None, "", "", None, 10,
                         created=100.0, ready_at=101.0, expired_at=200)
    assert [record.status(t) for t in (100.0, 101.0, 199.9, 200.0)] == [
        "pending", "ready", "ready", "inactive"]
