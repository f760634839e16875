"""Recorded exchanges as stubs: which recorded answer a request gets, and which comes closest.

A recorded exchange answers the request whose canonical key (`recording.normalise.request_key`
of its normalised document) equals its own. Several recorded exchanges with the same request
(a list before and after an upload, a retried call) answer in recorded order, the last one
repeating. A request that matches none is told the closest recorded request: same method and
path first, then the most similar canonical text. The stubs are kept as given (a
`recording.document.Exchange`: its `request` document and `name`); what answers is the
caller's to send.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any, Generic, Protocol, TypeVar


class Recorded(Protocol):
    @property
    def request(self) -> Mapping[str, Any]: ...

    @property
    def name(self) -> str: ...


R = TypeVar("R", bound=Recorded)


class RecordedStubs(Generic[R]):
    def __init__(self, stubs: Iterable[tuple[bytes, R]] = ()) -> None:
        self.stubs = list(stubs)
        self.by_key: dict[bytes, list[R]] = {}
        for key, stub in self.stubs:
            self.by_key.setdefault(key, []).append(stub)
        self.used: dict[bytes, int] = {}
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return bool(self.stubs)

    def has(self, key: bytes) -> bool:
        return key in self.by_key

    def take(self, key: bytes) -> R | None:
        """The next recorded answer to the request of `key`, or None."""
        queue = self.by_key.get(key)
        if not queue:
            return None
        with self._lock:
            index = self.used.get(key, 0)
            self.used[key] = index + 1
        return queue[min(index, len(queue) - 1)]

    def closest(self, request: Mapping[str, Any], key: bytes) -> R | None:
        """The recorded request most like `request` (whose canonical key is `key`)."""
        if not self.stubs:
            return None
        import difflib  # on first use: a strict replay's refusal

        sent = key.decode()

        def score(pair: tuple[bytes, R]) -> tuple[int, float]:
            recorded = pair[1].request
            same = (recorded.get("method") == request.get("method")) + \
                (recorded.get("path") == request.get("path"))
            return same, difflib.SequenceMatcher(None, pair[0].decode(), sent, False).ratio()

        return max(self.stubs, key=score)[1]
