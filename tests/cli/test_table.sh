# Black-box tests of `kaoping table list|show|lint|import|export` as a user
# sees them.  Sourced by tests/lib/runone.sh in an empty temporary directory
# with $KAOPING and $KP_ROOT set.  Every fixture is written here.

# Like run, plus: any sanitizer report (the test binary is built with
# ASan/UBSan) is a failure of its own.
kr() {
  run "$@"
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' _err; then
    _notok "no sanitizer report from: kaoping $*"
  fi
}

# py EXPR WHAT [EXPR WHAT…]: each Python EXPR, with d = the JSON on stdout
# of the last run, is true.  One python3 per call: its start-up is slow.
py() {
  python3 -S - "$@" >_py 2>/dev/null <<'PYEOF'
import json, sys
try:
    d = json.load(open("_out"))
except Exception:
    d = None
def load(f):
    return json.load(open(f))
def flat(ns):   # (code, path, points, rule) of every node, depth first
    return [x for n in ns for x in
            [(n["code"], n["path"], n["points"], n["rule"])] + flat(n["children"])]
a = sys.argv[1:]
for i in range(0, len(a), 2):
    try:
        ok = bool(eval(a[i], {"d": d, "load": load, "flat": flat}))
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

# The last run printed exactly one line on stderr, starting "kaoping: " and
# containing $1 (the file, or file:line).
one_msg() {
  if [ "$(wc -l <_err)" -eq 1 ] && grep -q '^kaoping: ' _err && grep -qF -- "$1" _err
  then _ok "$2"; else _notok "$2 (want exactly one 'kaoping: …$1…' line on stderr)"; fi
}

# Files in the directory, except the harness's own _out/_err/_… files.
listing() { ls -A | grep -v '^_' || true; }

# damaged FILE WHERE WHAT [import options…]: importing FILE with -o out.csv
# fails with status 2, one message naming WHERE, no output, no temp files.
damaged() {
  local f=$1 where=$2 what=$3; shift 3
  rm -f out.csv
  listing >_before
  kr table import "$f" -o out.csv "$@"
  expect_status 2 "$what: exit 2"
  one_msg "$where" "$what: one message naming $where"
  expect_no_file out.csv "$what: no output file"
  listing >_after
  check cmp -s _before _after -- "$what: no temp files left"
}

# ============================================================================
# table list
# ============================================================================
ids="ak2020-columns gov2019-web-check pj2017-gk pzh2016-gk pzh2016-info-county pzh2016-info-dept
pzh2016-info-gxq pzh2016-info-points pzh2016-info-quota pzh2016-xn
pzh2017-web-county pzh2017-web-dept pzh2017-web-keyinfo pzh-units ak-units pj-units pzh2016"

kr table list
expect_status 0 "table list exits 0"
for id in $ids; do
  check grep -q "^$id " _out -- "table list lists $id"
done
check test "$(wc -l <_out)" -eq 18 -- "table list prints a header and 17 tables (16 tables and the pzh2016 scheme)"
check grep -qE '^pzh2016 +考评方案 +2016 +5 +攀枝花市2016年' _out \
  -- "table list: pzh2016 is a 考评方案 of 5 rows"
check grep -qE '^pzh2017-web-county +指标表 +2017 +100 +55 +2017年县（区）政府门户网站绩效评估指标$' _out \
  -- "table list: pzh2017-web-county row (指标表, 2017, 100, 55 nodes, title)"
check grep -qE '^pzh2016-info-quota +任务分配表 +2016 +72 ' _out \
  -- "table list: pzh2016-info-quota is a 任务分配表 with 72 rows"

kr table list --json
expect_status 0 "table list --json exits 0"
py 'isinstance(d, list) and len(d) == 17' "table list --json is a JSON array of 17 tables" \
  '[x for x in d if x["id"] == "pzh2016"][0]["kind"] == "scheme"' "pzh2016 kind scheme" \
  'sorted(x["id"] for x in d) == sorted("'"$(echo $ids)"'".split())' "table list --json has every bundled id" \
  '[x for x in d if x["id"] == "pzh2017-web-county"][0]["total"] == 100' "pzh2017-web-county total 100" \
  '[x for x in d if x["id"] == "pzh2017-web-county"][0]["nodes"] == 55' "pzh2017-web-county nodes 55" \
  '[x for x in d if x["id"] == "pzh2017-web-county"][0]["kind"] == "indicators"' "pzh2017-web-county kind indicators" \
  '[x for x in d if x["id"] == "pzh2016-info-quota"][0]["kind"] == "quota"' "pzh2016-info-quota kind quota" \
  '[x for x in d if x["id"] == "pzh2016-info-quota"][0]["rows"] == 72' "pzh2016-info-quota rows 72" \
  '[x for x in d if x["id"] == "pzh2016-gk"][0]["docno"] == "攀办函〔2016〕104号"' "pzh2016-gk docno" \
  '[x for x in d if x["id"] == "pzh-units"][0]["kind"] == "units"' "pzh-units kind units" \
  'all(set(x) >= {"id","title","kind","total","file"} for x in d)' "every list entry has id, title, kind, total, file"

# ============================================================================
# table show
# ============================================================================
kr table show pzh2017-web-county --json
expect_status 0 "table show pzh2017-web-county --json exits 0"
py 'd["id"] == "pzh2017-web-county" and d["kind"] == "indicators"' "show --json: id and kind" \
  'len(d["nodes"]) == 6' "pzh2017-web-county has 6 roots" \
  '[n["points"] for n in d["nodes"]] == [30, 28, 10, 6, 14, 12]' "root points are 30,28,10,6,14,12" \
  'd["total"] == 100 and d["node_count"] == 55' "show --json: total 100, node_count 55" \
  '(lambda f: f(f, d["nodes"]))(lambda f, ns: all({"name","points","rule","children"} <= set(n) and f(f, n["children"]) for n in ns))' \
  "every node has name, points, rule, children" \
  '(lambda f: f(f, d["nodes"]))(lambda f, ns: sum(1 + f(f, n["children"]) for n in ns)) == 55' \
  "the tree holds 55 nodes"

kr table show pzh2016-gk
expect_status 0 "table show pzh2016-gk exits 0"
expect_out "组织保障" "show pzh2016-gk lists 组织保障"
expect_out "1 组织保障  10分" "show pzh2016-gk: 组织保障 is worth 10分"
expect_out "（100 分，28 个节点，19 个末级）" "show pzh2016-gk: header line with total and counts"

kr table show pzh2016-info-quota --json
expect_status 0 "table show of a quota table --json exits 0"
py 'd["kind"] == "quota" and len(d["rows"]) == 72 and d["columns"][:4] == ["unit","group","city","province"]' \
  "quota --json: 72 rows, columns unit,group,city,province"

# a canonical file by path
H='#meta,format,kaoping-table/1\n#meta,kind,indicators\n#meta,id,fixture\n#meta,title,测试表\n#meta,total,100\n'
printf "$H"'code,path,points,rule\n1,甲,60,\n1.1,甲/子一,30,\n1.2,甲/子二,30,\n2,乙,40,\n' >ok.csv
kr table show ok.csv
expect_status 0 "table show of a file exits 0"
expect_out "fixture  测试表（100 分，4 个节点，3 个末级）" "table show of a file: header line"
expect_out "  1.2 子二  30分  [评估员打分]" "table show of a file: nested leaf"
kr table show ok.csv --json
py 'd["id"] == "fixture" and d["node_count"] == 4 and d["nodes"][0]["children"][1]["path"] == "甲/子二"' \
  "table show of a file --json"

kr table show nosuch-table
expect_status 2 "table show of a missing id exits 2"
expect_err "nosuch-table" "table show of a missing id names it"
check test ! -s _out -- "table show of a missing id prints nothing on stdout"
kr table show ./nosuch.csv
expect_status 2 "table show of a missing file exits 2"
one_msg "./nosuch.csv" "table show of a missing file: one message naming it"

# damaged canonical files: exit 2, file:line
printf "$H"'code,path,points,colour\n1,甲,100,红\n' >badcol.csv
kr table show badcol.csv
expect_status 2 "canonical file with an unknown column: exit 2"
one_msg "badcol.csv:6:" "canonical file with an unknown column: names file:line"
expect_err "colour" "canonical file with an unknown column: names the column"
printf "$H"'code,path,points,rule\n1,甲,100,magic\n' >badrule.csv
kr table show badrule.csv
expect_status 2 "canonical file with a bad rule: exit 2"
one_msg "badrule.csv:7:" "canonical file with a bad rule: names file:line"
expect_err "magic" "canonical file with a bad rule: names the rule"
printf "$H"'code,path,points,rule\n1.1,甲/乙,100,\n1,甲,100,\n' >order.csv
kr table show order.csv
expect_status 2 "canonical file with a child before its parent: exit 2"
one_msg "order.csv:7:" "child before parent: names file:line"
expect_err "父节点必须先出现" "child before parent: says parents come first"
kr table lint order.csv
expect_status 2 "table lint of an unreadable table exits 2"

# ============================================================================
# table lint
# ============================================================================
kr table lint
expect_status 0 "table lint (all bundled tables) exits 0"
check sh -c 'tail -n 1 _out | grep -q "，其中 0 条未确认为原文问题$"' -- "table lint: last line says 0 条未确认"
expect_out "共 17 张表" "table lint checks 17 tables (the scheme too)"

kr table lint --json
expect_status 0 "table lint --json exits 0"
py 'isinstance(d, list) and all(x["known"] for x in d if x["table"])' "table lint --json: every finding in a table is known"

kr table lint pzh2016-gk
expect_status 0 "table lint pzh2016-gk exits 0"
check grep -qE 'pzh2016-gk\.csv:[0-9]+: .*载体建设.*17\.5.*（已知原文问题）$' _out \
  -- "table lint pzh2016-gk: 载体建设 17.5 marked （已知原文问题）"
expect_out "pzh2016-gk：2 条问题，其中 2 条为已知原文问题" "table lint pzh2016-gk: summary"

printf "$H"'code,path,points,rule\n1,甲,60,\n1.1,甲/子一,30,\n1.2,甲/子二,20,\n2,乙,40,\n' >sum.csv
kr table lint sum.csv
expect_status 1 "table lint of a sum mismatch exits 1"
expect_out "sum.csv:7: [分值合计不符] “甲”分值为 60，但子项分值合计为 50" "sum mismatch reported with file:line"
expect_out "其中 1 条未确认为原文问题" "sum mismatch counted as unconfirmed"
kr table lint ok.csv
expect_status 0 "table lint of a consistent file exits 0"

# ============================================================================
# table import
# ============================================================================
# published layout: title row, merged cells blank, points inside names
printf '%s\n' \
  '2017年网站绩效评估指标,,,,' \
  '一级指标,二级指标,三级指标,权重,评估内容' \
  '政务公开 (30分),基本信息 (4分),概况信息,1,机构职能、领导信息' \
  ',,政策文件,3,规范性文件' \
  ',互动交流 (26分),领导信箱,26,按时回复' \
  '网站建设（70分）,栏目设置,,70,栏目齐全' >pub.csv
kr table import pub.csv -o out.csv
expect_status 0 "import of a published-layout CSV exits 0"
expect_file out.csv "import writes the -o file"
check grep -qx 'code,path,points,rule,params,applies,units,check,content,criteria,report,note,quirk' out.csv \
  -- "imported file has the canonical header"
check grep -qx '#meta,title,2017年网站绩效评估指标' out.csv -- "title taken from the row above the header"
check grep -qx '#meta,id,imported' out.csv -- "default id is imported"
check grep -q '^1,政务公开,30,' out.csv -- "row 1,政务公开,30"
check grep -q '^1\.1,政务公开/基本信息,4,' out.csv -- "row 1.1,政务公开/基本信息,4"
check grep -q '^1\.1\.1,政务公开/基本信息/概况信息,1,' out.csv -- "row 1.1.1,政务公开/基本信息/概况信息,1"
check grep -q '^1\.1\.2,政务公开/基本信息/政策文件,3,.*规范性文件' out.csv -- "merged cells continue: 1.1.2 政策文件 3"
check grep -q '^1\.2,政务公开/互动交流,26,' out.csv -- "row 1.2,政务公开/互动交流,26"
check grep -q '^1\.2\.1,政务公开/互动交流/领导信箱,26,.*按时回复' out.csv -- "row 1.2.1 领导信箱 26 with content"
check grep -q '^2,网站建设,70,' out.csv -- "full-width （70分） read as points"
check grep -q '^2\.1,网站建设/栏目设置,70,' out.csv -- "row 2.1,网站建设/栏目设置,70"
check test "$(grep -c '^[0-9]' out.csv)" -eq 8 -- "8 indicator rows imported"
expect_err "读入 4 行，得到 8 个指标，已写入 out.csv" "import reports rows and indicators on stderr"
expect_err "UTF-8" "import reports the encoding UTF-8"
check test ! -s _out -- "import with -o prints nothing on stdout"
kr table show out.csv --json
py 'd["total"] == 100 and d["node_count"] == 8 and d["leaf_count"] == 4' "imported table loads: total 100, 8 nodes, 4 leaves"

# without -o: canonical text on stdout
kr table import pub.csv --id web-2017 --title 新标题
expect_status 0 "import to stdout exits 0"
expect_out "#meta,id,web-2017" "--id sets the id"
expect_out "#meta,title,新标题" "--title sets the title"

# the same content in GBK
iconv -f UTF-8 -t GBK pub.csv >gbk.csv
kr table import gbk.csv -o gbk-out.csv
expect_status 0 "import of a GBK CSV exits 0"
expect_err "GBK" "import of a GBK CSV says GBK on stderr"
check bash -c 'cmp -s <(grep -v "^#meta,source," out.csv) <(grep -v "^#meta,source," gbk-out.csv)' \
  -- "GBK import is identical to the UTF-8 one"

# the same content as TSV
tr ',' '\t' <pub.csv >pub.tsv
kr table import pub.tsv -o tsv-out.csv
expect_status 0 "import of a TSV exits 0"
check bash -c 'cmp -s <(grep -v "^#meta,source," out.csv) <(grep -v "^#meta,source," tsv-out.csv)' \
  -- "TSV import is identical to the CSV one"

# UTF-8 with BOM and CRLF
printf '\xef\xbb\xbf一级指标,二级指标,分值\r\n甲,子,40\r\n乙,丑,60\r\n' >bom.csv
kr table import bom.csv -o bom-out.csv
expect_status 0 "import of a UTF-8 BOM + CRLF CSV exits 0"
check grep -q '^2\.1,乙/丑,60,' bom-out.csv -- "BOM + CRLF: row 2.1,乙/丑,60"

# an unrecognised column
sed '2s/评估内容$/评估内容,考核单位/' pub.csv >unk.csv
rm -f unk-out.csv
kr table import unk.csv -o unk-out.csv --strict
expect_status 2 "import with an unrecognised column exits 2"
one_msg "unk.csv:2:" "unrecognised column: one message with file:line"
expect_err "“考核单位”" "unrecognised column: names the column"
expect_err "--map" "unrecognised column: suggests --map"
expect_no_file unk-out.csv "unrecognised column: no output file"
# under ASan a leak would make the exit status non-zero (was a bug in
# import.c mapped())
kr table import unk.csv -o unk-out.csv --map '考核单位=忽略'
expect_status 0 "import with --map '考核单位=忽略' exits 0"
check bash -c 'cmp -s <(grep -v "^#meta,source," out.csv) <(grep -v "^#meta,source," unk-out.csv)' \
  -- "--map …=忽略 import is identical to the plain one"
# without --strict the unknown column is kept as a note, and said so
kr table import unk.csv -o unk-note.csv
expect_status 1 "an unrecognised column without --strict: imported, exit 1"
expect_err "unk.csv:2: 无法识别的列“考核单位”，其内容记入备注" "an unrecognised column: the warning names it and its line"
check bash -c 'cmp -s <(grep -v "^#meta,source," out.csv | cut -d, -f1-11) <(grep -v "^#meta,source," unk-note.csv | cut -d, -f1-11)' \
  -- "an unrecognised column: the tree is the plain one"
kr table import unk.csv --map '考核单位=不知道'
expect_status 2 "--map with an unknown meaning exits 2"
expect_err "不认识的含义“不知道”" "--map with an unknown meaning names it"
kr table import unk.csv --map 'foo'
expect_status 2 "--map without = exits 2"
expect_err "原列名=含义" "--map without = explains the form"

# the seed quirk: a 二级指标 cell holding the number 1
printf '%s\n' \
  '一级指标,二级指标,三级指标,权重,评估内容' \
  '政务公开 (30分),基本信息 (4分),概况信息,4,机构职能' \
  ',1,政策文件,3,规范性文件' \
  ',互动交流 (26分),领导信箱,26,按时回复' >quirk.csv
kr table import quirk.csv -o quirk-out.csv
expect_status 1 "import with the seed quirk row exits 1"
expect_err "kaoping: quirk.csv:3: 二级指标列是数字“1”，像是分值印错了列；此行未导入" "quirk row reported as 未导入 with file:line"
expect_err "1 处需要核对原表" "quirk row counted"
expect_file quirk-out.csv "quirk: the rest is written"
check grep -q '^1\.1\.1,政务公开/基本信息/概况信息,4,' quirk-out.csv -- "quirk: the row above is imported"
check grep -q '^1\.2\.1,政务公开/互动交流/领导信箱,26,' quirk-out.csv -- "quirk: the row below is imported"
check sh -c '! grep -q 政策文件 quirk-out.csv' -- "quirk: the quirk row itself is not imported"

# a rule written in the sheet that does not exist: the message must point at
# the sheet's own line (row 5), not at a line of the generated text
printf '%s\n' '考评表,,,' '' '一级指标,二级指标,分值,规则' '甲,子,5,' '乙,丑,95,magic' >rule.csv
kr table import rule.csv -o rule-out.csv
expect_status 2 "import with an unknown rule exits 2"
# the error names the sheet's own line, not a line of the canonical text
# the importer builds
one_msg "rule.csv:5:" "import with an unknown rule: names the sheet's line 5"
expect_no_file rule-out.csv "import with an unknown rule: no output file"

# a published name containing "/" (the canonical path separator)
printf '%s\n' '一级指标,二级指标,分值' '甲,子,10' '决策/执行公开,丑,90' >slash.csv
kr table import slash.csv -o slash-out.csv
# '/' separates levels in a path: the name is imported with the full-width
# ／ the format asks for, and the change is reported for review (status 1).
expect_status 1 "a name with / is imported and reported"
check grep -q "决策／执行公开" slash-out.csv -- "a name with / imports as ／"
expect_err "slash.csv:3: 名称“决策/执行公开”中的“/”已写作“／”" "the rewrite names slash.csv:3"

# an invalid --id
kr table import pub.csv --id 'Bad ID' -o badid.csv
expect_status 2 "import with an invalid --id exits 2"
expect_err "Bad ID" "invalid --id is named"
expect_no_file badid.csv "invalid --id: no output file"

# --sheet on a one-sheet workbook
kr table export pzh2016-xn -o xn.xlsx
expect_status 0 "table export pzh2016-xn -o xn.xlsx exits 0"
kr table import xn.xlsx --sheet 2 -o s2.csv
expect_status 2 "--sheet 2 of a one-sheet workbook exits 2"
expect_err "没有第 2 个工作表（共 1 个）" "--sheet 2: says there is only one sheet"
kr table import xn.xlsx --sheet 0
expect_status 2 "--sheet 0 exits 2"

# ============================================================================
# damaged input: one message, exit 2, no output, no temp files
# ============================================================================
printf '\x80\x80\xff\xfe' >enc.csv
damaged enc.csv enc.csv "bytes neither UTF-8 nor GB18030"
expect_err "编码" "wrong encoding: says 编码"

printf '%s\n' '一级指标,二级指标,分值,评估内容' '甲,子,五分,内容' >pts.csv
damaged pts.csv pts.csv:2: "text in a points cell"
expect_err "“五分”不是数字" "text in a points cell: quotes the cell"

printf '%s\n' '一级指标,二级指标,三级指标,分值,评估内容' '甲,,概况,5,内容' >lvl.csv
damaged lvl.csv lvl.csv:2: "missing level"
expect_err "缺少第 2 级指标" "missing level: names the level"

: >empty.csv
damaged empty.csv empty.csv "empty file"
expect_err "文件为空" "empty file: says 文件为空"

printf '%s\n' '一级指标,二级指标,分值' '甲,"子' >quote.csv
damaged quote.csv quote.csv:2: "unterminated quote"

printf '%s\n' '考评表' '序号,名称,得分' '1,甲,5' >nohdr.csv
damaged nohdr.csv nohdr.csv "no recognisable header"
expect_err "--map" "no recognisable header: suggests --map"

head -c 52428800 /dev/zero | tr '\0' 'a' >big.csv
t0=$(date +%s%N)
damaged big.csv big.csv "50 MB file"
t1=$(date +%s%N)
expect_err "文件过大" "50 MB file: refused as too big"
check test $(( (t1 - t0) / 1000000 )) -lt 2000 -- "50 MB file refused fast (< 2 s)"
kr table show big.csv
expect_status 2 "table show of a 50 MB file exits 2"
one_msg "big.csv" "table show of a 50 MB file: one message"
rm -f big.csv

head -c 52428800 /dev/zero | tr '\0' 'a' >_pipe_src
"$KAOPING" table import /dev/stdin -o out.csv <_pipe_src >_out 2>_err; STATUS=$?
rm -f _pipe_src
expect_status 2 "50 MB on a pipe: exit 2"
expect_err "文件过大" "50 MB on a pipe: refused as too big"
expect_no_file out.csv "50 MB on a pipe: no output file"

head -c 2000 xn.xlsx >t.xlsx
damaged t.xlsx t.xlsx "truncated XLSX"

printf 'hello,world\n' >old.xls
damaged old.xls old.xls ".xls with non-zip content"
expect_err ".xls" ".xls: mentions the old format"

printf '一级指标,二级指标,分值\n甲,子,5\n' >fake.xlsx
damaged fake.xlsx fake.xlsx ".xlsx with non-zip content"

# three damaged workbooks made from xn.xlsx in one python3 run: a zip that is
# no workbook, a cut-off worksheet, a worksheet inflating past 128 MB
python3 -S - <<'EOF'
import zipfile
zipfile.ZipFile("notbook.xlsx", "w").writestr("hello.txt", "hi")
s = zipfile.ZipFile("xn.xlsx")
cut = zipfile.ZipFile("badxml.xlsx", "w")
bomb = zipfile.ZipFile("bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=1)
for i in s.infolist():
    data = s.read(i.filename)
    if i.filename.startswith("xl/worksheets/"):
        cut.writestr(i, data[:len(data) // 2])
        bomb.writestr(i.filename, data.replace(b"?>", b"?><!--" + b" " * (130 << 20) + b"-->", 1))
    else:
        cut.writestr(i, data)
        bomb.writestr(i.filename, data)
cut.close()
bomb.close()
EOF
damaged notbook.xlsx notbook.xlsx "a zip that is not a workbook"
damaged badxml.xlsx badxml.xlsx "an XLSX with a cut-off worksheet"
t0=$(date +%s%N)
damaged bomb.xlsx bomb.xlsx "an XLSX inflating past 128 MB"
t1=$(date +%s%N)
expect_err "压缩炸弹" "an XLSX inflating past 128 MB: refused as a zip bomb"
check test $(( (t1 - t0) / 1000000 )) -lt 2000 -- "zip bomb refused fast (< 2 s)"
rm -f bomb.xlsx

# a failed import must not touch an existing output file
printf 'keep\n' >keep.csv
kr table import pts.csv -o keep.csv
expect_status 2 "failed import over an existing file exits 2"
check grep -qx keep keep.csv -- "failed import leaves the existing -o file untouched"

# ============================================================================
# table export and round trips
# ============================================================================
kr table show pzh2016-gk --json
cp _out _bundled.json
kr table export pzh2016-gk -o g.xlsx --canonical
expect_status 0 "table export pzh2016-gk -o g.xlsx exits 0"
check sh -c 'head -c 4 g.xlsx | grep -q "^PK"' -- "g.xlsx is a zip"
kr table import g.xlsx -o g.csv
expect_status 0 "table import g.xlsx exits 0"
expect_err "得到 28 个指标，已写入 g.csv" "table import g.xlsx: 28 indicators"
kr table show g.csv --json
expect_status 0 "table show g.csv exits 0"
cp _out _xlsx.json

kr table export pzh2016-gk -o gp.csv --canonical
expect_status 0 "table export pzh2016-gk -o gp.csv exits 0"
check sh -c 'sed -n 2p gp.csv | grep -q "^一级指标,二级指标,三级指标,分值,"' -- "CSV export has the published header"
kr table import gp.csv -o g2.csv
expect_status 0 "table import of the exported CSV exits 0"
kr table show g2.csv --json
expect_status 0 "table show g2.csv exits 0"
py 'load("_bundled.json")["node_count"] == 28 and load("_bundled.json")["total"] == 100' \
     "bundled pzh2016-gk: 28 nodes, total 100" \
   'load("_xlsx.json")["node_count"] == 28 and load("_xlsx.json")["total"] == 100' \
     "XLSX round trip: 28 nodes, total 100" \
   'd["node_count"] == 28 and d["total"] == 100' "CSV round trip: 28 nodes, total 100" \
   'flat(d["nodes"]) == flat(load("_bundled.json")["nodes"])' \
     "CSV round trip keeps every code, path, points and rule" \
   'flat(load("_xlsx.json")["nodes"]) == flat(load("_bundled.json")["nodes"])' \
     "XLSX round trip keeps every code, path, points and rule"

kr table export pzh2016-gk
expect_status 0 "table export to stdout exits 0"
expect_out "一级指标,二级指标" "table export to stdout prints the published CSV"

kr table export pzh2016-info-quota -o q.csv
expect_status 2 "table export of a quota table exits 2"
expect_no_file q.csv "table export of a quota table writes nothing"
expect_err "是任务分配表" "table export of a quota table names its kind in Chinese"

kr table export pzh2016-gk -o nodir/g.xlsx
expect_status 2 "XLSX export into a missing directory exits 2"
# (libxlsxwriter must not add its own "[ERROR] workbook_close()…" line)
one_msg "nodir/g.xlsx" "XLSX export into a missing directory: one message"
kr table export pzh2016-gk -o nodir/g.csv
expect_status 2 "CSV export into a missing directory exits 2"
one_msg "nodir/g.csv" "CSV export into a missing directory: one message"
# the XLSX export goes through base's atomic writer: a FIFO is refused,
# an existing file keeps its permissions, no temporary file is left
mkfifo g-pipe.xlsx
kr table export pzh2016-gk -o g-pipe.xlsx
expect_status 2 "XLSX export onto a FIFO is refused"
cp g.xlsx g600.xlsx; chmod 600 g600.xlsx
kr table export pzh2016-gk -o g600.xlsx
expect_status 0 "XLSX export over an existing file exits 0"
check sh -c '[ "$(stat -c %a g600.xlsx)" = 600 ]' -- "… which keeps its mode 600"
check sh -c '! ls -a | grep -q "\.tmp"' -- "… and no temporary file is left behind"

# ============================================================================
# an office's own table, imported with no options, scored with no code
# ============================================================================
# office.xlsx, made here: 附件1, a title merged across the columns, the
# document number, 一级指标 cells merged down, criteria written as 扣N分 …,
# a 合计 row.  Cells as inline strings, points as numbers.
python3 -S - <<'EOF'
import zipfile
rows = [
    ["附件1"],
    ["2018年度政务公开工作考核评分表"],
    ["攀办函〔2018〕12号"],
    ["一级指标", "二级指标", "分值", "考核要求及评分标准", "牵头单位"],
    ["组织领导（20分）", "机构建设", 10, "未明确分管领导的扣4分，未明确工作机构的不得分", "办公室"],
    [None, "制度建设", 10, "每缺少一项制度扣2分，最多扣10分", "办公室"],
    ["信息公开（80分）", "主动公开", 2, "在2分内酌情给分"],
    [None, "依申请公开", 8, "超期答复一次扣半分，扣完为止"],
    [None, "政策解读", 70, "完成100%得70分，完成80%得56分，低于80%不得分"],
    ["表彰加分", None, None, "获得省级表彰的加1分"],
    ["一票否决", None, None, "发生泄密事件的实行一票否决"],
    ["合计", None, 100],
]
merges = ["A2:E2", "A5:A6", "A7:A9"]
def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
out = []
for i, row in enumerate(rows, 1):
    cells = []
    for j, v in enumerate(row):
        ref = "ABCDE"[j] + str(i)
        if v is None:
            continue
        if isinstance(v, int):
            cells.append('<c r="%s"><v>%d</v></c>' % (ref, v))
        else:
            cells.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, esc(v)))
    out.append('<row r="%d">%s</row>' % (i, "".join(cells)))
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData>%s</sheetData>'
         '<mergeCells count="%d">%s</mergeCells></worksheet>'
         % (NS, "".join(out), len(merges), "".join('<mergeCell ref="%s"/>' % m for m in merges)))
z = zipfile.ZipFile("office.xlsx", "w", zipfile.ZIP_DEFLATED)
z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % R)
z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook %s xmlns:r="%s"><sheets><sheet name="附件1" sheetId="1" r:id="rId1"/></sheets></workbook>' % (NS, R))
z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' % R)
z.writestr("xl/worksheets/sheet1.xml", sheet)
z.close()
EOF
kr table import office.xlsx -o office.csv
expect_status 0 "office XLSX: import with no options exits 0"
expect_err "表头在 office.xlsx:4" "office XLSX: the header found below the title rows"
expect_err "得到 9 个指标" "office XLSX: 9 indicators (the 合计 row is none)"
expect_err "确定 8 项，需确认 1 项" "office XLSX: the report counts 确定 and 需确认"
expect_err "1.1 组织领导/机构建设  [倒扣分：扣4分]  需确认：既写了扣分，又写了不得分的情形（原文“未明确分管领导的扣4分…未明确工作机构的不得分”）" \
  "office XLSX: 机构建设 needs confirming, with why and the words"
