"""The recorded requests sent again, to the fake in-process: the other side of a drift report.

Requests are rebuilt from their normalised documents: JSON bodies as recorded, uploads with
the recorded file name, media type and size (the content is not recorded: placeholder bytes),
other bodies — recorded by digest only — are skipped and noted. Ids the recording's answers
gave (`id` of a file, a batch ...) are replaced in later paths and bodies by the ids the fake
gave for the same answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from mock_server.recording.document import Exchange
from mock_server.reply_files import load_reply_files

from .recorded import _result, observe, operation_of

KEY = "sk-drift-from-recording"


def fake_side(directory: Path, seed: int = 0) -> dict[str, Any]:
    """The fake's answers to the recording's requests, as a result document."""
    from starlette.testclient import TestClient

    from mock_server.app import create_app
    from mock_server.config import Settings

    steps: dict[str, Any] = {}
    notes: list[str] = []
    ids: dict[str, str] = {}
    app = create_app(Settings(seed=seed, clock="virtual"))
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"Bearer {KEY}"
        for exchange in load_reply_files(directory).exchanges:
            request = _mapped(exchange.request, ids)
            if "body_sha256" in request:
                notes.append(f"{exchange.name}: body recorded by digest only; not sent")
                continue
            answer = client.request(request["method"], request["path"], **_content(request),
                                    params=request.get("query") or None)
            steps[exchange.name] = observe(operation_of(exchange.request), answer.status_code,
                                           [(k.lower(), v) for k, v in answer.headers.items()],
                                           answer.content)
            _learn_ids(exchange, answer.content, ids)
    result = _result("fake", f"the fake in-process (seed {seed})", steps)
    result["run"]["notes"] = notes
    return result


def _mapped(request: Any, ids: dict[str, str]) -> dict[str, Any]:
    text = orjson.dumps(request).decode()
    for recorded, fake in ids.items():
        text = text.replace(recorded, fake)
    return orjson.loads(text)


def _content(request: dict[str, Any]) -> dict[str, Any]:
    if "body" in request:
        return {"content": orjson.dumps(request["body"]),
                "headers": {"Content-Type": "application/json"}}
    form = request.get("form")
    if not form:
        return {}
    files = {name: (f["filename"], b"x" * int(f["size"]), f["content_type"] or "text/plain")
             for name, f in form.items() if isinstance(f, dict)}
    data = {name: value for name, value in form.items() if not isinstance(value, dict)}
    return {"files": files, "data": data}


def _learn_ids(exchange: Exchange, fake_body: bytes, ids: dict[str, str]) -> None:
    try:
        recorded, fake = orjson.loads(exchange.reply.body), orjson.loads(fake_body)
    except orjson.JSONDecodeError:
        return
    if not (isinstance(recorded, dict) and isinstance(fake, dict)):
        return
    old, new = recorded.get("id"), fake.get("id")
    if isinstance(old, str) and isinstance(new, str) and old != new:
        ids[old] = new
