"""State shared by many processes (uvicorn workers, replicas) in Redis.

Each operation is one Lua script (`*.lua` beside this module), so concurrent requests from any
number of processes can never both take the last slot: the limits are exact, not read-then-write.

A concurrency slot is a lease that expires `lease_seconds` after it was last refreshed, on
Redis's own clock. While its request runs, this process's heartbeat refreshes it every third of
that; so a slot whose release never reached Redis (an outage at the end of a stream, a replica
killed mid-request) comes back by itself within `lease_seconds` of Redis answering again.
"""

from __future__ import annotations

import asyncio
import logging
from importlib import resources

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

from mock_server.accounts.billing import Balance
from mock_server.accounts.limits import Limits, Verdict
from mock_server.errors import MoonshotError

KINDS = ("ok", "concurrency", "rpm", "tpm", "tpd")
POOL_SIZE = 32  # connections per process; a burst of requests waits for one, never errors
POOL_WAIT_SECONDS = 10.0
log = logging.getLogger("moonshot_mock.state")


def _script(name: str) -> str:
    return resources.files("mock_server.accounts.state").joinpath(name).read_text("utf-8")


def _limit(value: int | None) -> int:
    return -1 if value is None else value


def unavailable(exc: Exception) -> MoonshotError:
    """The 503 a client sees: where the backend lives stays in the server's own log."""
    log.warning("state backend unavailable: %s", exc)
    return MoonshotError("server_unavailable",
                         "The state backend is unavailable, please try again later")


class RedisState:
    shared = True

    def __init__(self, url: str, prefix: str, lease_seconds: float) -> None:
        pool = BlockingConnectionPool.from_url(url, max_connections=POOL_SIZE,
                                               timeout=POOL_WAIT_SECONDS)
        self._pool = pool
        self._redis = Redis(connection_pool=pool)
        self._prefix = prefix
        self._url = url
        self._lease_seconds = lease_seconds
        self._live: dict[str, str] = {}  # lease id -> its account, while its request runs
        self._heartbeat: asyncio.Task[None] | None = None
        self._admit = self._redis.register_script(_script("admit.lua"))
        self._release = self._redis.register_script(_script("release.lua"))
        self._refresh = self._redis.register_script(_script("refresh.lua"))
        self._charge = self._redis.register_script(_script("charge.lua"))
        self._clock = self._redis.register_script(_script("clock.lua"))

    def _keys(self, account: str, *names: str) -> list[str]:
        return [f"{self._prefix}acct:{account}:{name}" for name in names]

    async def admit(self, account: str, limits: Limits, tokens: int, now: float,
                    lease: str) -> Verdict:
        keys = self._keys(account, "leases", "minute", "minute_tokens", "day", "day_tokens")
        args = [f"{now:.6f}", tokens, _limit(limits.concurrency), _limit(limits.rpm),
                _limit(limits.tpm), _limit(limits.tpd), lease, f"{self._lease_seconds:.3f}"]
        try:
            kind, current, limit, retry_after = await self._admit(keys=keys, args=args)
        except RedisError as exc:
            raise unavailable(exc) from None
        verdict = Verdict(KINDS[int(kind)], int(current), int(limit), int(retry_after))
        if verdict.admitted:
            self._live[lease] = account
            self._keep_alive()
        return verdict

    async def release(self, account: str, lease: str) -> None:
        """Give the lease back; if Redis cannot be reached it expires by itself instead."""
        self._live.pop(lease, None)
        try:
            await self._release(keys=self._keys(account, "leases"), args=[lease])
        except RedisError as exc:
            log.warning("a concurrency lease could not be given back (%s); it expires within "
                        "%g s", exc, self._lease_seconds)

    def _keep_alive(self) -> None:
        """Start the heartbeat in this event loop (once; again if the loop changed)."""
        task = self._heartbeat
        if task is None or task.done() or task.get_loop() is not asyncio.get_running_loop():
            self._heartbeat = asyncio.get_running_loop().create_task(self._beat())

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self._lease_seconds / 3)
            if not self._live:
                continue
            leases = list(self._live.items())
            keys = [self._keys(account, "leases")[0] for _, account in leases]
            args = [self._lease_seconds, *(lease for lease, _ in leases)]
            try:
                await self._refresh(keys=keys, args=args)
            except RedisError as exc:
                log.warning("concurrency leases not refreshed: %s", exc)

    async def balance(self, account: str, initial: Balance) -> Balance:
        return await self.charge(account, initial, 0)

    async def charge(self, account: str, initial: Balance, amount: int) -> Balance:
        args = [initial.cash, initial.voucher, amount]
        try:
            cash, voucher = await self._charge(keys=self._keys(account, "balance"), args=args)
        except RedisError as exc:
            raise unavailable(exc) from None
        return Balance(cash=int(cash), voucher=int(voucher))

    async def sync_clock(self, now: float) -> float:
        try:
            return float(await self._clock(keys=[f"{self._prefix}clock"], args=[f"{now:.6f}"]))
        except RedisError as exc:
            raise unavailable(exc) from None

    def clear(self) -> None:
        """Delete this prefix's keys, through a short synchronous connection of its own."""
        from redis import Redis as SyncRedis

        client = SyncRedis.from_url(self._url)
        try:
            keys = list(client.scan_iter(match=f"{self._prefix}*", count=1000))
            for start in range(0, len(keys), 1000):
                client.unlink(*keys[start : start + 1000])
        except RedisError as exc:
            raise unavailable(exc) from None
        finally:
            client.close()

    async def close(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        await self._redis.aclose()
        await self._pool.disconnect()


def unreachable(url: str, timeout: float = 3.0) -> str | None:
    """Why the Redis at `url` cannot be used (None: it answers PING), checked at start-up."""
    from redis import Redis as SyncRedis

    try:
        client = SyncRedis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    except ValueError as exc:  # a URL redis-py cannot read
        return str(exc)
    try:
        client.ping()
    except RedisError as exc:
        return str(exc) or type(exc).__name__
    finally:
        client.close()
    return None