expect_err "1.2 组织领导/制度建设  [倒扣分：每项扣2分，最多扣10分]  确定（原文“每缺少一项制度扣2分…最多扣10分”）" \
  "office XLSX: 制度建设 确定, in Chinese, with the words"
check sh -c '! grep -q "amount=" _err' -- "office XLSX: the report shows no format keywords"
check grep -qx '#meta,title,2018年度政务公开工作考核评分表' office.csv -- "office XLSX: title from the title row (not 附件1)"
check grep -qx '#meta,docno,攀办函〔2018〕12号' office.csv -- "office XLSX: document number"
check grep -qx '#meta,year,2018' office.csv -- "office XLSX: year"
check grep -qx '#meta,total,100' office.csv -- "office XLSX: total from the 合计 row"
check grep -qx '#meta,confirm,1.1' office.csv -- "office XLSX: the 需确认 row recorded"
check sh -c '! grep -q "^[0-9.]*,合计" office.csv' -- "office XLSX: 合计 is not an indicator"
check grep -q '^1\.2,组织领导/制度建设,10,deduct,amount=2;each;max=10,' office.csv -- "office XLSX: 每项扣2分，最多扣10分 → deduct amount=2;each;max=10"
check grep -q '^2\.3,信息公开/政策解读,70,tiered,"tiers=100%:1,80%:0.8",' office.csv -- "office XLSX: tiers from 完成…%得N分"
check grep -q '^3,表彰加分,1,bonus,' office.csv -- "office XLSX: 加1分 → bonus of 1"
check grep -q '^4,一票否决,,veto,scope=evaluation;outcome=0,' office.csv -- "office XLSX: 一票否决 → veto"

