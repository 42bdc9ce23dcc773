#!/usr/bin/env bash
# Benchmark (not a test): score a synthetic national round — 14,000 units
# × a 100-indicator table, ~110 facts a unit (~1.5 million facts) — from
# facts in the store to ranked results, and print wall time, CPU time and
# peak memory of `kaoping eval facts add`, `kaoping eval score` and
# `kaoping eval rank`, on both backends: SQLite (one file) and PostgreSQL
# (a throw-away cluster started here the way scripts/pg-test.sh starts the
# tests' one; skipped with a message when PostgreSQL's server programs are
# not installed).  Targets: SQLite scoring + ranking under 1 s and 500 MB;
# PostgreSQL ingest (COPY) within 2× of SQLite's, PostgreSQL scoring within
# 1.5× of PostgreSQL's own GROUP BY over the same facts.
#
# For comparison, on each backend: what a user without kaoping would do
# with the same facts in the same database — the database's own SQL, a
# GROUP BY sum of the assessors' values ranked with RANK() (no rules, no
# deductions, no corrections, no explanations: a floor, not a peer in
# function).
#
# The PostgreSQL server's CPU (its backends, counted from the postmaster's
# /proc entries) is given beside kaoping's own: on PostgreSQL much of the
# work is the server's.  After the load, VACUUM ANALYZE (untimed) does
# what autovacuum would do a minute later, so that it does not run inside
# the scoring's timing.
#
#   bench/score.sh [KAOPING_BINARY]      KP_BENCH_UNITS=N to change the size
#                                        KP_BENCH_PG=0 to skip PostgreSQL
set -euo pipefail
kaoping=$(realpath "${1:-build/kaoping}")
root=$(cd "$(dirname "$0")/.." && pwd)
units=${KP_BENCH_UNITS:-14000}
gen=$root/bench/score-gen.awk

for tool in /usr/bin/time sqlite3 awk; do
  command -v "$tool" >/dev/null || { echo "bench/score.sh: 需要 $tool（scripts/install-deps.sh 安装）" >&2; exit 1; }
done

tmp=$(mktemp -d)
pgdir=
cleanup() {
  [ -z "$pgdir" ] || bash "$root/scripts/pg-test.sh" stop "$pgdir" || true
  rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"

echo "== bench/score.sh：合成全国轮次，$units 个单位 × 100 个指标 =="
echo "机器：$(nproc) 核，$(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo)，负载 $(cut -d' ' -f1-3 /proc/loadavg)（与其他进程共用时墙钟偏大，CPU 时间更稳）"

awk -v what=table -f "$gen" >table.csv
awk -v what=units -v units="$units" -f "$gen" >units.csv
awk -v what=facts -v units="$units" -f "$gen" >facts.csv
nfacts=$(($(wc -l <facts.csv) - 1))
echo "事实文件：$nfacts 条，$(du -m facts.csv | cut -f1) MB"

# measure CMD... → "wall cpu peakKB" (cpu = user + sys of CMD)
measure() {
  /usr/bin/time -f '%e %U %S %M' -o m "$@" >out 2>err || { cat err >&2; exit 1; }
  tail -1 m | awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}'
}

# CPU seconds (user + sys, children reaped included) of the PostgreSQL
# server so far: the postmaster and its live children
pg_cpu() {
  [ -n "$pgdir" ] || { echo 0; return; }
  local pm tck
  pm=$(head -1 "$pgdir/data/postmaster.pid")
  tck=$(getconf CLK_TCK)
  # a backend may end between the listing and the read: skipped, and the
  # loop's status stays 0 (pipefail would end the script)
  { cat "/proc/$pm/stat"; for c in $(cat "/proc/$pm/task/$pm/children" 2>/dev/null); do
      sed 's/^/child /' "/proc/$c/stat" 2>/dev/null || true; done; } 2>/dev/null |
    awk -v tck="$tck" '{ # fields after "(comm)": strip up to the last ")"
        line = $0; sub(/^.*\) /, "", line); n = split(line, f, " ")
        t += f[12] + f[13]; if ($1 != "child") t += f[14] + f[15] }
      END { printf "%.2f\n", t / tck }'
}

