"""The chat-completions door, `POST /v1/chat/completions` (operation `createChatCompletion`).

Its wire body is already the engine's conversation vocabulary, so parsing keeps it as it is.
It renders the planned answer as a `chat.completion` object, or as `chat.completion.chunk`
events (`data: <JSON>\\n\\n`, with `stream_options.include_usage` a last chunk with the usage)
ended by `data: [DONE]`; errors in the `{"error": {"message", "type"}}` envelope.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from mock_server.chat.plan import chunk_bodies, completion_body
from mock_server.engine.door import Door
from mock_server.engine.request import Inference
from mock_server.faults.stream import is_done
from mock_server.sse import DONE, encode_event

if TYPE_CHECKING:
    from mock_server.engine.answer import Answer
    from mock_server.engine.call import Call
    from mock_server.errors import MoonshotError
    from mock_server.ids import IdGenerator


def parse(body: Mapping[str, Any], call: Call) -> Inference:
    return Inference("chat", body, bool(body.get("stream")), body)


def answer_id(ids: IdGenerator, created: int) -> str:
    return ids.completion_id(created)


def render(answer: Answer) -> Mapping[str, Any]:
    return completion_body(answer.plan, answer.usage)


def events(answer: Answer) -> Iterator[bytes]:
    options = answer.inference.wire.get("stream_options") or {}
    for chunk in chunk_bodies(answer.plan, bool(options.get("include_usage"))):
        yield encode_event(chunk)
    yield DONE


def envelope(error: MoonshotError, request_id: str) -> bytes:
    return error.body()


DOOR = Door("chat", "createChatCompletion", parse, answer_id, render, events, is_done, envelope)
