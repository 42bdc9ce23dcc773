# Black-box tests of rounds on a scheme (`kaoping eval new --scheme`,
# docs/scheme.md): the bundled 攀枝花 2016 scheme of seed 003 end to end —
# each unit on its tables, facts naming their table, each table's result
# and the combination — and a weighted scheme (公众评估 30 + 综合评估 70).
# Every expected number is worked out by hand beside the seed sentence it
# comes from.  The whole suite runs on SQLite and, when KP_TEST_PG names a
# server (tests/run.sh starts one), on PostgreSQL, and the two must give
# the same rankings and score sheets.  Sourced by tests/lib/runone.sh in
# an empty temporary directory with $KAOPING and $KP_ROOT set.

kr() {
  run "$@"
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' _err; then
    _notok "no sanitizer report from: kaoping $*"
  fi
}
export USER=测试员
S=$KP_ROOT/data/facts/pzh2016-sample.csv
H='unit,table,indicator,kind,name,value,source,author,time,url,note'
# jq test on the last output
jqt() { local f=$1; shift; check jq -e "$f" _out -- "$*"; }
facts_of() { K eval list --db "$DB" --json | jq ".[] | select(.name == \"$1\") | .facts"; }

# ---- a weighted scheme, built here: 公众评估 (public vote) and 综合评估
# (third-party and experts), as seed 003 names them (“公众满意度由公众评估
# 综合评估组成”); the weights 30/70 are the tests', the seed gives none ----
mkdir -p w
cat >w/units.csv <<'EOF'
#meta,format,kaoping-table/1
#meta,kind,units
#meta,id,w-units
#meta,title,测试名录
name,type,aliases,tags
甲局,市级部门,甲,
乙局,市级部门,乙,
丙局,市级部门,丙,
丁县,县区,,
EOF
cat >w/public.csv <<'EOF'
#meta,format,kaoping-table/1
#meta,kind,indicators
#meta,id,public
#meta,title,公众评估
#meta,registry,w-units
code,path,points,rule,applies
1,公众满意度,100,judged,市级部门
EOF
cat >w/expert.csv <<'EOF'
#meta,format,kaoping-table/1
#meta,kind,indicators
#meta,id,expert
#meta,title,综合评估
code,path,points,rule,applies
1,信息公开,60,judged,市级部门
2,解读回应,40,judged,市级部门
EOF
cat >w/scheme.csv <<'EOF'
#meta,format,kaoping-table/1
#meta,kind,scheme
#meta,id,w2016
#meta,title,加权方案
#meta,year,2016
#meta,combine,weighted
table,label,applies,weight
public.csv,公众评估,,30
expert.csv,综合评估,,70
EOF
cat >w/facts.csv <<EOF
$H
甲局,public,1,score,,85,考核,,,,
甲局,expert,1,score,,50,考核,,,,
甲局,expert,2,score,,40,考核,,,,
乙局,public,1,score,,95,考核,,,,
乙局,expert,信息公开,score,,60,考核,,,,
乙局,expert,解读回应,score,,20,考核,,,,
丙局,public,1,score,,70,考核,,,,
丙局,expert,1,score,,60,考核,,,,
丙局,expert,2,score,,40,考核,,,,
EOF

