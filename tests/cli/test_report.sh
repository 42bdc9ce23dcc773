# Black-box tests of `kaoping report …`: the sample rounds of
# scripts/demo.sh (the 攀枝花 2016 政务公开 table, and the pzh2016 scheme)
# written as XLSX, CSV and HTML, and every XLSX read back with a real
# reader (Debian's python3-openpyxl) and compared cell by cell with what
# the engine says (`eval show --json`, `eval rank --json`).  Sourced by
# tests/lib/runone.sh in an empty temporary directory with $KAOPING and
# $KP_ROOT set.

kr() {
  run "$@"
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' _err; then
    _notok "no sanitizer report from: kaoping $*"
  fi
}
export USER=测试员
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export DB=$PWD/report.db KAOPING_DB=$PWD/report.db

# ---- the sample round, as scripts/demo.sh builds it ----------------------
K eval new --table pzh2016-gk --author t >/dev/null
K eval facts add "$KP_ROOT/data/facts/sample-2016-gk.csv" --author t >/dev/null
K eval score --author t >/dev/null
K eval rank --json >rank.json
K eval show 市公安局 --json >gaj.json

kr report
expect_status 2 "report alone exits 2"
expect_err "sheet、rank、rectify、inspection、bulletin" "and names its commands"

kr report sheet
expect_status 2 "report sheet without -o exits 2"
expect_err "需要 -o" "and names the missing -o"

kr report sheet -u 不存在的单位 -o x.xlsx
expect_status 2 "an unknown unit exits 2"
expect_err "不存在的单位" "and names the unit"
expect_no_file x.xlsx "an unknown unit writes no file"

kr report sheet -o sheets.txt
expect_status 2 "an unknown extension exits 2"
expect_no_file sheets.txt "and writes nothing"

# ---- every unit's sheet in one workbook ----------------------------------
kr report sheet -o sheets.xlsx
expect_status 0 "report sheet -o sheets.xlsx exits 0"
expect_out "已写出 sheets.xlsx（63 张表）" "one sheet per unit of the round"
check "$PY" - sheets.xlsx rank.json gaj.json <<'EOF' -- "every sheet's total equals the ranking's; 市公安局 node by node equals eval show; numbers are numbers"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
rank = json.load(open(sys.argv[2]))["results"]
gaj = json.load(open(sys.argv[3]))
assert len(wb.sheetnames) == len(rank) == 63, len(wb.sheetnames)
def head_row(ws):
    for r in range(1, 6):
        if ws.cell(r, 1).value == "序号":
            return r
    raise AssertionError("no head row")
for res in rank:
    ws = wb[res["unit"][:28]]
    h = head_row(ws)
    heads = [c.value for c in ws[h]]
    col = heads.index("得分") + 1
    tot = [r for r in range(h + 1, ws.max_row + 1) if ws.cell(r, 1).value == "合计"]
    assert len(tot) == 1, res["unit"]
    v = ws.cell(tot[0], col).value
    assert isinstance(v, (int, float)), (res["unit"], v)
    assert "%.2f" % v == "%.2f" % res["total"], (res["unit"], v, res["total"])
ws = wb["市公安局"]
h = head_row(ws)
heads = [c.value for c in ws[h]]
assert heads == ["序号", "一级指标", "二级指标", "三级指标", "分值", "评分标准",
                 "自评分", "考核分", "得分", "扣分说明"], heads
assert ws.cell(1, 1).value == "2016年政务（信息）公开工作考评表"
assert "市公安局" in ws.cell(2, 1).value and "2016-pzh2016-gk" in ws.cell(2, 1).value
rows = {ws.cell(r, 1).value: r for r in range(h + 1, ws.max_row + 1)}
for n in gaj["nodes"]:
    r = rows[n["code"]]
    got = ws.cell(r, 9).value
    if n["rule"] == "veto":
        assert got == "未触发", (n["code"], got)
    else:
        assert "%.2f" % got == "%.2f" % n["score"], (n["code"], got, n["score"])
    if n["assessor"] is not None:
        assert "%.2f" % ws.cell(r, 8).value == "%.2f" % n["assessor"], n["code"]
