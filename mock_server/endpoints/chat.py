from __future__ import annotations

from collections.abc import AsyncIterator

from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.responses import Response

from mock_server.chat import ChatPlan, Replies, chunk_bodies, completion_body, plan_chat
from mock_server.chat_rules import check_chat_request
from mock_server.errors import json_response
from mock_server.pipeline import Call
from mock_server.services import Services
from mock_server.sse import DONE, encode_event


async def create_chat_completion(call: Call, services: Services) -> Response:
    body = call.body
    account = call.caller.account.name
    model, prompt_tokens = check_chat_request(
        body, services.catalogue, lambda file_id: services.files.get(account, file_id).purpose)
    created = int(services.clock.now())
    replies = Replies(
        seed=services.settings.seed,
        reply_tokens=services.settings.reply_tokens,
        id=services.ids.completion_id(created),
        created=created,
        system_fingerprint=services.system_fingerprint,
    )
    plan = plan_chat(body, model, prompt_tokens, replies)
    if not body.get("stream"):
        return json_response(completion_body(plan))
    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    ping = services.settings.sse_ping_seconds
    return EventSourceResponse(
        stream_events(plan, include_usage),
        ping=ping,
        sep="\n",
        ping_message_factory=(lambda: ServerSentEvent(comment="ping", sep="\n")) if ping else None,
    )


async def stream_events(plan: ChatPlan, include_usage: bool) -> AsyncIterator[bytes]:
    for chunk in chunk_bodies(plan, include_usage):
        yield encode_event(chunk)
    yield DONE
