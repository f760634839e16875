"""Serving beyond loopback with the control plane unlocked prints a warning naming the risk."""

from __future__ import annotations

import dataclasses

import pytest

from mock_server import cli
from mock_server.server import run
from mock_server.settings import Settings


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7", "mock.internal"])
def test_a_reachable_unlocked_control_plane_is_warned_about(host: str) -> None:
    warning = run.control_plane_warning(dataclasses.replace(Settings(), host=host))
    assert warning is not None
    assert f"listening on {host} without admin_token" in warning
    assert "inject errors" in warning and "reset state" in warning


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_is_not_warned_about(host: str) -> None:
    assert run.control_plane_warning(dataclasses.replace(Settings(), host=host)) is None


def test_a_token_silences_it() -> None:
    settings = dataclasses.replace(Settings(), host="0.0.0.0", admin_token="s3cret")
    assert run.control_plane_warning(settings) is None


def test_serve_prints_it_before_listening(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    def no_bind(host: str, port: int) -> None:  # nothing listens beyond loopback in a test
        raise run.PortInUse(f"{host}:{port} not bound in this test")

    monkeypatch.setattr(run, "bind", no_bind)
    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "8000"]) == cli.UNUSABLE_ENVIRONMENT
    assert "warning: listening on 0.0.0.0 without admin_token" in capsys.readouterr().err


def test_the_readme_says_it_on_its_first_screen() -> None:
    from pathlib import Path

    first_screen = "\n".join((Path(__file__).parents[2] / "README.md").read_text("utf-8")
                             .splitlines()[:30])
    assert "control plane is open by default" in first_screen
    assert "MOONSHOT_MOCK_ADMIN_TOKEN" in first_screen
