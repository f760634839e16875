"""`POST /v1/chat/completions`: the semantic checks (step 5) and the answer (step 7)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING

from mock_server.accounts.admission import Demand
from mock_server.chat.plan import (
    Body,
    ChatPlan,
    ChoicePlan,
    Replies,
    chunk_bodies,
    completion_body,
    plan_chat,
    plan_choices,
    reusable_choices,
)
from mock_server.chat.rules import check_chat_request, check_media_files, max_output_tokens
from mock_server.clock import Clock
from mock_server.data.catalogue import Model
from mock_server.endpoints.cache_use import CacheHit, apply_cache
from mock_server.endpoints.scripted import planned_reply, scripted_answer, scripted_fault
from mock_server.http.call import Call
from mock_server.http.known import KnownBody
from mock_server.http.responses import json_response
from mock_server.http.streaming import event_stream_response
from mock_server.replies.rules import Reply
from mock_server.sse import DONE, encode_event

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.services import Services

Settle = Callable[[], Awaitable[object]]


def check_chat(call: Call, services: Services) -> Demand:
    known = call.known
    if services.settings.explicit_caching:
        call.body, call.cache_hit = apply_cache(call, services)
        known = None if call.cache_hit is not None else known  # the cache decides the prompt
    return chat_demand(call.body, call.caller.account.name, services, known)


def chat_demand(body: Body, account: str, services: Services,
                known: KnownBody | None = None) -> Demand:
    """The real API's semantic rules for the body; their result is kept on the body's record,
    so a repeated body is checked once (a failing body is checked, and answered, every time).
    Shared by the HTTP handler and the batch runner."""
    catalogue = services.api()
    if known is not None and known.checked is not None and known.checked[0] is catalogue:
        model, prompt_tokens = known.checked[1], known.checked[2]
    else:
        model, prompt_tokens = check_chat_request(body, catalogue, services.tokens)
        if known is not None:
            known.checked = (catalogue, model, prompt_tokens)
    check_media_files(body, lambda file_id: services.files.get(account, file_id).purpose)
    return Demand(model, prompt_tokens, max_output_tokens(body, model), catalogue.texts)


def choices_for(body: Body, model: Model, replies: Replies,
                known: KnownBody | None) -> tuple[ChoicePlan, ...]:
    """The planned choices, reused from the body's record when they were planned before."""
    depends_on = (replies.seed, replies.reply_tokens, model)
    if known is not None and known.choices is not None and known.choices[0] == depends_on:
        return known.choices[1]
    choices = plan_choices(body, model, replies)
    if known is not None and reusable_choices(body):
        known.choices = (depends_on, choices)
    return choices


def chat_answer(body: Body, demand: Demand, account: str, services: Services,
                known: KnownBody | None = None, explicit: CacheHit | None = None,
                reply: Reply | None = None) -> ChatPlan:
    """The planned answer of a checked body, with its context-cache hit (the explicit cache's
    tokens when one was named, else the automatic cache's); shared by the HTTP handler and the
    batch runner. `reply`: a scripted reply that answers instead of the model."""
    created = int(services.clock.now())
    settings = services.settings
    replies = Replies(settings.seed, settings.reply_tokens, services.ids.completion_id(created),
                      created, services.system_fingerprint)
    cached = 0
    if explicit is not None:
        cached = explicit.tokens
    elif settings.context_caching:
        cached = services.context_cache.cached_tokens(account, demand.model.id, body,
                                                      demand.prompt_tokens)
    if reply is None:
        return plan_chat(body, demand.model, demand.prompt_tokens, replies,
                         choices_for(body, demand.model, replies, known), cached)
    scripted = None if reply.error is not None else \
        planned_reply(body, demand.model, reply, services)
    plan = plan_chat(body, demand.model, demand.prompt_tokens, replies, scripted, cached)
    return plan._replace(usage_override=reply.usage or None)


async def create_chat_completion(call: Call, services: Services) -> Response:
    body, ticket, demand = call.body, call.ticket, call.demand
    assert ticket is not None and demand is not None, "createChatCompletion is admitted"
    hit = call.cache_hit
    answer = scripted_answer(call, services)
    if answer is not None:
        stopped = await scripted_fault(call, answer, services)
        if stopped is not None:
            return stopped  # the scripted fault's own answer (gateway timeout, dropped connection)
    plan = chat_answer(body, demand, call.caller.account.name, services, call.known, hit,
                       None if answer is None else answer.reply)
    usage = call.usage = plan.usage()
    if not body.get("stream"):
        payload = completion_body(plan, usage)
        await services.admission.bill(ticket, call.caller.account, usage)
        return json_response(payload, headers=hit.headers() if hit else None)

    async def bill() -> None:  # once the stream's last event is sent
        await services.admission.bill(ticket, call.caller.account, usage)

    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    pacing = (services.clock, services.settings.stream_event_interval)
    events = stream_events(plan, include_usage, pacing, bill, ticket.release)
    response = event_stream_response(call, events, services)
    if hit is not None:
        response.headers.update(hit.headers())
    return response


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
