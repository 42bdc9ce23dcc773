# kaoping sites / monitor / monitor report: continuous monitoring
# simulated with steps as if at given times (--once --as-of, and
# --as-of … --until for a run of them) against homepages served by
# tools/sitegen.c under /mon/, whose failures and edits follow the count
# of requests (see sitegen.c).  A week at 20 probes a day: a site failing
# 1 probe in 16 (6%) is vetoed, one failing 1 in 25 (4%) is warned, not
# vetoed.  Over 15 days at 4 probes a day: a homepage unchanged 11 days is
# warned, one unchanged 15 days fails; a warning reaches a local webhook
# once and once more when resolved.

export KP_NO_PROGRESS=1
cc -O1 -o sitegen "$KP_ROOT/tools/sitegen.c" -lz || { echo "not ok - build sitegen"; exit 1; }
./sitegen serve port & srv=$!
timeout 300 python3 "$KP_ROOT/tests/monitor/webhook.py" hookport hook.log & hook=$!
# The simulations' stores on tmpfs when there is one: thousands of
# commits, and their fsyncs are not what is tested here.
M=$(mktemp -d /dev/shm/kp-monitor-XXXXXX 2>/dev/null || mktemp -d ./mon-XXXXXX)
trap 'kill $srv $hook 2>/dev/null; wait $srv $hook 2>/dev/null; rm -rf "$M"' EXIT
for _ in $(seq 50); do [ -s port ] && [ -s hookport ] && break; sleep 0.1; done
S="http://127.0.0.1:$(cat port)"
W="http://127.0.0.1:$(cat hookport)/hook"
J() { jq -r "$1" _out; }
has() { # has JQ-FILTER what: the filter yields true
  if [ "$(jq -r "$1" _out 2>/dev/null)" = "true" ]; then _ok "$2"; else _notok "$2 ($1)"; fi
}

# ---- sites ---------------------------------------------------------------------
DB=sites.db
run sites add 甲局 "$S/mon/every/16/" --db $DB
expect_status 0 "sites add: a website"
expect_out "已加入监测：1  甲局  $S/mon/every/16/（网站）" "…said with its number"
run sites add 乙局 "$S/mon/every/16/" --db $DB
expect_status 2 "sites add: a URL kept already is refused"
expect_err "网址“$S/mon/every/16/”已在监测的网站中（编号 1）" "…naming the URL and its number"
run sites add 乙局 gov-weixin --kind 公众号 --db $DB
expect_status 2 "sites add: an unknown kind is refused"
run sites add 乙局 www.example.gov.cn --db $DB
expect_status 2 "sites add: a website without http:// is refused"
run sites add 乙局 "微信公众号：乙局发布" --kind 政务新媒体 --db $DB
expect_status 0 "sites add: a 政务新媒体 account is kept as a record"
run sites list --db $DB --json
has '[.[] | [.id, .unit, .kind]] == [[1, "甲局", "网站"], [2, "乙局", "政务新媒体"]]' "sites list --json: both, in order, with their kinds"
run sites list --db $DB --unit 乙局
expect_out "微信公众号：乙局发布" "sites list --unit: the unit's"
check test "$(grep -c 甲局 _out)" = 0 -- "…and no other unit's"
run monitor --once --as-of 2024-06-01T00:00 --db $DB --timeout-ms 2000
expect_status 0 "monitor --once: one step"
check test "$(sqlite3 $DB 'SELECT COUNT(*) FROM probes WHERE site_id = 1')" = 1 -- "…probes the website once"
check test "$(sqlite3 $DB 'SELECT COUNT(*) FROM probes WHERE site_id = 2')" = 0 -- "…and not the 政务新媒体 account"
run monitor --once --as-of 2024-06-01T00:00 --db $DB --timeout-ms 2000
check test "$(sqlite3 $DB 'SELECT COUNT(*) FROM probes')" = 1 -- "a second step at the same time probes nothing"
run monitor --once --as-of 2024-06-01T00:10 --db $DB --timeout-ms 2000
check test "$(sqlite3 $DB 'SELECT COUNT(*) FROM probes')" = 2 -- "…the step at the next slot probes again"
check test "$(sqlite3 $DB "SELECT COUNT(DISTINCT sched % 600) FROM probes")" = 1 -- "…on the site's own offset in the interval"
run monitor --as-of 2024-06-01 --db $DB
expect_status 2 "monitor --as-of without --once or --until is refused"

