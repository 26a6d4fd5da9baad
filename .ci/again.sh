#!/usr/bin/env bash
# After the README's test command: the client's and the CLI's integration suites again against
# the drifting mock (ANYFAST_MOCK_DRIFT: every answer in another documented or observed voice),
# and the tests that `cargo test` leaves out because they wait real seconds by design.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/test-binaries.sh

ANYFAST_MOCK_DRIFT=7 run_test_binary anyfast-video it
ANYFAST_MOCK_DRIFT=7 run_test_binary anyfast-video reliability
ANYFAST_MOCK_DRIFT=7 run_test_binary anyfast-video-tasks it
ANYFAST_MOCK_DRIFT=7 run_test_binary anyfast-video-cli it

# Ignored by `cargo test`, each saying why (prism:: runs in .ci/prism.sh; the store's child
# process is started by the test that needs it).
run_test_binary anyfast-video it --ignored --exact lifecycle::generate_in_one_call
