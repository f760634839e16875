"""The Formula API's official tools (`data/formulas.yaml`): which `moonshot/<name>:latest`
URIs exist, the function declarations each lists, and the fiber object a run answers with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from mock_server.data import DATA_DIR
from mock_server.data.yaml_load import load_yaml_cached
from mock_server.errors import MoonshotError
from mock_server.ids import stable_hex

NAMESPACE, TAG = "moonshot", "latest"


@dataclass(frozen=True)
class Formula:
    uri: str
    run: str  # how a fiber answers (tools/fibers.py RUNNERS)
    protected: bool
    functions: tuple[Mapping[str, Any], ...]

    def tools(self) -> dict[str, Any]:
        """`GET /v1/formulas/{uri}/tools`."""
        return {"object": "list",
                "tools": [{"type": "function", "function": dict(f)} for f in self.functions]}

    def function(self, name: str) -> Mapping[str, Any]:
        for function in self.functions:
            if function["name"] == name:
                return function
        known = ", ".join(f["name"] for f in self.functions)
        raise MoonshotError("resource_not_found_error",
                            f"Not found the function {name} in formula {self.uri} (it has: {known})")

    @property
    def lambda_id(self) -> str:
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        digest = stable_hex("lambda", self.uri, length=40)
        return "lambda-" + "".join(alphabet[int(digest[i:i + 2], 16) % 36] for i in range(0, 40, 2))


@cache
def formulas() -> Mapping[str, Formula]:
    text = (DATA_DIR / "formulas.yaml").read_text("utf-8")
    entries = load_yaml_cached(text)["formulas"]
    return {f"{NAMESPACE}/{name}:{TAG}": Formula(
        f"{NAMESPACE}/{name}:{TAG}", str(entry["run"]), bool(entry.get("protected", False)),
        tuple(entry["functions"])) for name, entry in entries.items()}


def formula(namespace: str, name_and_tag: str) -> Formula:
    """The formula of a URI's two path segments (`moonshot`, `web-search:latest`); an unknown
    one is the 404 the real API gives an unknown resource."""
    uri = f"{namespace}/{name_and_tag}" if ":" in name_and_tag else f"{namespace}/{name_and_tag}:{TAG}"
    found = formulas().get(uri)
    if found is None:
        raise MoonshotError("resource_not_found_error",
                            f"Not found the formula {namespace}/{name_and_tag} or Permission denied")
    return found
