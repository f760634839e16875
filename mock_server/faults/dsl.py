"""The fault DSL of the `X-Mock-Fault` header, parsed strictly into a `FaultPlan`.

A header holds `;`-separated directives, each `name` or `name=value` (the table in
docs/faults.md). Anything undecodable raises `FaultSyntaxError` naming the directive and what
was expected; the edge turns it into a 400. A plan has at most one *outcome* (an error, a 504,
or a connection fault); latency combines with anything; stream faults combine with each other.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mock_server.errors import STATUS_BY_TYPE
from mock_server.faults.presets import ErrorFault, default_for_type, named_error

MAX_SECONDS = 900.0  # the real gateway's own timeout
CONNECTION_FAULTS = ("reset", "empty", "garbage")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s)$")
_DISTRIBUTION = re.compile(r"^(lognormal|uniform)\((.*)\)$")


class FaultSyntaxError(ValueError):
    """A directive that cannot be decoded; the message names it."""


@dataclass(frozen=True)
class Latency:
    """Seconds before the first byte: fixed, `lognormal(median, sigma)` or `uniform(low, high)`."""

    kind: str
    a: float
    b: float = 0.0

    def draw(self, rng: random.Random) -> float:
        if self.kind == "lognormal":
            value = self.a * math.exp(rng.gauss(0.0, self.b))
        elif self.kind == "uniform":
            value = rng.uniform(self.a, self.b)
        else:
            value = self.a
        return min(value, MAX_SECONDS)


@dataclass(frozen=True)
class FaultPlan:
    text: str = ""
    latency: Latency | None = None
    error: ErrorFault | None = None
    retry_after: float | None = None
    gateway_timeout: float | None = None
    connection: str | None = None
    cut_after: int | None = None
    cut_mid_json: int | None = None
    no_done: bool = False
    stall: tuple[float, int] | None = None  # (seconds, after event N)
    ttft: float | None = None
    tps: float | None = None
    duplicate: int | None = None

    @property
    def outcome(self) -> str | None:
        if self.error:
            return "error"
        if self.gateway_timeout is not None:
            return "gateway_timeout"
        return self.connection

    @property
    def is_noop(self) -> bool:
        return self.outcome is None and self.latency is None and not self.has_stream_faults

    @property
    def has_stream_faults(self) -> bool:
        return any(_is_set(getattr(self, name)) for name in STREAM_FIELDS)


STREAM_FIELDS = ("cut_after", "cut_mid_json", "no_done", "stall", "ttft", "tps", "duplicate")
OK = FaultPlan(text="ok")


def duration(text: str, what: str) -> float:
    match = _DURATION.match(text.strip())
    if not match:
        raise FaultSyntaxError(f"{what} needs a duration like 200ms or 1.5s, got {text!r}")
    seconds = float(match[1]) / (1000 if match[2] == "ms" else 1)
    if seconds > MAX_SECONDS:
        raise FaultSyntaxError(f"{what} is at most {MAX_SECONDS:g}s, got {text!r}")
    return seconds


def count(text: str, what: str, minimum: int = 0) -> int:
    if not text.strip().isdigit() or int(text) < minimum:
        raise FaultSyntaxError(f"{what} needs a whole number >= {minimum}, got {text!r}")
    return int(text)


def number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise FaultSyntaxError(f"{what} needs a positive number, got {text!r}")
    return value


def _latency(value: str) -> dict[str, Any]:
    match = _DISTRIBUTION.match(value.replace(" ", ""))
    if not match:
        return {"latency": Latency("fixed", duration(value, "latency"))}
    kind, args = match[1], match[2].split(",")
    if len(args) != 2:
        raise FaultSyntaxError(f"latency={kind}(...) takes two arguments, got {value!r}")
    if kind == "uniform":
        low, high = duration(args[0], "uniform low"), duration(args[1], "uniform high")
        if high < low:
            raise FaultSyntaxError(f"latency=uniform needs low <= high, got {value!r}")
        return {"latency": Latency(kind, low, high)}
    return {"latency": Latency(kind, duration(args[0], "lognormal median"),
                               number(args[1], "lognormal sigma"))}


def _error(value: str) -> dict[str, Any]:
    error = named_error(value)
    if error is None:
        raise FaultSyntaxError(
            f"unknown error {value!r}; see docs/faults.md for the names (e.g. engine_overloaded)")
    return {"error": error}


def _status(value: str) -> dict[str, Any]:
    status = count(value, "status", 400)
    if status > 599:
        raise FaultSyntaxError(f"status must be 400-599, got {value!r}")
    return {"status": status}


def _type(value: str) -> dict[str, Any]:
    if value not in STATUS_BY_TYPE:
        raise FaultSyntaxError(f"unknown error type {value!r}; known: {sorted(STATUS_BY_TYPE)}")
    return {"type": value}


def _stall(value: str) -> dict[str, Any]:
    seconds, at, after = value.partition("@")
    if not at:
        raise FaultSyntaxError(f"stall needs DURATION@EVENT like 2s@5, got {value!r}")
    return {"stall": (duration(seconds, "stall"), count(after, "stall event"))}


def _flag(name: str) -> Callable[[str], dict[str, Any]]:
    if name in CONNECTION_FAULTS:
        return lambda _: {"connection": name}
    return lambda _: {name: True}


# name -> (takes a value?, decoder to plan fields)
DIRECTIVES: Mapping[str, tuple[bool, Callable[[str], dict[str, Any]]]] = {
    "error": (True, _error),
    "status": (True, _status),
    "type": (True, _type),
    "message": (True, lambda v: {"message": v}),
    "retry_after": (True, lambda v: {"retry_after": number(v, "retry_after")}),
    "latency": (True, _latency),
    "gateway_timeout": (True, lambda v: {"gateway_timeout": duration(v, "gateway_timeout")}),
    "reset": (False, _flag("reset")),
    "empty": (False, _flag("empty")),
    "garbage": (False, _flag("garbage")),
    "cut_after": (True, lambda v: {"cut_after": count(v, "cut_after")}),
    "cut_mid_json": (True, lambda v: {"cut_mid_json": count(v, "cut_mid_json")}),
    "no_done": (False, _flag("no_done")),
    "stall": (True, _stall),
    "ttft": (True, lambda v: {"ttft": duration(v, "ttft")}),
    "tps": (True, lambda v: {"tps": number(v, "tps")}),
    "duplicate": (True, lambda v: {"duplicate": count(v, "duplicate", 1)}),
}


def parse_fault(text: str) -> FaultPlan:
    """Decode one header value; raises FaultSyntaxError naming the first problem."""
    if not text.strip():
        raise FaultSyntaxError("empty fault; write directives like error=engine_overloaded")
    values: dict[str, Any] = {}
    seen: set[str] = set()
    for raw in text.split(";"):
        name, has_value, value = (part.strip() for part in raw.partition("="))
        name = name.lower()
        if name not in DIRECTIVES:
            raise FaultSyntaxError(
                f"unknown directive {name or raw.strip()!r}; known: {', '.join(DIRECTIVES)}")
        if name in seen:
            raise FaultSyntaxError(f"directive {name!r} given twice")
        seen.add(name)
        takes_value, decode = DIRECTIVES[name]
        if takes_value and not value:
            raise FaultSyntaxError(f"directive {name!r} needs a value ({name}=...)")
        if not takes_value and has_value:
            raise FaultSyntaxError(f"directive {name!r} takes no value")
        values.update(decode(value))
    return _build(text.strip(), values)


def _build(text: str, values: dict[str, Any]) -> FaultPlan:
    custom = {key: values.pop(key) for key in ("status", "type", "message") if key in values}
    if custom:
        values["error"] = _custom_error(values.get("error"), custom)
    plan = FaultPlan(text=text, **values)
    outcomes = seen_outcomes(plan)
    if len(outcomes) > 1:
        raise FaultSyntaxError(f"{' and '.join(outcomes)} cannot be combined: one outcome per request")
    if plan.outcome and plan.has_stream_faults:
        raise FaultSyntaxError(f"stream faults need a stream that starts; drop {plan.outcome!r}")
    if plan.cut_after is not None and plan.cut_mid_json is not None:
        raise FaultSyntaxError("cut_after and cut_mid_json cannot be combined")
    if plan.retry_after is not None and plan.error is None:
        raise FaultSyntaxError("retry_after needs an error (error=, status= or type=)")
    return plan


def seen_outcomes(plan: FaultPlan) -> list[str]:
    found = ["error"] if plan.error else []
    if plan.gateway_timeout is not None:
        found.append("gateway_timeout")
    return found + ([plan.connection] if plan.connection else [])


def _custom_error(base: ErrorFault | None, custom: Mapping[str, Any]) -> ErrorFault:
    type_ = custom.get("type") or (base.type if base else None)
    status = custom.get("status")
    if type_ is None and status is not None:
        type_ = next((t for t, s in STATUS_BY_TYPE.items() if s == status), "server_error")
    if type_ is None:
        raise FaultSyntaxError("message= needs error=, status= or type=")
    preset = base or default_for_type(type_)
    message = custom.get("message") or (preset.message if preset else "Injected error")
    return ErrorFault(status or (base.status if base else STATUS_BY_TYPE[type_]), type_, message)


def _is_set(value: object) -> bool:
    """`cut_after=0` is set; only None and the False of a flag are not."""
    return value is not None and value is not False
