"""`python -m build` makes an sdist and a wheel (the wheel built from the sdist, so the sdist is
complete) without a warning about the package's metadata, and the wheel installs into a fresh
virtual environment: the console script serves, `--version` answers, the pytest plugin loads.

No network: the build uses this environment's setuptools (`--no-isolation`), and the fresh
environment finds the dependencies in this one's site-packages through a `.pth` line (after
its own site-packages, so `mock_server` comes from the wheel, never from the source tree).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import httpx
import pytest

from mock_server import __version__
from tests.client_pytest import pytest_command
from tests.e2e.test_cli import free_port

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(".git", ".venv", ".venv-clients", "build", "dist", "*.egg-info", "__pycache__",
                              ".pytest_cache", ".ruff_cache", ".hypothesis", "node_modules",
                              "reports", "results")
PLUGIN_TEST = '''
import httpx

def test_the_fixture_serves(moonshot_mock):
    answer = httpx.get(moonshot_mock.base_url + "/models",
                       headers={"Authorization": "Bearer " + moonshot_mock.api_key})
    assert answer.status_code == 200 and answer.json()["data"]
'''


def run(*command: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    source = tmp_path_factory.mktemp("source") / "moonshot-mock"
    shutil.copytree(ROOT, source, ignore=SKIP, symlinks=True)
    out = tmp_path_factory.mktemp("dist")
    log = run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, source)
    return out, log


@pytest.fixture(scope="module")
def fresh(dist: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the wheel installed in it."""
    home = tmp_path_factory.mktemp("fresh") / "venv"
    venv.EnvBuilder(with_pip=False).create(home)
    python = home / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip()
    Path(purelib, "zz-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    wheel = next(dist[0].glob("*.whl"))
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "--no-compile", wheel)
    return home


def test_build_makes_an_sdist_and_a_wheel_without_metadata_warnings(dist: tuple[Path, str]) -> None:
    out, log = dist
    assert sorted(p.name for p in out.iterdir()) == [
        f"moonshot_mock-{__version__}-py3-none-any.whl", f"moonshot_mock-{__version__}.tar.gz"]
    for warning in ("BuildBackendWarning", "DeprecationWarning", "deprecated", "SPDX"):
        assert warning not in log


def test_the_wheel_runs_from_a_fresh_environment(fresh: Path) -> None:
    where = run(fresh / "bin" / "python", "-c", "import mock_server; print(mock_server.__file__)",
                cwd=fresh)
    assert str(fresh) in where  # the wheel's copy, not the source tree's
    assert run(fresh / "bin" / "moonshot-mock", "--version").strip() == f"moonshot-mock {__version__}"
    port = free_port()
    server = subprocess.Popen([fresh / "bin" / "moonshot-mock", "serve", "--port", str(port),
                               "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              cwd=fresh)
    try:
        assert server.stdout is not None
        assert b"listening on" in server.stdout.readline()
        models = httpx.get(f"http://127.0.0.1:{port}/v1/models",
                           headers={"Authorization": "Bearer sk-packaged"}, timeout=10)
        assert models.status_code == 200 and models.json()["data"]
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_pytest_plugin_loads_from_the_wheel(fresh: Path, tmp_path: Path) -> None:
    (tmp_path / "test_with_plugin.py").write_text(PLUGIN_TEST, encoding="utf-8")
    output = run(*pytest_command("test_with_plugin.py", python=fresh / "bin" / "python"), cwd=tmp_path)
    assert "1 passed" in output
