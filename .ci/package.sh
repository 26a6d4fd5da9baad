#!/usr/bin/env bash
# Every published crate packages, and what was packaged builds on its own: the packaged crates
# are unpacked into one workspace whose [patch] points each at the others' packaged sources and
# built there, and the command line built from its package runs the main job offline. (That
# each library also checks alone, with its default features, is .ci/alone.sh's.)
#
# Why not `cargo package`'s own verification: it builds each crate apart, with its own feature
# resolution, so the shared dependencies were compiled up to eight times (11 minutes on 2
# cores). Here the workspace's target folder is reused, and one more member of the unpacked
# workspace asks for the features that dev-dependencies gave tokio, tracing, zerocopy, console,
# bytes and bitflags in the test build, and it has the workspace's profiles, so that no
# dependency is built a second time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# Each phase says how long it took, so that the slow one shows in CI's log.
took() { echo "    ($1: ${SECONDS} s into this step)"; }

cargo package --workspace --exclude anyfast-video-bench --exclude xtask \
    --no-verify --locked --quiet
took "packaged"

unpacked=target/package/unpacked
rm -rf "$unpacked"
mkdir -p "$unpacked/test-build-features/src"
members=('"test-build-features"')
patches=()
for crate in target/package/*.crate; do
    dir=$(basename "$crate" .crate)  # name-version
    tar -xzf "$crate" -C "$unpacked"
    members+=("\"$dir\"")
    patches+=("${dir%-*} = { path = \"$dir\" }")
done
{
    echo '[workspace]'
    echo 'resolver = "3"'
    echo "members = [$(IFS=,; echo "${members[*]}")]"
    echo '[patch.crates-io]'
    printf '%s\n' "${patches[@]}"
    # The workspace's profiles (its debug-info settings): under other ones every dependency
    # would be built again.
    awk '/^\[/ { profile = /^\[profile/ } profile' Cargo.toml
} >"$unpacked/Cargo.toml"
# Only speed rests on this list: a feature missing here makes a few crates build twice.
{
    echo '[package]'
    echo 'name = "test-build-features"'
    echo 'version = "0.0.0"'
    echo 'edition = "2024"'
    echo 'publish = false'
    echo '[dependencies]'
    echo 'tokio = { version = "1", features = ["full", "test-util"] }'
    echo 'tracing = { version = "0.1", features = ["log"] }'
    echo 'zerocopy = { version = "0.8", features = ["derive"] }'
    echo 'console = "0.16"'
    echo 'bytes = { version = "1", features = ["serde"] }'
    echo 'bitflags = { version = "2", features = ["std"] }'
} >"$unpacked/test-build-features/Cargo.toml"
touch "$unpacked/test-build-features/src/lib.rs"
# The workspace's lock: the same versions of everything (the entries of the crates left out,
# xtask and the benchmarks, are dropped from this copy).
cp Cargo.lock "$unpacked/"

export CARGO_TARGET_DIR="$root/target"
# Every packaged crate, libraries and programs, from its packaged files alone.
(cd "$unpacked" && cargo build --quiet --workspace --message-format=json-render-diagnostics) |
    python3 -c '
import json, sys
rebuilt = sorted({m["target"]["name"] for m in map(json.loads, sys.stdin)
                  if m.get("reason") == "compiler-artifact" and not m["fresh"]
                  and m["package_id"].startswith("registry+")})
if rebuilt:
    print("    dependencies built a second time (their features differ from the test build: see "
          "test-build-features above):", ", ".join(rebuilt))
'
took "the packaged crates built"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The command line as built from its package (the build above put it in the target folder).
target/debug/anyfast-video generate --mock "一只猫在阳光明媚的房间里弹钢琴" -o "$work/cat.mp4"
cmp "$work/cat.mp4" crates/anyfast-mock/assets/sample.mp4
echo "every crate packaged and built from its package; the packaged command line made a video"
