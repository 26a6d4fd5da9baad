#!/usr/bin/env bash
# Runs every example of anyfast-video against anyfast-mock, as a user would: the mock in one
# process, the example pointed at it with ANYFAST_BASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."

# The binaries the test step built (one feature resolution for the whole workspace: a `cargo
# build -p` would resolve them for one package and build the dependencies again).
cargo test --workspace --locked --no-run --quiet
root=$(pwd)
work=$(mktemp -d)
log="$work/mock.log"
"$root/target/debug/anyfast-mock" --port 0 --timing fast >"$log" 2>&1 &
mock=$!
trap 'kill "$mock" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q 'API:' "$log" && break; sleep 0.1; done
export ANYFAST_BASE_URL=$(awk '/API:/ {print $2}' "$log")
export ANYFAST_API_KEY=example-key
printf '\x89PNG\r\n\x1a\n' >"$work/photo.png"
cp "$root/crates/anyfast-mock/assets/sample.mp4" "$work/dance.mp4"

cd "$work"
# Side by side: each waits for its task (the library's default first poll comes after 10 s),
# and they share nothing but the mock. Each one's output is printed whole once it ends.
pids=()
start_example() { # NAME ARGS...
    "$root/target/debug/examples/$1" "${@:2}" >"$1.out" 2>&1 &
    pids+=("$!:$1")
}
start_example text_to_video
start_example first_last_frame
start_example wait_with_progress
start_example image_to_video photo.png
start_example reference_video dance.mp4
start_example seedance_1_0
start_example wan
start_example happyhorse
start_example kling
failed=0
for entry in "${pids[@]}"; do
    name=${entry#*:}
    if wait "${entry%%:*}"; then cat "$name.out"; else cat "$name.out"; echo "example $name failed"; failed=1; fi
done
[ "$failed" = 0 ]
cmp dance-last.png "$root/crates/anyfast-mock/assets/last_frame.png"
for video in cat.mp4 bloom.mp4 waves.mp4 from-image.mp4 dance-continued.mp4; do
    cmp "$video" "$root/crates/anyfast-mock/assets/sample.mp4"
done
# The service with a task store, twice: the second run makes nothing new.
"$root/target/debug/examples/service_with_store" 2>first.log
"$root/target/debug/examples/service_with_store" 2>second.log
grep -q "job-1: made" first.log && grep -q "job-2: made" first.log
grep -q "job-1: already made" second.log && grep -q "job-2: already made" second.log
cmp job-1.mp4 "$root/crates/anyfast-mock/assets/sample.mp4"
echo "all examples ran against the mock"
