"""The replay index: which recorded exchange answers a request, and which comes closest.

Requests match on their normalised document (`normalise`). Several recorded exchanges with the
same request (a list before and after an upload, a retried call) answer in recorded order, the
last one repeating. A request that matches none is told the closest recorded request and the
first place where the two differ.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from mock_server.recording.document import Exchange
from mock_server.recording.normalise import request_key

MAX_SHOWN = 60


class Recording:
    def __init__(self, exchanges: Iterable[Exchange]) -> None:
        self.exchanges = list(exchanges)
        self.by_key: dict[bytes, list[Exchange]] = {}
        for exchange in self.exchanges:
            self.by_key.setdefault(request_key(exchange.request), []).append(exchange)
        self.used: dict[bytes, int] = {}

    def take(self, request: Mapping[str, Any]) -> Exchange | None:
        """The next recorded answer to `request`, or None."""
        key = request_key(request)
        queue = self.by_key.get(key)
        if not queue:
            return None
        index = self.used.get(key, 0)
        self.used[key] = index + 1
        return queue[min(index, len(queue) - 1)]

    def closest(self, request: Mapping[str, Any]) -> Exchange | None:
        """The recorded request most like `request`: same method and path first, then the most
        similar canonical text."""
        if not self.exchanges:
            return None
        sent = request_key(request).decode()

        def score(exchange: Exchange) -> tuple[int, float]:
            recorded = exchange.request
            same = (recorded.get("method") == request.get("method")) + \
                (recorded.get("path") == request.get("path"))
            matcher = difflib.SequenceMatcher(None, request_key(recorded).decode(), sent, False)
            return same, matcher.ratio()

        return max(self.exchanges, key=score)


def first_difference(recorded: Any, sent: Any, where: str = "") -> str | None:
    """`body.messages[0].content: recorded 'Hi', sent 'Hello'`, or None when equal."""
    if isinstance(recorded, Mapping) and isinstance(sent, Mapping):
        for name in [*recorded, *(k for k in sent if k not in recorded)]:
            if name not in sent or name not in recorded:
                side = "only in the recording" if name not in sent else "only in the request"
                return f"{where}{'.' if where else ''}{name}: {side}"
            found = first_difference(recorded[name], sent[name], f"{where}{'.' if where else ''}{name}")
            if found:
                return found
        return None
    if isinstance(recorded, list) and isinstance(sent, list):
        for index, (a, b) in enumerate(zip(recorded, sent, strict=False)):
            found = first_difference(a, b, f"{where}[{index}]")
            if found:
                return found
        if len(recorded) != len(sent):
            return f"{where}: {len(recorded)} items recorded, {len(sent)} sent"
        return None
    if recorded == sent:
        return None
    return f"{where or 'request'}: recorded {_short(recorded)}, sent {_short(sent)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


def unmatched_message(request: Mapping[str, Any], closest: Exchange | None, where: str) -> str:
    """The strict replay's 404 message for a request the recording has no answer to."""
    head = (f"No recorded reply matches {request.get('method')} {request.get('path')} "
            f"(strict replay of {where})")
    if closest is None:
        return f"{head}; the recording is empty"
    recorded = closest.request
    difference = first_difference(recorded, request) or "nothing (all its answers were used)"
    return (f"{head}; the closest recorded request is {closest.name} ({recorded.get('method')} "
            f"{recorded.get('path')}), which differs at {difference}")
