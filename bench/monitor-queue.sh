#!/usr/bin/env bash
# Benchmark (not a test): one scheduling step of `monitor --queue-only`
# at KP_BENCH_SITES sites (default "2000 14000"), on SQLite and, when
# PostgreSQL's server programs are installed, on a throw-away cluster
# (scripts/pg-test.sh).  The sites are imported (sites import --units;
# their URLs are never fetched), then three steps are timed with
# /usr/bin/time: the first (every site's slot queued), one 10 minutes
# later (every site's next slot queued) and the same time again
# (nothing to queue).  Prints wall, CPU (user + sys) and the load
# average for each.
#   bench/monitor-queue.sh [KAOPING_BINARY]
set -euo pipefail
kaoping=$(realpath "${1:-build/kaoping}")
root=$(cd "$(dirname "$0")/.." && pwd)
sizes=${KP_BENCH_SITES:-2000 14000}
tmp=$(mktemp -d)
pgdir=
cleanup() {
  [ -z "$pgdir" ] || bash "$root/scripts/pg-test.sh" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"

sites() { # N → sites.csv
  { printf '#meta,format,kaoping-table/1\n#meta,kind,units\n#meta,id,bench-sites\n#meta,title,排队测量\nname,type,aliases,website\n'
    seq "$1" | awk '{ printf "站%d,市级部门,,http://127.0.0.%d:8080/s%d/\n", $1, $1 % 200 + 1, $1 }'
  } > sites.csv
}

step() { # LABEL DB AS_OF
  /usr/bin/time -f '%e %U %S' -o t.out "$kaoping" monitor --once --queue-only \
    --as-of "$3" --db "$2" >/dev/null 2>step.err
  read -r w u s < t.out
  awk -v l="$1" -v w="$w" -v u="$u" -v s="$s" -v ld="$(cut -d' ' -f1-3 /proc/loadavg)" \
    -v q="$(grep -o '排队 [0-9]*' step.err | head -1)" 'BEGIN {
    printf "%-28s 墙钟 %6.2f s  CPU %6.2f s (%s + %s)  负载 %s  %s\n", l, w, u + s, u, s, ld, q }'
}

runs() { # NAME DB
  step "$1 首步（全部排队）" "$2" 2024-06-01T00:00
  step "$1 10 分钟后（全部排队）" "$2" 2024-06-01T00:10
  step "$1 同一时刻（无可排）" "$2" 2024-06-01T00:10
}

echo "== bench/monitor-queue.sh $(basename "$kaoping")：$(nproc) 核，负载 $(cut -d' ' -f1-3 /proc/loadavg)"
pg=
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  pgdir=$tmp/pg
  mkdir -p "$pgdir"; chmod 755 "$tmp" "$pgdir"
  pg=$(bash "$root/scripts/pg-test.sh" start "$pgdir/db" | tail -1)
fi
for n in $sizes; do
  sites "$n"
  "$kaoping" sites import --units sites.csv --db "$tmp/s$n.db" >/dev/null
  runs "SQLite $n 站" "$tmp/s$n.db"
  if [ -n "$pg" ]; then
    psql "$pg" -qc "CREATE DATABASE q$n" >/dev/null
    "$kaoping" sites import --units sites.csv --db "$pg dbname=q$n" >/dev/null
    runs "PostgreSQL $n 站" "$pg dbname=q$n"
  fi
done
