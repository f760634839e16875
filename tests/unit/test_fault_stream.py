"""Stream faults as a sequence of bytes, waits and cuts (no server, no real time)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from mock_server.faults.dsl import parse_fault
from mock_server.faults.stream import faulty_events, recorded_events
from mock_server.journal import StreamRecord
from mock_server.sse import DONE

EVENTS = [b'data: {"n":1}\n\n', b'data: {"n":2}\n\n', b'data: {"n":3}\n\n']


async def source() -> AsyncIterator[bytes]:
    for event in [*EVENTS, DONE]:
        yield event


def run(fault: str) -> tuple[list[object], StreamRecord]:
    log: list[object] = []
    record = StreamRecord()

    async def sleep(seconds: float) -> None:
        log.append(("sleep", seconds))

    async def cut() -> None:
        log.append("CUT")

    async def main() -> None:
        async for chunk in faulty_events(source(), parse_fault(fault), sleep, cut, record):
            log.append(chunk)

    asyncio.run(main())
    return log, record


E1, E2, E3 = EVENTS


@pytest.mark.parametrize(("fault", "expected", "events", "done", "cut"), [
    ("cut_after=2", [E1, E2, "CUT"], 2, False, True),
    ("cut_after=0", ["CUT"], 0, False, True),
    ("cut_after=9", [E1, E2, E3, "CUT"], 3, False, True),
    ("cut_mid_json=1", [E1, E2[:7], "CUT"], 1, False, True),
    ("cut_mid_json=3", [E1, E2, E3, DONE[:7], "CUT"], 3, False, True),
    ("no_done", [E1, E2, E3], 3, False, False),
    ("duplicate=2", [E1, E2, E2, E3, DONE], 4, True, False),
    ("stall=2s@1", [E1, ("sleep", 2.0), E2, E3, DONE], 3, True, False),
    ("stall=1s@0", [("sleep", 1.0), E1, E2, E3, DONE], 3, True, False),
    ("ttft=300ms;tps=20", [("sleep", 0.3), E1, ("sleep", 0.05), E2, ("sleep", 0.05), E3, DONE],
     3, True, False),
])
def test_stream_faults(fault: str, expected: list[object], events: int, done: bool,
                       cut: bool) -> None:
    log, record = run(fault)
    assert log == expected
    assert (record.events, record.done, record.cut) == (events, done, cut)


def test_recorded_events_count_without_changing_bytes() -> None:
    record = StreamRecord()

    async def main() -> list[bytes]:
        return [chunk async for chunk in recorded_events(source(), record)]

    assert asyncio.run(main()) == [*EVENTS, DONE]
    assert (record.events, record.done, record.cut) == (3, True, False)
