#!/usr/bin/env bash
# Every published crate packages, and what was packaged builds on its own: the command line is
# installed from its packaged sources (as `cargo install anyfast-video-cli` will build it) and
# runs the main job offline; the library is checked alone, with its default features, as a
# service that depends on it gets it.
#
# Why not `cargo package`'s own verification: it builds each crate apart, with its own feature
# resolution, so the shared dependencies were compiled up to eight times (11 minutes on 2
# cores). Here the unpacked crates form one workspace whose [patch] points each one at the
# others' packaged sources, and the workspace's target folder is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

cargo package --workspace --exclude anyfast-video-bench --exclude xtask \
    --no-verify --locked --quiet

unpacked=target/package/unpacked
rm -rf "$unpacked"
mkdir -p "$unpacked"
members=()
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
# The workspace's lock: the same versions of everything (the entries of the crates left out,
# xtask and the benchmarks, are dropped from this copy).
cp Cargo.lock "$unpacked/"

export CARGO_TARGET_DIR="$root/target"
install=target/ci-install
cargo install --quiet --debug --path "$unpacked"/anyfast-video-cli-* --root "$install"
(cd "$unpacked" && cargo check --quiet -p anyfast-video)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$install/bin/anyfast-video" generate --mock "一只猫在阳光明媚的房间里弹钢琴" -o "$work/cat.mp4"
cmp "$work/cat.mp4" crates/anyfast-mock/assets/sample.mp4
echo "every crate packaged; the command line installed from its package made a video; the library alone checks"
