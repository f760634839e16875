"""pytest fixtures for client projects (registered through the `pytest11` entry point).

- `moonshot_mock`: the fake on a free loopback port for one test (real socket: any client,
  any subprocess);
- `moonshot_mock_session`: one fake on a port for the whole session, reset before each test
  that uses it (the speed of in-process, the fidelity of a socket); its settings come from
  `moonshot_mock_session_settings` (session-scoped, override it in a conftest);
- `moonshot_mock_asgi`: the fake in-process, no port (pass `**mock.client_kwargs()` to the
  SDK; needs openai 1.50 or later, and uses the SDK's own httpx or httpx2);
- `moonshot_mock_settings`: override it in a conftest to change seed, clock, accounts, faults;
- `@pytest.mark.moonshot_recording("name")` on a test: `moonshot_mock` and `moonshot_mock_asgi`
  answer from the recording in `moonshot_recordings_dir / name` (strictly), or record it with
  `MOONSHOT_RECORD=1` and a key (`mock_server.testing.recording`, docs/recording.md).

Each yields a `mock_server.testing.handle.MoonshotMock`: `base_url`, `api_key`, control
(`fault`, `scenario`, `advance`, `reset`, `journal`, `batches`) and assertions (`assert_calls`,
`assert_backoff_grew`, `assert_not_retried`, `assert_stream_completed`).

Loading the plugin imports nothing but pytest: the app, the server and the HTTP libraries are
imported when a test first uses a fixture, so a project that never does pays nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mock_server.settings import Settings
    from mock_server.testing.handle import MoonshotMock

API_KEY = "sk-moonshot-mock-test"
IN_PROCESS_URL = "http://moonshot-mock.invalid/v1"
SESSION_FIXTURE = "moonshot_mock_session"


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


def default_settings() -> Settings:
    """Deterministic by default: seed 0 and a virtual clock that moves only when told."""
    from mock_server.settings import Settings

    return Settings(seed=0, clock="virtual", request_log=False)


@pytest.fixture
def moonshot_mock_settings() -> Settings:
    """Deterministic by default: seed 0 and a virtual clock that moves only when told."""
    return default_settings()


@pytest.fixture(scope="session")
def moonshot_mock_session_settings() -> Settings:
    """The settings of `moonshot_mock_session` (session-scoped: override it as such)."""
    return default_settings()


def _served(settings: Settings, key: str) -> Iterator[MoonshotMock]:
    from mock_server.app import create_app
    from mock_server.server.thread import serve_in_thread
    from mock_server.testing.handle import MoonshotMock

    app = create_app(settings)
    with serve_in_thread(app, settings=settings) as url:
        mock = MoonshotMock.of(app, f"{url}/v1", key)
        try:
            yield mock
        finally:
            mock.close()


@pytest.fixture
def moonshot_mock(moonshot_mock_settings: Settings,
                  request: pytest.FixtureRequest) -> Iterator[MoonshotMock]:
    """The fake on a free 127.0.0.1 port for one test; `base_url` works for any client."""
    yield from _served(*_marked(request, moonshot_mock_settings))


@pytest.fixture(scope="session")
def moonshot_mock_session(moonshot_mock_session_settings: Settings) -> Iterator[MoonshotMock]:
    """One fake on a port for the session; each test that uses it starts from a reset."""
    settings = moonshot_mock_session_settings
    yield from _served(settings, api_key_for(settings))


@pytest.fixture(autouse=True)
def _moonshot_mock_session_reset(request: pytest.FixtureRequest) -> None:
    """Before a test that uses `moonshot_mock_session`: files, balances, limits, rules,
    scenarios, journal and clock back to the start (a test that does not, costs a lookup)."""
    if SESSION_FIXTURE in request.fixturenames:
        request.getfixturevalue(SESSION_FIXTURE).reset()


@pytest.fixture
def moonshot_mock_asgi(moonshot_mock_settings: Settings,
                       request: pytest.FixtureRequest) -> Iterator[MoonshotMock]:
    """The fake in-process for one test: build clients with `**mock.client_kwargs()` (openai)
    or `**mock.anthropic_kwargs()` (anthropic); one of the two SDKs must be installed."""
    from mock_server.app import create_app
    from mock_server.testing.handle import MoonshotMock
    from mock_server.testing.inprocess import sdk_http_module

    refusals = []
    for sdk in ("openai", "anthropic"):
        try:
            sdk_http_module(sdk)
            break
        except RuntimeError as exc:
            refusals.append(str(exc))
    else:
        pytest.fail(refusals[0], pytrace=False)
    settings, key = _marked(request, moonshot_mock_settings)
    app = create_app(settings)
    mock = MoonshotMock.of(app, IN_PROCESS_URL, key, in_process=True)
    try:
        yield mock
    finally:
        mock.close()
