"""pytest fixtures for client projects (registered through the `pytest11` entry point).

- `moonshot_mock`: the fake on a free loopback port (real socket: any client, any subprocess);
- `moonshot_mock_asgi`: the fake in-process, no port (pass `**mock.client_kwargs()` to the SDK);
- `moonshot_mock_settings`: override it in a conftest to change seed, clock, accounts, faults.

Both fixtures yield a `mock_server.testing.handle.MoonshotMock`: `base_url`, `api_key`, control
(`fault`, `scenario`, `advance`, `reset`, `journal`, `batches`) and assertions (`assert_calls`,
`assert_backoff_grew`, `assert_not_retried`, `assert_stream_completed`).
"""

from __future__ import annotations

from collections.abc import Iterator

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


@pytest.fixture
def moonshot_mock_settings() -> Settings:
    """Deterministic by default: seed 0 and a virtual clock that moves only when told."""
    return Settings(seed=0, clock="virtual")


@pytest.fixture
def moonshot_mock(moonshot_mock_settings: Settings) -> Iterator[MoonshotMock]:
    """The fake on a free 127.0.0.1 port for one test; `base_url` works for any client."""
    app = create_app(moonshot_mock_settings)
    with serve_in_thread(app) as url:
        mock = MoonshotMock(f"{url}/v1", api_key_for(moonshot_mock_settings), app.state.services)
        try:
            yield mock
        finally:
            mock.close()


@pytest.fixture
def moonshot_mock_asgi(moonshot_mock_settings: Settings) -> Iterator[MoonshotMock]:
    """The fake in-process for one test: build clients with `**mock.client_kwargs()`."""
    app = create_app(moonshot_mock_settings)
    mock = MoonshotMock(IN_PROCESS_URL, api_key_for(moonshot_mock_settings), app.state.services, app=app)
    try:
        yield mock
    finally:
        mock.close()
