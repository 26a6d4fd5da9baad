#!/usr/bin/env bash
# Proves the benchmarks still build and run: every measure of the harness once at a tiny size
# (--smoke, targets not enforced) and each criterion bench once (cargo test runs a bench's
# routines once each). The figures come from full release runs (BENCHMARKS.md), never from CI,
# so this uses the debug build the tests made: a release build of the whole tree took longer
# than every other step of CI together.
set -euo pipefail
cd "$(dirname "$0")/.."

# --all-targets resolves features as `cargo test --workspace` does: only the harness itself
# and the benches are built.
cargo build --quiet --workspace --all-targets --locked
target/debug/anyfast-video-bench all --smoke
cargo test --quiet --workspace --locked --bench download --bench download_memory