assert ws.cell(rows["1"], 5).value == 10 and ws.cell(rows["1"], 2).value == "组织保障"
assert ws.cell(rows["1.4"], 10).value == "扣2.5分：统计报表迟报，2017-01-10", ws.cell(rows["1.4"], 10).value
assert ws.cell(rows["2.1"], 10).value.startswith("扣5分：目录系统更新不及时")
assert ws.cell(rows["合计"], 9).value == 92.5
assert ws.cell(rows["合计"], 9).number_format == "0.00"
merged = {str(m) for m in ws.merged_cells.ranges}
assert "B%d:B%d" % (rows["1"], rows["1.4"]) in merged, merged
assert "A1:J1" in merged
foot = [ws.cell(r, 1).value for r in range(rows["合计"] + 1, ws.max_row + 1)]
assert "得分：92.50 分（满分 100 分）" in foot, foot
assert "折算：扣 0.15 分（按扣分折算）" in foot, foot
assert "一票否决：无" in foot
assert "名次：第 59 名（共 63 个单位）" in foot, foot
assert foot[-1].startswith("考核人（签字）") and "日期" in foot[-1]
assert ws.freeze_panes == "A%d" % (h + 1), ws.freeze_panes
assert ws.print_title_rows == "1:%d" % h or ws.print_title_rows == "$1:$%d" % h, ws.print_title_rows
assert ws.auto_filter.ref.startswith("A%d:J" % h), ws.auto_filter.ref
assert str(ws.page_setup.paperSize) == "9" and ws.page_setup.orientation == "landscape"
EOF

# ---- one unit as CSV and HTML ---------------------------------------------
kr report sheet --unit 公安局 -o gaj.csv
expect_status 0 "report sheet --unit (an alias) -o gaj.csv exits 0"
check sh -c 'head -c 3 gaj.csv | od -An -tx1 | grep -q "ef bb bf"' -- "the CSV begins with a UTF-8 BOM"
check grep -qF '合计,,,,100.00,,,,92.50,' gaj.csv -- "the CSV's total row: 满分 100.00, 得分 92.50"
check grep -qF '1.4,,没有准确、按时填报政务（信息）公开统计报表,' gaj.csv -- "the CSV has the second-level row in its column"
kr report sheet --unit 市公安局 -o gaj.html
expect_status 0 "report sheet -o gaj.html exits 0"
check grep -qF '@page{size:A4' gaj.html -- "the HTML has A4 print CSS"
check grep -qF '<td rowspan="5">组织保障</td>' gaj.html -- "the HTML merges the first-level cell over its subtree"
check grep -qF '<td class="n b">92.50</td>' gaj.html -- "the HTML total is 92.50"

# ---- one file per unit ------------------------------------------------------
kr report sheet -o out/ --format csv
expect_status 0 "report sheet -o out/ exits 0"
expect_out "已写出 63 个文件到目录 out/" "a file per unit"
check test -f "out/市公安局.csv" -- "the unit's file is named after it"
check grep -qF '合计,,,,100.00,,,,92.50,' "out/市公安局.csv" -- "and holds its sheet"

# ---- the ranking ------------------------------------------------------------
kr report rank -o rank.xlsx
expect_status 0 "report rank -o rank.xlsx exits 0"
check "$PY" - rank.xlsx rank.json <<'EOF' -- "the ranking read back equals eval rank: 名次, 单位, 得分, 得分率, 折算 as numbers"
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rank = json.load(open(sys.argv[2]))["results"]
assert [c.value for c in ws[3]] == ["名次", "单位", "单位类型", "满分", "得分",
    "得分率", "自评分", "折算分", "折算方式", "结果"], [c.value for c in ws[3]]
