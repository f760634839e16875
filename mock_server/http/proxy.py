"""Forwarding to an upstream API: the caller's request as it came, the answer back unchanged.

The request goes upstream with the caller's headers (its key included) minus hop-by-hop ones,
asking for an uncompressed answer so that what is relayed and what is recorded are the same
bytes. The answer's status, headers and body chunks are relayed as they arrive — a stream
event by event, with the upstream's timing — and, with a recorder, the exchange is written as
a reply file once it is complete (`mock_server.recording`). Keys are never written: the
request is recorded as its normalised, redacted document and no request header is kept.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from mock_server.errors import MoonshotError
from mock_server.http.connection import cut_stream
from mock_server.http.upstream import TRANSPORT_ERRORS, Answer, UpstreamClient
from mock_server.recording.document import Exchange, RecordedReply, kept_headers
from mock_server.recording.events import EventSplitter

if TYPE_CHECKING:
    from starlette.types import Scope, Send

    from mock_server.recording.store import Recorder

HOP_BY_HOP = frozenset({b"host", b"content-length", b"connection", b"keep-alive", b"accept-encoding",
                        b"transfer-encoding", b"te", b"trailer", b"upgrade", b"proxy-authorization",
                        b"expect"})
# the framing is the serving side's own (it re-frames the body it relays)
DROPPED_ANSWER_HEADERS = frozenset({b"connection", b"keep-alive", b"transfer-encoding", b"date",
                                    b"server"})


class Upstream:
    """Forwarding to one upstream base URL (`https://api.moonshot.ai`)."""

    def __init__(self, base_url: str, recorder: Recorder | None = None, timeout: float = 900.0) -> None:
        self.base_url = base_url.rstrip("/").removesuffix("/v1")
        self.recorder = recorder
        self.client = UpstreamClient(self.base_url, timeout)

    async def close(self) -> None:
        await self.client.close()

    async def forward(self, scope: Scope, body: bytes, request: dict[str, Any], send: Send) -> int:
        """Relay one request and its answer; returns the status. An unreachable upstream is a
        502 `server_error` naming it."""
        headers = [(k, v) for k, v in scope["headers"] if k not in HOP_BY_HOP]
        headers.append((b"accept-encoding", b"identity"))
        query = scope["query_string"].decode("latin-1")
        target = scope["path"] + (f"?{query}" if query else "")
        started = time.perf_counter()
        try:
            answer = await self.client.send(scope["method"], target, headers, body)
        except TRANSPORT_ERRORS as exc:
            raise MoonshotError("server_error", f"the upstream {self.base_url} could not be reached: "
                                f"{type(exc).__name__}: {exc}", status=502) from None
        try:
            reply = await relay(answer, send)
        finally:
            answer.release()
        if self.recorder is not None:
            self.recorder.write(Exchange(request, reply, latency=time.perf_counter() - started))
        if reply.cut:
            await cut_stream(scope)
        return reply.status


async def relay(answer: Answer, send: Send) -> RecordedReply:
    """Send the answer on as it arrives; what was sent, as a recorded reply."""
    relayed = [(k, v) for k, v in answer.headers if k not in DROPPED_ANSWER_HEADERS]
    if answer.chunked:
        relayed = [(k, v) for k, v in relayed if k != b"content-length"]
    content_type = next((v for k, v in relayed if k == b"content-type"), b"")
    await send({"type": "http.response.start", "status": answer.status, "headers": relayed})
    splitter = EventSplitter() if content_type.startswith(b"text/event-stream") else None
    events: list[tuple[float, bytes]] = []
    chunks: list[bytes] = []
    opened = time.perf_counter()
    cut = False
    try:
        async for chunk in answer.chunks():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            if splitter is None:
                chunks.append(chunk)
            else:
                at = time.perf_counter() - opened
                events.extend((at, event) for event in splitter.feed(chunk))
    except TRANSPORT_ERRORS:
        cut = True  # the caller's connection is cut too, once the exchange is recorded
    if not cut:
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in relayed]
    return RecordedReply(answer.status, kept_headers(headers), b"".join(chunks),
                         None if splitter is None else tuple(events),
                         b"" if splitter is None else splitter.rest, cut)
