# kaoping monitor: column checks between two full inspections (issue 17:
# "the homepage/column freshness checks between them").  tools/sitegen.c
# serves /mcol/ as mcol.conf says.  Inspected as of 2024-06-05 (5 columns
# of 动态要闻 dated 06-05 … 06-01, 4 blank), monitored without column
# checks (--columns-every 0): 空白栏目 is a warning at once, 栏目更新 on
# 06-19.  Then the site changes: 4 columns get an article dated 06-22,
# two blank columns are filled, and the fifth column's page answers 503.
# On 06-22 a step with the default schedule (no full inspection: no
# --round) runs a column check: it fetches the homepage and the 9 column
# pages only, dates them with the inspector's code, and both warnings
# resolve (each notified once) with the check named in the evidence; the
# column the check could not open keeps the inspection's value (06-01,
# 21 days).  SQLite, and PostgreSQL when KP_TEST_PG names a server.

export KP_NO_PROGRESS=1 USER=检测员
cc -O1 -o sitegen "$KP_ROOT/tools/sitegen.c" -lz || { echo "not ok - build sitegen"; exit 1; }
./sitegen serve port & srv=$!
timeout 300 python3 "$KP_ROOT/tests/monitor/webhook.py" hookport hook.log & hook=$!
timeout 300 python3 "$KP_ROOT/tests/monitor/smtp.py" smtpport mail.log & smtpd=$!
trap 'kill $srv $hook $smtpd 2>/dev/null; wait $srv $hook $smtpd 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s port ] && [ -s hookport ] && [ -s smtpport ] && break; sleep 0.1; done
S="http://127.0.0.1:$(cat port)"
W="http://127.0.0.1:$(cat hookport)/hook"
has() { # has JQ-FILTER what: the filter yields true
  if [ "$(jq -r "$1" _out 2>/dev/null)" = "true" ]; then _ok "$2"; else _notok "$2 ($1)"; fi
}
# a step with no column checks, and one with the default schedule
M0() { run monitor --once --as-of "$1" --interval 86400 --timeout-ms 3000 --webhook "$W" --columns-every 0 --db "$DB"; }
M() { run monitor --once --as-of "$1" --interval 86400 --timeout-ms 3000 --webhook "$W" --db "$DB" "${@:2}"; }
notices() { grep '"rule":"column_' hook.log | jq -s . > _out; }

cat > cu.csv <<UNITS
#meta,format,kaoping-table/1
#meta,kind,units
#meta,id,col-units
#meta,title,栏目检查的单位
name,type,aliases
栏局,市级部门,
UNITS

