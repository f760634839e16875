"""The account's caches and tags, in memory (a reset or restart forgets them)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from mock_server.errors import invalid_request

if TYPE_CHECKING:  # the records' module is imported with the first cache (or a refusal)
    from mock_server.caching.records import CacheRecord, TagRecord


class CacheStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._caches: dict[str, CacheRecord] = {}  # creation order
        self._tags: dict[tuple[str, str], TagRecord] = {}

    def put(self, record: CacheRecord) -> CacheRecord:
        with self._lock:
            self._caches[record.id] = record
        return record

    def get(self, account: str, cache_id: str) -> CacheRecord:
        record = self._caches.get(cache_id)
        if record is None or record.account != account:
            from mock_server.caching.records import cache_not_found

            raise cache_not_found(cache_id)
        return record

    def list(self, account: str) -> list[CacheRecord]:
        with self._lock:
            return [r for r in self._caches.values() if r.account == account]

    def delete(self, account: str, cache_id: str) -> None:
        self.get(account, cache_id)
        with self._lock:
            self._caches.pop(cache_id, None)
            for key in [k for k, t in self._tags.items() if t.cache_id == cache_id]:
                del self._tags[key]

    def add_tag(self, record: TagRecord) -> TagRecord:
        self.get(record.account, record.cache_id)
        with self._lock:
            if (record.account, record.tag) in self._tags:
                raise invalid_request(f"the tag {record.tag} already exists")
            self._tags[(record.account, record.tag)] = record
        return record

    def tag(self, account: str, tag: str) -> TagRecord:
        record = self._tags.get((account, tag))
        if record is None:
            from mock_server.caching.records import tag_not_found

            raise tag_not_found(tag)
        return record

    def tags(self, account: str) -> list[TagRecord]:
        with self._lock:
            return [t for t in self._tags.values() if t.account == account]

    def delete_tag(self, account: str, tag: str) -> None:
        with self._lock:
            self._tags.pop((account, tag), None)
