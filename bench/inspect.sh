#!/usr/bin/env bash
# Benchmark of kaoping inspect on a generated 20,000-page site served by
# nginx on 127.0.0.1 (tools/sitegen.c write: pages of ~16 KB in the shape
# of a government CMS, 336 MB in all, an image each and an attachment every
# tenth: about 42,000 URLs, 200 of them dead), against in the same run:
#   floor       curl --parallel --parallel-max 32 over the list of every URL
#               (fetching only: no parsing, no link discovery)
#   h2load      h2load --h1 (Debian nghttp2-client, when it installs): the
#               list of every URL cut in 32 parts, one connection each, so
#               that every URL is fetched once over 32 keep-alive
#               connections (h2load's own -c 32 starts every client at
#               the list's first URL); a second floor, nearer the server's
#               own speed than curl's
#   wget2       wget2 --spider -r, as a user would type it (Debian package;
#               its default is 5 threads)
#   wget2-32    the same with --max-threads=32, as many transfers as kaoping
#   linkinator  linkinator --recurse (npm, pinned in bench/package.json,
#               installed with npm ci; default concurrency 100).  It only
#               recurses below its start URL's path, so it starts at "/",
#               which nginx serves as the homepage (index s0/p0.html);
#               links to other hosts are skipped (no network here).
#               KP_BENCH_LINKINATOR=0 leaves it out (it takes minutes).
#   kaoping     kaoping inspect (32 transfers in flight)
# Each runs BENCH_RUNS times (default 3; linkinator once), the tools taking
# turns.  Prints the median wall time with its range, the median CPU time
# of the tool itself (user + system), URLs/s, peak RSS and
# dead links found (missed / false) of each, the load average (the machine may be shared), and the ratios
# against the targets: ≥2× faster than wget2, within 1.5× of the floor,
# < 150 MB, every dead link found and none false.
#
# BENCH_KEEP_JSON=FILE keeps kaoping's last JSON (port written PORT).
# BENCH_SCALE=200000 adds a kaoping-only run on a site of that many pages
# and prints peak RSS at 20,000 and at 200,000 pages and the growth per
# page (target: ≤ 1 KB).  It writes ~3.4 GB under $TMPDIR and takes about
# a minute more.
#
#   bench/inspect.sh KAOPING_BINARY [PAGES]
set -euo pipefail
kaoping=$(realpath "$1")
pages=${2:-20000}
root=$(cd "$(dirname "$0")/.." && pwd)

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v wget2 >/dev/null || need+=(wget2)
command -v jq >/dev/null || need+=(jq)
[ -x /usr/bin/time ] || need+=(time)
if [ "${#need[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
# the h2load floor is optional: without the package the table lacks it
command -v h2load >/dev/null ||
  { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get install -y -qq --no-install-recommends nghttp2-client >/dev/null 2>&1 || true; }

work=$(mktemp -d); chmod 755 "$work"   # nginx workers run as www-data
trap '[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT
cc -O2 -o "$work/sitegen" "$root/tools/sitegen.c" -lz
mkdir -p "$work/site"
"$work/sitegen" write "$work/site" "$pages"
port=$(( 20000 + RANDOM % 20000 ))
cat > "$work/nginx.conf" <<EOF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; }
  keepalive_requests 100000;
  etag off;   # wget2 skips pages whose ETag it has seen; generated pages share mtime and size
  server { listen 127.0.0.1:$port; root $work/site; index s0/p0.html; }
}
EOF
"$NGINX" -c "$work/nginx.conf" -p "$work"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/s0/p0.html" >/dev/null && break; sleep 0.1; done
sed "s/PORT/$port/" "$work/site/urls.txt" > "$work/urls"
sed "s/PORT/$port/" "$work/site/dead.txt" | sort > "$work/dead"
awk '{print "url = \"" $0 "\"\noutput = \"/dev/null\""}' "$work/urls" > "$work/curl.cfg"
mkdir -p "$work/h2"
split -n r/32 "$work/urls" "$work/h2/part."
h2floor() { # every URL once: 32 h2load clients of one connection, each its part
  for f in "$work"/h2/part.*; do
    h2load --h1 -c 1 -n "$(wc -l < "$f")" -i "$f" > "$f.out" 2>&1 &
  done
  wait
}