# the service: steps at the real time until SIGTERM, then a clean exit
"$KAOPING" monitor --db $DB --tick 1 --timeout-ms 2000 2>svc.err & svc=$!
for _ in $(seq 100); do grep -q 排队 svc.err && break; sleep 0.1; done
kill -TERM $svc; wait $svc; STATUS=$?
expect_status 0 "monitor (service): SIGTERM ends it with status 0"
check grep -q "收到停止信号，已退出" svc.err -- "…saying so on stderr"
check grep -q "探测 1（失败 0）" svc.err -- "…after a step that probed the website at the real time"

# sites from a unit registry's website column
cat > units.csv <<UNITS
#meta,format,kaoping-table/1
#meta,kind,units
#meta,id,mon-units
#meta,title,监测用例的单位
name,type,aliases,website
甲局,市级部门,甲,$S/mon/every/16/
乙局,市级部门,,http://yi.example.gov.cn/、http://yi2.example.gov.cn/
丙局,市级部门,,
UNITS
run sites import --units units.csv --db $DB
expect_status 0 "sites import --units: a registry's websites"
expect_out "新加入监测 2 个网站，已在监测 1 个" "…two new (乙局's two), one kept already (甲局's)"
run sites list --db $DB --unit 乙局 --json
has '[.[] | .url] == ["微信公众号：乙局发布", "http://yi.example.gov.cn/", "http://yi2.example.gov.cn/"]' "…each of a cell's URLs a site of its unit"
run sites import --units "$KP_ROOT/tests/store/data/hand-table.csv" --db $DB
expect_status 2 "sites import --units: a table that is not a registry with websites is refused"

# ---- availability over a week: 20 probes a day ---------------------------------
DB=$M/week.db
K sites add 六局 "$S/mon/every/16/x" --db $DB >/dev/null
K sites add 四局 "$S/mon/every/25/" --db $DB >/dev/null
run monitor --as-of 2024-06-01T01:12 --until 2024-06-08T00:00 --interval 4320 --timeout-ms 3000 --db $DB
expect_status 0 "a week simulated (140 steps)"
run monitor report --from 2024-06-01 --to 2024-06-07 --interval 4320 --db $DB --json
expect_status 0 "monitor report --json"
has '[.sites[] | .probes] == [140, 140]' "140 probes a site (20 a day for 7 days)"
has '.sites[0].failures == 8 and .sites[0].availability == 94.29' "1 in 16 fails: 8 failures, 94.29% available"
has '.sites[0].veto == true and .sites[0].verdicts[0].veto == true and .sites[0].verdicts[0].level == "veto" and .sites[0].verdicts[0].failure_percent == 5.71' "…5.71% ≥ 5%: 单项否决"
has '.sites[0].verdicts[0].text | test("5%")' "…with the rule's text"
has '.sites[1].failures == 5 and .sites[1].availability == 96.43 and .sites[1].veto == false and .sites[1].verdicts[0].level == "warning"' "1 in 25 fails: 3.57%, warned, not vetoed"
has '[.sites[0].warnings[] | [.rule, .level]] == [["availability", "veto"]]' "the 6% site's warning, at the veto level"
has '[.sites[1].warnings[] | [.rule, .level]] == [["availability", "warning"]]' "the 4% site's warning"
has '.sites[1].warnings[0].evidence.probes >= 20 and (.sites[1].warnings[0].evidence.failures * 100 / .sites[1].warnings[0].evidence.probes) >= 3' "…with its evidence (its window's probes and failures, ≥ 3%)"
run monitor report --site "$S/mon/every/25/" --from 2024-06-01 --to 2024-06-07 --interval 4320 --db $DB
expect_out "可用率 96.43%" "monitor report --site: text, availability"
expect_out "首页可用性：预警（7 天 140 次探测，失败 5 次）" "…the verdict in words"
run monitor report --unit 六局 --from 2024-06-01 --to 2024-06-07 --interval 4320 --db $DB --json
has '[.sites[] | .unit] == ["六局"]' "monitor report --unit: that unit's sites"
run monitor report --site nosuch --from 2024-06-01 --to 2024-06-07 --db $DB
expect_status 2 "monitor report: an unknown site exits 2"
run monitor report --from 2024-06-07 --to 2024-06-01 --db $DB
expect_status 2 "monitor report: --to before --from exits 2"
check test "$(sqlite3 $DB 'SELECT COUNT(*) FROM jobs')" = "$(sqlite3 $DB 'SELECT COUNT(*) FROM probes')" -- "every probe came from a job"
check test "$(sqlite3 $DB "SELECT COUNT(*) FROM jobs WHERE state <> 'done'")" = 0 -- "…and every job is done"
run monitor --once --as-of 2024-06-07T23:00 --interval 4320 --db $DB
check test "$(sqlite3 $DB 'SELECT COUNT(*) FROM probes')" = 280 -- "a step again at a time already stepped probes nothing twice"

