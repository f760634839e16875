"""Settings built in one place from a config file, the environment and flags.

Precedence: command-line flags > environment (`MOONSHOT_MOCK_*`) > config file > defaults.
Every value goes through one reader (`values.read_value`): errors name the setting as the user
wrote it and the bad value; an unknown setting (a typo at any level of a file, an unknown
`MOONSHOT_MOCK_*` variable) is an error naming the closest known one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mock_server.config.accounts import read_limits as parse_limits
from mock_server.config.names import (
    RENAMED,
    SECTION_NAMES,
    SETTING_NAMES,
    DeprecatedName,
    closest,
    reject_unknown,
)
from mock_server.config.sources import (
    ENV_PREFIX,
    Given,
    from_document,
    from_env,
    from_flags,
    from_mapping,
    read_config_file,
)
from mock_server.config.values import check_fault_text, check_together, read_value
from mock_server.settings import AccountConfig, ConfigError, Settings

__all__ = [
    "RENAMED", "SECTION_NAMES", "SETTING_NAMES", "AccountConfig", "ConfigError", "DeprecatedName",
    "Settings", "check_fault_text", "closest", "load_settings", "parse_limits", "read_config_file",
    "reject_unknown", "settings_from_document", "settings_from_mapping",
]


def load_settings(
    flags: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    config_file: str | Path | None = None,
) -> Settings:
    env = os.environ if env is None else env
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    path = flags.pop("config", None) or config_file or env.get(ENV_PREFIX + "CONFIG")
    given: dict[str, Given] = {}
    if path:
        given.update(from_document(read_config_file(Path(path)), f"config file {str(path)!r}"))
    given.update(from_env(env))
    given.update(from_flags(flags))
    return _build(given)


def settings_from_document(document: Mapping[str, Any]) -> Settings:
    """Settings from a config file's document (sections, as YAML or TOML hold them)."""
    return _build(from_document(document))


def settings_from_mapping(values: Mapping[str, Any]) -> Settings:
    """Settings from a flat mapping of setting names (Python callers, the workers' hand-over)."""
    return _build(from_mapping(values))


def _build(given: Mapping[str, Given]) -> Settings:
    values = {name: read_value(name, value, spelled) for name, (value, spelled) in given.items()}
    check_together(values)
    return Settings(**values)