suite() {
  local be=$1
  echo "# ---- backend: $be ($DB)"

  # ---- eval new --scheme -------------------------------------------------
  kr eval new --table pzh2016 --db "$DB"
  expect_status 2 "$be: --table with a scheme exits 2"
  expect_err "pzh2016 是考评方案，不是一张指标表：请用 --scheme pzh2016" "$be: and says to use --scheme"
  kr eval new --table pzh2016-gk --scheme pzh2016 --db "$DB"
  expect_status 2 "$be: --table and --scheme together exit 2"
  kr eval new --scheme pzh2016 --db "$DB" --author 张三
  expect_status 0 "$be: eval new --scheme pzh2016 exits 0"
  expect_out "已创建轮次“2016-pzh2016”：方案 pzh2016" "$be: names the round and the scheme"
  expect_out "5 张表，单位 80 个（pzh-units 中方案适用的；另 2 个不适用）" "$be: 63 市级部门 + 5 县区 + 9 群团 + 2 驻外办事处 + 1 高新区 = 80; the 2 高校 have no table"
  # 考核对象: 政务公开 “纳入政务（信息）公开考核的市级有关部门”; 效能建设
  # “各区县、市级各部门” (5 + 63 = 68); 政务信息 附件1 市级部门、群团、驻外办事处
  # as the 任务分配表 lists them (56 − 钒钛高新区管委会 on 附件3 + 9 + 2 = 66;
  # issue 12: the 8 registry units without a quota are not assessed),
  # 附件2 县区 (5), 附件3 钒钛高新区管委会 (1)
  expect_out "政务公开    pzh2016-gk            63 个单位" "$be: 政务公开 on the 63 市级部门"
  expect_out "效能建设    pzh2016-xn            68 个单位" "$be: 效能建设 on 县区 and 市级部门"
  expect_out "政务信息    pzh2016-info-dept     66 个单位" "$be: 政务信息（附件1） on the 66 units of the 任务分配表"
  expect_out "政务信息    pzh2016-info-county   5 个单位" "$be: 政务信息（附件2） on the 5 县区"
  expect_out "政务信息    pzh2016-info-gxq      1 个单位" "$be: 政务信息（附件3） on 钒钛高新区管委会"
  kr eval list --db "$DB" --json
  jqt '.[0].scheme == "pzh2016" and (.[0].tables | length) == 5 and .[0].units == 80' "$be: eval list --json gives the scheme and its five tables"

  # ---- facts name their table; ambiguity and wrong tables refused whole ----
  local before
  before=$(facts_of 2016-pzh2016)
  bad() {  # bad NAME EXPECTED-MESSAGE  (file content on stdin)
    cat >"$1"
    kr eval facts add "$1" --db "$DB"
    expect_status 2 "$be: $1 refused with exit 2"
    expect_err "$2" "$be: $1: message names file and line"
    check test "$(grep -c . _err)" = 1 -- "$be: $1: one message"
  }
  bad ambiguous.csv "ambiguous.csv:3: 指标“3”在单位“市民政局”考评的几张表中都有（pzh2016-gk、pzh2016-xn、pzh2016-info-dept），请在 table 列写明是哪张表" \
    < <(printf '%s\n市民政局,pzh2016-gk,1.1,fail,,,考核,,,,\n市民政局,,3,fail,,,考核,,,,\n' "$H")
  bad not-its-table.csv "not-its-table.csv:2: 单位“东区人民政府”不按表 pzh2016-gk 考评（它的表：pzh2016-xn、pzh2016-info-county）" \
    < <(printf '%s\n东区政府,pzh2016-gk,1.1,fail,,,考核,,,,\n' "$H")
  bad no-such-table.csv "no-such-table.csv:2: 表“pzh2015-gk”不在本轮次中（本轮次的表：pzh2016-gk、pzh2016-xn、pzh2016-info-dept、pzh2016-info-county、pzh2016-info-gxq）" \
    < <(printf '%s\n市民政局,pzh2015-gk,1.1,fail,,,考核,,,,\n' "$H")
  bad not-in-any.csv "not-in-any.csv:2: 指标“组织保障”不在单位“东区人民政府”考评的表（pzh2016-xn、pzh2016-info-county）中" \
    < <(printf '%s\n东区政府,,组织保障,fail,,,考核,,,,\n' "$H")
  bad over-max.csv "over-max.csv:2: " < <(printf '%s\n市民政局,pzh2016-info-dept,1,score,,6,考核,,,,\n' "$H")
  check test "$(facts_of 2016-pzh2016)" = "$before" -- "$be: no refused file stored a fact"

  kr eval facts add "$S" --db "$DB" --author 李四
  expect_status 0 "$be: the sample facts go in"
  expect_out "已登记 20 条事实到轮次“2016-pzh2016”" "$be: all 20"
  # no table column: a path found in only one of the unit's tables is
  # that table's (基础工作 is 政务信息's alone among 市民政局's three)
  printf 'unit,indicator,kind,value,source\n民政局,基础工作,score,5,自评\n' >inferred.csv
  kr eval facts add inferred.csv --db "$DB"
  expect_status 0 "$be: a fact whose indicator only one of the unit's tables has needs no table column"

  kr eval score --db "$DB" --author 王五
  expect_status 0 "$be: score exits 0"
  expect_out "80 个单位，依据 21 条事实" "$be: score says what it used"

  # ---- the ranking by the combined result ------------------------------------
  kr eval rank --db "$DB" --json
  expect_status 0 "$be: rank --json exits 0"
  # 市总工会: 附件1 “只有市级任务的单位，此项得分满分为 80 分”: 20/20 → 80;
  # 基础工作 5, 报送工作 15 (no failure) → 100; “满分3分” → 3 × 100 ÷ 100 = +3.00
  jqt '.results[0] | .rank == 1 and .unit == "市总工会" and .total == 3' "$be: 1 市总工会 +3.00"
  # 市民政局 (hand-worked in tests/score/test_score.c scheme_sum):
  # 政务公开 100 − 2.5 − 5 − 5 − 5 = 82.5, “最多扣2分” → 2 × 17.5 ÷ 100 = −0.35;
  # 效能建设 100 → −0.00; 政务信息 5 + 13 + 44.8 + 16 = 78.8, “满分3分” → 2.364;
  # −0.35 − 0 + 2.364 = 2.014 → +2.01
  jqt '.results[1] | .rank == 2 and .unit == "市民政局" and .total == 2.014' "$be: 2 市民政局 +2.01 (2.014 exactly in JSON)"
  jqt '.results[1].parts | map(.label + " " + (.value | tostring)) == ["政务公开 -0.35", "效能建设 0", "政务信息 2.364"]' "$be: 市民政局's three parts: −0.35, 0.00, +2.36"
  jqt '.results[1].parts[0] | .total == 82.5 and .convert == "deduct:2" and .converted == 0.35' "$be: 政务公开 82.50, 扣0.35"
  # 钒钛高新区管委会, 附件3: 基础 5, 报送 15; 采用 市级 60/120 = 50% “得 50% 分数”
  # 64 × 0.5 = 32, 省级 3/9 = 33% “得 30% 分数” 16 × 0.3 = 4.8 → 56.8;
  # “钒钛高新区按1分计” → 1 × 56.8 ÷ 100 = 0.568 → +0.57
  jqt '.results[2] | .rank == 3 and .unit == "钒钛高新区管委会" and .total == 0.568' "$be: 3 钒钛高新区管委会 +0.57"
  # 东区人民政府: 效能建设 “少一项制度扣5分” × 2 = 10, “违反一项扣10分，最多扣20分”
  # × 3 → 20: 70, “最多扣 2 分” → 2 × 30 ÷ 100 = −0.60; 政务信息 附件2 “每月报送信息
  # 不足 8 条的，扣 2 分” → 13; 采用 市级 120/150 = 80% “扣 30% 分数” → 44.8, 省级
  # 12/12 “完成采用目标任务不扣分” 16 → 78.8; “最多扣1分” → 1 × 21.2 ÷ 100 = −0.212;
  # −0.60 − 0.212 = −0.812 → −0.81
  jqt '.results[78] | .rank == 79 and .unit == "东区人民政府" and .total == -0.812' "$be: 79 东区人民政府 −0.81 (−0.812 exactly in JSON)"
  # 市公安局: “政府或部门网站被省级或以上部门通报批评的……直接从责任单位目标考核
  # 总分中扣2分” → −2.00; 效能建设 −0.00; 政务信息 nothing recorded: 报送 15 (倒扣分),
  # 基础工作 and 采用情况 未评 0 → 15, 3 × 15 ÷ 100 = +0.45; −2 + 0.45 = −1.55
  jqt '.results[79] | .rank == 80 and .unit == "市公安局" and .total == -1.55 and .vetoed == true' "$be: 80 市公安局 −1.55, with a veto"
  jqt '[.results[] | select(.unit == "西区人民政府")][0] | .total == -0.8' "$be: a county with no facts: 效能建设 −0.00, 政务信息 采用 未评 → 20, 1 × 80 ÷ 100 = −0.80"
  jqt '.results | length == 80' "$be: every unit ranked"
  kr eval rank --db "$DB"
  expect_out "轮次“2016-pzh2016”（方案 pzh2016，合并规则 相加）排名" "$be: the text ranking names the scheme"
  expect_out "合计      政务公开      效能建设      政务信息      结果" "$be: one column per label"
  expect_out "2     市民政局                      +2.01     −0.35         −0.00         +2.36" "$be: 市民政局's row"
  expect_out "3     钒钛高新区管委会              +0.57     —             —             +0.57" "$be: 钒钛高新区管委会: 政务信息 only"
  expect_out "80    市公安局                      −1.55     −2.00（否决） −0.00         +0.45         有否决" "$be: the veto is marked"

  # ---- one unit: each table and the combination line ------------------------
  kr eval show 民政局 --db "$DB"
  expect_status 0 "$be: show exits 0"
  expect_out "【政务公开】2016年政务（信息）公开工作考评表（pzh2016-gk）" "$be: the 政务公开 sheet"
  expect_out "合计：82.50 / 100（自评 97.50）；折算扣 0.35 分" "$be: 政务公开 total, self 100 − 2.5, converted"
  expect_out "【政务信息】攀枝花市市级政务信息工作考评表（pzh2016-info-dept）" "$be: the 政务信息 sheet (附件1)"
  expect_out "合计：78.80 / 100（自评 20.00）；折算得 2.36 分" "$be: 政务信息 total; self: the inferred 基础工作 5 + 报送 15 (倒扣分) + 采用 未评 0 = 20"
  expect_out "方案 pzh2016 合计：政务公开 −0.35 + 效能建设 −0.00 + 政务信息 +2.36 = +2.01；名次 2 / 80" "$be: the combination line with the rank"
  kr eval show 东区 --db "$DB" --explain
  expect_out "2 改进机关作风 20 → 0：扣20分（每项10分×3项，按上限）" "$be: explain: 最多扣20分"
  expect_out "折算（最多扣2分）：2×（100−70）÷100 = 扣0.60分" "$be: explain: 效能建设 converted"
  expect_out "折算（最多扣1分）：1×（100−78.8）÷100 = 扣0.21分" "$be: explain: 政务信息 converted"
  expect_out "合并（方案 pzh2016，sum）：效能建设 −0.60 + 政务信息 −0.21 = −0.81" "$be: explain: the combination"
  kr eval show 市公安局 --db "$DB"
  expect_out "方案 pzh2016 合计：政务公开 −2.00 + 效能建设 −0.00 + 政务信息 +0.45 = −1.55" "$be: the veto's 扣2分 in the combination"
  kr eval show 市民政局 --db "$DB" --json
  jqt '.unit == "市民政局" and .total == 2.014 and .rank == 2 and .scheme == "pzh2016" and .combine == "sum"' "$be: show --json: the combined total and rank"
  jqt '.combination == "政务公开 −0.35 + 效能建设 −0.00 + 政务信息 +2.36 = +2.01"' "$be: show --json: the combination line"
  jqt '.tables | map(.table) == ["pzh2016-gk", "pzh2016-xn", "pzh2016-info-dept"]' "$be: show --json: the unit's three tables"
  jqt '[.nodes[] | select(.table == "pzh2016-gk" and .code == "1")][0] | .self == 7.5 and .assessor == 7.5 and .score == 7.5' "$be: show --json: every node names its table"
  jqt '[.nodes[] | select(has("self") and has("assessor") and has("reasons") | not)] | length == 0' "$be: show --json: self and assessor on every node"
  kr eval show 市总工会 --db "$DB"
  expect_out "方案 pzh2016 合计：政务信息 +3.00 = +3.00；名次 1 / 80" "$be: a unit on one table of the scheme"

  # ---- scheme files that contradict the tables are refused at eval new ------
  cat >contra.csv <<'EOF'
#meta,format,kaoping-table/1
#meta,kind,scheme
#meta,id,contra
#meta,title,矛盾的方案
#meta,combine,sum
#meta,registry,pzh-units
table,label,applies
pzh2016-gk,政务公开,县区
EOF
  kr eval new --scheme contra.csv --db "$DB"
  expect_status 2 "$be: a scheme giving a table to units it does not apply to exits 2"
  expect_err "contra.csv:8: applies 选中了单位“东区人民政府”（县区），但表 pzh2016-gk 的一级指标都不适用于它" "$be: and names the line, unit and table"
  cat >twice.csv <<'EOF'
#meta,format,kaoping-table/1
#meta,kind,scheme
#meta,id,twice
#meta,title,重复的方案
#meta,combine,sum
#meta,registry,pzh-units
table,label
pzh2016-info-county,政务信息
pzh2016-xn,政务信息
EOF
  kr eval new --scheme twice.csv --db "$DB"
  expect_status 2 "$be: two tables of one label on one unit exits 2"
  expect_err "twice.csv:9: 单位“东区人民政府”同时适用“政务信息”的两张表 pzh2016-info-county（第 8 行）和 pzh2016-xn" "$be: and says which"
  check test "$(K eval list --db "$DB" --json | jq length)" = 1 -- "$be: no round was made by the refused schemes"

  # ---- the weighted scheme --------------------------------------------------
  kr eval new --scheme w/scheme.csv --units w/units.csv --db "$DB"
  expect_status 0 "$be: a weighted scheme from files"
  expect_out "已创建轮次“2016-w2016”：方案 w2016（加权方案），2 张表，单位 3 个" "$be: 丁县 has no table"
  kr eval facts add w/facts.csv --db "$DB"
  expect_status 0 "$be: weighted facts"
  kr eval score --db "$DB"
  kr eval rank --db "$DB" --json
  # Σ w × total ÷ Σ w: 丙局 70 × 30% + (60 + 40) × 70% = 21 + 70 = 91;
  # 甲局 85 × 30% + (50 + 40) × 70% = 25.5 + 63 = 88.5;
  # 乙局 95 × 30% + (60 + 20) × 70% = 28.5 + 56 = 84.5
  jqt '.results | map(.unit + " " + (.total | tostring) + " " + (.rank | tostring)) == ["丙局 91 1", "甲局 88.5 2", "乙局 84.5 3"]' "$be: weighted ranking 91, 88.5, 84.5"
  jqt '.results[1].parts | map(.label + " " + (.value | tostring)) == ["公众评估 85", "综合评估 90"]' "$be: the weighted parts are the totals"
  kr eval show 甲 --db "$DB"
  expect_out "方案 w2016 合计：公众评估 85 × 30% + 综合评估 90 × 70% = 88.5；名次 2 / 3" "$be: the weighted combination line"
  # a table of the scheme edited after facts: refused like a single table
  sed -i 's/^2,解读回应,40,judged,市级部门$/2,解读回应,45,judged,市级部门/' w/expert.csv
  kr eval facts add w/facts.csv --db "$DB"
  expect_status 2 "$be: facts after a scheme table was edited exit 2"
  expect_err "表 expert 在本轮次登记事实之后被修改过" "$be: and name the table"
  sed -i 's/^2,解读回应,45,judged,市级部门$/2,解读回应,40,judged,市级部门/' w/expert.csv
}

