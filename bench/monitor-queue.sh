#!/usr/bin/env bash
# Benchmark (not a test): one scheduling step of `monitor --queue-only`
# at KP_BENCH_SITES sites (default "2000 14000"), on SQLite and, when
# PostgreSQL's server programs are installed, on a throw-away cluster
# (scripts/pg-test.sh).  The sites are imported (sites import --units;
# their URLs are never fetched).
#
# So that the step's judging has real work (KP_BENCH_DATA=0: bare sites,
# as the first version of this benchmark had), each site also gets,
# written straight into the database: 11 days of probes, 20 a day (220
# per site; KP_BENCH_PER_DAY=144: every 10 minutes, the default interval,
# 1,584 per site, 1,008 in the 7-day window), ending before 2024-06-01 — every 10th site fails 1 probe in
# 16 (vetoed), every 10th + 1 fails 1 in 25 (warned), every 7th never
# changes its homepage (warned, since the first probe), the others change
# it at every probe; and one inspection in a round of the sites' units
# (as of 2024-05-30, a 14 KB JSON with 20 columns and 60 findings; every
# 5th site's has 4 blank columns, warned).  A step at 2024-05-31T23:50
# (each program on its copy, timed too) opens the warnings, so the three
# steps after it read them.
#
# The probes' hour and day counts (migration 24) and homepage runs (26)
# are filled from them as the migrations would, when the setting-up
# program's schema has those tables (a newer program's migration fills
# them otherwise).
#
# Then, for each program given (the same data, set up by the first
# program — the oldest, whose schema the later ones migrate — copied for
# each, so that programs are compared on identical databases in one run),
# three steps
# are timed with /usr/bin/time: the first (every site's slot queued), one
# 10 minutes later (every site's next slot queued) and the same time
# again (nothing to queue).  Prints wall, CPU (user + sys) and the load
# average for each, and whether the programs left the same warnings
# (every row: evidence, resolution) in the end.
#   bench/monitor-queue.sh [KAOPING_BINARY...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
progs=()
for p in "${@:-build/kaoping}"; do progs+=("$(realpath "$p")"); done
sizes=${KP_BENCH_SITES:-2000 14000}
data=${KP_BENCH_DATA:-1}
per_day=${KP_BENCH_PER_DAY:-20}   # probes a day (144: every 10 min, the default)
last=$((11 * per_day - 1))
tmp=$(mktemp -d)
pgdir=
cleanup() {
  [ -z "$pgdir" ] || bash "$root/scripts/pg-test.sh" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap "exit 1" INT TERM
cd "$tmp"

sites() { # N → sites.csv
  { printf '#meta,format,kaoping-table/1\n#meta,kind,units\n#meta,id,bench-sites\n#meta,title,排队测量\nname,type,aliases,website\n'
    seq "$1" | awk '{ printf "站%d,市级部门,,http://127.0.0.%d:8080/s%d/\n", $1, $1 % 200 + 1, $1 }'
  } > sites.csv
}

# The inspection's JSON: 20 columns (the first 4 blank when $1 is 1),
# 60 findings of padding (an inspection's JSON carries far more than the
# columns), about 14 KB.
summary() {
  awk -v blank="$1" 'BEGIN {
    printf "{\"site\":\"x\",\"pages\":200,\"columns\":["
    for (i = 1; i <= 20; i++) {
      b = blank && i <= 4
      printf "%s{\"name\":\"栏目%d\",\"class\":\"%s\",\"url\":\"http://x/c%d/\",\"status\":200,", (i > 1 ? "," : ""), i, (i % 2 ? "动态要闻" : "通知公告"), i
      printf "\"latest_date\":%s,\"date_source\":\"list\",\"items\":%d,\"blank\":%s}", (b ? "null" : "\"2024-05-2" (i % 9) "\""), (b ? 0 : 20), (b ? "true" : "false")
    }
    printf "],\"findings\":["
    for (i = 1; i <= 60; i++)
      printf "%s{\"check\":\"links\",\"key\":\"http://x/a/%d.html\",\"severity\":\"error\",\"message\":\"链接打不开（HTTP 404）：文章第 %d 篇的附件，页面 http://x/news/%d.html\",\"url\":\"http://x/a/%d.html\"}", (i > 1 ? "," : ""), i, i, i, i
    printf "],\"footer\":{\"ok\":true}}"
  }'
}

