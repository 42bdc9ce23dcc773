# kaoping monitor: the column rules (栏目更新, 空白栏目) judged at each
# step from the site's newest stored inspection, counted at the step's
# day.  tools/sitegen.c serves /mcol/ with 5 columns of class 动态要闻
# whose newest items are dated 2024-06-05, -04, -03, -02 and -01, and 4
# blank columns (mcol.conf).  Inspected (as of 2024-06-05) into a round,
# then monitored: the 4 blank columns are a warning at once (one short of
# the national 5); on 2024-06-19 four columns are over their 14 days (a
# warning), on 2024-06-20 five (单项否决); re-inspected after the office
# updates everything, both resolve.  Each is notified to a local webhook
# exactly once, with the columns and their dates as evidence, and its
# resolution once.  The veto is a fact of gov2019-web-check 4 through
# `monitor facts`.  Column checks between inspections are off here
# (--columns-every 0; see test_monitor_colcheck.sh).  SQLite, and
# PostgreSQL when KP_TEST_PG names a server.

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
# column checks off: these steps judge from the stored inspections alone
# (test_monitor_colcheck.sh has the checks between inspections)
M() { run monitor --once --as-of "$1" --interval 86400 --timeout-ms 3000 --webhook "$W" --columns-every 0 --db "$DB"; }
# the column rules' notices so far, as one JSON array
notices() { grep '"rule":"column_' hook.log | jq -s . > _out; }

