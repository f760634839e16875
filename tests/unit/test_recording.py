"""The pure parts of record and replay: normalisation, the reply-file format, matching, SSE split."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from mock_server.config import ConfigError, load_settings
from mock_server.data.yaml_load import load_yaml
from mock_server.recording.document import (
    Exchange,
    RecordedReply,
    RecordingError,
    dumps,
    from_document,
    to_document,
)
from mock_server.recording.events import EventSplitter
from mock_server.recording.matching import first_difference, unmatched_message
from mock_server.recording.normalise import normalise_request, request_key
from mock_server.recording.store import Recorder
from mock_server.replies.recorded import RecordedStubs
from mock_server.reply_files import load_reply_files

JSON = "application/json"
CHAT = "/v1/chat/completions"


def chat(content: str, **extra: object) -> dict:
    body = {"model": "kimi-k2", "messages": [{"role": "user", "content": content}], **extra}
    return normalise_request("POST", CHAT, "", JSON, orjson.dumps(body))


def multipart(boundary: str, content: bytes) -> tuple[str, bytes]:
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfile-extract\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", body


def test_volatile_fields_do_not_change_the_match() -> None:
    assert chat("hi", user="run-1", metadata={"a": 1}) == chat("hi", user="run-2") == chat("hi")
    assert chat("hi", temperature=0.3) != chat("hi")


def test_query_parameters_are_sorted_and_keys_redacted() -> None:
    a = normalise_request("GET", "/v1/files", "limit=2&after=x", "", b"")
    assert a == {"method": "GET", "path": "/v1/files", "query": "after=x&limit=2"}
    leaked = chat("my key is sk-abcdefghijklmnop1234")
    assert "sk-abcdefghijklmnop1234" not in orjson.dumps(leaked).decode()


def test_uploads_match_by_content_whatever_the_boundary() -> None:
    one, two = multipart("aaaa", b"hello"), multipart("bbbbbbbb", b"hello")
    first = normalise_request("POST", "/v1/files", "", *one)
    assert first == normalise_request("POST", "/v1/files", "", *two)
    assert first["form"]["purpose"] == "file-extract"
    assert first["form"]["file"]["size"] == 5 and first["form"]["file"]["filename"] == "a.txt"
    assert first != normalise_request("POST", "/v1/files", "", *multipart("aaaa", b"other"))


def test_other_bodies_match_by_digest() -> None:
    assert "body_sha256" in normalise_request("POST", CHAT, "", JSON, b"{not json")


def roundtrip(reply: RecordedReply) -> RecordedReply:
    text = dumps(Exchange(chat("x"), reply, "n"))
    return from_document(load_yaml(text), "n").reply


def test_json_bodies_are_kept_as_json_and_replay_byte_for_byte() -> None:
    body = orjson.dumps({"id": "chatcmpl-1", "usage": {"prompt_tokens": 1, "completion_tokens": 2,
                                                       "total_tokens": 3}, "text": "月"})
    reply = RecordedReply(200, (("content-type", JSON),), body)
    document = to_document(Exchange(chat("x"), reply))
    assert document["reply"]["body"]["id"] == "chatcmpl-1"
    assert document["reply"]["usage"]["total_tokens"] == 3
    assert roundtrip(reply) == reply


def test_a_body_that_would_not_reencode_the_same_is_kept_as_text() -> None:
    reply = RecordedReply(200, (("content-type", JSON),), b'{"a": 1}')
    assert to_document(Exchange(chat("x"), reply))["reply"]["body_text"] == '{"a": 1}'
    assert roundtrip(reply).body == b'{"a": 1}'


def test_stream_events_keep_their_bytes_and_times() -> None:
    events = ((0.0, b'data: {"choices":[{"usage":{"total_tokens":3}}]}\n\n'),
              (0.05, b": ping\n\n"), (0.1, b"data: [DONE]\n\n"))
    reply = RecordedReply(200, (("content-type", "text/event-stream"),), events=events)
    text = dumps(Exchange(chat("x"), reply))
    assert '      {"at": 0.0, "data": {"choices": [{"usage": {"total_tokens": 3}}]}}' in text
    assert '{"at": 0.05, "raw": ": ping\\n\\n"}' in text and '"data": "[DONE]"' in text
    assert roundtrip(reply) == reply


def test_a_reply_file_without_match_or_status_is_named() -> None:
    with pytest.raises(RecordingError, match="f1: a reply file needs"):
        from_document({"reply": {}}, "f1")
    with pytest.raises(RecordingError, match="f2: reply needs a numeric `status`"):
        from_document({"match": {}, "reply": {"headers": {}}}, "f2")


def test_the_splitter_finds_events_across_chunks() -> None:
    splitter = EventSplitter()
    assert splitter.feed(b"data: 1\n") == []
    assert splitter.feed(b"\ndata: 2\n\ndata: 3\n\nda") == [b"data: 1\n\n", b"data: 2\n\n",
                                                           b"data: 3\n\n"]
    assert splitter.rest == b"da"


def exchange(request: dict, body: bytes, name: str) -> Exchange:
    return Exchange(request, RecordedReply(200, (), body), name)


def stubs(*exchanges: Exchange) -> RecordedStubs[Exchange]:
    return RecordedStubs((request_key(e.request), e) for e in exchanges)


def test_identical_requests_replay_in_recorded_order_the_last_repeating() -> None:
    recording = stubs(exchange(chat("a"), b"1", "one"), exchange(chat("a"), b"2", "two"),
                      exchange(chat("b"), b"3", "three"))
    assert [recording.take(request_key(chat("a"))).reply.body for _ in range(3)] == [b"1", b"2", b"2"]
    assert recording.take(request_key(chat("c"))) is None


def test_the_closest_request_and_where_it_differs_are_named() -> None:
    recording = stubs(exchange(chat("hello there"), b"", "0001-chat"),
                      exchange(normalise_request("GET", "/v1/models", "", "", b""), b"", "0002-models"))
    closest = recording.closest(chat("hello the"), request_key(chat("hello the")))
    assert closest is not None and closest.name == "0001-chat"
    message = unmatched_message(chat("hello the"), closest, "rec/")
    assert message == ("No recorded reply matches POST /v1/chat/completions (strict replay of rec/); "
                       "the closest recorded request is 0001-chat (POST /v1/chat/completions), which "
                       "differs at body.messages[0].content: recorded 'hello there', sent 'hello the'")
    assert first_difference({"a": [1]}, {"a": [1, 2]}) == "a: 1 items recorded, 2 sent"
    assert first_difference({"a": 1}, {"b": 1}) == "a: only in the recording"
    assert "the recording is empty" in unmatched_message(chat("x"), None, "rec/")


def test_the_recorder_numbers_files_and_continues_a_directory(tmp_path: Path) -> None:
    first = Recorder(tmp_path).write(exchange(chat("a"), b"{}", ""))
    assert first.name == "0001-post-v1-chat-completions.json"
    second = Recorder(tmp_path).write(exchange(normalise_request("GET", "/v1/files/f-1", "", "", b""),
                                                b"{}", ""))
    assert second.name == "0002-get-v1-files-f-1.json"
    assert [e.name for e in load_reply_files(tmp_path).exchanges] == [first.stem, second.stem]


def test_settings_for_record_and_replay_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="record_dir needs upstream"):
        load_settings({"record_dir": str(tmp_path)}, env={})
    with pytest.raises(ConfigError, match="--upstream must be an http"):
        load_settings({"upstream": "api.moonshot.ai"}, env={})
    with pytest.raises(ConfigError, match="--replay-speed must be 0"):
        load_settings({"replay_speed": -1}, env={})
    settings = load_settings({"reply_files_dir": str(tmp_path), "replay_strict": True}, env={})
    assert settings.reply_files_dir == tmp_path and settings.replay_strict
