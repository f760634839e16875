"""The Dockerfile keeps its promises on paper (`make docker-test` proves them with a daemon):
a base chosen by build argument defaulting to the public slim image, a non-root user, serve on
0.0.0.0:8000, a health check; and the opt-in target stays out of `make test`."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text("utf-8")


def instructions(name: str) -> list[str]:
    joined = DOCKERFILE.replace("\\\n", " ")
    return [line.split(None, 1)[1] for line in joined.splitlines()
            if line.split(None, 1)[:1] == [name]]


def test_the_base_is_a_build_argument_defaulting_to_the_slim_image() -> None:
    assert instructions("ARG")[0] == "BASE_IMAGE=python:3.12-slim"
    assert instructions("FROM") == ["${BASE_IMAGE}"]


def test_it_runs_as_a_non_root_user_with_a_health_check() -> None:
    assert instructions("USER") == ["10001"]
    assert "useradd --uid 10001" in DOCKERFILE.replace("\\\n", " ")
    assert len(instructions("HEALTHCHECK")) == 1 and "/openapi.json" in instructions("HEALTHCHECK")[0]
    assert instructions("ENTRYPOINT") == ['["moonshot-mock"]'] and instructions("CMD") == ['["serve"]']
    assert "MOONSHOT_MOCK_HOST=0.0.0.0" in DOCKERFILE


def test_docker_test_is_opt_in() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    test_recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert test_recipe is not None and "docker" not in test_recipe.group(1)
    assert re.search(r"^docker-test:", makefile, re.M)
