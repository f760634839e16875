"""The fault state one app owns: rules (admin/config) and scenarios (header/admin/config).

`choose` decides the fault of one request, in this order:
1. a scenario given in `X-Mock-Scenario` is installed for its key, unless the same text is
   already installed there (retries carry the header again and must not restart it);
2. the key's scenario, if any, gives the next step (`ok` once exhausted) — one step per call;
3. the `X-Mock-Fault` header wins over that step;
4. without header or scenario, the first live matching rule applies (one use of its `times`,
   or a seeded draw against its `probability`).
The key is the `X-Mock-Session` value, or the account name when the header is absent.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_server.faults.dsl import FaultPlan
    from mock_server.faults.rules import FaultRule


@dataclass(frozen=True)
class FaultRequest:
    method: str
    path: str
    model: str | None
    account: str
    session: str | None = None
    fault: FaultPlan | None = None  # decoded X-Mock-Fault
    scenario: str | None = None  # raw X-Mock-Scenario

    @property
    def key(self) -> str:
        return self.session or self.account


@dataclass(frozen=True)
class Choice:
    plan: FaultPlan | None
    source: str  # "header", "scenario:KEY#N", "rule:ID", or "" for none


@dataclass
class _Scenario:
    text: str
    steps: tuple[FaultPlan, ...]
    used: int = 0


@dataclass
class _LiveRule:
    id: str
    rule: FaultRule
    remaining: int | None
    applied: int = 0


class FaultBook:
    def __init__(self, rules: Sequence[FaultRule] = (), scenarios: Mapping[str, str] | None = None,
                 seed: int = 0,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.sleep = sleep  # real time: faults exercise a client's real timeouts
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._rules: list[_LiveRule] = []
        self._scenarios: dict[str, _Scenario] = {}
        self._next_id = 1
        for rule in rules:
            self.add_rule(rule)
        for key, text in (scenarios or {}).items():
            self.set_scenario(key, text)

    def add_rule(self, rule: FaultRule) -> dict[str, object]:
        with self._lock:
            live = _LiveRule(f"rule-{self._next_id}", rule, rule.times)
            self._next_id += 1
            self._rules.append(live)
            return self._rule_json(live)

    def rules(self) -> list[dict[str, object]]:
        with self._lock:
            return [self._rule_json(live) for live in self._rules]

    def remove_rule(self, rule_id: str) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [live for live in self._rules if live.id != rule_id]
            return len(self._rules) < before

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self._scenarios.clear()

    def set_scenario(self, key: str, text: str) -> dict[str, object]:
        from mock_server.faults.rules import parse_scenario  # on first use: a scenario

        steps = parse_scenario(text)
        with self._lock:
            self._scenarios[key] = _Scenario(text, steps)
            return self._scenario_json(key, self._scenarios[key])

    def scenarios(self) -> list[dict[str, object]]:
        with self._lock:
            return [self._scenario_json(k, s) for k, s in self._scenarios.items()]

    def clear_scenarios(self) -> None:
        with self._lock:
            self._scenarios.clear()

    @property
    def idle(self) -> bool:
        """No rule and no scenario: without a header, every request goes unfaulted."""
        return not self._rules and not self._scenarios

    def draw_latency(self, plan: FaultPlan) -> float:
        with self._lock:
            return plan.latency.draw(self._random) if plan.latency else 0.0

    def choose(self, request: FaultRequest) -> Choice:
        if request.scenario is not None:
            current = self._scenarios.get(request.key)
            if current is None or current.text != request.scenario:
                self.set_scenario(request.key, request.scenario)
        with self._lock:
            step = self._next_step(request.key)
            if request.fault is not None:
                return Choice(request.fault, "header")
            if step is not None:
                return step
            return self._rule_for(request)

    def _next_step(self, key: str) -> Choice | None:
        scenario = self._scenarios.get(key)
        if scenario is None:
            return None
        scenario.used += 1
        if scenario.used > len(scenario.steps):
            return Choice(None, f"scenario:{key}#{scenario.used}")
        return Choice(scenario.steps[scenario.used - 1], f"scenario:{key}#{scenario.used}")

    def _rule_for(self, request: FaultRequest) -> Choice:
        for live in self._rules:
            if live.remaining == 0 or not live.rule.match.matches(
                    request.method, request.path, request.model, request.account):
                continue
            probability = live.rule.probability
            if probability is not None and self._random.random() >= probability:
                continue
            if live.remaining is not None:
                live.remaining -= 1
            live.applied += 1
            return Choice(live.rule.fault, f"rule:{live.id}")
        return Choice(None, "")

    @staticmethod
    def _rule_json(live: _LiveRule) -> dict[str, object]:
        return {"id": live.id, **live.rule.to_json(), "remaining": live.remaining,
                "applied": live.applied}

    @staticmethod
    def _scenario_json(key: str, scenario: _Scenario) -> dict[str, object]:
        return {"key": key, "steps": scenario.text, "length": len(scenario.steps),
                "used": min(scenario.used, len(scenario.steps)),
                "remaining": max(0, len(scenario.steps) - scenario.used)}
