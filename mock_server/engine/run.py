"""The engine's way for an inference request, once a door has parsed it: every step in order.

`infer` runs the semantic checks, admission, reply choice, the plan, usage, billing of a
non-stream answer and the signature headers, and returns the `Answer` the door renders (or the
`Replay` of a recorded exchange, which the transport sends as recorded); a
stream is billed and settled by `engine.stream.answer_events` as its events leave. Each step
passes or raises — a `MoonshotError` (the door renders it in its envelope) or a `Hangup` (its
transport acts it out) — before the first byte. An admission slot is freed here on a refusal;
on a hang-up it stays on the call for the transport to free after the hang-up. `enter`
(authentication and the fault plan, `engine.gate`) comes before the door parses.

`run_sync` drives the same coroutines without an event loop for a caller without a connection
(a batch line): nothing on its way waits, so they finish at their first step.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from mock_server.engine.answer import Answer, Replay
from mock_server.engine.checks import check
from mock_server.engine.gate import Hangup, act_before_body
from mock_server.engine.plan import plan_answer
from mock_server.engine.replies import choose_reply
from mock_server.engine.signatures import NONCE_HEADER, signature_headers

if TYPE_CHECKING:
    from mock_server.engine.accounting import Accounting
    from mock_server.engine.call import Call
    from mock_server.engine.door import Door
    from mock_server.engine.request import Inference
    from mock_server.services import Services

T = TypeVar("T")


async def infer(call: Call, ask: Inference, door: Door, services: Services,
                accounting: Accounting) -> Answer | Replay:
    demand = call.demand = check(call, ask, services)
    if door.check is not None:
        door.check(ask, demand.model)
    call.ticket = await accounting.admit(call, demand)
    try:
        stub = choose_reply(call, ask, services)
        if stub is not None and stub.recorded is not None:
            return replay(call, ask, stub.recorded.reply)
        reply = None if stub is None else stub.reply
        if reply is not None and reply.error is not None:
            assert call.fault is not None
            await act_before_body(call.fault, call, services)
        plan = plan_answer(call, ask.conversation, demand, reply, door, services)
        usage = call.usage = plan.usage()
        if not ask.stream:
            await accounting.bill(call, usage)
    except Hangup:
        raise
    except BaseException:
        if call.ticket is not None:
            await call.ticket.release()
        raise
    ticket = call.ticket
    if call.cache_hit is None and NONCE_HEADER not in call.headers:  # the usual answer
        return Answer(ask, plan, usage, ticket.headers or None if ticket is not None else None,
                      demand.model)
    return Answer(ask, plan, usage, answer_headers(call, plan.model, services), demand.model)


def replay(call: Call, ask: Inference | None, recorded: Any) -> Replay:
    """A recorded answer: as recorded, its usage journaled (not billed: the upstream's)."""
    from mock_server.recording.document import usage_of  # on first use: a replay

    call.usage = usage_of(recorded)
    return Replay(ask, recorded)


def answer_headers(call: Call, model: str, services: Services) -> dict[str, str]:
    """The explicit cache's headers, the signature's (`signatures.py`), the rate limits'."""
    ticket, hit = call.ticket, call.cache_hit
    signed = signature_headers(call, model, services) if NONCE_HEADER in call.headers else None
    headers = {} if hit is None else hit.headers()
    if signed:
        headers.update(signed)
    if ticket is not None:
        headers.update(ticket.headers)
    return headers


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """The coroutine's result, for one that never waits (raises `RuntimeError` if it does)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("a step without a connection waited")
