"""The GitHub Action (action.yml): its inputs reach its script, and the script — run here exactly
as the action's step runs it — starts the server and prints URLs a client can use.

The install branch (pip from PyPI or the action's source) needs a network and is not run here;
`install: false` takes the moonshot-mock on PATH (this environment's).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openai import AuthenticationError, OpenAI

from tests.e2e.test_cli import free_port

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
SCRIPT = ROOT / "action" / "start.sh"


def start_step() -> dict[str, object]:
    steps = [step for step in ACTION["runs"]["steps"] if step.get("id") == "start"]
    assert len(steps) == 1
    return steps[0]


def test_the_action_is_composite_and_its_step_runs_the_script() -> None:
    assert ACTION["runs"]["using"] == "composite"
    step = start_step()
    assert step["shell"] == "bash"
    assert step["run"] == '"$GITHUB_ACTION_PATH/action/start.sh"'
    assert os.access(SCRIPT, os.X_OK)


def test_every_input_reaches_the_script_and_every_output_is_written() -> None:
    env = start_step()["env"]
    assert isinstance(env, dict)
    passed = {re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", value).group(1)  # type: ignore[union-attr]
              for value in env.values() if value.startswith("${{ inputs.")}
    assert passed | {"python-version"} == set(ACTION["inputs"])
    script = SCRIPT.read_text("utf-8")
    for variable in env:
        assert variable in script, variable
    for output in ACTION["outputs"]:
        assert f"${{{{ steps.start.outputs.{output} }}}}" == ACTION["outputs"][output]["value"]
        assert f'echo "{output}=' in script, output


def test_the_script_starts_a_server_a_client_can_use(tmp_path: Path) -> None:
    config = tmp_path / "mock.yaml"
    config.write_text("accounts:\n  ci: {keys: [sk-action]}\n", encoding="utf-8")  # strict keys
    outputs = tmp_path / "github_output"
    port = free_port()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(outputs), "MOCK_INSTALL": "false",
           "MOCK_PORT": str(port), "MOCK_CONFIG": str(config), "MOCK_API_DATE": "2026-11-20",
           "MOCK_ARGS": "--seed 7 --quiet", "MOCK_WAIT_SECONDS": "60"}
    done = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    written = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    try:
        assert written["base-url"] == f"http://127.0.0.1:{port}/v1"
        assert written["anthropic-base-url"] == f"http://127.0.0.1:{port}/anthropic"
        assert f"base-url=http://127.0.0.1:{port}/v1" in done.stdout  # printed for the log too
        client = OpenAI(base_url=written["base-url"], api_key="sk-action")
        completion = client.chat.completions.create(
            model="moonshot-v1-8k", messages=[{"role": "user", "content": "hi"}])
        assert completion.choices[0].message.content
        with pytest.raises(AuthenticationError):  # the config file was read: only its key passes
            OpenAI(base_url=written["base-url"], api_key="sk-other").models.list()
    finally:
        os.kill(int(written["pid"]), signal.SIGTERM)


def test_a_server_that_cannot_start_fails_the_step_with_its_output(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "RUNNER_TEMP": str(tmp_path), "MOCK_INSTALL": "false", "MOCK_PORT": str(free_port()),
           "MOCK_ARGS": "--tier NoSuchTier"}
    done = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 1
    assert "::error::moonshot-mock did not start" in done.stdout
    assert "NoSuchTier" in done.stdout


@pytest.mark.parametrize("name", ["base-url", "anthropic-base-url", "url", "pid", "log-file"])
def test_the_outputs_are_documented(name: str) -> None:
    assert name in (ROOT / "docs" / "ci.md").read_text("utf-8")
