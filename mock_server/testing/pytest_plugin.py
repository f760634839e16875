"""pytest fixtures for client projects (registered through the `pytest11` entry point).

- `moonshot_mock`: the fake on a free loopback port (real socket: any client, any subprocess);
- `moonshot_mock_asgi`: the fake in-process, no port (pass `**mock.client_kwargs()` to the SDK);
- `moonshot_mock_settings`: override it in a conftest to change seed, clock, accounts, faults;
- `@pytest.mark.moonshot_recording("name")` on a test: both fixtures answer from the recording in
  `moonshot_recordings_dir / name` (strictly), or record it with `MOONSHOT_RECORD=1` and a key
  (`mock_server.testing.recording`, docs/recording.md).

Both fixtures yield a `mock_server.testing.handle.MoonshotMock`: `base_url`, `api_key`, control
(`fault`, `scenario`, `advance`, `reset`, `journal`, `batches`) and assertions (`assert_calls`,
`assert_backoff_grew`, `assert_not_retried`, `assert_stream_completed`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread
from mock_server.testing.handle import MoonshotMock

API_KEY = "sk-moonshot-mock-test"
IN_PROCESS_URL = "http://moonshot-mock.invalid/v1"


def api_key_for(settings: Settings) -> str:
    """The first listed key (strict auth), else any `sk-` key (open mode)."""
    return next((key for account in settings.accounts for key in account.keys), API_KEY)


_CLEARED = pytest.StashKey[set[Path]]()  # recordings this run has started to rewrite


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "moonshot_recording(name): answer from the recording "
                            "tests/recordings/<name>/, or record it with MOONSHOT_RECORD=1")


@pytest.fixture
def moonshot_recordings_dir(request: pytest.FixtureRequest) -> Path:
    """Where `moonshot_recording("name")` keeps recordings: `tests/recordings` under the root."""
    return request.config.rootpath / "tests" / "recordings"


def _marked(request: pytest.FixtureRequest, settings: Settings) -> tuple[Settings, str]:
    """The fixture's settings and key, changed for a `moonshot_recording` test."""
    marker = request.node.get_closest_marker("moonshot_recording")
    if marker is None:
        return settings, api_key_for(settings)
    from mock_server.testing.recording import RecordingSetupError, recording_settings

    if not marker.args:
        pytest.fail("moonshot_recording needs the recording's name: @pytest.mark.moonshot_recording('chat')")
    directory = Path(request.getfixturevalue("moonshot_recordings_dir")) / str(marker.args[0])
    cleared = request.config.stash.setdefault(_CLEARED, set())
    try:
        changed, key = recording_settings(settings, directory, cleared=cleared)
    except RecordingSetupError as exc:
        pytest.fail(str(exc))
    return changed, key or api_key_for(changed)


@pytest.fixture
def moonshot_mock_settings() -> Settings:
    """Deterministic by default: seed 0 and a virtual clock that moves only when told."""
    return Settings(seed=0, clock="virtual")


@pytest.fixture
def moonshot_mock(moonshot_mock_settings: Settings,
                  request: pytest.FixtureRequest) -> Iterator[MoonshotMock]:
    """The fake on a free 127.0.0.1 port for one test; `base_url` works for any client."""
    settings, key = _marked(request, moonshot_mock_settings)
    app = create_app(settings)
    with serve_in_thread(app) as url:
        mock = MoonshotMock(f"{url}/v1", key, app.state.services)
        try:
            yield mock
        finally:
            mock.close()


@pytest.fixture
def moonshot_mock_asgi(moonshot_mock_settings: Settings,
                       request: pytest.FixtureRequest) -> Iterator[MoonshotMock]:
    """The fake in-process for one test: build clients with `**mock.client_kwargs()`."""
    settings, key = _marked(request, moonshot_mock_settings)
    app = create_app(settings)
    mock = MoonshotMock(IN_PROCESS_URL, key, app.state.services, app=app)
    try:
        yield mock
    finally:
        mock.close()
