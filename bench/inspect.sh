#!/usr/bin/env bash
# Benchmark of kaoping inspect on a generated 20,000-page site served by
# nginx on 127.0.0.1 (tools/sitegen.c write: pages of ~16 KB in the shape
# of a government CMS, 336 MB in all, an image each and an attachment every
# tenth: about 42,000 URLs), against in the same run:
#   floor  curl --parallel --parallel-max 32 over the list of every URL
#   wget2  wget2 --spider -r (Debian package wget2)
#   kaoping inspect (32 transfers in flight)
# Prints wall time, URLs/s and peak RSS of each, the load average (the
# machine may be shared), and whether kaoping found every dead link and
# none false.  Targets: ≥2× faster than wget2, within 1.5× of the floor,
# < 150 MB.
#
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
[ -x /usr/bin/time ] || need+=(time)
if [ "${#need[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

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
  server { listen 127.0.0.1:$port; root $work/site; }
}
EOF
"$NGINX" -c "$work/nginx.conf" -p "$work"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/s0/p0.html" >/dev/null && break; sleep 0.1; done
sed "s/PORT/$port/" "$work/site/urls.txt" > "$work/urls"
sed "s/PORT/$port/" "$work/site/dead.txt" | sort > "$work/dead"
awk '{print "url = \"" $0 "\"\noutput = \"/dev/null\""}' "$work/urls" > "$work/curl.cfg"

measure() { # name command...: prints "name seconds peakKB"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/$name.err" || true
  read -r secs kb < <(tail -1 "$work/time")
  echo "$name $secs $kb"
}

n=$(wc -l < "$work/urls")
echo "站点：$pages 个页面，$n 个网址，$(du -sm --apparent-size "$work/site" | cut -f1) MB，$(wc -l < "$work/dead") 个死链，nginx 127.0.0.1:$port"
echo "负载（loadavg）：$(cat /proc/loadavg)"
printf '%-8s %10s %10s %10s\n' 工具 秒 网址/秒 峰值MB
report() {
  local name=$1 secs=$2 kb=$3 count=$4
  printf '%-8s %10s %10.0f %10.1f\n' "$name" "$secs" "$(echo "$count / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
}
read -r _ s_floor kb_floor < <(measure floor curl -s --parallel --parallel-max 32 -K "$work/curl.cfg")
report floor "$s_floor" "$kb_floor" "$n"
(cd "$work" && read -r _ s_wget kb_wget < <(measure wget2 wget2 --spider -r -l inf --max-threads=32 -o "$work/wget2.log" "http://127.0.0.1:$port/s0/p0.html"); echo "$s_wget $kb_wget" > "$work/wget2.res")
read -r s_wget kb_wget < "$work/wget2.res"
report wget2 "$s_wget" "$kb_wget" "$n"
/usr/bin/time -f "%e %M" -o "$work/time" env KP_NO_PROGRESS=1 "$kaoping" inspect "http://127.0.0.1:$port/s0/p0.html" \
  --as-of 2024-06-30 --max-pages $((n + 1000)) --max-depth 100 --parallel 32 --per-host 32 --json > "$work/kp.json" || true
read -r s_kp kb_kp < <(tail -1 "$work/time")
[ -n "${BENCH_DEBUG:-}" ] && head -c 1500 "$work/kp.json" && cat "$work/error.log"
crawled=$(jq .pages_crawled "$work/kp.json")
report kaoping "$s_kp" "$kb_kp" "$(jq '.pages_crawled + .resources_checked' "$work/kp.json")"
echo "负载（loadavg）：$(cat /proc/loadavg)"
jq -r '.dead_links[].url' "$work/kp.json" | sort > "$work/found"
missed=$(comm -23 "$work/dead" "$work/found" | wc -l)
false_pos=$(comm -13 "$work/dead" "$work/found" | wc -l)
echo "kaoping：抓取 $crawled 页，死链 $(wc -l < "$work/found") 个（漏报 $missed，误报 $false_pos）"
echo "对比：wget2 / kaoping = $(printf '%.2f' "$(echo "$s_wget / $s_kp" | bc -l)")×（目标 ≥ 2），kaoping / floor = $(printf '%.2f' "$(echo "$s_kp / $s_floor" | bc -l)")×（目标 ≤ 1.5）"
[ "$missed" -eq 0 ] && [ "$false_pos" -eq 0 ] || exit 1

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