kr table show office.csv
expect_status 0 "office table: show exits 0"
expect_out "1.2 制度建设  10分  [倒扣分：每项扣2分，最多扣10分]  责任单位：办公室" "office table: show describes rules in Chinese"
check sh -c '! grep -qE "amount|each|tiers|scope" _out' -- "office table: show has no format keywords"
kr table lint office.csv
expect_status 1 "office table: lint exits 1 while a rule awaits confirmation"
expect_out "[规则待确认] “组织领导/机构建设”的计分规则（倒扣分：扣4分）是导入时按原文提出的，尚未确认" "office table: lint names the unconfirmed rule"
# (政策解读's tiers, 得70分 and 得56分, are read as tiers: the largest is
# its 70 points, so no #meta,known is needed)
sed 's/^#meta,confirm,1\.1$/#meta,confirm,1.1\n#meta,confirmed,1.1/' office.csv >office-ok.csv
kr table lint office-ok.csv
expect_status 0 "office table: lint exits 0 once 1.1 is confirmed"

# published export: no internal columns; round trip gives the same tree
kr table export office.csv -o office-pub.csv
expect_status 0 "office table: published export exits 0"
check sh -c 'sed -n 2p office-pub.csv | grep -qx "序号,一级指标,二级指标,分值,评分标准,责任单位"' -- "published export header: 序号, levels, 分值, 评分标准, 责任单位"
check grep -qx '合计,,,100,,' office-pub.csv -- "published export ends with a 合计 row"
check sh -c '! grep -qE "规则|参数|编号|原文问题|自动检测" office-pub.csv' -- "published export has no internal columns"
kr table export office.csv -o office-pub.xlsx
expect_status 0 "office table: published XLSX export exits 0"
kr table import office-pub.xlsx -o office2.csv
expect_status 0 "office table: re-import of the published XLSX exits 0"
check bash -c 'cmp -s <(grep -v "^#meta,\(source\|docno\)," office.csv) <(grep -v "^#meta,\(source\|docno\)," office2.csv)' \
  -- "import → published XLSX → import: the same table"

