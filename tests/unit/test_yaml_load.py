"""The fast YAML path must read the shipped documents exactly as PyYAML's safe loader does."""

from __future__ import annotations

from importlib import resources

import yaml

from mock_server.yaml_load import load_yaml


def test_shipped_documents_parse_the_same_as_the_pure_python_loader() -> None:
    for name in ("moonshot.yaml", "models.yaml"):
        text = resources.files("mock_server.data").joinpath(name).read_text("utf-8")
        assert load_yaml(text) == yaml.safe_load(text)


def test_bad_yaml_raises_a_yaml_error() -> None:
    try:
        load_yaml("a: [1, 2")
    except yaml.YAMLError:
        return
    raise AssertionError("expected a YAMLError")