rows = list(ws.iter_rows(min_row=4, values_only=True))
# issue 15: the 未完成 unit (市住房城乡建设局, 3 nodes 未评) is listed apart,
# under a line of its own, and a foot line counts it: the unit rows are
# those with a 名次
assert rows[62][0] == "未完成（以下 1 个单位还有未评指标，分数为暂计，不排入正式名次）", rows[62]
assert rows[63][1] == "市住房城乡建设局" and rows[63][9] == "未完成（3 项未评）", rows[63]
rows = [r for r in rows if isinstance(r[0], int)]
assert len(rows) == len(rank) == 63
for got, want in zip(rows, rank):
    assert got[0] == want["rank"] and got[1] == want["unit"], (got, want)
    assert "%.2f" % got[4] == "%.2f" % want["total"], (got, want)
    assert "%.2f" % got[7] == "%.2f" % want["converted"], (got, want)
    assert abs(got[5] - got[4] / got[3]) < 1e-9
g = [r for r in rows if r[1] == "市公安局"][0]
assert g[:6] == (59, "市公安局", "市级部门", 100, 92.5, 0.925), g
assert ws.cell(4, 6).number_format == "0.00%"
EOF
kr report rank --by type -o rank-type.csv
expect_status 0 "report rank --by type exits 0"
check grep -qF '考评结果排名（市级部门）' rank-type.csv -- "a table per unit type"
check grep -qF '59,市公安局,市级部门,100.00,92.50,92.50%,,0.15,扣分,' rank-type.csv -- "市公安局 59th among 市级部门 with 92.50% (tied on 扣0.15; issue 12 ranks by the converted points)"
kr report rank --by unit -o r.csv
expect_status 2 "--by other than type exits 2"

# ---- files are written whole, never through links or devices ---------------
echo keep >target.csv
ln -s target.csv link.csv
kr report rank -o link.csv
expect_status 2 "a symbolic link as -o is refused"
check grep -qx keep target.csv -- "and its target is untouched"
mkfifo pipe.csv
kr report rank -o pipe.csv
expect_status 2 "a FIFO as -o is refused"
kr report rank -o nodir/rank.xlsx
expect_status 2 "an unwritable place exits 2"
check sh -c '! ls -a | grep -q "\.tmp"' -- "no temporary file is left behind"
cp rank.xlsx old.xlsx; chmod 600 old.xlsx
kr report rank -o old.xlsx
expect_status 0 "an existing file is replaced"
check sh -c '[ "$(stat -c %a old.xlsx)" = 600 ]' -- "and keeps its permissions"

# ---- a scheme round: a unit on several tables ------------------------------
K eval new --scheme pzh2016 --author t >/dev/null
K eval facts add "$KP_ROOT/data/facts/pzh2016-sample.csv" --author t >/dev/null
K eval score --author t >/dev/null
K eval rank --json >srank.json
kr report sheet --unit 市民政局 -o mz.xlsx
expect_status 0 "a scheme round's sheet exits 0"
check "$PY" - mz.xlsx <<'EOF' -- "a sheet per table the unit is assessed on; the combination under the last"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert len(wb.sheetnames) >= 2, wb.sheetnames
last = wb[wb.sheetnames[-1]]
foot = [last.cell(r, 1).value or "" for r in range(1, last.max_row + 1)]
assert any(f.startswith("方案 pzh2016 合计：") for f in foot), foot
assert all("【" in wb[s].cell(2, 1).value for s in wb.sheetnames)
EOF
kr report rank -o srank.xlsx
expect_status 0 "a scheme round's ranking exits 0"
check "$PY" - srank.xlsx srank.json <<'EOF' -- "a scheme round's ranking: 合计 per unit equals eval rank"
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rank = json.load(open(sys.argv[2]))["results"]
heads = [c.value for c in ws[3]]
assert heads[:4] == ["名次", "单位", "单位类型", "合计"], heads
rows = list(ws.iter_rows(min_row=4, values_only=True))
rows = [r for r in rows if isinstance(r[0], int)]   # issue 15: 未完成 apart
assert len(rows) == len(rank)
for got, want in zip(rows, rank):
    assert got[0] == want["rank"] and got[1] == want["unit"]
    assert "%.2f" % got[3] == "%.2f" % want["total"], (got, want)
EOF

