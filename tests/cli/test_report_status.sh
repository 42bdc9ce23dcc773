# Black-box tests of what `kaoping report …` shows of a round's state
# (issue 15 with the trust issue's statuses): in `report rank` the
# 未完成 units listed apart after the complete ones and marked, the
# grade (等次) where the table defines bands (#meta,grades); in `report
# sheet` a node whose counting fact replaced an earlier one marked
# "（已更正）" in its 扣分说明.  Sourced by tests/lib/runone.sh in an empty
# temporary directory with $KAOPING and $KP_ROOT set.

kr() {
  run "$@"
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' _err; then
    _notok "no sanitizer report from: kaoping $*"
  fi
}
export USER=测试员
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export KAOPING_DB=$PWD/status.db

# The sample table with grade bands; the sample facts without the
# assessments of 市水务局 and 市林业局 (so they stay 未完成), then a
# correction of 市公安局's 1.4 (a later file of the same identity).
awk 'NR==3{print "#meta,grades,优秀:95、良好:90、合格:60"} {print}' \
  "$KP_ROOT/data/tables/pzh2016-gk.csv" >gk.csv
grep -v '^市水务局,\*\|^市林业局,\*' "$KP_ROOT/data/facts/sample-2016-gk.csv" >facts.csv
printf 'unit,indicator,kind,name,value,source,author,time,url,note\n公安局,1.4,fail,,1,考核,市政府办公室,2017-01-15,,统计报表迟报（复核更正）\n' >corr.csv
K eval new --table gk.csv --author t >/dev/null
K eval facts add facts.csv --author t >/dev/null
K eval facts add corr.csv --author t >/dev/null
K eval score --author t >/dev/null
K eval rank --json >rank.json

kr report rank -o rank.xlsx
expect_status 0 "report rank -o rank.xlsx exits 0"
check "$PY" - rank.xlsx rank.json <<'PYEOF' -- "rank: complete units first with 等次 by the table's bands (a veto: 不合格), then a line and the 未完成 units marked, without a grade"
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rank = json.load(open(sys.argv[2]))["results"]
heads = [c.value for c in ws[3]]
assert heads == ["名次", "单位", "单位类型", "满分", "得分", "得分率", "自评分",
                 "折算分", "折算方式", "等次", "结果"], heads
rows = list(ws.iter_rows(min_row=4, values_only=True))
done = [r for r in rank if r["complete"]]
pend = [r for r in rank if not r["complete"]]
assert len(pend) == 3 and len(done) == 60, (len(pend), len(done))
sep = [i for i, r in enumerate(rows) if isinstance(r[0], str) and r[0].startswith("未完成（")]
assert sep == [60], sep
assert rows[60][0] == "未完成（以下 3 个单位还有未评指标，分数为暂计，不排入正式名次）", rows[60][0]
for got, want in zip(rows[:60], done):
    assert got[1] == want["unit"] and got[0] == want["rank"], (got, want)
    assert "%.2f" % got[4] == str(want["total"]) or abs(got[4] - float(want["total"])) < 1e-9
    t = float(want["total"])
    g = "不合格" if want["vetoed"] else "优秀" if t >= 95 else "良好" if t >= 90 else "合格" if t >= 60 else "不合格"
    assert got[9] == g, (got, g)
    assert "未完成" not in (got[10] or ""), got
for got, want in zip(rows[61:64], pend):
    assert got[1] == want["unit"], (got, want)
    assert got[9] is None, got
    assert got[10] == "未完成（%d 项未评）" % want["pending"], got
by = {r[1]: r for r in rows}
assert by["市公安局"][4] == 92.5 and by["市公安局"][9] == "良好", by["市公安局"]
assert by["市经济和信息化委"][9] == "良好" and by["市商务和粮食局"][9] == "不合格"
assert by["市商务和粮食局"][10] == "一票否决"
assert by["攀枝花市人民政府办公室"][9] == "优秀"
assert set(r[1] for r in rows[61:64]) == {"市水务局", "市林业局", "市住房城乡建设局"}
foot = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
assert "等次：优秀 95 分及以上，良好 90 分及以上，合格 60 分及以上，以下为不合格；触发一票否决的为不合格" in foot, foot
assert any(isinstance(f, str) and f.startswith("未完成：3 个单位还有未评指标") for f in foot), foot
PYEOF
kr report rank --by type -o rank-type.csv
expect_status 0 "report rank --by type exits 0"
check grep -qF '未完成（以下 3 个单位还有未评指标，分数为暂计，不排入正式名次）' rank-type.csv -- "by type: the 未完成 units apart within their group"

# a table without bands: no 等次 column (the sample round of test_report.sh)
K eval new --table pzh2016-gk --author t --db plain.db >/dev/null
kr report rank --db plain.db -o plain.csv
check sh -c '! grep -q 等次 plain.csv' -- "a table without #meta,grades has no 等次 column"

awk 'NR==3{print "#meta,grades,良好:80、优秀:90"} {print}' "$KP_ROOT/tests/store/data/hand-table.csv" >bad.csv
K eval new --table bad.csv --units "$KP_ROOT/tests/store/data/hand-units.csv" --author t --db bad.db >/dev/null
K eval score --author t --db bad.db >/dev/null 2>&1
kr report rank --db bad.db -o bad.csv.out.csv
expect_status 2 "bands not written from high to low are refused"
expect_err "等次划分“良好:80、优秀:90”应从高到低写" "and the message quotes them"

# ---- corrections in the sheet ------------------------------------------------
kr report sheet --unit 公安局 -o gaj.xlsx
expect_status 0 "report sheet -o gaj.xlsx exits 0"
check "$PY" - gaj.xlsx <<'PYEOF' -- "sheet: the corrected node says （已更正） in 扣分说明; the others do not"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["市公安局"]
rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
assert ws.cell(rows["1.4"], 10).value == "扣2.5分：统计报表迟报（复核更正），2017-01-15（已更正）", ws.cell(rows["1.4"], 10).value
assert "已更正" not in ws.cell(rows["2.1"], 10).value
assert sum("已更正" in (ws.cell(r, 10).value or "") for r in range(1, ws.max_row + 1)) == 1
PYEOF
kr report sheet -o all.csv
check sh -c '[ "$(grep -c 已更正 all.csv)" = 1 ]' -- "every unit's sheets: one node marked, 市公安局's"
