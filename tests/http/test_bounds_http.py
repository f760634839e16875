"""Bounds on a request (headers, JSON size and depth) and on an upload's extraction, over
HTTP: each passed limit is a 400 (or a file with status "error") in the Moonshot envelope."""

from __future__ import annotations

import logging

import pytest

from mock_server.config import Settings
from tests import bombs
from tests.conftest import AUTH, make_client

CHAT = "/v1/chat/completions"
HI = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}]}


def envelope(response: object) -> tuple[int, str, str]:
    body = response.json()["error"]  # type: ignore[attr-defined]
    assert set(body) == {"message", "type"}
    return response.status_code, body["type"], body["message"]  # type: ignore[attr-defined]


def test_too_many_headers(settings: Settings) -> None:
    with make_client(settings, header_max_count=20) as client:
        headers = {f"x-extra-{i}": "1" for i in range(25)}
        assert envelope(client.post(CHAT, json=HI, headers=headers))[:2] == (
            400, "invalid_request_error")
        assert "at most 20 are accepted" in envelope(client.get("/v1/models", headers=headers))[2]
        assert client.post(CHAT, json=HI).status_code == 200


def test_headers_too_large(settings: Settings) -> None:
    with make_client(settings) as client:  # the default: 64 KB of headers
        status, kind, message = envelope(client.get("/v1/models", headers={"x-big": "a" * 70_000}))
        assert (status, kind) == (400, "invalid_request_error")
        assert message.endswith("at most 65536 are accepted")


def test_json_body_too_large(settings: Settings) -> None:
    with make_client(settings, request_max_bytes=1000) as client:
        big = {**HI, "messages": [{"role": "user", "content": "x" * 2000}]}
        assert envelope(client.post(CHAT, json=big)) == (
            400, "invalid_request_error",
            "Invalid request: the request body is larger than 1000 bytes, the most accepted")
        assert client.post(CHAT, json=HI).status_code == 200


def test_json_body_too_large_without_a_length(settings: Settings) -> None:
    """Sent chunked (no Content-Length): counted as it arrives."""
    with make_client(settings, request_max_bytes=1000) as client:
        chunks = iter([b'{"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "',
                       b"x" * 3000, b'"}]}'])
        response = client.post(CHAT, content=chunks, headers={"content-type": "application/json"})
        assert envelope(response)[0] == 400 and "larger than 1000 bytes" in envelope(response)[2]


def test_json_nested_too_deep(settings: Settings) -> None:
    deep: object = "x"
    for _ in range(150):
        deep = [deep]
    body = {**HI, "tools": [{"type": "function", "function": {
        "name": "deep", "parameters": {"type": "object", "default": deep}}}]}
    with make_client(settings) as client:
        assert envelope(client.post(CHAT, json=body)) == (
            400, "invalid_request_error",
            "Invalid request: the request body is nested deeper than 100 levels, the most accepted")


def test_json_nested_past_the_parser_limit(settings: Settings) -> None:
    with make_client(settings) as client:
        raw = b'{"model": "moonshot-v1-8k", "messages": ' + b"[" * 5000 + b"]" * 5000 + b"}"
        response = client.post(CHAT, content=raw, headers={"content-type": "application/json"})
        assert envelope(response)[:2] == (400, "invalid_request_error")


def test_the_zip_bomb_upload_is_a_file_with_status_error(settings: Settings) -> None:
    """The 1 MB DOCX that inflates to 1 GB: answered at once, the limit named."""
    with make_client(settings) as client:
        response = client.post("/v1/files", files={"file": ("bomb.docx", bombs.docx_bomb(1024 * 2**20))},
                               data={"purpose": "file-extract"})
        body = response.json()
        assert response.status_code == 200 and body["status"] == "error"
        assert body["status_details"].endswith(
            "the archive's unzipped size is over the limit of 104857600 (extract_max_unzipped_bytes)")
        content = client.get(f"/v1/files/{body['id']}/content")
        assert envelope(content) == (500, "server_error",
                                     f"Failed to extract file: {body['status_details']}")


def test_each_request_is_one_log_line_without_keys(settings: Settings,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="moonshot_mock.requests")
    with make_client(settings) as client:
        request_id = client.post(CHAT, json=HI).headers["msh-request-id"]
        client.get("/v1/models", headers={"X-Mock-Fault": "error=engine_overloaded"})
        client.get("/v1/files/sk-not-a-file-but-a-key", headers=AUTH)
    lines = [r.getMessage() for r in caplog.records if r.name == "moonshot_mock.requests"]
    assert lines[0].startswith(f"POST {CHAT} 200 ") and lines[0].endswith(f"ms req={request_id}")
    assert lines[1].startswith("GET /v1/models 429 ")
    assert " fault=error=engine_overloaded (header) error=engine_overloaded_error " in lines[1]
    assert lines[2].startswith("GET /v1/files/sk-*** 404 ")
    assert lines[2].endswith(" error=resource_not_found_error "
                             "'Not found the file sk-*** or Permission denied'")
    assert not any("sk-test" in line or "sk-not" in line for line in lines)


def test_a_refused_request_logs_its_error_type_and_a_short_reason(
        settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="moonshot_mock.requests")
    with make_client(settings) as client:
        client.post(CHAT, json={**HI, "temperature": 7})
        client.post(CHAT, json={**HI, "messages": [{"role": "user", "content": "x" * 500}],
                                "model": "no-such-model"})
    lines = [r.getMessage() for r in caplog.records if r.name == "moonshot_mock.requests"]
    assert lines[0].startswith(f"POST {CHAT} 400 ")
    assert " error=invalid_request_error 'Invalid request: " in lines[0]
    assert "temperature" in lines[0]
    assert lines[1].startswith(f"POST {CHAT} 404 ")
    assert " error=resource_not_found_error 'Not found the model no-such-model" in lines[1]
    assert all(len(line) < 300 for line in lines)  # a short reason, never the body


def test_the_request_log_can_be_turned_off(settings: Settings,
                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="moonshot_mock.requests")
    with make_client(settings, request_log=False) as client:
        client.get("/v1/models")
    assert not [r for r in caplog.records if r.name == "moonshot_mock.requests"]
