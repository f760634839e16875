"""One recorded exchange as a reply file: `{"match": ..., "reply": ..., "recorded": ...}`.

`match` is the normalised request (`normalise`), `reply` what the upstream answered: status,
the headers that matter, and the body — parsed JSON when re-encoding it compactly gives the
same bytes (`body`), else its text (`body_text`) — or, for a stream, each event with its time
in seconds since the answer started (`events`: `data` when the event is `data: <compact
JSON>\\n\\n` or `data: [DONE]\\n\\n`, else its `raw` text). `usage` repeats the answer's usage
for readers; `recorded` holds the upstream's latency. Files are indented JSON, keys in the
upstream's order, so a re-recording diffs line by line. docs/recording.md is the reference.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from mock_server.journal import redact

FORMAT_VERSION = 1
# response headers worth keeping; the serving fake writes its own request id and timing
KEPT_HEADERS = ("content-type", "cache-control", "x-accel-buffering", "retry-after", "msh-gid",
                "msh-cache")
KEPT_PREFIXES = ("x-ratelimit-", "msh-context-cache-")
DONE = "[DONE]"


class RecordingError(ValueError):
    """A reply file that cannot be read; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class RecordedReply:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""
    events: tuple[tuple[float, bytes], ...] | None = None  # a stream: (seconds, event bytes)
    rest: bytes = b""  # a stream's bytes after its last complete event
    cut: bool = False  # the upstream broke the connection off

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers if k == "content-type"), "")


@dataclass(frozen=True, slots=True)
class Exchange:
    request: Mapping[str, Any]  # the normalised request (`normalise.normalise_request`)
    reply: RecordedReply
    name: str = ""  # the file's stem, how reports and errors name it
    latency: float = 0.0  # seconds from the request to the upstream's answer


def kept_headers(headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((k.lower(), v) for k, v in headers
                 if k.lower() in KEPT_HEADERS or k.lower().startswith(KEPT_PREFIXES))


def to_document(exchange: Exchange) -> dict[str, Any]:
    reply = exchange.reply
    document: dict[str, Any] = {"status": reply.status, "headers": dict(reply.headers)}
    if reply.events is None:
        document.update(_body_fields(reply.body))
    else:
        document["events"] = [_event_field(at, event) for at, event in reply.events]
        if reply.rest:
            document["rest"] = reply.rest.decode("utf-8", "replace")
    if reply.cut:
        document["cut"] = True
    usage = usage_of(reply)
    if usage is not None:
        document["usage"] = usage
    return redact({"version": FORMAT_VERSION, "match": dict(exchange.request), "reply": document,
                   "recorded": {"latency": round(exchange.latency, 4)}})


_EVENTS = "@@events@@"


def dumps(exchange: Exchange) -> str:
    """The reply file's text: indented JSON, each stream event on a line of its own."""
    import json

    document = to_document(exchange)
    events = document["reply"].get("events")
    if events is not None:
        document["reply"]["events"] = _EVENTS
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if events is None:
        return text
    lines = ",\n".join("      " + json.dumps(e, ensure_ascii=False) for e in events)
    return text.replace(f'"{_EVENTS}"', f"[\n{lines}\n    ]" if events else "[]", 1)


def _body_fields(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    try:
        value = orjson.loads(body)
        if orjson.dumps(value) == body:
            return {"body": value}
    except orjson.JSONDecodeError:
        pass
    try:
        return {"body_text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(body).decode("ascii")}


def _event_field(at: float, event: bytes) -> dict[str, Any]:
    field: dict[str, Any] = {"at": round(at, 4)}
    if event == b"data: [DONE]\n\n":
        field["data"] = DONE
        return field
    if event.startswith(b"data: ") and event.endswith(b"\n\n"):
        try:
            value = orjson.loads(event[6:-2])
            if isinstance(value, dict) and orjson.dumps(value) == event[6:-2]:
                field["data"] = value
                return field
        except orjson.JSONDecodeError:
            pass
    field["raw"] = event.decode("utf-8", "replace")
    return field


def from_document(document: Any, name: str) -> Exchange:
    if not isinstance(document, Mapping) or not isinstance(document.get("match"), Mapping) \
            or not isinstance(document.get("reply"), Mapping):
        raise RecordingError(f"{name}: a reply file needs a `match` and a `reply` mapping")
    reply = document["reply"]
    try:
        status = int(reply["status"])
        headers = tuple((str(k).lower(), str(v)) for k, v in (reply.get("headers") or {}).items())
        events = None if "events" not in reply else tuple(_event_of(e) for e in reply["events"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RecordingError(f"{name}: reply needs a numeric `status`, a `headers` mapping and "
                             f"well-formed `events` ({exc!r})") from None
    recorded = RecordedReply(status, headers, _body_of(reply), events,
                             str(reply.get("rest", "")).encode(), bool(reply.get("cut", False)))
    latency = float((document.get("recorded") or {}).get("latency", 0.0))
    return Exchange(dict(document["match"]), recorded, name, latency)


def _body_of(reply: Mapping[str, Any]) -> bytes:
    if "body" in reply:
        return orjson.dumps(reply["body"])
    if "body_text" in reply:
        return str(reply["body_text"]).encode()
    if "body_base64" in reply:
        return base64.b64decode(reply["body_base64"])
    return b""


def _event_of(field: Mapping[str, Any]) -> tuple[float, bytes]:
    at = float(field.get("at", 0.0))
    if "raw" in field:
        return at, str(field["raw"]).encode()
    data = field["data"]
    payload = data.encode() if isinstance(data, str) else orjson.dumps(data)
    return at, b"data: " + payload + b"\n\n"


def usage_of(reply: RecordedReply) -> dict[str, Any] | None:
    """The answer's `usage`: the body's, or the last event's (top level or in its choice)."""
    bodies = [reply.body] if reply.events is None else [e[6:-2] for _, e in reversed(reply.events)]
    for raw in bodies:
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError:
            continue
        if not isinstance(value, dict):
            continue
        if isinstance(value.get("usage"), dict):
            return value["usage"]
        choices = value.get("choices")
        if isinstance(choices, list) and choices and isinstance(choices[0], dict) \
                and isinstance(choices[0].get("usage"), dict):
            return choices[0]["usage"]
    return None
