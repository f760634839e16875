"""Record and replay at the edge: `/v1` requests answered from a recording, forwarded to an
upstream, or left to the fake.

With `replies_dir` set, a request matching a recorded exchange gets the recorded answer: status,
headers and body as recorded, a stream's events paced as recorded (divided by `replay_speed`,
on the app's clock; 0 sends them at once). A request matching none goes to the `passthrough`
upstream when there is one (recorded with `record_dir`), else is a 404 naming the closest
recorded request under `replay_strict`, else is answered by the fake as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.engine.entries import fill_entry
from mock_server.errors import MoonshotError
from mock_server.http.connection import cut_stream
from mock_server.http.proxy import Upstream
from mock_server.recording.matching import unmatched_message
from mock_server.recording.normalise import normalise_request
from mock_server.recording.store import Recorder

if TYPE_CHECKING:
    from starlette.types import Message, Receive, Scope, Send

    from mock_server.clock import Clock
    from mock_server.journal import Entry
    from mock_server.recording.document import RecordedReply
    from mock_server.services import Services

END = {"type": "http.response.body", "body": b"", "more_body": False}


class Front:
    """What answers a `/v1` request when recording or replaying (see the module's docstring)."""

    def __init__(self, services: Services, upstream: Upstream | None) -> None:
        self.services = services
        self.upstream = upstream

    async def close(self) -> None:
        if self.upstream is not None:
            await self.upstream.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send, send_raw: Send,
                       entry: Entry | None, request_id: str) -> Receive | None:
        """Answer the request (returns None), or return the `receive` the fake reads it from."""
        body = await read_all(receive)
        content_type = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"content-type"), "")
        request = normalise_request(scope["method"], scope["path"], scope["query_string"].decode("latin-1"),
                                    content_type, body)
        services = self.services
        recording = services.recording
        exchange = None if recording is None else recording.take(request)
        if exchange is not None:
            await send_recorded(scope, exchange.reply, send, services.clock, services.settings.replay_speed)
            return None
        if self.upstream is not None:
            status = await self.upstream.forward(scope, body, request, send_raw)
            if entry is not None:
                fill_entry(entry, None, status, request_id)
            return None
        if recording is not None and services.settings.replay_strict:
            where = str(services.settings.replies_dir)
            raise MoonshotError("resource_not_found_error",
                                unmatched_message(request, recording.closest(request), where))
        return replayed_body(body, receive)


def build_front(services: Services) -> Front | None:
    settings = services.settings
    if settings.replies_dir is None and not settings.passthrough:
        return None
    recorder = None if settings.record_dir is None else Recorder(settings.record_dir)
    upstream = Upstream(settings.passthrough, recorder) if settings.passthrough else None
    return Front(services, upstream)


async def read_all(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise MoonshotError("client_closed_request", "the client closed the request")
        chunks.append(message.get("body", b""))
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


async def send_recorded(scope: Scope, reply: RecordedReply, send: Send, clock: Clock,
                        speed: float) -> None:
    """The recorded answer; a stream's events at their recorded times (over `speed`)."""
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers]
    if reply.events is None:
        headers.append((b"content-length", b"%d" % len(reply.body)))
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": reply.body, "more_body": False})
        return
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    started = clock.now()
    for at, event in reply.events:
        if speed > 0 and (wait := at / speed - (clock.now() - started)) > 0:
            await clock.sleep(wait)
        await send({"type": "http.response.body", "body": event, "more_body": True})
    if reply.rest:
        await send({"type": "http.response.body", "body": reply.rest, "more_body": True})
    if reply.cut:
        await cut_stream(scope)
        return
    await send(END)