# scoring it, no code change: hand-worked totals
printf '%s\n' '#meta,format,kaoping-table/1' '#meta,kind,units' '#meta,id,office-units' \
  '#meta,title,单位' 'name,type,aliases' '甲局,市级部门,' '乙局,市级部门,' '丙局,市级部门,' >units.csv
# 甲局: 机构建设 10−4 = 6; 制度建设 10−2×2 = 6; 主动公开 1.5;
#       依申请公开 8−3×0.5 = 6.5; 政策解读 85% ≥ 80% → 56; 加 1 → 77
# 乙局: 机构建设 10; 制度建设 10−min(6×2,10) = 0; 主动公开 2;
#       依申请公开 8−min(20×0.5,8) = 0; 政策解读 50% < 80% → 0 → 12
# 丙局: 一票否决 → 0
printf '%s\n' 'unit,indicator,kind,name,value,source' \
  '甲局,1.1,fail,,1,考核' '甲局,1.2,fail,,2,考核' '甲局,2.1,score,,1.5,考核' \
  '甲局,2.2,fail,,3,考核' '甲局,2.3,quantity,total_points,85,考核' '甲局,2.3,quantity,total_quota,100,考核' \
  '甲局,3,score,,1,考核' \
  '乙局,1.2,fail,,6,考核' '乙局,2.1,score,,2,考核' '乙局,2.2,fail,,20,考核' \
  '乙局,2.3,quantity,total_points,50,考核' '乙局,2.3,quantity,total_quota,100,考核' \
  '丙局,1.1,fail,,1,考核' '丙局,2.1,score,,2,考核' '丙局,4,veto,,,考核' >facts.csv
