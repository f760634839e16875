"""Scripted replies at the chat endpoint: the rule that answers a request, its reply as planned
choices, and an `error:` reply acted on through the fault machinery.

The matched rule's id goes on the call (and so into the journal entry); an `error:` reply is a
fault plan of the `X-Mock-Fault` DSL, acted on like a fault rule's (its source `reply:<id>`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.chat.plan import Body, ChoicePlan
from mock_server.chat.scripted import Scripted, ScriptedCall, scripted_choices
from mock_server.data.catalogue import Model
from mock_server.faults.rules import parse_step
from mock_server.http.call import Call
from mock_server.http.fault_edge import SESSION_HEADER, before_body
from mock_server.replies.book import Answer
from mock_server.replies.rules import Reply

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.services import Services


def scripted_answer(call: Call, services: Services) -> Answer | None:
    """The scripted reply for this chat request, or None when no rule matches."""
    book = services.replies
    if book.idle:
        return None
    answer = book.answer(call.body, call.caller.account.name,
                         call.request.headers.get(SESSION_HEADER))
    if answer is not None:
        call.reply_rule = answer.rule.id
    return answer


async def scripted_fault(call: Call, answer: Answer, services: Services) -> Response | None:
    """Act on an `error:` reply: raises its error, or answers a gateway timeout or a dropped
    connection; stream faults and latency stay on the call for the answer that follows."""
    text = answer.reply.error
    if text is None:
        return None
    plan = parse_step(text)
    call.fault, call.fault_source = plan, f"reply:{answer.rule.id}"
    return await before_body(plan, call.caller, str(call.body.get("model", "")), services)


def planned_reply(body: Body, model: Model, reply: Reply,
                  services: Services) -> tuple[ChoicePlan, ...]:
    calls = tuple(ScriptedCall(c.name, c.arguments, c.id) for c in reply.tool_calls)
    scripted = Scripted(reply.content, reply.reasoning_content, calls, reply.finish_reason)
    return scripted_choices(body, model, scripted, services.tokens.text)
