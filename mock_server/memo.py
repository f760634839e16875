"""A bounded memo: a value per key, the oldest dropped when full.

One instance per app (held by `Services`), never module state. Its user is the record of
known request bodies (`engine/known.py`): clients repeat themselves, and what the app learnt about a
body (schema passed, semantic checks, planned choices) holds for the same bytes next time.
When full, the oldest entry goes (first in, first out): a hit costs one dict lookup and a miss
one insertion, which matters more here than keeping a hot entry longer (a hot request that
was pushed out is simply remembered again at its next miss). An `OrderedDict` drops its oldest
entry in constant time; a plain dict's first entry is found by scanning past the slots its
earlier deletions left, which cost more than the insertion itself.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._values: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._values)

    def values(self) -> list[V]:
        """The remembered values, oldest first."""
        return list(self._values.values())

    def get(self, key: K) -> V | None:
        return self._values.get(key)

    def put(self, key: K, value: V) -> None:
        values = self._values
        values[key] = value
        if len(values) > self.entries:
            values.popitem(last=False)
