"""The coalescing transport keeps order and bounds what it holds back."""

from __future__ import annotations

import asyncio
from typing import Any

from mock_server.server.coalesce import SMALL_WRITE, CoalescingTransport


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.closing = False

    def write(self, data: bytes) -> None:
        self.calls.append(("write", data))

    def close(self) -> None:
        self.calls.append(("close", None))
        self.closing = True

    def abort(self) -> None:
        self.calls.append(("abort", None))
        self.closing = True

    def is_closing(self) -> bool:
        return self.closing

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str) -> str:
        return f"info:{name}"


def coalescing() -> tuple[CoalescingTransport, Recorder]:
    raw = Recorder()
    return CoalescingTransport(raw, asyncio.get_running_loop()), raw  # type: ignore[arg-type]


async def test_small_writes_of_one_turn_leave_in_one_write() -> None:
    transport, raw = coalescing()
    transport.write(b"HTTP/1.1 200 OK\r\n\r\n")
    transport.write(bytearray(b"{}"))
    assert raw.calls == [] and transport.get_write_buffer_size() == 21
    await asyncio.sleep(0)
    assert raw.calls == [("write", b"HTTP/1.1 200 OK\r\n\r\n{}")]


async def test_large_write_goes_after_what_waits() -> None:
    transport, raw = coalescing()
    big = b"x" * (SMALL_WRITE + 1)
    transport.write(b"head")
    transport.write(big)
    assert raw.calls == [("write", b"head"), ("write", big)]
    await asyncio.sleep(0)
    assert len(raw.calls) == 2


async def test_held_back_bytes_are_bounded() -> None:
    transport, raw = coalescing()
    for _ in range(SMALL_WRITE // 1000 + 1):
        transport.write(b"e" * 1000)
    assert [len(data) for _, data in raw.calls] == [(SMALL_WRITE // 1000 + 1) * 1000]
    assert transport.get_write_buffer_size() == 0


async def test_close_flushes_first_abort_drops() -> None:
    transport, raw = coalescing()
    transport.write(b"garbage")
    transport.close()
    assert raw.calls == [("write", b"garbage"), ("close", None)]
    transport, raw = coalescing()
    transport.write(b"lost")
    transport.abort()
    await asyncio.sleep(0)
    assert raw.calls == [("abort", None)]


async def test_nothing_is_written_to_a_closing_transport() -> None:
    transport, raw = coalescing()
    transport.write(b"late")
    raw.closing = True
    await asyncio.sleep(0)
    assert raw.calls == []
    assert transport.get_extra_info("peername") == "info:peername"
