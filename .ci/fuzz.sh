#!/usr/bin/env bash
# Fuzzes the tolerant readers of anyfast-video (create, query, error bodies) for a bounded time
# each, on stable Rust (cargo fuzz run -s none: coverage-guided, no sanitizer). cargo-fuzz is
# pinned and installed here when missing; the corpus starts from every answer of the drift
# corpus (crates/anyfast-video/tests/fixtures/answers).
#   FUZZ_SECONDS=600 .ci/fuzz.sh     a longer run (default: 20 s per target)
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.13.1
if ! cargo fuzz --version 2>/dev/null | grep -q "$version"; then
    cargo install cargo-fuzz --version "$version" --locked
fi

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

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in read_created read_task read_error; do
    echo "--- fuzzing $target for $seconds s"
    # cargo fuzz exits non-zero on a crash (or a failed build); the input is in fuzz/artifacts.
    if ! (cd fuzz && cargo fuzz run -s none "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -print_final_stats=1) >"$log" 2>&1; then
        tail -60 "$log"
        echo "fuzzing $target failed; see fuzz/artifacts/$target"
        exit 1
    fi
    grep -E '^Done|stat::number_of_executed_units|stat::peak_rss_mb' "$log"
done
