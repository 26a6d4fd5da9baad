#!/usr/bin/env bash
# Makes sure the machine has PostgreSQL's server binaries (initdb, pg_ctl, postgres) and
# PgBouncer: the task store's tests start throwaway clusters of their own with them, and
# throwaway PgBouncers in front of those (crates/throwaway-postgres), and in CI (CI is set)
# they never skip. Debian's `postgresql` and `pgbouncer` packages, installed when absent (one
# apt-get update for both); no service of theirs is started.
set -euo pipefail

missing=()
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [[ -n "${PG_BIN:-}" ]]; then
    echo "PostgreSQL server: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -n 1)${PG_BIN:+ (PG_BIN=$PG_BIN)}"
else
    missing+=(postgresql)
fi
if [[ -n "${PGBOUNCER:-}" ]] || command -v pgbouncer >/dev/null 2>&1 || [[ -x /usr/sbin/pgbouncer ]]; then
    echo "PgBouncer: ${PGBOUNCER:-$(command -v pgbouncer || echo /usr/sbin/pgbouncer)}"
else
    missing+=(pgbouncer)
fi
if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi
echo "installing Debian's ${missing[*]} (the binaries; no cluster or pooler is started)"
export DEBIAN_FRONTEND=noninteractive
sudo=""
[[ "$(id -u)" -ne 0 ]] && sudo="sudo"
$sudo apt-get update -qq
# policy-rc.d keeps the packages from starting services of their own.
printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
$sudo chmod +x /usr/sbin/policy-rc.d
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
$sudo rm -f /usr/sbin/policy-rc.d
ls -d /usr/lib/postgresql/*/bin
command -v pgbouncer || ls /usr/sbin/pgbouncer
