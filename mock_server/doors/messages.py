"""The Anthropic Messages door, `POST /anthropic/v1/messages` (operation `createMessage`).

It parses a Messages request into the engine's conversation (`anthropic.parse`), renders the
planned answer as a Message or as Anthropic-framed events ended by `message_stop`
(`anthropic.render`, `anthropic.events`), and answers errors in the Messages envelope, 401 in
chat's (`anthropic.envelope`). The key comes from `Authorization: Bearer`, or from `x-api-key`
as the anthropic SDKs and Claude Code send it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from mock_server.anthropic.envelope import error_body
from mock_server.anthropic.events import encode_event, message_events
from mock_server.anthropic.parse import chat_request
from mock_server.anthropic.render import message_body
from mock_server.anthropic.signature import SIGNER
from mock_server.data.catalogue import Catalogue, load_catalogue
from mock_server.engine.door import Door
from mock_server.engine.request import Inference

if TYPE_CHECKING:
    from mock_server.engine.answer import Answer
    from mock_server.engine.call import Call
    from mock_server.errors import MoonshotError
    from mock_server.ids import IdGenerator

FINAL = b"event: message_stop\n"


@cache
def families() -> Catalogue:
    """The packaged catalogue, for what a model's family takes (`output_config.effort`)."""
    return load_catalogue()


def parse(body: Mapping[str, Any], call: Call) -> Inference:
    """The conversation, parsed once per body the app remembers (`KnownBody.door`)."""
    known = call.known
    conversation = None if known is None else known.door
    if conversation is None:
        conversation = chat_request(body, families().get(body["model"]), SIGNER.valid)
        if known is not None:
            known.door = conversation
    return Inference("messages", conversation, bool(body.get("stream")), body)


def answer_id(ids: IdGenerator, created: int) -> str:
    return ids.message_id(created)


def render(answer: Answer) -> Mapping[str, Any]:
    return message_body(answer.plan, SIGNER.sign, answer.usage)


def events(answer: Answer) -> Iterator[bytes]:
    for event in message_events(answer.plan, SIGNER.sign, answer.usage):
        yield encode_event(event)


def is_final(event: bytes) -> bool:
    return event.startswith(FINAL)


def envelope(error: MoonshotError, request_id: str) -> bytes:
    return error_body(error, request_id)


def credentials(headers: Mapping[str, str]) -> str | None:
    """The `Authorization` header (the documented one); without it, `x-api-key: <key>` as
    `Bearer <key>`."""
    bearer = headers.get("authorization")
    key = headers.get("x-api-key")
    return f"Bearer {key}" if bearer is None and key is not None else bearer


DOOR = Door("messages", "createMessage", parse, answer_id, render, events, is_final, envelope,
            credentials)
