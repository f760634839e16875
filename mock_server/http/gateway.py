"""What the real gateway adds to every answer: its headers, and gzip for large JSON bodies.

Headers (reference §1.1, the captures of 2024-06, 2024-07 and 2026-03): `Server`, `Vary:
Origin`, `Msh-Trace-Mode: on`, `Strict-Transport-Security`, and for an authenticated caller
`Msh-Uid` (the account's user xid) and `Msh-Gid` (its tier group, `enterprise-tier-N`). The
2026 gateway sits behind Cloudflare: `Server: cloudflare`, a year of HSTS and an
`X-Msh-Trace-Id` (32 hex) per request; before the day of that capture, `Server: nginx`.

gzip: the 2024 capture of a 200 is `Content-Encoding: gzip` with `Vary: Accept-Encoding`; the
84-byte 401 is not compressed. A complete JSON body of at least `gzip_min_bytes` (a choice: the
real threshold is unknown) is compressed when the request's `Accept-Encoding` names gzip.
Streams and file downloads go as they are.
"""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING

from mock_server.clock import epoch_day

if TYPE_CHECKING:
    from starlette.types import Message, Scope, Send

    from mock_server.engine.call import Call
    from mock_server.services import Services

Header = tuple[bytes, bytes]
CLOUDFLARE_FROM = epoch_day("2026-03-17")  # the first capture answered by Cloudflare
_NGINX: tuple[Header, ...] = (
    (b"server", b"nginx"), (b"vary", b"Origin"), (b"msh-trace-mode", b"on"),
    (b"strict-transport-security", b"max-age=15724800; includeSubDomains"))
_CLOUDFLARE: tuple[Header, ...] = (
    (b"server", b"cloudflare"), (b"vary", b"Origin"), (b"msh-trace-mode", b"on"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"))


def gateway_headers(services: Services, call: Call | None, day: int) -> list[Header]:
    """The gateway's headers of one answer on `day`."""
    cloudflare = day >= CLOUDFLARE_FROM
    headers = list(_CLOUDFLARE if cloudflare else _NGINX)
    if cloudflare:
        headers.append((b"x-msh-trace-id", services.ids.hex(32).encode()))
    who = None if call is None else call.who
    if who is not None:
        headers.append((b"msh-gid", who.account.gid.encode()))
        headers.append((b"msh-uid", who.account.uid.encode()))
    return headers


def accepts_gzip(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            return b"gzip" in value.lower()
    return False


class GzipSend:
    """`send` that holds the response start until the first body message: a whole JSON body
    of at least `min_bytes` goes compressed, anything else unchanged."""

    def __init__(self, send: Send, min_bytes: int) -> None:
        self.send = send
        self.min_bytes = min_bytes
        self.start: Message | None = None

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start" and _compressible(start := message,
                                                                       self.min_bytes):
            self.start = start  # held until its body is known
            return
        start, self.start = self.start, None
        if start is not None and message["type"] == "http.response.body":
            body = message.get("body", b"")
            if not message.get("more_body") and len(body) >= self.min_bytes:
                body = gzip.compress(body, compresslevel=1, mtime=0)
                start["headers"] = [
                    *((k, v) for k, v in start["headers"] if k != b"content-length"),
                    (b"content-length", b"%d" % len(body)), (b"content-encoding", b"gzip"),
                    (b"vary", b"Accept-Encoding")]
                message = {**message, "body": body}
        if start is not None:
            await self.send(start)
        await self.send(message)


def _compressible(start: Message, min_bytes: int) -> bool:
    """A JSON answer of a known length of at least `min_bytes`, not encoded yet (a stream,
    with no length, starts at once)."""
    headers = dict(start.get("headers", ()))
    return (headers.get(b"content-type", b"").startswith(b"application/json")
            and int(headers.get(b"content-length", b"0")) >= min_bytes
            and b"content-encoding" not in headers)
