"""State shared by many processes (uvicorn workers, replicas) in Redis.

Each operation is one Lua script (`*.lua` beside this module), so concurrent requests from any
number of processes can never both take the last slot: the limits are exact, not read-then-write.
"""

from __future__ import annotations

from importlib import resources

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

from mock_server.accounts.billing import Balance
from mock_server.accounts.limits import Limits, Verdict
from mock_server.errors import MoonshotError

KINDS = ("ok", "concurrency", "rpm", "tpm", "tpd")
POOL_SIZE = 32  # connections per process; a burst of requests waits for one, never errors
POOL_WAIT_SECONDS = 10.0


def _script(name: str) -> str:
    return resources.files("mock_server.accounts.state").joinpath(name).read_text("utf-8")


def _limit(value: int | None) -> int:
    return -1 if value is None else value


def unavailable(exc: Exception) -> MoonshotError:
    return MoonshotError("server_unavailable", f"The state backend is unavailable ({exc})")


class RedisState:
    shared = True

    def __init__(self, url: str, prefix: str) -> None:
        pool = BlockingConnectionPool.from_url(url, max_connections=POOL_SIZE,
                                               timeout=POOL_WAIT_SECONDS)
        self._pool = pool
        self._redis = Redis(connection_pool=pool)
        self._prefix = prefix
        self._url = url
        self._admit = self._redis.register_script(_script("admit.lua"))
        self._release = self._redis.register_script(_script("release.lua"))
        self._charge = self._redis.register_script(_script("charge.lua"))
        self._clock = self._redis.register_script(_script("clock.lua"))

    def _keys(self, account: str, *names: str) -> list[str]:
        return [f"{self._prefix}acct:{account}:{name}" for name in names]

    async def admit(self, account: str, limits: Limits, tokens: int, now: float) -> Verdict:
        keys = self._keys(account, "inflight", "minute", "minute_tokens", "day", "day_tokens")
        args = [f"{now:.6f}", tokens, _limit(limits.concurrency), _limit(limits.rpm),
                _limit(limits.tpm), _limit(limits.tpd)]
        try:
            kind, current, limit, retry_after = await self._admit(keys=keys, args=args)
        except RedisError as exc:
            raise unavailable(exc) from None
        return Verdict(KINDS[int(kind)], int(current), int(limit), int(retry_after))

    async def release(self, account: str) -> None:
        try:
            await self._release(keys=self._keys(account, "inflight"))
        except RedisError as exc:
            raise unavailable(exc) from None

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
