#!/usr/bin/env bash
# Installs the command line as a user would (`cargo install --path`), into a throwaway root,
# and runs the main job with the installed binary, offline against its built-in mock.
set -euo pipefail
cd "$(dirname "$0")/.."

root=target/ci-install
# The workspace's target folder: the debug build of the tests is reused, not done again.
cargo install --quiet --locked --debug --path crates/anyfast-video-cli --root "$root" --target-dir target
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/bin/anyfast-video" generate --mock "一只猫在阳光明媚的房间里弹钢琴" -o "$work/cat.mp4"
cmp "$work/cat.mp4" crates/anyfast-mock/assets/sample.mp4
echo "the installed anyfast-video made a video"
