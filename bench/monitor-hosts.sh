#!/usr/bin/env bash
# Benchmark (not a test): a worker's probes when many sites share one
# host (a province's 集约化 platform) and the per-host gap holds them
# back.  KP_BENCH_ONE sites (default 200) on one host (tools/sitegen.c on
# 127.0.0.2) and KP_BENCH_MANY sites (default 200) each on a host of its
# own (hN.localhost: libcurl takes any *.localhost for the loopback, so
# one sitegen on 127.0.0.1 serves them all under 200 host keys); every
# homepage answers after 20–100 ms.  One slot is queued (the sites'
# jittered offsets interleave the two kinds in the queue) and one
# worker (--parallel KP_BENCH_PARALLEL, default 64; --host-gap-ms
# KP_BENCH_GAP, default 100) does it all, on SQLite and, when
# PostgreSQL's server programs are installed, on a throw-away cluster.
# Each binary given is measured in turn (e.g. main's build, then this
# one's), so that a claim spread over hosts can be compared with one
# that is not.
#
# Prints, from the worker's start: when the last of the many hosts'
# probes had finished (its recorded start + latency), when the one
# host's last had, the wall time to the worker's exit, probes per
# second, the worker's CPU (user + sys, /usr/bin/time: on SQLite the
# claims' statements run in it, on PostgreSQL in the server) and the
# 1-minute load average at the end.  The one host
# cannot go faster than one request per gap (200 × 100 ms = 20 s): that
# part is politeness, not the worker.
#
#   bench/monitor-hosts.sh [KAOPING_BINARY...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bins=()
for b in "${@:-build/kaoping}"; do bins+=("$(realpath "$b")"); done
one=${KP_BENCH_ONE:-200}
many=${KP_BENCH_MANY:-200}
parallel=${KP_BENCH_PARALLEL:-64}
gap=${KP_BENCH_GAP:-100}
tmp=$(mktemp -d)
pgdir=
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -z "$pgdir" ] || bash "$root/scripts/pg-test.sh" stop "$pgdir/db" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"
cc -O2 -o sitegen "$root/tools/sitegen.c" -lz

servers() { # (again for each run: a sitegen stops itself after 300 s)
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
  rm -f port1 port2
  ./sitegen serve port1 127.0.0.1 & pids+=($!)
  ./sitegen serve port2 127.0.0.2 & pids+=($!)
  for _ in $(seq 50); do [ -s port1 ] && [ -s port2 ] && break; sleep 0.1; done
  { printf '#meta,format,kaoping-table/1\n#meta,kind,units\n#meta,id,bench-hosts\n#meta,title,集约化平台测量\nname,type,aliases,website\n'
    for i in $(seq "$one"); do
      echo "平台$i,市级部门,,http://127.0.0.2:$(cat port2)/mon/slow/$(( 20 + (i * 37) % 81 ))/p$i"
    done
    for i in $(seq "$many"); do
      echo "独立$i,市级部门,,http://h$i.localhost:$(cat port1)/mon/slow/$(( 20 + (i * 37) % 81 ))/d$i"
    done; } > sites.csv
}

Q() { if [ "${1#*=}" != "$1" ]; then psql "$1" -qAtc "$2"; else sqlite3 "$1" "$2"; fi; }

run() { # LABEL BINARY DB
  local t0 t1 n manyend oneend
  servers
  "$2" sites import --units sites.csv --db "$3" >/dev/null
  "$2" monitor --once --as-of 2024-06-01T00:00 --queue-only --db "$3" 2>/dev/null
  t0=$(date +%s%3N)
  /usr/bin/time -f '%U %S' -o cpu "$2" worker --db "$3" --name w --as-of 2024-06-01T00:00 \
    --idle-exit --timeout-ms 5000 --parallel "$parallel" --host-gap-ms "$gap" 2>w.err
  t1=$(date +%s%3N)
  n=$(Q "$3" "SELECT COUNT(*) FROM probes WHERE ok = 1")
  manyend=$(Q "$3" "SELECT MAX(p.started_ms + p.latency_ms) FROM probes p JOIN sites s ON s.id = p.site_id WHERE s.url LIKE '%.localhost:%'")
  oneend=$(Q "$3" "SELECT MAX(p.started_ms + p.latency_ms) FROM probes p JOIN sites s ON s.id = p.site_id WHERE s.url LIKE 'http://127.0.0.2:%'")
  awk -v l="$1" -v t0="$t0" -v t1="$t1" -v n="$n" -v m="$manyend" -v o="$oneend" \
    -v ld="$(cut -d' ' -f1 /proc/loadavg)" -v many="$many" -v one="$one" \
    -v cpu="$(awk '{print $1 + $2}' cpu)" 'BEGIN {
    printf "%-30s %d 次成功；%d 个各自主机的 %.2f s 内全部完成，同一主机的 %d 个 %.2f s；工作者 %.2f s，%.1f 次/秒，CPU %.2f s；负载 %s\n",
      l, n, many, (m - t0) / 1000, one, (o - t0) / 1000, (t1 - t0) / 1000, n * 1000 / (t1 - t0), cpu, ld }'
}

echo "== bench/monitor-hosts.sh：同一主机 $one 个网站 + 各自主机 $many 个网站，每次请求延迟 20–100 ms；一个工作者 --parallel $parallel，--host-gap-ms $gap =="
echo "机器：$(nproc) 核，负载 $(cut -d' ' -f1-3 /proc/loadavg)"
pg=
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v psql >/dev/null; then
  pgdir=$tmp/pg
  mkdir -p "$pgdir"; chmod 755 "$tmp" "$pgdir"
  pg=$(bash "$root/scripts/pg-test.sh" start "$pgdir/db" | tail -1) || pg=
fi
k=0
for b in "${bins[@]}"; do
  k=$((k + 1))
  name="$(basename "$(dirname "$(dirname "$b")")")/$(basename "$b")"
  run "SQLite $name" "$b" "$tmp/s$k.db"
  if [ -n "$pg" ]; then
    psql "$pg" -qAtc "CREATE DATABASE h$k" >/dev/null
    run "PostgreSQL $name" "$b" "$pg dbname=h$k"
  fi
done
