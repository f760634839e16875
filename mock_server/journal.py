"""A bounded journal of the requests an app served, with API keys redacted.

Each entry holds what a client test asks about afterwards: when, who (account and `ak-` key
id, never the key), method, path, a body summary (never message contents), status, the fault
applied, the scripted-reply rule that answered, stream events sent and token usage. `elapsed`
is real seconds since the journal started (backoff between retries is real time even when the
API clock is virtual).
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson

_KEY = re.compile(r"sk-[A-Za-z0-9_\-.]+")
REDACTED = "sk-***"


def redact(value: Any) -> Any:
    """Every `sk-…` secret inside strings, keys or nested containers becomes `sk-***`."""
    if isinstance(value, str):
        return _KEY.sub(REDACTED, value)
    if isinstance(value, Mapping):
        return {redact(k): redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def summarize_body(body: Any, size: int) -> dict[str, Any]:
    """Size and the few fields a test asks about; message contents are never kept."""
    summary: dict[str, Any] = {"bytes": size}
    if not isinstance(body, dict | Mapping):
        return summary
    for name in ("model", "stream", "max_tokens", "max_completion_tokens", "n"):
        if name in body:
            summary[name] = body[name]
    for name in ("messages", "tools"):
        if isinstance(body.get(name), list):
            summary[name] = len(body[name])
    return summary


@dataclass(slots=True)
class StreamRecord:
    events: int = 0
    done: bool = False
    cut: bool = False


@dataclass(slots=True)
class Entry:
    seq: int
    time: float
    elapsed: float  # as measured; to_json rounds it to the microsecond
    method: str
    path: str
    request_id: str | None = None
    account: str | None = None
    key_id: str | None = None
    body: dict[str, Any] | None = None
    status: int | None = None
    fault: str | None = None
    fault_source: str | None = None
    stream: StreamRecord | None = None
    usage: dict[str, int] | None = None
    reply: str | None = None  # the id of the scripted-reply rule that answered
    door: str | None = None  # the inference door it came through: chat, messages, …
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = redact(asdict(self))
        data["elapsed"] = round(self.elapsed, 6)
        return data


class Journal:
    def __init__(self, size: int = 1000, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._entries: deque[Entry] = deque(maxlen=max(1, size))
        self._lock = threading.Lock()
        self._monotonic = monotonic
        self._started = monotonic()
        self._seq = 0

    def open(self, method: str, path: str, now: float) -> Entry:
        with self._lock:
            self._seq += 1
            # rounded when read, not here: round(x, 6) formats the float, every request
            entry = Entry(self._seq, now, self._monotonic() - self._started, method, path)
            self._entries.append(entry)
            return entry

    def entries(self, path: str | None = None, status: int | None = None,
                limit: int | None = None) -> list[dict[str, Any]]:
        with self._lock:
            chosen = [e for e in self._entries
                      if (path is None or e.path == path) and (status is None or e.status == status)]
        return [e.to_json() for e in (chosen[-limit:] if limit else chosen)]

    def export(self) -> bytes:
        return orjson.dumps(self.entries(), option=orjson.OPT_INDENT_2)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
