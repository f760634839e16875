"""Memory and Redis state answer the same table of admissions identically (the Lua twin)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

import pytest

from mock_server.accounts.limits import Limits
from mock_server.accounts.state import State
from mock_server.accounts.state.memory import MemoryState
from mock_server.accounts.state.redis import RedisState

T0 = 1_767_225_600.0
_PREFIXES = itertools.count()

# (seconds after T0, tokens, limits, expected (kind, current, limit, retry_after)) or "release"
SCENARIO: list[tuple[float, int, Limits, tuple[str, int, int, int]] | str] = [
    (0, 100, Limits(concurrency=2, rpm=3), ("ok", 1, 3, 60)),
    (0.5, 100, Limits(concurrency=2, rpm=3), ("ok", 2, 3, 60)),
    (1, 100, Limits(concurrency=2, rpm=3), ("concurrency", 3, 2, 1)),
    "release",
    (10, 100, Limits(concurrency=2, rpm=3), ("ok", 3, 3, 50)),
    "release",
    (30, 100, Limits(concurrency=2, rpm=3), ("rpm", 4, 3, 30)),
    (60, 100, Limits(concurrency=2, rpm=3), ("ok", 3, 3, 1)),
    "release", "release", "release", "release",
    (61, 1100, Limits(tpm=1250), ("tpm", 1300, 1250, 9)),
    (70.25, 1000, Limits(tpm=1250), ("ok", 2, 0, 50)),
    (71, 1, Limits(tpd=1000), ("ok", 2, 0, 49)),
    (72, 1000, Limits(tpd=1000), ("tpd", 1001, 1000, 86_399)),
    (86_471, 1000, Limits(tpd=1000), ("ok", 0, 0, 60)),
]


@pytest.fixture(params=["memory", "redis"])
async def state(request: pytest.FixtureRequest) -> AsyncIterator[State]:
    if request.param == "memory":
        yield MemoryState()
        return
    url = request.getfixturevalue("redis_url")
    backend = RedisState(url, f"test-limits-{next(_PREFIXES)}:", lease_seconds=60)
    yield backend
    await backend.close()


async def test_both_backends_follow_the_same_table(state: State) -> None:
    held: list[str] = []  # the leases of admitted requests, the latest last
    for number, step in enumerate(SCENARIO):
        if step == "release":
            await state.release("acme", held.pop() if held else "none")
            continue
        assert isinstance(step, tuple)
        seconds, tokens, limits, expected = step
        verdict = await state.admit("acme", limits, tokens, T0 + seconds, f"lease-{number}")
        assert (verdict.kind, verdict.current, verdict.limit, verdict.retry_after) == expected, step
        if verdict.admitted:
            held.append(f"lease-{number}")


async def test_accounts_do_not_share_limits(state: State) -> None:
    limits = Limits(rpm=1)
    assert (await state.admit("acme", limits, 1, T0, "a")).admitted
    assert not (await state.admit("acme", limits, 1, T0, "b")).admitted
    assert (await state.admit("other", limits, 1, T0, "c")).admitted


async def test_redis_admission_is_exact_under_concurrency(redis_url: str) -> None:
    backends = [RedisState(redis_url, "test-limits-race:", lease_seconds=60) for _ in range(4)]
    try:
        verdicts = await asyncio.gather(*(
            backends[i % 4].admit("acme", Limits(rpm=50), 10, T0, f"race-{i}")
            for i in range(200)))
        assert sum(v.admitted for v in verdicts) == 50
    finally:
        for backend in backends:
            await backend.close()


async def test_a_running_request_keeps_its_redis_lease_past_the_lease_time(redis_url: str) -> None:
    backend = RedisState(redis_url, f"test-limits-{next(_PREFIXES)}:", lease_seconds=0.6)
    limits = Limits(concurrency=1)
    try:
        assert (await backend.admit("acme", limits, 1, T0, "long")).admitted
        await asyncio.sleep(1.5)  # the heartbeat refreshes the lease every 0.2 s meanwhile
        assert (await backend.admit("acme", limits, 1, T0, "next")).kind == "concurrency"
        await backend.release("acme", "long")
        assert (await backend.admit("acme", limits, 1, T0, "next")).admitted
    finally:
        await backend.close()


async def test_a_lease_nobody_refreshes_expires(redis_url: str) -> None:
    crashed = RedisState(redis_url, "test-limits-crash:", lease_seconds=0.5)
    assert (await crashed.admit("acme", Limits(concurrency=1), 1, T0, "lost")).admitted
    await crashed.close()  # its heartbeat stops, as a killed replica's does; no release
    survivor = RedisState(redis_url, "test-limits-crash:", lease_seconds=0.5)
    try:
        assert (await survivor.admit("acme", Limits(concurrency=1), 1, T0, "x")).kind == "concurrency"
        await asyncio.sleep(0.7)
        assert (await survivor.admit("acme", Limits(concurrency=1), 1, T0, "y")).admitted
    finally:
        await survivor.close()
