"""YAML parsing for the spec, the catalogue and config files: libyaml's C parser when present.

The pure-Python parser takes about ten times as long on the spec (≈110 ms vs ≈12 ms), which
dominated the fake's start-up; both give the same data for these safe documents. PyYAML itself
is imported on the first parse: the shipped data files are read through `load_yaml_cached`,
which keeps their parsed form in the spec cache's directory, so a warm start imports no YAML
parser at all (PyYAML's import was about 4% of a cold start).
"""

from __future__ import annotations

from typing import Any

from mock_server.data import spec_cache


class YAMLError(ValueError):
    """A text that is not valid YAML (the parser's own message)."""


def load_yaml(text: str) -> Any:
    import yaml  # on first use: see the module's docstring

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise YAMLError(str(exc)) from exc


def load_yaml_cached(text: str) -> Any:
    """`load_yaml(text)`, from the disk cache when this text was parsed before."""
    path = spec_cache.data_path(text)
    data = spec_cache.load_data(path)
    if data is None:
        data = load_yaml(text)
        spec_cache.store_data(path, data)
    return data
