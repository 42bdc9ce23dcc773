# Black-box tests of the report charts (issue 15): `kaoping report
# charts -o DIR` writes each chart as SVG and PNG — the score
# distribution, the first-level indicators' average against their
# maximum, each unit's profile, the trend over earlier rounds of the same
# table — and the documents embed them (HTML inline SVG, XLSX images).
# The SVG keeps its text (the axis labels in Chinese) and each bar's
# number, read back here and compared with the engine (`eval show
# --json`).  Sourced by tests/lib/runone.sh in an empty temporary
# directory with $KAOPING and $KP_ROOT set.

kr() {
  run "$@"
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' _err; then
    _notok "no sanitizer report from: kaoping $*"
  fi
}
export USER=测试员
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export KAOPING_DB=$PWD/charts.db

K eval new --table pzh2016-gk --author t >/dev/null
K eval facts add "$KP_ROOT/data/facts/sample-2016-gk.csv" --author t >/dev/null
K eval score --author t >/dev/null
K eval rank --json >rank.json
"$PY" -c 'import json,sys; [print(r["unit"]) for r in json.load(open("rank.json"))["results"]]' >units.txt
while read -r u; do K eval show "$u" --json; done <units.txt >shows.jsonl

kr report charts
expect_status 2 "report charts without -o exits 2"
expect_err "需要 -o 目录" "and asks for a directory"
kr report charts -o ch/
expect_status 0 "report charts -o ch/ exits 0"
expect_out "已写出 65 个图表（130 个文件：SVG 和 PNG）到目录 ch/" "the distribution, the indicators' averages and 63 profiles, each twice"
for f in 得分分布 指标平均得分 单位画像-市公安局; do
  check test -s "ch/$f.svg" -- "ch/$f.svg written, not empty"
  check sh -c "head -c 8 'ch/$f.png' | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a'" -- "ch/$f.png is a PNG"
done
check test ! -e ch/得分趋势.svg -- "no trend without an earlier round of the table"
check "$PY" - ch shows.jsonl rank.json <<'PYEOF' -- "the SVGs: Chinese axis labels as text; the indicator chart's bars are the engine's averages of each first-level indicator (data-value and bar height), its grey bars the maxima; the distribution counts the units' scores"
import json, re, sys, xml.dom.minidom as m
def docs(text):
    dec, i, out = json.JSONDecoder(), 0, []
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            return out
        o, i = dec.raw_decode(text, i)
        out.append(o)
d, shows, rank = sys.argv[1], docs(open(sys.argv[2]).read()), json.load(open(sys.argv[3]))["results"]
def svg(name):
    return m.parseString(open("%s/%s.svg" % (d, name), encoding="utf-8").read()).documentElement
def texts(root, cls):
    return [t.firstChild.data for t in root.getElementsByTagName("text") if t.getAttribute("class") == cls]
ind = svg("指标平均得分")
assert texts(ind, "axis-label x") == ["一级指标"] and texts(ind, "axis-label y") == ["平均得分（分）"]
assert texts(ind, "title") == ["各一级指标平均得分与满分"]
# the engine's averages: first-level nodes with a maximum, over the units
sums = {}
for s in shows:
    for n in s["nodes"]:
        if n["level"] == 1 and n["applies"] and float(n["max"]) > 0:
            a = sums.setdefault(n["path"], [0.0, 0.0, 0])
            a[0] += float(n["score"]); a[1] += float(n["max"]); a[2] += 1
assert len(shows) == 63 and len(sums) == 4, (len(shows), sums)
bars = [r for r in ind.getElementsByTagName("rect") if r.getAttribute("class") == "bar"]
refs = {r.getAttribute("data-label"): float(r.getAttribute("data-value")) for r in ind.getElementsByTagName("rect") if r.getAttribute("class") == "ref"}
assert [b.getAttribute("data-label") for b in bars] == list(sums), [b.getAttribute("data-label") for b in bars]
ymax, top, bottom = float(ind.getAttribute("data-ymax")), float(ind.getAttribute("data-plot-top")), float(ind.getAttribute("data-plot-bottom"))
for b in bars:
    s, mx, n = sums[b.getAttribute("data-label")]
    want = s / n
    assert abs(float(b.getAttribute("data-value")) - want) < 0.005, (b.getAttribute("data-label"), b.getAttribute("data-value"), want)
    h = float(b.getAttribute("height")); y = float(b.getAttribute("y"))
    assert abs(h - want / ymax * (bottom - top)) < 0.02 and abs(y + h - bottom) < 0.02, (h, y, want)
    assert abs(refs[b.getAttribute("data-label")] - mx / n) < 0.005