# ---- monitoring's verdicts as facts of a round (source 检测) -------------------------
cat > mu.csv <<UNITS
#meta,format,kaoping-table/1
#meta,kind,units
#meta,id,mon-week-units
#meta,title,监测一周的单位
name,type,aliases
六局,市级部门,
四局,市级部门,
UNITS
K eval new --table gov2019-web-check --units mu.csv --db $DB --name mon >/dev/null
run monitor facts --round mon --from 2024-06-01 --to 2024-06-07 --interval 4320 --db $DB -o mf.csv
expect_status 0 "monitor facts exits 0"
expect_err "监测判定为事实 1 条" "…one fact: the vetoed site's (the warned one gives none)"
check grep -qF "六局,gov2019-web-check,2,veto,,,inspect,kaoping monitor,2024-06-07,$S/mon/every/16/x,网站监测：2024-06-01T00:00:00Z 至 2024-06-07T23:59:59Z 探测 140 次，首页无法访问 8 次（5.71%），达单项否决线 5%" mf.csv -- "…a veto of source 检测 on 首页可用性 (item 2 of gov2019-web-check), the site and its figures as evidence"
run eval facts add mf.csv --db $DB
expect_status 0 "eval facts add takes monitoring's facts"
K eval score --db $DB >/dev/null
run eval rank --db $DB --json
has '[.results[] | select(.unit == "六局") | .vetoed] == [true]' "eval score: 六局 vetoed in the round by monitoring"
has '[.results[] | select(.unit == "四局") | .vetoed] == [false]' "eval score: 四局 (warned, not vetoed) is not"

# ---- the homepage over 15 days, 4 probes a day; notifications --------------------
DB=$M/home.db
K sites add 静局 "$S/mon/slow/0/" --db $DB >/dev/null
K sites add 改局 "$S/mon/edit/19/100000/" --db $DB >/dev/null
K sites add 复局 "$S/mon/edit/2/50/" --db $DB >/dev/null
run monitor --as-of 2024-06-01T00:00 --until 2024-06-16T12:00 --interval 21600 --timeout-ms 3000 --webhook "$W" --db $DB
expect_status 0 "15 days simulated with a webhook"
run monitor report --from 2024-06-01 --to 2024-06-16T12:00 --interval 21600 --db $DB --json
has '.sites[0].verdicts[1] | .unchanged_days == 15 and .veto == true and .level == "veto" and .since_first_probe == true' "a homepage unchanged 15 days fails"
has '.sites[0].veto == true' "…and its site is vetoed"
has '.sites[1].verdicts[1] | .unchanged_days == 11 and .veto == false and .level == "warning"' "a homepage unchanged 11 days is warned, not failed"
has '.sites[2].verdicts[1] | .level == "ok" and .unchanged_days == 0' "a homepage that changed again is ok"
has '[.sites[2].warnings[] | [.rule, (.resolved != null)]] == [["homepage", true]]' "…its warning resolved"
check test "$(wc -l < hook.log)" = 5 -- "five notifications: 3 openings, 1 raised to veto, 1 resolution"
jq -s . hook.log > _out
has '[.[] | select(.site | endswith("/mon/edit/2/50/")) | .event] == ["opened", "resolved"]' "the resolved warning: notified once when opened, once when resolved"
has '[.[] | select(.site | endswith("/mon/slow/0/")) | [.event, .level]] == [["opened", "warning"], ["raised", "veto"]]' "the 15-day site: a warning, then raised to veto"
has '[.[] | select(.site | endswith("/mon/edit/19/100000/")) | .event] == ["opened"]' "the 11-day site: one opening"
has '.[0] | .rule == "homepage" and .title == "首页更新" and .unit == "静局" and (.evidence.unchanged_days >= 10) and (.text | test("预警"))' "a notification names the unit, the rule and its evidence"
has '[.[] | select(.event == "resolved")][0] | .evidence.unchanged_days == 0 and (.text | test("已恢复"))' "a resolution carries the evidence that it is over"
run monitor --once --as-of 2024-06-16T18:00 --interval 21600 --webhook "$W" --db $DB
check test "$(wc -l < hook.log)" = 5 -- "a further step sends nothing again"

