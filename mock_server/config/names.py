"""The names a setting may be given by, and the refusal of any other naming the closest one.

A setting's one name is its `Settings` attribute; it sits in one section of the config file and
is `MOONSHOT_MOCK_<NAME>` in the environment. A few names of earlier releases still work, with a
warning (`RENAMED`): ones a user would have written in a config file or a CI environment.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable, Mapping

from mock_server.settings import SECTION_OF, SECTIONS, AccountConfig, ConfigError, Settings

SETTING_NAMES = tuple(f.name for f in dataclasses.fields(Settings))
ACCOUNT_NAMES = tuple(f.name for f in dataclasses.fields(AccountConfig))
SECTION_NAMES: Mapping[str, tuple[str, ...]] = {
    section: tuple(name for name in SETTING_NAMES if SECTION_OF[name] == section)
    for section in SECTIONS}

# earlier names that still work, each with a warning naming its replacement
RENAMED: Mapping[str, str] = {
    "replies": "reply_rules",
    "replies_dir": "reply_files_dir",
    "passthrough": "upstream",
    "context_caching": "automatic_caching",
    "default_cash_balance": "unlisted_cash_balance",
    "default_voucher_balance": "unlisted_voucher_balance",
}


class DeprecatedName(FutureWarning):
    """A setting given by a name of an earlier release: it still works, under its new name."""


def deprecated(message: str) -> None:
    warnings.warn(f"{message} (still accepted for now; see docs/configuration.md)", DeprecatedName,
                  stacklevel=4)


def path_of(name: str) -> str:
    """Where a setting is written in the config file: `admission.tier`; `accounts` on its own."""
    section = SECTION_OF[name]
    return name if section == name else f"{section}.{name}"


def reject_unknown(values: Iterable[str], known: Iterable[str], what: str, prefix: str = "") -> None:
    """A `ConfigError` for the first name not in `known`, naming the closest known one."""
    known = tuple(known)
    for name in values:
        if name not in known:
            raise ConfigError(f"unknown {what} {prefix + str(name)!r}{closest(str(name), known, prefix)} "
                              f"(known: {', '.join(prefix + k for k in known)})")


def closest(name: str, known: Iterable[str], prefix: str = "") -> str:
    """`; did you mean 'tier'?` for `tire`, or nothing when no known name is close."""
    import difflib  # on first use: a misspelt name

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return f"; did you mean {prefix + close[0]!r}?" if close else ""


def unknown_in_file(name: str, section: str | None) -> ConfigError:
    """An unknown name at the top of a file or inside a section, with the closest setting's
    place in the file (`did you mean 'admission.tier'?`) and what the place holds."""
    if section is None:
        places = {**{path_of(n): n for n in SETTING_NAMES}, **{s: s for s in SECTIONS}}
        written, known = name, f"(sections: {', '.join(SECTIONS)})"
    else:
        places = {path_of(n): n for n in SETTING_NAMES}
        written, known = f"{section}.{name}", f"(known in {section}: {', '.join(SECTION_NAMES[section])})"
    import difflib  # on first use: a misspelt name

    by_name = {bare: place for place, bare in places.items()}
    guess = difflib.get_close_matches(name, list(by_name), n=1, cutoff=0.5)
    hint = f"; did you mean {by_name[guess[0]]!r}?" if guess else ""
    return ConfigError(f"unknown setting {written!r}{hint} {known}")
