"""Settings built in one place from a config file, the environment and flags.

Precedence: command-line flags > environment (`MOONSHOT_MOCK_*`) > config file > defaults.
Errors name the setting and the bad value; an unknown setting (a typo at any level of a file,
an unknown `MOONSHOT_MOCK_*` variable) is an error naming the closest known one.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from mock_server.chat.tokens import counter_for
from mock_server.clock import epoch_day
from mock_server.data.yaml_load import YAMLError, load_yaml
from mock_server.faults.dsl import FaultSyntaxError
from mock_server.faults.rules import parse_step, rules_from_config, scenarios_from_config
from mock_server.replies.files import rules_from_list
from mock_server.replies.rules import ReplySyntaxError
from mock_server.reply_files import load_reply_files
from mock_server.settings import LIMIT_NAMES, AccountConfig, ConfigError, Settings

__all__ = ["AccountConfig", "ConfigError", "Settings", "load_settings", "settings_from_mapping"]

ENV_PREFIX = "MOONSHOT_MOCK_"
# variables that are not a setting of their own: the file to read, keys=accounts pairs, and the
# settings file a `--workers` parent hands its workers
ENV_EXTRA = ("CONFIG", "KEYS", "WORKER_CONFIG")
SETTING_NAMES = tuple(f.name for f in dataclasses.fields(Settings))
ACCOUNT_NAMES = tuple(f.name for f in dataclasses.fields(AccountConfig))


def load_settings(
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
    return settings_from_mapping(values)


def settings_from_mapping(values: Mapping[str, Any]) -> Settings:
    reject_unknown(values, SETTING_NAMES, "setting")
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        if name == "accounts":
            kwargs["accounts"] = _accounts(value)
        elif name in ("faults", "scenarios"):
            kwargs[name] = _fault_setting(name, value)
        elif name == "limits":
            kwargs["limits"] = parse_limits(value)
        elif name in ("replies", "replies_dir"):
            kwargs[name] = _reply_setting(name, value)
        else:
            kwargs[name] = _coerce(name, value, Settings.__dataclass_fields__[name].default)
    if kwargs.get("clock", "real") not in ("real", "virtual"):
        raise ConfigError(f"clock must be 'real' or 'virtual', got {kwargs['clock']!r}")
    if kwargs.get("retry_hint", "captured") not in ("captured", "window"):
        raise ConfigError(f"retry_hint must be 'captured' or 'window', got {kwargs['retry_hint']!r}")
    if kwargs.get("api_date"):
        try:
            epoch_day(kwargs["api_date"])
        except ValueError:
            raise ConfigError(f"api_date must be a date YYYY-MM-DD, got {kwargs['api_date']!r}") from None
    if kwargs.get("state", "memory") not in ("memory", "redis"):
        raise ConfigError(f"state must be 'memory' or 'redis', got {kwargs['state']!r}")
    if kwargs.get("tokenizer_file") is not None:
        check_tokenizer_file(kwargs["tokenizer_file"])
    _check_replay(kwargs)
    check_ranges(kwargs)
    return Settings(**kwargs)


def check_tokenizer_file(path: Path) -> None:
    """The vocabulary must be a readable file; it is loaded now (once) so a bad one is named."""
    if not path.is_file():
        raise ConfigError(f"setting tokenizer_file: no such file {str(path)!r} (point it at the "
                          "tiktoken.model of the moonshotai/Kimi-K2-Instruct model repository)")
    counter_for(path)


def _check_replay(kwargs: Mapping[str, Any]) -> None:
    if kwargs.get("replay_speed", 1.0) < 0:
        raise ConfigError(f"replay_speed must be 0 (no pacing) or more, got {kwargs['replay_speed']!r}")
    upstream = kwargs.get("passthrough", "")
    if upstream and not upstream.startswith(("http://", "https://")):
        raise ConfigError(f"passthrough must be an http:// or https:// URL, got {upstream!r}")
    if kwargs.get("record_dir") is not None and not upstream:
        raise ConfigError("record_dir needs passthrough: the upstream whose answers are recorded")
    if kwargs.get("record_dir") is not None and kwargs.get("workers", 1) > 1:
        raise ConfigError("record_dir needs a single worker (workers=1): one process numbers the files")


# settings that must lie in a range: (lowest, highest or None); a port of 0 picks a free one
RANGES: Mapping[str, tuple[int, int | None]] = {
    "port": (0, 65535), "workers": (1, None), "journal_size": (0, None),
    **{name: (1, None) for name in (
        "extract_max_unzipped_bytes", "extract_max_entries", "extract_max_pages",
        "extract_max_depth", "request_max_bytes", "json_max_depth", "header_max_count",
        "header_max_bytes", "file_max_bytes", "file_max_count", "file_max_total_bytes")},
}


def check_ranges(values: Mapping[str, Any]) -> None:
    for name, (low, high) in RANGES.items():
        value = values.get(name)
        if value is None or (value >= low and (high is None or value <= high)):
            continue
        span = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ConfigError(f"setting {name} must be {span}, got {value}")


def reject_unknown(values: Iterable[str], known: Iterable[str], what: str, prefix: str = "") -> None:
    """A `ConfigError` for the first name not in `known`, naming the closest known one."""
    known = tuple(known)
    for name in values:
        if name not in known:
            raise ConfigError(f"unknown {what} {prefix + str(name)!r}{closest(str(name), known, prefix)} "
                              f"(known: {', '.join(prefix + k for k in known)})")


def closest(name: str, known: Iterable[str], prefix: str = "") -> str:
    """`; did you mean 'tier'?` for `tire`, or nothing when no known name is close."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return f"; did you mean {prefix + close[0]!r}?" if close else ""


def _fault_setting(name: str, value: Any) -> Any:
    try:
        return rules_from_config(value) if name == "faults" else scenarios_from_config(value)
    except FaultSyntaxError as exc:
        raise ConfigError(f"setting {name}: {exc}") from exc


def check_fault_text(text: str) -> None:
    """An `error:` reply holds a fault step of the `X-Mock-Fault` DSL."""
    parse_step(text)


def _reply_setting(name: str, value: Any) -> Any:
    """`replies:` (a list of rules) or `replies_dir` (checked now: its files must load)."""
    if name == "replies_dir":
        if value in (None, ""):
            return None
        load_reply_files(Path(value), check_fault_text)
        return Path(value)
    try:
        return rules_from_list(value or [], "config", "config", check_fault_text)
    except ReplySyntaxError as exc:
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
    names = [name.removeprefix(ENV_PREFIX) for name in env if name.startswith(ENV_PREFIX)]
    settable = [n.upper() for n in SETTING_NAMES if n != "accounts"]
    reject_unknown(names, [*settable, *ENV_EXTRA], "environment variable", ENV_PREFIX)
    values: dict[str, Any] = {name.lower(): env[ENV_PREFIX + name] for name in names
                              if name not in ENV_EXTRA}
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
        reject_unknown(item, ACCOUNT_NAMES, "setting", f"accounts.{item['name']}.")
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
            raise ConfigError(f"limits: unknown limit {name!r}{closest(str(name), LIMIT_NAMES)} "
                              f"(known: {', '.join(LIMIT_NAMES)})")
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
        if name in ("models_file", "data_dir", "tokenizer_file", "record_dir"):
            if value in (None, ""):
                return None
            return Path(value).expanduser() if name == "tokenizer_file" else Path(value)
        return value if default is None else str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name} has a bad value: {value!r}") from exc