# ---- the same warnings by e-mail (SMTP), once each -------------------------------
timeout 300 python3 "$KP_ROOT/tests/monitor/smtp.py" smtpport mail.log & smtpd=$!
for _ in $(seq 50); do [ -s smtpport ] && break; sleep 0.1; done
SM="smtp://127.0.0.1:$(cat smtpport)"
DB=$M/mail.db
K sites add 静局 "$S/mon/slow/0/mail" --db $DB >/dev/null
K sites add 复局 "$S/mon/edit/2/50/mail" --db $DB >/dev/null
run monitor --as-of 2024-06-01T00:00 --until 2024-06-16T12:00 --interval 21600 --timeout-ms 3000 --smtp "$SM" --db $DB
expect_status 2 "monitor --smtp without --mail-from/--mail-to is refused"
run monitor --as-of 2024-06-01T00:00 --until 2024-06-16T12:00 --interval 21600 --timeout-ms 3000 --smtp "$SM" --mail-from jk@x.gov.cn --mail-to "a@x.gov.cn,b@x.gov.cn" --db $DB
expect_status 0 "15 days simulated with e-mail notifications"
check test "$(wc -l < mail.log)" = 4 -- "four e-mails: 2 openings, 1 raised to veto, 1 resolution"
jq -s . mail.log > _out
has '[.[] | .subject] == ["【网站监测】静局 首页更新：预警", "【网站监测】复局 首页更新：预警", "【网站监测】复局 首页更新：已恢复", "【网站监测】静局 首页更新：已达单项否决线"]' "each e-mail's Chinese subject names the unit, the rule and the event, in order"
has '.[0] | .from == "jk@x.gov.cn" and .to == ["a@x.gov.cn", "b@x.gov.cn"]' "…from the office's address to each recipient"
has '.[1].body | test("单位：复局") and test("网站：http://127.0.0.1:[0-9]+/mon/edit/2/50/mail") and test("事件：发现预警") and test("事件：发现预警，2024-06-11T06:00:00Z") and test("证据：首页最后一次变化 2024-06-01T[0-9:]+Z，至 2024-06-11T06:00:00Z 已 10 天未更新")' "…the body gives the evidence: the last change and the days unchanged"
has '.[3].body | test("事件：升为单项否决，2024-06-15T00:00:00Z") and test("（自首次探测起未变），至 2024-06-15T00:00:00Z 已 14 天未更新")' "the raised warning's e-mail: 14 days unchanged, 单项否决, when it was raised"
has '.[2].body | test("事件：预警解除，2024-06-13T06:00:00Z") and test("已 0 天未更新") and test("预警编号：2")' "the resolution's e-mail: changed again, the same warning's number"
run monitor --once --as-of 2024-06-16T18:00 --interval 21600 --smtp "$SM" --mail-from jk@x.gov.cn --mail-to a@x.gov.cn --db $DB
check test "$(wc -l < mail.log)" = 4 -- "a further step mails nothing again"
kill $smtpd 2>/dev/null; wait $smtpd 2>/dev/null

# a fresh site server for what follows: the one above stops itself after
# 300 s, which a loaded machine can reach by now (only /mon/slow/ below:
# no request counts are carried over)
kill $srv 2>/dev/null; wait $srv 2>/dev/null
./sitegen serve port2 & srv=$!
for _ in $(seq 50); do [ -s port2 ] && break; sleep 0.1; done
S="http://127.0.0.1:$(cat port2)"

