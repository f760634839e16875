"""`moonshot-mock serve` refuses an unknown setting before serving: exit 2, the reason on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MOONSHOT_MOCK_")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "mock_server", "serve", "--port", "1", *args],
                          capture_output=True, text=True, timeout=60, env=environment)


@pytest.mark.parametrize(("text", "message"), [
    ("admission:\n  tire: Tier0\n",
     "moonshot-mock: unknown setting 'admission.tire'; did you mean 'admission.tier'?"),
    ("clok: virtual\n", "moonshot-mock: unknown setting 'clok'; did you mean 'api.clock'?"),
    ("accounts:\n  acme: {kyes: [sk-1]}\n",
     "moonshot-mock: unknown setting 'accounts.acme.kyes'; did you mean 'accounts.acme.keys'?"),
])
def test_a_typo_in_the_config_file_stops_the_start(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "mock.yaml"
    config.write_text(text, encoding="utf-8")
    done = serve("--config", str(config))
    assert done.returncode == 2
    assert done.stderr.startswith(message) and done.stdout == ""


def test_an_unknown_environment_variable_stops_the_start() -> None:
    done = serve(env={"MOONSHOT_MOCK_TIRE": "Tier0"})
    assert done.returncode == 2
    assert done.stderr.startswith("moonshot-mock: unknown environment variable 'MOONSHOT_MOCK_TIRE'; "
                                  "did you mean 'MOONSHOT_MOCK_TIER'?")
