# kaoping worker: claims spread over hosts (issue 17, "per-host
# politeness at scale").  30 sites on one host (a 集约化 platform: sitegen's
# /polite/pN.html on 127.0.0.1, whose requests the server times) and 6
# sites each on a host of its own (127.0.0.2 … 127.0.0.7), a gap of 300
# ms per host and a worker of 8 places.  The 30 jobs of the one host are
# made the oldest in the queue, so that oldest-first alone would fill the
# places with them and leave the other hosts' jobs waiting some 7 s
# behind their gaps.  Spread over hosts, a worker holds at most 2 jobs of
# one host (1 + ⌈1000 / 300⌉ = 5, but no more than a quarter of its 8
# places): the other hosts' probes all start within the first second,
# while the one host's requests still keep their gap (the server's own
# clock) and take their 9 s, no longer for the cap.  Each probe is
# written once.  SQLite with one worker, PostgreSQL with two.

export KP_NO_PROGRESS=1
cc -O1 -o sitegen "$KP_ROOT/tools/sitegen.c" -lz || { echo "not ok - build sitegen"; exit 1; }
srvs=()
for h in 1 2 3 4 5 6 7; do
  ./sitegen serve "port$h" "127.0.0.$h" & srvs+=($!)
done
M=$(mktemp -d /dev/shm/kp-hosts-XXXXXX 2>/dev/null || mktemp -d ./hosts-XXXXXX)
trap 'kill "${srvs[@]}" 2>/dev/null; wait "${srvs[@]}" 2>/dev/null; rm -rf "$M"' EXIT
for h in 1 2 3 4 5 6 7; do
  for _ in $(seq 50); do [ -s "port$h" ] && break; sleep 0.1; done
done
H="http://127.0.0.1:$(cat port1)"
AT=2024-06-01T00:00
Q() { if [ "${DB#*=}" != "$DB" ]; then psql "$DB" -qAtc "$1"; else sqlite3 "$DB" "$1"; fi; }

{ printf '#meta,format,kaoping-table/1\n#meta,kind,units\n#meta,id,mon-hosts\n#meta,title,集约化平台\nname,type,aliases,website\n'
  for i in $(seq 30); do echo "平台$i,市级部门,,$H/polite/p$i.html"; done
  for i in 2 3 4 5 6 7; do echo "独立$i,市级部门,,http://127.0.0.$i:$(cat "port$i")/mon/slow/20/o$i"; done
} > hosts.csv

spread() { # LABEL WORKERS PARALLEL
  local ws=() first others last
  K sites import --units hosts.csv --db "$DB" >/dev/null
  check test "$(Q "SELECT COUNT(DISTINCT host) || ' ' || SUM(CASE WHEN host = 'http://127.0.0.2:$(cat port2)' THEN 1 ELSE 0 END) FROM sites")" = "7 1" -- "$1: sites import stores each site's host key (7 hosts)"
  K monitor --once --as-of $AT --queue-only --db "$DB" 2>/dev/null
  # the platform's 30 jobs the oldest; the keys forgotten, as for sites
  # added before migration 23: the worker fills them in
  Q "UPDATE jobs SET sched = sched - 600 WHERE site_id IN (SELECT id FROM sites WHERE url LIKE '%/polite/%')" >/dev/null
  Q "UPDATE sites SET host = NULL" >/dev/null
  check test "$(Q "SELECT COUNT(*) FROM jobs WHERE state = 'queued'")" = 36 -- "$1: 36 probes queued"
  curl -s "$H/stats/reset" >/dev/null
  for k in $(seq "$2"); do
    "$KAOPING" worker --db "$DB" --name "w$k" --as-of $AT --parallel "$3" --host-gap-ms 300 --timeout-ms 5000 --idle-exit 2>"w$k.err" & ws+=($!)
  done
  wait "${ws[@]}"
  curl -s "$H/stats/polite" > stats
  check test "$(Q "SELECT COUNT(*) || ' ' || COUNT(DISTINCT site_id) || ' ' || SUM(ok) FROM probes")" = "36 36 36" -- "$1: every site probed once, all answered"
  check test "$(Q "SELECT COUNT(*) FROM jobs WHERE state = 'done'")" = 36 -- "$1: …all 36 jobs done"
  check test "$(Q "SELECT COUNT(*) FROM sites WHERE host IS NULL")" = 0 -- "$1: …the sites' host keys filled by the worker"
  first=$(Q "SELECT MIN(started_ms) FROM probes")
  others=$(Q "SELECT MAX(p.started_ms) FROM probes p JOIN sites s ON s.id = p.site_id WHERE s.url LIKE '%/mon/slow/%'")
  last=$(Q "SELECT MAX(p.started_ms) FROM probes p JOIN sites s ON s.id = p.site_id WHERE s.url LIKE '%/polite/%'")
  check test $((others - first)) -le 1000 -- "$1: the 6 other hosts' probes all started within the first second, not behind the platform's older jobs ($((others - first)) ms)"
  check test $((last - first)) -ge 8700 -- "$1: …while the platform's 30 took their 29 gaps of 300 ms ($((last - first)) ms)"
  check test $((last - first)) -le 10500 -- "$1: …and hardly more: the cap does not leave the host idle"
  Q "SELECT p.started_ms FROM probes p JOIN sites s ON s.id = p.site_id WHERE s.url LIKE '%/polite/%' ORDER BY 1" > starts
  check test "$(awk 'NR > 1 { d = $1 - p; if (m == "" || d < m) m = d } { p = $1 } END { print (m >= 300) ? "yes" : "no " m }' starts)" = yes -- "$1: …no two of its recorded starts closer than 300 ms"
  # (the server's clock lags the client's take a little, more on a
  # loaded machine: test_monitor_inspect.sh's 100 ms of slack)
  check test "$(awk '$1 == "requests" {print $2}' stats)" = 30 -- "$1: …the platform's server saw its 30 requests"
  check test "$(awk '$1 == "min_gap_ms" {print $2}' stats)" -ge 200 -- "$1: …never two closer than the gap by its own clock ($(awk '$1 == "min_gap_ms" {print $2}' stats) ms)"
  check test "$(awk '$1 == "max_active" {print $2}' stats)" = 1 -- "$1: …one at a time"
}
DB=$M/hosts.db spread sqlite 1 8
on_postgresql kp_monitor_hosts spread postgresql 2 8
