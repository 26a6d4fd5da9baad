#!/usr/bin/env bash
# Every published crate packages, and what was packaged builds on its own: the packaged crates
# are unpacked into one workspace whose [patch] points each at the others' packaged sources and
# built there, and the command line built from its package runs the main job offline; the
# library is then checked alone, with its default features, as a service that depends on it
# gets it.
#
# Why not `cargo package`'s own verification: it builds each crate apart, with its own feature
# resolution, so the shared dependencies were compiled up to eight times (11 minutes on 2
# cores). Here the workspace's target folder is reused, and one more member of the unpacked
# workspace asks for the features that dev-dependencies gave tokio, tracing, zerocopy and
# console in the test build, so that their many dependents are not built a second time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

cargo package --workspace --exclude anyfast-video-bench --exclude xtask \
    --no-verify --locked --quiet

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
} >"$unpacked/test-build-features/Cargo.toml"
touch "$unpacked/test-build-features/src/lib.rs"
# The workspace's lock: the same versions of everything (the entries of the crates left out,
# xtask and the benchmarks, are dropped from this copy).
cp Cargo.lock "$unpacked/"

export CARGO_TARGET_DIR="$root/target"
# Every packaged crate, libraries and programs, from its packaged files alone.
(cd "$unpacked" && cargo build --quiet --workspace)
# The library alone: -p resolves features for it only (its defaults, no test-build features).
(cd "$unpacked" && cargo check --quiet -p anyfast-video)
# A service that only makes videos compiles no database: the task store is the tasks crate's.
if (cd "$unpacked" && cargo tree --quiet -p anyfast-video -e normal) | grep -E 'rusqlite|libsqlite3-sys|tokio-postgres'; then
    echo "anyfast-video depends on a database crate (above): the task store belongs to anyfast-video-tasks"
    exit 1
fi
# Nor a code generator: without the `codegen` feature the client is the reviewed snapshot.
if (cd "$unpacked" && cargo tree --quiet -p anyfast-video -e normal,build) | grep -E 'progenitor v|typify|openapiv3'; then
    echo "anyfast-video builds the code generator (above): it should compile the snapshot under generated/"
    exit 1
fi
(cd "$unpacked" && cargo check --quiet -p anyfast-video-tasks)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The command line as built from its package (the build above put it in the target folder).
target/debug/anyfast-video generate --mock "一只猫在阳光明媚的房间里弹钢琴" -o "$work/cat.mp4"
cmp "$work/cat.mp4" crates/anyfast-mock/assets/sample.mp4
echo "every crate packaged and built from its package; the packaged command line made a video; the library alone checks, with no database and no code generator; the tasks crate alone checks"
