#!/usr/bin/env bash
# Runs custreg-load against a fresh custreg server on this machine and prints
# its report, with the server's peak memory. Usage:
#
#   scripts/loadtest.sh sqlite 10000
#   scripts/loadtest.sh postgres 100000   # needs PostgreSQL on 127.0.0.1:5432
#   scripts/loadtest.sh sqlite 100000 1000000 5000   # and 1,000,000 assets, 5,000 users
#
# The figures in BENCHMARKS.md come from this script.
set -euo pipefail
cd "$(dirname "$0")/.."
store="${1:-sqlite}"
customers="${2:-10000}"
assets="${3:-0}"
users="${4:-0}"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/custreg" ./cmd/custreg
go build -o "$work/custreg-load" ./cmd/custreg-load

after_seed=""
case "$store" in
  sqlite) db="$work/custreg.db" ;;
  postgres)
    base="${CUSTREG_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
    name="custreg_load_$$"
    psql "$base" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
    db="${base%%/postgres\?*}/$name?sslmode=disable"
    # A PostgreSQL without autovacuum (this project's development machine
    # runs one) has no statistics after a bulk load, and plans as if the
    # tables were empty; analyze as autovacuum would have.
    if [ "$(psql "$base" -Atc 'SHOW autovacuum')" = off ]; then
      after_seed="psql '$db' -qc ANALYZE"
    fi
    ;;
  *) echo "store must be sqlite or postgres" >&2; exit 2 ;;
esac

export CUSTREG_ADMIN_EMAIL=load@example.com CUSTREG_ADMIN_PASSWORD=load-test-password
"$work/custreg" serve --addr 127.0.0.1:18390 --db "$db" --log-level warn >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 50); do curl -fs http://127.0.0.1:18390/readyz >/dev/null 2>&1 && break; sleep 0.2; done

echo "store: $store; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(go version)"
"$work/custreg-load" -url http://127.0.0.1:18390 -customers "$customers" -assets "$assets" -users "$users" -server-pid "$pid" \
  ${after_seed:+-after-seed "$after_seed"}

if [ "$store" = postgres ]; then
  kill "$pid"; wait "$pid" 2>/dev/null || true
  psql "$base" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)"
fi
