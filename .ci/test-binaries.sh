# Sourced by the CI scripts that run a test binary themselves: `run_test_binary PACKAGE TARGET
# ARGS...` runs the integration test TARGET of PACKAGE (a folder name under crates/) from its
# package's folder, as cargo does, with ARGS for the test harness.
#
# The binaries are the ones `cargo test --workspace` builds (built here if they are not yet):
# `cargo test -p` would resolve features for that package alone and build them again.

test_binaries=$(cargo test --workspace --locked --no-run --quiet --message-format=json |
    python3 -c '
import json, os, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") != "compiler-artifact" or not message.get("executable"):
        continue
    if "test" not in message["target"]["kind"]:
        continue
    folder = os.path.dirname(message["manifest_path"])
    print(os.path.basename(folder), folder, message["target"]["name"], message["executable"])
')

run_test_binary() {
    local package=$1 target=$2
    shift 2
    local name folder test executable
    while read -r name folder test executable; do
        if [ "$name" = "$package" ] && [ "$test" = "$target" ]; then
            echo "--- $package: tests/$target $*"
            (cd "$folder" && "$executable" "$@")
            return
        fi
    done <<<"$test_binaries"
    echo "no test binary $target in $package"
    return 1
}
