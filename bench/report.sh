#!/usr/bin/env bash
# Benchmark (not a test): the full set of 考评表 for a synthetic round of
# 3,000 units × a 100-indicator table (facts generated as bench/score.sh
# does), written by `kaoping report sheet` as one XLSX workbook (a sheet
# per unit) and as one CSV file; prints both wall times and sizes.
# Target: under 10 s for the XLSX set on the project's 2-core machine.
#
#   bench/report.sh [KAOPING_BINARY]      KP_BENCH_UNITS=N to change the size
set -euo pipefail
kaoping=$(realpath "${1:-build/kaoping}")
root=$(cd "$(dirname "$0")/.." && pwd)
units=${KP_BENCH_UNITS:-3000}
gen=$root/bench/score-gen.awk

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export KAOPING_DB=$tmp/bench.db

echo "== bench/report.sh：合成轮次，$units 个单位 × 100 个指标，全部考评表 =="
echo "机器：$(nproc) 核，负载 $(cut -d' ' -f1-3 /proc/loadavg)"
command -v /usr/bin/time >/dev/null || { echo "bench/report.sh: 需要 /usr/bin/time（scripts/install-deps.sh 安装）" >&2; exit 1; }
awk -v what=table -f "$gen" >table.csv
awk -v what=units -v units="$units" -f "$gen" >units.csv
awk -v what=facts -v units="$units" -f "$gen" >facts.csv
"$kaoping" eval new --table table.csv --units units.csv --author bench >/dev/null
"$kaoping" eval facts add facts.csv --author bench >/dev/null
"$kaoping" eval score --author bench >/dev/null

# wall seconds, CPU seconds (user + system) and peak memory of a
# command: on a machine shared with other work the wall time says more
# about the load than about the program, so both are printed
secs() { /usr/bin/time -f '%e %U %S %M' -o m "$@" >/dev/null; tail -1 m | awk '{printf "%.2f s（CPU %.2f s，内存峰值 %d MB）", $1, $2 + $3, $4 / 1024}'; }
x=$(secs "$kaoping" report sheet -o sheets.xlsx)
c=$(secs "$kaoping" report sheet -o sheets.csv)
r=$(secs "$kaoping" report rank -o rank.xlsx)
printf 'report sheet -o sheets.xlsx（%d 张工作表，%s MB）：%s（目标 < 10 s）\n' \
  "$units" "$(du -m sheets.xlsx | cut -f1)" "$x"
printf 'report sheet -o sheets.csv （同样的表，%s MB）：%s\n' \
  "$(du -m sheets.csv | cut -f1)" "$c"
printf 'report rank -o rank.xlsx：%s\n' "$r"
echo "结束时负载 $(cut -d' ' -f1-3 /proc/loadavg)"
