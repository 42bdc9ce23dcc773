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
check jq -e '.max == 100 and .total == 100' _out -- "001: JSON total 100.00 of 100.00"
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

# ---- forgiving where unambiguous, exact where not (a 政务公开 round) ----
kr eval new --table pzh2016-gk --db gk.db
H7='unit,indicator,kind,name,value,source,time'
n0=$(sqlite3 gk.db "SELECT COUNT(*) FROM facts")
{
  echo "$H7"
  echo "市民证局,1,fail,,1,考核,"
  echo "东区政府,1,fail,,1,考核,"
  echo "市民政局,1,fail,,1,考核,2016-12-01 25:00"
  echo "市民政局,1,fail,,1,考核,2016-12-01 10:99"
  echo "市民政局,1,fail,,1,评审,"
  echo "市民政局,1,score,,33.333333333333333333,考核,"
  echo "市民政局,组织保障x,fail,,1,考核,"
  echo "市水务局,1,fail,,1,考核,2016-12-01T10:30:00+08:00"
} > many.csv
kr eval facts add many.csv --db gk.db
expect_status 2 "a file with 7 bad rows exits 2"
expect_err "many.csv:2: 单位“市民证局”不在轮次“2016-pzh2016-gk”的单位名录（pzh-units）中。您是不是指 市民政局？" "an unknown unit gets the nearest name"
expect_err "many.csv:3: 单位“东区政府”在单位名录（pzh-units）中，但不在轮次“2016-pzh2016-gk”中：本轮次的表不考核它" "a registry unit outside the round is told it is outside the round"
expect_err "many.csv:4: 时间“2016-12-01 25:00”不存在" "hour 25 is refused"
expect_err "many.csv:5: 时间“2016-12-01 10:99”不存在" "minute 99 is refused"
expect_err "many.csv:6: 未知的来源“评审”" "an unknown source is told on its row"
expect_err "many.csv:7: 数值“33.333333333333333333”小数超过 9 位，不能精确记录：请写成分数（如 100/3）或不超过 9 位小数" "20 decimals are refused for their true reason"
expect_err "many.csv:8: 指标“组织保障x”不在单位“市民政局”的表中。您是不是指 组织保障" "an unknown indicator gets the nearest names"
expect_err "many.csv：7 行有误（见上），未登记任何事实" "every bad row is counted: 7"
check test "$(sqlite3 gk.db "SELECT COUNT(*) FROM facts")" = "$n0" -- "nothing stored, not even the good last row"
{ echo "$H7"; for i in $(seq 1 25); do echo "市民证局,1,fail,,1,考核,"; done; } > lots.csv
kr eval facts add lots.csv --db gk.db
expect_status 2 "25 bad rows exit 2"
check test "$(grep -c '不在轮次' _err)" = 20 -- "the first 20 bad rows are told"
expect_err "……另有 5 行有误" "… then how many more (5)"
expect_err "lots.csv：25 行有误" "and the count (25)"

# an indicator by its last-level name alone, when unique in the unit's tables
printf '%s\n%s\n' "$H7" "市民政局,组织保障,fail,,1,考核,2016-12-01 10:30" > byname.csv
kr eval facts add byname.csv --db gk.db
expect_status 0 "组织保障 (unique last-level name) is taken"
check test "$(sqlite3 gk.db "SELECT f.indicator FROM facts f JOIN units u ON u.id = f.unit_id WHERE u.name = '市民政局'")" = 1 -- "stored under its code 1"
# 33.333333333 (9 decimals) is exact
printf '%s\n%s\n' "$H7" "盘山县,1.2,score,,33.333333333,自评," > nine.csv
kr eval facts add nine.csv --db pj.db
expect_status 2 "33.333333333 on 1.1 is checked against its maximum, not refused as a number"
expect_err "评分 33.33 超过指标“行政权力信息公开/具有市场监管职责部门公开随机抽查事项清单，及时公布抽查结果和查处情况”的满分 30" "… the true reason: above the maximum"

# JSON duplicate keys are refused
echo '[{"unit":"市民政局","unit":"市水务局","indicator":"1","kind":"fail","source":"考核"}]' > dup.json
kr eval facts add dup.json --db gk.db
expect_status 2 "a JSON fact with the key unit twice exits 2"
expect_err "dup.json:1: JSON 对象中同一个键出现了两次" "… and says the key is there twice"