dist = svg("得分分布")
assert texts(dist, "axis-label x") == ["得分（百分制）"] and texts(dist, "axis-label y") == ["单位数"]
counts = {b.getAttribute("data-label"): float(b.getAttribute("data-value")) for b in dist.getElementsByTagName("rect") if b.getAttribute("class") == "bar"}
want = {"不足60": 0, "60–70": 0, "70–80": 0, "80–90": 0, "90–100": 0}
for r in rank:
    v = float(r["total"]) * 100 / float(r["max"])
    want["不足60" if v < 60 else "60–70" if v < 70 else "70–80" if v < 80 else "80–90" if v < 90 else "90–100"] += 1
assert counts == want, (counts, want)
assert sum(counts.values()) == 63
prof = svg("单位画像-市公安局")
gaj = [s for s in shows if s["unit"] == "市公安局"][0]
vals = {b.getAttribute("data-label"): float(b.getAttribute("data-value")) for b in prof.getElementsByTagName("rect") if b.getAttribute("class") == "bar"}
assert vals == {n["path"]: float(n["score"]) for n in gaj["nodes"] if n["level"] == 1 and float(n["max"]) > 0}, vals
assert vals["组织保障"] == 7.5 and vals["日常工作情况"] == 15, vals
PYEOF

kr report charts --unit 公安局 -o one
expect_status 0 "report charts --unit exits 0"
check sh -c 'ls one | grep -c "^单位画像" | grep -qx 2' -- "--unit: that unit's profile alone"
kr report charts --unit 不存在 -o none
expect_status 2 "an unknown unit exits 2"

# ---- a later quarter of the same table: the trend -----------------------------
K eval new --table pzh2016-gk --period 2016Q4 --name 2016Q4-gk --author t >/dev/null 2>&1 || K eval new --table pzh2016-gk --period 2016Q4 --author t >/dev/null
r2=$(K eval list --json | "$PY" -c 'import json,sys; print([r["name"] for r in json.load(sys.stdin) if r["period"] == "2016Q4"][0])')
K eval facts add "$KP_ROOT/data/facts/sample-2016-gk.csv" --round "$r2" --author t >/dev/null
printf 'unit,indicator,kind,name,value,source,author,time,url,note\n市教育体育局,2.1,fail,,1,考核,市政府办公室,2017-04-10,,目录系统更新不及时\n' >q4.csv
K eval facts add q4.csv --round "$r2" --author t >/dev/null
K eval score --round "$r2" --author t >/dev/null
K eval rank --round "$r2" --json >rank2.json
kr report charts --round "$r2" --unit 市公安局 -o ch2
expect_status 0 "report charts on the later round exits 0"
check "$PY" - ch2/得分趋势.svg rank.json rank2.json <<'PYEOF' -- "the trend: the two periods in order, each the average score of its round"
import json, sys, xml.dom.minidom as m
root = m.parse(sys.argv[1]).documentElement
pts = [(r.getAttribute("data-label"), float(r.getAttribute("data-value"))) for r in root.getElementsByTagName("rect") if r.getAttribute("class") == "point"]
avg = lambda f: sum(float(r["total"]) for r in json.load(open(f))["results"]) / 63
assert [p[0] for p in pts] == ["2016", "2016Q4"], pts
assert abs(pts[0][1] - avg(sys.argv[2])) < 0.005 and abs(pts[1][1] - avg(sys.argv[3])) < 0.005, (pts, avg(sys.argv[2]), avg(sys.argv[3]))
assert pts[1][1] < pts[0][1]
assert [t.firstChild.data for t in root.getElementsByTagName("text") if t.getAttribute("class") == "axis-label x"] == ["期间"]
PYEOF
check test -s ch2/得分趋势.png -- "the trend as PNG too"

# ---- embedded in the documents ---------------------------------------------------
kr report rank --round 2016-pzh2016-gk -o rank.html
check sh -c 'grep -q "<svg xmlns" rank.html && grep -q ">得分分布</text>" rank.html' -- "HTML ranking: the distribution as inline SVG"
kr report rank --round 2016-pzh2016-gk -o rank.xlsx
check "$PY" - rank.xlsx <<'PYEOF' -- "XLSX ranking: a 图表 sheet with the distribution as an image"
import sys, openpyxl, zipfile
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["排名", "图表"], wb.sheetnames
assert wb["图表"].cell(1, 1).value == "得分分布"
assert any(n.startswith("xl/media/") and n.endswith(".png") for n in zipfile.ZipFile(sys.argv[1]).namelist())
PYEOF
