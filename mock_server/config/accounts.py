"""The `accounts` setting (by name, or a list with `name`; `MOONSHOT_MOCK_KEYS` pairs) and
`limits` (`rpm=3,tpm=none` or a mapping), as `AccountConfig`s and limit overrides."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mock_server.config.names import ACCOUNT_NAMES, closest, reject_unknown
from mock_server.settings import LIMIT_NAMES, AccountConfig, ConfigError

KEYS_VARIABLE = "MOONSHOT_MOCK_KEYS"


def accounts_from_pairs(text: str) -> list[dict[str, Any]]:
    """`sk-a=acme,sk-b=acme,sk-c=other`: keys and the account each belongs to."""
    accounts: dict[str, list[str]] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        key, sep, name = pair.partition("=")
        if not sep or not key or not name:
            raise ConfigError(f"{KEYS_VARIABLE} entries must be key=account, got {pair!r}")
        accounts.setdefault(name, []).append(key)
    return [{"name": name, "keys": keys} for name, keys in accounts.items()]


def read_accounts(value: Any) -> tuple[AccountConfig, ...]:
    if isinstance(value, Mapping):  # {name: {...}} form of the config file
        value = [{"name": name, **(body or {})} for name, body in value.items()]
    if not isinstance(value, list | tuple):
        raise ConfigError(f"accounts must be a list or a mapping, got {value!r}")
    return tuple(item if isinstance(item, AccountConfig) else _account(item) for item in value)


def _account(item: Any) -> AccountConfig:
    if not isinstance(item, Mapping) or "name" not in item:
        raise ConfigError(f"each account needs a name, got {item!r}")
    where = f"accounts.{item['name']}."
    reject_unknown(item, ACCOUNT_NAMES, "setting", where)
    keys = item.get("keys", ())
    return AccountConfig(
        name=str(item["name"]),
        keys=(keys,) if isinstance(keys, str) else tuple(str(k) for k in keys),
        cash_balance=_number(where + "cash_balance", item.get("cash_balance", 100.0)),
        voucher_balance=_number(where + "voucher_balance", item.get("voucher_balance", 0.0)),
        tier=str(item.get("tier") or ""),
        limits=read_limits(item.get("limits") or {}),
    )


def _number(name: str, value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name} has a bad value: {value!r} (expected a number)") from None


def read_limits(value: Any) -> dict[str, int | None]:
    """`rpm=3,tpm=none` or `{rpm: 3, tpm: null}`: limits by name; none/unlimited = no limit."""
    if isinstance(value, str):
        pairs = [p.partition("=") for p in filter(None, (x.strip() for x in value.split(",")))]
        if any(not sep for _, sep, _ in pairs):
            raise ConfigError(f"limits must be name=value pairs, got {value!r}")
        value = {name.strip(): raw.strip() for name, _, raw in pairs}
    if not isinstance(value, Mapping):
        raise ConfigError(f"limits must be a mapping or name=value pairs, got {value!r}")
    return {str(name): _limit(str(name), raw) for name, raw in value.items()}


def _limit(name: str, raw: Any) -> int | None:
    if name not in LIMIT_NAMES:
        raise ConfigError(f"limits: unknown limit {name!r}{closest(name, LIMIT_NAMES)} "
                          f"(known: {', '.join(LIMIT_NAMES)})")
    if raw is None or str(raw).lower() in ("none", "unlimited", "null"):
        return None
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise ConfigError(f"setting limits.{name} has a bad value: {raw!r} "
                          "(expected a whole number, or none)")
    return number
