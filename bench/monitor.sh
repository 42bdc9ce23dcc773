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

# ==== scheduled inspections (whole sites) — kept apart from the probes above ====
#
# KP_BENCH_ISITES sites (default 24) on the same addresses, each the
# sitegen /inc/MS/20/S/ site: a homepage, 5 columns, 100 articles (106
# pages), every request answered after MS = 20–100 ms.  On a throw-away
# PostgreSQL cluster: a round with a unit per site, one slot of
# inspection jobs queued (monitor --queue-only --round), done by 1, 2
# and 4 workers at once (full inspections: the page cache is empty);
# then, after 1% of the articles change (PORTFILE.inc), the same jobs
# again, incremental: the fraction of pages downloaded whole.  The
# projection is given for the bench's small sites and by the page for
# sites of KP_BENCH_SITE_PAGES pages (default 5,000), a worker process
# being mostly waiting: KP_BENCH_WORKERS_PER_CORE of them (8) to a core.  Prints
# inspections/hour, the workers' CPU, the 4-vs-1 speed-up (target ≥ 3.5)
# and the projection of daily incremental inspections of 14,000 sites.

isites=${KP_BENCH_ISITES:-24}

# inspect_sites: the units file and "unit URL" lines for the sites
inspect_sites() {
  local h i ms
  printf '#meta,format,kaoping-table/1\n#meta,kind,units\n#meta,id,bench-units\n#meta,title,基准的单位\nname,type,aliases\n' > iunits.csv
  : > isites.txt
  for i in $(seq "$isites"); do
    h=$(( (i - 1) % nhosts + 1 ))
    ms=$(( 20 + (i * 37) % 81 ))
    echo "检测站$i,市级部门," >> iunits.csv
    echo "检测站$i http://127.0.0.$h:$(cat "port$h")/inc/$ms/20/$i/" >> isites.txt
  done
}

# inspect_run CONN WORKERS: queue one slot of inspections, WORKERS
# workers at once; prints "wall cpu inspections pages downloaded"
inspect_run() {
  local db=$1 nw=$2 t0 t1 cpu=0 ws=() k
  # inspections alone: no column checks (they would be queued for the
  # sites inspected in the run before)
  "$kaoping" monitor --once --as-of 2024-06-30T23:59 --queue-only --round bench \
    --interval 86400 --columns-every 0 --db "$db" 2>/dev/null
  psql "$db" -qAtc "DELETE FROM jobs WHERE kind = 'probe'" >/dev/null
  t0=$(date +%s.%N)
  for k in $(seq "$nw"); do
    /usr/bin/time -f '%U %S' -o "icpu$k" "$kaoping" worker --db "$db" --name "i$k" \
      --as-of 2024-06-30T23:59 --idle-exit --round bench 2>"i$k.err" & ws+=($!)
  done
  wait "${ws[@]}"
  t1=$(date +%s.%N)
  for k in $(seq "$nw"); do cpu=$(awk -v c="$cpu" '{print c + $1 + $2}' "icpu$k"); done
  echo "$(echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}') $cpu" \
    "$(grep -ho '整站检测 [0-9]* 次' i*.err | awk '{s += $2} END {print s + 0}')" \
    "$(grep -ho '抓取页面 [0-9]* 个' i*.err | awk '{s += $2} END {print s + 0}')" \
    "$(grep -ho '完整下载 [0-9]* 个' i*.err | awk '{s += $2} END {print s + 0}')"
  rm -f i*.err icpu*
}

inspect_report() { # LABEL WORKERS "wall cpu n pages downloaded"
  read -r wall cpu n pages dl <<<"$3"
  awk -v l="$1" -v w="$2" -v t="$wall" -v c="$cpu" -v n="$n" -v p="$pages" -v d="$dl" 'BEGIN {
    printf "%-14s %d 个工作者：%d 次整站检测（%d 页，完整下载 %d 页），%.2f s，每小时 %.0f 次；工作者 CPU %.2f s（每次 %.2f s）\n",
      l, w, n, p, d, t, 3600 * n / t, c, (n ? c / n : 0) }'
}

