#!/usr/bin/env bash
# Makes sure the machine has PostgreSQL's server binaries (initdb, pg_ctl, postgres): the task
# store's tests start throwaway clusters of their own with them (crates/throwaway-postgres),
# and in CI (CI is set) they never skip. Debian's `postgresql` package, installed when absent.
set -euo pipefail

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [[ -n "${PG_BIN:-}" ]]; then
    echo "PostgreSQL server: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -n 1)${PG_BIN:+ (PG_BIN=$PG_BIN)}"
    exit 0
fi
echo "installing Debian's postgresql (the server binaries; no cluster is started)"
export DEBIAN_FRONTEND=noninteractive
sudo=""
[[ "$(id -u)" -ne 0 ]] && sudo="sudo"
$sudo apt-get update -qq
# policy-rc.d keeps the package from starting a service of its own.
printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
$sudo chmod +x /usr/sbin/policy-rc.d
$sudo apt-get install -y -qq --no-install-recommends postgresql
$sudo rm -f /usr/sbin/policy-rc.d
ls -d /usr/lib/postgresql/*/bin
