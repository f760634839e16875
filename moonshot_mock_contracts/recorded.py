"""A recording (a directory of reply files) as one side of a drift report.

Each recorded exchange becomes a plan step named after its file: status, media type, the
headers a recording keeps, and what is comparable between two servers without comparing
values — the body's shape (every field path with its JSON type), the stream's framing (each
event `data: <JSON>` and a blank line, `[DONE]` last, the role in the first delta, where usage
sits) and the usage arithmetic. `fake_side` sends the same requests to the fake in-process
(no key, no network) and observes its answers the same way, mapping the recording's ids
(files, batches) to the ones the fake gave.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from mock_server.recording.document import Exchange, kept_headers
from mock_server.reply_files import load_reply_files

from .drift import operations_from_steps
from .sse import parse_stream

_ID_SEGMENT = re.compile(r"/(?=[^/]*\d)[A-Za-z0-9_-]{10,}")


def operation_of(request: Mapping[str, Any]) -> str:
    """`GET /v1/files/{id}` for `GET /v1/files/cmq2...`: ids folded away."""
    return f"{request.get('method')} {_ID_SEGMENT.sub('/{id}', str(request.get('path')))}"


def observe(operation: str, status: int, headers: list[tuple[str, str]], body: bytes) -> dict[str, Any]:
    """One step of a result document, from an answer's status, headers and body bytes."""
    media = next((v for k, v in headers if k == "content-type"), "")
    step: dict[str, Any] = {"operation": operation, "status": status,
                            "media_type": media.split(";")[0].strip(),
                            "headers": sorted({k for k, _ in kept_headers(headers)}),
                            "checks": [], "problems": []}
    if media.startswith("text/event-stream"):
        step["shape"], step["framing"] = stream_facts(body)
    else:
        value = _json(body)
        step["shape"] = sorted(set(shape_of(value))) if value is not None else ["(not JSON)"]
        step["framing"] = usage_facts(value.get("usage") if isinstance(value, dict) else None)
    return step


def _json(raw: bytes | str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None


def shape_of(value: Any, path: str = "") -> Iterator[str]:
    """`choices[].message.content: string` for every leaf and container of `value`."""
    kind = ("null" if value is None else "boolean" if isinstance(value, bool)
            else "number" if isinstance(value, int | float) else "string" if isinstance(value, str)
            else "array" if isinstance(value, list) else "object")
    yield f"{path or '(body)'}: {kind}"
    if isinstance(value, dict):
        for name, item in value.items():
            yield from shape_of(item, f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for item in value:
            yield from shape_of(item, f"{path}[]")


def usage_facts(usage: Any) -> list[str]:
    if not isinstance(usage, dict):
        return []
    total = usage.get("total_tokens")
    parts = (usage.get("prompt_tokens"), usage.get("completion_tokens"))
    if all(isinstance(n, int) for n in (total, *parts)):
        relation = "=" if total == parts[0] + parts[1] else "≠"
        return [f"usage: total_tokens {relation} prompt_tokens + completion_tokens"]
    return ["usage: token counts missing or not integers"]


def stream_facts(body: bytes) -> tuple[list[str], list[str]]:
    """The union of the chunks' shapes, and the stream's framing facts."""
    stream = parse_stream(body)
    framing = list(stream.problems) + [f"comment lines: {len(stream.comments)}"] * bool(stream.comments)
    data = [event.data for event in stream.events]
    framing.append("ends with data: [DONE]" if data and data[-1] == "[DONE]" else "no data: [DONE] last")
    chunks = [c for c in (_json(d) for d in data if d != "[DONE]") if isinstance(c, dict)]
    if len(chunks) != len([d for d in data if d != "[DONE]"]):
        framing.append("an event's data is not a JSON object")
    shape = sorted({line for chunk in chunks for line in shape_of(chunk)})
    if chunks:
        first = (chunks[0].get("choices") or [{}])[0].get("delta", {})
        framing.append("role in the first delta" if "role" in first else "no role in the first delta")
        last = chunks[-1]
        choice_usage = (last.get("choices") or [{}])[0].get("usage") if last.get("choices") else None
        where = "in the last chunk's choice" if choice_usage else \
            "at the last chunk's top level" if last.get("usage") else "nowhere"
        framing.append(f"usage {where}")
        framing += usage_facts(choice_usage or last.get("usage"))
    return shape, framing


def recording_side(directory: Path) -> dict[str, Any]:
    """The recording as a result document (what the upstream answered)."""
    steps = {e.name: observe(operation_of(e.request), e.reply.status, list(e.reply.headers),
                             _wire_body(e)) for e in load_reply_files(directory).exchanges}
    return _result("recording", str(directory), steps)


def _wire_body(exchange: Exchange) -> bytes:
    reply = exchange.reply
    if reply.events is None:
        return reply.body
    return b"".join(event for _, event in reply.events) + reply.rest


def _result(profile: str, target: str, steps: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"version": 1, "steps": steps,
                              "run": {"profile": profile, "target": target, "started": "-",
                                      "seed": 0, "errors": [], "notes": []}}
    result["operations"] = operations_from_steps(result)
    result["totals"] = {"requests": len(steps), "requests_with_problems": 0, "problems": 0}
    return result
