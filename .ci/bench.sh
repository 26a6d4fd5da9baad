#!/usr/bin/env bash
# Builds the benchmark harness (and what it measures) in release mode and runs every measure
# once at a tiny size: it proves the benchmarks still run; the figures come from full runs
# (BENCHMARKS.md), never from CI. Also builds the criterion download benches.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked -p anyfast-mock -p anyfast-video-bench -p anyfast-video-cli
cargo run --release --locked -p anyfast-video-bench -- all --smoke
cargo bench --locked -p anyfast-video --no-run
