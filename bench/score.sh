#!/usr/bin/env bash
# Benchmark (not a test): score a synthetic national round — 14,000 units
# × a 100-indicator table, ~110 facts a unit (~1.5 million facts) — from
# facts in the store to ranked results, and print wall time and peak
# memory of `kaoping eval score` + `kaoping eval rank`.  Target: under 1 s
# and under 500 MB on the project's 2-core machine.
#
# For comparison, in the same run: what a user without kaoping would do
# with the same facts in the same SQLite file — sqlite3's own SQL, a
# GROUP BY sum of the assessors' values ranked with RANK() (no rules, no
# deductions, no corrections, no explanations: a floor, not a peer in
# function).
#
#   bench/score.sh [KAOPING_BINARY]      KP_BENCH_UNITS=N to change the size
set -euo pipefail
kaoping=$(realpath "${1:-build/kaoping}")
root=$(cd "$(dirname "$0")/.." && pwd)
units=${KP_BENCH_UNITS:-14000}
gen=$root/bench/score-gen.awk

for tool in /usr/bin/time sqlite3 awk; do
  command -v "$tool" >/dev/null || { echo "bench/score.sh: 需要 $tool（scripts/install-deps.sh 安装）" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export KAOPING_DB=$tmp/bench.db

echo "== bench/score.sh：合成全国轮次，$units 个单位 × 100 个指标 =="
echo "机器：$(nproc) 核，$(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo)，负载 $(cut -d' ' -f1-3 /proc/loadavg)"

t0=$(date +%s.%N)
awk -v what=table -f "$gen" >table.csv
awk -v what=units -v units="$units" -f "$gen" >units.csv
awk -v what=facts -v units="$units" -f "$gen" >facts.csv
nfacts=$(($(wc -l <facts.csv) - 1))
"$kaoping" eval new --table table.csv --units units.csv --author bench >/dev/null
/usr/bin/time -f '%e %M' -o add.m "$kaoping" eval facts add facts.csv --author bench >/dev/null
read -r a_sec a_kb < <(tail -1 add.m)
t1=$(date +%s.%N)
printf '准备（生成 %d 条事实、建轮次、登记入库，不计时）：%.1f s，数据库 %s MB\n' \
  "$nfacts" "$(echo "$t1 - $t0" | awk '{print $1 - $3}')" \
  "$(du -m bench.db | cut -f1)"
printf '其中 eval facts add（一个文件 %s MB，逐条读入、检查、写入一个事务）：%.1f s，峰值 %.0f MB\n' \
  "$(du -m facts.csv | cut -f1)" "$a_sec" "$(echo "$a_kb" | awk '{print $1/1024}')"

# measure CMD... → "seconds peakKB" on the last line of $tmp/m
measure() { /usr/bin/time -f '%e %M' -o m "$@" >out 2>err || { cat err >&2; exit 1; }; tail -1 m; }

read -r s_sec s_kb < <(KP_TIMING=1 measure "$kaoping" eval score --author bench)
timing=$(grep -o '计时：.*' err || true)
read -r r_sec r_kb < <(measure "$kaoping" eval rank)
ranked=$(($(wc -l <out) - 2))
first=$(sed -n 3p out | awk '{print $2, $3}')

sql="SELECT rank() OVER (ORDER BY total DESC) AS rank, name, total FROM
       (SELECT u.name, SUM(CAST(f.num AS REAL) / f.den) AS total
          FROM facts f JOIN units u ON u.id = f.unit_id
         WHERE f.kind = 'score' AND f.source = 'assessor'
         GROUP BY u.id) ORDER BY 1;"
read -r q_sec q_kb < <(measure sqlite3 bench.db "$sql")

total=$(echo "$s_sec $r_sec" | awk '{printf "%.2f", $1 + $2}')
peak=$(echo "$s_kb $r_kb" | awk '{m = $1 > $2 ? $1 : $2; printf "%.0f", m / 1024}')
echo
printf '%8s %8s  %s\n' "墙钟s" "峰值MB" ""
printf '%8.2f %8.0f  %s\n' "$s_sec" "$(echo "$s_kb" | awk '{print $1/1024}')" "kaoping eval score（$units 个单位计分、排名、入库）"
printf '%8.2f %8.0f  %s\n' "$r_sec" "$(echo "$r_kb" | awk '{print $1/1024}')" "kaoping eval rank（输出 $ranked 行）"
printf '%8.2f %8.0f  %s\n' "$total" "$peak" "合计：库中事实 → 排名结果"
printf '%8.2f %8.0f  %s\n' "$q_sec" "$(echo "$q_kb" | awk '{print $1/1024}')" "对照：sqlite3 自己的 SQL（GROUP BY 求和 + RANK()，无规则）"
echo "第一名：$first"
[ -z "$timing" ] || echo "eval score 的$timing"
if awk -v t="$total" -v m="$peak" 'BEGIN { exit !(t < 1 && m < 500) }'; then
  echo "目标（< 1 s，< 500 MB）：达到"
else
  echo "目标（< 1 s，< 500 MB）：未达到"
fi