# ---- workers on PostgreSQL: a job whose worker dies is taken again ---------------
pg_workers() {
  local a b
  K sites add 慢局 "$S/mon/slow/2000/" --db "$DB" >/dev/null
  run monitor --once --as-of 2024-06-01T00:00 --queue-only --db "$DB"
  expect_status 0 "postgresql: monitor --queue-only queues the due probe"
  check test "$(psql "$DB" -qAtc "SELECT COUNT(*) FROM jobs WHERE state = 'queued'")" = 1 -- "postgresql: one job queued, none probed"
  "$KAOPING" worker --db "$DB" --name A --as-of 2024-06-01T00:00 --lease 8 --timeout-ms 6000 --idle-exit 2>a.err & a=$!
  for _ in $(seq 100); do
    [ "$(psql "$DB" -qAtc "SELECT worker FROM jobs WHERE state = 'leased'")" = A ] && break; sleep 0.05
  done
  kill -9 $a; wait $a 2>/dev/null
  check test "$(psql "$DB" -qAtc "SELECT worker || ' ' || state FROM jobs")" = "A leased" -- "postgresql: worker A killed (SIGKILL) mid-probe holds the job"
  run worker --db "$DB" --name B --as-of 2024-06-01T00:00 --timeout-ms 2500 --idle-exit
  expect_err "探测 0 次" "postgresql: worker B does not take a job under a live lease"
  # A's lease is 8 s (renewed each second until it was killed): wait for
  # it to run out
  # (in whole seconds, as workers read the clock)
  for _ in $(seq 150); do
    [ "$(psql "$DB" -qAtc "SELECT lease_until < FLOOR(EXTRACT(EPOCH FROM now())) FROM jobs")" = t ] && break; sleep 0.1
  done
  run worker --db "$DB" --name B --as-of 2024-06-01T00:00 --timeout-ms 2500 --idle-exit
  expect_err "探测 1 次（失败 0 次）" "postgresql: after the lease, worker B takes the job and probes"
  check test "$(psql "$DB" -qAtc "SELECT worker || ' ' || state || ' ' || attempts FROM jobs")" = "B done 2" -- "postgresql: the job is B's, done, on its second attempt"
  check test "$(psql "$DB" -qAtc "SELECT COUNT(*) || ' ' || MIN(status) FROM probes")" = "1 200" -- "postgresql: the probe is recorded exactly once"
  # many jobs, two workers at once: each probe once
  for i in 1 2 3 4 5 6; do K sites add "站$i" "$S/mon/slow/$((i * 50))/" --db "$DB" >/dev/null; done
  K monitor --once --as-of 2024-06-01T00:10 --queue-only --db "$DB" 2>/dev/null
  "$KAOPING" worker --db "$DB" --name C --as-of 2024-06-01T00:10 --idle-exit 2>c.err & a=$!
  "$KAOPING" worker --db "$DB" --name D --as-of 2024-06-01T00:10 --idle-exit 2>d.err & b=$!
  wait $a $b
  check test "$(psql "$DB" -qAtc "SELECT COUNT(*) FROM probes")" = 8 -- "postgresql: two workers at once: 8 probes for 8 jobs (7 sites, 慢局 twice)"
  check test "$(psql "$DB" -qAtc "SELECT COUNT(*) FROM jobs WHERE state <> 'done'")" = 0 -- "postgresql: …every job done"
  check test "$(psql "$DB" -qAtc "SELECT COUNT(*) FROM (SELECT site_id, sched FROM probes GROUP BY 1, 2 HAVING COUNT(*) > 1) x")" = 0 -- "postgresql: …no probe twice"
  run monitor report --db "$DB" --from 2024-05-31 --to 2024-06-01 --json
  has '([.sites[] | .probes] | add) == 8 and .sites[0].url == "'"$S"'/mon/slow/2000/" and .sites[0].probes == 2' "postgresql: monitor report reads the probes"
}
on_postgresql kp_monitor pg_workers

# ---- a job longer than its lease: renewed while it runs, done once --------------
pg_lease_renewal() {
  local a
  K sites add 长局 "$S/mon/slow/8000/" --db "$DB" >/dev/null
  K monitor --once --as-of 2024-06-01T00:00 --queue-only --db "$DB" 2>/dev/null
  "$KAOPING" worker --db "$DB" --name A --as-of 2024-06-01T00:00 --lease 2 --timeout-ms 12000 --idle-exit 2>a.err & a=$!
  for _ in $(seq 100); do
    [ "$(psql "$DB" -qAtc "SELECT worker FROM jobs WHERE state = 'leased'")" = A ] && break; sleep 0.05
  done
  # the probe takes 8 s: 3.5 s into it, a 2-s lease not renewed is over
  sleep 3.5
  run worker --db "$DB" --name B --as-of 2024-06-01T00:00 --lease 2 --timeout-ms 12000 --idle-exit
  expect_err "探测 0 次" "postgresql: an 8-s probe under a 2-s lease is not claimed by another worker 3.5 s in (A renews its lease)"
  check test "$(psql "$DB" -qAtc "SELECT worker || ' ' || state FROM jobs")" = "A leased" -- "postgresql: …the job is still A's, in progress"
  wait $a
  check grep -q "探测 1 次（失败 0 次）" a.err -- "postgresql: …A finishes the probe"
  check test "$(psql "$DB" -qAtc "SELECT worker || ' ' || state || ' ' || attempts FROM jobs")" = "A done 1" -- "postgresql: …the job is done by A on its only attempt"
  check test "$(psql "$DB" -qAtc "SELECT COUNT(*) || ' ' || MIN(status) FROM probes")" = "1 200" -- "postgresql: …and probed once"
}
on_postgresql kp_monitor_lease pg_lease_renewal

