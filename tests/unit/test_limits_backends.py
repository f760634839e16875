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
    backend = RedisState(url, f"test-limits-{next(_PREFIXES)}:")
    yield backend
    await backend.close()


async def test_both_backends_follow_the_same_table(state: State) -> None:
    for step in SCENARIO:
        if step == "release":
            await state.release("acme")
            continue
        assert isinstance(step, tuple)
        seconds, tokens, limits, expected = step
        verdict = await state.admit("acme", limits, tokens, T0 + seconds)
        assert (verdict.kind, verdict.current, verdict.limit, verdict.retry_after) == expected, step


async def test_accounts_do_not_share_limits(state: State) -> None:
    limits = Limits(rpm=1)
    assert (await state.admit("acme", limits, 1, T0)).admitted
    assert not (await state.admit("acme", limits, 1, T0)).admitted
    assert (await state.admit("other", limits, 1, T0)).admitted


async def test_redis_admission_is_exact_under_concurrency(redis_url: str) -> None:
    backends = [RedisState(redis_url, "test-limits-race:") for _ in range(4)]
    try:
        verdicts = await asyncio.gather(*(
            backends[i % 4].admit("acme", Limits(rpm=50), 10, T0) for i in range(200)))
        assert sum(v.admitted for v in verdicts) == 50
    finally:
        for backend in backends:
            await backend.close()
