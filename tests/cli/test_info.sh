# Black-box tests of `kaoping info add|import|stats|bulletin|facts`, the
# 政务信息 ledger (seed 003), as a user sees them.  Sourced by
# tests/lib/runone.sh in an empty temporary directory with $KAOPING and
# $KP_ROOT set.  The sample ledger's numbers are worked by hand in
# tests/ledger/test_info.c; here they are checked through the binary.

sample="$KP_ROOT/data/ledger/sample-2016"

kr() {
  run "$@"
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' _err; then
    _notok "no sanitizer report from: kaoping $*"
  fi
}

# py EXPR WHAT …: Python expressions over d = the JSON on stdout.
py() {
  python3 -S - "$@" >_py 2>/dev/null <<'PYEOF'
import json, sys
try:
    d = json.load(open("_out"))
except Exception:
    d = None
def unit(name):
    return [u for u in d["units"] if u["unit"] == name][0]
a = sys.argv[1:]
for i in range(0, len(a), 2):
    try:
        ok = bool(eval(a[i], {"d": d, "unit": unit}))
    except Exception:
        ok = False
    print(1 if ok else 0)
PYEOF
  local i=0 r
  while [ $# -gt 0 ]; do
    i=$((i+1)); r=$(sed -n "${i}p" _py)
    if [ "$r" = 1 ]; then _ok "$2"; else _notok "$2 (python: $1)"; fi
    shift 2
  done
}

one_msg() {
  if [ "$(wc -l <_err)" -eq 1 ] && grep -q '^kaoping: ' _err && grep -qF -- "$1" _err
  then _ok "$2"; else _notok "$2 (want exactly one 'kaoping: …$1…' line on stderr)"; fi
}

# ============================================================================
# usage
# ============================================================================
kr info
expect_status 2 "info alone exits 2"
one_msg "add、import、stats、bulletin、facts" "info alone names the subcommands"
kr help
expect_out "info import" "help lists info import"
kr info stats --period 2016
expect_status 2 "info stats without --ledger exits 2"
one_msg "--ledger" "the message names --ledger"
kr info stats --ledger "$sample" --period 2016Q5
expect_status 2 "a bad period exits 2"
one_msg "2016Q5" "the message names the period"
kr info stats --help
expect_status 0 "info stats --help exits 0"
expect_out "--period" "info stats --help lists --period"

# ============================================================================
# stats on the sample ledger (hand-worked in tests/ledger/test_info.c)
# ============================================================================
kr info stats --ledger "$sample" --period 2016 --json
expect_status 0 "info stats 2016 exits 0"
py 'len(d["units"]) == 72' "72 units of the 任务分配表" \
   'unit("市发展改革委")["submitted"] == 73' "市发展改革委 73 items" \
   'unit("市发展改革委")["duplicates"] == 1' "市发展改革委 1 duplicate" \
   'unit("市发展改革委")["city_points"] == 110' "市发展改革委 市级 110" \
   'unit("市发展改革委")["province_points"] == 9' "市发展改革委 省级 9" \
   'unit("市发展改革委")["city_ratio_ytd"] == 91.67' "市发展改革委 91.67%" \
   'unit("东区人民政府")["months_short"] == 1' "东区 one month under 8" \
   'unit("东区人民政府")["per_month"][1] == 5' "东区 5 items in February" \
   'unit("钒钛高新区管委会")["urgent_missing"] == 1' "钒钛高新区 an urgent item missing" \
   'unit("市总工会")["false_info"] == 1' "市总工会 one false item" \
   'unit("市总工会")["province_quota"] == 0' "市总工会 no 省级 task" \
   'unit("市政府驻成都办事处")["feedback_missed"] == 1' "驻成都办 a late 约稿" \
   'unit("市妇联")["months_short"] == 12' "市妇联 (nothing) 12 months short"

kr info stats --ledger "$sample" --period 2016Q3 --unit 东区
expect_status 0 "info stats --unit by alias exits 0"
expect_out "东区人民政府" "the row names the canonical unit"
expect_out "7月 8，8月 8，9月 8" "per-month counts of the quarter"
check test "$(grep -c '人民政府' _out)" -eq 1 -- "only that unit"

# ============================================================================
# facts
# ============================================================================
kr info facts --ledger "$sample" --year 2016 --unit 市发展改革委
expect_status 0 "info facts exits 0"
expect_out "unit,table,indicator,kind,name,value,source,author,time,url,note" "facts CSV header (with the sheet each fact is for)"
expect_out "市发展改革委,pzh2016-info-dept,2.1.1,quantity,monthly_min,6,ledger," "monthly_min fact"
expect_out "市发展改革委,pzh2016-info-dept,2.1.2,quantity,duplicate,1,ledger," "duplicate fact"
expect_out "市发展改革委,pzh2016-info-dept,3,quantity,city_points,110,ledger," "city_points fact"
expect_out "市发展改革委,pzh2016-info-dept,3,quantity,province_points,9,ledger," "province_points fact"
check test "$(wc -l <_out)" -eq 8 -- "header and 7 facts"
kr info facts --ledger "$sample" --year 2016 -o facts.csv
expect_status 0 "info facts -o exits 0"
check test "$(wc -l <facts.csv)" -eq 505 -- "72 units × 7 facts + header"
check grep -q '^钒钛高新区管委会,pzh2016-info-gxq,2.1.3,quantity,urgent_late,1,' facts.csv -- "钒钛高新区 urgent_late 1"
kr info facts --ledger "$sample" --year 16
expect_status 2 "a two-digit year exits 2"

# ============================================================================
# bulletin
# ============================================================================
kr info bulletin --ledger "$sample" --period 2016Q3
expect_status 0 "info bulletin exits 0"
expect_out "2016年第三季度政务信息采用情况通报" "bulletin title"
expect_out "市级完成率" "bulletin header"
kr info bulletin --ledger "$sample" --period 2016Q3 -o 通报.csv
expect_status 0 "info bulletin -o .csv exits 0"
check grep -q '^序号,单位,市级任务,本期市级,市级完成,市级完成率,省级任务,本期省级,省级完成,省级完成率,报送条数$' 通报.csv -- "bulletin CSV header"
# 东区: 市级 0 this quarter, 108 of 150 by September (72%); 省级 18 this
# quarter (要情专报 8 + 省级批示 10), 24 of 12 (200%); 69 items Jan-Sep
check grep -q '^1,东区人民政府,150,0,108,72.00%,12,18,24,200.00%,24$' 通报.csv -- "东区 bulletin row"
check grep -q ',市总工会,20,0,20,100.00%,0,0,0,—,18$' 通报.csv -- "市总工会 bulletin row"
check test "$(wc -l <通报.csv)" -eq 74 -- "title, header and 72 units"
kr info bulletin --ledger "$sample" --period 2016Q3 -o 通报.xlsx
expect_status 0 "info bulletin -o .xlsx exits 0"
check python3 -c 'import zipfile,sys; z=zipfile.ZipFile("通报.xlsx"); s=z.read("xl/sharedStrings.xml").decode(); sys.exit(0 if "东区人民政府" in s and "市级完成率" in s and "<v>0.72</v>" in z.read("xl/worksheets/sheet1.xml").decode() else 1)' -- "bulletin XLSX holds the units, header and ratios"
check sh -c 'ls | grep -q "tmp" && exit 1 || exit 0' -- "no temporary files after the XLSX"
kr info bulletin --ledger "$sample" --period 2016Q3 -o 通报.pdf
expect_status 2 "bulletin to .pdf exits 2"

# ============================================================================
# import: office sheets; a bad row fails the whole file
# ============================================================================
cat >台账.csv <<'EOF'
2016年第三季度政务信息报送台账
序号,单位,报送日期,标题,类别,紧急重要,约稿/批示反馈,要求时限,采用刊物,采用日期,期号,批示级别,批示领导,国办采用,备注
1,东区政府,2016/7/5,东区召开安全生产工作会议,工作动态,否,,,攀政快讯,2016-07-08,,市级,张市长,,
2,东区政府,2016/7/5,东区召开安全生产工作会议,工作动态,否,,,川政晨讯,2016-07-10,,,,,
3,东区,2016年7月9日,东区防汛工作情况,紧急重要,是,,2016-07-09,省政府上报国办(动态),2016-07-12,,,,是,
4,市总工会,2016-07-12,市总工会送清凉活动,工作动态,,,,,,,,,,
EOF
kr info import 台账.csv --ledger L
expect_status 0 "import into a new ledger exits 0"
expect_out "导入 4 行：报送 3 条，采用 3 条" "import counts rows, items and adoptions"
expect_file L/submissions.csv "submissions.csv written"
expect_file L/adoptions.csv "adoptions.csv written"
kr info stats --ledger L --period 2016-07 --unit 东区政府 --json
py 'd["units"][0]["city_points"] == 14' "攀政快讯 4 + 市级批示 10" \
   'd["units"][0]["province_points"] == 9' "川政晨讯 3 + 国办动态 3 + 国办采用 3"

cp L/submissions.csv before-s.csv; cp L/adoptions.csv before-a.csv
bad() {   # bad FILE WHERE WHAT: exit 2, one message naming WHERE, ledger unchanged
  kr info import "$1" --ledger L
  expect_status 2 "$3: exit 2"
  one_msg "$2" "$3: one message naming $2"
  check cmp -s L/submissions.csv before-s.csv -- "$3: submissions unchanged"
  check cmp -s L/adoptions.csv before-a.csv -- "$3: adoptions unchanged"
  check test "$(ls L | wc -l)" -eq 2 -- "$3: no temporary files"
}
hdr='单位,报送日期,标题,采用刊物,采用日期'
printf '%s\n%s\n%s\n' "$hdr" "市总工会,2016-08-01,市总工会职工运动会开幕,," "市总工会,2016-08-32,市总工会职工读书月启动,," >bad-date.csv
bad bad-date.csv "bad-date.csv:3: 报送日期“2016-08-32”不是有效日期" "a bad date"
printf '%s\n%s\n%s\n' "$hdr" "市总工会,2016-08-01,市总工会职工运动会开幕,," "市总公会,2016-08-02,市总工会职工读书月启动,," >bad-unit.csv
bad bad-unit.csv "bad-unit.csv:3: 单位“市总公会”不在单位名录中" "an unknown unit"
printf '%s\n%s\n%s\n' "$hdr" "市总工会,2016-08-01,市总工会职工运动会开幕,," "市总工会,2016-08-02,市总工会职工读书月启动,攀枝花日报,2016-08-03" >bad-pub.csv
bad bad-pub.csv "bad-pub.csv:3: 刊物“攀枝花日报”不在计分标准中" "an unknown publication"
printf '%s\n%s\n%s\n%s\n' "$hdr" "市总工会,2016-08-01,市总工会职工运动会开幕,," "市总工会,2016-08-02,市总工会职工读书月启动,," "市总工会,2016-08-01,市总工会职工运动会开幕,," >bad-dup.csv
bad bad-dup.csv "bad-dup.csv:4: 重复的行：与本文件第 2 行" "a duplicate row"
printf '%s\n%s\n' "$hdr" "市总工会,2016-07-12,市总工会送清凉活动,," >bad-again.csv
bad bad-again.csv "bad-again.csv:2: 重复的行：台账中已有" "a row already in the ledger"
kr info import nosuch.csv --ledger L
expect_status 2 "a missing file exits 2"
one_msg "nosuch.csv" "the message names the missing file"

# ============================================================================
# add
# ============================================================================
kr info add --ledger L --unit 市妇联 --date 2016-03-08 --title 市妇联三八节系列活动
expect_status 0 "add a submission exits 0"
expect_out "已记入报送，编号 4" "add prints the new item's number"
kr info add --ledger L --item 4 --publication 攀政快讯 --adopted 2016-03-10 --pishi 市级 --pishi-by 李副市长
expect_status 0 "add an adoption exits 0"
expect_out "已记入采用，编号 4" "add prints the adoption's number"
kr info add --ledger L --item 4 --publication 攀政快讯 --adopted 2016-03-11
expect_status 2 "the same adoption twice exits 2"
one_msg "重复的行" "a duplicate adoption is named"
kr info add --ledger L --unit 市妇联 --date 2016-03-40 --title 另一条
expect_status 2 "add with a bad date exits 2"
one_msg "命令行: 报送日期“2016-03-40”不是有效日期" "the bad date is named"
kr info add --ledger L --unit 市妇联 --title 未报送的约稿 --request 约稿 --due 2016-03-20
expect_status 0 "a 约稿 never sent (only --due) is recorded"
kr info stats --ledger L --period 2016Q1 --unit 市妇联 --json
py 'd["units"][0]["city_points"] == 14' "市妇联 攀政快讯 4 + 市级批示 10" \
   'd["units"][0]["feedback_missed"] == 1' "the 约稿 due in March is missed"

printf '单位,报送日期,标题\n市妇联,2016-05-04,市妇联青年节志愿服务活动\n' | iconv -f utf-8 -t gbk >gbk.csv
kr info import gbk.csv --ledger L
expect_status 0 "a GBK CSV imports"
check grep -q '市妇联青年节志愿服务活动' L/submissions.csv -- "the GBK title is stored as UTF-8"

# ============================================================================
# end to end: ledger facts → evaluation rounds → the three score sheets
# (hand-worked in tests/ledger/test_info.c; 基础工作 is an assessor's 5,
# the ledger cannot know it)
# ============================================================================
cat >basic.csv <<'EOF2'
unit,indicator,kind,name,value,source,author,time,url,note
市发展改革委,1,score,,5,assessor,,,,抽查
市总工会,1,score,,5,assessor,,,,抽查
市政府驻成都办事处,1,score,,5,assessor,,,,抽查
钒钛高新区管委会,1,score,,5,assessor,,,,抽查
EOF2
round() {   # round NAME TABLE: a round with the ledger's facts, scored
  kr eval new -t "$2" --name "$1" --db e2e.db
  expect_status 0 "eval new $1"
  kr info facts --ledger "$sample" --year 2016 --sheet "$2" -o "$1-facts.csv"
  expect_status 0 "info facts --sheet $2"
  kr eval facts add "$1-facts.csv" --db e2e.db -r "$1"
  expect_status 0 "$1: the ledger's facts are accepted"
  grep -E "^(unit|$(cut -d, -f1 "$1-facts.csv" | sort -u | tr '\n' '|' | sed 's/|$//')),"  basic.csv >"$1-basic.csv"
  kr eval facts add "$1-basic.csv" --db e2e.db -r "$1"
  kr eval score --db e2e.db -r "$1"
  expect_status 0 "eval score $1"
}
sheet() {   # sheet ROUND UNIT TOTAL CONVERTED
  kr eval show "$2" --db e2e.db -r "$1" --json
  py "'%.2f' % d['total'] == '$3' and '%.2f' % d['converted'] == '$4'" "$2: $3 分，折算 $4"
}
round dept pzh2016-info-dept
sheet dept 市发展改革委 77.80 2.33
sheet dept 市总工会 95.00 2.85
sheet dept 市政府驻成都办事处 53.00 1.59
round county pzh2016-info-county
sheet county 东区政府 73.80 0.26
round gxq pzh2016-info-gxq
sheet gxq 钒钛高新区管委会 39.00 0.39
