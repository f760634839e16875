"""The framework internals the fake relies on are still there, in a release it supports.

`server/protocols.py` subclasses uvicorn's protocol classes (the connection's transport for the
connection faults, one write per response): not a public interface. The edge subclasses
Starlette's `Headers` and `Request` and uses its `compile_path`. So `pyproject.toml` bounds the
releases (an upper bound on uvicorn and Starlette) and this test fails on an installed release
outside them, or whose classes no longer have what the fake overrides.
"""

from __future__ import annotations

import inspect
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
BOUNDED = ("uvicorn", "starlette")


def requirement(name: str) -> Requirement:
    dependencies = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["dependencies"]
    return next(r for r in map(Requirement, dependencies) if r.name == name)


@pytest.mark.parametrize("name", BOUNDED)
def test_the_dependency_has_an_upper_bound(name: str) -> None:
    assert any(spec.operator in ("<", "<=", "~=") for spec in requirement(name).specifier), (
        f"{name} needs an upper bound in pyproject.toml: the fake uses its internals")


@pytest.mark.parametrize("name", BOUNDED)
def test_the_installed_release_is_in_the_supported_range(name: str) -> None:
    wanted = requirement(name).specifier
    installed = Version(version(name))
    assert wanted.contains(installed, prereleases=True), (
        f"{name} {installed} is outside the range the fake is tested with ({wanted}); "
        "run the suite against it and move the bound in pyproject.toml")


def _source(function: object) -> str:
    return inspect.getsource(function)  # type: ignore[arg-type]


def test_uvicorns_httptools_protocol_still_has_what_is_overridden() -> None:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    assert list(inspect.signature(HttpToolsProtocol.connection_made).parameters) == ["self", "transport"]
    assert "self.transport" in _source(HttpToolsProtocol.connection_made)
    assert list(inspect.signature(HttpToolsProtocol.on_message_begin).parameters) == ["self"]
    assert "self.scope" in _source(HttpToolsProtocol.on_message_begin)  # the scope is built there
    # the connection's hold (idle and header timeouts, half-close, malformed requests)
    for name in ("on_headers_complete", "data_received", "connection_lost", "eof_received",
                 "send_400_response",
                 "timeout_keep_alive_handler"):
        assert callable(getattr(HttpToolsProtocol, name)), name
    assert "self.timeout_keep_alive_task" in _source(HttpToolsProtocol._unset_keepalive_if_required)
    assert "self.cycle" in _source(HttpToolsProtocol.connection_lost)


def test_uvicorns_h11_protocol_still_has_what_is_overridden() -> None:
    from uvicorn.protocols.http.h11_impl import H11Protocol

    assert list(inspect.signature(H11Protocol.connection_made).parameters) == ["self", "transport"]
    assert "self.transport" in _source(H11Protocol.connection_made)
    assert "self.app" in _source(H11Protocol.__init__)  # the app the mixin wraps


@pytest.mark.parametrize("module, name", [("httptools_impl", "HttpToolsProtocol"),
                                          ("h11_impl", "H11Protocol")])
def test_uvicorns_shutdown_still_reaches_each_connection(module: str, name: str) -> None:
    """The stream in progress is told to end from the protocol's `shutdown` (the request's
    scope is the protocol's `scope`)."""
    import importlib

    protocol = getattr(importlib.import_module(f"uvicorn.protocols.http.{module}"), name)
    assert list(inspect.signature(protocol.shutdown).parameters) == ["self"]
    assert "self.scope = " in inspect.getsource(protocol)
    from uvicorn.server import Server

    assert "connection.shutdown()" in _source(Server.shutdown)


def test_the_protocol_classes_build_on_the_installed_uvicorn() -> None:
    from uvicorn.protocols.http.h11_impl import H11Protocol
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    from mock_server.server.protocols import h11_protocol, protocol_class

    assert issubclass(protocol_class("httptools"), HttpToolsProtocol)
    assert issubclass(protocol_class("h11"), H11Protocol) and h11_protocol() is protocol_class("h11")
