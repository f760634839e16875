"""A handle on a running fake for client tests: where it is, how to steer it, what it saw.

`MoonshotMock` is what the pytest fixtures yield (see `mock_server.testing.pytest_plugin`); it also
works without pytest. The control methods act on the app directly (the fake runs in the test's
process either way); the assertions read the request journal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from mock_server.clock import VirtualClock
from mock_server.endpoints.batch_steps import step_sync
from mock_server.faults.rules import parse_rule
from mock_server.services import Services
from mock_server.testing.inprocess import client_for

CHAT = "/v1/chat/completions"
NOT_RETRIED = (400, 401, 403, 404)


@dataclass
class MoonshotMock:
    base_url: str  # for the SDK: ends in /v1
    api_key: str
    services: Services
    app: Any = None  # set for the in-process variant: requests go straight into it
    _clients: list[Any] = field(default_factory=list)

    # --- clients -------------------------------------------------------------------------
    def client_kwargs(self, asynchronous: bool = False) -> dict[str, Any]:
        """`OpenAI(**mock.client_kwargs())`: base_url, api_key and, in-process, http_client."""
        kwargs: dict[str, Any] = {"base_url": self.base_url, "api_key": self.api_key}
        if self.app is not None:
            client = client_for(self.app, asynchronous=asynchronous)
            self._clients.append(client)
            kwargs["http_client"] = client
        return kwargs

    def anthropic_kwargs(self, asynchronous: bool = False) -> dict[str, Any]:
        """`Anthropic(**mock.anthropic_kwargs())`: the Messages door's base_url (`…/anthropic`),
        api_key and, in-process, http_client."""
        root = self.base_url.removesuffix("/v1")
        kwargs: dict[str, Any] = {"base_url": f"{root}/anthropic", "api_key": self.api_key}
        if self.app is not None:
            client = client_for(self.app, asynchronous=asynchronous, sdk="anthropic")
            self._clients.append(client)
            kwargs["http_client"] = client
        return kwargs

    # --- control -------------------------------------------------------------------------
    @property
    def account(self) -> str:
        return self.services.auth.authenticate(f"Bearer {self.api_key}").account.name

    def fault(self, fault: str, *, times: int | None = None, probability: float | None = None,
              **match: str) -> dict[str, object]:
        """Add a rule: `mock.fault("error=engine_overloaded", times=2, path=CHAT)`."""
        rule: dict[str, Any] = {"fault": fault, "match": match}
        if times is not None:
            rule["times"] = times
        if probability is not None:
            rule["probability"] = probability
        return self.services.faults.add_rule(parse_rule(rule))

    def scenario(self, steps: str, key: str | None = None) -> dict[str, object]:
        """Steps for a session id, or by default for this mock's account: `"429,429,ok"`."""
        return self.services.faults.set_scenario(key or self.account, steps)

    def reply(self, content: str | None = None, *, tool_calls: Sequence[Any] | None = None,
              reasoning_content: str | None = None, error: str | None = None,
              finish_reason: str | None = None, usage: dict[str, int] | None = None,
              then: Sequence[Any] | None = None, times: int | None = None,
              id: str | None = None, session: str | None = None,
              **match: Any) -> dict[str, Any]:
        """Script an answer: `mock.reply("Sunny", last_user="weather")`, or tool calls:
        `mock.reply(tool_calls=[{"name": "get_weather", "arguments": {"city": "Paris"}}])`.
        Keyword arguments other than the reply's are the matcher (docs/replies.md)."""
        reply = {k: v for k, v in (("content", content), ("tool_calls", tool_calls),
                                     ("reasoning_content", reasoning_content), ("error", error),
                                     ("finish_reason", finish_reason), ("usage", usage))
                 if v is not None}
        rule: dict[str, Any] = {"match": match}
        rule.update({"then": list(then)} if then is not None else {"reply": reply})
        rule.update({k: v for k, v in (("times", times), ("id", id), ("session", session))
                     if v is not None})
        return self.services.replies.add(rule, "handle")

    def replies_used(self) -> list[dict[str, Any]]:
        """The rules that answered so far: id, source and how many requests each answered."""
        return self.services.replies.used()

    def clear_replies(self) -> None:
        self.services.replies.clear()

    def clear_faults(self) -> None:
        self.services.faults.clear()

    def advance(self, seconds: float) -> float:
        """Move the virtual clock; batches whose steps fell due are taken along at once."""
        clock = self.services.clock
        if not isinstance(clock, VirtualClock):
            raise RuntimeError("the clock is real; use Settings(clock='virtual')")
        now = clock.advance(seconds)
        self._step_batches()
        return now

    def reset(self) -> None:
        self.services.reset()

    # --- what happened -------------------------------------------------------------------
    def batches(self) -> list[dict[str, Any]]:
        """Every account's batches (Batch objects, newest first), due steps taken first."""
        self._step_batches()
        return [record.wire() for record in self.services.batches.list()]

    def _step_batches(self) -> None:
        """Take the due steps of unfinished batches here, in the test's thread (with a shared
        Redis state, whose connections belong to the server's loop, the next API read does)."""
        services = self.services
        if services.state.shared:
            return
        for record in services.batches.unfinished():
            account = services.auth.account(record.account)
            funded = asyncio.run(services.admission.balance(account)).available > 0
            _, cost = step_sync(services, record, funded)
            if cost:
                asyncio.run(services.admission.charge(account, cost))

    def journal(self, path: str | None = None, status: int | None = None) -> list[dict[str, Any]]:
        return self.services.journal.entries(path, status)

    def calls(self, path: str = CHAT) -> list[dict[str, Any]]:
        return self.journal(path)

    def statuses(self, path: str = CHAT) -> list[int | None]:
        return [e["status"] for e in self.calls(path)]

    def assert_calls(self, expected: int, path: str = CHAT) -> None:
        got = self.statuses(path)
        assert len(got) == expected, f"expected {expected} calls to {path}, got {len(got)}: {got}"

    def assert_backoff_grew(self, path: str = CHAT) -> list[float]:
        """Each wait between successive calls was longer than the one before; returns the waits."""
        times = [e["elapsed"] for e in self.calls(path)]
        assert len(times) >= 3, f"need at least 3 calls to {path} to see backoff, got {len(times)}"
        waits = [round(b - a, 4) for a, b in pairwise(times)]
        assert all(b > a for a, b in pairwise(waits)), \
            f"waits between retries did not grow: {waits}"
        return waits

    def assert_not_retried(self, statuses: Sequence[int] = NOT_RETRIED, path: str = CHAT) -> None:
        """No call answered with one of `statuses` (default 400/401/403/404) was followed by another."""
        got = self.statuses(path)
        for index, status in enumerate(got[:-1]):
            assert status not in statuses, \
                f"call {index + 1} got {status} and was retried: statuses {got}"

    def assert_stream_completed(self, path: str = CHAT) -> dict[str, Any]:
        """The last stream was sent to `data: [DONE]`, not cut by a fault.

        The fake sees what it sent; a client that stops reading early is caught only when the
        stream is long enough for the server to notice the closed connection."""
        streams = [e for e in self.calls(path) if e["stream"] is not None]
        assert streams, f"no streaming call to {path}"
        last = streams[-1]
        assert last["stream"]["done"] and not last["stream"]["cut"], \
            f"the last stream did not reach [DONE]: {last['stream']}"
        return last

    def close(self) -> None:
        for client in self._clients:
            if hasattr(client, "__enter__"):  # the synchronous client (httpx or httpx2)
                client.close()  # stops the helper thread of the in-process transport
        self._clients.clear()
