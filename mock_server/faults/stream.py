"""Stream faults, applied to the SSE events as they leave (after the first byte).

The events are framed already, in the format of the door that answers; `is_final` tells the
event that ends a complete stream (chat completions: `data: [DONE]`; another door: its own
last event). Events are numbered from 1 (the final event is not counted):
- `ttft`: wait before the first event; `tps`: wait 1/tps between events;
- `stall=T@N`: wait T after event N (N=0: before the first);
- `duplicate=N`: send event N twice;
- `cut_after=N`: break the connection after N events (before the final one if the stream is
  shorter);
- `cut_mid_json=N`: send N events and half of the next one, then break the connection;
- `no_done`: end cleanly without the final event.
The source is always closed, so what it does when it ends (free the concurrency slot) happens;
what it does after its final event (billing) happens unless the stream is cut.
`sleep` and `cut` are injected, so the order of waits, bytes and cuts is tested without a server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING

from mock_server.journal import StreamRecord
from mock_server.sse import DONE

if TYPE_CHECKING:
    from mock_server.faults.dsl import FaultPlan

Sleep = Callable[[float], Awaitable[None]]
Cut = Callable[[], Awaitable[None]]
IsFinal = Callable[[bytes], bool]


def is_done(event: bytes) -> bool:
    """The final event of a chat-completions stream."""
    return event == DONE


async def faulty_events(events: AsyncIterator[bytes], plan: FaultPlan, sleep: Sleep, cut: Cut,
                        record: StreamRecord, is_final: IsFinal = is_done) -> AsyncIterator[bytes]:
    try:
        if plan.ttft:
            await sleep(plan.ttft)
        if plan.stall and plan.stall[1] == 0:
            await sleep(plan.stall[0])
        async for chunk in _faulted(events, plan, sleep, record, is_final):
            yield chunk
        if _cutting(plan):
            record.cut = True
            await _close(events)  # a cut stream is not billed; its slot is freed before the cut
            await cut()
    finally:
        await _close(events)


def _cutting(plan: FaultPlan) -> bool:
    return plan.cut_after is not None or plan.cut_mid_json is not None


async def _faulted(events: AsyncIterator[bytes], plan: FaultPlan, sleep: Sleep,
                   record: StreamRecord, is_final: IsFinal) -> AsyncIterator[bytes]:
    sent = 0
    async for event in events:
        if is_final(event):
            if plan.cut_mid_json is not None:
                yield event[: len(event) // 2]
            if _cutting(plan):
                break
            if not plan.no_done:
                record.done = True
                yield event
            continue  # the source goes on after its final event (billing), without a byte more
        if plan.cut_after is not None and sent >= plan.cut_after:
            break
        if plan.cut_mid_json is not None and sent >= plan.cut_mid_json:
            yield event[: len(event) // 2]
            break
        if sent and plan.tps:
            await sleep(1 / plan.tps)
        sent += 1
        record.events += 1
        yield event
        if plan.duplicate == sent:
            record.events += 1
            yield event
        if plan.stall and plan.stall[1] == sent:
            await sleep(plan.stall[0])


async def recorded_events(events: AsyncIterator[bytes], record: StreamRecord,
                          is_final: IsFinal = is_done) -> AsyncIterator[bytes]:
    """The same events, counted for the journal (streams without faults)."""
    try:
        async for event in events:
            if is_final(event):
                record.done = True
            else:
                record.events += 1
            yield event
    finally:
        await _close(events)


async def _close(events: AsyncIterator[bytes]) -> None:
    aclose = getattr(events, "aclose", None)
    if aclose is not None:
        await aclose()