# Every tool runs BENCH_RUNS times (default 3), the tools taking turns, so
# a burst of load on a shared machine falls on all of them alike; the table
# gives the median time with the range, and the largest peak RSS.
runs=${BENCH_RUNS:-3}

# measure NAME COMMAND…: runs it in $work/NAME.d, keeps its stdout in
# $work/NAME.out, and appends "seconds peakKB cpu-seconds" to $work/NAME.res
# (cpu: user + system of the tool itself, steadier than wall time on a
# shared machine; the server's is not counted).
measure() {
  local name=$1; shift
  mkdir -p "$work/$name.d"
  (cd "$work/$name.d" && /usr/bin/time -f "%e %M %U %S" -o "$work/$name.time" "$@" \
     >"$work/$name.out" 2>"$work/$name.err") || true
  tail -1 "$work/$name.time" | awk '{print $1, $2, $3 + $4}' >> "$work/$name.res"
}
median_of() { cut -d' ' -f1 "$work/$1.res" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
range_of() { cut -d' ' -f1 "$work/$1.res" | sort -n | awk 'NR==1{a=$1} {b=$1} END {print a "-" b}'; }
peak_of() { cut -d' ' -f2 "$work/$1.res" | sort -n | tail -1; }
cpu_of() { cut -d' ' -f3 "$work/$1.res" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# dead_check NAME DEADFILE: "found（漏 m，误 f）" for the dead links a tool
# reported (sorted) against the site's truth; a kaoping run that misses one
# or reports a false one marks the benchmark failed.
dead_check() {
  local missed false_pos
  missed=$(comm -23 "$work/dead" "$2" | wc -l)
  false_pos=$(comm -13 "$work/dead" "$2" | wc -l)
  echo "$(wc -l < "$2")（漏 $missed，误 $false_pos）" > "$work/$1.found"
  [ "$1" != kaoping ] || [ $((missed + false_pos)) -eq 0 ] || kp_bad=1
}
# row NAME URLS: one line of the table.
row() {
  local name=$1 count=$2 secs found="—"
  secs=$(median_of "$name")
  [ -f "$work/$name.found" ] && found=$(cat "$work/$name.found")
  printf '%-11s %7s %-12s %7.2f %9.0f %8.1f  %s\n' "$name" "$secs" "$(range_of "$name")" \
    "$(cpu_of "$name")" "$(echo "$count / $secs" | bc -l)" "$(echo "$(peak_of "$name") / 1024" | bc -l)" "$found"
}
# wget2 logs "HTTP ERROR response 404 Not Found [URL]" for each dead link
# (and for the absent robots.txt, which is not a link of the site).
wget2_dead() {
  sed -n 's/^HTTP ERROR response [0-9]* .*\[\(.*\)\]$/\1/p' "$work/$1.d/log" \
    | grep -v '/robots\.txt$' | sort -u > "$work/$1.dead"
  dead_check "$1" "$work/$1.dead"
}

n=$(wc -l < "$work/urls")
echo "站点：$pages 个页面，$n 个网址，$(du -sm --apparent-size "$work/site" | cut -f1) MB，$(wc -l < "$work/dead") 个死链，nginx 127.0.0.1:$port；每个工具跑 $runs 次"
echo "负载（loadavg）：$(cat /proc/loadavg)"
home="http://127.0.0.1:$port/s0/p0.html"
kp_bad=0
for i in $(seq "$runs"); do
  measure floor curl -s --parallel --parallel-max 32 -K "$work/curl.cfg"
  if command -v h2load >/dev/null; then
    measure h2load bash -c "work=$work; $(declare -f h2floor); h2floor"
  fi
  measure wget2 wget2 --spider -r -l inf -o log "$home"
  wget2_dead wget2
  measure wget2-32 wget2 --spider -r -l inf --max-threads=32 -o log "$home"
  wget2_dead wget2-32
  measure kaoping env KP_NO_PROGRESS=1 "$kaoping" inspect "$home" \
    --as-of 2024-06-30 --max-pages $((n + 1000)) --max-depth 100 \
    --parallel 32 --per-host 32 --json
  jq -r '.dead_links[].url' "$work/kaoping.out" | sort > "$work/found"
  dead_check kaoping "$work/found"
  echo "  第 $i 轮：floor $(tail -1 "$work/floor.res" | cut -d' ' -f1) 秒，wget2 $(tail -1 "$work/wget2.res" | cut -d' ' -f1)，wget2-32 $(tail -1 "$work/wget2-32.res" | cut -d' ' -f1)，kaoping $(tail -1 "$work/kaoping.res" | cut -d' ' -f1)"
done
cp "$work/kaoping.out" "$work/kp.json"
# BENCH_KEEP_JSON=FILE keeps the last inspection's JSON, its port written
# PORT, to compare two builds' results.
[ -z "${BENCH_KEEP_JSON:-}" ] || sed "s/127\.0\.0\.1:$port/127.0.0.1:PORT/g" "$work/kp.json" > "$BENCH_KEEP_JSON"
[ -n "${BENCH_DEBUG:-}" ] && head -c 1500 "$work/kp.json" && cat "$work/error.log"

# As a new user types it, with no options: the whole site, every dead
# link, complete; and with --max-pages 500 the cut said (complete false,
# the limit, the URLs left).
KP_NO_PROGRESS=1 "$kaoping" inspect "$home" --as-of 2024-06-30 --json > "$work/kp-plain.json" || true
jq -r '.dead_links[].url' "$work/kp-plain.json" | sort > "$work/found-plain"
dead_check kaoping-plain "$work/found-plain"
[ "$(jq '.pages_crawled == '"$(jq .pages_crawled "$work/kp.json")"' and .complete' "$work/kp-plain.json")" = true ] || kp_bad=1
[ "$(comm -3 "$work/dead" "$work/found-plain" | wc -l)" -eq 0 ] || kp_bad=1
KP_NO_PROGRESS=1 "$kaoping" inspect "$home" --as-of 2024-06-30 --max-pages 500 --json > "$work/kp-500.json" || true
echo "kaoping 不带选项：抓取 $(jq .pages_crawled "$work/kp-plain.json") 页，complete $(jq .complete "$work/kp-plain.json")，死链 $(cat "$work/kaoping-plain.found")；--max-pages 500：$(jq -c '{pages_crawled, complete, limits_hit}' "$work/kp-500.json")"
[ "$(jq '.complete == false and ([.limits_hit[] | select(.limit == "max_pages" and .value == 500 and .skipped > 0)] | length == 1)' "$work/kp-500.json")" = true ] || kp_bad=1

peers="wget2 wget2-32"
if [ "${KP_BENCH_LINKINATOR:-1}" != 0 ]; then   # once: it takes minutes
  [ -x "$root/bench/node_modules/.bin/linkinator" ] ||
    npm ci --prefix "$root/bench" --no-audit --no-fund >/dev/null
  measure linkinator timeout 1800 "$root/bench/node_modules/.bin/linkinator" \
    "http://127.0.0.1:$port/" --recurse --format json \
    --skip '^(?!http://127\.0\.0\.1)'
  jq -r '.links[] | select(.state == "BROKEN") | .url' "$work/linkinator.out" \
    | sort -u > "$work/linkinator.dead"
  dead_check linkinator "$work/linkinator.dead"
  peers="$peers linkinator"
fi
echo "负载（loadavg）：$(cat /proc/loadavg)"

printf '%-11s %7s %-12s %7s %9s %8s  %s\n' 工具 中位秒 范围 CPU秒 网址/秒 峰值MB 找到的死链
row floor "$n"
[ -s "$work/h2load.res" ] && row h2load "$n"
for p in $peers; do row "$p" "$n"; done
crawled=$(jq .pages_crawled "$work/kp.json")
row kaoping "$(jq '.pages_crawled + .resources_checked' "$work/kp.json")"
s_kp=$(median_of kaoping); kb_kp=$(peak_of kaoping)
echo "kaoping：抓取 $crawled 页，死链 $(cat "$work/kaoping.found")（每一轮都核对）"
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
best=""; for p in $peers; do
  [ -z "$best" ] || [ "$(echo "$(median_of "$p") < $(median_of "$best")" | bc)" = 1 ] && best=$p
done
echo "对比（中位数）：wget2 / kaoping = $(ratio "$(median_of wget2)" "$s_kp")×（目标 ≥ 2），" \
     "最快的同类工具 $best / kaoping = $(ratio "$(median_of "$best")" "$s_kp")×，" \
     "kaoping / floor = $(ratio "$s_kp" "$(median_of floor)")×（目标 ≤ 1.5），峰值 $((kb_kp / 1024)) MB（目标 < 150）"
if [ -s "$work/h2load.res" ]; then
  ok=$(cat "$work"/h2/part.*.out | sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' | awk '{s+=$1} END {print s+0}')
  echo "h2load 下限：$ok / $n 个网址成功；kaoping / h2load = $(ratio "$s_kp" "$(median_of h2load)")×（目标 ≤ 1.5）"
fi
echo "CPU 时间（中位数，不含 nginx）：wget2 / kaoping = $(ratio "$(cpu_of wget2)" "$(cpu_of kaoping)")×，kaoping / floor = $(ratio "$(cpu_of kaoping)" "$(cpu_of floor)")×"
[ "$kp_bad" -eq 0 ] || exit 1

# ---- memory at scale (opt-in) -------------------------------------------
big=${BENCH_SCALE:-}
[ -z "$big" ] && exit 0
kill "$(cat "$work/nginx.pid")"; sleep 0.5
rm -rf "$work/site" "$work/w"; mkdir -p "$work/site"
"$work/sitegen" write "$work/site" "$big"
"$NGINX" -c "$work/nginx.conf" -p "$work"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/s0/p0.html" >/dev/null && break; sleep 0.1; done
sed "s/PORT/$port/" "$work/site/dead.txt" | sort > "$work/dead"
/usr/bin/time -f "%e %M" -o "$work/time" env KP_NO_PROGRESS=1 "$kaoping" inspect "http://127.0.0.1:$port/s0/p0.html" \
  --as-of 2024-06-30 --max-pages $((big + 1000)) --max-depth 100 --parallel 32 --per-host 32 --json > "$work/kp.json" || true
read -r s_big kb_big < <(tail -1 "$work/time")
crawled_big=$(jq .pages_crawled "$work/kp.json")
jq -r '.dead_links[].url' "$work/kp.json" | sort > "$work/found"
missed=$(comm -23 "$work/dead" "$work/found" | wc -l)
false_pos=$(comm -13 "$work/dead" "$work/found" | wc -l)
per=$(( (kb_big - kb_kp) * 1024 / (crawled_big - crawled) ))
echo "规模：$crawled 页 峰值 $((kb_kp / 1024)) MB；$crawled_big 页 峰值 $((kb_big / 1024)) MB（${s_big} 秒，漏报 $missed，误报 $false_pos）"
echo "每页增长 $per 字节（目标 ≤ 1024）"
[ "$missed" -eq 0 ] && [ "$false_pos" -eq 0 ] && [ "$per" -le 1024 ]