# an empty facts file, or a header alone: a note and exit 0
: > empty.csv
kr eval facts add empty.csv --db gk.db
expect_status 0 "an empty facts file exits 0"
expect_err "empty.csv：文件是空的，未登记任何事实" "… with a note"
printf '%s\n' "$H7" > header.csv
kr eval facts add header.csv --db gk.db
expect_status 0 "a header alone exits 0"
expect_err "header.csv：文件中没有事实，未登记任何事实" "… with a note"

# without $USER the author is the operating-system account
printf '%s\n%s\n' "$H7" "市水务局,1,fail,,1,考核," > who.csv
env -u USER "$KAOPING" eval facts add who.csv --db gk.db >_out 2>_err
check test "$(sqlite3 gk.db "SELECT author FROM batches ORDER BY id DESC LIMIT 1")" = "$(id -un)" -- "an unset \$USER gives the account $(id -un), not unknown"

# ---- docs/scheme.md shows data/schemes/pzh2016.csv as it is ----
awk '/^```csv$/ { if (!done) { on = 1; next } } on && /^```$/ { on = 0; done = 1 } on' "$KP_ROOT/docs/scheme.md" > doc-scheme.csv
check cmp -s doc-scheme.csv "$KP_ROOT/data/schemes/pzh2016.csv" -- "docs/scheme.md's example is data/schemes/pzh2016.csv byte for byte"
check grep -q "^pzh2016-gk,政务公开,市级部门," "$KP_ROOT/data/schemes/pzh2016.csv" -- "政务公开: 钒钛高新区管委会 (高新区) not assessed — one line of the scheme"

# ---- terminal control characters in notes and names are escaped ----
kr eval new --table pzh2016-gk --db esc.db
printf 'unit,indicator,kind,name,value,source,note\n市民政局,1.1,fail,,1,考核,"坏\033[2J\033]0;x\007说明"\n' > esc.csv
kr eval facts add esc.csv --db esc.db --author $'张\033[31m三'
expect_status 0 "a note with ESC and BEL is stored"
kr eval show 市民政局 --db esc.db --explain
check grep -qF '坏\x1b[2J\x1b]0;x\x07说明' _out -- "eval show --explain prints the note's ESC and BEL escaped"
check bash -c "! grep -q $'\033' _out" -- "… and no raw ESC reaches the terminal"
kr eval log --db esc.db
check grep -qF '张\x1b[31m三  facts-add' _out -- "eval log prints the author's ESC escaped"

# ---- times shown in Beijing time ----
kr eval log --db esc.db --json
utc=$(jq -r '.[0].at' _out)
bj=$(TZ=Asia/Shanghai date -d "$utc" '+%Y-%m-%d %H:%M:%S+08:00')
kr eval log --db esc.db
check test "$(head -n 1 _out | cut -c1-25)" = "$bj" -- "eval log shows $utc as $bj"

# ---- lint reports an overflow instead of skipping the check ----
cat > ov.csv <<'E2'
#meta,format,kaoping-table/1
#meta,kind,indicators
#meta,id,ov
#meta,title,溢出
code,path,points,rule
1,甲,1,sum
1.1,甲/乙,1/999999999989,judged
1.2,甲/丙,1/999999999959,judged
E2
kr table lint ov.csv
expect_status 1 "lint of a sum whose exact total overflows exits 1"
expect_out "ov.csv:6: [数值溢出] “甲”的子项分值合计超出可精确计算的范围（分母或数值过大），无法检查合计" "… and says so, with the node"

# ---- facts files as offices keep them: GBK CSV and XLSX ----
kr eval new --table pzh2016-gk --db fmt.db
printf 'unit,indicator,kind,name,value,source,note\n市民政局,1.1,fail,,1,考核,未明确分管领导\n' | iconv -f UTF-8 -t GBK > gbk.csv
kr eval facts add gbk.csv --db fmt.db
expect_status 0 "a GBK CSV facts file is read"
kr eval show 市民政局 --db fmt.db --explain
expect_out "未明确分管领导" "… its Chinese note arrives as written"
printf 'unit,indicator,kind,name,value,source\n市民政局,1.1,fail,,1,考核\n市民证局,1.1,fail,,1,考核\n' | iconv -f UTF-8 -t GBK > gbk-bad.csv
kr eval facts add gbk-bad.csv --db fmt.db
expect_err "gbk-bad.csv:3: 单位“市民证局”" "a bad row of a GBK file is named by its line (3)"
python3 - <<'PY'
import zipfile
rows = [["unit", "indicator", "kind", "name", "value", "source"],
        None,
        ["市水务局", "1.1", "扣分", "", "1", "考核"],
        ["市水务局", "9.9", "扣分", "", "1", "考核"]]
