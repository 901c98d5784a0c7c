#!/usr/bin/env bash
# Runs custreg-load against a fresh custreg server on this machine and prints
# its report, with the server's peak memory. The floor server
# (../shared/floor: net/http + one prepared INSERT) runs beside it on the
# same store kind and receives the same creates and reads, and the report
# gives custreg's figures as ratios to it (CUSTREG_FLOOR=off skips it).
# Usage:
#
#   scripts/loadtest.sh sqlite 10000
#   scripts/loadtest.sh postgres 100000   # needs PostgreSQL on 127.0.0.1:5432
#   scripts/loadtest.sh sqlite 100000 1000000 5000   # and 1,000,000 assets, 5,000 users
#   CUSTREG_NODES=4 scripts/loadtest.sh postgres 20000  # four custreg nodes on one PostgreSQL
#   CUSTREG_LOAD_ARGS=-no-licenses scripts/loadtest.sh postgres 3000  # customers without allocations
#
# With CUSTREG_NODES=N (PostgreSQL only) N custreg processes serve the one
# database, and the generator sends its requests to each in turn.
# The figures in BENCHMARKS.md come from this script.
set -euo pipefail
cd "$(dirname "$0")/.."
store="${1:-sqlite}"
customers="${2:-10000}"
assets="${3:-0}"
users="${4:-0}"
work="$(mktemp -d)"
floor_pid=""
trap 'kill "$pid" ${floor_pid:+"$floor_pid"} 2>/dev/null || true; rm -rf "$work"' EXIT
floor_src="${CUSTREG_FLOOR_SRC:-../shared/floor}"

go build -o "$work/custreg" ./cmd/custreg
go build -o "$work/custreg-load" ./cmd/custreg-load
if [ "${CUSTREG_FLOOR:-on}" != off ]; then
  (cd "$floor_src" && go build -o "$work/floor" .)
fi

after_seed=""
case "$store" in
  sqlite) db="$work/custreg.db"; floor_args=(-dir "$work/floordata") ;;
  postgres)
    base="${CUSTREG_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
    name="custreg_load_$$"
    psql "$base" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
    db="${base%%/postgres\?*}/$name?sslmode=disable"
    psql "$base" -qc "DROP DATABASE IF EXISTS ${name}_floor" -c "CREATE DATABASE ${name}_floor"
    floor_args=(-pg "${base%%/postgres\?*}/${name}_floor?sslmode=disable")
    # A PostgreSQL without autovacuum (this project's development machine
    # runs one) has no statistics after a bulk load, and plans as if the
    # tables were empty; analyze as autovacuum would have.
    # The same holds while the tables grow from empty during the creates
    # (a never-analyzed table plans its lookups as scans): every 5 s both
    # databases are analyzed, as autovacuum's threshold (50 rows + 10 %)
    # would have them.
    if [ "$(psql "$base" -Atc 'SHOW autovacuum')" = off ]; then
      after_seed="psql '$db' -qc ANALYZE"
      emulate_autovacuum=1
    fi
    ;;
  *) echo "store must be sqlite or postgres" >&2; exit 2 ;;
esac

nodes="${CUSTREG_NODES:-1}"
if [ "$nodes" != 1 ] && [ "$store" != postgres ]; then
  echo "CUSTREG_NODES needs the postgres store" >&2; exit 2
fi

export CUSTREG_ADMIN_EMAIL=load@example.com CUSTREG_ADMIN_PASSWORD=load-test-password
"$work/custreg" serve --addr 127.0.0.1:18390 --db "$db" --log-level warn >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 50); do curl -fs http://127.0.0.1:18390/readyz >/dev/null 2>&1 && break; sleep 0.2; done
urls="http://127.0.0.1:18390"
node_pids=()
for i in $(seq 2 "$nodes"); do
  port=$((18400 + i))
  "$work/custreg" serve --addr "127.0.0.1:$port" --db "$db" --log-level warn >"$work/server$i.log" 2>&1 &
  node_pids+=("$!")
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
  urls="$urls,http://127.0.0.1:$port"
done
trap 'kill "$pid" ${floor_pid:+"$floor_pid"} ${node_pids[@]+"${node_pids[@]}"} 2>/dev/null || true; rm -rf "$work"' EXIT

floor_flag=()
if [ -x "$work/floor" ]; then
  "$work/floor" -addr 127.0.0.1:18391 "${floor_args[@]}" >"$work/floor.log" 2>&1 &
  floor_pid=$!
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:18391/api/v1/customers?limit=1" >/dev/null 2>&1 && break; sleep 0.2; done
  floor_flag=(-floor http://127.0.0.1:18391)
fi

analyze_pid=""
if [ -n "${emulate_autovacuum:-}" ]; then
  (while sleep 5; do
    psql "$db" -qc ANALYZE 2>/dev/null || true
    psql "${floor_args[1]}" -qc ANALYZE 2>/dev/null || true
  done) &
  analyze_pid=$!
  trap 'kill "$pid" ${floor_pid:+"$floor_pid"} ${analyze_pid:+"$analyze_pid"} ${node_pids[@]+"${node_pids[@]}"} 2>/dev/null || true; rm -rf "$work"' EXIT
fi

echo "store: $store, $nodes node(s); machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(go version)"
# shellcheck disable=SC2086 # CUSTREG_LOAD_ARGS is a list of flags
"$work/custreg-load" -url "$urls" -customers "$customers" -assets "$assets" -users "$users" -server-pid "$pid" "${floor_flag[@]}" ${CUSTREG_LOAD_ARGS:-} \
  ${after_seed:+-after-seed "$after_seed"}

if [ "$store" = postgres ]; then
  if [ -n "$analyze_pid" ]; then kill "$analyze_pid" 2>/dev/null || true; fi
  kill "$pid" ${floor_pid:+"$floor_pid"} ${node_pids[@]+"${node_pids[@]}"}
  wait "$pid" ${floor_pid:+"$floor_pid"} ${node_pids[@]+"${node_pids[@]}"} 2>/dev/null || true
  psql "$base" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "DROP DATABASE IF EXISTS ${name}_floor WITH (FORCE)"
fi