# ---- rectification lists (on the single-table round, by name) --------------
kr report rectify --round 2016-pzh2016-gk -o rect/ --format csv
expect_status 0 "report rectify -o rect/ exits 0"
expect_out "已写出 8 个文件到目录 rect/" "a list for each of the 8 units that lost points"
check grep -qF '1,2.1,日常工作情况>未及时在市政务公开目录系统和网站上公开政务信息,5.00,扣5分,目录系统更新不及时，2017-01-10,' "rect/市公安局.csv" -- "市公安局's largest recovery first: 2.1, 5 points, with its evidence"
check grep -qF '2,1.4,组织保障>没有准确、按时填报政务（信息）公开统计报表,2.50,扣2.5分,统计报表迟报，2017-01-10,' "rect/市公安局.csv" -- "then 1.4, 2.5 points"
check grep -qF '共 2 项，整改到位可挽回 7.50 分' "rect/市公安局.csv" -- "the total recovery is 100 − 92.50"
check grep -qF '8,政府或部门网站被省级或以上部门通报批评的,一票否决,' "rect/市商务和粮食局.csv" -- "a veto that struck is listed first"
kr report rectify --round 2016-pzh2016-gk -u 市政府办公室 --deadline 2017-03-31 -o none.xlsx
expect_status 0 "a unit without lost points gets a list that says so"
check "$PY" - none.xlsx <<'PYEOF' -- "the XLSX says there is nothing to rectify"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
vals = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
assert vals[0] == "攀枝花市人民政府办公室整改清单", vals
assert "本轮考评无扣分项，无需整改。" in vals, vals
PYEOF
kr report rectify --round 2016-pzh2016-gk -u 公安局 --deadline 2017-03-31 -o gaj-rect.xlsx
check "$PY" - gaj-rect.xlsx <<'PYEOF' -- "the XLSX list: points recovered as numbers, the deadline given"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
assert [c.value for c in ws[3]][:4] == ["序号", "指标编号", "指标", "可挽回分"]
assert ws.cell(4, 4).value == 5 and ws.cell(5, 4).value == 2.5
assert ws.cell(4, 8).value == "2017-03-31"
PYEOF

# ---- a site's inspection report ---------------------------------------------
# The test site of tools/sitegen.c inspected into a round, then changed
# (port.v2: the missing image back, 政策解读 filled, plan.pdf gone) and
# inspected again; the second report shows what changed.
export KP_NO_PROGRESS=1
cc -O1 -o sitegen "$KP_ROOT/tools/sitegen.c" -lz || { echo "not ok - build sitegen"; exit 1; }
./sitegen serve port & srv=$!
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s port ] && break; sleep 0.1; done
S="http://127.0.0.1:$(cat port)"
IDB=$PWD/insp.db
K eval new --table "$KP_ROOT/tests/store/data/hand-table.csv" --units "$KP_ROOT/tests/store/data/hand-units.csv" --db "$IDB" >/dev/null
K inspect "$S/" --as-of 2024-06-30 --timeout 1 --retries 0 --db "$IDB" --round 2016-hand --unit 甲 --json >i1.json
touch port.v2
K inspect "$S/" --as-of 2024-06-30 --timeout 1 --retries 0 --db "$IDB" --round 2016-hand --unit 甲 --json >i2.json
kr report inspection --db "$IDB"
expect_status 2 "report inspection without a number or --unit exits 2"
kr report inspection 9 --db "$IDB" -o insp-none.xlsx
expect_status 2 "an unknown inspection exits 2"
expect_no_file insp-none.xlsx "and writes nothing"
kr report inspection 1 --db "$IDB" -o insp1.xlsx
expect_status 0 "report inspection 1 -o insp1.xlsx exits 0"
kr report inspection --unit 甲局 --db "$IDB" -o insp2.xlsx
expect_status 0 "report inspection --unit (the latest) exits 0"
check "$PY" - insp1.xlsx i1.json "$S" <<'PYEOF' -- "the first report read back: summary, every finding with its evidence, dead links with the pages linking them, columns, footer"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); j = json.load(open(sys.argv[2])); S = sys.argv[3]
assert wb.sheetnames == ["概况", "问题", "死链", "栏目", "底部要素", "变化"], wb.sheetnames
def rows(name, first=4):
    ws = wb[name]
    return [r for r in ws.iter_rows(min_row=first, values_only=True)]
