"""Reply choice (DESIGN step 7, first half): the scripted rule that answers instead of the
default model, if one matches the conversation.

The matched rule's id goes on the call (and so into the journal entry). An `error:` reply is a
fault plan in the `X-Mock-Fault` language, put on the call like a fault rule's (its source
`reply:<id>`); `engine.run.infer` acts on it as on any fault: its error raised, a wait, a
hang-up, or stream faults kept for the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.engine.gate import SESSION_HEADER
from mock_server.faults.rules import parse_step

if TYPE_CHECKING:
    from mock_server.engine.call import Call
    from mock_server.engine.request import Inference
    from mock_server.replies.rules import Reply
    from mock_server.services import Services


def choose_reply(call: Call, ask: Inference, services: Services) -> Reply | None:
    """The scripted reply for this conversation, or None when no rule matches."""
    book = services.replies
    if book.idle:
        return None
    answer = book.answer(ask.conversation, call.caller.account.name,
                         call.headers.get(SESSION_HEADER))
    if answer is None:
        return None
    call.reply_rule = answer.rule.id
    text = answer.reply.error
    if text is not None:
        call.fault, call.fault_source = parse_step(text), f"reply:{answer.rule.id}"
    return answer.reply
