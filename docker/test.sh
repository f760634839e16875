#!/usr/bin/env bash
# `make docker-test`: build the image, run it, chat through it, check its health check and its
# locked control plane, stop it. Opt-in (needs a Docker daemon); not part of `make test`.
# The container uses the host's network and listens on 127.0.0.1 only; every request goes there.
# DOCKER (default docker), BASE_IMAGE (default: the Dockerfile's python slim image), PORT;
# PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, PIP_TRUSTED_HOST are passed to the build when set.
set -euo pipefail
docker="${DOCKER:-docker}"
port="${PORT:-18000}"
image="moonshot-mock:test"
name="moonshot-mock-test-$$"
token="docker-test-admin"
url="http://127.0.0.1:$port"

step() { printf '\n== %s\n' "$*"; }
cleanup() { "$docker" rm -f "$name" > /dev/null 2>&1 || true; }
trap cleanup EXIT

step "build $image${BASE_IMAGE:+ on $BASE_IMAGE}"
build_args=()
for name in BASE_IMAGE PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_TRUSTED_HOST; do
  [ -n "${!name:-}" ] && build_args+=(--build-arg "$name=${!name}")
done
"$docker" build --network host "${build_args[@]}" -t "$image" .

step "run (host network, 127.0.0.1:$port, admin token from the environment)"
"$docker" run -d --name "$name" --network host \
  -e MOONSHOT_MOCK_HOST=127.0.0.1 -e MOONSHOT_MOCK_PORT="$port" \
  -e MOONSHOT_MOCK_ADMIN_TOKEN="$token" "$image"
echo "user in the container: $("$docker" exec "$name" id -u) (non-root)"
[ "$("$docker" exec "$name" id -u)" != "0" ]

step "wait for the health check"
for _ in $(seq 1 60); do
  health="$("$docker" inspect --format '{{.State.Health.Status}}' "$name")"
  [ "$health" = "healthy" ] && break
  sleep 1
done
echo "health: $health"
[ "$health" = "healthy" ]

step "a chat through the container"
curl -sS --fail-with-body --noproxy '*' "$url/v1/chat/completions" \
  -H 'Authorization: Bearer sk-docker-test' -H 'Content-Type: application/json' \
  -d '{"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}]}'
echo

step "the control plane is locked by the token"
status="$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' "$url/_mock/journal")"
echo "GET /_mock/journal without the token: $status"
[ "$status" = "401" ]
curl -sS --fail-with-body --noproxy '*' -H "X-Mock-Admin-Token: $token" "$url/_mock/journal?limit=1"
echo

step "stop"
"$docker" stop --time 10 "$name" > /dev/null
echo "exit code: $("$docker" inspect --format '{{.State.ExitCode}}' "$name")"
"$docker" logs "$name" 2>&1 | tail -n 5
echo
echo "docker-test: passed"