# Wait (at most 5 s) until no client backend is left: a backend ends a
# little after its client, and its CPU counts (in the postmaster's
# reaped children) only then — read before, it would land in the next
# measurement (the VACUUM's in the scoring's, say)
pg_settle() {
  [ -n "$pgdir" ] || return 0
  local pm c busy i
  pm=$(head -1 "$pgdir/data/postmaster.pid")
  for i in $(seq 50); do
    busy=0
    for c in $(cat "/proc/$pm/task/$pm/children" 2>/dev/null); do
      tr '\0' ' ' 2>/dev/null <"/proc/$c/cmdline" | grep -q '127\.0\.0\.1(' && busy=1
    done
    [ "$busy" = 0 ] && return 0
    sleep 0.1
  done
}

row() { printf '%8.2f %8.2f %8s %8.0f  %s\n' "$1" "$2" "$3" "$4" "$5"; }

# run_backend LABEL GROUPBY-COMMAND...: the round into $KAOPING_DB, timed
run_backend() {
  local label=$1; shift
  local a s r q sv0 sv1 pa ps pq
  echo
  echo "== $label =="
  "$kaoping" eval new --table table.csv --units units.csv --author bench >/dev/null
  pg_settle; sv0=$(pg_cpu)
  read -r a_sec a_cpu a_kb < <(measure "$kaoping" eval facts add facts.csv --author bench)
  pg_settle; sv1=$(pg_cpu); pa=$(echo "$sv0 $sv1" | awk '{printf "%.2f", $2 - $1}')
  # PostgreSQL: what autovacuum does soon after a bulk load, done now so
  # that it does not run (and count) inside the timings below
  [ -z "$pgdir" ] || psql "$KAOPING_DB" -qc "VACUUM ANALYZE" >/dev/null
  pg_settle; sv0=$(pg_cpu)
  read -r s_sec s_cpu s_kb < <(KP_TIMING=1 measure "$kaoping" eval score --author bench)
  timing=$(grep -o '计时：.*' err || true)
  pg_settle; sv1=$(pg_cpu); ps=$(echo "$sv0 $sv1" | awk '{printf "%.2f", $2 - $1}')
  read -r r_sec r_cpu r_kb < <(measure "$kaoping" eval rank)
  ranked=$(($(wc -l <out) - 2))
  first=$(sed -n 3p out | awk '{print $2, $3}')
  pg_settle; sv0=$(pg_cpu)
  read -r q_sec q_cpu q_kb < <(measure "$@")
  pg_settle; sv1=$(pg_cpu); pq=$(echo "$sv0 $sv1" | awk '{printf "%.2f", $2 - $1}')
  printf '%8s %8s %8s %8s  %s\n' "墙钟s" "CPU s" "服务器s" "峰值MB" ""
  row "$a_sec" "$a_cpu" "$pa" "$(echo "$a_kb" | awk '{print $1/1024}')" "kaoping eval facts add（$nfacts 条，检查后写入一个事务）"
  row "$s_sec" "$s_cpu" "$ps" "$(echo "$s_kb" | awk '{print $1/1024}')" "kaoping eval score（$units 个单位计分、排名、入库）"
  row "$r_sec" "$r_cpu" "-" "$(echo "$r_kb" | awk '{print $1/1024}')" "kaoping eval rank（输出 $ranked 行）"
  row "$q_sec" "$q_cpu" "$pq" "$(echo "$q_kb" | awk '{print $1/1024}')" "对照：数据库自己的 SQL（GROUP BY 求和 + RANK()，无规则）"
  echo "第一名：$first"
  s_srv=$ps q_srv=$pq   # the server's CPU, for the ratios after the PostgreSQL run
  [ -z "$timing" ] || echo "eval score 的$timing"
}

