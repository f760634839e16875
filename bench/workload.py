"""The requests every benchmark sends: one chat workload, shared by the fake and its baselines."""

from __future__ import annotations

from typing import Any

import orjson

API_KEY = "sk-bench-0123456789"
CHAT_PATH = "/v1/chat/completions"
KIMI_SYSTEM = (
    "你是 Kimi，由 Moonshot AI 提供的人工智能助手，你更擅长中文和英文的对话。你会为用户提供安全，"
    "有帮助，准确的回答。同时，你会拒绝一切涉及恐怖主义，种族歧视，黄色暴力等问题的回答。"
)


VARY_MARK = "@@N@@"


def chat_body(stream: bool = False, max_tokens: int | None = None,
              tag: str = "") -> dict[str, Any]:
    """The workload; a `tag` makes the user message (and so the reply) differ per request."""
    body: dict[str, Any] = {
        "model": "moonshot-v1-8k",
        "messages": [
            {"role": "system", "content": KIMI_SYSTEM},
            {"role": "user", "content": f"Hello, my name is Li Lei. What is 1+1?{tag}"},
        ],
        "temperature": 0.3,
    }
    if stream:
        body["stream"] = True
    if max_tokens is not None:
        body["max_tokens"] = max_tokens
    return body


def chat_bytes(stream: bool = False, max_tokens: int | None = None, tag: str = "") -> bytes:
    return orjson.dumps(chat_body(stream, max_tokens, tag))


def raw_request(host: str, port: int, body: bytes, path: str = CHAT_PATH) -> bytes:
    """One HTTP/1.1 keep-alive POST, as bytes on the wire."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {API_KEY}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def asgi_post(app: Any, body: bytes, path: str = CHAT_PATH) -> int:
    """One POST straight through an ASGI app, no socket: the answer's status."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 50000),
             "server": ("127.0.0.1", 8000),
             "headers": [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {API_KEY}".encode()),
                         (b"content-type", b"application/json"),
                         (b"content-length", b"%d" % len(body))]}
    status = 0
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def wrk_script(body: bytes, start: int = 0) -> str:
    """A wrk Lua script: POST the body, print a JSON summary when done.

    A body holding `VARY_MARK` is sent with the mark replaced by a request counter counting
    from `start`, so that every request differs (no answer can be remembered); a distinct
    `start` per run keeps the measured run from repeating its warm-up's bodies.
    """
    head, mark, tail = body.partition(VARY_MARK.encode())
    varying = (
        f"local head, tail, counter = {_lua_string(head)}, {_lua_string(tail)}, {start}\n"
        "request = function()\n  counter = counter + 1\n"
        '  return wrk.format(nil, nil, nil, head .. " #" .. counter .. tail)\nend\n'
    ) if mark else ""
    return (
        'wrk.method = "POST"\n'
        f"wrk.body = {_lua_string(body)}\n" + varying +
        f'wrk.headers["Authorization"] = "Bearer {API_KEY}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        "done = function(summary, latency, requests)\n"
        '  io.write(string.format("WRKJSON {\\"requests\\":%d,\\"duration_us\\":%d,'
        '\\"errors\\":%d,\\"non2xx\\":%d,\\"p50_us\\":%d,\\"p99_us\\":%d,\\"mean_us\\":%f}\\n",\n'
        "    summary.requests, summary.duration,\n"
        "    summary.errors.connect + summary.errors.read + summary.errors.write"
        " + summary.errors.timeout,\n"
        "    summary.errors.status, latency:percentile(50), latency:percentile(99),"
        " latency.mean))\n"
        "end\n"
    )


def _lua_string(data: bytes) -> str:
    return '"' + "".join(f"\\{b:03d}" if b > 126 or b < 32 or b in (34, 92) else chr(b)
                         for b in data) + '"'