summ = {r[0]: r[1] for r in rows("概况")}
assert wb["概况"].cell(1, 1).value == "甲局网站检测报告"
assert summ["网站"] == S + "/" and summ["单位"] == "甲局" and summ["轮次"] == "2016-hand"
assert summ["发现问题数"] == len(j["findings"]) and summ["抓取页面数"] == j["pages_crawled"]
assert summ["死链数"] == len(j["dead_links"]) and summ["与上次检测相比"] == "首次检测"
f = rows("问题")
assert len(f) == len(j["findings"])
for got, want in zip(f, j["findings"]):
    assert got[1] == want["check"] and got[3] == want["message"], (got, want)
    assert (got[4] or "") == want["evidence"]["url"] and (got[5] or "") == want["evidence"]["snippet"]
    assert got[6] == want["evidence"]["time"]
dl = {r[1]: r for r in rows("死链", 3)}
assert set(dl) == {d["url"] for d in j["dead_links"]}
r = dl[S + "/col/col9/index.html"]
assert r[2] == 404 and r[4] == 12 and r[5].split("\n")[0] == S + "/", r
cols = {r[0]: r for r in rows("栏目", 3)}
assert cols["通知公告"][2] == "2023-07-13" and cols["通知公告"][4] == "未按时更新"
assert cols["政策解读"][4] == "空白"
foot = {r[0]: r[1] for r in rows("底部要素", 3)}
assert foot["网站标识码"] == "5101000001" and foot["无障碍浏览"] == "无" and foot["站内搜索"] == "有"
PYEOF
check "$PY" - insp2.xlsx i2.json "$S" <<'PYEOF' -- "the second report: the changes since the first, fixed and new by URL"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); j = json.load(open(sys.argv[2])); S = sys.argv[3]
ch = wb["变化"]
assert ch.cell(2, 1).value.startswith("上次检测："), ch.cell(2, 1).value
rows = [r for r in ch.iter_rows(min_row=4, values_only=True) if r[0] in ("新发现", "已整改")]
fixed = {r[4] for r in rows if r[0] == "已整改"}
new = {r[4] for r in rows if r[0] == "新发现"}
assert fixed == {x["url"] for x in j["changes"]["fixed"]} and S + "/img/missing.png" in fixed, fixed
assert new == {x["url"] for x in j["changes"]["new"]}, new
assert "仍存在：%d 项" % j["changes"]["still"] in [ch.cell(r, 1).value for r in range(1, ch.max_row + 1)]
PYEOF
kr report rectify --db "$IDB" --round 2016-hand -u 甲局 -o rect-insp.xlsx
expect_status 0 "report rectify after a re-inspection exits 0"
check "$PY" - rect-insp.xlsx i2.json <<'PYEOF' -- "the rectification list after the re-inspection lists what was fixed: the previous inspection's findings the latest lacks, each with its URL, marked 已整改"
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active; j = json.load(open(sys.argv[2]))
rows = list(ws.iter_rows(min_row=4, values_only=True))
sep = [i for i, r in enumerate(rows) if isinstance(r[0], str) and r[0].startswith("经复查已整改（")]
assert len(sep) == 1, rows
assert rows[sep[0]][0] == "经复查已整改（第 2 次检测与第 1 次相比，2024-06-30 不再发现）：%d 项" % len(j["changes"]["fixed"]), rows[sep[0]][0]
fixed = rows[sep[0] + 1: sep[0] + 1 + len(j["changes"]["fixed"])]
assert [(r[1], r[2], r[5] or "") for r in fixed] == [(x["check"], x["message"], x["url"]) for x in j["changes"]["fixed"]], fixed
assert all(r[8] == "已整改（2024-06-30 复查）" for r in fixed), fixed
foot = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
assert "经复查已整改 %d 项（第 1 次检测发现、第 2 次检测不再发现）。" % len(j["changes"]["fixed"]) in foot, foot
PYEOF
kr report rectify --db "$IDB" --round 2016-hand -u 甲局 -o rect-insp1.csv
check grep -qF "已整改（2024-06-30 复查）" rect-insp1.csv -- "the CSV list too"

