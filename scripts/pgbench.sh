#!/usr/bin/env bash
# Runs custreg's statements of one registration straight from pgbench —
# no HTTP, no Go, prepared — against a fresh database that `custreg migrate`
# set up: what PostgreSQL alone does with the work of a create on this
# machine, the ceiling for custreg's PostgreSQL creates (BENCHMARKS.md).
# Usage:
#
#   scripts/pgbench.sh            # 15 s per case
#   SECS=30 scripts/pgbench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
base="${CUSTREG_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
name="custreg_pgbench_$$"
db="${base%%/postgres\?*}/$name?sslmode=disable"
secs="${SECS:-15}"
work="$(mktemp -d)"
trap 'psql "$base" -qc "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
psql "$base" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
go build -o "$work/custreg" ./cmd/custreg
"$work/custreg" migrate --db "$db" >/dev/null
printf '%-22s %-7s %-3s %10s %12s\n' script alloc c tps "latency ms"
for script in register_each register register_cte; do
  for alloc in 1 0; do
    for c in 1 8; do
      out="$(pgbench "$db" -n -M prepared -D alloc=$alloc -c $c -j 2 -T "$secs" -f "scripts/pgbench/$script.sql" 2>&1)"
      if grep -q "aborted" <<<"$out"; then echo "$out" >&2; exit 1; fi
      tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")"
      lat="$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")"
      printf '%-22s %-7s %-3s %10.0f %12s\n' "$script" "$alloc" "$c" "$tps" "$lat"
    done
  done
done
