# Black-box tests of the ledgers in the store: `kaoping info ledger
# import|export`, `kaoping tasks ledger import|export`, and the info and
# tasks commands without --ledger reading and writing the store.  A ledger
# folder (file) written by kaoping goes into the store and comes out byte
# for byte; what the commands print from the store is what they print
# from the folder.  Runs on SQLite and, when KP_TEST_PG names a server,
# on PostgreSQL.  Sourced by tests/lib/runone.sh in an empty temporary
# directory with $KAOPING and $KP_ROOT set.

sample="$KP_ROOT/data/ledger/sample-2016"

kr() {
  run "$@"
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' _err; then
    _notok "no sanitizer report from: kaoping $*"
  fi
}

same() {   # same FILE1 FILE2 WHAT: byte for byte
  if cmp -s "$1" "$2"; then _ok "$3"; else _notok "$3 ($1 and $2 differ)"; fi
}

sql() {   # one value from the store
  if [ "$be" = sqlite ]; then sqlite3 "$DB" "$1"; else psql "$DB" -qAtc "$1"; fi
}

cat >good.csv <<'CSV'
序号,单位,日期,状态,说明,证据
9,市财政局,2017-07-20,推进中,正在梳理收费目录清单,
9,财政局,2017-07-28,已完成,"已在门户网站公布,见专栏",http://www.panzhihua.gov.cn/zwgk/sfqd/
8,市地税局,2017-07-15,推进中,专栏建设中,
CSV
cat >more.csv <<'CSV'
序号,单位,日期,状态
N1,米易县,2017-08-10,已完成
CSV
cat >extra.csv <<'CSV'
序号,单位,日期,状态
N1,米易县,2017-08-10,已完成,多出的一格
CSV
cat >extra-info.csv <<'CSV'
单位,报送日期,标题
东区,2016-07-05,东区召开防汛工作会议
西区,2016-07-06,西区开展安全检查,多出的一格
CSV

