# Black-box tests of `kaoping eval …`: rounds in the store, facts, scores,
# ranks, the audit log; bad input refused whole; two writers at once; a
# writer killed mid-write.  The whole suite runs on SQLite and, when
# KP_TEST_PG names a PostgreSQL server (tests/run.sh starts one), again on
# a fresh PostgreSQL database.  Sourced by tests/lib/runone.sh in an empty
# temporary directory with $KAOPING and $KP_ROOT set.

kr() {
  run "$@"
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' _err; then
    _notok "no sanitizer report from: kaoping $*"
  fi
}
D=$KP_ROOT/tests/store/data
export USER=测试员

# facts count of the round, as `eval list --json` says
facts_count() { K eval list --db "$DB" --json | grep -m1 '"facts"' | tr -dc 0-9; }
audit_count() { K eval log --db "$DB" | wc -l; }

suite() {
  local be=$1
  echo "# ---- backend: $be ($DB)"

  # ---- before any round --------------------------------------------------
  if [ "$be" = sqlite ]; then
    kr eval rank --db "$DB"
    expect_status 2 "$be: rank without a database exits 2"
    expect_err "数据库不存在" "$be: rank without a database says so"
    expect_no_file "$DB" "$be: a read command creates no database"
  fi

  # ---- eval new -----------------------------------------------------------
  kr eval new --db "$DB"
  expect_status 2 "$be: eval new without --table exits 2"
  expect_err "eval new 需要 --table" "$be: eval new names the missing --table"
  kr eval new --table "$D/hand-table.csv" --units "$D/hand-units.csv" --db "$DB" --author 张三
  expect_status 0 "$be: eval new exits 0"
  expect_out "已创建轮次“2016-hand”：表 hand" "$be: eval new names the round and table"
  expect_out "单位 3 个" "$be: eval new counts the units"
  kr eval new --table "$D/hand-table.csv" --units "$D/hand-units.csv" --db "$DB"
  expect_status 2 "$be: a second round of the same name exits 2"
  expect_err "已有名为“2016-hand”的轮次" "$be: and says the name is taken"
  kr eval new --table pzh2016-info-quota --db "$DB"
  expect_status 2 "$be: a quota table is not an indicator table"

  # ---- facts: the hand-worked case ------------------------------------------
  kr eval facts add "$D/hand-facts.csv" --db "$DB" --author 李四
  expect_status 0 "$be: facts add exits 0"
  expect_out "已登记 8 条事实到轮次“2016-hand”" "$be: facts add counts what it stored"
  kr eval rank --db "$DB"
  expect_status 2 "$be: rank before score exits 2"
  expect_err "还没有计分" "$be: rank before score says so"
  kr eval score --db "$DB" --author 王五
  expect_status 0 "$be: score exits 0"
  expect_out "3 个单位，依据 8 条事实" "$be: score says what it used"
  kr eval rank --db "$DB" --json
  expect_status 0 "$be: rank --json exits 0"
  check grep -A3 '"rank": 1,' _out -- "$be: rank 1 present"
  check sh -c 'tr -d " \n" <_out | grep -qF "{\"rank\":1,\"unit\":\"丙局\",\"total\":90,"' -- "$be: 丙局 first with 30+60 = 90"
  check sh -c 'tr -d " \n" <_out | grep -qF "{\"rank\":2,\"unit\":\"甲局\",\"total\":80,\"self_total\":98,"' -- "$be: 甲局 second: 35 + (60 − 3×5) = 80, self 38 + 60 = 98"
  check sh -c 'tr -d " \n" <_out | grep -qF "{\"rank\":3,\"unit\":\"乙局\",\"total\":70,"' -- "$be: 乙局 third: 40 + (60 − min(25, 20) − 10) = 70"

  kr eval show 甲 --db "$DB" --json
  expect_status 0 "$be: show by alias exits 0"
  expect_out '"unit": "甲局"' "$be: show resolves the alias"
  expect_out '"total": 80,' "$be: show total"
  expect_out '"rank": 2' "$be: show gives the stored rank"
  check sh -c 'tr -d " \n" <_out | grep -qF "\"path\":\"组织保障\",\"level\":1,\"rule\":\"judged\",\"max\":40,\"applies\":true,\"self\":38,\"assessor\":35,\"score\":35,"' -- "$be: self and assessor side by side on the row"
  check sh -c 'test "$(grep -c "\"self\":" _out)" = "$(grep -c "\"assessor\":" _out)"' -- "$be: every node row has self and assessor"
  check sh -c 'test "$(grep -c "\"reasons\":" _out)" -ge 5' -- "$be: every node row has reasons"
  kr eval show 甲局 --db "$DB"
  expect_out "自评分  考核分" "$be: the text sheet has 自评分 and 考核分 columns"
  expect_out "合计：80.00 / 100（自评 98.00）；名次 2 / 3" "$be: the text sheet's total line"
  kr eval show 甲局 --db "$DB" --explain
  expect_status 0 "$be: show --explain exits 0"
  expect_out "扣15分" "$be: explain gives the deduction"
  expect_out "http://jia.gov.cn/" "$be: explain cites the evidence"
  kr eval show 丁局 --db "$DB"
  expect_status 2 "$be: show of an unknown unit exits 2"
  expect_err "单位“丁局”不在轮次“2016-hand”中" "$be: and names it"

  # ---- a correction is a new fact; ranks go stale until scored again -------
  kr eval facts add "$D/hand-fix.csv" --db "$DB"
  expect_status 0 "$be: correction added"
  kr eval rank --db "$DB"
  expect_err "排名不是最新的" "$be: rank warns when facts came after scoring"
  kr eval score --db "$DB"
  kr eval rank --db "$DB" --json
  check sh -c 'tr -d " \n" <_out | grep -qF "{\"rank\":1,\"unit\":\"丙局\",\"total\":92,"' -- "$be: the corrected score (32) counts: 92"
  check test "$(facts_count)" = 9 -- "$be: both the old fact and the correction are kept"
  K eval rank --db "$DB" --json >rank-1.json
  export KP_THREADS=3
  kr eval score --db "$DB"
  unset KP_THREADS
  expect_status 0 "$be: score with three scoring threads exits 0"
  K eval rank --db "$DB" --json >rank-3.json
  check cmp -s rank-1.json rank-3.json -- "$be: three threads rank exactly as one"

  # ---- bad input: one message with file and line, exit 2, nothing stored ----
  local before_f before_a
  before_f=$(facts_count); before_a=$(audit_count)
  bad() {  # bad NAME EXPECTED-MESSAGE  (file content on stdin)
    cat >"$1"
    kr eval facts add "$1" --db "$DB"
    expect_status 2 "$be: $1 refused with exit 2"
    expect_err "$2" "$be: $1: message names file and line"
    check test "$(grep -c . _err)" = 1 -- "$be: $1: one message"
  }
  H='unit,indicator,kind,name,value,source,author,time,url,note'
  bad unknown-unit.csv "unknown-unit.csv:3: 单位“丁局”不在轮次“2016-hand”的单位名录" < <(printf '%s\n甲局,1,score,,30,考核,,,,\n丁局,1,score,,30,考核,,,,\n' "$H")
  bad unknown-ind.csv "unknown-ind.csv:3: " < <(printf '%s\n甲局,1,score,,30,考核,,,,\n甲局,9.9,score,,30,考核,,,,\n' "$H")
  bad over-max.csv "over-max.csv:2: " < <(printf '%s\n甲局,1,score,,41,考核,,,,\n' "$H")
  bad below-zero.csv "below-zero.csv:2: " < <(printf '%s\n甲局,1,score,,-1,考核,,,,\n' "$H")
  bad negative-count.csv "negative-count.csv:2: " < <(printf '%s\n甲局,2.1,fail,,-2,考核,,,,\n' "$H")
  bad malformed.csv "malformed.csv:3" < <(printf '%s\n甲局,1,score,,30,考核,,,,\n甲局,1,score,,"30,考核,,,,\n' "$H")
  bad bad-kind.csv "bad-kind.csv:2: 未知的事实类型“grade”" < <(printf '%s\n甲局,1,grade,,30,考核,,,,\n' "$H")
  check test "$(facts_count)" = "$before_f" -- "$be: no bad file stored a fact"
  check test "$(audit_count)" = "$before_a" -- "$be: no bad file wrote to the audit log"
  kr eval facts add absent.csv --db "$DB"
  expect_status 2 "$be: a missing facts file exits 2"

  # ---- a table edited after facts were recorded ------------------------------
  cp "$D/hand-table.csv" edit-table.csv
  kr eval new --table edit-table.csv --units "$D/hand-units.csv" --name 编辑 --db "$DB"
  expect_status 0 "$be: round on a table file"
  kr eval facts add "$D/hand-facts.csv" --round 编辑 --db "$DB"
  expect_status 0 "$be: facts on it"
  sed -i 's/^1,组织保障,40,judged,$/1,组织保障,45,judged,/' edit-table.csv
  kr eval facts add "$D/hand-fix.csv" --round 编辑 --db "$DB"
  expect_status 2 "$be: facts after the table was edited exit 2"
  expect_err "edit-table.csv：表 hand 在本轮次登记事实之后被修改过" "$be: and say the table changed"
  kr eval score --round 编辑 --db "$DB"
  expect_status 2 "$be: so does scoring"
  check test "$(K eval list --db "$DB" --json | grep -c '"facts": 8')" = 1 -- "$be: the edited round kept its 8 facts only"

  # ---- two writers at once lose nothing ----------------------------------------
  K eval new --table "$D/hand-table.csv" --units "$D/hand-units.csv" --name 并发 --db "$DB" >/dev/null
  { echo "$H"; for i in $(seq 1 500); do echo "甲局,1,score,,$((i % 40)),考核,,,,"; done; } >five-a.csv
  { echo "$H"; for i in $(seq 1 500); do echo "乙局,2.1,fail,,1,考核,,,,"; done; } >five-b.csv
  K eval facts add five-a.csv --round 并发 --db "$DB" >a.out 2>a.err & pa=$!
  K eval facts add five-b.csv --round 并发 --db "$DB" >b.out 2>b.err & pb=$!
  wait $pa; sa=$?; wait $pb; sb=$?
  check test "$sa$sb" = 00 -- "$be: two concurrent facts add both succeed ($(cat a.err b.err))"
  check test "$(K eval list --db "$DB" --json | grep -c '"facts": 1000')" = 1 -- "$be: 500 + 500 concurrent facts all stored"

  # ---- a process killed mid-write leaves the round as it was ---------------------
  before_f=$(K eval list --db "$DB" --json | grep -o '"facts": [0-9]*' | awk '{s+=$2} END {print s+0}')
  ( KP_TEST_KILL_AFTER=250 "$KAOPING" eval facts add five-a.csv --round 并发 --db "$DB" >/dev/null 2>&1 ) 2>/dev/null
  ks=$?
  check test "$ks" = 137 -- "$be: the writer was killed (status $ks)"
  after_f=$(K eval list --db "$DB" --json | grep -o '"facts": [0-9]*' | awk '{s+=$2} END {print s+0}')
  check test "$after_f" = "$before_f" -- "$be: killed mid-write: no fact of that write stored ($before_f → $after_f)"
  kr eval facts add five-a.csv --round 并发 --db "$DB"
  expect_status 0 "$be: the round takes facts after the kill"

  # ---- audit log ----------------------------------------------------------------
  kr eval log --db "$DB" --round 2016-hand --json
  expect_status 0 "$be: eval log exits 0"
  check sh -c 'tr -d " \n" <_out | grep -qF "\"who\":\"张三\",\"round\":\"2016-hand\",\"action\":\"round-new\""' -- "$be: audit: who created the round"
  check sh -c 'tr -d " \n" <_out | grep -qF "\"who\":\"李四\",\"round\":\"2016-hand\",\"action\":\"facts-add\",\"detail\":\"从'"$D"'/hand-facts.csv登记事实8条\""' -- "$be: audit: who added which facts"
  check sh -c 'tr -d " \n" <_out | grep -qF "\"who\":\"王五\",\"round\":\"2016-hand\",\"action\":\"score\""' -- "$be: audit: who scored"
  kr eval list --db "$DB"
  expect_out "2016-hand" "$be: eval list lists the rounds"
}

