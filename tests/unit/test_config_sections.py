"""The config file in sections: one name per setting in the file, the environment, flags and
Python; names of earlier releases still read, with a warning; errors name what the user wrote."""

from __future__ import annotations

import dataclasses
import re
import warnings
from pathlib import Path

import pytest

from mock_server.config import (
    RENAMED,
    SECTION_NAMES,
    SETTING_NAMES,
    ConfigError,
    DeprecatedName,
    load_settings,
    settings_from_document,
    settings_from_mapping,
)
from mock_server.config.values import reader_of
from mock_server.data.yaml_load import load_yaml
from mock_server.settings import SECTION_OF, SECTIONS, Settings

CONFIGURATION_DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def loaded(tmp_path: Path, text: str, suffix: str = ".yaml") -> tuple[Settings, list[str]]:
    path = tmp_path / f"mock{suffix}"
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DeprecatedName)
        settings = load_settings(env={}, config_file=path)
    return settings, [str(w.message).replace(str(path), "mock.yaml") for w in caught]


def refused(**sources: object) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(**sources)  # type: ignore[arg-type]
    return str(caught.value)


def test_every_setting_is_in_one_section_and_has_a_reader() -> None:
    assert set(SECTION_OF.values()) == set(SECTIONS)
    assert sorted(n for names in SECTION_NAMES.values() for n in names) == sorted(SETTING_NAMES)
    for name in SETTING_NAMES:
        assert callable(reader_of(name)), name


def test_the_documentation_lists_every_setting_under_its_section() -> None:
    text = CONFIGURATION_DOC.read_text(encoding="utf-8")
    parts = dict(re.findall(r"^### (\w+):[^\n]*\n(.*?)(?=^##)", text, re.M | re.S))
    assert list(parts) == list(SECTIONS)
    for section, names in SECTION_NAMES.items():
        for name in names:
            assert f"`{name}`" in parts[section], f"{name} is not documented under {section}"


def test_one_name_in_the_file_the_environment_flags_and_python(tmp_path: Path) -> None:
    from_file, told = loaded(tmp_path, "server:\n  port: 9001\nadmission:\n  tier: Tier0\n"
                                       "replies:\n  upstream: https://api.moonshot.ai\n")
    from_env = load_settings(env={"MOONSHOT_MOCK_PORT": "9001", "MOONSHOT_MOCK_TIER": "Tier0",
                                  "MOONSHOT_MOCK_UPSTREAM": "https://api.moonshot.ai"})
    from_flags = load_settings({"port": 9001, "tier": "Tier0", "upstream": "https://api.moonshot.ai"},
                               env={})
    in_python = Settings(port=9001, tier="Tier0", upstream="https://api.moonshot.ai")
    assert from_file == from_env == from_flags == in_python and told == []


def test_flags_beat_the_environment_which_beats_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mock.yaml"
    path.write_text("api:\n  seed: 1\n  clock: virtual\nserver:\n  port: 1\n", encoding="utf-8")
    settings = load_settings({"seed": 3}, env={"MOONSHOT_MOCK_SEED": "2", "MOONSHOT_MOCK_PORT": "2"},
                             config_file=path)
    assert (settings.seed, settings.port, settings.clock) == (3, 2, "virtual")


def test_the_layout_of_an_earlier_release_still_loads_with_one_warning(tmp_path: Path) -> None:
    settings, told = loaded(tmp_path, "seed: 4\nreplies_dir: null\ncontext_caching: false\n"
                                      "default_cash_balance: 5\nreplies:\n  - reply: pong\n"
                                      "passthrough: https://api.moonshot.ai\n")
    assert (settings.seed, settings.automatic_caching, settings.unlisted_cash_balance) == (4, False, 5.0)
    assert settings.upstream == "https://api.moonshot.ai" and len(settings.reply_rules) == 1
    assert told == [
        "config file 'mock.yaml' uses the layout of an earlier release: write seed as api.seed, "
        "replies_dir as replies.reply_files_dir, context_caching as caching.automatic_caching, "
        "default_cash_balance as admission.unlisted_cash_balance, replies as replies.reply_rules, "
        "passthrough as replies.upstream (still accepted for now; see docs/configuration.md)"]


def test_an_earlier_name_inside_its_section_is_read_with_a_warning(tmp_path: Path) -> None:
    settings, told = loaded(tmp_path, "caching:\n  context_caching: false\n")
    assert settings.automatic_caching is False
    assert told == ["config file 'mock.yaml' uses the layout of an earlier release: write "
                    "caching.context_caching as caching.automatic_caching (still accepted for now; "
                    "see docs/configuration.md)"]