# ---- the README's main command writes the reports under one folder ---------
KP_DEMO_OUT=$PWD/demo-out bash "$KP_ROOT/scripts/demo.sh" "$KAOPING" >_out 2>_err; STATUS=$?
expect_status 0 "demo: scripts/demo.sh exits 0"
expect_out "报表已写到 $PWD/demo-out" "demo: says where the reports are"
check test -s "demo-out/考评表-2016-pzh2016-gk.xlsx" -- "demo: the score sheets"
check test -s "demo-out/排名-2016-pzh2016-gk.xlsx" -- "demo: the ranking"
check test -s "demo-out/整改清单-2016-pzh2016-gk/市公安局.xlsx" -- "demo: the rectification lists"
check "$PY" -c 'import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1])["概况"]; kv={r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}; assert kv["单位"]=="市公安局" and kv["首页标题"]=="示例市人民政府" and kv["开始时间"].endswith("+08:00"), kv' "demo-out/检测报告-市公安局.xlsx" -- "demo: one website's 检测报告 (the local sample site, for 市公安局), its times in Beijing time"
check test -s "demo-out/检测报告-市公安局.pdf" -- "demo: …and as PDF"
check "$PY" -c 'import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1])["市公安局"]; assert [r for r in ws.iter_rows(values_only=True) if r[0]=="合计"][0][8]==92.5' "demo-out/考评表-2016-pzh2016-gk.xlsx" -- "demo: 市公安局's sheet totals 92.50"

# ---- the 通报 ------------------------------------------------------------------
kr report bulletin --round 2016-pzh2016-gk --date 2017年1月20日 --from 市政府办公室 -o bulletin.html
expect_status 0 "report bulletin -o bulletin.html exits 0"
check grep -qF '<p class="title">关于2016年政务（信息）公开工作考评结果的通报</p>' bulletin.html -- "the title names the subject"
check grep -qF '<p class="plain">各市级部门：</p>' bulletin.html -- "addressed to the unit type"
check grep -qF '参加考评的单位共63个，平均得分99.09分，最高100.00分（攀枝花市人民政府办公室），最低80.00分（市住房城乡建设局）。没有失分的单位55个，有失分的单位8个，其中触发一票否决的1个。' bulletin.html -- "the overview figures"
check grep -qF '得分居后的单位是：市经济和信息化委（90.00分）、市商务和粮食局（100.00分）、市住房城乡建设局（80.00分）' bulletin.html -- "the three lowest units"
check grep -qF '（1）3.3 行权平台工作推进不力：1个单位失分，共扣20.00分' bulletin.html -- "the problem that cost most comes first"
check grep -qF '<p class="right">市政府办公室</p>' bulletin.html -- "signed by --from"
check grep -qF '<p class="right">2017年1月20日</p>' bulletin.html -- "dated by --date"
kr report bulletin --round 2016-pzh2016-gk -o bulletin.xlsx
expect_status 0 "report bulletin -o bulletin.xlsx exits 0"
check "$PY" - bulletin.xlsx rank.json <<'PYEOF' -- "the bulletin's annex read back: each unit's score and rank as numbers, its problems with evidence"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); rank = json.load(open(sys.argv[2]))["results"]
assert wb.sheetnames == ["正文", "附件", "图表"], wb.sheetnames   # issue 15: the charts embedded
assert len(wb["图表"]._images) == 2, wb["图表"]._images
assert wb["正文"].cell(1, 1).value == "关于2016年政务（信息）公开工作考评结果的通报"
rows = list(wb["附件"].iter_rows(min_row=3, values_only=True))
assert len(rows) == len(rank)
for got, want in zip(rows, rank):
    assert got[1] == want["unit"] and "%.2f" % got[2] == "%.2f" % want["total"] and got[3] == want["rank"]
g = [r for r in rows if r[1] == "市公安局"][0]
assert "2.1 未及时在市政务公开目录系统和网站上公开政务信息：扣5分：目录系统更新不及时，2017-01-10" in g[4], g[4]
PYEOF

