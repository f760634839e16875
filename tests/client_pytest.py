"""pytest in a subprocess, as a client project runs it (the plugin's tests and the docs' examples).

The dev extra's libraries bring pytest plugins of their own (LangSmith's with LangChain, Faker's,
Schemathesis's, Hypothesis's, AnyIO's). A client project's run needs none of them, and loading
them costs about 3 s of CPU at every start: these runs leave them out, as pyproject.toml's
`addopts` does for the project's own run.
"""

from __future__ import annotations

import sys
from pathlib import Path

OTHER_PLUGINS = ("langsmith_plugin", "faker", "schemathesis", "hypothesispytest", "anyio")


def pytest_args(*args: str) -> list[str]:
    """pytest's arguments `-q`, no cache, without the dev extra's other plugins, then `args`."""
    leave_out = [word for name in OTHER_PLUGINS for word in ("-p", f"no:{name}")]
    return ["-q", "-p", "no:cacheprovider", *leave_out, *args]


def pytest_command(*args: str, python: str | Path = sys.executable) -> list[str]:
    """`python -m pytest` with `pytest_args(*args)`."""
    return [str(python), "-m", "pytest", *pytest_args(*args)]
