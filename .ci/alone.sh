#!/usr/bin/env bash
# Each library a service depends on checks alone, as that service gets it: `-p` resolves
# features for that package only (its defaults; none of the features the workspace's other
# members and dev-dependencies turn on). And a service that only makes videos compiles no
# database and no code generator.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo check --quiet --locked -p anyfast-video
# The task store is the tasks crate's.
if cargo tree --quiet --locked -p anyfast-video -e normal | grep -E 'rusqlite|libsqlite3-sys|tokio-postgres'; then
    echo "anyfast-video depends on a database crate (above): the task store belongs to anyfast-video-tasks"
    exit 1
fi
# Without the `codegen` feature the client is the reviewed snapshot.
if cargo tree --quiet --locked -p anyfast-video -e normal,build | grep -E 'progenitor v|typify|openapiv3'; then
    echo "anyfast-video builds the code generator (above): it should compile the snapshot under generated/"
    exit 1
fi
cargo check --quiet --locked -p anyfast-video-tasks
echo "the library alone checks, with no database and no code generator; the tasks crate alone checks"