# ---- DOCX: the documents offices edit in Word/WPS ---------------------------
kr report sheet --round 2016-pzh2016-gk --unit 市公安局 -o gaj.docx
expect_status 0 "report sheet -o gaj.docx exits 0"
kr report bulletin --round 2016-pzh2016-gk --date 2017年1月20日 -o bulletin.docx
expect_status 0 "report bulletin -o bulletin.docx exits 0"
check "$PY" - gaj.docx bulletin.docx <<'PYEOF' -- "the DOCX parts are well-formed XML: 仿宋_GB2312/黑体, A4 (the sheet landscape), page numbers, the head row repeated, merged level cells, 市公安局's 92.50"
import sys, zipfile, xml.dom.minidom as m
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
for path in sys.argv[1:3]:
    z = zipfile.ZipFile(path)
    names = set(z.namelist())
    assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml",
            "word/_rels/document.xml.rels", "word/footer1.xml"} <= names, names
    for n in names:
        if n.startswith("word/media/"):   # issue 15: the charts, as PNG
            assert z.read(n)[:8] == b"\x89PNG\r\n\x1a\n", n
            continue
        m.parseString(z.read(n))
    assert b" PAGE " in z.read("word/footer1.xml")
doc = zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode()
assert 'w:eastAsia="黑体"' in doc and 'w:eastAsia="仿宋_GB2312"' in doc
assert '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>' in doc
assert "<w:tblHeader/>" in doc and '<w:vMerge w:val="restart"/>' in doc
assert ">92.50</w:t>" in doc and ">扣2.5分：统计报表迟报，2017-01-10</w:t>" in doc
b = zipfile.ZipFile(sys.argv[2]).read("word/document.xml").decode()
assert ">关于2016年政务（信息）公开工作考评结果的通报</w:t>" in b
assert '<w:pgSz w:w="11906" w:h="16838"/>' in b
assert ">2017年1月20日</w:t>" in b
bz = zipfile.ZipFile(sys.argv[2])
assert {"word/media/chart1.png", "word/media/chart2.png"} <= set(bz.namelist()), bz.namelist()
assert 'r:embed="rIdChart1"' in b and 'r:embed="rIdChart2"' in b
rels = bz.read("word/_rels/document.xml.rels").decode()
assert 'Id="rIdChart2"' in rels and 'Target="media/chart2.png"' in rels
assert 'Extension="png" ContentType="image/png"' in bz.read("[Content_Types].xml").decode()
assert ">得分分布</w:t>" in b and ">各一级指标平均得分与满分</w:t>" in b
PYEOF
check test -s "demo-out/通报-2016-pzh2016-gk.docx" -- "demo: the bulletin as DOCX"
check test -s "demo-out/通报-2016-pzh2016-gk.pdf" -- "demo: the bulletin as PDF"
check test -s "demo-out/排名-2016-pzh2016-gk.pdf" -- "demo: the ranking as PDF"
check sh -c 'test -s "demo-out/图表-2016-pzh2016-gk/得分分布.svg" && test -s "demo-out/图表-2016-pzh2016-gk/指标平均得分.png" && test -s "demo-out/图表-2016-pzh2016-gk/单位画像-市公安局.png"' -- "demo: the charts as SVG and PNG"

# ---- PDF: rendered to PNG (kept under build/report-test/), pages counted,
# the text read back ------------------------------------------------------------
# poppler-utils (scripts/install-deps.sh): required in CI, else skipped
have_pdf=true
for t in pdfinfo pdftotext pdftoppm; do command -v $t >/dev/null 2>&1 || have_pdf=false; done
if ! $have_pdf; then
  if [ "${CI:-}" = true ]; then
    _notok "PDF: pdfinfo, pdftotext and pdftoppm (poppler-utils) are installed in CI"
  else
    echo "# skip: PDF checks need poppler-utils (scripts/install-deps.sh installs it)"
  fi