suite() {
  be=$1
  rm -rf out out2 p.csv q.csv q2.csv q3.csv

  # ---- 政务信息: the sample folder in, the same folder out ---------------
  kr info ledger import "$sample" --db "$DB" --author 张三
  expect_status 0 "$be: info ledger import exits 0"
  expect_out "导入报送 373 条、采用 83 条" "$be: import counts the sample's rows"
  check test "$(sql "SELECT COUNT(*) FROM info_submissions")" = 373 -- "$be: 373 submissions in the store"
  check test "$(sql "SELECT COUNT(*) FROM audit WHERE action = 'info-ledger' AND who = '张三'")" = 1 -- "$be: the import is in the audit log"
  kr info ledger export out --db "$DB"
  expect_status 0 "$be: info ledger export exits 0"
  same "$sample/submissions.csv" out/submissions.csv "$be: submissions.csv comes back byte for byte"
  same "$sample/adoptions.csv" out/adoptions.csv "$be: adoptions.csv comes back byte for byte"
  kr info ledger export out --db "$DB"
  expect_status 2 "$be: exporting over a folder exits 2"
  expect_err "已存在，不覆盖" "$be: … and says the file exists"
  kr info ledger import "$sample" --db "$DB"
  expect_out "导入报送 0 条、采用 0 条" "$be: importing the same folder again adds nothing"

  # ---- the commands read the store as they read the folder -----------------
  "$KAOPING" info stats --ledger "$sample" --period 2016 --json >from-folder.json
  kr info stats --db "$DB" --period 2016 --json
  expect_status 0 "$be: info stats from the store exits 0"
  same from-folder.json _out "$be: info stats from the store = from the folder"
  "$KAOPING" info bulletin --ledger "$sample" --period 2016Q3 >b1.txt
  kr info bulletin --db "$DB" --period 2016Q3
  same b1.txt _out "$be: the bulletin from the store = from the folder"
  "$KAOPING" info facts --ledger "$sample" --year 2016 >f1.csv
  kr info facts --db "$DB" --year 2016
  same f1.csv _out "$be: the facts from the store = from the folder"

  # ---- writing through the store: checked, kept, in the audit log ---------
  kr info add --db "$DB" --unit 市妇联 --date 2016-03-08 --title 市妇联三八节系列活动 --author 李四
  expect_status 0 "$be: info add into the store exits 0"
  expect_out "已记入报送，编号 374" "$be: the new submission is number 374"
  kr info add --db "$DB" --unit 没有这个单位 --date 2016-03-08 --title x
  expect_status 2 "$be: an unknown unit exits 2"
  kr info import extra-info.csv --db "$DB"
  expect_status 2 "$be: a row with a cell beyond its header exits 2"
  expect_err "extra-info.csv:3: 第 4 列“多出的一格”在表头之外（表头只有 3 列）" "$be: … naming the file, line and cell"
  check test "$(sql "SELECT COUNT(*) FROM info_submissions")" = 374 -- "$be: refused rows are not stored"
  kr info ledger export out2 --db "$DB"
  check test "$(head -n 374 out2/submissions.csv)" = "$(cat "$sample/submissions.csv")" -- "$be: the export keeps the folder's rows first"
  check test "$(tail -n 1 out2/submissions.csv)" = "374,市妇联,2016-03-08,市妇联三八节系列活动,,,,,," -- "$be: … and the added row after them"
  # a folder that is not the store's continuation: refused, nothing added
  kr info ledger import "$sample" --db "$DB"
  expect_status 2 "$be: importing a folder the store is ahead of exits 2"
  expect_err "不是库中台账的延续" "$be: … and says why"

  # ---- task progress: a file kaoping wrote, in and out ---------------------
  "$KAOPING" tasks import good.csv --ledger p.csv >/dev/null
  "$KAOPING" tasks event 国家指导意见印发 2017-12-25 --ledger p.csv --note 国办发〔2017〕94号 >/dev/null
  "$KAOPING" tasks import more.csv --ledger p.csv >/dev/null
  kr tasks ledger import p.csv --db "$DB"
  expect_status 0 "$be: tasks ledger import exits 0"
  expect_out "导入 5 行" "$be: … counts the file's rows"
  kr tasks ledger export q.csv --db "$DB"
  expect_status 0 "$be: tasks ledger export exits 0"
  same p.csv q.csv "$be: the progress file comes back byte for byte"
  "$KAOPING" tasks due --as-of 2017-08-01 --ledger p.csv >d1.txt
  kr tasks due --as-of 2017-08-01 --db "$DB"
  same d1.txt _out "$be: tasks due from the store = from the file"
  "$KAOPING" tasks dates --ledger p.csv >dt1.txt
  kr tasks dates --db "$DB"
  same dt1.txt _out "$be: the event's date from the store counts"
  kr tasks import more.csv --db "$DB"
  expect_status 2 "$be: a duplicate progress row exits 2"
  expect_err "重复：第N1项" "$be: … as from the file"
  kr tasks import extra.csv --db "$DB"
  expect_status 2 "$be: a progress row with a cell beyond its header exits 2"
  expect_err "extra.csv:2: 第 5 列“多出的一格”在表头之外（表头只有 4 列）" "$be: … naming the file, line and cell"
  kr tasks event 国家指导意见印发 2018-01-05 --db "$DB" --author 王五
  expect_status 0 "$be: tasks event into the store exits 0"
  kr tasks ledger export q2.csv --db "$DB"
  check test "$(tail -n 1 q2.csv)" = "event,国家指导意见印发,,2018-01-05,,," -- "$be: the event is the ledger's last row"
  check test "$(sql "SELECT COUNT(*) FROM task_progress WHERE ledger = 'pzh2017-tasks'")" = 6 -- "$be: six rows under the plan's id"
  kr tasks ledger export q3.csv --db "$DB" --plan ak2020
  expect_status 0 "$be: another plan's ledger exports"
  check test "$(grep -vc '^#meta' q3.csv)" = 1 -- "$be: … empty: ledgers are kept per plan"
}

DB=$PWD/ledgers.db
suite sqlite

# without --ledger and --db: ./kaoping.db when it exists
rm -rf k && mkdir k && cd k
kr info stats --period 2016
expect_status 2 "no --ledger and no store exits 2"
expect_err "--ledger" "… naming --ledger"
"$KAOPING" info ledger import "$sample" --db kaoping.db >/dev/null
kr info stats --period 2016 --unit 东区
expect_status 0 "./kaoping.db is the default store"
expect_out "东区" "… and its ledger is read"
cd ..

on_postgresql kp_ledgers suite postgresql
