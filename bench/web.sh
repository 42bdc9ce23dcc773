#!/usr/bin/env bash
# Benchmark (not a test): `kaoping serve` under load.  A synthetic round
# of 3,000 units × a 100-indicator table (bench/score-gen.awk, as
# bench/score.sh makes it, ~110 facts a unit), scored; the server on
# 127.0.0.1 with its default thread pool; `wrk` (Debian package wrk, a
# benchmark dependency only: scripts/install-deps.sh installs it) drives,
# logged in as an assessor:
#
#   GET /api/rounds/{r}/rank              the whole ranking (3,000 rows),
#                                         as is and as a browser asks
#                                         (Accept-Encoding: gzip)
#   GET /api/rounds/{r}/units/{u}         a unit's sheet, u random:
#                                         cold (the first request that
#                                         misses scores its own sheet and
#                                         starts the builder, which writes
#                                         all the round's sheets in the
#                                         background), then, once the
#                                         server says they are built,
#                                         warm, as is and gzipped
#
# and prints requests/s and the latency percentiles (wrk --latency).
# Target: p99 under 20 ms at 1,000 requests/s.  wrk (unlike wrk2) has
# no fixed-rate mode; each connection here waits KP_BENCH_DELAY ms after
# each answer (the scripts' delay()), so 20 connections offer at most
# ~1,000 requests/s and the latency is measured at that rate, not at
# saturation; KP_BENCH_DELAY=0 measures the saturated throughput.
# The machine may be shared with other work: the load average is printed
# with the figures.
#
#   bench/web.sh [KAOPING_BINARY]     KP_BENCH_UNITS, KP_BENCH_SECONDS,
#                                     KP_BENCH_CONNS, KP_BENCH_DELAY (ms),
#                                     KP_BENCH_DB (a database file kept
#                                     between runs: made and scored when
#                                     missing, reused when there),
#                                     KP_BENCH_SERVE (more arguments of
#                                     kaoping serve, e.g. --threads 8)
set -euo pipefail
kaoping=$(realpath "${1:-build/kaoping}")
root=$(cd "$(dirname "$0")/.." && pwd)
units=${KP_BENCH_UNITS:-3000}
secs=${KP_BENCH_SECONDS:-15}
conns=${KP_BENCH_CONNS:-20}
delay=${KP_BENCH_DELAY:-20}
gen=$root/bench/score-gen.awk

for tool in wrk curl jq awk; do
  command -v "$tool" >/dev/null || { echo "bench/web.sh: 需要 $tool（scripts/install-deps.sh 安装）" >&2; exit 1; }
done

