#!/usr/bin/env bash
# `cargo xtask contract` against three services whose answers we know, so that the tool itself
# is tested (the real service is checked by the live job of the workflow, when a key is set):
#   1. the plain anyfast-mock, free probes and the billed generation (free here): it answers
#      exactly as the spec says, so any difference at all fails (--fail-on any);
#   2. the drifting anyfast-mock (--drift 7), the same: every drift is reported, and must break
#      only the generated client, never the tolerant reader (--fail-on reader); no difference
#      reported would mean the tool saw nothing, and fails too;
#   3. Prism's dynamic mock (installed by .ci/prism.sh, pinned), free probes: its answers are
#      random but allowed by the spec, so nothing may break (--fail-on breaking); a few rounds.
set -euo pipefail
cd "$(dirname "$0")/.."

prism=.ci/prism/node_modules/.bin/prism
[ -x "$prism" ] || (cd .ci/prism && npm ci --no-audit --no-fund --loglevel=error)
# The binaries the test step built (one feature resolution for the whole workspace: a `cargo
# build -p` would resolve them for one package and build the dependencies again).
cargo test --workspace --locked --no-run --quiet
xtask=./target/debug/xtask

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

plain_port=$(free_port)
./target/debug/anyfast-mock --port "$plain_port" --timing fast >"$work/plain.log" 2>&1 &
pids+=($!)
drift_port=$(free_port)
./target/debug/anyfast-mock --port "$drift_port" --timing fast --drift 7 >"$work/drift.log" 2>&1 &
pids+=($!)
prism_port=$(free_port)
"$prism" mock openapi.yaml --dynamic --host 127.0.0.1 --port "$prism_port" >"$work/prism.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$plain_port/v1/models" "$work/plain.log"
wait_for "http://127.0.0.1:$drift_port/v1/models" "$work/drift.log"
wait_for "http://127.0.0.1:$prism_port/v1/models" "$work/prism.log"

# Any key will do for these; it must still appear nowhere in what the tool prints or records.
export ANYFAST_API_KEY=sk-ci-contract-0123456789abcdef
contract() { # NAME ARGS...
    local name=$1; shift
    echo "--- cargo xtask contract $* ($name)"
    "$xtask" contract --json --record "$work/recorded-$name" "$@" >"$work/$name.json"
    python3 - "$work/$name.json" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
print(report["summary"])
seen = set()
for probe in report["probes"]:
    for d in probe["differences"]:
        line = f'  {d["probe"]} {d["operation"]} {d["path"]} [{d["kind"]}] breaks {d["breaks"]}'
        if line not in seen:
            seen.add(line)
            print(line)
for failure in report["failures"] + report["skipped"]:
    print(f"  FAILED: {failure}")
EOF
}
status=0
contract plain --base-url "http://127.0.0.1:$plain_port" --billed --poll-interval 0.2 --fail-on any || status=1
contract drift --base-url "http://127.0.0.1:$drift_port" --billed --poll-interval 0.2 --fail-on reader || status=1
python3 - "$work/drift.json" <<'EOF' || status=1
import json, sys
report = json.load(open(sys.argv[1]))
if report["differences"] == 0:
    sys.exit("the drifting mock's answers showed no difference: the check saw nothing")
if not report["breaks_generated_client"]:
    sys.exit("no drift was found to break the generated client: the replay judged nothing")
EOF
for round in 1 2 3; do
    contract "prism-$round" --base-url "http://127.0.0.1:$prism_port" --fail-on breaking || status=1
done

# Nothing printed or recorded holds the key or a signature.
if grep -rlE "$ANYFAST_API_KEY|X-Tos-Signature|X-Amz-Signature" "$work"/*.json "$work"/recorded-*; then
    echo "the key or a signature leaked into the files above"; status=1
fi
exit "$status"