# ---- the README's sample round on the bundled 攀枝花 data ----------------------
DB=$PWD/sample.db
kr eval new --table pzh2016-gk --db "$DB"
expect_status 0 "sample: round on pzh2016-gk"
expect_out "单位 63 个" "sample: the 63 市级部门 the table applies to"
kr eval facts add "$KP_ROOT/data/facts/sample-2016-gk.csv" --db "$DB"
expect_status 0 "sample: facts added"
kr eval score --db "$DB"
expect_status 0 "sample: scored"
check test ! -s _err -- "sample: scoring says nothing on stderr without KP_TIMING"
KP_TIMING=1 kr eval score --db "$DB"
expect_err "计时：1 个计分线程；CPU 共" "sample: KP_TIMING gives the scoring's CPU, the engine's apart"
check grep -q "其中评分引擎 [0-9.]* s，排名和写回结果" _err -- "sample: ...with the engine's and the store's seconds"
kr eval rank --db "$DB"
expect_out "63    市住房城乡建设局              80.00     80.00     扣0.40" "sample: last: 100 − 20 (行权平台) = 80, converted 扣0.40"
kr eval show 公安局 --db "$DB" --json
expect_out '"total": 92.5,' "sample: 市公安局 100 − 2.5 − 5 = 92.5"
expect_out '"converted": 0.15,' "sample: converted 2 × 7.5 ÷ 100 = 0.15"

