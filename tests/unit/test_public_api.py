"""The names a user imports from `mock_server` (docs/python-api.md), and importing it stays cheap."""

from __future__ import annotations

import subprocess
import sys

import mock_server


def test_every_documented_name_is_exported() -> None:
    assert set(mock_server.__all__) == {
        "AccountConfig", "ConfigError", "Control", "MoonshotError", "MoonshotMock", "Settings",
        "__version__", "create_app", "load_settings", "serve_in_thread"}
    for name in mock_server.__all__:
        assert getattr(mock_server, name) is not None


def test_importing_the_package_loads_no_app() -> None:
    code = "import sys, mock_server; print('mock_server.app' in sys.modules, 'starlette' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_the_handle_steers_an_app_without_its_internals() -> None:
    from mock_server import MoonshotMock, Settings, create_app

    app = create_app(Settings(seed=0, clock="virtual"))
    mock = MoonshotMock.of(app, "http://moonshot-mock.invalid/v1", in_process=True)
    assert not hasattr(mock, "services")
    mock.fault("status=429", times=1)
    assert app.state.control is mock.control and len(mock.control.faults()) == 1
    assert mock.advance(5) == mock.control.clock()["now"]
