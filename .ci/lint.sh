#!/usr/bin/env bash
# Lints openapi.yaml: installs the pinned OpenAPI linter (Redocly CLI, from
# .ci/npm/package-lock.json) when it is missing or not the pinned version, then runs
# `cargo xtask lint` (the linter with .redocly.yaml, plus every check of `cargo xtask check`).
# Installing needs the npm registry; linting runs offline.
set -euo pipefail
cd "$(dirname "$0")/.."

export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

installed_version() {
  local manifest=.ci/npm/node_modules/@redocly/cli/package.json
  [[ -f $manifest && -x .ci/npm/node_modules/.bin/redocly ]] || return 0
  node -p "require('./$manifest').version"
}
pinned_version() {
  node -p "require('./.ci/npm/package-lock.json').packages['node_modules/@redocly/cli'].version"
}

if [[ "$(installed_version)" != "$(pinned_version)" ]]; then
  echo "==> installing Redocly CLI $(pinned_version) into .ci/npm/node_modules (npm ci)"
  npm ci --prefix .ci/npm --no-audit --no-fund
fi

# The xtask binary the test step built, when CI runs this (see .ci/run); `cargo xtask` alone.
if [[ -n "${XTASK:-}" ]]; then "$XTASK" lint; else cargo xtask lint; fi
