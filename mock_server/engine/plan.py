"""Planning (DESIGN step 7): the whole answer decided before the first byte.

The default model's planner (`chat/plan.py`) plans the choices from the conversation, the seed
and the reply length, or a scripted reply gives them; the answer's id comes from the door
(`Door.answer_id`), its time from the API clock, its `cached_tokens` from the explicit cache
the request named or else the automatic context cache. Choices planned for a body are kept on
its record and reused when nothing they depend on changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_server.chat.logprobs import Logprobs
from mock_server.chat.plan import ChatPlan, ChoicePlan, Replies, plan_chat, plan_choices, reusable_choices
from mock_server.chat.scripted import Scripted, ScriptedCall, scripted_choices

if TYPE_CHECKING:
    from mock_server.accounts.admission import Demand
    from mock_server.data.catalogue import Model
    from mock_server.engine.call import Call
    from mock_server.engine.door import Door
    from mock_server.engine.known import KnownBody
    from mock_server.replies.rules import Reply
    from mock_server.services import Services

Conversation = Mapping[str, Any]


def plan_answer(call: Call, conversation: Conversation, demand: Demand, reply: Reply | None,
                door: Door, services: Services) -> ChatPlan:
    """The planned answer of a checked conversation (`reply`: a scripted reply that answers
    instead of the model)."""
    created = int(services.clock.now())
    settings = services.settings
    replies = Replies(settings.seed, settings.reply_tokens, door.answer_id(services.ids, created),
                      created, services.system_fingerprint)
    hit = call.cache_hit
    cached = 0
    if hit is not None:
        cached = hit.tokens
    elif settings.automatic_caching:
        cached = services.automatic_cache.cached_tokens(call.caller.account.name, demand.model.id,
                                                      conversation, demand.prompt_tokens)
    asked = logprobs_asked(conversation, services)
    if reply is None:
        plan = plan_chat(conversation, demand.model, demand.prompt_tokens, replies,
                         choices_for(conversation, demand.model, replies, call.known), cached)
        return plan if asked is None else plan._replace(logprobs=asked)
    scripted = None if reply.error is not None else \
        scripted_plan(conversation, demand.model, reply, services)
    plan = plan_chat(conversation, demand.model, demand.prompt_tokens, replies, scripted, cached)
    return plan._replace(usage_override=reply.usage or None, logprobs=asked)


def logprobs_asked(conversation: Conversation, services: Services) -> Logprobs | None:
    """`logprobs: true`: the top alternatives asked for, and the vocabulary's split of the
    content into tokens when there is a vocabulary."""
    if not conversation.get("logprobs"):
        return None
    return Logprobs(int(conversation.get("top_logprobs") or 0), services.tokens.split)


def choices_for(conversation: Conversation, model: Model, replies: Replies,
                known: KnownBody | None) -> tuple[ChoicePlan, ...]:
    """The planned choices, reused from the body's record when they were planned before."""
    depends_on = (replies.seed, replies.reply_tokens, model)
    if known is not None and known.choices is not None and known.choices[0] == depends_on:
        return known.choices[1]
    choices = plan_choices(conversation, model, replies)
    if known is not None and reusable_choices(conversation):
        known.choices = (depends_on, choices)
    return choices


def scripted_plan(conversation: Conversation, model: Model, reply: Reply,
                  services: Services) -> tuple[ChoicePlan, ...]:
    calls = tuple(ScriptedCall(c.name, c.arguments, c.id) for c in reply.tool_calls)
    scripted = Scripted(reply.content, reply.reasoning_content, calls, reply.finish_reason)
    return scripted_choices(conversation, model, scripted, services.tokens.text)
