#!/usr/bin/env bash
# An independent peer checks anyfast-mock against openapi.yaml: schemathesis (pinned, installed
# into a virtual environment here) runs every phase (examples, coverage, fuzzing, stateful) with
# every check but the two that .ci/schemathesis.toml turns off, each with its reason.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/ci-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r .ci/schemathesis-requirements.txt
fi
[ "${1:-}" = --install-only ] && exit 0

# The binaries the test step built (one feature resolution for the whole workspace: a `cargo
# build -p` would resolve them for one package and build the dependencies again).
cargo test --workspace --locked --no-run --quiet
log=$(mktemp)
./target/debug/anyfast-mock --port 0 --timing instant --api-key schemathesis-key >"$log" 2>&1 &
mock=$!
trap 'kill "$mock" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
    grep -q 'API:' "$log" && break
    sleep 0.1
done
url=$(awk '/API:/ {print $2}' "$log")
[ -n "$url" ] || { echo "anyfast-mock did not start:"; cat "$log"; exit 1; }

"$venv/bin/schemathesis" --config-file .ci/schemathesis.toml run openapi.yaml \
    --url "$url" \
    --header "Authorization: Bearer schemathesis-key" \
    --seed 1 \
    --no-color