# ---- SQLite ----
export KAOPING_DB=$tmp/bench.db
sql="SELECT rank() OVER (ORDER BY total DESC) AS rank, name, total FROM
       (SELECT u.name, SUM(CAST(f.num AS REAL) / f.den) AS total
          FROM facts f JOIN units u ON u.id = f.unit_id
         WHERE f.kind = 'score' AND f.source = 'assessor'
         GROUP BY u.id) ORDER BY 1;"
run_backend "SQLite（$(sqlite3 --version | cut -d' ' -f1)，一个文件）" sqlite3 bench.db "$sql"
echo "数据库：$(du -m bench.db | cut -f1) MB"
sq_add=$a_sec sq_total=$(echo "$s_sec $r_sec" | awk '{printf "%.2f", $1 + $2}')
sq_peak=$(echo "$s_kb $r_kb" | awk '{m = $1 > $2 ? $1 : $2; printf "%.0f", m / 1024}')
if awk -v t="$sq_total" -v m="$sq_peak" 'BEGIN { exit !(t < 1 && m < 500) }'; then
  echo "目标（SQLite 计分 + 排名 < 1 s，< 500 MB）：达到（$sq_total s，$sq_peak MB）"
else
  echo "目标（SQLite 计分 + 排名 < 1 s，< 500 MB）：未达到（$sq_total s，$sq_peak MB）"
fi

# ---- PostgreSQL ----
echo
if [ "${KP_BENCH_PG:-1}" = 0 ]; then
  echo "== PostgreSQL：跳过（KP_BENCH_PG=0） =="; exit 0
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v psql >/dev/null; then
  echo "== PostgreSQL：跳过（找不到 PostgreSQL 的服务器程序或 psql；apt-get install postgresql） =="; exit 0
fi
pgdir=$(mktemp -d)   # its own: as root the cluster is the postgres user's
if ! conn=$(bash "$root/scripts/pg-test.sh" start "$pgdir" | tail -1); then
  echo "== PostgreSQL：跳过（临时集群无法启动，见上） =="; exit 0
fi
psql "$conn" -qAtc "CREATE DATABASE bench" >/dev/null
export KAOPING_DB="$conn dbname=bench"
pgsql="SELECT rank() OVER (ORDER BY total DESC) AS rank, name, total FROM
         (SELECT u.name, SUM(CAST(f.num AS double precision) / f.den) AS total
            FROM facts f JOIN units u ON u.id = f.unit_id
           WHERE f.kind = 'score' AND f.source = 'assessor'
           GROUP BY u.id, u.name) t ORDER BY 1;"
run_backend "PostgreSQL（$(psql "$conn" -qAtc 'SHOW server_version' | cut -d' ' -f1)，本机临时集群，fsync=off）" \
  psql "$KAOPING_DB" -qAt -c "$pgsql"
echo "数据库：$(psql "$KAOPING_DB" -qAtc "SELECT pg_database_size('bench') / 1048576") MB"
ratio_add=$(echo "$a_sec $sq_add" | awk '{printf "%.2f", $1 / $2}')
ratio_score=$(echo "$s_sec $q_sec" | awk '{printf "%.2f", $1 / $2}')
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t ? "达到" : "未达到") }'; }
echo "目标（PostgreSQL 登记 ≤ 2 × SQLite 登记）：$(verdict "$ratio_add" 2)（$a_sec s / $sq_add s = ${ratio_add}×）"
echo "目标（PostgreSQL 计分 ≤ 1.5 × PostgreSQL 自己的 GROUP BY）：$(verdict "$ratio_score" 1.5)（$s_sec s / $q_sec s = ${ratio_score}×）"
# the same in CPU (kaoping + server against psql + server): steadier than
# the wall clock when other processes share the machine
cpu_score=$(echo "$s_cpu $s_srv" | awk '{printf "%.2f", $1 + $2}')
cpu_q=$(echo "$q_cpu $q_srv" | awk '{printf "%.2f", $1 + $2}')
echo "（CPU：eval score $s_cpu + 服务器 $s_srv = $cpu_score s，GROUP BY $q_cpu + 服务器 $q_srv = $cpu_q s，$(echo "$cpu_score $cpu_q" | awk '{printf "%.2f", $1 / $2}')×）"
