"""Deliberately broken fakes: an ASGI wrapper that rewrites one thing in the fake's answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Rewrite = Callable[[int, bytes], bytes]


class RewriteBody:
    """Buffer answers to `method path-prefix` and pass their body through `rewrite`."""

    def __init__(self, app: ASGIApp, method: str, path_prefix: str, rewrite: Rewrite) -> None:
        self.app, self.method, self.prefix, self.rewrite = app, method, path_prefix, rewrite

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != self.method \
                or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    body = self.rewrite(start["status"], b"".join(chunks))
                    headers = [(k, v) for k, v in start.get("headers", ())
                               if k.lower() != b"content-length"]
                    headers.append((b"content-length", str(len(body)).encode()))
                    await send({**start, "headers": headers})
                    await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


def json_edit(edit: Callable[[Any], None]) -> Rewrite:
    """Rewrite a 200 JSON body in place with `edit`."""

    def rewrite(status: int, body: bytes) -> bytes:
        if status != 200 or not body.startswith(b"{"):
            return body
        payload = json.loads(body)
        edit(payload)
        return json.dumps(payload).encode()

    return rewrite


class ForgetfulDelete:
    """Answers DELETE /v1/files/{id} with a receipt but never deletes (a use-after-free bug)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        authorized = any(k == b"authorization" and v.startswith(b"Bearer sk-")
                         for k, v in scope.get("headers", ()))
        if scope["type"] == "http" and scope["method"] == "DELETE" and authorized \
                and path.startswith("/v1/files/"):
            file_id = path.rsplit("/", 1)[1]
            body = json.dumps({"id": file_id, "object": "file", "deleted": True}).encode()
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
