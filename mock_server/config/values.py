"""How each setting's value is read and what it must satisfy: two tables, one reader.

`READ_BY_TYPE` turns a flag, environment or file value into the setting's declared type;
`READ_BY_NAME` reads the settings with a structure of their own (accounts, rules, paths that must
exist); `REQUIRE` lists what a read value must satisfy. A bad value is refused naming the setting
as the user spelled it and the value (`MOONSHOT_MOCK_PORT has a bad value: 'eighty' (expected a
whole number)`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mock_server.chat.tokens import counter_for
from mock_server.clock import epoch_day
from mock_server.config.accounts import read_accounts, read_limits
from mock_server.settings import ConfigError, Settings
from mock_server.tools.scripted import WebScriptError, parse_web_script

# The readers of the rule settings import their parsers on first use: a server started
# without fault rules, scenarios or reply rules never needs them.

Reader = Callable[[Any], Any]
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class Refused(ValueError):
    """A structured value refused with a message of its own (prefixed by the setting's name)."""


def as_bool(value: Any) -> bool:
    if isinstance(value, str):
        if value.lower() not in (*TRUE, *FALSE):
            raise ValueError("expected true or false")
        return value.lower() in TRUE
    return bool(value)


def as_int(value: Any) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError("expected a whole number")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError("expected a whole number") from None


def as_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError("expected a number") from None


def as_pair(value: Any) -> tuple[int, int]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or len(items) != 2:
        raise ValueError("expected two whole numbers, e.g. [16, 64]")
    return as_int(items[0]), as_int(items[1])


def as_path(value: Any) -> Path | None:
    return None if value in (None, "") else Path(value)


def as_text(value: Any) -> str:
    if isinstance(value, Mapping | list | tuple):
        raise ValueError("expected a text")
    return "" if value is None else str(value)


def as_optional_bool(value: Any) -> bool | None:
    return None if value is None else as_bool(value)


def faults(value: Any) -> Any:
    from mock_server.faults.dsl import FaultSyntaxError
    from mock_server.faults.rules import rules_from_config

    try:
        return rules_from_config(value)
    except FaultSyntaxError as exc:
        raise Refused(str(exc)) from None


def scenarios(value: Any) -> Any:
    from mock_server.faults.dsl import FaultSyntaxError
    from mock_server.faults.rules import scenarios_from_config

    try:
        return scenarios_from_config(value)
    except FaultSyntaxError as exc:
        raise Refused(str(exc)) from None


def check_fault_text(text: str) -> None:
    """An `error:` reply holds a fault step of the `X-Mock-Fault` DSL."""
    from mock_server.faults.rules import parse_step

    parse_step(text)


def reply_rules(value: Any) -> Any:
    from mock_server.replies.files import rules_from_list
    from mock_server.replies.rules import ReplySyntaxError

    try:
        return rules_from_list(value or [], "config", "config", check_fault_text)
    except ReplySyntaxError as exc:
        raise Refused(str(exc)) from None


def reply_files_dir(value: Any) -> Path | None:
    """The directory's files must load now (a bad one is named at start, not on a request)."""
    from mock_server.reply_files import load_reply_files

    path = as_path(value)
    if path is not None:
        load_reply_files(path, check_fault_text)
    return path


def web_results(value: Any) -> Any:
    try:
        return None if value is None else parse_web_script(value)
    except WebScriptError as exc:
        raise Refused(str(exc).removeprefix("web_results")) from None


def tokenizer_file(value: Any) -> Path | None:
    """The vocabulary must be a readable file; it is loaded now (once) so a bad one is named."""
    path = as_path(value)
    if path is None:
        return None
    path = path.expanduser()
    if not path.is_file():
        raise Refused(f"no such file {str(path)!r} (point it at the tiktoken.model of the "
                      "moonshotai/Kimi-K2-Instruct model repository)")
    counter_for(path)
    return path


READ_BY_TYPE: Mapping[str, Reader] = {
    "str": as_text, "int": as_int, "float": as_float, "bool": as_bool,
    "bool | None": as_optional_bool, "Path | None": as_path, "tuple[int, int]": as_pair,
}
READ_BY_NAME: Mapping[str, Reader] = {
    "accounts": read_accounts, "limits": read_limits, "faults": faults, "scenarios": scenarios,
    "reply_rules": reply_rules, "reply_files_dir": reply_files_dir, "web_results": web_results,
    "tokenizer_file": tokenizer_file,
}
FIELD_TYPES = {name: str(f.type) for name, f in Settings.__dataclass_fields__.items()}


def reader_of(name: str) -> Reader:
    return READ_BY_NAME.get(name) or READ_BY_TYPE[FIELD_TYPES[name]]


def read_value(name: str, value: Any, spelled: str) -> Any:
    """One setting's value, read and checked, or a `ConfigError` naming it as `spelled`."""
    try:
        read = reader_of(name)(value)
    except ConfigError:
        raise
    except Refused as exc:
        raise ConfigError(f"{spelled}: {exc}") from None
    except ValueError as exc:
        raise ConfigError(f"{spelled} has a bad value: {value!r} ({exc})") from None
    requirement = REQUIRE.get(name)
    if requirement is not None and read is not None and not requirement[0](read):
        raise ConfigError(f"{spelled} must be {requirement[1]}, got {read!r}")
    return read


def one_of(*choices: str) -> tuple[Callable[[Any], bool], str]:
    return (lambda value: value in choices), " or ".join(repr(c) for c in choices)


def at_least(low: float, high: float | None = None) -> tuple[Callable[[Any], bool], str]:
    span = f"between {low} and {high}" if high is not None else f"at least {low}"
    return (lambda value: value >= low and (high is None or value <= high)), span


def is_date(value: str) -> bool:
    try:
        epoch_day(value)
    except ValueError:
        return False
    return True


# what a read value must satisfy, and how to say it; a port of 0 picks a free one
REQUIRE: Mapping[str, tuple[Callable[[Any], bool], str]] = {
    "clock": one_of("real", "virtual"),
    "state": one_of("memory", "redis"),
    "retry_hint": one_of("captured", "window"),
    "log_level": one_of("critical", "error", "warning", "info", "debug", "trace"),
    "api_date": ((lambda value: not value or is_date(value)), "a date YYYY-MM-DD"),
    "upstream": ((lambda value: not value or value.startswith(("http://", "https://"))),
                 "an http:// or https:// URL"),
    "replay_speed": ((lambda value: value >= 0), "0 (no pacing) or more"),
    "header_timeout": ((lambda value: value > 0), "more than 0 seconds"),
    "redis_lease_seconds": ((lambda value: value > 0), "more than 0 seconds"),
    "keep_alive_timeout": ((lambda value: value >= 0), "0 or more seconds"),
    "port": at_least(0, 65535), "workers": at_least(1), "journal_size": at_least(0),
    **{name: at_least(1) for name in (
        "extract_max_unzipped_bytes", "extract_max_entries", "extract_max_pages",
        "extract_max_depth", "request_max_bytes", "json_max_depth", "header_max_count",
        "header_max_bytes", "file_max_bytes", "file_max_count", "file_max_total_bytes")},
}


def check_together(values: Mapping[str, Any]) -> None:
    """What settings require of each other."""
    if values.get("record_dir") is not None and not values.get("upstream"):
        raise ConfigError("record_dir needs upstream: the API whose answers are recorded")
    if values.get("record_dir") is not None and values.get("workers", 1) > 1:
        raise ConfigError("record_dir needs a single worker (workers=1): one process numbers the files")
