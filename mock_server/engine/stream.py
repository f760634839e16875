"""A planned stream on its way out (DESIGN steps 8 and 9): paced, faulted, billed, settled.

The door frames the events (`Door.events`, its final event last, `Door.is_final` names it);
the engine paces them by `stream_event_interval` on the API clock, bills the usage once the
final event has been sent, frees the admission slot however the stream ends, and applies the
call's stream faults (`faults/stream.py`: ttft, tps, stall, duplicate, cuts, no final event)
in the door's own framing. `cut` is the transport's: how a connection is broken mid-body.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING

from mock_server.errors import MoonshotError
from mock_server.faults.stream import faulty_events, recorded_events
from mock_server.journal import StreamRecord

if TYPE_CHECKING:
    from mock_server.engine.accounting import Accounting
    from mock_server.engine.answer import Answer
    from mock_server.engine.call import Call
    from mock_server.engine.door import Door
    from mock_server.services import Services

Cut = Callable[[], Awaitable[None]]
log = logging.getLogger("moonshot_mock")


def answer_events(call: Call, answer: Answer, door: Door, services: Services,
                  accounting: Accounting, cut: Cut) -> AsyncIterator[bytes]:
    """The answer's events as they leave, with the call's stream faults applied and counted."""
    events = settled_events(call, door.events(answer), door.is_final, services, accounting)
    return faulted_events(call, events, door.is_final, services, cut)


def faulted_events(call: Call, events: AsyncIterator[bytes], is_final: Callable[[bytes], bool],
                   services: Services, cut: Cut) -> AsyncIterator[bytes]:
    """Any stream's events (a planned answer's, a recorded one's) with the call's stream faults
    applied, counted on the call's stream record for the journal."""
    record = call.stream = StreamRecord()
    plan = call.fault
    if plan is None or not plan.has_stream_faults:
        return recorded_events(events, record, is_final)
    return faulty_events(events, plan, services.faults.sleep, cut, record, is_final)


async def settled_events(call: Call, events: Iterator[bytes], is_final: Callable[[bytes], bool],
                         services: Services, accounting: Accounting) -> AsyncIterator[bytes]:
    """The events, paced; billed once the last has been sent, the slot freed however it ends."""
    clock, interval = services.clock, services.settings.stream_event_interval
    try:
        for event in events:
            if interval and not is_final(event):
                await clock.sleep(interval)
            yield event
        assert call.usage is not None
        try:
            await accounting.bill(call, call.usage)
        except MoonshotError as exc:  # the stream is sent: a state backend that cannot take
            log.warning("usage of a sent stream not billed: %s", exc.message)  # the charge loses it
    finally:
        if call.ticket is not None:
            await call.ticket.release()
