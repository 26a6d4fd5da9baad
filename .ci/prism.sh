#!/usr/bin/env bash
# Contract checks against Prism (pinned in .ci/prism/package.json, installed here):
#   1. the ergonomic client against `prism mock --dynamic`: it must accept every answer the spec
#      allows, and send no request Prism finds invalid;
#   2. a whole generate through `prism proxy --errors` in front of anyfast-mock: no violation in
#      either direction.
set -euo pipefail
cd "$(dirname "$0")/.."

prism=.ci/prism/node_modules/.bin/prism
[ -x "$prism" ] || (cd .ci/prism && npm ci --no-audit --no-fund --loglevel=error)
source .ci/test-binaries.sh  # builds what the test step built, when it has not run

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # URL LOG
    for _ in $(seq 300); do
        curl -s -o /dev/null -H "Authorization: Bearer probe" "$1" && return 0
        sleep 0.1
    done
    echo "nothing answers at $1:"; cat "$2"; return 1
}

mock_port=$(free_port)
"$prism" mock openapi.yaml --dynamic --host 127.0.0.1 --port "$mock_port" >"$work/prism-mock.log" 2>&1 &
pids+=($!)

api_port=$(free_port)
./target/debug/anyfast-mock --port "$api_port" --timing fast >"$work/anyfast-mock.log" 2>&1 &
pids+=($!)
proxy_port=$(free_port)
"$prism" proxy openapi.yaml "http://127.0.0.1:$api_port" --errors --host 127.0.0.1 --port "$proxy_port" >"$work/prism-proxy.log" 2>&1 &
pids+=($!)

wait_for "http://127.0.0.1:$mock_port/v1/video/generations/x" "$work/prism-mock.log"
wait_for "http://127.0.0.1:$proxy_port/v1/video/generations/x" "$work/prism-proxy.log"

status=0
PRISM_MOCK_URL="http://127.0.0.1:$mock_port" PRISM_PROXY_URL="http://127.0.0.1:$proxy_port" \
    run_test_binary anyfast-video it prism:: --ignored --test-threads 1 || status=$?

# Prism logs each violation it saw; any at all is a failure, even one the client tolerated.
if grep -iE 'violation|\[VALIDATOR\]' "$work/prism-mock.log" "$work/prism-proxy.log" | grep -viE 'no violation' | grep -iE 'error|warn' >"$work/violations"; then
    echo "Prism reported violations:"; cat "$work/violations"; status=1
fi
if [ "$status" -ne 0 ]; then
    echo "--- prism mock log (tail)"; tail -40 "$work/prism-mock.log"
    echo "--- prism proxy log (tail)"; tail -40 "$work/prism-proxy.log"
fi
exit "$status"
