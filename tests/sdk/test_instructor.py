"""instructor, unchanged, against the default model in its JSON and TOOLS modes.

instructor pins `jiter<0.15`, which holds the openai SDK back to an older release than the dev
extra's, so it cannot be installed beside it: it runs from the client libraries' own
environment (`.venv-clients`, made by `make install`), and a script run there drives the fake
over a real socket.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mock_server.app import create_app
from mock_server.server.thread import serve_in_thread
from mock_server.settings import Settings
from tests.clients.env import run_script


@pytest.fixture
def fake_url() -> Iterator[str]:
    with serve_in_thread(create_app(Settings(seed=5))) as url:
        yield url


def test_instructor_json_and_tools_modes_validate(fake_url: str) -> None:
    results = run_script("instructor_script.py", f"{fake_url}/v1")
    assert len(results) == 3, results
    for person in results.values():
        assert 0 <= person["age"] <= 120 and person["role"] in ("admin", "editor", "viewer")
        assert len(person["address"]["zip_code"]) == 5 and person["address"]["zip_code"].isdigit()
