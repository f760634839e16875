"""moonshot-mock: an offline, faithful fake of the Moonshot (Kimi) Open Platform API.

The names a user imports (docs/python-api.md):

- `create_app(settings)`: the ASGI app (serve it with any ASGI server, or `serve_in_thread`);
- `Settings`, `AccountConfig`: its configuration (frozen; vary it with `dataclasses.replace`),
  `load_settings(flags, env, config_file)` to read it as the CLI does, `ConfigError` for a
  setting that is refused;
- `serve_in_thread(app)`: a context manager that serves the app on a free loopback port and
  yields its base URL;
- `MoonshotMock`: the handle the pytest fixtures yield (`MoonshotMock.of(app, base_url)`
  without pytest), and `Control`, the control plane it shares with `/_mock`;
- `MoonshotError`: the error the fake answers with (type, message, status).

They are imported on first use, so `import mock_server` (and the pytest plugin) stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "create_app": "mock_server.app",
    "Settings": "mock_server.settings",
    "AccountConfig": "mock_server.settings",
    "ConfigError": "mock_server.settings",
    "load_settings": "mock_server.config",
    "serve_in_thread": "mock_server.server.thread",
    "MoonshotMock": "mock_server.testing.handle",
    "Control": "mock_server.control",
    "MoonshotError": "mock_server.errors",
}
__all__ = ["AccountConfig", "ConfigError", "Control", "MoonshotError", "MoonshotMock", "Settings",
           "__version__", "create_app", "load_settings", "serve_in_thread"]

if TYPE_CHECKING:
    from mock_server.app import create_app
    from mock_server.config import load_settings
    from mock_server.control import Control
    from mock_server.errors import MoonshotError
    from mock_server.server.thread import serve_in_thread
    from mock_server.settings import AccountConfig, ConfigError, Settings
    from mock_server.testing.handle import MoonshotMock


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mock_server' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
