#!/usr/bin/env bash
# Benchmark (not a test): how many homepage probes a kaoping worker
# sustains, and what that means for a national round of 14,000 sites
# probed every 10 minutes.
#
# KP_BENCH_SITES sites (default 2000) on KP_BENCH_HOSTS addresses of
# 127.0.0.0/8 (default 4: 127.0.0.1 … 127.0.0.4), each address served by
# tools/sitegen.c; every homepage answers after a delay of 20–100 ms (the
# site's /mon/slow/MS/ route), standing in for the network.  One slot of
# probes is queued (sites import --units, monitor --queue-only) and then
# done by 1, 2 and 4 workers (kaoping worker --idle-exit, each with
# --parallel KP_BENCH_PARALLEL transfers in flight, default 64) on SQLite
# and, when PostgreSQL's server programs are installed, on a throw-away
# PostgreSQL cluster (scripts/pg-test.sh).  Prints probes/s, the
# workers' CPU (user + sys) per probe, the load average at the end of
# each run, and the projection: worker processes for 14,000 sites every
# 10 minutes (23.3 probes/s), and machines when each process costs the
# CPU measured.
#
# A worker claims due jobs in batches, keeps up to --parallel transfers
# in flight on libcurl multi, renews the batch's leases together and
# writes the results in batches.  The workers run simulated (--as-of),
# so without the per-host gap (--host-gap-ms, default 0 when simulating):
# the bench's 2000 sites share 4 hosts, where a national round's sites
# are thousands of hosts; with the 1-s default the 4 hosts would allow 4
# probes/s in all.
#
#   bench/monitor.sh [KAOPING_BINARY]
set -euo pipefail
kaoping=$(realpath "${1:-build/kaoping}")
root=$(cd "$(dirname "$0")/.." && pwd)
nsites=${KP_BENCH_SITES:-2000}
parallel=${KP_BENCH_PARALLEL:-64}
nhosts=${KP_BENCH_HOSTS:-4}
tmp=$(mktemp -d)
pgdir=
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -z "$pgdir" ] || bash "$root/scripts/pg-test.sh" stop "$pgdir" || true
  rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"
cc -O2 -o sitegen "$root/tools/sitegen.c" -lz

# servers: a sitegen on each address (started for each run: a sitegen
# stops itself after 300 s) and sites.txt, "unit URL" a line
servers() {
  local h i ms
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
  rm -f port*
  for h in $(seq "$nhosts"); do
    ./sitegen serve "port$h" "127.0.0.$h" & pids+=($!)
  done
  for h in $(seq "$nhosts"); do
    for _ in $(seq 50); do [ -s "port$h" ] && break; sleep 0.1; done
  done
  { printf '#meta,format,kaoping-table/1\n#meta,kind,units\n#meta,id,bench-sites\n#meta,title,监测测量\nname,type,aliases,website\n'
    for i in $(seq "$nsites"); do
      h=$(( (i - 1) % nhosts + 1 ))
      ms=$(( 20 + (i * 37) % 81 ))
      echo "站$i,市级部门,,http://127.0.0.$h:$(cat "port$h")/mon/slow/$ms/s$i"
    done; } > sites.csv
}

echo "== bench/monitor.sh：$nsites 个网站，分布在 $nhosts 个地址（127.0.0.1–127.0.0.$nhosts），每次请求延迟 20–100 ms；每个工作者同时 $parallel 个探测 =="
echo "机器：$(nproc) 核，负载 $(cut -d' ' -f1-3 /proc/loadavg)（与其他进程共用时墙钟偏大）"

# run DB WORKERS: queue one slot, then WORKERS workers at once; prints
# "wall load cpu probes failed"
run() {
  local db=$1 nw=$2 t0 t1 cpu=0 ws=()
  servers
  "$kaoping" sites import --units sites.csv --db "$db" >/dev/null
  "$kaoping" monitor --once --as-of 2024-06-01T00:00 --queue-only --db "$db" 2>/dev/null
  t0=$(date +%s.%N)
  for k in $(seq "$nw"); do
    /usr/bin/time -f '%U %S' -o "cpu$k" "$kaoping" worker --db "$db" --name "w$k" \
      --as-of 2024-06-01T00:00 --idle-exit --timeout-ms 5000 --parallel "$parallel" 2>"w$k.err" & ws+=($!)
  done
  wait "${ws[@]}"
  t1=$(date +%s.%N)
  for k in $(seq "$nw"); do cpu=$(awk -v c="$cpu" '{print c + $1 + $2}' "cpu$k"); done
  echo "$(echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}') $(cut -d' ' -f1 /proc/loadavg) $cpu $(grep -ho '探测 [0-9]* 次' w*.err | awk '{s += $2} END {print s}') $(grep -ho '失败 [0-9]* 次' w*.err | awk '{s += $2} END {print s}')"
  rm -f w*.err cpu*
}

report() { # LABEL WORKERS "wall load cpu probes failed"
  read -r wall load cpu n nf <<<"$3"
  awk -v l="$1" -v w="$2" -v t="$wall" -v c="$cpu" -v n="$n" -v f="$nf" -v ld="$load" 'BEGIN {
    r = n / t; printf "%-12s %d 个工作者：%d 次探测（失败 %d），%.2f s，%.1f 次/秒；工作者 CPU %.2f s（每次探测 %.2f ms）；负载 %s\n", l, w, n, f, t, r, c, 1000 * c / n, ld }'
}

for nw in 1 2 4; do
  report SQLite "$nw" "$(run "$tmp/s$nw.db" "$nw")"
done
single=
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v psql >/dev/null; then
  pgdir=$(mktemp -d)
  if conn=$(bash "$root/scripts/pg-test.sh" start "$pgdir" | tail -1); then
    for nw in 1 2 4; do
      psql "$conn" -qAtc "CREATE DATABASE b$nw" >/dev/null
      out=$(run "$conn dbname=b$nw" "$nw")
      report PostgreSQL "$nw" "$out"
      [ "$nw" = 1 ] && single=$out
    done
  else
    echo "PostgreSQL：跳过（临时集群无法启动）"
  fi
else
  echo "PostgreSQL：跳过（找不到 PostgreSQL 的服务器程序或 psql）"
fi
[ -n "$single" ] || single=$(run "$tmp/p.db" 1)
read -r wall _ cpu n _ <<<"$single"
awk -v t="$wall" -v c="$cpu" -v n="$n" -v cores="$(nproc)" 'BEGIN {
  r = n / t; need = 14000 / 600
  procs = int(need / r) + (need / r > int(need / r))
  cpu_s = need * c / n
  printf "一个工作者：%.1f 次/秒（目标 ≥ 200 次/秒：%s）\n", r, (r >= 200 ? "达到" : "未达到")
  printf "全国 14,000 个网站、每 10 分钟一次 = %.1f 次/秒：需要 %d 个工作者进程（一个工作者的 %.1f%%）；\n", need, procs, 100 * need / r
  printf "  工作者每秒共用 CPU %.1f 毫秒，即 %.4f 核，本机这样的 %d 核机器的 %.2f%%（只算工作者；数据库另计）\n", 1000 * cpu_s, cpu_s, cores, 100 * cpu_s / cores }'
