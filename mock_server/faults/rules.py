"""Scenarios and fault rules as plain data, decoded strictly from text and mappings.

A scenario is a sequence of steps consumed call by call: `429,429,ok`, `cut_after=3,ok`,
`engine_overloaded*2,ok`. A step is `ok`, a bare status (`429`), an error name, or any
`X-Mock-Fault` value; `STEP*N` repeats a step. Steps are separated by commas outside parentheses.

A rule applies one fault to requests matching method, path (glob), model and account, either a
number of `times`, or with a seeded `probability`, or always.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from mock_server.faults.dsl import OK, FaultPlan, FaultSyntaxError, parse_fault
from mock_server.faults.presets import STATUS_SHORTCUTS, named_error

MAX_STEPS = 1000
RULE_KEYS = ("fault", "match", "times", "probability")
MATCH_KEYS = ("method", "path", "model", "account")


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split at `sep` outside parentheses (`latency=lognormal(1s,0.5)` stays whole)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if char == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return [*parts, text[start:]]


def parse_step(text: str) -> FaultPlan:
    """One step; the plan keeps the text as written (`429`, not its expansion)."""
    return replace(_decode_step(text.strip()), text=text.strip())


def _decode_step(step: str) -> FaultPlan:
    if step.lower() == "ok":
        return OK
    if step.isdigit():
        if int(step) == 504:
            return parse_fault("gateway_timeout=0s")
        if int(step) not in STATUS_SHORTCUTS:
            known = ", ".join(map(str, [*STATUS_SHORTCUTS, 504]))
            raise FaultSyntaxError(f"no shortcut for status {step}; use one of {known}")
        return parse_fault(f"error={STATUS_SHORTCUTS[int(step)]}")
    if "=" not in step and named_error(step) is not None:
        return parse_fault(f"error={step}")
    return parse_fault(step)


def parse_scenario(text: str) -> tuple[FaultPlan, ...]:
    steps: list[FaultPlan] = []
    for number, raw in enumerate(split_top_level(text), start=1):
        body, star, times = raw.rpartition("*")
        if not star or not times.strip().isdigit():
            body, times = raw, "1"
        if not body.strip():
            raise FaultSyntaxError(f"scenario step {number} is empty")
        try:
            plan = parse_step(body)
        except FaultSyntaxError as exc:
            raise FaultSyntaxError(f"scenario step {number}: {exc}") from None
        steps.extend([plan] * int(times))
        if len(steps) > MAX_STEPS:
            raise FaultSyntaxError(f"a scenario has at most {MAX_STEPS} steps")
    return tuple(steps)


@dataclass(frozen=True)
class RuleMatch:
    method: str | None = None
    path: str | None = None  # glob: /v1/files/*
    model: str | None = None
    account: str | None = None

    def matches(self, method: str, path: str, model: str | None, account: str) -> bool:
        return ((self.method is None or self.method == method.upper())
                and (self.path is None or fnmatch.fnmatchcase(path, self.path))
                and (self.model is None or self.model == model)
                and (self.account is None or self.account == account))


@dataclass(frozen=True)
class FaultRule:
    fault: FaultPlan
    match: RuleMatch = RuleMatch()
    times: int | None = None
    probability: float | None = None

    def to_json(self) -> dict[str, Any]:
        match = {k: getattr(self.match, k) for k in MATCH_KEYS if getattr(self.match, k)}
        return {"fault": self.fault.text, "match": match, "times": self.times,
                "probability": self.probability}


def parse_rule(item: Any) -> FaultRule:
    """One rule from a config file or an admin call; errors name the field."""
    if isinstance(item, str):
        item = {"fault": item}
    if not isinstance(item, Mapping):
        raise FaultSyntaxError(f"a fault rule is a mapping with a 'fault', got {item!r}")
    _refuse_unknown(item, RULE_KEYS, "fault rule")
    if not isinstance(item.get("fault"), str):
        raise FaultSyntaxError("fault rule needs 'fault': an X-Mock-Fault value or a step like 429")
    times, probability = item.get("times"), item.get("probability")
    if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
        raise FaultSyntaxError(f"fault rule 'times' must be a whole number >= 1, got {times!r}")
    if probability is not None and (isinstance(probability, bool)
                                    or not isinstance(probability, int | float)
                                    or not 0 <= probability <= 1):
        raise FaultSyntaxError(f"fault rule 'probability' must be in [0, 1], got {probability!r}")
    return FaultRule(parse_step(item["fault"]), _match(item.get("match") or {}), times,
                     None if probability is None else float(probability))


def _refuse_unknown(item: Mapping[str, Any], known: Sequence[str], what: str) -> None:
    """Unknown fields are an error naming them and the closest known field."""
    unknown = sorted(set(item) - set(known), key=str)
    if unknown:
        close = difflib.get_close_matches(str(unknown[0]), list(known), n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise FaultSyntaxError(f"{what} has unknown fields {unknown}; {hint}known: {list(known)}")


def _match(value: Any) -> RuleMatch:
    if not isinstance(value, Mapping):
        raise FaultSyntaxError(f"fault rule 'match' must be a mapping, got {value!r}")
    _refuse_unknown(value, MATCH_KEYS, "fault rule 'match'")
    fields = {k: str(value[k]) for k in MATCH_KEYS if value.get(k) is not None}
    if "method" in fields:
        fields["method"] = fields["method"].upper()
    return RuleMatch(**fields)


def rules_from_config(value: Any) -> tuple[FaultRule, ...]:
    """`faults:` of a config file: a list of rules (a bare string is one rule for every call)."""
    if isinstance(value, str | Mapping):
        value = [value]
    if not isinstance(value, list | tuple):
        raise FaultSyntaxError(f"faults must be a list of rules, got {value!r}")
    rules = []
    for number, item in enumerate(value, start=1):
        if isinstance(item, FaultRule):
            rules.append(item)
            continue
        try:
            rules.append(parse_rule(item))
        except FaultSyntaxError as exc:
            raise FaultSyntaxError(f"rule {number}: {exc}") from None
    return tuple(rules)


def scenarios_from_config(value: Any) -> dict[str, str]:
    """`scenarios:` of a config file: {session id or account name: steps}, each checked now."""
    if not isinstance(value, Mapping):
        raise FaultSyntaxError(f"scenarios must map a session or account to steps, got {value!r}")
    for key, steps in value.items():
        if not isinstance(steps, str):
            raise FaultSyntaxError(f"scenario {key!r} must be a string of steps, got {steps!r}")
        try:
            parse_scenario(steps)
        except FaultSyntaxError as exc:
            raise FaultSyntaxError(f"scenario {key!r}: {exc}") from None
    return {str(k): v for k, v in value.items()}