# SQL filling the probes and inspections; $1 the series of 0 … 11 ×
# per_day - 1
fill_sql() {
  local t0=$((1717200000 - 11 * 86400)) iv=$((86400 / per_day))
  cat <<EOF
INSERT INTO probes (site_id, sched, at, status, latency_ms, ok, error, hash, started_ms)
SELECT x.id, x.t, x.t, CASE WHEN x.bad = 1 THEN 503 ELSE 200 END, 50, 1 - x.bad,
  CASE WHEN x.bad = 1 THEN 'HTTP 503' ELSE '' END,
  CASE WHEN x.bad = 1 THEN '' WHEN x.id % 7 = 0 THEN 'h' ELSE 'h' || x.n END, 0
FROM (SELECT s.id, k.n, $t0 + k.n * $iv + s.id * 37 % $iv AS t,
        CASE WHEN s.id % 10 = 0 AND k.n % 16 = 15 THEN 1
             WHEN s.id % 10 = 1 AND k.n % 25 = 24 THEN 1 ELSE 0 END AS bad
      FROM sites s CROSS JOIN $1) x;
INSERT INTO inspections (round_id, unit_id, site, as_of, started_at, finished_at,
  pages, nfindings, summary, author)
SELECT u.round_id, u.id, s.url, '2024-05-30', '2024-05-30T01:00:00Z',
  '2024-05-30T01:05:00Z', 200, 60,
  CASE WHEN s.id % 5 = 0 THEN '$(summary 1)' ELSE '$(summary 0)' END, '测量'
FROM sites s JOIN units u ON u.name = s.unit ORDER BY s.id;
EOF
}

step() { # LABEL PROGRAM DB AS_OF
  /usr/bin/time -f '%e %U %S' -o t.out "$2" monitor --once --queue-only \
    --as-of "$4" --db "$3" >/dev/null 2>step.err ||
    { echo "$1：失败"; cat step.err; exit 1; }
  read -r w u s < t.out
  awk -v l="$1" -v w="$w" -v u="$u" -v s="$s" -v ld="$(cut -d' ' -f1-3 /proc/loadavg)" \
    -v q="$(grep -o '网站 [0-9]*，排队 [0-9]*\|新预警 [0-9]*\|恢复 [0-9]*' step.err | tr '\n' ' ')" 'BEGIN {
    printf "%-36s 墙钟 %6.2f s  CPU %6.2f s (%s + %s)  负载 %s  %s\n", l, w, u + s, u, s, ld, q }'
}

runs() { # NAME PROGRAM DB
  step "$1 首步（全部排队）" "$2" "$3" 2024-06-01T00:00
  step "$1 10 分钟后（全部排队）" "$2" "$3" 2024-06-01T00:10
  step "$1 同一时刻（无可排）" "$2" "$3" 2024-06-01T00:10
}

