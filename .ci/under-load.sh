#!/usr/bin/env bash
# The README's test command, N times in a row (default 5), while CPU-bound processes keep every
# core busy: a test that passes only on a quiet machine fails here. Not part of `.ci/run` (it
# takes N times the suite, slowed down); run it after changing a test that waits on time.
#
#   .ci/under-load.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
export CI="${CI:-1}"

# Build first, unloaded: the load is for the tests, not the compiler.
cargo test --workspace --locked --no-run --quiet

burners=()
trap 'kill "${burners[@]}" 2>/dev/null || true' EXIT
for _ in $(seq "$(nproc)"); do
    # Pure CPU, no I/O: sha256 of an endless stream of zeros.
    sha256sum /dev/zero &
    burners+=("$!")
done
sleep 5
echo "under load: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) burners)"

for run in $(seq "$runs"); do
    started=$SECONDS
    if ! cargo test --workspace --locked --quiet >"target/under-load-$run.log" 2>&1; then
        echo "run $run of $runs FAILED after $((SECONDS - started)) s (load $(cut -d' ' -f1 /proc/loadavg)): target/under-load-$run.log"
        grep -E "^test .* FAILED|panicked at|^---- " "target/under-load-$run.log" | head -20
        exit 1
    fi
    echo "run $run of $runs passed in $((SECONDS - started)) s (load $(cut -d' ' -f1 /proc/loadavg))"
done
echo "$runs passed, 0 failed"
