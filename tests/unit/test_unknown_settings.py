"""A setting that does not exist is refused at every level, naming the closest known one."""

from __future__ import annotations

from pathlib import Path

import pytest

from mock_server.config import ConfigError, load_settings


def refusal(tmp_path: Path, text: str, suffix: str = ".yaml") -> str:
    path = tmp_path / f"mock{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(env={}, config_file=path)
    return str(caught.value)


@pytest.mark.parametrize(("text", "start"), [
    ("admission:\n  tire: Tier0\n", "unknown setting 'admission.tire'; did you mean 'admission.tier'?"),
    ("api:\n  clok: virtual\n", "unknown setting 'api.clok'; did you mean 'api.clock'?"),
    ("files:\n  data-dir: ./d\n", "unknown setting 'files.data-dir'; did you mean 'files.data_dir'?"),
    ("server:\n  sed: 1\n", "unknown setting 'server.sed'; did you mean 'api.seed'?"),
    ("tire: Tier0\n", "unknown setting 'tire'; did you mean 'admission.tier'?"),
    ("severs:\n  port: 1\n", "unknown setting 'severs'; did you mean 'server'?"),
    ("accounts:\n  acme:\n    kyes: [sk-1]\n",
     "unknown setting 'accounts.acme.kyes'; did you mean 'accounts.acme.keys'?"),
    ("accounts:\n  - {name: acme, cash_balanse: 3}\n",
     "unknown setting 'accounts.acme.cash_balanse'; did you mean 'accounts.acme.cash_balance'?"),
    ("admission:\n  limits: {rpn: 3}\n", "limits: unknown limit 'rpn'; did you mean 'rpm'?"),
    ("accounts:\n  acme: {limits: {tmp: 5}}\n", "limits: unknown limit 'tmp'; did you mean 'tpm'?"),
    ("control_plane:\n  faults:\n    - {fault: '500', tims: 1}\n",
     "setting control_plane.faults: rule 1: fault rule has unknown fields ['tims']; "
     "did you mean 'times'?"),
    ("control_plane:\n  faults:\n    - {fault: '500', match: {paht: /v1/models}}\n",
     "setting control_plane.faults: rule 1: fault rule 'match' has unknown fields ['paht']; "
     "did you mean 'path'?"),
])
def test_a_typo_in_a_file_names_the_setting_and_the_closest(tmp_path: Path, text: str, start: str) -> None:
    assert refusal(tmp_path, text).startswith(start)


def test_the_message_lists_what_is_known(tmp_path: Path) -> None:
    message = refusal(tmp_path, "admission:\n  tire: Tier0\n")
    assert message.endswith("(known in admission: strict_auth, unlisted_cash_balance, "
                            "unlisted_voucher_balance, tier, limits, rate_limit_headers, retry_hint, "
                            "overload_probability, overload_schedule)")
    assert refusal(tmp_path, "zzzzzz: 1\n") == (
        "unknown setting 'zzzzzz' (sections: server, api, tokens, accounts, admission, "
        "control_plane, files, replies, caching, bounds)")


def test_a_setting_in_the_wrong_section_is_refused_naming_its_place(tmp_path: Path) -> None:
    assert refusal(tmp_path, "server:\n  tier: Tier0\n") == (
        "setting 'server.tier' belongs in section 'admission': write it as admission.tier")


def test_toml_files_are_held_to_the_same_names(tmp_path: Path) -> None:
    assert refusal(tmp_path, '[api]\nclok = "virtual"\n', ".toml").startswith(
        "unknown setting 'api.clok'; did you mean 'api.clock'?")


def test_a_name_like_nothing_known_is_refused_without_a_guess(tmp_path: Path) -> None:
    message = refusal(tmp_path, "server:\n  zzzzzz: 1\n")
    assert message.startswith("unknown setting 'server.zzzzzz' (known in server: ")
    assert "did you mean" not in message


@pytest.mark.parametrize(("name", "start"), [
    ("MOONSHOT_MOCK_TIRE", "unknown environment variable 'MOONSHOT_MOCK_TIRE'; "
                           "did you mean 'MOONSHOT_MOCK_TIER'?"),
    ("MOONSHOT_MOCK_CLOK", "unknown environment variable 'MOONSHOT_MOCK_CLOK'; "
                           "did you mean 'MOONSHOT_MOCK_CLOCK'?"),
    ("MOONSHOT_MOCK_KEY", "unknown environment variable 'MOONSHOT_MOCK_KEY'; "
                          "did you mean 'MOONSHOT_MOCK_KEYS'?"),
])
def test_an_unknown_environment_variable_is_refused(name: str, start: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env={name: "x"})
    assert str(caught.value).startswith(start)


def test_known_names_and_other_variables_pass() -> None:
    settings = load_settings(env={"MOONSHOT_MOCK_TIER": "Tier0", "MOONSHOT_MOCK_CLOCK": "virtual",
                                  "MOONSHOT_MOCK_KEYS": "sk-a=acme", "MOONSHOT_API_KEY": "sk-real",
                                  "HOME": "/tmp"})
    assert (settings.tier, settings.clock, settings.accounts[0].keys) == ("Tier0", "virtual", ("sk-a",))
