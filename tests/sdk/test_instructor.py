"""instructor, unchanged, against the default model in its JSON and TOOLS modes.

instructor pins `jiter<0.15`, which holds the openai SDK back to an older release than the dev
extra's, so it cannot be installed beside it: it gets an environment of its own (a venv made
once per run, pip resolving instructor with the openai release it accepts), and a script run
there drives the fake over a real socket.
"""

from __future__ import annotations

import json
import os
import subprocess
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from mock_server.app import create_app
from mock_server.server.thread import serve_in_thread
from mock_server.settings import Settings

SCRIPT = Path(__file__).resolve().parents[1] / "clients" / "instructor_script.py"
INSTRUCTOR = "instructor==1.17.0"


@pytest.fixture(scope="session")
def instructor_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("instructor-env")
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    done = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           INSTRUCTOR], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"{INSTRUCTOR} could not be installed: {done.stderr[-2000:]}")
    return python


@pytest.fixture
def fake_url() -> Iterator[str]:
    with serve_in_thread(create_app(Settings(seed=5))) as url:
        yield url


def test_instructor_json_and_tools_modes_validate(instructor_python: Path, fake_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PYTHON"))}
    done = subprocess.run([instructor_python, SCRIPT, f"{fake_url}/v1"], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(results) == 3, results
    for person in results.values():
        assert 0 <= person["age"] <= 120 and person["role"] in ("admin", "editor", "viewer")
        assert len(person["address"]["zip_code"]) == 5 and person["address"]["zip_code"].isdigit()
