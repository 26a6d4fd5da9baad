#!/usr/bin/env bash
# Fuzzes the tolerant readers of anyfast-video (create, query, error bodies) for a bounded time
# each, on stable Rust: libFuzzer (libfuzzer-sys) with the coverage instrumentation cargo-fuzz
# would ask rustc for (`cargo fuzz run -s none`: coverage-guided, no sanitizer), built by plain
# cargo, so there is no tool to install first; the three targets run side by side. The corpus
# starts from every answer of the drift corpus (crates/anyfast-video/tests/fixtures/answers).
#   FUZZ_SECONDS=600 .ci/fuzz.sh     a longer run (default: 20 s per target)
#   .ci/fuzz.sh --build-only          only the build (CI starts it early, in the background)
#   cargo fuzz run -s none read_task  the same target with cargo-fuzz, where it is installed
set -euo pipefail
cd "$(dirname "$0")/.."

triple=$(rustc -vV | sed -n 's/^host: //p')
# cargo-fuzz 0.13's flags for `-s none`, but the release profile's codegen units as they are
# (cargo-fuzz forces one, which builds several times slower and fuzzes faster).
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing" \
    cargo build --quiet --locked --release --bins --manifest-path fuzz/Cargo.toml --target "$triple"
bin="fuzz/target/$triple/release"
[ "${1:-}" = --build-only ] && exit 0

seconds=${FUZZ_SECONDS:-20}
python3 - <<'PY'
import json, pathlib
fixtures = pathlib.Path("crates/anyfast-video/tests/fixtures/answers")
for target in ("read_created", "read_task", "read_error"):
    out = pathlib.Path("fuzz/corpus") / target
    out.mkdir(parents=True, exist_ok=True)
    for fixture in fixtures.glob("*.json"):
        answer = json.loads(fixture.read_text())
        body = answer.get("body_text")
        if body is None:
            body = json.dumps(answer["body"], ensure_ascii=False)
        # The targets read (u16 status, body): two little-endian bytes of status first.
        status = answer["status"]
        (out / fixture.stem).write_bytes(bytes([status & 0xff, status >> 8]) + body.encode())
PY

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
targets=(read_created read_task read_error)
pids=()
for target in "${targets[@]}"; do
    echo "--- fuzzing $target for $seconds s"
    mkdir -p "fuzz/artifacts/$target"
    # libFuzzer exits non-zero on a crash; the input is saved in fuzz/artifacts.
    "$bin/$target" "fuzz/corpus/$target" -artifact_prefix="fuzz/artifacts/$target/" \
        -max_total_time="$seconds" -print_final_stats=1 >"$work/$target.log" 2>&1 &
    pids+=($!)
done
status=0
for i in "${!targets[@]}"; do
    target=${targets[$i]}
    if wait "${pids[$i]}"; then
        echo "--- $target:"
        grep -E '^Done|stat::number_of_executed_units|stat::peak_rss_mb' "$work/$target.log"
    else
        tail -60 "$work/$target.log"
        echo "fuzzing $target failed; see fuzz/artifacts/$target"
        status=1
    fi
done
exit "$status"