def cell(r, c, v):
    ref = "ABCDEF"[c] + str(r)
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, v)
body = "".join('<row r="%d">%s</row>' % (i + 1, "".join(cell(i + 1, c, v) for c, v in enumerate(row)))
               for i, row in enumerate(rows) if row)
def write(name, rs):
    z = zipfile.ZipFile(name, "w")
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="事实" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>' % rs)
    z.close()
write("bad.xlsx", body)
write("good.xlsx", "".join('<row r="%d">%s</row>' % (i + 1, "".join(cell(i + 1, c, v) for c, v in enumerate(row)))
                           for i, row in enumerate(rows[:3]) if row))
PY
kr eval facts add bad.xlsx --db fmt.db
expect_status 2 "an XLSX facts file with a bad row exits 2"
expect_err "bad.xlsx:4: 指标“9.9”" "… naming the spreadsheet row (4) a person sees"
kr eval facts add good.xlsx --db fmt.db
expect_status 0 "an XLSX facts file is read"
expect_out "已登记 1 条事实" "… its one fact stored"
kr eval show 市水务局 --db fmt.db
expect_out "合计：97.50 / 100" "市水务局: 1.1 扣2.5分 once → 97.50"

# ---- eval template: the blank sheet a unit fills in, and back ----
kr eval template --unit 盘山县 --db pj.db -o 盘山县.csv
expect_status 0 "eval template --unit 盘山县 -o 盘山县.csv exits 0"
expect_out "已写出“盘山县”的自评表 盘山县.csv：25 项" "the county's 25 items (16 + 2 + 7)"
check test "$(head -n 1 盘山县.csv)" = "单位,表,指标,指标名称,满分,评分标准,类型,数值,来源,证据链接,说明" -- "the header: facts columns plus 指标名称, 满分, 评分标准"
check grep -q "^盘山县人民政府,pj2017-gk,1.2,行政权力信息公开/具有市场监管职责部门公开随机抽查事项清单，及时公布抽查结果和查处情况,1.875,评估员打分,评分,,自评,," 盘山县.csv -- "1.2 with the county's own 满分 1.875 and its rule in Chinese"
check bash -c '! grep -q ",2.1," 盘山县.csv' -- "2.1 (市编办's item) is not on the county's sheet"
kr eval new --table pj2017-gk --db tpl.db
sed 's/^\(盘山县人民政府,pj2017-gk,1.2,.*,评分,\),自评/\11.5,自评/' 盘山县.csv > filled.csv
kr eval facts add filled.csv --db tpl.db
expect_status 0 "the filled sheet goes back through eval facts add"
expect_out "已登记 1 条事实" "… its one filled row stored, the 24 blank rows passed over"
kr eval show 盘山县 --db tpl.db
expect_out "1.2       1.875   1.50" "1.2's self score 1.50 of 1.875"
kr eval template --unit 市民政局 --db gk.db -o 民政.xlsx
expect_status 0 "eval template -o 民政.xlsx exits 0"
check python3 -c 'import zipfile,sys; z=zipfile.ZipFile("民政.xlsx"); s=z.read("xl/sharedStrings.xml").decode(); sys.exit(0 if "评分标准" in s and "扣分" in s and "deduct" not in s and "amount" not in s else 1)' -- "the XLSX sheet has the 评分标准 column, its rules in Chinese only (no deduct, amount)"
kr eval facts add 民政.xlsx --db gk.db
expect_status 0 "the blank XLSX sheet reads back: nothing filled"
expect_err "民政.xlsx：文件中没有事实，未登记任何事实" "… a note, exit 0"
kr eval template --unit 市民证局 --db gk.db
expect_status 2 "eval template for an unknown unit exits 2"
