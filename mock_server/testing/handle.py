"""A handle on a running fake for client tests: where it is, how to steer it, what it saw.

`MoonshotMock` is what the pytest fixtures yield (see `mock_server.testing.pytest_plugin`); it also
works without pytest: `MoonshotMock.of(app, base_url)`. The control methods act on the app
directly through its `control.Control` (the fake runs in the test's process either way), the
one the `/_mock` control plane uses; the assertions read the request journal. A bad rule
raises the `MoonshotError` the control plane would answer with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from mock_server.testing.inprocess import client_for

if TYPE_CHECKING:
    from mock_server.control import Control

CHAT = "/v1/chat/completions"
NOT_RETRIED = (400, 401, 403, 404)


@dataclass
class MoonshotMock:
    base_url: str  # for the SDK: ends in /v1
    api_key: str
    control: Control  # the app's control plane (`app.state.control`)
    app: Any = None  # set for the in-process variant: requests go straight into it
    _clients: list[Any] = field(default_factory=list)

    @classmethod
    def of(cls, app: Any, base_url: str, api_key: str = "sk-moonshot-mock-test",
           in_process: bool = False) -> MoonshotMock:
        """The handle on an app made by `create_app`, served at `base_url` (ending in /v1);
        `in_process`: clients from `client_kwargs` send straight into the app."""
        return cls(base_url, api_key, app.state.control, app if in_process else None)

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
        return self.control.account_of(self.api_key)

    def fault(self, fault: str, *, times: int | None = None, probability: float | None = None,
              **match: str) -> dict[str, object]:
        """Add a rule: `mock.fault("error=engine_overloaded", times=2, path=CHAT)`."""
        rule: dict[str, Any] = {"fault": fault, "match": match}
        if times is not None:
            rule["times"] = times
        if probability is not None:
            rule["probability"] = probability
        return self.control.add_fault(rule)

    def scenario(self, steps: str, key: str | None = None) -> dict[str, object]:
        """Steps for a session id, or by default for this mock's account: `"429,429,ok"`."""
        return self.control.set_scenario(key or self.account, steps)

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
        return self.control.add_reply(rule, "handle")

    def replies_used(self) -> list[dict[str, Any]]:
        """The rules that answered so far: id, source and how many requests each answered."""
        return self.control.replies_used()

    def clear_replies(self) -> None:
        self.control.clear_replies()

    def clear_faults(self) -> None:
        self.control.clear_faults()

    def advance(self, seconds: float) -> float:
        """Move the virtual clock (a real clock: the control plane's 400); batches whose steps
        fell due are taken along at once."""
        now = float(self.control.move_clock(advance=seconds)["now"])
        self.control.step_batches()
        return now

    def reset(self) -> None:
        self.control.reset()

    # --- what happened -------------------------------------------------------------------
    def batches(self) -> list[dict[str, Any]]:
        """Every account's batches (Batch objects, newest first), due steps taken first."""
        self.control.step_batches()
        return self.control.batches()

    def journal(self, path: str | None = None, status: int | None = None) -> list[dict[str, Any]]:
        return self.control.journal(path, status)

    def export_journal(self) -> bytes:
        """The journal as indented JSON, API keys redacted (what `/_mock/journal/export` gives)."""
        return self.control.export_journal()

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
