#!/usr/bin/env bash
# After the README's test command: the client's and the CLI's integration suites again against
# the drifting mock (ANYFAST_MOCK_DRIFT: every answer in another documented or observed voice),
# and the tests that `cargo test` leaves out because they wait real seconds by design.
#
# The suites mostly wait (on timers, child processes and servers: the CPU was idle four fifths
# of the time when they ran one after the other), so they run side by side, each into its own
# log; the logs are printed in order once all have ended.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/test-binaries.sh

logs=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$logs"' EXIT
names=()
pids=()
side_by_side() {
    local name=$1
    shift
    "$@" >"$logs/$name" 2>&1 &
    names+=("$name")
    pids+=($!)
}

ANYFAST_MOCK_DRIFT=7 side_by_side client run_test_binary anyfast-video it
ANYFAST_MOCK_DRIFT=7 side_by_side reliability run_test_binary anyfast-video reliability
ANYFAST_MOCK_DRIFT=7 side_by_side tasks run_test_binary anyfast-video-tasks it
# Less the CLI's tests in which no answer's shape plays a part: the journal's server going down
# or cut off under the workers (they wait out the journal's patience, 30 s and more), the
# network failures' causes, and the journal's file modes. They ran once above.
ANYFAST_MOCK_DRIFT=7 side_by_side cli run_test_binary anyfast-video-cli it \
    --skip workers::a_postgresql_server_ --skip workers::a_worker_cut_off_from_postgresql_ \
    --skip causes:: --skip private::
# Ignored by `cargo test`, each saying why (prism:: runs in .ci/prism.sh; the store's child
# process is started by the test that needs it).
side_by_side slow run_test_binary anyfast-video it --ignored --exact \
    lifecycle::generate_in_one_call

failed=()
for i in "${!names[@]}"; do
    wait "${pids[$i]}" || failed+=("${names[$i]}")
done
for name in "${names[@]}"; do
    cat "$logs/$name"
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "failed: ${failed[*]}"
    exit 1
fi
