"""The stubs of every source — recorded exchanges and reply rules — in the order they are tried,
and what they have answered: the one lookup of what answers instead of the default model.

Recorded exchanges answer first, as recorded (`recorded.RecordedStubs`, by the request's
canonical key). Then the rules: rules scoped to the request's `X-Mock-Session` (in the order
added), then the other rules added at run time (control plane, pytest handle), then the config
file's `replies:`, then reply files (by file name). The first rule that matches answers; a rule
with `then:` answers with its replies in order, the last one repeating; a rule with `times: N`
stops matching after N answers. Rules added at run time and the counts are forgotten by `clear`
(and by a reset of the fake); the recorded exchanges' order only by a reset.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mock_server.replies.recorded import RecordedStubs

if TYPE_CHECKING:
    from mock_server.replies.rules import ErrorCheck, Reply, ReplyRule


@dataclass(frozen=True)
class Answer:
    rule: ReplyRule | None  # the rule that answered (None: a recorded exchange did)
    reply: Reply | None  # its reply
    number: int  # 1 = the stub's first answer
    recorded: Any = None  # the recorded exchange that answered, sent as recorded

    @property
    def id(self) -> str:
        """How the journal names the stub: the rule's id, or `recording:<file stem>`."""
        return self.rule.id if self.rule is not None else f"recording:{self.recorded.name}"


@dataclass
class _Live:
    rule: ReplyRule
    used: int = 0
    requests: list[dict[str, Any]] = field(default_factory=list)


class ReplyBook:
    def __init__(self, fixed: Sequence[ReplyRule] = (), check_error: ErrorCheck | None = None,
                 recorded: RecordedStubs[Any] | None = None) -> None:
        self._fixed = [_Live(r) for r in fixed]
        self._added: list[_Live] = []
        self._lock = threading.Lock()
        self._count = 0
        self.check_error = check_error
        self.recorded: RecordedStubs[Any] = recorded if recorded is not None else RecordedStubs()

    @property
    def idle(self) -> bool:
        return not self._fixed and not self._added and not self.recorded

    def add(self, item: Any, source: str = "control", session: str | None = None) -> dict[str, Any]:
        """Parse and add a rule (raises `ReplySyntaxError`); `session` scopes it unless it names
        its own."""
        from mock_server.replies.rules import ReplyRule, ReplySyntaxError, parse_rule  # first use

        with self._lock:
            self._count += 1
            rule = parse_rule(item, f"reply-{self._count}", source, self.check_error)
            if session and rule.session is None:
                rule = ReplyRule(rule.id, rule.match, rule.replies, rule.times, session,
                                 rule.source, rule.written)
            if any(live.rule.id == rule.id for live in self._added + self._fixed):
                raise ReplySyntaxError(f"a reply rule with id {rule.id!r} exists already")
            self._added.append(_Live(rule))
            return rule.to_json()

    def rules(self) -> list[dict[str, Any]]:
        with self._lock:
            return [{**live.rule.to_json(), "used": live.used} for live in self._ordered(None)]

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            kept = [live for live in self._added if live.rule.id != rule_id]
            found = len(kept) != len(self._added)
            self._added = kept
            return found

    def clear(self) -> None:
        with self._lock:
            self._added.clear()
            for live in self._fixed:
                live.used, live.requests = 0, []

    def answer(self, body: Mapping[str, Any] | None, account: str, session: str | None = None,
               key: bytes | None = None) -> Answer | None:
        """The answer to this request: the recorded exchange of its canonical `key`, else the
        reply of the first rule matching its conversation `body` (counted), else None."""
        if key is not None:
            exchange = self.recorded.take(key)
            if exchange is not None:
                return Answer(None, None, 1, exchange)
        if body is None:
            return None
        from mock_server.replies.match import matches  # on first use: a book with rules

        with self._lock:
            for live in self._ordered(session):
                rule = live.rule
                if rule.session is not None and rule.session != session:
                    continue
                if rule.times is not None and live.used >= rule.times:
                    continue
                if not matches(rule.match, body, account):
                    continue
                live.used += 1
                live.requests.append({"model": body.get("model"), "account": account,
                                      "session": session})
                reply = rule.replies[min(live.used, len(rule.replies)) - 1]
                return Answer(rule, reply, live.used)
        return None

    def used(self) -> list[dict[str, Any]]:
        """Every rule that has answered: id, source and how many times."""
        with self._lock:
            return [{"id": live.rule.id, "source": live.rule.source, "used": live.used}
                    for live in self._ordered(None) if live.used]

    def _ordered(self, session: str | None) -> list[_Live]:
        scoped = [live for live in self._added if live.rule.session is not None]
        if session is not None:
            scoped = [live for live in scoped if live.rule.session == session] + \
                [live for live in scoped if live.rule.session != session]
        unscoped = [live for live in self._added if live.rule.session is None]
        return scoped + unscoped + self._fixed

