"""Where settings come from: a config file in sections, `MOONSHOT_MOCK_*` variables, flags.

Each source gives `{setting: Given(value, spelled)}`: the value as written and the setting's
name as the user wrote it, so that an error names what the user typed (`setting server.port`,
`MOONSHOT_MOCK_PORT`, `--port`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from mock_server.config.accounts import KEYS_VARIABLE, accounts_from_pairs
from mock_server.config.names import (
    RENAMED,
    SETTING_NAMES,
    deprecated,
    path_of,
    reject_unknown,
    unknown_in_file,
)
from mock_server.data.yaml_load import YAMLError, load_yaml
from mock_server.settings import SECTION_OF, SECTIONS, ConfigError

ENV_PREFIX = "MOONSHOT_MOCK_"
# variables that are not a setting of their own: the file to read, keys=accounts pairs, and the
# settings file a `--workers` parent hands its workers
ENV_EXTRA = ("CONFIG", "KEYS", "WORKER_CONFIG")


class Given(NamedTuple):
    value: Any
    spelled: str  # how the user named it: "setting server.port", "MOONSHOT_MOCK_PORT", "--port"


def read_config_file(path: Path) -> Mapping[str, Any]:
    """The file's document: YAML (JSON is YAML) or TOML (`.toml`), a mapping at the top."""
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


def from_document(document: Mapping[str, Any], where: str = "config file") -> dict[str, Given]:
    """A config file's settings by name. A name at the top level (the form before sections)
    or an earlier name still works, with one warning listing where each now goes."""
    found: dict[str, Given] = {}
    moved: list[str] = []
    for key, value in document.items():
        key = str(key)
        if key in SECTIONS and key != "accounts" and (value is None or isinstance(value, Mapping)):
            for name, inner in (value or {}).items():
                _put(found, moved, str(name), inner, key)
        elif key in SECTIONS and key not in SECTION_OF and key not in RENAMED:
            raise ConfigError(f"section {key} must be a mapping of its settings, got {value!r}")
        else:
            _put(found, moved, key, value, None)
    if moved:
        deprecated(f"{where} uses the layout of an earlier release: write {', '.join(moved)}")
    return found


def _put(found: dict[str, Given], moved: list[str], name: str, value: Any, section: str | None) -> None:
    written = name if section is None else f"{section}.{name}"
    actual = RENAMED.get(name, name)
    if actual not in SECTION_OF:
        raise unknown_in_file(name, section)
    if section is not None and SECTION_OF[actual] != section:
        raise ConfigError(f"setting {written!r} belongs in section {SECTION_OF[actual]!r}: "
                          f"write it as {path_of(actual)}")
    if written != path_of(actual):
        moved.append(f"{written} as {path_of(actual)}")
    if actual in found:
        raise ConfigError(f"setting {path_of(actual)} is given twice: as "
                          f"{found[actual].spelled.removeprefix('setting ')} and {written}")
    found[actual] = Given(value, f"setting {written}")


def from_env(env: Mapping[str, str]) -> dict[str, Given]:
    """`MOONSHOT_MOCK_<NAME>` for every setting but `accounts` (`MOONSHOT_MOCK_KEYS` names keys
    and their accounts)."""
    names = [name.removeprefix(ENV_PREFIX) for name in env if name.startswith(ENV_PREFIX)]
    settable = [n.upper() for n in SETTING_NAMES if n != "accounts"]
    old = [n.upper() for n in RENAMED]
    reject_unknown([n for n in names if n not in old], [*settable, *ENV_EXTRA],
                   "environment variable", ENV_PREFIX)
    found: dict[str, Given] = {}
    for name in sorted(n for n in names if n not in ENV_EXTRA):
        actual = RENAMED.get(name.lower(), name.lower())
        if actual != name.lower():
            deprecated(f"{ENV_PREFIX}{name} is a name of an earlier release: "
                       f"write {ENV_PREFIX}{actual.upper()}")
            if ENV_PREFIX + actual.upper() in env:
                continue  # the new name wins
        found[actual] = Given(env[ENV_PREFIX + name], ENV_PREFIX + actual.upper())
    if env.get(KEYS_VARIABLE):
        found["accounts"] = Given(accounts_from_pairs(env[KEYS_VARIABLE]), KEYS_VARIABLE)
    return found


def from_flags(flags: Mapping[str, Any]) -> dict[str, Given]:
    """Flags by their setting's name (`--quiet` sets `request_log`)."""
    return {name: Given(value, "--quiet" if name == "request_log" else f"--{name.replace('_', '-')}")
            for name, value in flags.items() if value is not None}


def from_mapping(values: Mapping[str, Any]) -> dict[str, Given]:
    """Settings by name from Python (`settings_from_mapping`); an earlier name still works."""
    found: dict[str, Given] = {}
    for name, value in values.items():
        actual = RENAMED.get(name, name)
        if actual != name:
            deprecated(f"setting {name!r} is a name of an earlier release: write {actual!r}")
        found[actual] = Given(value, f"setting {actual}")
    reject_unknown(found, SETTING_NAMES, "setting")
    return found
