"""`@pytest.mark.moonshot_recording("name")` as a client project uses it: record once with a key,
then replay in every run without one (pytest started in a subprocess, the plugin from its entry
point; the upstream is a fake on a loopback port)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread
from mock_server.testing.recording import RecordingSetupError, recording_settings
from tests.client_pytest import pytest_command

KEY = "sk-marker-real-key-5544332211"
CLIENT_TEST = '''
import pytest
from openai import OpenAI

@pytest.mark.moonshot_recording("greeting")
@pytest.mark.parametrize("fixture", ["moonshot_mock", "moonshot_mock_asgi"])
def test_greeting(fixture, request):
    mock = request.getfixturevalue(fixture)
    client = OpenAI(**mock.client_kwargs(), max_retries=0)
    answer = client.chat.completions.create(
        model="moonshot-v1-8k", messages=[{"role": "user", "content": "PROMPT"}])
    print("ANSWER", fixture, answer.choices[0].message.content)
'''


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    with serve_in_thread(create_app(Settings(seed=8))) as url:
        yield url


def run(project: Path, prompt: str, **env: str) -> subprocess.CompletedProcess[str]:
    (project / "test_client.py").write_text(CLIENT_TEST.replace("PROMPT", prompt))
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MOONSHOT_", "PYTEST_"))}
    return subprocess.run(pytest_command("-s", "--rootdir", str(project), str(project)),
                          cwd=project, env={**clean, **env}, capture_output=True, text=True, timeout=120)


def answers(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if line.startswith("ANSWER"))


def test_record_once_then_replay_without_a_key(tmp_path: Path, upstream: str) -> None:
    recorded = run(tmp_path, "Hello", MOONSHOT_RECORD="1", MOONSHOT_API_KEY=KEY,
                   MOONSHOT_BASE_URL=upstream)
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    files = sorted((tmp_path / "tests" / "recordings" / "greeting").iterdir())
    assert len(files) == 2  # one exchange per parametrized test, both in the same recording
    assert all(KEY not in f.read_text("utf-8") for f in files)

    replayed = run(tmp_path, "Hello")
    assert replayed.returncode == 0, replayed.stdout
    assert answers(replayed.stdout) == answers(recorded.stdout)

    strict = run(tmp_path, "Goodbye")
    assert strict.returncode == 1
    assert "closest recorded request is 0001-post-v1-chat-completions" in strict.stdout


def test_a_missing_recording_or_key_is_a_clear_failure(tmp_path: Path) -> None:
    with pytest.raises(RecordingSetupError, match=r"no recording at .*MOONSHOT_RECORD=1"):
        recording_settings(Settings(), tmp_path / "absent", env={})
    with pytest.raises(RecordingSetupError, match="set MOONSHOT_API_KEY too"):
        recording_settings(Settings(), tmp_path, env={"MOONSHOT_RECORD": "1"})


def test_recording_rewrites_a_directory_once_per_run(tmp_path: Path) -> None:
    (tmp_path / "0001-old.json").write_text("{}")
    env = {"MOONSHOT_RECORD": "1", "MOONSHOT_API_KEY": KEY}
    cleared: set[Path] = set()
    settings, key = recording_settings(Settings(), tmp_path, env, cleared)
    assert key == KEY and settings.upstream == "https://api.moonshot.ai"
    assert settings.record_dir == tmp_path and not list(tmp_path.iterdir())
    (tmp_path / "0001-new.json").write_text("{}")
    recording_settings(Settings(), tmp_path, env, cleared)
    assert [p.name for p in tmp_path.iterdir()] == ["0001-new.json"]
