"""The documented one-config-file example (`# ci.yaml`) does what it says: each of its faults
fires. (Before, a scenario keyed by the only account took every call of it, and a catch-all
latency rule listed first shadowed the 503 rule after it.)"""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import settings_from_document
from mock_server.data.yaml_load import load_yaml
from tests.docs.test_examples import PAGES

CHAT = "/v1/chat/completions"
HI = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}]}
ACME = {"Authorization": "Bearer sk-acme-1", "X-Mock-Clock-Advance": "60"}  # a minute per call: Tier0 RPM


def ci_yaml() -> str:
    for page in PAGES:
        found = re.search(r"```yaml\n(# ci\.yaml\n.*?)```", page.read_text(encoding="utf-8"), re.S)
        if found:
            return found.group(1)
    raise AssertionError("no `# ci.yaml` example in README.md or docs/")


def test_every_fault_of_the_ci_example_fires() -> None:
    app = create_app(settings_from_document(load_yaml(ci_yaml())))
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    app.state.services.faults.sleep = no_wait
    with TestClient(app, raise_server_exceptions=False) as client:
        models = [client.get("/v1/models", headers=ACME).status_code for _ in range(2)]
        assert models == [503, 200]  # the once-only 503 rule
        flaky = [client.post(CHAT, json=HI, headers={**ACME, "X-Mock-Session": "flaky-ci"}).status_code
                 for _ in range(3)]
        assert flaky == [429, 429, 200]  # the session's scenario
        plain = [client.post(CHAT, json=HI, headers=ACME) for _ in range(40)]
        overloaded = [r for r in plain if r.status_code == 429]
        assert overloaded and all(r.json()["error"]["type"] == "engine_overloaded_error"
                                  for r in overloaded)  # the seeded 10% rule
        assert {r.status_code for r in plain} == {200, 429}
        rules = client.get("/_mock/faults", headers={"X-Mock-Admin-Token": "ci-admin"}).json()
    applied = [rule["applied"] for rule in rules["data"]] if "data" in rules else \
        [rule["applied"] for rule in rules]
    assert all(count > 0 for count in applied), rules  # the catch-all latency included
    assert waits  # the latency rule waited (here without sleeping)
