"""The documentation's examples run: every `yaml`, `python` and `sh` block of README.md and
docs/*.md, unless an HTML comment `<!-- not run: why -->` right before it says why not.

- `yaml`: a settings file (in sections); it must load (unknown settings are refused). A block
  whose first line is `# name.yaml` is also written as that file, for the `sh` blocks that name
  it.
- `python`: run against a fake on a free port (`127.0.0.1:8000` in the text becomes that
  port), in a process of its own (`tests/docs/forked.py`: forked from one that has imported
  the client libraries); a block that defines `test_` functions is run by pytest with the
  plugin instead. A block after `<!-- run with: clients -->` runs in the client libraries'
  environment (`.venv-clients`, tests/clients/env.py) instead of this one.
- `sh`: `curl` lines are run against the fake (exit 0, no error envelope); `moonshot-mock
  serve|record` / `python -m mock_server serve` lines are parsed and their settings built, as
  start-up would (nothing listens); `moonshot-mock` lines that only print (`--help`,
  `--version`) are run; `make` lines are the Makefile's, not run here.

A path to a vocabulary of the user's own (`tokenizer_file`) is not checked: it is not here.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mock_server.app import create_app
from mock_server.cli import parser
from mock_server.config import RENAMED, SETTING_NAMES, DeprecatedName, load_settings, settings_from_document
from mock_server.data.yaml_load import load_yaml
from mock_server.server.thread import serve_in_thread
from mock_server.settings import SECTIONS, Settings
from tests.client_pytest import pytest_args
from tests.clients.env import clients_python, offline_env
from tests.docs import forked

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"(?P<comment><!--\s*(?P<kind>not run|run with):(?P<what>[^>]*)-->\s*\n)?"
                   r"```(?P<language>yaml|python|sh)\n(?P<code>.*?)```", re.S)
DOC_URL = "127.0.0.1:8000"
EXTERNAL = ("tokenizer_file",)


class Block(str):
    """A block's code, and the environment it runs in (`clients`, or None: this one)."""

    env: str | None = None


def blocks(language: str) -> list[Any]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in BLOCK.finditer(text):
            if match["language"] != language:
                continue
            line = text[:match.start("language")].count("\n") + 1
            skipped = match["kind"] == "not run"
            marks = [pytest.mark.skip(reason=match["comment"].strip())] if skipped else []
            code: str = match["code"]
            if match["kind"] == "run with":
                code = Block(code)
                code.env = match["what"].strip()
            found.append(pytest.param(code, id=f"{page.name}:{line}", marks=marks))
    return found


def without_external(values: Any) -> Any:
    """The document without the settings that point at files of the user's own."""
    if isinstance(values, dict):
        return {k: without_external(v) if k in SECTIONS else v
                for k, v in values.items() if k not in EXTERNAL}
    return values


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    with serve_in_thread(create_app(Settings(seed=0, request_log=False))) as url:
        yield url.removeprefix("http://")


@pytest.fixture(scope="module")
def fork_server() -> Iterator[None]:
    yield
    forked.stop()


@pytest.fixture
def named_files(tmp_path: Path) -> Path:
    """The named yaml blocks (`# mock.yaml`), written where the sh lines run (without the
    settings that point at files of the user's own)."""
    for page in PAGES:
        for match in BLOCK.finditer(page.read_text(encoding="utf-8")):
            first = match["code"].split("\n", 1)[0]
            if match["language"] == "yaml" and (name := re.fullmatch(r"# (\S+\.yaml)\b.*", first)):
                values = without_external(load_yaml(match["code"]))  # JSON is YAML
                (tmp_path / name.group(1)).write_text(json.dumps(values), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("code", blocks("yaml"))
def test_yaml_blocks_are_settings_that_load(code: str) -> None:
    values = load_yaml(code)
    if not isinstance(values, dict) or not set(values) & {*SECTIONS, *SETTING_NAMES, *RENAMED}:
        pytest.skip("not a settings file (a reply file or a fragment of one)")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecatedName)  # the docs show today's layout
        settings = settings_from_document(without_external(values) or {})
    assert isinstance(settings, Settings)


@pytest.mark.parametrize("code", blocks("python"))
@pytest.mark.usefixtures("fork_server")
def test_python_blocks_run(code: str, served: str, tmp_path: Path) -> None:
    env = getattr(code, "env", None)
    code = str(code).replace(DOC_URL, served)
    if env == "clients":
        done = subprocess.run([str(clients_python()), "-c", code], capture_output=True, text=True,
                              timeout=120, cwd=tmp_path, env=offline_env())
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return
    if env is not None:
        pytest.fail(f"no environment called {env!r} (only `run with: clients`)")
    arguments = None
    if re.search(r"^def test_", code, re.M):
        (tmp_path / "test_example.py").write_text(code, encoding="utf-8")
        arguments = pytest_args(str(tmp_path))
    status, output = forked.run(code, tmp_path, pytest_args=arguments)
    assert status == 0, output[-4000:]


def commands(code: str) -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", code)
    return [line for line in (shlex.split(row, comments=True) for row in joined.splitlines()) if line]


def check_serve(words: list[str], cwd: Path) -> None:
    env = {}
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
        name, _, value = words.pop(0).partition("=")
        if name.removeprefix("MOONSHOT_MOCK_").lower() not in EXTERNAL:
            env[name] = value
    command = next(w for w in words if w in ("serve", "record"))
    options = vars(parser().parse_args(words[words.index(command):]))
    options.pop("command")
    for name in EXTERNAL:
        options.pop(name, None)
    config = options.pop("config", None)
    settings = load_settings(options, env=env, config_file=cwd / config if config else None)
    assert isinstance(settings, Settings)


def check_command(words: list[str]) -> None:
    """A command that only prints (help, the version): it runs and succeeds."""
    done = subprocess.run([sys.executable, "-m", "mock_server", *words[1:]], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize("code", blocks("sh"))
def test_sh_blocks_run(code: str, served: str, named_files: Path) -> None:
    for words in commands(code.replace(DOC_URL, served).replace("localhost:8000", served)):
        program = next(w for w in words if not re.fullmatch(r"[A-Z_]+=.*", w))
        if program == "make":
            continue
        if {"--help", "--version"} & set(words):
            check_command(words)
        elif program == "curl":
            done = subprocess.run(words, capture_output=True, text=True, timeout=60)
            assert done.returncode == 0 and '"error"' not in done.stdout, done.stdout + done.stderr
        elif {"serve", "record"} & set(words):
            check_serve(list(words), named_files)
        else:
            pytest.fail(f"no way to check this command: {shlex.join(words)}")
