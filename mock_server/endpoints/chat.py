from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from starlette.responses import Response

from mock_server.chat import ChatPlan, Replies, chunk_bodies, completion_body, plan_chat
from mock_server.chat_rules import check_media_files
from mock_server.clock import Clock
from mock_server.errors import json_response
from mock_server.fault_edge import stream_with_faults
from mock_server.pipeline import Call
from mock_server.recording import note_usage
from mock_server.services import Services
from mock_server.sse import DONE, encode_event

Settle = Callable[[], Awaitable[object]]


async def create_chat_completion(call: Call, services: Services) -> Response:
    body = call.body
    ticket = call.ticket  # chat is always admitted: admission ran the semantic checks
    assert ticket is not None, "createChatCompletion is an admitted operation"
    model, prompt_tokens = ticket.model, ticket.prompt_tokens
    account = call.caller.account.name
    check_media_files(body, lambda file_id: services.files.get(account, file_id).purpose)
    created = int(services.clock.now())
    settings = services.settings
    replies = Replies(settings.seed, settings.reply_tokens, services.ids.completion_id(created),
                      created, services.system_fingerprint)
    plan = plan_chat(body, model, prompt_tokens, replies, call.known)
    usage = plan.usage()
    note_usage(call.request.scope, usage)
    if not body.get("stream"):
        payload = completion_body(plan, usage)
        await services.admission.bill(ticket, call.caller.account, usage)
        return json_response(payload)

    async def bill() -> None:  # once the stream's last event is sent
        await services.admission.bill(ticket, call.caller.account, usage)

    return stream_response(call, plan, services, bill, ticket.release)


def stream_response(call: Call, plan: ChatPlan, services: Services, bill: Settle,
                    release: Settle) -> Response:
    from sse_starlette import EventSourceResponse, ServerSentEvent  # on the first stream

    include_usage = bool((call.body.get("stream_options") or {}).get("include_usage"))
    ping = services.settings.sse_ping_seconds
    pacing = (services.clock, services.settings.stream_event_interval)
    return EventSourceResponse(
        stream_with_faults(call.request, stream_events(plan, include_usage, pacing, bill, release),
                           services),
        ping=ping,
        sep="\n",
        ping_message_factory=(lambda: ServerSentEvent(comment="ping", sep="\n")) if ping else None,
    )


async def stream_events(plan: ChatPlan, include_usage: bool, pacing: tuple[Clock, float],
                        on_done: Settle, on_exit: Settle) -> AsyncIterator[bytes]:
    """The events; billed once `[DONE]` has been sent, the slot freed however it ends."""
    clock, interval = pacing
    try:
        for chunk in chunk_bodies(plan, include_usage):
            if interval:
                await clock.sleep(interval)
            yield encode_event(chunk)
        yield DONE
        await on_done()
    finally:
        await on_exit()