tmp=$(mktemp -d)
spid=
trap '[ -n "$spid" ] && kill -TERM "$spid" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp"
export KAOPING_DB=${KP_BENCH_DB:-$tmp/bench.db}
case $KAOPING_DB in /*) ;; *) KAOPING_DB=$OLDPWD/$KAOPING_DB ;; esac

echo "== bench/web.sh：kaoping serve，$units 个单位 × 100 个指标 =="
echo "机器：$(nproc) 核，负载 $(cut -d' ' -f1-3 /proc/loadavg)（机器可能与其他工作共用，数字只供参考）"
awk -v what=table -f "$gen" >table.csv
awk -v what=units -v units="$units" -f "$gen" >units.csv
awk -v what=facts -v units="$units" -f "$gen" >facts.csv
if [ ! -s "$KAOPING_DB" ]; then
  "$kaoping" eval new --table table.csv --units units.csv --author bench >/dev/null
  "$kaoping" eval facts add facts.csv --author bench >/dev/null
  "$kaoping" eval score --author bench >/dev/null
  "$kaoping" user add bench --role assessor <<<'bench-password-1' >/dev/null
fi
round=$("$kaoping" eval list --json | jq -r '.[0].name')
echo "轮次 $round：$(($(wc -l <facts.csv) - 1)) 条事实，已计分"

# shellcheck disable=SC2086   # KP_BENCH_SERVE: words
"$kaoping" serve --listen 127.0.0.1:0 --data "$tmp/files" ${KP_BENCH_SERVE:-} >serve.out 2>serve.err &
spid=$!
for _ in $(seq 100); do grep -q 'http://' serve.out 2>/dev/null && break; sleep 0.1; done
base=$(grep -o 'http://127.0.0.1:[0-9]*' serve.out | head -1)
[ -n "$base" ] || { echo "bench/web.sh：服务没有启动" >&2; cat serve.err >&2; exit 1; }
token=$(curl -s -c jar -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench-password-1"}' "$base/api/login" >/dev/null &&
  awk '$6 == "kp_session" {print $7}' jar)
enc() { printf %s "$1" | jq -sRr @uri; }

# the Lua scripts: the session cookie, the pacing, the paths
common="wrk.headers['Cookie'] = 'kp_session=$token'
function delay() return $delay end"
printf '%s\nwrk.path = "/api/rounds/%s/rank"\n' "$common" "$(enc "$round")" >rank.lua
{ cat rank.lua; echo "wrk.headers['Accept-Encoding'] = 'gzip'"; } >rankgz.lua
gzip_lua="wrk.headers['Accept-Encoding'] = 'gzip'"
{
  echo "$common"
  echo "local paths = {"
  awk -F, 'NR > 5 {print $1}' units.csv |
    jq -Rr --arg r "$round" '"  \"/api/rounds/\($r | @uri)/units/\(@uri)\","'
  echo "}"
  echo "math.randomseed(1)"
  echo "function request() return wrk.format('GET', paths[math.random(#paths)]) end"
} >sheet.lua
{ cat sheet.lua; echo "$gzip_lua"; } >sheetgz.lua
check=$(curl -s -o /dev/null -w '%{http_code}' -b jar "$base/api/rounds/$(enc "$round")/rank")
[ "$check" = 200 ] || { echo "bench/web.sh：排名接口答 $check" >&2; exit 1; }

cpu() {   # the server's CPU time so far, in clock ticks (user + system)
  awk '{print $14 + $15}' "/proc/$spid/stat"
}
run() {   # run NAME SCRIPT
  echo
  echo "== $1：wrk -t2 -c$conns -d${secs}s，每个连接每次应答后等 ${delay} ms =="
  local t0 t1
  t0=$(cpu)
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$2" "$base" >wrk.out 2>&1
  t1=$(cpu)
  awk -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" '
       /Requests\/sec/ {printf "吞吐：%s 请求/秒\n", $2}
       /Non-2xx/ {print "非 2xx 应答：" $NF}
       /Latency Distribution/ {d = 1; next}
       d && /%/ {printf "  p%s %s\n", $1, $2}
       /requests in/ {n = $1; printf "共 %s 个请求，%s\n", $1, $4}
       END {if (n) printf "服务进程 CPU：%.3f ms/请求\n", ticks * 1000 / hz / n}' wrk.out
  [ -n "${KP_BENCH_VERBOSE:-}" ] && cat wrk.out
  return 0
}
run "GET /api/rounds/{r}/rank（整个排名，$units 行）" rank.lua
run "GET /api/rounds/{r}/rank，Accept-Encoding: gzip（浏览器的请求）" rankgz.lua
run "GET /api/rounds/{r}/units/{u}（随机单位的考评表；冷：同时在后台生成全部考评表）" sheet.lua
# the builder says when all the round's sheets are kept (at most 10 min)
t0=$(date +%s.%N)
for _ in $(seq 6000); do grep -q '张考评表已生成' serve.err && break; sleep 0.1; done
echo
echo "后台生成：$(grep -o '[0-9]* 张考评表已生成（[0-9.]* 秒）' serve.err | head -1 || echo 没有完成)，冷的一轮结束后又等了 $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') 秒"
run "GET /api/rounds/{r}/units/{u}，全部考评表已保留（gzip 保存，发给不收 gzip 的客户端时解压）" sheet.lua
run "GET /api/rounds/{r}/units/{u}，全部考评表已保留，Accept-Encoding: gzip（浏览器的请求）" sheetgz.lua
echo
echo "负载（结束时）：$(cut -d' ' -f1-3 /proc/loadavg)"