cat > cu.csv <<UNITS
#meta,format,kaoping-table/1
#meta,kind,units
#meta,id,col-units
#meta,title,栏目监测的单位
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
  run inspect "$S/mcol/" --as-of 2024-06-05 --timeout 1 --retries 0 --db "$DB" --round col --unit 栏局 --json
  has '.inspection.id == 1 and ([.columns[] | select(.class == "动态要闻")] | length) == 5 and ([.columns[] | select(.blank)] | length) == 4' "$be: inspected: 5 columns of 动态要闻, 4 blank, stored as inspection 1"

  # ---- an inspection later than the step is not used ------------------------
  M 2024-06-04T04:00
  expect_status 0 "$be: a step before the inspection's day"
  run monitor report --from 2024-06-01 --to 2024-06-04T04:00 --db "$DB" --json
  has '[.sites[0].verdicts[] | select(.rule | startswith("column_")) | .judged] == [false, false]' "$be: …the column rules are not judged from a later inspection"

  # ---- 4 blank columns: a warning, one short of 5 ------------------------------
  M 2024-06-05T04:00
  notices
  has 'length == 1 and .[0].rule == "column_blank" and .[0].event == "opened" and .[0].level == "warning" and .[0].title == "空白栏目"' "$be: 4 blank columns: one warning notice (one short of the veto count 5)"
  has '.[0].evidence.blank == 4 and .[0].evidence.veto_count == 5 and .[0].evidence.inspection == 1 and .[0].evidence.inspected == "2024-06-05" and ([.[0].evidence.columns[].name] == ["空栏甲","空栏乙","空栏丙","空栏丁"])' "$be: …its evidence: the inspection and the 4 blank columns by name"

  # ---- stale columns counted at the step's day ------------------------------
  M 2024-06-18T04:00
  notices
  has 'length == 1' "$be: 2024-06-18: 3 columns over 14 days: no warning"
  M 2024-06-19T04:00
  notices
  has 'length == 2 and .[1].rule == "column_update" and .[1].event == "opened" and .[1].level == "warning" and .[1].title == "栏目更新"' "$be: 2024-06-19: 4 stale columns: a warning notice"
  has '.[1].evidence.stale == 4 and .[1].evidence.warn_count == 4 and .[1].evidence.day == "2024-06-19" and ([.[1].evidence.columns[] | "\(.name) \(.latest_date) \(.stale_days)"] | sort) == ["要闻丁 2024-06-02 17", "要闻丙 2024-06-03 16", "要闻乙 2024-06-04 15", "要闻戊 2024-06-01 18"]' "$be: …its evidence: each stale column with its newest date and days stale"
  M 2024-06-19T10:00
  notices
  has 'length == 2' "$be: a further step the same day sends nothing again"
  M 2024-06-20T04:00
  notices
  has 'length == 3 and .[2].rule == "column_update" and .[2].event == "raised" and .[2].level == "veto"' "$be: 2024-06-20: 5 stale columns: raised to 单项否决, notified once"
  has '.[2].evidence.stale == 5 and ([.[2].evidence.columns[] | select(.name == "要闻甲") | "\(.latest_date) \(.stale_days) \(.window_days)"] == ["2024-06-05 15 14"])' "$be: …要闻甲 (2024-06-05) now 15 days, over its 14"

  # ---- the same by e-mail: sent once, in Chinese, with the columns ----------
  : > mail.log
  run monitor --once --as-of 2024-06-20T05:00 --interval 86400 --columns-every 0 --smtp "smtp://127.0.0.1:$(cat smtpport)" --mail-from jk@x.gov.cn --mail-to a@x.gov.cn --db "$DB"
  grep -F '栏目更新' mail.log | jq -s . > _out
  has 'length == 1 and .[0].subject == "【网站监测】栏局 栏目更新：已达单项否决线"' "$be: e-mail: one mail for 栏目更新, its subject"
  has '.[0].body | contains("证据：检测编号 1（2024-06-05），至 2024-06-20 未按期更新的栏目 5 个（否决线 5 个），其中超过 1 年的 0 个（否决线 10 个）：“要闻甲”（动态要闻，最新 2024-06-05，15 天未更新，要求 14 天内）；")' "$be: …its evidence line names the inspection and each column with its date"
  grep -F '空白栏目' mail.log | jq -s . > _out
  has 'length == 1 and (.[0].body | contains("检测编号 1（2024-06-05）中空白栏目 4 个（否决线 5 个）：“空栏甲”（其他）；“空栏乙”（其他）"))' "$be: e-mail: one mail for 空白栏目 with its columns"

  # ---- monitor report: text and JSON ----------------------------------------
  run monitor report --from 2024-06-01 --to 2024-06-20T04:00 --db "$DB" --json
  has '.sites[0].veto == true and ([.sites[0].verdicts[] | select(.rule == "column_update") | .level, .veto, .stale] == ["veto", true, 5])' "$be: report --json: 栏目更新 veto with 5 stale"
  has '[.sites[0].verdicts[] | select(.rule == "column_blank") | .level, .veto, .blank] == ["warning", false, 4]' "$be: report --json: 空白栏目 a warning with 4"
  has '[.sites[0].warnings[] | select(.rule | startswith("column_")) | .rule + " " + .level] == ["column_blank warning", "column_update veto"]' "$be: …and both warnings"
  run monitor report --from 2024-06-01 --to 2024-06-20T04:00 --db "$DB"
  expect_out "栏目更新：单项否决（不合格）（检测 1，2024-06-05；至 2024-06-20 未按期更新 5 个，否决线 5 个" "$be: report: the verdict in Chinese with the inspection"
  expect_out "要闻甲（动态要闻） 最新 2024-06-05，15 天未更新（要求 14 天内）  $S/mcol/s0.html" "$be: …each column with its newest date and URL"
  expect_out "空白栏目：预警（检测 1，2024-06-05：空白栏目 4 个，否决线 5 个）" "$be: …the blank columns' warning"
  run monitor report --from 2024-06-01 --to 2024-06-19T04:00 --column-warn-margin 0 --db "$DB" --json
  has '[.sites[0].verdicts[] | select(.rule | startswith("column_")) | .level] == ["ok", "ok"]' "$be: --column-warn-margin 0: no warning before the veto count"

  # ---- facts of the round ---------------------------------------------------
  run monitor facts --round col --from 2024-06-14 --to 2024-06-20 --interval 86400 --db "$DB" -o mf.csv
  expect_status 0 "$be: monitor facts exits 0"
  check grep -qF "栏局,gov2019-web-check,4,veto,,,inspect,kaoping monitor,2024-06-20,$S/mcol/,网站监测：检测编号 1（2024-06-05），至 2024-06-21 未按期更新的栏目 5 个（否决线 5 个）" mf.csv -- "$be: the column veto is a fact of gov2019-web-check 4 (栏目不更新) with its evidence"
  check grep -qF "“要闻甲”（动态要闻，最新 2024-06-05，16 天未更新，要求 14 天内）" mf.csv -- "$be: …naming the columns and their dates"
  check test "$(grep -c ',4,veto,' mf.csv)" = 1 -- "$be: …once (the blank columns are only a warning)"

  # ---- the office updates everything; re-inspected: both resolve ------------
  echo "2024-06-21 5 0" > mcol.conf
  run inspect "$S/mcol/" --as-of 2024-06-21 --timeout 1 --retries 0 --db "$DB" --round col --unit 栏局 --json
  has '.inspection.id == 2' "$be: re-inspected as inspection 2"
  M 2024-06-21T04:00
  notices
  has 'length == 5 and ([.[3:][] | .rule + " " + .event] | sort) == ["column_blank resolved", "column_update resolved"]' "$be: both warnings resolved, each notified once"
  has '[.[3:][] | .evidence.inspection] == [2, 2] and ([.[3:][] | select(.rule == "column_update") | .evidence.stale] == [0])' "$be: …the resolution's evidence is inspection 2"
  M 2024-06-22T04:00
  notices
  has 'length == 5' "$be: a further step sends nothing again"
  check test "$(grep -c '"rule":"column_' hook.log)" = 5 -- "$be: 5 column notices in all: 2 openings, 1 raised, 2 resolutions"
}

DB=$PWD/col.db
suite sqlite
on_postgresql kp_moncol suite postgresql
