"""YAML parsing for the spec, the catalogue and config files: libyaml's C parser when present.

The pure-Python parser takes about ten times as long on the spec (≈110 ms vs ≈12 ms), which
dominated the fake's start-up; both give the same data for these safe documents.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)
