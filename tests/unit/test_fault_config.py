"""Faults, scenarios and the control-plane settings in one config file (docs/configuration.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mock_server.config import ConfigError, load_settings, settings_from_mapping
from mock_server.server.workers import settings_document

CONFIGURATION_DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def documented_config() -> str:
    match = re.search(r"```yaml\n(# ci\.yaml\n.*?)```", CONFIGURATION_DOC.read_text("utf-8"), re.S)
    assert match, "docs/configuration.md lost its ci.yaml example"
    return match[1]


def test_the_documented_example_loads(tmp_path: Path) -> None:
    path = tmp_path / "ci.yaml"
    path.write_text(documented_config(), encoding="utf-8")
    settings = load_settings(env={}, config_file=path)
    assert (settings.seed, settings.clock, settings.tier) == (7, "virtual", "Tier0")
    assert (settings.admin_token, settings.journal_size) == ("ci-admin", 500)
    assert [r.to_json() for r in settings.faults] == [  # specific rules first, the catch-all last
        {"fault": "503", "match": {"method": "GET", "path": "/v1/models"}, "times": 1,
         "probability": None},
        {"fault": "error=engine_overloaded", "match": {"path": "/v1/chat/completions",
                                                       "account": "acme"},
         "times": None, "probability": 0.1},
        {"fault": "latency=lognormal(80ms,0.4)", "match": {}, "times": None, "probability": None}]
    assert settings.scenarios == {"flaky-ci": "429,429,ok"}  # by session id, not the account


def test_toml_works_the_same(tmp_path: Path) -> None:
    path = tmp_path / "ci.toml"
    path.write_text('[control_plane]\nadmin_token = "t"\n[control_plane.scenarios]\nci = "429,ok"\n'
                    '[[control_plane.faults]]\nfault = "reset"\ntimes = 1\n', encoding="utf-8")
    settings = load_settings(env={}, config_file=path)
    assert settings.scenarios == {"ci": "429,ok"}
    assert settings.faults[0].fault.connection == "reset" and settings.faults[0].times == 1


@pytest.mark.parametrize(("values", "message"), [
    ({"faults": [{"fault": "boom"}]}, "setting faults: rule 1: unknown directive 'boom'"),
    ({"faults": 3}, "setting faults: faults must be a list of rules, got 3"),
    ({"scenarios": "429"}, "setting scenarios: scenarios must map a session or account to steps"),
    ({"scenarios": {"ci": "429,,ok"}}, "setting scenarios: scenario 'ci': scenario step 2 is empty"),
])
def test_bad_fault_settings_name_the_setting(values: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_mapping(values)
    assert str(caught.value).startswith(message)


def test_environment_can_set_one_rule_and_the_token() -> None:
    settings = load_settings(env={"MOONSHOT_MOCK_FAULTS": "latency=5ms",
                                  "MOONSHOT_MOCK_ADMIN_TOKEN": "x"})
    assert settings.admin_token == "x" and settings.faults[0].fault.latency is not None


def test_workers_get_the_same_fault_settings(tmp_path: Path) -> None:
    path = tmp_path / "ci.yaml"
    path.write_text(documented_config(), encoding="utf-8")
    settings = load_settings(env={}, config_file=path)
    again = settings_from_mapping(settings_document(settings))
    assert (again.faults, again.scenarios, again.admin_token) == (
        settings.faults, settings.scenarios, settings.admin_token)