suite() {
  be=$1
  echo "# ---- backend: $be"
  : > hook.log
  echo "2024-06-05 5 4" > mcol.conf
  K eval new --table gov2019-web-check --units cu.csv --db "$DB" --name col >/dev/null
  K sites add 栏局 "$S/mcol/" --db "$DB" >/dev/null

  # ---- no inspection yet: no column check is queued -------------------------
  M 2024-06-04T04:00
  expect_status 0 "$be: a step before any inspection"
  if grep -qF '栏目检查' _err; then _notok "$be: …queues no column check (no inspection to base it on)"; else _ok "$be: …queues no column check (no inspection to base it on)"; fi

  run inspect "$S/mcol/" --as-of 2024-06-05 --timeout 1 --retries 0 --db "$DB" --round col --unit 栏局 --json
  has '.inspection.id == 1 and .pages_crawled == 15 and ([.columns[] | select(.class == "动态要闻")] | length) == 5 and ([.columns[] | select(.blank)] | length) == 4' "$be: inspected: 15 pages (homepage, 9 columns, 5 articles), 5 columns of 动态要闻, 4 blank"

  # ---- from the inspection alone (--columns-every 0) -------------------------
  M0 2024-06-05T04:00
  notices
  has 'length == 1 and .[0].rule == "column_blank" and .[0].event == "opened" and .[0].evidence.source == "检测" and .[0].evidence.blank == 4 and (.[0].evidence | has("column_check") | not)' "$be: --columns-every 0: 4 blank columns from inspection 1 (source 检测): a warning"
  M0 2024-06-19T04:00
  notices
  has 'length == 2 and .[1].rule == "column_update" and .[1].event == "opened" and .[1].evidence.stale == 4 and .[1].evidence.source == "检测"' "$be: 2024-06-19: 4 stale columns from the inspection: a warning"

  # ---- the site changes; a column check on 06-22 sees it ---------------------
  # 4 columns dated 06-22 … 06-19, 2 of the 4 blank ones filled (06-22),
  # the fifth column (要闻戊) answers 503
  echo "2024-06-22 5 4 2 1" > mcol.conf
  : > mail.log
  M 2024-06-22T04:00 --smtp "smtp://127.0.0.1:$(cat smtpport)" --mail-from jk@x.gov.cn --mail-to a@x.gov.cn
  expect_status 0 "$be: 2024-06-22: a step with the default schedule"
  expect_err "栏目检查：排队 1，完成 1（抓取页面 10 个），未能检查 0" "$be: …ran one column check of 10 pages (homepage and 9 columns; the inspection fetched 15)"
  if grep -qF '整站检测' _err; then _notok "$be: …and no full inspection"; else _ok "$be: …and no full inspection"; fi
  notices
  has 'length == 4 and ([.[2:][] | .rule + " " + .event] | sort) == ["column_blank resolved", "column_update resolved"]' "$be: both warnings resolved by the column check, each notified once"
  has '[.[2:][] | .evidence.source, .evidence.column_check, .evidence.inspection, .evidence.checked_columns] == ["栏目检查", 1, 1, 8, "栏目检查", 1, 1, 8]' "$be: …the evidence names column check 1 (based on inspection 1, 8 columns opened)"
  has '[.[2:][] | .evidence.checked | . >= "2024-06-21T22:00:00Z" and . <= "2024-06-22T04:00:00Z"] == [true, true]' "$be: …with its time (its slot, within the 6 hours before the step)"
  has '[.[] | select(.event == "resolved" and .rule == "column_update") | .evidence | .stale, (.columns[] | "\(.name) \(.latest_date) \(.stale_days) \(.source) \(.check_status) \(.url)")] == [1, "要闻戊 2024-06-01 21 检测 503 '"$S"'/mcol/s4.html"]' "$be: …the column the check could not open (503) keeps the inspection's date: 1 stale, 要闻戊 2024-06-01, 21 days"
  has '[.[] | select(.event == "resolved" and .rule == "column_blank") | .evidence | .blank, ([.columns[] | "\(.name) \(.source) \(.url)"])] == [2, ["空栏丙 栏目检查 '"$S"'/mcol/b2.html", "空栏丁 栏目检查 '"$S"'/mcol/b3.html"]]' "$be: …2 columns still blank, as the check saw them; the filled ones are not"
  grep -F '已恢复' mail.log | grep -F '栏目更新' | jq -s . > _out
  has 'length == 1 and (.[0].body | test("证据：检测编号 1（2024-06-05）及其后的栏目检查 1（北京时间 2024-06-22 [01][0-9]:[0-5][0-9]，重新打开 8 个栏目），至 2024-06-22 未按期更新的栏目 1 个（否决线 5 个）"))' "$be: e-mail: the resolution's evidence names the column check in Beijing time"
  has '.[0].body | contains("“要闻戊”（动态要闻，最新 2024-06-01，21 天未更新，要求 14 天内；栏目检查未能打开（状态 503），沿用检测）")' "$be: …and the column it kept from the inspection"

  # ---- monitor report: what the check saw of each column --------------------
  run monitor report --from 2024-06-01 --to 2024-06-22T04:00 --db "$DB" --json
  has '[.sites[0].verdicts[] | select(.rule | startswith("column_")) | .level, .source] == ["ok", "栏目检查", "ok", "栏目检查"]' "$be: report --json: both column rules ok, from the column check"
  has '[.sites[0].verdicts[] | select(.rule == "column_update") | .column_check_detail | .id, .pages, (.columns | length)] == [1, 10, 9]' "$be: …the check: 10 pages, 9 columns"
  has '[.sites[0].verdicts[] | select(.rule == "column_update") | .column_check_detail.columns[] | select(.name == "要闻甲" or .name == "要闻丁" or .name == "要闻戊" or .name == "空栏甲" or .name == "空栏丙") | "\(.name) \(.status) \(.latest_date) \(.items) \(.blank) \(.url)"] == ["要闻甲 200 2024-06-22 1 false '"$S"'/mcol/s0.html", "要闻丁 200 2024-06-19 1 false '"$S"'/mcol/s3.html", "要闻戊 503 null 0 false '"$S"'/mcol/s4.html", "空栏甲 200 2024-06-22 1 false '"$S"'/mcol/b0.html", "空栏丙 200 null 0 true '"$S"'/mcol/b2.html"]' "$be: …each column's status, newest date, items and blank as fetched"
  run monitor report --from 2024-06-01 --to 2024-06-22T04:00 --db "$DB"
  expect_out "栏目更新：合格（检测 1，2024-06-05，栏目检查 1（北京时间 2024-06-22 " "$be: report: the verdict names the inspection and the column check"
  expect_out "要闻戊（动态要闻） 最新 2024-06-01，21 天未更新（要求 14 天内）  $S/mcol/s4.html  据检测（栏目检查未能打开，状态 503）" "$be: …the column kept from the inspection, and why"
  run monitor report --from 2024-06-01 --to 2024-06-21T04:00 --db "$DB" --json
  has '[.sites[0].verdicts[] | select(.rule == "column_update") | .source, .stale] == ["检测", 5]' "$be: report up to 06-21: the check is not yet used (the inspection's columns: 5 stale at 06-21)"

  # ---- a further step: nothing sent again ------------------------------------
  M 2024-06-22T10:00
  notices
  has 'length == 4' "$be: a further step (another column check) sends nothing again"
  check test "$(grep -c '"rule":"column_' hook.log)" = 4 -- "$be: 4 column notices in all: 2 openings, 2 resolutions"

  # ---- a new full inspection supersedes the checks based on the old one -----
  echo "2024-06-23 5 4" > mcol.conf
  run inspect "$S/mcol/" --as-of 2024-06-23 --timeout 1 --retries 0 --db "$DB" --round col --unit 栏局 --json
  run monitor report --from 2024-06-01 --to 2024-06-23T04:00 --db "$DB" --json
  has '[.sites[0].verdicts[] | select(.rule == "column_blank") | .source, .inspection, .blank] == ["检测", 2, 4]' "$be: a newer inspection (2, 4 blank again) is read, not the checks based on inspection 1"
}

DB=$PWD/colcheck.db
suite sqlite
on_postgresql kp_colchk suite postgresql
