"""Record and replay over HTTP: a recorded answer sent as recorded, and the upstream a request
no recorded exchange answers is forwarded to.

`Replayed` sends a recorded exchange's answer once the engine chose it (`engine.replies`):
status, headers and body as recorded, a stream's events paced as recorded (divided by
`replay_speed`, on the app's clock; 0 sends them at once), with the request's stream faults
applied in the door's framing. With an `upstream` set, `Front` forwards an API request (`/v1`,
and the Messages door's `/anthropic/v1`) that no recorded exchange answers to it (recorded with
`record_dir`) before the fake takes it: a recording proxy relays what the upstream says, so it
neither authenticates nor checks; the body it reads is bounded like the fake's own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from mock_server.engine.entries import fill_entry
from mock_server.engine.stream import faulted_events
from mock_server.errors import MoonshotError
from mock_server.faults.stream import is_done
from mock_server.http.bounds import body_too_large
from mock_server.http.connection import cut_stream
from mock_server.http.proxy import Upstream
from mock_server.recording.normalise import normalise_request, request_key
from mock_server.recording.store import Recorder

if TYPE_CHECKING:
    from starlette.types import Message, Receive, Scope, Send

    from mock_server.clock import Clock
    from mock_server.engine.call import Call
    from mock_server.journal import Entry
    from mock_server.recording.document import RecordedReply
    from mock_server.services import Services

END = {"type": "http.response.body", "body": b"", "more_body": False}


class Replayed:
    """The ASGI answer of a recorded exchange (see the module's docstring)."""

    def __init__(self, reply: RecordedReply, call: Call, services: Services,
                 is_final: Callable[[bytes], bool] = is_done) -> None:
        self.reply, self.call, self.services, self.is_final = reply, call, services, is_final

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reply, services = self.reply, self.services
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers]
        if reply.events is None:
            headers.append((b"content-length", b"%d" % len(reply.body)))
            await send({"type": "http.response.start", "status": reply.status, "headers": headers})
            await send({"type": "http.response.body", "body": reply.body, "more_body": False})
            return
        timed = recorded_events(reply, services.clock, services.settings.replay_speed)
        events = faulted_events(self.call, timed, self.is_final, services, lambda: cut_stream(scope))
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        async for event in events:
            await send({"type": "http.response.body", "body": event, "more_body": True})
        if reply.rest:
            await send({"type": "http.response.body", "body": reply.rest, "more_body": True})
        if reply.cut:
            await cut_stream(scope)
            return
        await send(END)


async def recorded_events(reply: RecordedReply, clock: Clock, speed: float) -> AsyncIterator[bytes]:
    """A recorded stream's events at their recorded times (over `speed`)."""
    started = clock.now()
    for at, event in reply.events or ():
        if speed > 0 and (wait := at / speed - (clock.now() - started)) > 0:
            await clock.sleep(wait)
        yield event


class Front:
    """The `upstream` a request no recorded exchange answers goes to (see the module's docstring)."""

    def __init__(self, services: Services, upstream: Upstream) -> None:
        self.services = services
        self.upstream = upstream

    async def close(self) -> None:
        await self.upstream.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send,
                       entry: Entry | None, request_id: str) -> Receive | None:
        """Forward the request (returns None), or return the `receive` the fake reads it from."""
        settings = self.services.settings
        body = await read_all(receive, max(settings.request_max_bytes, settings.file_max_bytes + 2**20))
        content_type = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"content-type"), "")
        request = normalise_request(scope["method"], scope["path"], scope["query_string"].decode("latin-1"),
                                    content_type, body)
        if self.services.replies.recorded.has(request_key(request)):
            return replayed_body(body, receive)  # the engine answers it as recorded
        status = await self.upstream.forward(scope, body, request, send)
        if entry is not None:
            fill_entry(entry, None, status, request_id)
        return None


def build_front(services: Services) -> Front | None:
    settings = services.settings
    if not settings.upstream:
        return None
    recorder = None if settings.record_dir is None else Recorder(settings.record_dir)
    return Front(services, Upstream(settings.upstream, recorder))


async def read_all(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise MoonshotError("client_closed_request", "the client closed the request")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise body_too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replayed_body(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives `body` once, then what the connection says (its disconnect)."""
    given = False

    async def again() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again
