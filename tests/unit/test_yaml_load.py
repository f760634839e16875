"""The fast YAML path must read the shipped documents exactly as PyYAML's safe loader does."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from mock_server.data import spec_cache
from mock_server.data.yaml_load import YAMLError, load_yaml, load_yaml_cached


def test_shipped_documents_parse_the_same_as_the_pure_python_loader() -> None:
    for name in ("moonshot.yaml", "models.yaml", "tiers.yaml"):
        text = resources.files("mock_server.data").joinpath(name).read_text("utf-8")
        assert load_yaml(text) == yaml.safe_load(text)


def test_bad_yaml_raises_a_yaml_error_with_the_parser_message() -> None:
    with pytest.raises(YAMLError) as caught:
        load_yaml("a: [1, 2")
    with pytest.raises(yaml.YAMLError) as direct:
        yaml.load("a: [1, 2", Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert str(caught.value) == str(direct.value)


def test_cached_data_is_read_back_without_parsing(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = "tiers:\n  free: {rpm: 3, tpm: 32000}\n"
    assert load_yaml_cached(text) == {"tiers": {"free": {"rpm": 3, "tpm": 32000}}}
    assert spec_cache.data_path(text).exists()
    monkeypatch.setattr("mock_server.data.yaml_load.load_yaml", lambda _: pytest.fail("parsed again"))
    assert load_yaml_cached(text) == {"tiers": {"free": {"rpm": 3, "tpm": 32000}}}


def test_data_json_cannot_hold_exactly_is_not_cached(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = "released: 2025-07-11\n"
    assert str(load_yaml_cached(text)["released"]) == "2025-07-11"
    assert not spec_cache.data_path(text).exists()
    assert load_yaml_cached(text) == load_yaml(text)  # a date each time, never a string
