"""Settings: one frozen object, built in one place from a config file, the environment and flags.

Precedence: command-line flags > environment (`MOONSHOT_MOCK_*`) > config file > defaults.
Errors name the setting and the bad value.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mock_server.fault_rules import FaultRule, rules_from_config, scenarios_from_config
from mock_server.faults import FaultSyntaxError
from mock_server.yaml_load import YAMLError, load_yaml

ENV_PREFIX = "MOONSHOT_MOCK_"
LIMIT_NAMES = ("concurrency", "rpm", "tpm", "tpd")
LimitOverrides = Mapping[str, int | None]


class ConfigError(ValueError):
    """A setting that cannot be used; the message names it and its value."""


@dataclass(frozen=True)
class AccountConfig:
    """An account (the real API's user/organization): limits and balance belong to it."""

    name: str
    keys: tuple[str, ...] = ()
    cash_balance: float = 100.0
    voucher_balance: float = 0.0
    tier: str = ""  # a preset of data/tiers.yaml; "" = the server's `tier`
    limits: LimitOverrides = field(default_factory=dict)  # overrides the tier's entries


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    seed: int = 0
    accounts: tuple[AccountConfig, ...] = ()
    strict_auth: bool | None = None  # None: strict exactly when some account lists keys
    clock: str = "real"
    sse_ping_seconds: float = 0.0
    stream_event_interval: float = 0.0  # seconds between SSE events, paced by the clock
    reply_tokens: tuple[int, int] = (16, 64)
    default_cash_balance: float = 100.0
    default_voucher_balance: float = 0.0
    models_file: Path | None = None
    log_level: str = "info"
    # fault injection and the control plane (README "Faults"): see mock_server/fault_rules.py
    admin_token: str = ""
    journal_size: int = 1000
    faults: tuple[FaultRule, ...] = ()
    scenarios: Mapping[str, str] = field(default_factory=dict)
    # admission and billing (limits off unless a tier or limits are set)
    tier: str = ""
    limits: LimitOverrides = field(default_factory=dict)
    rate_limit_headers: bool = False
    overload_probability: float = 0.0
    overload_schedule: str = ""
    # shared state: "memory" (one process) or "redis" (many workers or replicas)
    state: str = "memory"
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_prefix: str = "moonshot-mock:"
    workers: int = 1
    # uploaded files
    data_dir: Path | None = None  # durable file storage; None keeps files in memory
    file_max_bytes: int = 100 * 1024 * 1024
    file_max_count: int = 1000
    file_max_total_bytes: int = 10 * 1024**3
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def strict(self) -> bool:
        """Strict auth: only listed keys pass. Default: on exactly when an account lists keys."""
        if self.strict_auth is None:
            return any(account.keys for account in self.accounts)
        return self.strict_auth

    @classmethod
    def load(
        cls,
        flags: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        config_file: str | Path | None = None,
    ) -> Settings:
        env = os.environ if env is None else env
        flags = {k: v for k, v in (flags or {}).items() if v is not None}
        path = flags.pop("config", None) or config_file or env.get(ENV_PREFIX + "CONFIG")
        values: dict[str, Any] = dict(read_config_file(Path(path))) if path else {}
        values.update(_from_env(env))
        values.update(flags)
        return cls.from_mapping(values)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Settings:
        known = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for name, value in values.items():
            if name == "accounts":
                kwargs["accounts"] = _accounts(value)
            elif name in ("faults", "scenarios"):
                kwargs[name] = _fault_setting(name, value)
            elif name == "limits":
                kwargs["limits"] = parse_limits(value)
            elif name in known and name != "extra":
                kwargs[name] = _coerce(name, value, cls.__dataclass_fields__[name].default)
            else:
                extra[name] = value
        if kwargs.get("clock", "real") not in ("real", "virtual"):
            raise ConfigError(f"clock must be 'real' or 'virtual', got {kwargs['clock']!r}")
        if kwargs.get("state", "memory") not in ("memory", "redis"):
            raise ConfigError(f"state must be 'memory' or 'redis', got {kwargs['state']!r}")
        return cls(**kwargs, extra=extra)


def _fault_setting(name: str, value: Any) -> Any:
    try:
        return rules_from_config(value) if name == "faults" else scenarios_from_config(value)
    except FaultSyntaxError as exc:
        raise ConfigError(f"setting {name}: {exc}") from exc


def read_config_file(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"config file {str(path)!r} cannot be read: {exc.strerror}") from exc
    import tomllib  # only a TOML file needs it: not imported on every start

    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else load_yaml(text)
    except (tomllib.TOMLDecodeError, YAMLError) as exc:
        raise ConfigError(f"config file {str(path)!r} is not valid: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"config file {str(path)!r} must hold a mapping at the top")
    return data


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        raw = env.get(ENV_PREFIX + f.name.upper())
        if raw is not None and f.name not in ("accounts", "extra"):
            values[f.name] = raw
    keys = env.get(ENV_PREFIX + "KEYS")
    if keys:
        values["accounts"] = _accounts_from_pairs(keys)
    return values


def _accounts_from_pairs(text: str) -> list[dict[str, Any]]:
    """`sk-a=acme,sk-b=acme,sk-c=other`: keys and the account each belongs to."""
    accounts: dict[str, list[str]] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        key, sep, name = pair.partition("=")
        if not sep or not key or not name:
            raise ConfigError(f"{ENV_PREFIX}KEYS entries must be key=account, got {pair!r}")
        accounts.setdefault(name, []).append(key)
    return [{"name": name, "keys": keys} for name, keys in accounts.items()]


def _accounts(value: Any) -> tuple[AccountConfig, ...]:
    if isinstance(value, Mapping):  # {name: {...}} form of the config file
        value = [{"name": name, **(body or {})} for name, body in value.items()]
    if not isinstance(value, list | tuple):
        raise ConfigError(f"accounts must be a list or a mapping, got {value!r}")
    accounts = []
    for item in value:
        if isinstance(item, AccountConfig):
            accounts.append(item)
            continue
        if not isinstance(item, Mapping) or "name" not in item:
            raise ConfigError(f"each account needs a name, got {item!r}")
        known = {f.name for f in dataclasses.fields(AccountConfig)}
        unknown = set(item) - known
        if unknown:
            raise ConfigError(f"account {item['name']!r} has unknown settings {sorted(unknown)}")
        keys = item.get("keys", ())
        if isinstance(keys, str):
            keys = (keys,)
        accounts.append(
            AccountConfig(
                name=str(item["name"]),
                keys=tuple(str(k) for k in keys),
                cash_balance=_coerce("cash_balance", item.get("cash_balance", 100.0), 0.0),
                voucher_balance=_coerce("voucher_balance", item.get("voucher_balance", 0.0), 0.0),
                tier=str(item.get("tier") or ""),
                limits=parse_limits(item.get("limits") or {}),
            )
        )
    return tuple(accounts)


def parse_limits(value: Any) -> dict[str, int | None]:
    """`rpm=3,tpm=none` or `{rpm: 3, tpm: null}`: limits by name; none/unlimited = no limit."""
    if isinstance(value, str):
        pairs = [p.partition("=") for p in filter(None, (x.strip() for x in value.split(",")))]
        if any(not sep for _, sep, _ in pairs):
            raise ConfigError(f"limits must be name=value pairs, got {value!r}")
        value = {name.strip(): raw.strip() for name, _, raw in pairs}
    if not isinstance(value, Mapping):
        raise ConfigError(f"limits must be a mapping or name=value pairs, got {value!r}")
    limits: dict[str, int | None] = {}
    for name, raw in value.items():
        if name not in LIMIT_NAMES:
            raise ConfigError(f"limits: unknown limit {name!r} (known: {', '.join(LIMIT_NAMES)})")
        if raw is None or str(raw).lower() in ("none", "unlimited", "null"):
            limits[name] = None
            continue
        number = _coerce(f"limits.{name}", raw, 0)
        if number < 0:
            raise ConfigError(f"setting limits.{name} has a bad value: {raw!r}")
        limits[name] = number
    return limits


def _coerce(name: str, value: Any, default: Any) -> Any:
    """Turn a flag, env or file value into the default's type, or say which setting is wrong."""
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                if value.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                    raise ValueError
                return value.lower() in ("1", "true", "yes", "on")
            return bool(value)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, tuple):
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(type(d)(v) for d, v in zip(default, items, strict=True))
        if name == "strict_auth":
            return _coerce(name, value, False)
        if name in ("models_file", "data_dir"):
            return None if value in (None, "") else Path(value)
        return value if default is None else str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name} has a bad value: {value!r}") from exc