kr eval new --table office.csv --units units.csv --db office.db
expect_status 0 "office table: eval new exits 0"
kr eval facts add facts.csv --db office.db
expect_status 0 "office table: facts add exits 0"
kr eval score --db office.db
expect_status 0 "office table: score exits 0"
kr eval rank --db office.db --json
expect_status 0 "office table: rank exits 0"
check sh -c 'tr -d " \n" <_out | grep -qF "\"unit\":\"甲局\",\"total\":77,"' -- "office table: 甲局 6 + 6 + 1.5 + 6.5 + 56 + 加分 1 = 77"
check sh -c 'tr -d " \n" <_out | grep -qF "\"unit\":\"乙局\",\"total\":12,"' -- "office table: 乙局 10 + 0 + 2 + 0 + 0 = 12"
check sh -c 'tr -d " \n" <_out | grep -qF "\"unit\":\"丙局\",\"total\":0,"' -- "office table: 丙局 一票否决 = 0"

# ============================================================================
# the other tables of seed 003, as published, imported with no options and
# recognised by their shape: the 任务分配表 (单位 / 市级采用任务（分） /
# 省级采用任务（分）, in four sections, "12（含省直报点采用）") and the 计分标准
# (numbered rules under 一、市级… 二、省级…).  Before, both stopped with
# "找不到表头".  With them in place of the bundled tables, the sample
# ledger's statistics and facts are the same, figure for figure.
# ============================================================================
# the 任务分配表 laid out as the notice prints it, from the bundled rows
python3 -S - "$KP_ROOT/data/tables/pzh2016-info-quota.csv" <<'EOF2' >quota-pub.csv
import csv, sys
rows = [r for r in csv.reader(open(sys.argv[1], encoding="utf-8")) if r and not r[0].startswith("#")]
head, rows = rows[0], rows[1:]
sections = {"县区": "一、各县区政府", "市级部门": "二、市级各部门",
            "群团": "三、市级各群团单位", "驻外办事处": "四、市政府驻外办事处"}
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["2016 年政务信息采用任务分配表", "", ""])
group = None
for r in rows:
    d = dict(zip(head, r))
    if d["group"] != group:
        group = d["group"]
        w.writerow([sections[group], "", ""])
        unit = "（分）" if group in ("县区", "市级部门") else ""
        w.writerow(["单 位", "市级采用任务" + unit, "省级采用任务" + unit])
    prov = d["province"] + ("（%s）" % d["note"] if d["note"] else "")
    w.writerow([d["unit"], d["city"], prov])