# the data of N sites into DB (PROGRAM: the one that sets up); $3 the
# series of 0 … 219 in the backend's SQL; $4 the SQL client
setup() { # PROGRAM DB SERIES CLIENT...
  local prog=$1 db=$2 series=$3
  shift 3
  "$prog" sites import --units sites.csv --db "$db" >/dev/null
  [ "$data" = 1 ] || return 0
  "$prog" eval new --table gov2019-web-check --units sites.csv --db "$db" \
    --name 测量 >/dev/null
  fill_sql "$series" > fill.sql
  # what a probe's row adds to when it is written by the program, here
  # from the probes written straight in, as the migrations fill them:
  # the hours' and days' counts (migration 24) and the homepage runs
  # (26), when the setting-up program's schema has them
  local v
  v=$("$@" <<< "SELECT 'v=' || MAX(version) FROM schema_version;" | grep -o 'v=[0-9]*')
  v=${v#v=}
  if [ "$v" -ge 24 ]; then
    cat >> fill.sql <<EOF
INSERT INTO probe_hours (site_id, hour, n, f)
SELECT site_id, sched / 3600, COUNT(*), SUM(CASE WHEN ok = 0 THEN 1 ELSE 0 END)
FROM probes GROUP BY site_id, sched / 3600;
INSERT INTO probe_days (site_id, day, n, f)
SELECT site_id, (hour + 8) / 24, SUM(n), SUM(f) FROM probe_hours GROUP BY site_id, (hour + 8) / 24;
EOF
  fi
  if [ "$v" -ge 26 ]; then
    cat >> fill.sql <<EOF
INSERT INTO site_home (site_id, hash, run_start, prev_end, last_ok, dirty)
SELECT x.site_id, x.hash, CASE WHEN x.prev_end IS NULL
  THEN (SELECT MIN(p.sched) FROM probes p WHERE p.site_id = x.site_id AND p.ok <> 0)
  ELSE (SELECT MIN(p.sched) FROM probes p WHERE p.site_id = x.site_id AND p.ok <> 0
    AND p.sched > x.prev_end) END, x.prev_end, x.last_ok, 0
FROM (SELECT y.site_id, y.last_ok, y.hash,
  (SELECT MAX(p.sched) FROM probes p WHERE p.site_id = y.site_id AND p.ok <> 0
    AND p.hash <> y.hash) AS prev_end
  FROM (SELECT lo.site_id, lo.last_ok, p.hash FROM
    (SELECT site_id, MAX(sched) AS last_ok FROM probes WHERE ok <> 0 GROUP BY site_id) lo
    JOIN probes p ON p.site_id = lo.site_id AND p.sched = lo.last_ok) y) x;
EOF
  fi
  "$@" < fill.sql >/dev/null
}

# the step before them, which opens the warnings (when there are data)
warm() { # LABEL PROGRAM DB
  [ "$data" = 1 ] || return 0
  step "$1 准备的一步（打开预警）" "$2" "$3" 2024-05-31T23:50
}

# what the steps left: every warning, its evidence and resolution; the
# programs given must leave the same
warnings_sql="SELECT id, site_id, rule, level, opened, evidence, resolved, resolved_evidence FROM warnings ORDER BY id"
same() { # LABEL PREFIX
  local i ok=是
  for i in "${!progs[@]}"; do cmp -s "${2}0.txt" "$2$i.txt" || ok=否; done
  echo "   $1：各程序留下的预警（$(wc -l < "${2}0.txt") 条，含证据与恢复）相同：$ok"
}

echo "== bench/monitor-queue.sh：$(nproc) 核，负载 $(cut -d' ' -f1-3 /proc/loadavg)，数据 ${data}，每站每天 ${per_day} 次探测"
for i in "${!progs[@]}"; do echo "   程序 $((i + 1))：${progs[$i]}"; done
pg=${KP_BENCH_PG:-}   # a server of one's own (libpq key=value), left as found but for q<N>
if [ -z "$pg" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  pgdir=$tmp/pg
  mkdir -p "$pgdir"; chmod 755 "$tmp" "$pgdir"
  pg=$(bash "$root/scripts/pg-test.sh" start "$pgdir/db" | tail -1)
fi
sqlite_series="(WITH RECURSIVE q(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM q WHERE n < $last) SELECT n FROM q) AS k"
for n in $sizes; do
  sites "$n"
  setup "${progs[0]}" "$tmp/s$n.db" "$sqlite_series" sqlite3 "$tmp/s$n.db"
  for i in "${!progs[@]}"; do
    cp "$tmp/s$n.db" "$tmp/s$n-$i.db"
    warm "SQLite $n 站 程序$((i + 1))" "${progs[$i]}" "$tmp/s$n-$i.db"
    runs "SQLite $n 站 程序$((i + 1))" "${progs[$i]}" "$tmp/s$n-$i.db"
    sqlite3 "$tmp/s$n-$i.db" "$warnings_sql" > "w-s$n-$i.txt"
    rm -f "$tmp/s$n-$i.db"*
  done
  same "SQLite $n 站" "w-s$n-"
  if [ -n "$pg" ]; then
    psql "$pg" -qc "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS q$n" \
      -c "CREATE DATABASE q$n" >/dev/null
    setup "${progs[0]}" "$pg dbname=q$n" "generate_series(0, $last) AS k(n)" \
      psql -q -v ON_ERROR_STOP=1 "$pg dbname=q$n"
    psql "$pg dbname=q$n" -qc "VACUUM ANALYZE" >/dev/null
    for i in "${!progs[@]}"; do
      psql "$pg" -qc "CREATE DATABASE q${n}_$i TEMPLATE q$n" >/dev/null
      warm "PostgreSQL $n 站 程序$((i + 1))" "${progs[$i]}" "$pg dbname=q${n}_$i"
      runs "PostgreSQL $n 站 程序$((i + 1))" "${progs[$i]}" "$pg dbname=q${n}_$i"
      psql -At "$pg dbname=q${n}_$i" -c "$warnings_sql" > "w-q$n-$i.txt"
      psql "$pg" -qc "DROP DATABASE q${n}_$i" >/dev/null
    done
    same "PostgreSQL $n 站" "w-q$n-"
  fi
done
