# Black-box tests of issue 12's applicability and input rules: which units
# a table assesses (the 任务分配表 for 政务信息, the responsible units for
# seed 001), facts refused on nodes that do not apply, a unit's own
# maximum, and the registry's websites kept in a round.  Sourced by
# tests/lib/runone.sh in an empty temporary directory with $KAOPING and
# $KP_ROOT set.

kr() {
  run "$@"
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' _err; then
    _notok "no sanitizer report from: kaoping $*"
  fi
}
export USER=测试员
H='unit,indicator,kind,name,value,source'

# ---- 政务信息 (附件1) applies to the units of the 任务分配表: 56 市级部门
# (less 钒钛高新区管委会, on 附件3) + 9 群团 + 2 驻外办事处 = 66; the 8
# registry 市级部门 without a quota are not assessed on it ----
kr eval new --table pzh2016-info-dept --db info.db
expect_status 0 "eval new --table pzh2016-info-dept exits 0"
expect_out "单位 66 个（pzh-units 中表适用的；另 16 个不适用）" "附件1: the 66 units of the 任务分配表 (was 74)"
for u in 市信访局 市金融办 市公共资源交易中心 市编办 市政府新闻办 市网信办 市电子政务办 市目标督查办; do
  kr eval show "$u" --db info.db
  expect_status 2 "附件1: $u (no quota) is not in the round"
done
kr eval show 市民政局 --db info.db
expect_status 0 "附件1: 市民政局 (quota 120/9) is in the round"
kr eval new --scheme pzh2016 --db s.db
expect_out "政务信息    pzh2016-info-dept     66 个单位" "scheme: 政务信息（附件1） on 66 units"
expect_out "政务公开    pzh2016-gk            63 个单位" "scheme: 市信访局 and the others stay on 政务公开 (63)"
kr eval show 市信访局 --db s.db --json
check jq -e '.tables | map(.table) == ["pzh2016-gk","pzh2016-xn"]' _out -- "scheme: 市信访局 is assessed on 政务公开 and 效能建设 only" 
kr eval score --db s.db
kr eval rank --db s.db --json
check jq -e '[.results[] | select(.unit == "市信访局") | .parts[].label] == ["政务公开","效能建设"]' _out -- "scheme: 市信访局's ranking row has no 政务信息 part"
check jq -e '[.results[] | select(.parts | map(.table) | index("pzh2016-info-dept"))] | length == 66' _out -- "scheme: 66 ranking rows carry a 附件1 part"

# ---- seed 001: a county is assessed on its own items and reaches 100 when
# it meets them: 16 items of 一 share 30 (15/8 each), 4.3 and 4.5 (5
# each), 7 items of 五 share 10 (10/7 each) — 50 points, ×2 = 100 ----
kr eval new --table pj2017-gk --db pj.db
{
  echo "$H"
  for c in 1.2 1.5 1.6 1.7 1.8 1.9 1.10 1.11 1.12 1.13 1.14 1.15 1.16 1.17 1.19 1.20; do
    echo "盘山县,$c,score,,15/8,考核"
  done
  echo "盘山县,4.3,score,,5,考核"
  echo "盘山县,4.5,score,,5,考核"
  for c in 5.1 5.2 5.3 5.4 5.5 5.6 5.7; do echo "盘山县,$c,score,,10/7,考核"; done
} > county.csv
kr eval facts add county.csv --db pj.db
expect_status 0 "001: the county's 25 facts are accepted"
expect_out "已登记 25 条事实" "001: 25 facts stored"
kr eval show 盘山县 --db pj.db
expect_out "合计：100.00 / 100" "001: 盘山县 meets its own items: 100.00 of 100 (was at most 40 of the 40 shared over 103 items)"
expect_out "1.2       1.875   —       1.88    1.88" "001: 1.2 is one of 16 county items of 一 (30 ÷ 16 = 1.875)"
kr eval show 盘山县 --db pj.db --json
check jq -e '.max == "100.00" and .total == "100.00"' _out -- "001: JSON total 100.00 of 100.00"
check jq -e '.nodes[] | select(.code == "2.1") | .applies == false' _out -- "001: 2.1 (市编办's item) does not apply to 盘山县"

# ---- a fact on a node that does not apply to the unit: refused, the node
# and the unit named, exit 2, nothing stored ----
n0=$(sqlite3 pj.db "SELECT COUNT(*) FROM facts")
printf '%s\n%s\n' "$H" "盘山县,2.1,score,,1,自评" > na-self.csv
kr eval facts add na-self.csv --db pj.db
expect_status 2 "a self fact on 2.1 (市编办 only) for 盘山县 exits 2"
expect_err "na-self.csv:2: 指标“2.1 权力运行重点领域信息/公开市政府部门权责清单、中介服务事项清单”不适用于单位“盘山县人民政府”（县区；适用范围：市编办），不能记自评事实" "the message names the node, the unit and the applies cell"
printf '%s\n%s\n%s\n' "$H" "市编办,2.1,score,,1,考核" "盘山县,2.2,score,,1,考核" > na-assessor.csv
kr eval facts add na-assessor.csv --db pj.db
expect_status 2 "an assessor fact on 2.2 for 盘山县 exits 2"
expect_err "na-assessor.csv:3: 指标“2.2" "the assessor fact is refused on its line"
check test "$(sqlite3 pj.db "SELECT COUNT(*) FROM facts")" = "$n0" -- "nothing stored (not even 市编办's good line)"

# ---- a self score above the unit's own maximum: refused (self totals could
# reach 102.50 of 100) ----
printf '%s\n%s\n' "$H" "盘山县,1.2,score,,1.9,自评" > over.csv
kr eval facts add over.csv --db pj.db
expect_status 2 "a self score 1.9 on 1.2 (1.875 for a county) exits 2"
expect_err "评分 1.9 超过指标“1.2 " "the message says the score is above the maximum"
expect_err "对单位“盘山县人民政府”的满分 1.875" "… and names the unit's own maximum 1.875"
printf '%s\n%s\n' "$H" "市编办,2.1,score,,40,自评" > dept.csv
kr eval facts add dept.csv --db pj.db
expect_status 2 "市编办 has two items of 二 (40 ÷ 2 = 20 each): 40 is refused"
expect_err "对单位“市编办”的满分 20" "市编办's own maximum of 2.1 is 20"

# ---- a new round keeps each unit's website from the registry ----
cat > units.csv <<'E2'
#meta,format,kaoping-table/1
#meta,kind,units
#meta,id,w-units
#meta,title,测试名录
name,type,aliases,tags,website
市民政局,市级部门,民政局,,http://mzj.example.gov.cn/
市水务局,市级部门,,,
E2
kr eval new --table pzh2016-gk --units units.csv --db web.db
expect_status 0 "eval new with a registry that has websites exits 0"
check test "$(sqlite3 web.db "SELECT website FROM units WHERE name = '市民政局'")" = "http://mzj.example.gov.cn/" -- "the round's 市民政局 keeps its website"
check test "$(sqlite3 web.db "SELECT website FROM units WHERE name = '市水务局'")" = "" -- "a unit without a website keeps none"
