"""A recorded exchange is one more stub inside the engine: answered after authentication, the
fault plan, the body's bounds and validation, like any answer of the fake.

A recording holds two answers to the same request (answered in recorded order). A bad key gets
401 and `X-Mock-Fault` gets its 429, an oversized or invalid body its 400, before any recording
is consulted: the first good request still gets the first recorded answer. A recorded stream
takes the stream faults in its own framing; the journal names the recording that answered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import AccountConfig, Settings
from mock_server.recording.document import Exchange, RecordedReply
from mock_server.recording.normalise import normalise_request
from mock_server.recording.store import Recorder

CHAT = "/v1/chat/completions"
BODY = {"model": "kimi-k2.6", "messages": [{"role": "user", "content": "Say hello"}]}
STREAM = {**BODY, "stream": True}
JSON = (("content-type", "application/json"),)
SSE = (("content-type", "text/event-stream"),)


def recorded(body: dict[str, Any], reply: RecordedReply) -> Exchange:
    request = normalise_request("POST", CHAT, "", "application/json", orjson.dumps(body))
    return Exchange(request, reply)


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    recorder = Recorder(tmp_path)
    for text in ("first", "second"):
        recorder.write(recorded(BODY, RecordedReply(200, JSON, orjson.dumps({"answer": text}))))
    events = (*((0.0, b'data: {"n":%d}\n\n' % n) for n in range(3)), (0.0, b"data: [DONE]\n\n"))
    recorder.write(recorded(STREAM, RecordedReply(200, SSE, events=events)))
    settings = Settings(reply_files_dir=tmp_path, request_max_bytes=4096, request_log=False,
                        accounts=(AccountConfig(name="acme", keys=("sk-good",)),))
    return TestClient(create_app(settings), raise_server_exceptions=False)


def test_refusals_come_before_any_recording_is_consulted(client: TestClient) -> None:
    good = {"Authorization": "Bearer sk-good"}
    refused = client.post(CHAT, json=BODY, headers={"Authorization": "Bearer sk-bad"})
    assert refused.status_code == 401
    assert refused.json()["error"]["type"] == "invalid_authentication_error"
    faulted = client.post(CHAT, json=BODY, headers={**good, "X-Mock-Fault": "status=429"})
    assert faulted.status_code == 429
    too_big = client.post(CHAT, json={**BODY, "user": "x" * 5000}, headers=good)
    assert too_big.status_code == 400 and "larger than 4096 bytes" in too_big.json()["error"]["message"]
    invalid = client.post(CHAT, json={**BODY, "temperature": "hot"}, headers=good)
    assert invalid.status_code == 400
    answers = [client.post(CHAT, json=BODY, headers=good).json() for _ in range(3)]
    assert answers == [{"answer": "first"}, {"answer": "second"}, {"answer": "second"}]
    journal = client.get("/_mock/journal", params={"path": CHAT}).json()["data"]
    assert [(e["status"], e["reply"]) for e in journal] == [
        (401, None), (429, None), (400, None), (400, None),
        (200, "recording:0001-post-v1-chat-completions"),
        (200, "recording:0002-post-v1-chat-completions"),
        (200, "recording:0002-post-v1-chat-completions")]


def test_a_recorded_stream_takes_the_stream_faults(client: TestClient) -> None:
    headers = {"Authorization": "Bearer sk-good"}
    whole = client.post(CHAT, json=STREAM, headers=headers)
    assert whole.text == 'data: {"n":0}\n\ndata: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n'
    no_done = client.post(CHAT, json=STREAM, headers={**headers, "X-Mock-Fault": "no_done"})
    assert no_done.text == 'data: {"n":0}\n\ndata: {"n":1}\n\ndata: {"n":2}\n\n'
    cut = client.post(CHAT, json=STREAM, headers={**headers, "X-Mock-Fault": "cut_after=1"})
    assert cut.text == 'data: {"n":0}\n\n'
    streams = [e["stream"] for e in client.get("/_mock/journal").json()["data"]]
    assert [(s["events"], s["done"], s["cut"]) for s in streams] == [
        (3, True, False), (3, False, False), (1, False, True)]