# ---- SQLite ---------------------------------------------------------------------
DB=$PWD/k.db
suite sqlite
K eval rank --round 2016-pzh2016 --db "$DB" --json >rank-sqlite.json
for u in 市民政局 东区人民政府 市公安局; do
  K eval show "$u" --round 2016-pzh2016 --db "$DB" --json --explain >>show-sqlite.json
done

# ---- PostgreSQL ---------------------------------------------------------------
on_pg() {
  suite postgresql
  K eval rank --round 2016-pzh2016 --db "$DB" --json >rank-pg.json
  for u in 市民政局 东区人民政府 市公安局; do
    K eval show "$u" --round 2016-pzh2016 --db "$DB" --json --explain >>show-pg.json
  done
  check cmp -s rank-sqlite.json rank-pg.json -- "the same scheme ranking from SQLite and PostgreSQL"
  check cmp -s show-sqlite.json show-pg.json -- "the same score sheets and explanations from SQLite and PostgreSQL"
}
on_postgresql kp_scheme on_pg

# ---- the README's quick start: `make demo` runs scripts/demo.sh, which now
# also makes, scores and ranks a round on the pzh2016 scheme ----------------
bash "$KP_ROOT/scripts/demo.sh" "$KAOPING" >_out 2>_err; STATUS=$?
expect_status 0 "demo: scripts/demo.sh exits 0"
expect_out "已创建轮次“2016-pzh2016”：方案 pzh2016" "demo: makes the scheme round"
expect_out "2     市民政局                      +2.01     −0.35         −0.00         +2.36" "demo: ranks it"
expect_out "合并（方案 pzh2016，sum）：政务公开 −0.35 + 效能建设 −0.00 + 政务信息 +2.36 = +2.01" "demo: shows one unit's combination"