else
  keep=$KP_ROOT/build/report-test
  mkdir -p "$keep"
  pages() { pdfinfo "$1" | awk '/^Pages:/ {print $2}'; }
  render() { rm -f "$keep/$2"-*.png; pdftoppm -png -r 50 "$1" "$keep/$2" && ls "$keep/$2"-*.png >/dev/null; }
  kr report sheet --round 2016-pzh2016-gk --unit 市公安局 -o gaj.pdf
  expect_status 0 "report sheet -o gaj.pdf exits 0"
  check sh -c 'pdfinfo gaj.pdf | grep -q "Page size: *841.89 x 595.276 pts (A4)"' -- "PDF sheet: A4 landscape"
  check test "$(pages gaj.pdf)" = 4 -- "PDF sheet: 4 pages"
  check sh -c 'pdftotext -layout gaj.pdf - | grep -q "^合计 .*100.00 .*92.50"' -- "PDF sheet: the total row 100.00 … 92.50"
  check sh -c 'pdftotext gaj.pdf - | grep -q "单位：市公安局（市级部门）"' -- "PDF sheet: the unit's name"
  check sh -c '[ "$(pdftotext gaj.pdf - | grep -c "^扣分说明$")" = 4 ] && [ "$(pdftotext gaj.pdf - | grep -c "^— *[0-9] *—$")" = 4 ]' -- "PDF sheet: the head row repeated and a page number on each of the 4 pages"
  check render gaj.pdf sheet-gaj -- "PDF sheet rendered to PNG (build/report-test/sheet-gaj-*.png)"
  kr report rank --round 2016-pzh2016-gk -o rank.pdf
  expect_status 0 "report rank -o rank.pdf exits 0"
  check test "$(pages rank.pdf)" = 3 -- "PDF ranking: 3 A4 pages (2 of the table, 1 of the distribution chart)"
  check sh -c 'pdftotext -f 3 -l 3 rank.pdf - | grep -q "得分分布" && pdftotext -f 3 -l 3 rank.pdf - | grep -q "单位数"' -- "PDF ranking: the distribution chart on its page, with its axis label"
  pdftotext -layout rank.pdf rank.txt
  check "$PY" - rank.txt rank.json <<'PYEOF' -- "PDF ranking: each unit on a line with its rank and total, in order"
import json, re, sys
lines = open(sys.argv[1]).read().split("\n")
rank = json.load(open(sys.argv[2]))["results"]
at = 0
for r in rank:
    pat = re.compile(r"^\s*%d\s+%s\s+\S+\s+100\.00\s+%s\s" % (r["rank"], re.escape(r["unit"]), re.escape("%.2f" % float(r["total"]))))
    while at < len(lines) and not pat.search(lines[at]):
        at += 1
    assert at < len(lines), r
PYEOF
  check render rank.pdf rank -- "PDF ranking rendered to PNG"
  kr report bulletin --round 2016-pzh2016-gk --date 2017年1月20日 -o bulletin.pdf
  expect_status 0 "report bulletin -o bulletin.pdf exits 0"
  check sh -c 'pdfinfo bulletin.pdf | grep -q "Page size: *595.276 x 841.89 pts (A4)"' -- "PDF bulletin: A4 portrait"
  check sh -c 'pdftotext bulletin.pdf - | tr -d "\n" | grep -q "关于2016年政务（信息）公开工作考评结果的通报.*平均得分99.09分.*2017年1月20日"' -- "PDF bulletin: title, overview figures, date"
  check render bulletin.pdf bulletin -- "PDF bulletin rendered to PNG"
  kr report rectify --round 2016-pzh2016-gk -u 市公安局 -o gaj-rect.pdf
  expect_status 0 "report rectify -o gaj-rect.pdf exits 0"
  check sh -c 'pdftotext -layout gaj-rect.pdf - | grep -q "共 2 项，整改到位可挽回 7.50 分"' -- "PDF rectification list: the recovery total"
  check render gaj-rect.pdf rectify-gaj -- "PDF rectification list rendered to PNG"
  kr report inspection --unit 甲局 --db "$IDB" -o insp2.pdf
  expect_status 0 "report inspection -o insp2.pdf exits 0"
  check sh -c 'pdftotext insp2.pdf - | grep -q "甲局网站检测报告" && [ "$(pdfinfo insp2.pdf | awk "/^Pages:/ {print \$2}")" -ge 6 ]' -- "PDF inspection report: its title, a page or more per part"
  check render insp2.pdf inspection -- "PDF inspection report rendered to PNG"
fi
