"""The four per-account limits (concurrency, RPM, TPM, TPD) as plain data and plain functions.

`admit` decides one request over an account's `Usage` at time `now` (from the injected clock):
it either records the request and answers `ok`, or records nothing and names the first limit hit
(checked in the order concurrency, RPM, TPM, TPD). Tokens are prompt tokens + max tokens, as the
real API counts them. The Redis backend runs the same algorithm as a Lua script; the tests hold
both to the same table of cases.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from mock_server.data import DATA_DIR
from mock_server.data.yaml_load import load_yaml_cached
from mock_server.errors import MoonshotError
from mock_server.ids import stable_hex
from mock_server.messages import NEWEST
from mock_server.settings import LIMIT_NAMES, AccountConfig, ConfigError, Settings

MINUTE = 60.0
DAY = 86_400.0


@dataclass(frozen=True)
class Limits:
    """None = unlimited. All None = limits off (no bookkeeping at all)."""

    concurrency: int | None = None
    rpm: int | None = None
    tpm: int | None = None
    tpd: int | None = None
    enabled: bool = field(init=False, repr=False, compare=False)  # checked for every request

    def __post_init__(self) -> None:
        object.__setattr__(self, "enabled",
                           any(getattr(self, name) is not None for name in LIMIT_NAMES))

    def override(self, changes: Mapping[str, int | None]) -> Limits:
        return replace(self, **dict(changes))


def load_tiers() -> dict[str, Limits]:
    text = (DATA_DIR / "tiers.yaml").read_text("utf-8")
    table: Mapping[str, Mapping[str, Any]] = load_yaml_cached(text)["tiers"]
    return {name: Limits(**{k: row.get(k) for k in LIMIT_NAMES}) for name, row in table.items()}


def account_limits(settings: Settings, account: AccountConfig | None,
                   tiers: Mapping[str, Limits]) -> Limits:
    """The account's tier (else the server's), then the server's and the account's overrides."""
    tier = (account.tier if account and account.tier else settings.tier) or ""
    if tier.lower() in ("", "off", "none"):
        limits = Limits()
    elif tier in tiers:
        limits = tiers[tier]
    else:
        raise ConfigError(f"tier must be one of {', '.join(tiers)} or off, got {tier!r}")
    limits = limits.override(settings.limits)
    return limits.override(account.limits) if account else limits


@dataclass
class Window:
    """Admitted requests of the last `span` seconds, oldest first, with their token total."""

    span: float
    entries: deque[tuple[float, int]] = field(default_factory=deque)
    tokens: int = 0

    def evict(self, now: float) -> None:
        while self.entries and self.entries[0][0] <= now - self.span:
            self.tokens -= self.entries.popleft()[1]

    def add(self, now: float, tokens: int) -> None:
        self.entries.append((now, tokens))
        self.tokens += tokens

    def wait_requests(self, now: float, excess: int) -> int:
        """Seconds until `excess` requests have left the window."""
        if excess > len(self.entries) or excess <= 0:
            return math.ceil(self.span)
        return _seconds(self.entries[excess - 1][0] + self.span - now)

    def wait_tokens(self, now: float, excess: int) -> int:
        """Seconds until `excess` tokens have left the window (the span if they never can)."""
        freed = 0
        for at, tokens in self.entries:
            freed += tokens
            if freed >= excess:
                return _seconds(at + self.span - now)
        return math.ceil(self.span)


def _seconds(value: float) -> int:
    return max(1, math.ceil(value - 1e-9))


@dataclass
class Usage:
    """One account's bookkeeping (the memory backend keeps one per account)."""

    in_flight: int = 0
    minute: Window = field(default_factory=lambda: Window(MINUTE))
    day: Window = field(default_factory=lambda: Window(DAY))


@dataclass(frozen=True)
class Verdict:
    """`ok`, or the limit hit: current value (this request included), limit, seconds to wait.

    For `ok`: current = requests in the minute window, limit = the RPM (0 if none), and
    retry_after = seconds until the oldest of them leaves (for optional rate-limit headers).
    """

    kind: str
    current: int
    limit: int
    retry_after: int

    @property
    def admitted(self) -> bool:
        return self.kind == "ok"


def admit(usage: Usage, limits: Limits, tokens: int, now: float) -> Verdict:
    usage.minute.evict(now)
    usage.day.evict(now)
    minute, day = usage.minute, usage.day
    if limits.concurrency is not None and usage.in_flight >= limits.concurrency:
        return Verdict("concurrency", usage.in_flight + 1, limits.concurrency, 1)
    if limits.rpm is not None and len(minute.entries) >= limits.rpm:
        excess = len(minute.entries) - limits.rpm + 1
        return Verdict("rpm", len(minute.entries) + 1, limits.rpm,
                       minute.wait_requests(now, excess))
    if limits.tpm is not None and minute.tokens + tokens > limits.tpm:
        current = minute.tokens + tokens
        return Verdict("tpm", current, limits.tpm, minute.wait_tokens(now, current - limits.tpm))
    if limits.tpd is not None and day.tokens + tokens > limits.tpd:
        current = day.tokens + tokens
        return Verdict("tpd", current, limits.tpd, day.wait_tokens(now, current - limits.tpd))
    usage.in_flight += 1
    if limits.rpm is not None or limits.tpm is not None:
        minute.add(now, tokens)
    if limits.tpd is not None:
        day.add(now, tokens)
    return Verdict("ok", len(minute.entries), limits.rpm or 0, minute.wait_requests(now, 1))


def release(usage: Usage) -> None:
    usage.in_flight = max(0, usage.in_flight - 1)


def project_id(account_name: str) -> str:
    """The default project of an account (`proj-` + 32 hex), as TPM/TPD messages name it."""
    return "proj-" + stable_hex("proj", account_name)


CAPTURED_RETRY_SECONDS = 1  # "please try again after 1 seconds" in every real capture (§9.3)


@dataclass(frozen=True)
class Caller429:
    """Who a 429 names: org id, user xid, project id and key id."""

    org: str
    uid: str
    project: str
    key_id: str


def rejection(verdict: Verdict, who: Caller429, texts: Mapping[str, str] = NEWEST,
              window_hint: bool = False) -> MoonshotError:
    """429 `rate_limit_reached_error` in the wording of the era (`texts`, ref §9.3). The
    message says "after 1 seconds", as every real capture does; `window_hint` puts the honest
    remainder of the window there instead (`Retry-After` carries it when headers are on)."""
    seconds = verdict.retry_after if window_hint else CAPTURED_RETRY_SECONDS
    text = texts[verdict.kind].format(
        org=who.org, uid=who.uid, proj=who.project, ak=who.key_id, limit=verdict.limit,
        current=verdict.current, retry_after=seconds)
    return MoonshotError("rate_limit_reached_error", text)


def rate_limit_headers(verdict: Verdict) -> dict[str, str]:
    """`X-RateLimit-*` (and `Retry-After` on a 429): only sent when a setting asks for them."""
    if verdict.admitted:
        if not verdict.limit:
            return {}
        return {"X-RateLimit-Limit": str(verdict.limit),
                "X-RateLimit-Remaining": str(max(0, verdict.limit - verdict.current)),
                "X-RateLimit-Reset": str(verdict.retry_after)}
    return {"Retry-After": str(verdict.retry_after), "X-RateLimit-Limit": str(verdict.limit),
            "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(verdict.retry_after)}