EOF2
kr table import quota-pub.csv -o quota.csv
expect_status 0 "seed 003 任务分配表: import with no options exits 0"
expect_err "这是任务分配表（kind=quota），得到 72 行；供 kaoping info 各命令的 --quota 使用" \
  "seed 003 任务分配表: recognised by its shape, 72 units, and what reads it"
check grep -qx '#meta,kind,quota' quota.csv -- "seed 003 任务分配表: kind quota"
check grep -qx '东区政府,各县区政府,150,12,含省直报点采用' quota.csv -- "seed 003 任务分配表: 12（含省直报点采用） is 12 with a note"
check grep -qx '市总工会,市级各群团单位,20,0,' quota.csv -- "seed 003 任务分配表: the group from its section row"

printf '%s\n' '2016 年政务信息采用计分标准' '一、市级信息采用计分标准' \
  '- (一) 《攀政快讯》采用 1 条信息计 4 分。' '- (二) 《攀政快讯特刊》采用 1 条信息计 8 分。' \
  '- (三) 《每日政情》每出刊 1 期计 2 分。' '- (四) 以上刊物采用信息获得市级领导批示的每条加 10 分。' \
  '二、省级信息采用计分标准' '- (一) 《川政晨讯》每采用 1 条信息计 3 分。' '- (二) 《要情专报》每采用 1 条信息计 8 分。' \
  '- (三) 省政府上报国办信息每采用 1 条动态信息计 3 分，每采用 1 条专报信息计 8 分，被国办采用的动态信息每条再另加 3 分，专报再另加 8 分。' \
  '- (四) 《政务工作交流》每采用 1 条信息计 3 分。' '- (五) 以上刊物采用信息获得省级或省级以上领导批示的每条加 10 分。' >points-pub.csv