inspect_bench() {
  local conn=$1 nw out one= four= inc
  servers
  inspect_sites
  echo "== 整站检测：$isites 个网站（每站 106 页：首页、5 个栏目、100 篇文章），每次请求延迟 20–100 ms，PostgreSQL；负载 $(cut -d' ' -f1-3 /proc/loadavg) =="
  for nw in 1 2 4; do
    psql "$conn" -qAtc "CREATE DATABASE ib$nw" >/dev/null
    "$kaoping" eval new --table "$root/tests/store/data/hand-table.csv" --units iunits.csv \
      --name bench --db "$conn dbname=ib$nw" >/dev/null
    while read -r u url; do "$kaoping" sites add "$u" "$url" --db "$conn dbname=ib$nw" >/dev/null; done < isites.txt
    out=$(inspect_run "$conn dbname=ib$nw" "$nw")
    inspect_report "完整检测" "$nw" "$out"
    [ "$nw" = 1 ] && one=$out
    [ "$nw" = 4 ] && four=$out
  done
  echo "负载（完整检测之后）：$(cut -d' ' -f1-3 /proc/loadavg)"
  # 1% of the articles change; the 4-worker store inspects again, incrementally
  for h in $(seq "$nhosts"); do touch "port$h.inc"; done
  psql "$conn dbname=ib4" -qAtc "DELETE FROM jobs WHERE kind = 'inspect'" >/dev/null
  inc=$(inspect_run "$conn dbname=ib4" 4)
  inspect_report "增量再检查" 4 "$inc"
  for h in $(seq "$nhosts"); do rm -f "port$h.inc"; done
  read -r w1 _ n1 _ _ <<<"$one"
  read -r w4 _ n4 _ _ <<<"$four"
  read -r wi ci ni pi di <<<"$inc"
  awk -v w1="$w1" -v n1="$n1" -v w4="$w4" -v n4="$n4" -v wi="$wi" -v ci="$ci" -v ni="$ni" -v pi="$pi" -v di="$di" -v cores="$(nproc)" \
    -v pps="${KP_BENCH_SITE_PAGES:-5000}" -v perc="${KP_BENCH_WORKERS_PER_CORE:-8}" 'BEGIN {
    r1 = n1 / w1; r4 = n4 / w4; x = r4 / r1
    printf "4 个工作者 / 1 个：%.2f 倍（目标 ≥ 3.5：%s）\n", x, (x >= 3.5 ? "达到" : "未达到")
    printf "增量再检查：完整下载 %d / %d 页 = %.1f%%（目标 < 10%%：%s）\n", di, pi, 100 * di / pi, (di * 10 < pi ? "达到" : "未达到")
    per = wi * 4 / ni          # worker-seconds per incremental inspection
    cpu = ci / ni              # CPU seconds per incremental inspection
    procs = 14000 * per / 86400
    printf "全国 14,000 个网站每天一次增量检测（按本基准的 106 页小网站）：每次约 %.2f 工作者·秒、CPU %.3f 秒 → 需要 %.1f 个工作者进程，CPU 共 %.2f 核，即 %.2f 台本机这样的 %d 核机器（只算工作者）\n",
      per, cpu, procs, 14000 * cpu / 86400, 14000 * cpu / 86400 / cores, cores
    # by the page: real sites have thousands of pages (pps a site)
    pw = wi * 4 / pi; pc = ci / pi
    printf "按页折算（每站 %d 页）：每页 %.4f 工作者·秒、CPU %.5f 秒 → 14,000 站每天需要 %.1f 个工作者进程、CPU %.2f 核，即 %.1f 台 %d 核机器（取两者中大的：进程按每核 %d 个计）\n",
      pps, pw, pc, 14000 * pps * pw / 86400, 14000 * pps * pc / 86400,
      (14000 * pps * pc / 86400 > 14000 * pps * pw / 86400 / (cores * perc) ? 14000 * pps * pc / 86400 / cores : 14000 * pps * pw / 86400 / (cores * perc)), cores, perc }'
}

if [ -n "$pgdir" ] && [ -n "${conn:-}" ]; then
  inspect_bench "$conn"
else
  echo "整站检测：跳过（需要 PostgreSQL）"
fi