def test_an_earlier_environment_name_is_read_with_a_warning_and_the_new_one_wins() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DeprecatedName)
        old = load_settings(env={"MOONSHOT_MOCK_PASSTHROUGH": "https://a.example"})
        both = load_settings(env={"MOONSHOT_MOCK_PASSTHROUGH": "https://a.example",
                                  "MOONSHOT_MOCK_UPSTREAM": "https://b.example"})
    assert (old.upstream, both.upstream) == ("https://a.example", "https://b.example")
    assert str(caught[0].message) == (
        "MOONSHOT_MOCK_PASSTHROUGH is a name of an earlier release: write MOONSHOT_MOCK_UPSTREAM "
        "(still accepted for now; see docs/configuration.md)")


def test_an_earlier_name_from_python_is_read_with_a_warning() -> None:
    with pytest.warns(DeprecatedName, match="setting 'default_voucher_balance' is a name of an "
                                            "earlier release: write 'unlisted_voucher_balance'"):
        settings = settings_from_mapping({"default_voucher_balance": 2})
    assert settings.unlisted_voucher_balance == 2.0


def test_every_renamed_setting_names_a_setting() -> None:
    assert set(RENAMED.values()) <= set(SETTING_NAMES) and not set(RENAMED) & set(SETTING_NAMES)


def test_a_setting_given_twice_in_one_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        loaded(tmp_path, "seed: 1\napi:\n  seed: 2\n")
    assert str(caught.value) == "setting api.seed is given twice: as seed and api.seed"


@pytest.mark.parametrize(("sources", "message"), [
    ({"env": {"MOONSHOT_MOCK_PORT": "eighty"}},
     "MOONSHOT_MOCK_PORT has a bad value: 'eighty' (expected a whole number)"),
    ({"env": {"MOONSHOT_MOCK_CLOCK": "virtul"}},
     "MOONSHOT_MOCK_CLOCK must be 'real' or 'virtual', got 'virtul'"),
    ({"env": {"MOONSHOT_MOCK_AUTOMATIC_CACHING": "perhaps"}},
     "MOONSHOT_MOCK_AUTOMATIC_CACHING has a bad value: 'perhaps' (expected true or false)"),
    ({"env": {"MOONSHOT_MOCK_REPLY_TOKENS": "16"}},
     "MOONSHOT_MOCK_REPLY_TOKENS has a bad value: '16' (expected two whole numbers, e.g. [16, 64])"),
    ({"flags": {"port": 80000}, "env": {}}, "--port must be between 0 and 65535, got 80000"),
    ({"flags": {"log_level": "loud"}, "env": {}},
     "--log-level must be 'critical' or 'error' or 'warning' or 'info' or 'debug' or 'trace', "
     "got 'loud'"),
    ({"flags": {"record_dir": "rec"}, "env": {}},
     "record_dir needs upstream: the API whose answers are recorded"),
])
def test_a_bad_value_is_refused_naming_the_setting_as_written(sources: dict[str, object],
                                                               message: str) -> None:
    assert refused(**sources) == message


def test_a_bad_value_in_a_file_names_its_place(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        loaded(tmp_path, "server:\n  port: eighty\n")
    assert str(caught.value) == "setting server.port has a bad value: 'eighty' (expected a whole number)"
    with pytest.raises(ConfigError) as caught:
        loaded(tmp_path, "server: 8000\n")
    assert str(caught.value) == "section server must be a mapping of its settings, got 8000"


def test_the_documented_toml_is_the_documented_yaml() -> None:
    text = CONFIGURATION_DOC.read_text(encoding="utf-8")
    import tomllib

    toml = settings_from_document(tomllib.loads(re.findall(r"```toml\n(.*?)```", text, re.S)[0]))
    yaml = settings_from_document(load_yaml(re.findall(r"```yaml\n(# ci\.yaml\n.*?)```", text, re.S)[0]))
    assert (toml.seed, toml.clock, toml.tier, toml.admin_token, toml.scenarios) == (
        yaml.seed, yaml.clock, yaml.tier, yaml.admin_token, yaml.scenarios)
    assert toml.faults[0] == yaml.faults[0]


def test_the_workers_hand_over_keeps_every_setting(tmp_path: Path) -> None:
    from mock_server.server.workers import settings_document

    settings = dataclasses.replace(settings_from_mapping({"reply_rules": [{"reply": "pong"}],
                                                         "faults": ["latency=5ms"]}),
                                   data_dir=tmp_path, tokenizer_file=None, seed=9)
    again = settings_from_mapping(settings_document(settings))
    assert dataclasses.replace(again, reply_rules=()) == dataclasses.replace(settings, reply_rules=())
    assert [(r.id, r.replies) for r in again.reply_rules] == [
        (r.id, r.replies) for r in settings.reply_rules]