kr table import points-pub.csv -o points.csv
expect_status 1 "seed 003 计分标准: import exits 1 (one clause to check)"
expect_err "这是计分标准（kind=schedule），得到 12 行；供 kaoping info 各命令的 --points 使用" \
  "seed 003 计分标准: recognised by its shape, 12 rows, and what reads it"
expect_err "points-pub.csv:10: “专报再另加8分”按上一分句读作“国办采用专报信息”每条加分" \
  "seed 003 计分标准: the elliptical clause reported with its line"
check grep -q '^2\.3\.3,省级,国办采用动态信息,条,3,bonus,2\.3\.1,' points.csv -- "seed 003 计分标准: 被国办采用的动态信息每条再另加3分 → a bonus on 2.3.1"
check grep -q '^1\.3,市级,每日政情,期,2,base,,' points.csv -- "seed 003 计分标准: 每出刊1期计2分 → per 期"

sample="$KP_ROOT/data/ledger/sample-2016"
kr info stats --ledger "$sample" --period 2016Q3
cp _out stats-bundled.txt
kr info stats --ledger "$sample" --period 2016Q3 --points points.csv --quota quota.csv
expect_status 0 "info stats with the imported tables exits 0"
check cmp -s _out stats-bundled.txt -- "info stats: the imported 计分标准 and 任务分配表 give the bundled tables' figures"
kr info facts --ledger "$sample" --year 2016
cp _out facts-bundled.csv
kr info facts --ledger "$sample" --year 2016 --points points.csv --quota quota.csv
expect_status 0 "info facts with the imported tables exits 0"
check cmp -s _out facts-bundled.csv -- "info facts: the imported tables give the bundled tables' facts"
check test "$(wc -l <facts-bundled.csv)" -gt 100 -- "info facts: more than 100 facts compared"
