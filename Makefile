# moonshot-mock — every target creates .venv and installs the project first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Everything the tests need is installed by `make install`, never while they run: once it has
# run, `make test` needs no network.
# Debian packages (each installs a command of the same name): redis-server for the Redis state
# tests, wrk for the load tests and `make bench`. Missing ones are installed with apt-get when
# run as root; otherwise make says so, and those tests skip with the reason.
SYSTEM_PACKAGES := redis-server wrk

.PHONY: install clients-env system-packages tokenizer serve test lint contract contract-live drift bench \
	bench-upload docker-test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q mock_server  # bytecode, as an installed package has it
	touch $(STAMP)

# Client libraries whose pins clash with the dev extra's (instructor holds the openai SDK back,
# DSPy and llama-index bring their own pins) get one environment of their own, made here at
# install time from tests/clients/requirements.txt; the tests drive them over a socket and never
# install anything while they run.
CLIENTS_VENV := .venv-clients
CLIENTS_STAMP := $(CLIENTS_VENV)/.installed

$(CLIENTS_STAMP): tests/clients/requirements.txt
	$(PYTHON) -m venv $(CLIENTS_VENV)
	$(CLIENTS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CLIENTS_VENV)/bin/python -m pip install --quiet -r tests/clients/requirements.txt
	touch $(CLIENTS_STAMP)

clients-env: $(CLIENTS_STAMP)

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do command -v $$p >/dev/null || printf '%s ' $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "apt-get install $$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -qq $$missing >/dev/null 2>&1 \
		|| { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $$missing >/dev/null 2>&1; } \
		|| echo "apt-get could not install $$missing: the tests that need them will skip"; \
	else \
		echo "not installed: $$missing(Debian: apt-get install $$missing): the tests that need them will skip"; \
	fi

install: $(STAMP) $(CLIENTS_STAMP) system-packages

# The Kimi K2 vocabulary for the exact-token tests (MIT, Moonshot AI; not shipped): downloaded from
# the public moonshotai/Kimi-K2-Instruct model repository, or copied from TOKENIZER_FROM=PATH, and
# checked by its sha256 into tests/data/kimi-k2/ (tests/kimi_vocabulary.py). Without it those
# tests skip.
TOKENIZER_FROM ?=
tokenizer: $(STAMP)
	$(BIN)/python -m tests.kimi_vocabulary $(if $(TOKENIZER_FROM),--from $(TOKENIZER_FROM))

# `make serve PORT=9000 HOST=0.0.0.0` to listen elsewhere
serve: $(STAMP)
	@echo "make serve: HOST=$(HOST) PORT=$(PORT) (set PORT=... HOST=... to change)"
	$(BIN)/moonshot-mock serve --host $(HOST) --port $(PORT)

# The suite on every core (pytest-xdist), a test file per worker at a time, so that a module's
# shared set-up (a contract run, a bench run, a multi-worker server) is made once.
# TEST_WORKERS=0 runs it in one process. The run keeps bytecode caches (in __pycache__, ignored
# by git) even where the environment sets PYTHONDONTWRITEBYTECODE: without them every xdist
# worker and every Python subprocess of the tests compiles, and pytest assert-rewrites, each
# module it imports again at each run (about 3 s of CPU per worker).
TEST_WORKERS ?= auto
test: install
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -rs -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .

# Contract suites (contracts/): the spec checked against a server, reports under REPORTS.
# `make contract` checks the fake in-process, or any server: `make contract BASE_URL=http://...`
# (the server's root; a BASE_URL ending in /v1, as the SDK takes it, is taken back to the root).
# `make contract-live` runs the cheap, paced live plan against the real API (needs
# MOONSHOT_API_KEY; MOONSHOT_BASE_URL picks .cn/.ai); without a key it skips and exits 0.
REPORTS ?= contracts/reports
BASE_URL ?=
API_KEY ?= sk-contract-suite
MAX_EXAMPLES ?= 25

contract: $(STAMP)
	$(BIN)/python -m moonshot_mock_contracts run --profile fake $(if $(BASE_URL),--base-url $(BASE_URL)) \
		--api-key $(API_KEY) --max-examples $(MAX_EXAMPLES) --out $(REPORTS)/fake

contract-live: $(STAMP)
	$(BIN)/python -m moonshot_mock_contracts run --profile live --out $(REPORTS)/live

drift: $(STAMP)
	$(BIN)/python -m moonshot_mock_contracts drift $(REPORTS)/fake/result.json $(REPORTS)/live/result.json \
		--out $(REPORTS)/drift

# Benchmarks (never part of `test`): writes bench/results/latest.{md,json}, tokens.{md,json},
# schema_reply.md, asked_format.md and doors.md.
# BENCH_FLAGS=--quick
bench: $(STAMP) system-packages
	$(BIN)/python -m bench.run $(BENCH_FLAGS)
	$(BIN)/python -m bench.bench_tokens
	$(BIN)/python -m bench.bench_schema_reply
	$(BIN)/python -m bench.bench_asked_format
	$(BIN)/python -m bench.bench_doors

bench-upload: $(STAMP)
	$(BIN)/python bench/bench_upload.py

# The container image (Dockerfile), opt-in, never part of `test`: build, run on the host network
# at 127.0.0.1:$(DOCKER_PORT), a chat through it, the health check and the locked control plane,
# stop. BASE_IMAGE=... builds on another base (docker/debian-base.sh makes one from Debian's
# packages where Docker Hub cannot be reached); DOCKER=... picks the docker client; PIP_INDEX_URL,
# PIP_EXTRA_INDEX_URL and PIP_TRUSTED_HOST from the environment reach the image's pip.
DOCKER ?= docker
BASE_IMAGE ?=
DOCKER_PORT ?= 18000

docker-test:
	DOCKER=$(DOCKER) BASE_IMAGE=$(BASE_IMAGE) PORT=$(DOCKER_PORT) docker/test.sh