# ---- issue 12: units without any fact are not silently ranked beside the
# assessed ones — in a scheme round each part's pending nodes count, and
# the unit is 未完成 (listed after the complete units) --------------------
DB=$PWD/status.db
K eval new --scheme pzh2016 --db "$DB" >/dev/null
K eval facts add "$S" --db "$DB" >/dev/null
K eval score --db "$DB" >/dev/null
kr eval rank --db "$DB" --json
jqt '[.results[] | select(.unit == "西区人民政府")][0] | .total == -0.8 and .complete == false and .pending > 0' "status: 西区人民政府 (no facts, −0.80) is incomplete"
jqt '.results[] | select(.unit == "市公安局") | .vetoed == true and .veto == "8 政府或部门网站被省级或以上部门通报批评的"' "status: 市公安局's veto named in the scheme ranking"
kr eval rank --db "$DB"
expect_out "−0.80" "status: the text ranking still shows the provisional −0.80"
check grep -qE '^[0-9]+ +西区人民政府 .*未完成（[0-9]+ 项未评）$' _out -- "status: …marked 未完成"
# a whole-unit assessed fact in a scheme round covers each of its tables
printf '%s\n' "unit,indicator,kind,name,value,source" "西区人民政府,*,assessed,,,考核" >whole.csv
kr eval facts add whole.csv --db "$DB"
expect_out "已登记 2 条事实" "status: * for a county: one assessed fact per table it is on (政务公开 is not)"
kr eval status --unit 西区人民政府 --db "$DB" --json
jqt '.status[0] | .pending == 1 and (.lacks.assessor | length) == 0 and ([.lacks.ledger[] | .table + " " + .code] == ["政务信息 3"])' "status: once * is declared nothing is left to the assessor; 政务信息 3 采用情况 (tiered) still waits for the ledger"
