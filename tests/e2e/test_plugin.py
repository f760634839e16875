"""The pytest plugin as a client project meets it: free to load, clear about what it needs,
a session-wide socket fixture reset per test, in-process over the SDK's own HTTP library."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import httpx

from mock_server.app import create_app
from mock_server.settings import Settings
from mock_server.testing.inprocess import sdk_http_module, transports
from tests.client_pytest import pytest_command

HEAVY = ("mock_server.app", "mock_server.config", "starlette", "uvicorn", "httpx", "httpx2",
         "openai", "orjson", "yaml", "redis", "pypdf")


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=60)


def pytest_in(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(pytest_command(*args),
                          cwd=project, capture_output=True, text=True, timeout=120)


def test_loading_the_plugin_imports_nothing_heavy() -> None:
    result = python(f"""
        import sys
        import mock_server.testing.pytest_plugin
        print(sorted(m for m in {HEAVY!r} if m in sys.modules))
    """)
    assert result.stdout.strip() == "[]", result.stderr


def test_the_plugin_loads_without_httpx2_or_openai() -> None:
    """A project with another openai (or none) is not broken by the plugin being installed."""
    result = python("""
        import sys
        sys.modules["httpx2"] = None
        sys.modules["openai"] = None
        import mock_server.testing.pytest_plugin
        print("loaded")
    """)
    assert result.stdout.strip() == "loaded", result.stderr


def test_an_empty_project_collects_cleanly(tmp_path: Path) -> None:
    (tmp_path / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
    result = pytest_in(tmp_path, "--co")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_in_process_fixture_says_which_openai_it_needs(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "import sys\nsys.modules['openai'] = None\nsys.modules['anthropic'] = None\n")
    (tmp_path / "test_asgi.py").write_text("def test_it(moonshot_mock_asgi):\n    pass\n")
    result = pytest_in(tmp_path)
    assert result.returncode == 1
    assert "the in-process fixture (moonshot_mock_asgi) needs the openai SDK, version 1.50 or " \
           "later: pip install 'openai>=1.50'" in result.stdout


def test_the_session_fixture_serves_once_and_resets_before_each_test(tmp_path: Path) -> None:
    (tmp_path / "test_session.py").write_text(textwrap.dedent("""
        import httpx

        seen = []

        def get_models(mock):
            return httpx.get(f"{mock.base_url}/models",
                             headers={"Authorization": f"Bearer {mock.api_key}"})

        def test_first(moonshot_mock_session):
            seen.append(moonshot_mock_session.base_url)
            moonshot_mock_session.fault("error=engine_overloaded")
            assert get_models(moonshot_mock_session).status_code == 429
            moonshot_mock_session.assert_calls(1, path="/v1/models")

        def test_second(moonshot_mock_session):
            seen.append(moonshot_mock_session.base_url)
            assert moonshot_mock_session.journal() == []
            assert get_models(moonshot_mock_session).status_code == 200
            assert seen[0] == seen[1]  # the same server
    """))
    result = pytest_in(tmp_path)
    assert result.returncode == 0 and "2 passed" in result.stdout, result.stdout


def test_in_process_uses_the_sdk_own_http_library() -> None:
    from openai import _base_client

    assert sdk_http_module() is (getattr(_base_client, "httpx2", None) or _base_client.httpx)


def test_in_process_transports_work_over_httpx_too() -> None:
    """openai 1.x and 2.x build on httpx: the same transports, made over it, serve the app."""
    made = transports(httpx)
    app = create_app(Settings(seed=0, clock="virtual"))
    with httpx.Client(transport=made.SyncTransport(app), base_url="http://mock") as client:
        response = client.get("/v1/models", headers={"Authorization": "Bearer sk-x"})
    assert response.status_code == 200 and response.json()["object"] == "list"
