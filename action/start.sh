#!/usr/bin/env bash
# The GitHub Action's step (action.yml): install moonshot-mock, start `moonshot-mock serve` in the
# background, wait until it answers, and write its URLs to $GITHUB_OUTPUT. Runs anywhere with the
# same variables (tests/e2e/test_action.py runs it as the action does).
set -euo pipefail

port="${MOCK_PORT:-8000}"
work="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/moonshot-mock"
log="$work/server.log"
mkdir -p "$work"

install() {
  python3 -m venv "$work/venv"
  if [ -n "${MOCK_VERSION:-}" ]; then
    "$work/venv/bin/python" -m pip install --quiet "moonshot-mock==${MOCK_VERSION}"
  else
    "$work/venv/bin/python" -m pip install --quiet "${MOCK_SOURCE:?MOCK_SOURCE: the source to install}"
  fi
  echo "$work/venv/bin"
}

if [ "${MOCK_INSTALL:-true}" = "true" ]; then
  bin="$(install)/moonshot-mock"
else
  bin="$(command -v moonshot-mock)" || { echo "::error::moonshot-mock is not on PATH (install: false)"; exit 1; }
fi

command=("$bin" serve --host 127.0.0.1 --port "$port")
[ -n "${MOCK_CONFIG:-}" ] && command+=(--config "$MOCK_CONFIG")
[ -n "${MOCK_REPLIES:-}" ] && command+=(--reply-files-dir "$MOCK_REPLIES")
[ -n "${MOCK_API_DATE:-}" ] && command+=(--api-date "$MOCK_API_DATE")
if [ -n "${MOCK_ARGS:-}" ]; then
  read -r -a extra <<< "$MOCK_ARGS"
  command+=("${extra[@]}")
fi

echo "starting: ${command[*]}"
nohup "${command[@]}" > "$log" 2>&1 &
pid=$!

url="http://127.0.0.1:$port"
deadline=$((SECONDS + ${MOCK_WAIT_SECONDS:-60}))
answers='import sys, urllib.request as u; u.build_opener(u.ProxyHandler({})).open(sys.argv[1], timeout=2)'
until python3 -c "$answers" "$url/openapi.json" 2> /dev/null; do
  if ! kill -0 "$pid" 2> /dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "::error::moonshot-mock did not start; its output:"
    cat "$log"
    kill "$pid" 2> /dev/null || true
    exit 1
  fi
  sleep 0.2
done

{
  echo "url=$url"
  echo "base-url=$url/v1"
  echo "anthropic-base-url=$url/anthropic"
  echo "pid=$pid"
  echo "log-file=$log"
} | tee -a "${GITHUB_OUTPUT:-/dev/null}"