# ---- batches and politeness across workers -------------------------------------
# a unit registry of N units, each with a site on the one test server
# (delays of 0–80 ms), into batch.csv
units_file() { # N TAG
  { printf '#meta,format,kaoping-table/1\n#meta,kind,units\n#meta,id,mon-batch\n#meta,title,批量\nname,type,aliases,website\n'
    for i in $(seq "$1"); do echo "$2$i,市级部门,,$S/mon/slow/$(( i % 5 * 20 ))/$2$i"; done; } > batch.csv
}
Q() { if [ "${DB#*=}" != "$DB" ]; then psql "$DB" -qAtc "$1"; else sqlite3 "$DB" "$1"; fi; }

# two workers claim in batches (up to --parallel at once): 200 jobs, each
# probed exactly once, on its first attempt
batches() { # LABEL
  local a b
  units_file 200 批
  K sites import --units batch.csv --db "$DB" >/dev/null
  K monitor --once --as-of 2024-06-01T00:00 --queue-only --db "$DB" 2>/dev/null
  check test "$(Q "SELECT COUNT(*) FROM jobs WHERE state = 'queued'")" = 200 -- "$1: 200 jobs queued"
  "$KAOPING" worker --db "$DB" --name C --as-of 2024-06-01T00:00 --parallel 16 --timeout-ms 5000 --idle-exit 2>c.err & a=$!
  "$KAOPING" worker --db "$DB" --name D --as-of 2024-06-01T00:00 --parallel 16 --timeout-ms 5000 --idle-exit 2>d.err & b=$!
  wait $a $b
  check test "$(Q "SELECT COUNT(*) || ' ' || SUM(ok) || ' ' || COUNT(DISTINCT site_id) FROM probes")" = "200 200 200" -- "$1: two workers in batches: 200 probes, all answered, one a site"
  check test "$(Q "SELECT COUNT(*) || ' ' || MAX(attempts) FROM jobs WHERE state = 'done'")" = "200 1" -- "$1: …every job done, each on its one attempt (no job taken twice)"
  check test "$(cat c.err d.err | grep -o '探测 [0-9]* 次' | awk '{s += $2} END {print s}')" = 200 -- "$1: …the workers' own counts add up to 200"
}
on_postgresql kp_monitor_batch batches postgresql
DB=$M/batch.db batches sqlite

# two workers, 16 sites on one host (scheme://host:port), a gap of 300 ms:
# the requests' recorded starts are never closer than the gap
politeness() { # LABEL
  local a b
  units_file 16 礼
  K sites import --units batch.csv --db "$DB" >/dev/null
  K monitor --once --as-of 2024-06-01T00:00 --queue-only --db "$DB" 2>/dev/null
  "$KAOPING" worker --db "$DB" --name C --as-of 2024-06-01T00:00 --parallel 8 --host-gap-ms 300 --idle-exit 2>c.err & a=$!
  "$KAOPING" worker --db "$DB" --name D --as-of 2024-06-01T00:00 --parallel 8 --host-gap-ms 300 --idle-exit 2>d.err & b=$!
  wait $a $b
  check test "$(Q "SELECT COUNT(*) || ' ' || COUNT(DISTINCT worker) FROM jobs WHERE state = 'done'")" = "16 2" -- "$1: politeness: 16 jobs done by both workers"
  check test "$(Q "SELECT COUNT(*) FROM probes WHERE started_ms > 0")" = 16 -- "$1: …each probe's start recorded"
  Q "SELECT started_ms FROM probes ORDER BY started_ms" > starts
  check test "$(awk 'NR > 1 { d = $1 - p; if (m == "" || d < m) m = d } { p = $1 } END { print (m >= 300) ? "yes" : "no " m }' starts)" = yes -- "$1: …no two requests to the host closer than 300 ms, whichever worker made them"
  check test "$(Q "SELECT COUNT(*) FROM hosts")" = 1 -- "$1: …one host in the store's politeness table"
}
on_postgresql kp_monitor_polite politeness postgresql
DB=$M/polite.db politeness sqlite