# ---- SQLite ----------------------------------------------------------------------
DB=$PWD/k.db
suite sqlite
check sh -c "sqlite3 '$DB' 'PRAGMA journal_mode' 2>/dev/null | grep -qx wal || ! command -v sqlite3" -- "sqlite: the database is in WAL mode"

# ---- PostgreSQL --------------------------------------------------------------------
on_postgresql kp_cli suite postgresql

# ---- every table's sample facts (data/facts/ID-sample.csv) through the store:
# the same ranking and the same score sheets from SQLite and PostgreSQL -------
samples() {  # samples DB OUTDIR
  local db=$1 out=$2 f id
  mkdir -p "$out"
  for f in "$KP_ROOT"/data/facts/*-sample.csv; do
    id=$(basename "$f" -sample.csv)
    K table show "$id" --json 2>/dev/null | grep -q '"registry"' || continue
    { K eval new --scheme "$id" --name "s-$id" --db "$db" &&
      K eval facts add "$f" --round "s-$id" --db "$db" &&
      K eval score --round "s-$id" --db "$db"; } >/dev/null 2>"$out/$id.err" ||
      { echo "FAILED $id: $(cat "$out/$id.err")" >>"$out/errors"; continue; }
    K eval rank --round "s-$id" --db "$db" --json >"$out/$id.rank"
    grep -v '^#' "$f" | tail -n +2 | cut -d, -f1 | sort -u | while read -r u; do
      K eval show "$u" --round "s-$id" --db "$db" --json --explain >>"$out/$id.show"
    done
  done
}
samples "$PWD/samples.db" out-sqlite
check test ! -e out-sqlite/errors -- "samples: every table's sample facts score through the store ($(cat out-sqlite/errors 2>/dev/null))"
check test "$(ls out-sqlite/*.rank 2>/dev/null | wc -l)" -ge 5 -- "samples: at least five tables' samples ran"
for id in pj2017-gk ak2020-columns; do
  check test -s "out-sqlite/$id.rank" -- "samples: $id (seeds 001, 004) now names its registry and scores without --units"
done
kr eval new --table pj2017-gk --name 盘锦 --db regs.db
expect_status 0 "eval new --table pj2017-gk needs no --units"
expect_out "单位 36 个（pj-units）" "the 盘锦 round has pj-units' 4 县区 and 32 departments"
kr eval new --table ak2020-columns --name 安康 --db regs.db
expect_status 0 "eval new --table ak2020-columns needs no --units"
expect_out "单位 36 个（ak-units）" "the 安康 round has ak-units' 10 县区, 25 departments and 市气象局"
samples_pg() {
  samples "$DB" out-pg
  check test ! -e out-pg/errors -- "samples on postgresql: all scored ($(cat out-pg/errors 2>/dev/null))"
  for r in out-sqlite/*.rank; do
    id=$(basename "$r" .rank)
    check cmp -s "$r" "out-pg/$id.rank" -- "samples: $id: the same ranking from SQLite and PostgreSQL"
    check cmp -s "out-sqlite/$id.show" "out-pg/$id.show" -- "samples: $id: the same score sheets and explanations from SQLite and PostgreSQL"
  done
}
on_postgresql kp_cli_s samples_pg

# ---- a command group's word alone with --help --------------------------
for g in eval info tasks table; do
  kr "$g" --help
  expect_status 0 "$g --help exits 0"
done
kr eval --help
expect_out "eval facts add" "eval --help lists the group's commands"
expect_out "考评轮次：登记事实" "…each with its summary"
kr info --help
expect_out "info bulletin" "info --help lists info bulletin"
kr tasks --help
expect_out "tasks report" "tasks --help lists tasks report"
kr eval
expect_status 2 "eval alone still exits 2"
expect_err "eval 需要子命令：new、list、facts add、score、show、rank、log" "…naming the subcommands"

# ---- issue 12: assessed, pending, not applicable — never silent; vetoes and
# conversions rank the same way in every round; ranking as offices publish it
DB=$PWD/trust.db
K eval new --table pzh2016-gk --db "$DB" >/dev/null
H="unit,indicator,kind,name,value,source,author,time,url,note"
{ echo "$H"
  echo "市公安局,2.2,fail,,1,考核,市政府办公室,2017-01-10,,基本信息未及时更新"
  echo "市公安局,8,veto,,,考核,市政府办公室,2017-01-10,,网站被通报批评"
  echo "市林业局,2.2,fail,,1,考核,市政府办公室,2017-01-10,,基本信息未及时更新"
  echo "市水务局,2.3,fail,,1,考核,市政府办公室,2017-01-10,,政策解读未按时报送"
  echo "市水务局,3.2.1,fail,,1,考核,市政府办公室,2017-01-10,,决策公开推进不力"
  for u in 市公安局 市林业局 市水务局; do echo "$u,*,assessed,,,考核,市政府办公室,2017-01-12,,逐项检查完毕"; done
} >trust.csv
kr eval facts add trust.csv --db "$DB"
expect_status 0 "trust: facts with assessed (*) accepted"
K eval score --db "$DB" >/dev/null
kr eval rank --db "$DB" --json
rk() { jq -r --arg u "$1" '.results[] | select(.unit == $u) | '"$2" _out; }
check test "$(rk 市公安局 '[.total, .converted, .vetoed, .veto] | join(" ")')" = "95 2 true 8 政府或部门网站被省级或以上部门通报批评的" -- "trust: 市公安局 95, 一票否决 扣2.00, vetoed true with the veto's node"
check test "$(rk 市林业局 '[.rank, .total, .converted] | join(" ")')" = "1 95 0.1" -- "trust: 市林业局 (95, 扣0.10) first"
check test "$(rk 市水务局 '[.rank, .total, .converted] | join(" ")')" = "2 90 0.2" -- "trust: 市水务局 (90, 扣0.20) second"
check test "$(rk 市公安局 .rank)" = 3 -- "trust: the vetoed 市公安局 ranked below 市水务局, as in a scheme round"
check test "$(rk 市教育体育局 '[.complete, .pending, .rank, .total] | join(" ")')" = "false 4 4 100" -- "trust: a never-assessed unit is incomplete (4 pending nodes), its 100.00 provisional, ranked after the complete ones"
check test "$(jq '[.results[] | select(.complete)] | length' _out) $(jq .incomplete _out)" = "3 60" -- "trust: 3 complete, 60 incomplete"
kr eval rank --db "$DB"
expect_out "市教育体育局                  100.00    —         扣0.00    未完成（4 项未评）" "trust: text ranking marks the unit 未完成"
expect_out "未完成：60 个单位还有未评指标，排在已完成单位之后" "trust: and says how many"
kr eval rank --final --db "$DB"
expect_status 2 "trust: rank --final refuses while units are incomplete"
expect_err "还有 60 个单位未完成，不能发布最终排名：攀枝花市人民政府办公室（4 项未评）" "trust: …naming them"
kr eval status --db "$DB"
expect_status 0 "trust: eval status exits 0"
expect_out "63 个单位，3 个已完成，60 个未完成" "trust: status counts complete and incomplete units"
kr eval status --unit 教育体育局 --db "$DB" --json
check test "$(jq -r '.status[0] | [.unit, .complete, .pending, ([.lacks.assessor[].code] | join(",")), (.lacks.self | length)] | join(" ")' _out)" = "市教育体育局 false 4 1,2,3,4 1" -- "trust: status --unit: the four deduction nodes lack the assessor, and no self-assessment"
kr eval status --unit 市水务局 --db "$DB"
expect_out "市水务局（市级部门）：已完成" "trust: status of a complete unit"
kr eval show 教育体育局 --db "$DB"
expect_out "合计：100.00 / 100；折算扣 0.00 分；名次 4 / 63；未完成（4 项未评，合计为暂计）" "trust: show marks the provisional total"
expect_out "50.00（未评）" "trust: …and each pending node keeps its provisional value, marked 未评"
# everyone assessed: complete, publishable
{ echo "$H"; K eval rank --db "$DB" --json | jq -r '.results[] | select(.complete | not) | .unit + ",*,已评,,,考核,市政府办公室,2017-01-15,,"'; } >rest.csv
K eval facts add rest.csv --db "$DB" >/dev/null
K eval score --db "$DB" >/dev/null
kr eval rank --final --db "$DB" --json
expect_status 0 "trust: rank --final once every unit is complete"
check test "$(rk 市教育体育局 '[.complete, .pending, .rank] | join(" ")')" = "true 0 1" -- "trust: the assessed unit complete, 100 without deductions, first"
check test "$(rk 市公安局 .rank)" = 63 -- "trust: the vetoed 市公安局 last of 63 (扣2.00)"

# mixed maxima and ranking by unit type: 县区 have 100 points (3 县区专项
# applies to them), the others 90; facts add --assessed declares every
# unit the file names assessed on every node it names
cat >mx-units.csv <<'EOF2'
#meta,format,kaoping-table/1
#meta,kind,units
#meta,id,mx-units
#meta,title,满分不同的单位
name,type,aliases
东区,县区,
西区,县区,
甲局,市级部门,
乙局,市级部门,
丙局,市级部门,
丁局,市级部门,
妇联,群团,
EOF2
cat >mx-table.csv <<'EOF2'
#meta,format,kaoping-table/1
#meta,kind,indicators
#meta,id,mx
#meta,title,满分不同的考评
#meta,year,2016
#meta,total,100
#meta,registry,mx-units
code,path,points,rule,params,applies
1,组织保障,40,judged,,
2,日常工作,50,deduct,,
2.1,日常工作/未及时公开,,minus,amount=5;each,
3,县区专项,10,judged,,县区
EOF2
printf '%s\n' "unit,indicator,kind,name,value,source" 东区,1,score,,40,考核 东区,3,score,,10,考核 \
  西区,1,score,,30,考核 西区,3,score,,10,考核 西区,2.1,fail,,2,考核 甲局,1,score,,40,考核 \
  乙局,1,score,,35,考核 丙局,1,score,,35,考核 丁局,1,score,,30,考核 妇联,1,score,,20,考核 东区,2,assessed,,,考核 >mx-facts.csv
DB=$PWD/mx.db
K eval new --table mx-table.csv --units mx-units.csv --db "$DB" >/dev/null
kr eval facts add mx-facts.csv --assessed --db "$DB"
expect_out "已登记 39 条事实" "mx: --assessed adds 7 units × 4 nodes (1, 3, 2.1, 2) where they apply… (11 facts + 28 assessed)"
K eval score --db "$DB" >/dev/null
kr eval rank --db "$DB"
expect_out "名次  单位                          满分    得分" "mx: mixed maxima show a 满分 column"
expect_out "3     丙局                          90      85.00" "mx: 乙局 and 丙局 tie at 85 of 90…"
expect_out "5     丁局                          90      80.00" "mx: …the next rank is skipped (西区 80 of 100 ties with 丁局 80 of 90)"
expect_out "7     妇联                          90      70.00" "mx: …and skipped again"
kr eval rank --by type --db "$DB"
expect_out "【县区】（2 个单位）" "mx: --by type groups the 县区"
expect_out "1     东区                          100     100.00    100.00%" "mx: 东区 100 of 100, 100.00%"
expect_out "2     西区                          100     80.00     80.00%" "mx: 西区 30 + 10 + (50 − 10) = 80"
expect_out "【市级部门】（4 个单位）" "mx: the 市级部门 in their own group"
expect_out "1     甲局                          90      90.00     100.00%" "mx: 甲局 90 of 90 ranks first among 市级部门"
expect_out "2     丙局                          90      85.00     94.44%" "mx: ties share the rank within a group (85 ÷ 90 = 94.44%)"
expect_out "4     丁局                          90      80.00     88.89%" "mx: and the next rank within the group is skipped"
expect_out "【群团】（1 个单位）" "mx: 群团 last, as the types first appear"
kr eval rank --by type --db "$DB" --json
check test "$(jq -r '[.groups[] | .type + ":" + ([.results[] | .unit + "=" + (.group_rank | tostring) + "/" + (.rate | tostring) + "%"] | join(","))] | join(" ")' _out)" = "县区:东区=1/100%,西区=2/80% 市级部门:甲局=1/100%,乙局=2/94.44%,丙局=2/94.44%,丁局=4/88.89% 群团:妇联=1/77.78%" -- "mx: --by type --json: groups with ranks within them and 得分率"
kr eval rank --by region --db "$DB"
expect_status 2 "mx: --by accepts type only"
# ---- issue 12: corrections, withdrawals, re-inspections -------------------
# A fact's identity is (unit, table, indicator, kind, name, source,
# period): a later file of the same identity replaces the earlier one,
# whatever the kind; periods add up; withdrawn facts count for nothing;
# the latest inspection of a unit replaces the earlier ones' facts.
jhas() { # jhas JQ-FILTER what: the filter yields true on _out
  if [ "$(jq -r "$1" _out 2>/dev/null)" = "true" ]; then _ok "$2"; else _notok "$2 ($1)"; fi
}
trust() {
  local be=$1
  kr eval new --table pzh2016-info-dept --db "$DB" --name info
  expect_status 0 "$be: a 政务信息 round"
  printf 'unit,indicator,kind,name,value,source\n市民政局,报送工作/日常报送情况,quantity,monthly_min,5,台账\n市民政局,报送工作/日常报送情况,quantity,duplicate,1,台账\n市民政局,采用情况,quantity,city_points,90,台账\n' > t1.csv
  printf 'unit,indicator,kind,name,value,source\n市民政局,报送工作/日常报送情况,quantity,monthly_min,7,台账\n市民政局,报送工作/日常报送情况,quantity,duplicate,0,台账\n市民政局,采用情况,quantity,city_points,80,台账\n' > t2.csv
  kr eval facts add t1.csv --db "$DB"
  kr eval facts add t2.csv --db "$DB"
  kr eval show 市民政局 --db "$DB" --json
  jhas '[.nodes[] | select(.code == "2.1.1" or .code == "2.1.2" or .code == "2.1" or .code == "3") | .score] == [5, 0, 0, 32]' \
    "$be: corrected: monthly_min 5 then 7 and duplicate 1 then 0 deduct nothing (2.1 = 5.00, was 0.00); city_points 90 then 80 counts 80 (3 = 64×50% = 32.00, was 170 → 64.00)"
  jhas '.total == 47' "$be: …total 47.00 (was 74.00)"
  kr eval show 市民政局 --db "$DB" --explain
  expect_out "完成80分（66.67%）" "$be: --explain: 80 city points, not 170"
  expect_out "计入第 6 条：3 数量 city_points = 80（台账）" "$be: --explain names the fact that counts"
  expect_out "取代了第 3 条：3 数量 city_points = 90（台账）" "$be: …and the one it replaced"
  kr eval facts list --db "$DB" --unit 民政局 --json
  jhas '[.[] | .status] == ["replaced", "replaced", "replaced", "counts", "counts", "counts"] and .[0].replaced_by == 4' "$be: facts list: the three replaced, by number"
  # periods add up; a correction replaces only its own period
  printf 'unit,indicator,kind,name,value,source,period\n市财政局,采用情况,quantity,city_points,40,台账,2016H1\n市财政局,采用情况,quantity,city_points,50,台账,2016H2\n' > p1.csv
  printf 'unit,indicator,kind,name,value,source,period\n市财政局,采用情况,quantity,city_points,70,台账,2016H1\n' > p2.csv
  kr eval facts add p1.csv --db "$DB"
  kr eval show 市财政局 --db "$DB" --explain
  expect_out "市级任务80分，完成90分" "$be: two half-years add up: 40 + 50 = 90"
  kr eval facts add p2.csv --db "$DB"
  kr eval show 市财政局 --db "$DB" --explain
  expect_out "市级任务80分，完成120分" "$be: 2016H1 corrected to 70: 70 + 50 = 120"
  printf 'unit,indicator,kind,name,value,source,period\n市财政局,采用情况,quantity,city_points,1,台账,2016H3\n' > p3.csv
  kr eval facts add p3.csv --db "$DB"
  expect_status 2 "$be: a period that is none exits 2"
  expect_err "p3.csv:2: 期间“2016H3”无效" "$be: …naming file, line and period"
  # a veto withdrawn
  kr eval score --db "$DB"
  printf 'unit,indicator,kind,name,value,source\n市民政局,4,veto,,,考核\n' > v.csv
  kr eval facts add v.csv --db "$DB"
  kr eval rank --db "$DB"
  expect_err "计分后又登记了 1 条事实" "$be: rank counts the facts added since the scoring"
  kr eval show 市民政局 --db "$DB" --json
  jhas '.vetoed == true' "$be: the veto fires"
  kr eval facts withdraw 10 --db "$DB"
  expect_status 2 "$be: withdraw without --reason exits 2"
  kr eval facts withdraw 99 --reason 错录 --db "$DB"
  expect_status 2 "$be: withdrawing no fact exits 2"
  expect_err "没有编号为 99 的事实" "$be: …naming the number"
  kr eval facts withdraw 10 --reason "错录：应为市林业局" --db "$DB" --author 审核员
  expect_status 0 "$be: withdraw exits 0"
  expect_out "已撤回轮次“info”的事实 1 条：10（理由：错录：应为市林业局）" "$be: …and says what"
  kr eval show 市民政局 --db "$DB" --json
  jhas '.vetoed == false and .total == 47' "$be: withdrawn, the veto no longer counts (47.00 again)"
  kr eval facts withdraw 10 --reason again --db "$DB"
  expect_status 2 "$be: a fact is withdrawn once"
  expect_err "事实 10 已经撤回" "$be: …saying so"
  kr eval show 市民政局 --db "$DB" --explain
  expect_out "第 10 条已撤回（第 11 条记录，理由：错录：应为市林业局），不计：4 否决（考核）" "$be: --explain names the withdrawn fact and why"
  kr eval facts list --db "$DB" --unit 市民政局 --json
  jhas '[.[] | select(.seq == 10) | .status, .withdrawn_by, .withdraw_reason] == ["withdrawn", 11, "错录：应为市林业局"]' "$be: the withdrawn fact stays in the list"
  kr eval log --db "$DB" --json
  jhas '[.[] | select(.action == "facts-withdraw") | .who, .detail] == ["审核员", "撤回事实 10，理由：错录：应为市林业局"]' "$be: the withdrawal is in the audit log"
  kr eval rank --db "$DB"
  expect_err "计分后又登记了 2 条事实" "$be: a withdrawal is an entry of the history too"
  kr eval score --db "$DB"
  kr eval rank --db "$DB"
  check sh -c '! grep -q 又登记了 _err' -- "$be: after scoring again, no warning"

  # a re-inspection does not count the same problems again
  kr eval new --table gov2019-web-check --units "$D/hand-units.csv" --db "$DB" --name web
  row='甲局,gov2019-web-check,7.1.3.1,fail,,1,inspect,kaoping inspect,2024-06-30'
  { echo unit,table,indicator,kind,name,value,source,author,time,url,note
    for p in a b c d; do echo "$row,http://jia.gov.cn/$p.html,死链"; done
    echo '甲局,gov2019-web-check,7.1.1.1,fail,,1,inspect,kaoping inspect,2024-06-30,http://jia.gov.cn/,政策文件栏目未更新'; } > i1.csv
  { echo unit,table,indicator,kind,name,value,source,author,time,url,note
    for p in a b c d; do echo "$row,http://jia.gov.cn/$p.html,死链"; done; } > i2.csv
  { echo unit,table,indicator,kind,name,value,source,author,time,url,note
    echo "$row,http://jia.gov.cn/d.html,死链"; } > i3.csv
  kr eval facts add i1.csv --round web --db "$DB"
  kr eval show 甲局 --round web --db "$DB" --json
  jhas '.total == 91' "$be: first inspection: 100 − 4 dead links − 5 (政策文件栏目) = 91.00"
  kr eval facts add i2.csv --round web --db "$DB"
  kr eval show 甲局 --round web --db "$DB" --json
  jhas '.total == 96' "$be: re-inspection, the same 4 dead links and the column fixed: 96.00 (not 100 − 8 − 5 = 87.00)"
  kr eval facts add i3.csv --round web --db "$DB"
  kr eval show 甲局 --round web --db "$DB" --json
  jhas '.total == 99' "$be: third inspection, one dead link left: 99.00"
  { echo unit,table,indicator,kind,name,value,source,author,time,url,note,inspection
    echo "$row,http://jia.gov.cn/d.html,死链,5"; } > i4.csv
  kr eval facts add i4.csv --round web --db "$DB"
  expect_status 2 "$be: a fact naming an inspection the round does not have exits 2"
  expect_err "i4.csv:2: 检测编号 5 不是轮次“web”中单位“甲局”的检测" "$be: …naming file, line and number"
}
DB=$PWD/corrections.db
trust sqlite
on_postgresql kp_trust trust postgresql
